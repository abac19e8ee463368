import { describe, expect, it } from 'vitest'
import { computeResults, prepareModel, type AppraisalResults, type OptionResult } from '../../src/appraisal/index.js'
import { evaluation, parsed, rankReversalInput, workedExampleInput } from './factories.js'

function option(results: AppraisalResults, id: string): OptionResult {
  const found = results.options.find((entry) => entry.id === id)
  if (found === undefined) throw new Error(`no option ${id}`)
  return found
}

// Discount factors at 10%: 1, 1/1.1 = 0.909091, 1/1.21 = 0.826446; their sum is 3.31/1.21 = 2.735537.
const SUM_DF = 1 + 1 / 1.1 + 1 / 1.21

describe('the worked example of docs/maths.md', () => {
  const results = computeResults(parsed(workedExampleInput()))

  it('resolves each score from the consensus, else the mean of the individual scores', () => {
    // Effective weights: recording 0.6 × 2/3 = 0.4, search 0.6 × 1/3 = 0.2, service 0.4.
    // retain: 100 × (0.4 × 2 + 0.2 × 3 + 0.4 × 3) / 5 = 100 × 2.6 / 5 = 52
    expect(option(results, 'retain').quality).toBeCloseTo(52, 12)
    // alpha: recording = mean(4, 5) = 4.5; search = consensus 4 (the individual 3 and 5 are not used)
    // 100 × (0.4 × 4.5 + 0.2 × 4 + 0.4 × 3) / 5 = 100 × 3.8 / 5 = 76
    expect(option(results, 'alpha').quality).toBeCloseTo(76, 12)
    expect(option(results, 'beta').quality).toBeCloseTo(100, 12)
  })

  it('reports each top-level group, and a top-level criterion, with contributions summing to quality', () => {
    // alpha functional: 100 × (2/3 × 4.5 + 1/3 × 4) / 5 = 86.667, contributing 0.6 × 86.667 = 52
    // alpha service: 100 × 3 / 5 = 60, contributing 0.4 × 60 = 24; 52 + 24 = 76
    const groups = option(results, 'alpha').groups
    expect(groups.map((group) => group.id)).toEqual(['functional', 'service'])
    expect(groups[0]?.name).toBe('Functional fit')
    expect(groups[0]?.score).toBeCloseTo(86.666666666667, 10)
    expect(groups[0]?.contribution).toBeCloseTo(52, 12)
    expect(groups[1]?.score).toBeCloseTo(60, 12)
    expect(groups[1]?.contribution).toBeCloseTo(24, 12)
    // retain functional: 100 × (2/3 × 2 + 1/3 × 3) / 5 = 46.667, contributing 28; 28 + 24 = 52
    expect(option(results, 'retain').groups[0]?.contribution).toBeCloseTo(28, 12)
  })

  it('makes an option that fails a gate ineligible, without price score, total or rank', () => {
    const beta = option(results, 'beta')
    expect(beta).toMatchObject({ eligible: false, failedGates: ['live'], priceScore: null, total: null, rank: null })
    expect(option(results, 'alpha')).toMatchObject({ eligible: true, failedGates: [] })
  })

  it('grows costs in real terms, adds optimism bias, and discounts them', () => {
    // alpha: implementation 200 capital × (1 + 0.5 capital optimism bias) = 300 in year 0;
    // licences 50 × 1.1^(t) = 50, 55, 60.5 (operating, optimism bias 0)
    // pvCost = 350 + 55 / 1.1 + 60.5 / 1.21 = 350 + 50 + 50 = 450
    const alpha = option(results, 'alpha')
    expect(alpha.undiscountedCost).toBeCloseTo(465.5, 10)
    expect(alpha.pvCost).toBeCloseTo(450, 10)
    expect(alpha.years[0]?.cost).toBe(350)
    expect(alpha.years[1]?.cost).toBeCloseTo(55, 12)
    expect(alpha.years[2]?.cost).toBeCloseTo(60.5, 12)
    expect(alpha.years[1]).toMatchObject({ year: 1, calendarYear: 2025, benefit: 200 })
    expect(alpha.years[1]?.discountFactor).toBeCloseTo(1 / 1.1, 15)
    expect(alpha.years[2]?.pvCost).toBeCloseTo(50, 10)
    expect(alpha.years[2]?.pvBenefit).toBeCloseTo(200 / 1.21, 10)
    // benefits 200 in years 1 and 2: 181.818 + 165.289 = 347.107
    expect(alpha.pvBenefit).toBeCloseTo(420 / 1.21, 10)
    // eac = 450 / 2.735537 = 164.5015
    expect(alpha.eac).toBeCloseTo(450 / SUM_DF, 10)
  })

  it('gives a constant yearly cost an equivalent annual cost equal to it', () => {
    // retain: 100 a year; pvCost = 100 × 2.735537 = 273.5537; eac = 100
    const retain = option(results, 'retain')
    expect(retain.pvCost).toBeCloseTo(331 / 1.21, 10)
    expect(retain.eac).toBeCloseTo(100, 10)
  })

  it('measures npsv and bcr against the baseline', () => {
    // alpha npsv = (347.107 − 450) − (0 − 273.554) = 170.661
    // alpha bcr = (347.107 − 0) / (450 − 273.554) = (420/1.21) / (213.5/1.21) = 120/61 = 1.9672
    const alpha = option(results, 'alpha')
    expect(alpha.npsv).toBeCloseTo(420 / 1.21 - 450 + 331 / 1.21, 10)
    expect(alpha.bcr).toBeCloseTo(120 / 61, 12)
    // beta costs less than the baseline, so its bcr has no meaning: null; npsv = −100 + 273.554
    expect(option(results, 'beta').bcr).toBeNull()
    expect(option(results, 'beta').npsv).toBeCloseTo(331 / 1.21 - 100, 10)
    expect(option(results, 'retain')).toMatchObject({ baseline: true, npsv: 0, bcr: null })
  })

  it('reports sunk costs separately and leaves them out of the appraisal', () => {
    expect(option(results, 'retain').sunkCost).toBe(5000)
    expect(option(results, 'retain').pvCost).toBeCloseTo(273.553719, 6)
  })

  it('scores price relative to the lowest eligible cost and weighs it with quality by the split', () => {
    // lowest eligible pvCost is retain's 273.554 (beta's 100 is not eligible)
    // alpha price = 100 × 273.554 / 450 = 60.790; total = 0.7 × 76 + 0.3 × 60.790 = 71.437
    // retain price = 100; total = 0.7 × 52 + 0.3 × 100 = 66.4
    expect(option(results, 'retain').priceScore).toBe(100)
    expect(option(results, 'alpha').priceScore).toBeCloseTo((100 * 331) / 1.21 / 450, 10)
    expect(option(results, 'alpha').total).toBeCloseTo(53.2 + (0.3 * 100 * 331) / 1.21 / 450, 10)
    expect(option(results, 'retain').total).toBeCloseTo(66.4, 10)
  })

  it('ranks eligible options by total and names the preferred option', () => {
    expect(results.options.map((entry) => entry.rank)).toEqual([2, 1, null])
    expect(results.preferred).toBe('alpha')
    expect(results.complete).toBe(true)
    expect(results.warnings).toEqual([])
    expect(results.format).toBe('options-appraisal-results/1')
  })

  it('lists every field of the contract for each option, in the file order', () => {
    expect(results.options.map((entry) => entry.id)).toEqual(['retain', 'alpha', 'beta'])
    expect(Object.keys(results.options[0] ?? {})).toEqual([
      'id', 'name', 'baseline', 'eligible', 'failedGates', 'complete', 'quality', 'priceScore', 'total', 'rank',
      'pvCost', 'pvBenefit', 'undiscountedCost', 'npsv', 'bcr', 'eac', 'sunkCost', 'groups', 'years',
    ])
  })
})

