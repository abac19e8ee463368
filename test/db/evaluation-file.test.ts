import { TEST_ACTOR } from '../changes.js'
import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  computeResults,
  computeResultsFromTotals,
  parseEvaluationFile,
  parseEvaluationText,
  planHash,
  submittedOptions,
  type EvaluationFile,
} from '../../src/appraisal/index.js'
import { hasScores, importEvaluationFile, readEvaluationFile, readResultsInput } from '../../src/db/evaluation-file.js'
import { evaluationInputArbitrary } from '../appraisal/arbitraries.js'
import { largeEvaluation } from '../appraisal/large-evaluation.js'
import { openTestDatabase } from '../database.js'

/** What the file means once defaults are applied: the form export must give back. */
function meaning(value: unknown) {
  const parsed = parseEvaluationFile(value)
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
  return parsed.file
}

/**
 * The file as the app records it: who submitted what is explicit (a file that records no
 * submissions holds final scores, so each evaluator has submitted what they scored without a
 * draft), and every score not submitted is marked a draft.
 */
function recorded(file: EvaluationFile): EvaluationFile {
  const submitted = submittedOptions(file)
  const pairs = new Set([...submitted].flatMap(([evaluator, options]) => options.map((option) => `${evaluator}:${option}`)))
  return {
    ...file,
    evaluators: file.evaluators.map(({ submitted: _, ...evaluator }) => {
      const list = submitted.get(evaluator.id) ?? []
      return list.length > 0 ? { ...evaluator, submitted: [...list] } : evaluator
    }),
    scores: file.scores.map(({ draft: _, ...score }) => (pairs.has(`${score.evaluator}:${score.option}`) ? score : { ...score, draft: true as const })),
  }
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
        const { plan, ...exported } = (await readEvaluationFile(db, id))!
        expect(meaning(JSON.parse(JSON.stringify(exported)))).toEqual(recorded(meaning(input)))
        // A file with no plan that already carries scores has its plan approved at import; the export keeps that.
        expect(plan !== undefined).toBe(hasScores(meaning(input)))
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
    const { plan, ...exported } = (await readEvaluationFile(db, id))!
    expect(exported).toEqual(original.file)
    // It carries scores and no plan: its plan was approved as it stood, at import.
    expect(plan).toMatchObject({ approvedBy: TEST_ACTOR.name, hash: planHash(original.file), changes: [] })
    await db.destroy()
  })

  it("reads the same evaluation without the individual scores' rationales and evidence when asked to", async () => {
    const db = await openTestDatabase()
    const text = readFileSync(new URL('../fixtures/small-evaluation.json', import.meta.url), 'utf8')
    const original = parseEvaluationText(text)
    if (!original.ok) throw new Error(original.errors.join('\n'))
    expect(original.file.scores.some((s) => s.rationale !== undefined)).toBe(true)
    const id = await importEvaluationFile(db, original.file, { actor: TEST_ACTOR })
    const { plan: _plan, ...withoutTexts } = (await readEvaluationFile(db, id, { individualTexts: false }))!
    const scores = original.file.scores.map((s) => ({
      evaluator: s.evaluator,
      option: s.option,
      criterion: s.criterion,
      score: s.score,
      ...(s.draft ? { draft: s.draft } : {}),
    }))
    expect(withoutTexts).toEqual({ ...original.file, scores })
    await db.destroy()
  })

  it('brings back a saved answer the evaluator had not submitted as saved, and a part-typed one as a draft', async () => {
    const db = await openTestDatabase()
    const rationale = 'The demonstration showed every step of the task done.'
    // As the app writes it: e1 has submitted A; B is not submitted, so each of its scores is marked a draft.
    const file = meaning({
      format: 'options-appraisal/1',
      title: 'Drafts',
      panel: { minRationale: 20, tolerance: 1 },
      appraisal: { baseYear: 2026, years: 1 },
      options: [
        { id: 'a', name: 'A' },
        { id: 'b', name: 'B' },
      ],
      criteria: [
        { id: 'c1', name: 'One' },
        { id: 'c2', name: 'Two' },
      ],
      evaluators: [{ id: 'e1', name: 'E. One', submitted: ['a'] }],
      scores: [
        { evaluator: 'e1', option: 'a', criterion: 'c1', score: 3, rationale },
        { evaluator: 'e1', option: 'a', criterion: 'c2', score: 4, rationale },
        { evaluator: 'e1', option: 'b', criterion: 'c1', score: 2, rationale, draft: true },
        { evaluator: 'e1', option: 'b', criterion: 'c2', score: 2, rationale: 'Too short', draft: true },
      ],
    })
    const id = await importEvaluationFile(db, file, { actor: TEST_ACTOR })
    const rows = await db
      .selectFrom('individual_score as s')
      .innerJoin('option as o', 'o.id', 's.option_id')
      .innerJoin('criterion as c', 'c.id', 's.criterion_id')
      .select(['o.key as option', 'c.key as criterion', 's.draft'])
      .where('s.evaluation_id', '=', id)
      .orderBy('s.position')
      .execute()
    expect(rows.map((r) => [r.option, r.criterion, r.draft])).toEqual([
      ['a', 'c1', 0],
      ['a', 'c2', 0],
      ['b', 'c1', 0],
      ['b', 'c2', 1],
    ])
    // B is still not submitted, so nothing of it counts, and the file comes back as it went in.
    const { plan: _plan, ...exported } = (await readEvaluationFile(db, id))!
    expect(meaning(JSON.parse(JSON.stringify(exported)))).toEqual(file)
    expect(computeResults(exported).options.find((o) => o.id === 'b')!.quality).toBe(0)
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
    const { plan, ...exported } = (await readEvaluationFile(db, id))!
    expect(meaning(JSON.parse(JSON.stringify(exported)))).toEqual(recorded(file))
    expect(plan?.hash).toBe(planHash(file))
    await db.destroy()
    // The benchmark's size: a correctness test at scale, given the time it takes on PostgreSQL on a busy machine (over 30 s).
  }, 120_000)

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

