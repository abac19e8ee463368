import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseEvaluationText } from '../../src/appraisal/index.js'
import { createTestApp, exportedLessImportApproval, pageText } from '../helpers.js'

const fixtureText = readFileSync(new URL('../fixtures/small-evaluation.json', import.meta.url), 'utf8')

function upload(app: Awaited<ReturnType<typeof createTestApp>>['app'], text: string, name = 'evaluation.json') {
  const form = new FormData()
  form.set('file', new File([text], name, { type: 'application/json' }))
  return app.request('/evaluations/import', { method: 'POST', body: form })
}

describe('evaluation files in the browser', () => {
  it('imports an uploaded file as a new evaluation and downloads it back unchanged', async () => {
    const { app } = await createTestApp()
    const response = await upload(app, fixtureText)
    expect(response.status).toBe(303)
    const location = response.headers.get('location')!
    expect(location).toMatch(/^\/evaluations\/\d+$/)
    const download = await app.request(`${location}/export`)
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="small-worked-example.json"')
    expect(exportedLessImportApproval(await download.text())).toEqual(parseEvaluationText(fixtureText))
  })

  it('lists every problem of an invalid file with its JSON path and saves nothing', async () => {
    const { app, db } = await createTestApp()
    const bad = JSON.parse(fixtureText)
    bad.scores[0].score = 7
    bad.consensus[0].criterion = 'no-such-criterion'
    bad.surprise = true
    const response = await upload(app, JSON.stringify(bad), 'bad.json')
    expect(response.status).toBe(422)
    const text = pageText(await response.text())
    expect(text).toContain('bad.json was not imported')
    expect(text).toContain('scores[0].score: must be between 0 and 5')
    expect(text).toContain('consensus[0].criterion:')
    expect(text).toContain('surprise')
    expect(await db.selectFrom('evaluation').select('id').execute()).toEqual([])
  })

  it('keeps a file’s weighting rounds and judgements, and downloads them back unchanged', async () => {
    const { app } = await createTestApp()
    const file = JSON.parse(fixtureText)
    file.weighting = {
      rounds: [
        {
          id: 'functional',
          parent: 'functional',
          items: ['crime', 'search'],
          participants: [{ name: 'Head of crime', judgements: [{ a: 'search', b: 'crime', value: '1/3' }] }],
          applied: '2026-11-30T10:00:00.000Z',
        },
        { id: 'top', parent: null, items: ['functional', 'usability'] },
      ],
    }
    const text = JSON.stringify(file)
    const response = await upload(app, text, 'rounds.json')
    expect(response.status).toBe(303)
    const download = await app.request(`${response.headers.get('location')!}/export`)
    expect(exportedLessImportApproval(await download.text())).toEqual(parseEvaluationText(text))
  })

  it('keeps a file’s frontline trial, its roles, wording, linked criteria, code lifetime and sessions, and downloads it back unchanged', async () => {
    const { app } = await createTestApp()
    const file = JSON.parse(fixtureText)
    const wording = Array.from({ length: 10 }, (_, i) => `Statement ${i + 1}`)
    file.trials = {
      tasks: [{ id: 'search', name: 'Find a nominal' }],
      roles: ['Response officer', 'Detective'],
      statements: wording,
      criteria: ['usability', 'sus'],
      codeHours: 8,
      sessions: [
        {
          option: 'product-b',
          role: 'Detective',
          sus: [5, 1, 5, 1, 5, 1, 5, 1, 5, 1],
          tasks: [{ task: 'search', completed: true, seconds: 40, errors: 0 }],
          comment: 'Quick',
          statements: wording,
        },
        { option: 'product-a', role: 'Response officer', sus: null, tasks: [] },
      ],
    }
    const text = JSON.stringify(file)
    const response = await upload(app, text, 'trials.json')
    expect(response.status).toBe(303)
    const download = await app.request(`${response.headers.get('location')!}/export`)
    expect(exportedLessImportApproval(await download.text())).toEqual(parseEvaluationText(text))
  })

  it('says when the upload is not JSON, or when no file was chosen', async () => {
    const { app } = await createTestApp()
    const notJson = await upload(app, 'title,amount\nA,1')
    expect(notJson.status).toBe(422)
    expect(pageText(await notJson.text())).toContain('file: is not valid JSON')
    const form = new FormData()
    const none = await app.request('/evaluations/import', { method: 'POST', body: form })
    expect(none.status).toBe(422)
    expect(pageText(await none.text())).toContain('choose an evaluation file to import')
  })

  it('answers an export of an unknown evaluation with 404', async () => {
    const { app } = await createTestApp()
    expect((await app.request('/evaluations/4242/export')).status).toBe(404)
  })
})