describe('price per quality point', () => {
  it('scores the lowest cost per quality point 100 and the others in proportion', () => {
    const results = computeResults(parsed({ ...workedExampleInput(), priceFormula: 'price-per-quality-point' }))
    // retain: 273.554 / 52 = 5.2606 per point (lowest) → 100; alpha: 450 / 76 = 5.9211 → 100 × 5.2606 / 5.9211 = 88.846
    const alphaPrice = (100 * (331 / 1.21 / 52)) / (450 / 76)
    expect(option(results, 'retain').priceScore).toBe(100)
    expect(option(results, 'alpha').priceScore).toBeCloseTo(alphaPrice, 10)
    // alpha total = 0.7 × 76 + 0.3 × 88.846 = 79.854
    expect(option(results, 'alpha').total).toBeCloseTo(53.2 + 0.3 * alphaPrice, 10)
  })

  it('scores an option with quality 0 zero, and one costing nothing 100', () => {
    const file = evaluation({
      split: { quality: 50, cost: 50 },
      priceFormula: 'price-per-quality-point',
      appraisal: { baseYear: 2024, years: 1, discount: 'none' },
      options: [
        { id: 'free', name: 'Free' },
        { id: 'useless', name: 'Useless' },
        { id: 'paid', name: 'Paid' },
      ],
      consensus: [
        { option: 'free', criterion: 'q', score: 2 },
        { option: 'useless', criterion: 'q', score: 0 },
        { option: 'paid', criterion: 'q', score: 5 },
      ],
      costs: [
        { option: 'useless', label: 'Price', amount: 10, from: 0 },
        { option: 'paid', label: 'Price', amount: 50, from: 0 },
      ],
    })
    const results = computeResults(file)
    expect(results.options.map((entry) => entry.priceScore)).toEqual([100, 0, 0])
  })
})

