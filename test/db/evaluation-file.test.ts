import { TEST_ACTOR } from '../changes.js'
import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseEvaluationFile, parseEvaluationText } from '../../src/appraisal/index.js'
import { importEvaluationFile, readEvaluationFile } from '../../src/db/evaluation-file.js'
import { evaluationInputArbitrary } from '../appraisal/arbitraries.js'
import { largeEvaluation } from '../appraisal/large-evaluation.js'
import { openTestDatabase } from '../database.js'

/** What the file means once defaults are applied: the form export must give back. */
function meaning(value: unknown) {
  const parsed = parseEvaluationFile(value)
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
  return parsed.file
}

describe('storing an evaluation file', () => {
  it('gives back the same evaluation on export: export(import(file)) equals the file', async () => {
    const db = await openTestDatabase()
    await fc.assert(
      fc.asyncProperty(evaluationInputArbitrary(), async (generated) => {
        // Both sides through JSON, as a file travels (it has no -0, for one), and through the schema,
        // so that key order and defaults don't matter.
        const input: unknown = JSON.parse(JSON.stringify(generated))
        const id = await importEvaluationFile(db, meaning(input), { actor: TEST_ACTOR })
        const exported = await readEvaluationFile(db, id)
        expect(meaning(JSON.parse(JSON.stringify(exported)))).toEqual(meaning(input))
      }),
      { numRuns: 60 },
    )
    await db.destroy()
  })

  it('keeps every optional field of the hand-written fixture', async () => {
    const db = await openTestDatabase()
    const text = readFileSync(new URL('../fixtures/small-evaluation.json', import.meta.url), 'utf8')
    const original = parseEvaluationText(text)
    if (!original.ok) throw new Error(original.errors.join('\n'))
    const id = await importEvaluationFile(db, original.file, { actor: TEST_ACTOR })
    const exported = await readEvaluationFile(db, id)
    expect(exported).toEqual(original.file)
    await db.destroy()
  })

  it("reads the same evaluation without the individual scores' rationales and evidence when asked to", async () => {
    const db = await openTestDatabase()
    const text = readFileSync(new URL('../fixtures/small-evaluation.json', import.meta.url), 'utf8')
    const original = parseEvaluationText(text)
    if (!original.ok) throw new Error(original.errors.join('\n'))
    expect(original.file.scores.some((s) => s.rationale !== undefined)).toBe(true)
    const id = await importEvaluationFile(db, original.file, { actor: TEST_ACTOR })
    const withoutTexts = await readEvaluationFile(db, id, { individualTexts: false })
    const scores = original.file.scores.map((s) => ({ evaluator: s.evaluator, option: s.option, criterion: s.criterion, score: s.score }))
    expect(withoutTexts).toEqual({ ...original.file, scores })
    await db.destroy()
  })

  it('imports a large evaluation (90,000 scores) in one transaction and reads it back', async () => {
    const db = await openTestDatabase()
    const file = meaning(largeEvaluation({ options: 20, criteria: 300, evaluators: 15 }))
    const id = await importEvaluationFile(db, file, { actor: TEST_ACTOR })
    const count = await db
      .selectFrom('individual_score')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('evaluation_id', '=', id)
      .executeTakeFirstOrThrow()
    expect(Number(count.n)).toBe(90_000)
    expect(meaning(JSON.parse(JSON.stringify(await readEvaluationFile(db, id))))).toEqual(file)
    await db.destroy()
  })

  it('leaves nothing behind when a write fails part-way through an import', async () => {
    const db = await openTestDatabase()
    const file = meaning(largeEvaluation({ options: 3, criteria: 10, evaluators: 2 }))
    // A score for a criterion the tree does not hold cannot be stored: the insert fails after the
    // evaluation, options and criteria were written, and the transaction must undo them.
    const broken = { ...file, scores: [...file.scores, { ...file.scores[0]!, criterion: 'not-in-the-tree' }] }
    await expect(importEvaluationFile(db, broken, { actor: TEST_ACTOR })).rejects.toThrow()
    for (const table of ['evaluation', 'option', 'criterion', 'individual_score'] as const) {
      expect(await db.selectFrom(table).select('id').execute(), table).toEqual([])
    }
    await db.destroy()
  })

  it('reads nothing for an evaluation that does not exist', async () => {
    const db = await openTestDatabase()
    expect(await readEvaluationFile(db, 12345)).toBeUndefined()
    await db.destroy()
  })
})