/** The results as the results page reads them (cell totals) and from every individual score, or the error each gives. */
async function bothWays(db: Awaited<ReturnType<typeof openTestDatabase>>, id: number) {
  const outcome = (compute: () => unknown) => {
    try {
      return { results: compute() }
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) }
    }
  }
  const full = (await readEvaluationFile(db, id, { individualTexts: false }))!
  const input = (await readResultsInput(db, id))!
  expect(input.file).toEqual({ ...full, scores: [], consensus: [] })
  return { full: outcome(() => computeResults(full)), totals: outcome(() => computeResultsFromTotals(input.file, input.totals)) }
}

describe('reading for results: consensus where there is one, else each cell’s sum and count', () => {
  it('gives the same results as every individual score, with partial consensus, drafts, fractions and unscored cells', async () => {
    const db = await openTestDatabase()
    const file = meaning(largeEvaluation({ options: 4, criteria: 12, evaluators: 3 }))
    const [first, second] = [file.scores[0]!, file.scores[5]!]
    const edited = {
      ...file,
      // e0 has submitted option-0; every other score is a draft, and drafts count as they always have.
      evaluators: file.evaluators.map((e) => (e.id === 'e0' ? { ...e, submitted: ['option-0'] } : e)),
      scores: file.scores
        // A cell nobody has scored yet.
        .filter((s) => !(s.option === 'option-3' && s.criterion === second.criterion))
        // Fractions whose sum depends on the order it is taken in: 0.1 + 0.2 + 0.7.
        .map((s, i) => (s.option === first.option && s.criterion === first.criterion ? { ...s, score: [0.1, 0.2, 0.7][i % 3]! } : s)),
    }
    expect(edited.consensus.length).toBeGreaterThan(0)
    const id = await importEvaluationFile(db, meaning(edited), { actor: TEST_ACTOR })
    const { full, totals } = await bothWays(db, id)
    expect('results' in full).toBe(true)
    expect(totals).toEqual(full)
    await db.destroy()
  })

  it('gives the same results as every individual score for any evaluation', async () => {
    const db = await openTestDatabase()
    await fc.assert(
      fc.asyncProperty(evaluationInputArbitrary(), async (generated) => {
        const id = await importEvaluationFile(db, meaning(JSON.parse(JSON.stringify(generated))), { actor: TEST_ACTOR })
        const { full, totals } = await bothWays(db, id)
        expect(totals).toEqual(full)
      }),
      { numRuns: 40 },
    )
    await db.destroy()
  })
})
