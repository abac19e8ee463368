// Growth, optimism bias, ranges and rates up to 1e308 passed the forms and the file, giving Infinity
// and NaN figures and a 500 on the PDF (and so on finalising); a 309-digit rate was stored as null
// and the export became invalid. Every number now has a documented range (BOUNDS), in the file and
// the forms alike, and the engine refuses by name a figure that still overflows.

import { describe, expect, it } from 'vitest'
import { BOUNDS, computeResults, FigureOutOfRangeError } from '../../src/appraisal/index.js'
import { readEvaluationFile } from '../../src/db/evaluation-file.js'
import { completeConsensus } from '../appraisal/factories.js'
import { createEvaluation, createTestApp, pageText, postForm } from '../helpers.js'
import { appraiseFile, errorsOf, fieldError, minimalFile, validFile } from './evaluation-files.js'

const HUGE = 1e308
const DIGITS_309 = `1${'0'.repeat(309)}`

const line = (fields: Record<string, unknown>) => ({ option: 'a', label: 'Line', amount: 1000, from: 0, ...fields })

describe('numbers in the file', () => {
  const refusals: [string, Record<string, unknown>, string][] = [
    ['an amount above 1e15', { costs: [line({ amount: 1e16 })] }, 'costs[0].amount: must be at most 1e15'],
    ['growth of 1e308', { costs: [line({ growth: HUGE })] }, 'costs[0].growth: must be at most 1'],
    ['growth of −100%', { benefits: [line({ growth: -1 })] }, 'benefits[0].growth: must be at least -0.99'],
    ['optimism bias of 1e308', { costs: [line({ optimismBias: HUGE })] }, 'costs[0].optimismBias: must be at most 3'],
    ['a range of 1e308', { costs: [line({ range: { low: 0.5, high: HUGE } })] }, 'costs[0].range.high: must be at most 10'],
    ['a discount rate of 1e308', { appraisal: { baseYear: 2025, years: 10, discount: { rate: HUGE } } }, 'appraisal.discount.rate: must be at most 1'],
    [
      'a band of 1e308',
      { appraisal: { baseYear: 2025, years: 10, discount: { schedule: [{ fromYear: 1, rate: HUGE }] } } },
      'appraisal.discount.schedule[0].rate: must be at most 1',
    ],
    [
      'a default optimism bias of 1e308',
      { appraisal: { baseYear: 2025, years: 10, optimismBias: { capital: HUGE } } },
      'appraisal.optimismBias.capital: must be at most 3',
    ],
    ['a base year of 1e9', { appraisal: { baseYear: 1e9, years: 10 } }, 'appraisal.baseYear: must be at most 2200'],
    ['a weight of 1e308', { criteria: [{ id: 'quality', name: 'Quality', weight: HUGE }] }, 'criteria[0].weight: must be at most 1000000'],
    ['a split of 1e308', { split: { quality: HUGE, cost: 1 } }, 'split.quality: must be at most 1000000'],
    ['a scale up to 1e9', { scale: { min: 0, max: 1e9 } }, 'scale.max: must be at most 1000'],
    ['a scale of 1,001 levels', { scale: { min: 0, max: 1000 } }, 'scale.max: must be at most 100: a scale has at most 101 levels'],
    ['a year index of 1e9', { costs: [line({ to: 1e9 })] }, 'costs[0].to: must be at most 999'],
    ['a tolerance of 1e308', { panel: { tolerance: HUGE } }, 'panel.tolerance: must be at most 100'],
  ]
  for (const [what, fields, error] of refusals) {
    it(`refuses ${what} with its JSON path`, () => {
      expect(errorsOf(minimalFile(fields))).toEqual([error])
    })
  }

  it('accepts every number at the ends of its range', () => {
    const { amount, growth, optimismBias, rangeLow, rangeHigh, discountRate } = BOUNDS
    const file = validFile(
      minimalFile({
        appraisal: {
          baseYear: 2025,
          years: 10,
          discount: {
            schedule: [
              { fromYear: 0, rate: discountRate.min },
              { fromYear: 5, rate: discountRate.max },
            ],
          },
        },
        costs: [line({ amount: amount.max, to: 9, growth: growth.max, optimismBias: optimismBias.max, range: { low: rangeLow.min, high: rangeHigh.max } })],
        benefits: [line({ amount: amount.max, to: 9, growth: growth.min })],
      }),
    )
    for (const figure of [computeResults(file).options[0]!.pvCost, computeResults(file).options[0]!.pvBenefit]) expect(Number.isFinite(figure)).toBe(true)
  })
})

/** Valid by every bound, yet 100% growth a year for a thousand years overflows: 1e15 × 2^999. */
const overflowing = minimalFile({ appraisal: { baseYear: 2025, years: 1000, discount: 'none' }, costs: [line({ amount: 1e15, to: 999, growth: 1 })] })
const overflowMessage = 'costs[0]: the present value is too large to compute as a number; check the amounts, growth, optimism bias and discounting'

