// A criteria tree nested 1,000 deep overflowed the stack: a 500 on the web import, a crash of the
// appraise command. It is refused with the path of the first criterion too deep, before any
// recursive code (the schema's own, the weights, the report) sees it.

import { describe, expect, it } from 'vitest'
import { LIMITS, parseEvaluationText } from '../../src/appraisal/index.js'
import { createTestApp, pageText } from '../helpers.js'
import { appraiseFile, minimalFile, upload, validFile } from './evaluation-files.js'

/** A chain of groups `depth` levels deep, ending in one criterion. */
function chain(depth: number): Record<string, unknown> {
  let node: Record<string, unknown> = { id: `level-${depth}`, name: `Level ${depth}` }
  for (let level = depth - 1; level >= 1; level--) node = { id: `level-${level}`, name: `Level ${level}`, criteria: [node] }
  return node
}

const deepText = JSON.stringify(minimalFile({ criteria: [chain(1000)] }))
const firstTooDeep = `criteria[0]${'.criteria[0]'.repeat(LIMITS.criteriaDepth)}`
const deepError = `${firstTooDeep}: criteria are nested more than ${LIMITS.criteriaDepth} levels deep; the limit is ${LIMITS.criteriaDepth}`

describe('a criteria tree nested too deep', () => {
  it('is refused with the path of the first criterion too deep, not a stack overflow', () => {
    expect(parseEvaluationText(deepText)).toEqual({ ok: false, errors: [deepError] })
  })

  it('is refused one level past the limit, and accepted at the limit', () => {
    expect(parseEvaluationText(JSON.stringify(minimalFile({ criteria: [chain(LIMITS.criteriaDepth + 1)] })))).toEqual({ ok: false, errors: [deepError] })
    expect(validFile(minimalFile({ criteria: [chain(LIMITS.criteriaDepth)] })).criteria[0]?.id).toBe('level-1')
  })

  it('refuses JSON nested 100,000 deep anywhere else in the file with its path', () => {
    const text = JSON.stringify(minimalFile()).replace(/}$/, `,"summary":${'['.repeat(100_000)}${']'.repeat(100_000)}}`)
    const parsed = parseEvaluationText(text)
    expect(parsed.ok).toBe(false)
    expect(parsed.ok ? [] : parsed.errors).toEqual([expect.stringMatching(/^summary(\[0\])+: is nested more than \d+ levels deep$/)])
  })

  it('is refused by the web import with its path, and nothing is saved', async () => {
    const { app, db } = await createTestApp()
    const response = await upload(app, deepText, 'deep.json')
    expect(response.status).toBe(422)
    const text = pageText(await response.text())
    expect(text).toContain('deep.json was not imported')
    expect(text).toContain(deepError)
    expect(await db.selectFrom('evaluation').select('id').execute()).toEqual([])
  })

  it('is refused by appraise results with its path on stderr and nothing on stdout', async () => {
    const outcome = await appraiseFile((file) => ['results', file], deepText)
    expect(outcome).toEqual({ code: 1, stdout: '', stderr: `${deepError}\n` })
  })
})