describe('relative-to-lowest price scores', () => {
  it('give an option costing nothing 100', () => {
    const file = parsed(rankReversalInput([{ id: 'a', quality: 50, price: 0 }, { id: 'b', quality: 50, price: 10 }]))
    // lowest is 0: a scores 100; b scores 100 × 0 / 10 = 0
    expect(computeResults(file).options.map((entry) => entry.priceScore)).toEqual([100, 0])
  })

  it('ignore the costs of options that fail a gate', () => {
    const input = rankReversalInput([
      { id: 'a', quality: 60, price: 100 },
      { id: 'b', quality: 90, price: 150 },
      { id: 'cheap', quality: 20, price: 10 },
    ])
    const file = parsed({
      ...input,
      criteria: [...(input.criteria ?? []), { id: 'gate', name: 'Gate', gate: true }],
      consensus: [...(input.consensus ?? []), { option: 'cheap', criterion: 'gate', score: 0 }],
    })
    const results = computeResults(file)
    // the lowest eligible price is a's 100: a 100, b 66.667
    expect(option(results, 'a').priceScore).toBe(100)
    expect(option(results, 'b').priceScore).toBeCloseTo(200 / 3, 12)
  })
})

describe('ranks', () => {
  it('share a rank between equal totals and skip the next (1, 1, 3), with no preferred option', () => {
    const file = parsed(
      rankReversalInput([
        { id: 'a', quality: 60, price: 100 },
        { id: 'b', quality: 60, price: 100 },
        { id: 'c', quality: 40, price: 100 },
      ]),
    )
    const results = computeResults(file)
    // totals: a = b = (60 + 100) / 2 = 80; c = (40 + 100) / 2 = 70
    expect(results.options.map((entry) => entry.rank)).toEqual([1, 1, 3])
    expect(results.preferred).toBeNull()
    expect(results.warnings).toEqual(['no option is preferred: "a" and "b" tie for first place on 80'])
  })

  it('treat totals within 1e-9 of each other as equal', () => {
    const file = parsed(
      rankReversalInput([
        { id: 'a', quality: 60, price: 100 },
        { id: 'b', quality: 60 + 1e-10, price: 100 },
      ]),
    )
    expect(computeResults(file).options.map((entry) => entry.rank)).toEqual([1, 1])
  })

  it('say when no option is eligible', () => {
    const file = evaluation({
      options: [{ id: 'a', name: 'A' }, { id: 'b', name: 'B' }],
      criteria: [{ id: 'q', name: 'Q' }, { id: 'gate', name: 'Gate', gate: true }],
      consensus: [
        { option: 'a', criterion: 'gate', score: 0 },
        { option: 'b', criterion: 'gate', score: 0 },
        { option: 'a', criterion: 'q', score: 1 },
        { option: 'b', criterion: 'q', score: 1 },
      ],
    })
    const results = computeResults(file)
    expect(results.preferred).toBeNull()
    expect(results.options.map((entry) => entry.rank)).toEqual([null, null])
    expect(results.warnings).toEqual(['no option is eligible: every option fails at least one gate'])
  })
})

describe('the methodology rank-reversal example', () => {
  it('has A beating B 80 to 78.3 at 50/50 relative-to-lowest', () => {
    const results = computeResults(parsed(rankReversalInput([{ id: 'a', quality: 60, price: 100 }, { id: 'b', quality: 90, price: 150 }])))
    // A: price 100, total (60 + 100) / 2 = 80; B: price 100 × 100 / 150 = 66.667, total (90 + 66.667) / 2 = 78.333
    expect(option(results, 'a').total).toBe(80)
    expect(option(results, 'b').total).toBeCloseTo(78.333333333333, 10)
    expect(results.preferred).toBe('a')
  })

  it('has B beating A 65 to 60 once C (20, 60) is added', () => {
    const results = computeResults(
      parsed(
        rankReversalInput([
          { id: 'a', quality: 60, price: 100 },
          { id: 'b', quality: 90, price: 150 },
          { id: 'c', quality: 20, price: 60 },
        ]),
      ),
    )
    // lowest price is now 60: A price 60, total 60; B price 40, total 65; C price 100, total 60
    expect(option(results, 'a').total).toBe(60)
    expect(option(results, 'b').total).toBe(65)
    expect(option(results, 'c').total).toBe(60)
    expect(results.preferred).toBe('b')
  })
})

