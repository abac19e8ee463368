import { describe, expect, it } from 'vitest'
import { parsed } from '../appraisal/factories.js'
import { createEvaluation, createTestApp, evaluationFields, pageText, postForm, textOf } from '../helpers.js'

describe('evaluations', () => {
  it('lists evaluations and links to each', async () => {
    const { app } = await createTestApp()
    const id = await createEvaluation(app, { title: 'Records replacement' })
    const html = await (await app.request('/evaluations')).text()
    expect(html).toContain(`href="/evaluations/${id}"`)
    expect(pageText(html)).toContain('Records replacement')
  })

  it('redirects the home page to the list', async () => {
    const { app } = await createTestApp()
    const response = await app.request('/')
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/evaluations')
  })

  it('offers the default 0–5 scale with a label and descriptor per level when starting', async () => {
    const { app } = await createTestApp()
    const html = await (await app.request('/evaluations/new')).text()
    expect(html).toContain('name="label-0" value="Unacceptable"')
    expect(html).toContain('name="label-5" value="Excellent"')
    expect(html).toContain('name="descriptor-3"')
    expect(html).toContain('Police records management system')
  })

  it('creates an evaluation with its scale labels and descriptors', async () => {
    const { app, db } = await createTestApp()
    const id = await createEvaluation(app, { 'label-0': 'None', 'descriptor-0': 'No evidence at all', 'label-5': 'Best' })
    const levels = await db.selectFrom('scale_level').selectAll().where('evaluation_id', '=', id).orderBy('level').execute()
    expect(levels.map((l) => [l.level, l.label, l.descriptor])).toEqual([
      [0, 'None', 'No evidence at all'],
      [5, 'Best', null],
    ])
    const page = pageText(await (await app.request(`/evaluations/${id}`)).text())
    expect(page).toContain('0 – None No evidence at all')
  })

  it('creates an evaluation from a template with its whole criteria tree', async () => {
    const { app, db } = await createTestApp()
    const id = await createEvaluation(app, { template: 'police-records-management' })
    const criteria = await db.selectFrom('criterion').selectAll().where('evaluation_id', '=', id).execute()
    expect(criteria.filter((c) => c.kind === 'gate').length).toBeGreaterThanOrEqual(7)
    expect(criteria.filter((c) => c.kind === 'criterion').length).toBeGreaterThanOrEqual(30)
    expect(criteria.every((c) => c.kind === 'group' || (c.guidance ?? '').length > 20)).toBe(true)
  })

  it('refuses a missing title and a reversed scale with messages beside the fields, keeping the input', async () => {
    const { app, db } = await createTestApp()
    const response = await postForm(app, '/evaluations', evaluationFields({ title: '  ', organisation: 'Kept org', scaleMin: '5', scaleMax: '1' }))
    expect(response.status).toBe(422)
    const html = await response.text()
    expect(html).toContain('Enter a title for the evaluation')
    expect(html).toContain('The highest score must be more than the lowest')
    expect(html).toContain('value="Kept org"')
    expect(html).toContain('href="#f-title"')
    expect(await db.selectFrom('evaluation').select('id').execute()).toEqual([])
  })

  it('refuses a scale that is not whole numbers', async () => {
    const { app } = await createTestApp()
    const response = await postForm(app, '/evaluations', evaluationFields({ scaleMin: '0.5', scaleMax: 'ten' }))
    expect(response.status).toBe(422)
    const text = pageText(await response.text())
    expect(text).toContain('The lowest score must be a whole number')
    expect(text).toContain('The highest score must be a whole number')
  })

  it('refuses an unknown template', async () => {
    const { app } = await createTestApp()
    const response = await postForm(app, '/evaluations', evaluationFields({ template: 'no-such-template' }))
    expect(response.status).toBe(422)
    expect(await response.text()).toContain('Choose a template from the list')
  })

  it('edits the details and the scale', async () => {
    const { app, db } = await createTestApp()
    const id = await createEvaluation(app)
    const response = await postForm(
      app,
      `/evaluations/${id}`,
      evaluationFields({ title: 'New title', scaleMin: '0', scaleMax: '10', 'label-10': 'Outstanding' }),
    )
    expect(response.status).toBe(303)
    const row = await db.selectFrom('evaluation').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect([row.title, row.scale_min, row.scale_max]).toEqual(['New title', 0, 10])
    const edit = await (await app.request(`/evaluations/${id}/edit`)).text()
    expect(edit).toContain('value="New title"')
    expect(edit).toContain('name="label-10" value="Outstanding"')
  })

  it('re-renders the edit form with 422 and saves nothing when the title is removed', async () => {
    const { app, db } = await createTestApp()
    const id = await createEvaluation(app, { title: 'Kept' })
    const response = await postForm(app, `/evaluations/${id}`, evaluationFields({ title: '' }))
    expect(response.status).toBe(422)
    const row = await db.selectFrom('evaluation').select('title').where('id', '=', id).executeTakeFirstOrThrow()
    expect(row.title).toBe('Kept')
  })

  it('archives and restores an evaluation, moving it between the lists', async () => {
    const { app } = await createTestApp()
    const id = await createEvaluation(app, { title: 'To be archived' })
    expect((await postForm(app, `/evaluations/${id}/archive`, {})).status).toBe(303)
    expect(pageText(await (await app.request('/evaluations')).text())).not.toContain('To be archived')
    expect(pageText(await (await app.request('/evaluations?archived=1')).text())).toContain('To be archived')
    expect(pageText(await (await app.request(`/evaluations/${id}`)).text())).toContain('This evaluation is archived')
    await postForm(app, `/evaluations/${id}/restore`, {})
    expect(pageText(await (await app.request('/evaluations')).text())).toContain('To be archived')
  })

  it('answers an unknown or malformed evaluation id with a 404 page', async () => {
    const { app } = await createTestApp()
    for (const path of [
      '/evaluations/999',
      '/evaluations/abc',
      '/evaluations/999/edit',
      '/evaluations/999/options',
      '/evaluations/999/criteria',
      '/evaluations/-1/results',
    ]) {
      const response = await app.request(path)
      expect(response.status, path).toBe(404)
      expect(await response.text(), path).toContain('Page not found')
    }
    expect((await postForm(app, '/evaluations/999/archive', {})).status).toBe(404)
  })

  it('serves htmx and the stylesheet itself, with a content security policy that forbids inline script', async () => {
    const { app } = await createTestApp()
    const htmx = await app.request('/assets/htmx.min.js')
    expect(htmx.status).toBe(200)
    expect(await htmx.text()).toContain('htmx')
    expect((await app.request('/assets/app.css')).headers.get('content-type')).toContain('text/css')
    const page = await app.request('/evaluations')
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(await page.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/)
  })
})

