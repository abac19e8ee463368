// Any signed-in account could import a 3 MB file of 100,000 options and freeze the server opening
// its results (10,000 options took 12.5 s). An evaluation's size is now limited (LIMITS), well above
// the largest real evaluation, in the file (with a JSON path) and in the forms (beside the field).

import { describe, expect, it } from 'vitest'
import { LIMITS } from '../../src/appraisal/index.js'
import { largeEvaluation } from '../appraisal/large-evaluation.js'
import { BENCH_SIZE } from '../bench/bench-database.js'
import { createTestAccount, createTestApp, pageText, postForm } from '../helpers.js'
import { errorsOf, fieldError, minimalFile, upload, validFile } from './evaluation-files.js'

const options = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `option-${i}`, name: `Option ${i}` }))
const criteria = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `criterion-${i}`, name: `Criterion ${i}` }))
const line = { option: 'option-0', label: 'Line', amount: 1000, from: 0 }
const sunk = { option: 'option-0', label: 'Spent', amount: 1000 }

describe('the size of an evaluation file', () => {
  it("accepts the benchmark's evaluation: 20 options × 300 criteria × 15 evaluators, with every word a panel writes", () => {
    const file = validFile(largeEvaluation(BENCH_SIZE))
    expect([file.options.length, file.evaluators.length, file.scores.length]).toEqual([20, 15, 90_000])
  })

  it('refuses the 100,000 options of the review with one line, and quickly', () => {
    expect(errorsOf(minimalFile({ options: options(100_000) }))).toEqual([`options: must have at most ${LIMITS.options} entries`])
  })

  const score = { evaluator: 'e', option: 'option-0', criterion: 'criterion-0', score: 1 }
  const consensus = { option: 'option-0', criterion: 'criterion-0', score: 1 }
  const refusals: [string, Record<string, unknown>, string][] = [
    ['too many options', { options: options(LIMITS.options + 1) }, `options: must have at most ${LIMITS.options} entries`],
    ['too many criteria', { options: options(1), criteria: criteria(LIMITS.criteria + 1) }, `criteria: must have at most ${LIMITS.criteria} entries`],
    [
      'too many criteria in groups',
      {
        options: options(1),
        criteria: [
          { id: 'g1', name: 'G1', criteria: criteria(1000) },
          { id: 'g2', name: 'G2', criteria: criteria(2000).slice(1000) },
        ],
      },
      `criteria: holds ${2002} criteria and groups; the limit is ${LIMITS.criteria}`,
    ],
    [
      'too many cells',
      { options: options(LIMITS.options), criteria: criteria(301) },
      `criteria: 100 options × 301 scored criteria make 30100 scores per evaluator; the limit is ${LIMITS.cells}`,
    ],
    [
      'too many evaluators',
      { evaluators: Array.from({ length: LIMITS.evaluators + 1 }, (_, i) => ({ id: `e${i}`, name: `E${i}` })) },
      `evaluators: must have at most ${LIMITS.evaluators} entries`,
    ],
    ['too many scores', { scores: Array.from({ length: LIMITS.scores + 1 }, () => score) }, `scores: must have at most ${LIMITS.scores} entries`],
    [
      'too many consensus',
      { consensus: Array.from({ length: LIMITS.consensus + 1 }, () => consensus) },
      `consensus: must have at most ${LIMITS.consensus} entries`,
    ],
    ['too many cost lines', { costs: Array.from({ length: LIMITS.costs + 1 }, () => line) }, `costs: must have at most ${LIMITS.costs} entries`],
    ['too many benefit lines', { benefits: Array.from({ length: LIMITS.benefits + 1 }, () => line) }, `benefits: must have at most ${LIMITS.benefits} entries`],
    [
      'too many sunk costs',
      { sunkCosts: Array.from({ length: LIMITS.sunkCosts + 1 }, () => sunk) },
      `sunkCosts: must have at most ${LIMITS.sunkCosts} entries`,
    ],
    [
      'too many discount bands',
      {
        appraisal: {
          baseYear: 2025,
          years: 10,
          discount: { schedule: Array.from({ length: LIMITS.discountBands + 1 }, (_, i) => ({ fromYear: i, rate: 0.03 })) },
        },
      },
      `appraisal.discount.schedule: must have at most ${LIMITS.discountBands} entries`,
    ],
    ['a long title', { title: 'T'.repeat(LIMITS.shortText + 1) }, `title: must be at most ${LIMITS.shortText} characters long`],
    [
      'a long name',
      { options: [{ id: 'option-0', name: 'N'.repeat(LIMITS.shortText + 1) }] },
      `options[0].name: must be at most ${LIMITS.shortText} characters long`,
    ],
    ['a long id', { options: [{ id: 'i'.repeat(LIMITS.idLength + 1), name: 'A' }] }, `options[0].id: must be at most ${LIMITS.idLength} characters long`],
    [
      'a long rationale',
      { evaluators: [{ id: 'e', name: 'E' }], scores: [{ ...score, rationale: 'r'.repeat(LIMITS.longText + 1) }] },
      `scores[0].rationale: must be at most ${LIMITS.longText} characters long`,
    ],
    ['long notes', { costs: [{ ...line, notes: 'n'.repeat(LIMITS.longText + 1) }] }, `costs[0].notes: must be at most ${LIMITS.longText} characters long`],
    ['a long summary', { summary: 's'.repeat(LIMITS.longText + 1) }, `summary: must be at most ${LIMITS.longText} characters long`],
  ]
  for (const [what, fields, error] of refusals) {
    it(`refuses ${what} with its JSON path`, () => {
      const file = minimalFile({ options: options(1), criteria: criteria(1), ...fields })
      expect(errorsOf(file)).toContain(error)
    })
  }

  it('refuses an oversized upload on the web with its path, saving nothing', async () => {
    const { app, db } = await createTestApp()
    const response = await upload(app, JSON.stringify(minimalFile({ options: options(100_000) })), 'huge.json')
    expect(response.status).toBe(422)
    expect(pageText(await response.text())).toContain(`options: must have at most ${LIMITS.options} entries`)
    expect(await db.selectFrom('evaluation').select('id').execute()).toEqual([])
  })
})