describe('scores that are missing', () => {
  const file = evaluation({
    options: [{ id: 'a', name: 'A' }, { id: 'b', name: 'B' }],
    criteria: [{ id: 'x', name: 'X' }, { id: 'y', name: 'Y' }, { id: 'gate', name: 'Gate', gate: true }],
    consensus: [
      { option: 'a', criterion: 'x', score: 4 },
      { option: 'a', criterion: 'y', score: 4 },
      { option: 'a', criterion: 'gate', score: 1 },
      { option: 'b', criterion: 'x', score: 4 },
    ],
  })
  const results = computeResults(file)

  it('count as the bottom of the scale and make the option incomplete', () => {
    // b: x = 4, y missing → 0: 100 × (0.5 × 4 + 0.5 × 0) / 5 = 40
    expect(option(results, 'b').quality).toBeCloseTo(40, 12)
    expect(option(results, 'b').complete).toBe(false)
    expect(option(results, 'a').complete).toBe(true)
    expect(results.complete).toBe(false)
  })

  it('do not fail a gate, but make the option incomplete', () => {
    expect(option(results, 'b').eligible).toBe(true)
  })

  it('are named in a warning', () => {
    expect(results.warnings).toContain(
      'option "b" is incomplete: 1 of 2 criteria has no score and counts as 0, the bottom of the scale; 1 of 1 gate has no score and was not applied',
    )
  })

  it('are counted in the warning when there are several', () => {
    const several = computeResults(evaluation({ criteria: [{ id: 'x', name: 'X' }, { id: 'y', name: 'Y' }] }))
    expect(several.warnings).toEqual([
      'option "a" is incomplete: 2 of 2 criteria have no score and count as 0, the bottom of the scale',
    ])
  })

  it('leave the option complete when every criterion and gate is scored', () => {
    expect(option(results, 'a').complete).toBe(true)
  })
})

describe('gates', () => {
  it('fail when the mean of the individual scores is below 1', () => {
    const file = evaluation({
      criteria: [{ id: 'q', name: 'Q' }, { id: 'gate', name: 'Gate', gate: true }],
      evaluators: [{ id: 'e1', name: 'E1' }, { id: 'e2', name: 'E2' }],
      scores: [
        { evaluator: 'e1', option: 'a', criterion: 'gate', score: 1 },
        { evaluator: 'e2', option: 'a', criterion: 'gate', score: 0 },
      ],
    })
    // mean 0.5 < 1
    expect(computeResults(file).options[0]).toMatchObject({ eligible: false, failedGates: ['gate'] })
  })
})

describe('groups', () => {
  it('report a group with no scored criterion with score null and contribution 0', () => {
    const file = evaluation({
      criteria: [
        { id: 'q', name: 'Q' },
        { id: 'checks', name: 'Checks', criteria: [{ id: 'gate', name: 'Gate', gate: true }] },
        { id: 'top-gate', name: 'Top-level gate', gate: true },
      ],
      consensus: [{ option: 'a', criterion: 'q', score: 5 }],
    })
    expect(computeResults(file).options[0]?.groups).toEqual([
      { id: 'q', name: 'Q', score: 100, contribution: 100 },
      { id: 'checks', name: 'Checks', score: null, contribution: 0 },
    ])
  })
})

describe('net present social value without a baseline', () => {
  it('is benefits less costs, with bcr their ratio', () => {
    const file = evaluation({
      appraisal: { baseYear: 2024, years: 1, discount: 'none' },
      costs: [{ option: 'a', label: 'C', amount: 200, from: 0 }],
      benefits: [{ option: 'a', label: 'B', amount: 300, from: 0 }],
    })
    // npsv = 300 − 200 = 100; bcr = 300 / 200 = 1.5
    expect(computeResults(file).options[0]).toMatchObject({ npsv: 100, bcr: 1.5 })
  })

  it('has no bcr when the option costs nothing', () => {
    expect(computeResults(evaluation()).options[0]).toMatchObject({ npsv: 0, bcr: null })
  })
})