describe('a figure that would not be finite', () => {
  it('is refused by the engine by name, not given as Infinity', () => {
    const file = validFile(overflowing)
    expect(() => computeResults(file)).toThrow(FigureOutOfRangeError)
    expect(() => computeResults(file)).toThrow(overflowMessage)
  })

  it('gives the results page, the sensitivity page and the PDF a 422 that says why, not a 500', async () => {
    const { app, importFile } = await createTestApp()
    const id = await importFile(completeConsensus(validFile(overflowing)))
    for (const page of ['results', 'sensitivity', 'report.pdf']) {
      const response = await app.request(`/evaluations/${id}/${page}`)
      expect(response.status, page).toBe(422)
      expect(pageText(await response.text()), page).toContain(overflowMessage)
    }
  })

  it('is refused by appraise results on stderr', async () => {
    expect(await appraiseFile((file) => ['results', file], JSON.stringify(overflowing))).toEqual({ code: 1, stdout: '', stderr: `${overflowMessage}\n` })
  })
})

describe('numbers in the forms', () => {
  async function costsPage() {
    const t = await createTestApp()
    const id = await t.importFile(validFile(minimalFile()))
    const option = await t.db.selectFrom('option').select('id').where('evaluation_id', '=', id).executeTakeFirstOrThrow()
    // Finance models the costs: while the panel moderates, the cost model is sealed from the lead (decision 17).
    return { ...t, app: await t.clientWithRoles(id, ['finance']), id, path: `/evaluations/${id}/costs/${option.id}/lines` }
  }
  const goodLine = {
    kind: 'cost',
    label: 'Licences',
    type: 'operating',
    amount: '1000',
    from: '2025',
    to: '2030',
    growth: '',
    optimismBias: '',
    rangeLow: '',
    rangeHigh: '',
    notes: '',
  }
  const lineRefusals: [string, Record<string, string>, string, string][] = [
    ['an amount of 1e308', { amount: '1e308' }, 'amount', 'The amount per year must be at most 1,000,000,000,000,000'],
    ['growth of 1e308', { growth: '1e308' }, 'growth', 'Real growth must be from −99% to +100% a year'],
    ['growth of 309 digits', { growth: DIGITS_309 }, 'growth', 'Real growth must be a percentage, like 2 for 2% a year or -1 for a fall of 1% a year'],
    ['optimism bias of 1e308', { optimismBias: '1e308' }, 'optimismBias', 'Optimism bias must be at most 300%'],
    [
      'a range of 1e308',
      { rangeLow: '0.9', rangeHigh: '1e308' },
      'rangeHigh',
      'The high end of the range must be from 1 to 10 (1.5 means 50% above the estimate)',
    ],
  ]
  for (const [what, fields, field, message] of lineRefusals) {
    it(`refuses a cost line with ${what} beside the field, saving nothing`, async () => {
      const t = await costsPage()
      const response = await postForm(t.app, t.path, { ...goodLine, ...fields })
      expect(response.status).toBe(422)
      expect(fieldError(await response.text(), field)).toBe(message)
      expect(await t.db.selectFrom('money_line').select('id').execute()).toEqual([])
    })
  }

  const settings = {
    currency: 'GBP',
    baseYear: '2025',
    years: '10',
    discount: 'rate',
    discountRate: '3.5',
    discountSchedule: '',
    optimismBiasCapital: '0',
    optimismBiasOperating: '0',
    splitQuality: '100',
    splitCost: '0',
    priceFormula: 'relative-to-lowest',
  }
  const settingRefusals: [string, Record<string, string>, string, string][] = [
    ['a rate of 1e308', { discountRate: '1e308' }, 'discountRate', 'The discount rate must be from −10% to +100%'],
    ['a rate of 309 digits', { discountRate: DIGITS_309 }, 'discountRate', 'The discount rate must be a percentage, like 3.5'],
    [
      'a band of 1e308',
      { discount: 'schedule', discountSchedule: `1: ${DIGITS_309}` },
      'discountSchedule',
      'Line 1 of the schedule: the rate must be from −10% to +100%',
    ],
    ['optimism bias of 1e308', { optimismBiasCapital: '1e308' }, 'optimismBiasCapital', 'The optimism bias must be at most 300%'],
    ['a split of 1e308', { splitCost: '1e308' }, 'splitCost', 'The weight of cost must be 1,000,000 or less'],
  ]
  for (const [what, fields, field, message] of settingRefusals) {
    it(`refuses settings with ${what} beside the field, storing nothing`, async () => {
      const t = await createTestApp()
      const id = await createEvaluation(t.app)
      const path = `/evaluations/${id}/settings`
      const before = await readEvaluationFile(t.db, id)
      const response = await postForm(t.app, path, { ...settings, ...fields })
      expect(response.status).toBe(422)
      expect(fieldError(await response.text(), field)).toBe(message)
      expect(await readEvaluationFile(t.db, id)).toEqual(before)
    })
  }
})