describe('the size of an evaluation built in the app', () => {
  /** An evaluation at the limits of options and cells: 100 options × 300 criteria. */
  async function full(fields: Record<string, unknown> = {}) {
    const t = await createTestApp()
    const id = await t.importFile(
      validFile(minimalFile({ options: options(LIMITS.options), criteria: [{ id: 'group', name: 'Group', criteria: criteria(300) }], ...fields })),
    )
    const count = async (table: 'option' | 'criterion' | 'money_line' | 'sunk_cost' | 'panel_role') =>
      Number(
        (
          await t.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('evaluation_id', '=', id)
            .executeTakeFirstOrThrow()
        ).n,
      )
    const firstOption = await t.db.selectFrom('option').select('id').where('evaluation_id', '=', id).orderBy('position').executeTakeFirstOrThrow()
    return { ...t, id, count, base: `/evaluations/${id}`, firstOption: firstOption.id }
  }

  it('refuses another option beside its name, saving nothing', async () => {
    const t = await full()
    const response = await postForm(t.app, `${t.base}/options`, { name: 'One too many', supplier: '', product: '', description: '' })
    expect(response.status).toBe(422)
    expect(fieldError(await response.text(), 'name')).toBe(`An evaluation can hold at most ${LIMITS.options} options`)
    expect(await t.count('option')).toBe(LIMITS.options)
  })

  it('refuses another criterion to score when options × criteria would pass the limit, saving nothing', async () => {
    const t = await full()
    const group = await t.db.selectFrom('criterion').select('id').where('evaluation_id', '=', t.id).where('key', '=', 'group').executeTakeFirstOrThrow()
    const response = await postForm(t.app, `${t.base}/criteria`, {
      name: 'One too many',
      kind: 'criterion',
      parent: String(group.id),
      weight: '1',
      guidance: '',
    })
    expect(response.status).toBe(422)
    expect(fieldError(await response.text(), 'parent')).toBe(
      '100 options × 301 criteria to score would give each panel member 30,100 scores to give; the most is 30,000',
    )
    expect(await t.count('criterion')).toBe(301)
  })

  it('refuses to nest criteria deeper than the limit, beside where it goes, saving nothing', async () => {
    const t = await createTestApp()
    let node: Record<string, unknown> = { id: `level-${LIMITS.criteriaDepth}`, name: 'Deepest' }
    for (let level = LIMITS.criteriaDepth - 1; level >= 1; level--) node = { id: `level-${level}`, name: `Level ${level}`, criteria: [node] }
    const id = await t.importFile(validFile(minimalFile({ criteria: [node, { id: 'other', name: 'Other', criteria: [{ id: 'leaf', name: 'Leaf' }] }] })))
    const key = async (k: string) =>
      (await t.db.selectFrom('criterion').select('id').where('evaluation_id', '=', id).where('key', '=', k).executeTakeFirstOrThrow()).id
    const deepestGroup = await key(`level-${LIMITS.criteriaDepth - 1}`)
    const other = await key('other')
    const response = await postForm(t.app, `/evaluations/${id}/criteria/${other}`, {
      name: 'Other',
      kind: 'group',
      parent: String(deepestGroup),
      weight: '1',
      guidance: '',
    })
    expect(response.status).toBe(422)
    expect(fieldError(await response.text(), 'parent')).toBe(`Criteria can be nested at most ${LIMITS.criteriaDepth} levels deep`)
    const stored = await t.db.selectFrom('criterion').select('parent_id').where('id', '=', other).executeTakeFirstOrThrow()
    expect(stored.parent_id).toBeNull()
  })

  it('refuses another evaluator beyond the panel’s limit beside the email, saving nothing', async () => {
    const t = await full({ evaluators: Array.from({ length: LIMITS.evaluators }, (_, i) => ({ id: `e${i}`, name: `E${i}` })) })
    await createTestAccount(t.db, { email: 'one-too-many@example.test' })
    const before = await t.count('panel_role')
    const response = await postForm(t.app, `${t.base}/panel`, { email: 'one-too-many@example.test', role: 'evaluator' })
    expect(response.status).toBe(422)
    expect(fieldError(await response.text(), 'email')).toBe(`A panel can have at most ${LIMITS.evaluators} members`)
    expect(await t.count('panel_role')).toBe(before)
  })

  it('refuses another cost line and another sunk cost beyond the limits, saving nothing', async () => {
    const t = await full({
      costs: Array.from({ length: LIMITS.costs }, () => line),
      sunkCosts: Array.from({ length: LIMITS.sunkCosts }, () => sunk),
    })
    const path = `${t.base}/costs/${t.firstOption}`
    // Finance models the costs: while the panel moderates, the cost model is sealed from the lead (decision 17).
    const finance = await t.clientWithRoles(t.id, ['finance'])
    const cost = await postForm(finance, `${path}/lines`, {
      kind: 'cost',
      label: 'One too many',
      type: 'operating',
      amount: '1000',
      from: '2025',
      to: '',
      growth: '',
      optimismBias: '',
      rangeLow: '',
      rangeHigh: '',
      notes: '',
    })
    expect(cost.status).toBe(422)
    expect(fieldError(await cost.text(), 'label')).toBe(`An evaluation can hold at most ${LIMITS.costs.toLocaleString('en-GB')} cost lines`)
    const sunkCost = await postForm(finance, `${path}/sunk`, { label: 'One too many', category: '', amount: '1000', notes: '' })
    expect(sunkCost.status).toBe(422)
    expect(fieldError(await sunkCost.text(), 'label')).toBe(`An evaluation can hold at most ${LIMITS.sunkCosts.toLocaleString('en-GB')} sunk costs`)
    expect([await t.count('money_line'), await t.count('sunk_cost')]).toEqual([LIMITS.costs, LIMITS.sunkCosts])
  })
})