describe('the prompt to set the quality/cost split', () => {
  function file(split: { quality: number; cost: number }, tenderCost: boolean) {
    return parsed({
      format: 'options-appraisal/1',
      title: 'Split prompt',
      split,
      appraisal: { baseYear: 2025, years: 1, discount: 'none' },
      options: [
        { id: 'bau', name: 'Business as usual', baseline: true },
        { id: 't', name: 'Tender' },
      ],
      criteria: [{ id: 'q', name: 'Quality' }],
      costs: [{ option: 'bau', label: 'Running', amount: 100, from: 0 }, ...(tenderCost ? [{ option: 't', label: 'Price', amount: 150, from: 0 }] : [])],
    })
  }

  it('tells the lead and finance, not evaluators or observers, while the split is 100/0 and tenders have costs', async () => {
    const t = await createTestApp()
    const id = await t.importFile(file({ quality: 100, cost: 0 }, true))
    const lead = await (await t.app.request(`/evaluations/${id}`)).text()
    expect(pageText(textOf(lead, 'split-unset'))).toContain('The quality/cost split is still 100/0')
    expect(lead).toContain(`href="/evaluations/${id}/settings#f-splitQuality"`)
    const finance = await t.clientWithRoles(id, ['finance'])
    expect(await (await finance.request(`/evaluations/${id}`)).text()).toContain('id="split-unset"')
    for (const role of ['evaluator', 'observer'] as const) {
      const other = await t.clientWithRoles(id, [role])
      expect(await (await other.request(`/evaluations/${id}`)).text()).not.toContain('id="split-unset"')
    }
  })

  it('says nothing once the split is set, or while only the baseline has costs', async () => {
    const t = await createTestApp()
    for (const [split, tenderCost] of [
      [{ quality: 60, cost: 40 }, true],
      [{ quality: 100, cost: 0 }, false],
    ] as const) {
      const id = await t.importFile(file(split, tenderCost))
      expect(await (await t.app.request(`/evaluations/${id}`)).text()).not.toContain('id="split-unset"')
    }
  })
})