describe('cost lines', () => {
  it('use their own optimism bias over the appraisal default, and the capital or operating default otherwise', () => {
    const file = evaluation({
      appraisal: { baseYear: 2024, years: 1, discount: 'none', optimismBias: { capital: 2, operating: 0.41 } },
      costs: [
        { option: 'a', label: 'Build', capital: true, amount: 100, from: 0 },
        { option: 'a', label: 'Run', amount: 100, from: 0 },
        { option: 'a', label: 'Managed', amount: 100, from: 0, optimismBias: 0.1 },
      ],
    })
    // 100 × 3 + 100 × 1.41 + 100 × 1.1 = 300 + 141 + 110 = 551
    expect(computeResults(file).options[0]?.pvCost).toBeCloseTo(551, 10)
  })

  it('grow from their own first year, not from year 0', () => {
    const file = evaluation({
      appraisal: { baseYear: 2024, years: 5, discount: 'none' },
      costs: [{ option: 'a', label: 'Run', amount: 100, from: 2, to: 4, growth: 0.5 }],
    })
    // years 2, 3, 4: 100, 150, 225
    expect(computeResults(file).options[0]?.years.map((year) => year.cost)).toEqual([0, 0, 100, 150, 225])
  })

  it('drop the years outside the appraisal period with a warning', () => {
    const file = evaluation({
      appraisal: { baseYear: 2024, years: 10, discount: 'none' },
      costs: [
        { option: 'a', label: 'In', amount: 1, from: 0 },
        { option: 'a', label: 'Tail', amount: 100, from: 8, to: 12 },
        { option: 'a', label: 'Last', amount: 5, from: 9, to: 10 },
        { option: 'a', label: 'Wholly outside', amount: 7, from: 10, to: 12 },
      ],
      benefits: [{ option: 'a', label: 'Later', amount: 1, from: 11 }],
      consensus: [{ option: 'a', criterion: 'q', score: 3 }],
    })
    const results = computeResults(file)
    // kept: 1 + 100 × 2 (years 8, 9) + 5 (year 9) = 206
    expect(results.options[0]?.undiscountedCost).toBe(206)
    expect(results.options[0]?.years).toHaveLength(10)
    expect(results.warnings).toEqual([
      'costs[1]: years 10..12 fall outside the appraisal period and were dropped',
      'costs[2]: year 10 falls outside the appraisal period and was dropped',
      'costs[3]: years 10..12 fall outside the appraisal period and were dropped',
      'benefits[0]: year 11 falls outside the appraisal period and was dropped',
    ])
  })
})

describe('full precision', () => {
  it('keeps figures unrounded', () => {
    const file = evaluation({
      appraisal: { baseYear: 2024, years: 2, discount: 'green-book' },
      costs: [{ option: 'a', label: 'Run', amount: 1, from: 0, to: 1 }],
    })
    // 1 + 1/1.035 = 1.966183574879227
    expect(computeResults(file).options[0]?.pvCost).toBe(1 + 1 / 1.035)
  })
})

describe('an evaluation with input mistakes the computation cannot use', () => {
  it('is refused with an error naming the fix (validate first)', () => {
    const file = evaluation()
    expect(() => computeResults({ ...file, costs: [{ ...evaluationCost(), option: 'nobody' }] })).toThrow(/unknown option "nobody"/)
  })
})

function evaluationCost(): AppraisalCost {
  return { option: 'a', label: 'L', amount: 1, from: 0, to: 0, growth: 0, capital: false }
}

type AppraisalCost = ReturnType<typeof evaluation>['costs'][number]

describe('the prepared lines', () => {
  it('carry the optimism bias each line was uplifted by: its own, else the default for its kind, and none on benefits', () => {
    const model = prepareModel(
      evaluation({
        appraisal: { baseYear: 2024, years: 3, optimismBias: { capital: 0.5, operating: 0.1 } },
        costs: [
          { option: 'a', label: 'Build', capital: true, amount: 100, from: 0 },
          { option: 'a', label: 'Run', amount: 10, from: 0, to: 2 },
          { option: 'a', label: 'Quoted', capital: true, optimismBias: 0.25, amount: 100, from: 0 },
        ],
        benefits: [{ option: 'a', label: 'Time', amount: 10, from: 1 }],
      }),
    )
    expect(model.costLines.map((line) => line.optimismBias)).toEqual([0.5, 0.1, 0.25])
    expect(model.costLines.map((line) => line.undiscounted)).toEqual([150, 33, 125])
    expect(model.benefitLines[0]?.optimismBias).toBe(0)
  })
})
