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
    expect(beta).toMatchObject({ tender: true, eligible: false, failedGates: ['live'], priceScore: null, total: null, rank: null })
    expect(option(results, 'alpha')).toMatchObject({ tender: true, eligible: true, failedGates: [] })
  })

  it('appraises business as usual but never ranks it: it is not a tender', () => {
    // retain passes its gate and is complete, yet takes no part in the price score, total or rank
    expect(option(results, 'retain')).toMatchObject({
      baseline: true,
      tender: false,
      eligible: false,
      failedGates: [],
      complete: true,
      priceScore: null,
      total: null,
      rank: null,
    })
    expect(option(results, 'retain').quality).toBeCloseTo(52, 12)
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
    // gamma costs what the baseline costs and brings no benefit: npsv 0, bcr null (no extra cost)
    expect(option(results, 'gamma').npsv).toBeCloseTo(0, 10)
    expect(option(results, 'gamma').bcr).toBeNull()
  })

  it('gives the part of the npsv that is cash: officer time released is not', () => {
    // alpha's only benefit is non-cash, and its costs are all cash:
    // cashNpsv = (0 − 450) − (0 − 273.554) = −176.446, against an npsv of +170.661
    expect(option(results, 'alpha').cashNpsv).toBeCloseTo(331 / 1.21 - 450, 10)
    // beta has no benefits: its npsv is all cash
    expect(option(results, 'beta').cashNpsv).toBeCloseTo(331 / 1.21 - 100, 10)
    expect(option(results, 'retain').cashNpsv).toBe(0)
  })

  it('prices tenders on their price lines, discounted, without optimism bias', () => {
    // alpha: implementation 200 (not 300: the 50% uplift is an estimate's, not the supplier's price)
    // + licences 50 + 55 / 1.1 + 60.5 / 1.21 = 200 + 50 + 50 + 50 = 350; pvCost stays 450
    expect(option(results, 'alpha').pvPrice).toBeCloseTo(350, 10)
    expect(option(results, 'alpha').pvCost).toBeCloseTo(450, 10)
    // computed for every option, the baseline included: retain 273.554
    expect(option(results, 'retain').pvPrice).toBeCloseTo(331 / 1.21, 10)
  })

  it('names beta as the option of highest npsv, though alpha is the preferred tender', () => {
    // npsv: beta 173.554 (fails a gate, but npsv is compared over all options), alpha 170.661, gamma 0, retain 0
    expect(results.highestNpsv).toBe('beta')
    expect(results.preferred).toBe('alpha')
  })

  it('reports sunk costs separately and leaves them out of the appraisal', () => {
    expect(option(results, 'retain').sunkCost).toBe(5000)
    expect(option(results, 'retain').pvCost).toBeCloseTo(273.553719, 6)
  })

  it('scores price relative to the lowest eligible price and weighs it with quality by the split', () => {
    // lowest eligible pvPrice is gamma's 273.554 (beta's 100 is not eligible, retain is not a tender)
    // alpha price = 100 × 273.554 / 350 = 78.158; total = 0.7 × 76 + 0.3 × 78.158 = 76.647
    // gamma price = 100; total = 0.7 × 52 + 0.3 × 100 = 66.4
    expect(option(results, 'gamma').priceScore).toBe(100)
    expect(option(results, 'alpha').priceScore).toBeCloseTo((100 * 331) / 1.21 / 350, 10)
    expect(option(results, 'alpha').total).toBeCloseTo(53.2 + (0.3 * 100 * 331) / 1.21 / 350, 10)
    expect(option(results, 'gamma').total).toBeCloseTo(66.4, 10)
  })

  it('ranks eligible options by total and names the preferred option', () => {
    expect(results.options.map((entry) => entry.rank)).toEqual([null, 1, null, 2])
    expect(results.preferred).toBe('alpha')
    expect(results.complete).toBe(true)
    expect(results.warnings).toEqual([])
    expect(results.format).toBe('options-appraisal-results/1')
  })

  it('lists every field of the contract for each option, in the file order', () => {
    expect(results.options.map((entry) => entry.id)).toEqual(['retain', 'alpha', 'beta', 'gamma'])
    expect(Object.keys(results.options[0] ?? {})).toEqual([
      'id',
      'name',
      'baseline',
      'tender',
      'eligible',
      'failedGates',
      'complete',
      'quality',
      'priceScore',
      'total',
      'rank',
      'pvCost',
      'pvPrice',
      'pvBenefit',
      'undiscountedCost',
      'npsv',
      'cashNpsv',
      'bcr',
      'eac',
      'sunkCost',
      'groups',
      'years',
      'moderation',
    ])
    expect(Object.keys(results)).toEqual(['format', 'preferred', 'highestNpsv', 'complete', 'moderated', 'warnings', 'options'])
  })
})

describe('price per quality point', () => {
  it('scores the lowest price per quality point 100 and the others in proportion, and the total is that score', () => {
    const results = computeResults(parsed({ ...workedExampleInput(), priceFormula: 'price-per-quality-point' }))
    // alpha: 350 / 76 = 4.6053 per point (lowest) → 100; gamma: 273.554 / 52 = 5.2606 → 100 × 4.6053 / 5.2606 = 87.542
    const gammaPrice = (100 * (350 / 76)) / (331 / 1.21 / 52)
    expect(option(results, 'alpha').priceScore).toBe(100)
    expect(option(results, 'gamma').priceScore).toBeCloseTo(gammaPrice, 10)
    // the ratio already holds quality, so the split (70/30) is not used: total = price score
    expect(option(results, 'alpha').total).toBe(100)
    expect(option(results, 'gamma').total).toBeCloseTo(gammaPrice, 10)
    expect(results.preferred).toBe('alpha')
    expect(results.warnings).toEqual([
      "split: not used under the price-per-quality-point formula, whose ratio already holds quality: the total is the price score itself (the split's cost share of 30 is kept in the file but changes nothing)",
    ])
  })

  it('gives no warning on the split when its cost share is 0', () => {
    const results = computeResults(parsed({ ...workedExampleInput(), priceFormula: 'price-per-quality-point', split: { quality: 100, cost: 0 } }))
    expect(results.warnings).toEqual([])
    expect(option(results, 'alpha').total).toBe(100)
  })

  it('does not reverse A and B when C is added (the example of issue 17)', () => {
    // A: quality 60, price 55 → 0.9167 a point; B: quality 97, price 187 → 1.9278 a point; C: 62, 33 → 0.5323.
    // The old rule blended the price score with quality again by the split (50/50): A 80.0, B 72.3;
    // adding C gave A 59.0, B 62.3, so B overtook A. Now the total is the price score:
    const ab = [
      { id: 'a', quality: 60, price: 55 },
      { id: 'b', quality: 97, price: 187 },
    ]
    const without = computeResults(parsed({ ...rankReversalInput(ab), priceFormula: 'price-per-quality-point' }))
    // A 100, B = 100 × (55/60) / (187/97) = 47.548
    expect(option(without, 'a').total).toBe(100)
    expect(option(without, 'b').total).toBeCloseTo((100 * 55 * 97) / (60 * 187), 10)
    const withC = computeResults(parsed({ ...rankReversalInput([...ab, { id: 'c', quality: 62, price: 33 }]), priceFormula: 'price-per-quality-point' }))
    // C 100; A = 100 × (33/62) / (55/60) = 58.065; B = 100 × (33/62) / (187/97) = 27.610
    expect(option(withC, 'c').total).toBe(100)
    expect(option(withC, 'a').total).toBeCloseTo((100 * 33 * 60) / (62 * 55), 10)
    expect(option(withC, 'b').total).toBeCloseTo((100 * 33 * 97) / (62 * 187), 10)
    expect(withC.options.map((entry) => entry.rank)).toEqual([2, 3, 1])
    expect(without.options.map((entry) => entry.rank)).toEqual([1, 2])
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

describe('the two questions', () => {
  // Business as usual costs 100 a year; remediate (a do-minimum, not a tender) and two tenders.
  // No discounting, one year, quality split 60/40, relative-to-lowest.
  const input = evaluation({
    split: { quality: 60, cost: 40 },
    appraisal: { baseYear: 2024, years: 1, discount: 'none', optimismBias: { capital: 0.5, operating: 0 } },
    scale: { min: 0, max: 100 },
    options: [
      { id: 'bau', name: 'Business as usual', baseline: true },
      { id: 'fix', name: 'Remediate', tender: false },
      { id: 'x', name: 'Product X' },
      { id: 'y', name: 'Product Y' },
    ],
    consensus: [
      { option: 'bau', criterion: 'q', score: 30 },
      { option: 'fix', criterion: 'q', score: 50 },
      { option: 'x', criterion: 'q', score: 90 },
      { option: 'y', criterion: 'q', score: 60 },
    ],
    costs: [
      { option: 'bau', label: 'Overtime', amount: 100, from: 0 },
      { option: 'fix', label: 'Remediation', amount: 20, from: 0, capital: true },
      { option: 'x', label: 'Licence', amount: 80, from: 0, capital: true },
      { option: 'x', label: 'Training time', amount: 10, from: 0, cash: false },
      { option: 'y', label: 'Licence', amount: 40, from: 0, capital: true },
      { option: 'y', label: 'Training time', amount: 5, from: 0, cash: false },
    ],
    benefits: [
      { option: 'x', label: 'Officer time released', amount: 100, from: 0, cash: false },
      { option: 'y', label: 'Officer time released', amount: 150, from: 0, cash: false },
      { option: 'y', label: 'Overtime avoided', amount: 20, from: 0 },
    ],
  })
  const results = computeResults(input)

  it('ranks only the tenders, priced on what the supplier charges', () => {
    // pvPrice: x 80, y 40 (the 50% uplift and the non-cash training time are not price)
    expect(option(results, 'x').pvPrice).toBe(80)
    expect(option(results, 'y').pvPrice).toBe(40)
    // pvCost: x 80 × 1.5 + 10 = 130; y 40 × 1.5 + 5 = 65; fix 30
    expect(option(results, 'x').pvCost).toBe(130)
    expect(option(results, 'y').pvCost).toBe(65)
    // price scores: y 100, x 100 × 40 / 80 = 50; totals: x 0.6 × 90 + 0.4 × 50 = 74; y 0.6 × 60 + 0.4 × 100 = 76
    expect(option(results, 'x').total).toBeCloseTo(74, 12)
    expect(option(results, 'y').total).toBeCloseTo(76, 12)
    expect(results.options.map((entry) => entry.rank)).toEqual([null, null, 2, 1])
    expect(option(results, 'fix')).toMatchObject({ tender: false, eligible: false, priceScore: null, total: null, rank: null })
    expect(results.preferred).toBe('y')
  })

  it('appraises every option against business as usual, and says when the preferred tender is not the highest npsv', () => {
    // npsv: fix (0 − 30) − (0 − 100) = 70; x (100 − 130) + 100 = 70; y (170 − 65) + 100 = 205
    expect(option(results, 'fix').npsv).toBe(70)
    expect(option(results, 'x').npsv).toBe(70)
    expect(option(results, 'y').npsv).toBe(205)
    expect(results.highestNpsv).toBe('y')
    // cashNpsv: x (0 − 120) + 100 = −20 (its case rests on officer time); y (20 − 60) + 100 = 60
    expect(option(results, 'x').cashNpsv).toBe(-20)
    expect(option(results, 'y').cashNpsv).toBe(60)
    expect(option(results, 'fix').cashNpsv).toBe(70)
    // bcr: fix costs less than the baseline: null; y 170 / (65 − 100) < 0 denominator: null
    expect(option(results, 'x').bcr).toBeCloseTo(100 / 30, 12)
  })

  it('names the highest npsv even when it is not a tender, and null when two are within 0.01', () => {
    // a quality-heavy split prefers x; remediate, with the cheapest fix, has the highest npsv
    const cheapFix = parsed({
      ...input,
      split: { quality: 100, cost: 0 },
      costs: input.costs.map((line) => (line.option === 'y' && line.label === 'Licence' ? { ...line, amount: 140 } : line)),
      benefits: [],
    })
    const changed = computeResults(cheapFix)
    // npsv: fix 70, x −30, y (0 − 215) + 100 = −115
    expect(changed.preferred).toBe('x')
    expect(changed.highestNpsv).toBe('fix')
    const level = computeResults(parsed({ ...input, benefits: [{ option: 'x', label: 'B', amount: 0.005, from: 0 }] }))
    // npsv: fix 70, x −29.995, y 35: fix is alone at the top
    expect(level.highestNpsv).toBe('fix')
    const tied = computeResults(parsed({ ...input, benefits: [{ option: 'x', label: 'B', amount: 100.01, from: 0 }] }))
    // x 70.01 against fix 70: within 0.01, inclusive: no single option
    expect(tied.highestNpsv).toBeNull()
  })
})

describe('relative-to-lowest price scores', () => {
  it('give an option costing nothing 100', () => {
    const file = parsed(
      rankReversalInput([
        { id: 'a', quality: 50, price: 0 },
        { id: 'b', quality: 50, price: 10 },
      ]),
    )
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

  it('say when no tender is eligible', () => {
    const file = evaluation({
      options: [
        { id: 'a', name: 'A' },
        { id: 'b', name: 'B' },
      ],
      criteria: [
        { id: 'q', name: 'Q' },
        { id: 'gate', name: 'Gate', gate: true },
      ],
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
    expect(results.warnings).toEqual(['no tender is eligible: every tender fails at least one gate'])
  })
})

describe('the methodology rank-reversal example', () => {
  it('has A beating B 80 to 78.3 at 50/50 relative-to-lowest', () => {
    const results = computeResults(
      parsed(
        rankReversalInput([
          { id: 'a', quality: 60, price: 100 },
          { id: 'b', quality: 90, price: 150 },
        ]),
      ),
    )
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
    options: [
      { id: 'a', name: 'A' },
      { id: 'b', name: 'B' },
    ],
    criteria: [
      { id: 'x', name: 'X' },
      { id: 'y', name: 'Y' },
      { id: 'gate', name: 'Gate', gate: true },
    ],
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
    const several = computeResults(
      evaluation({
        criteria: [
          { id: 'x', name: 'X' },
          { id: 'y', name: 'Y' },
        ],
      }),
    )
    expect(several.warnings).toEqual(['option "a" is incomplete: 2 of 2 criteria have no score and count as 0, the bottom of the scale'])
  })

  it('leave the option complete when every criterion and gate is scored', () => {
    expect(option(results, 'a').complete).toBe(true)
  })
})

describe('gates', () => {
  it('fail when the mean of the individual scores is below 1', () => {
    const file = evaluation({
      criteria: [
        { id: 'q', name: 'Q' },
        { id: 'gate', name: 'Gate', gate: true },
      ],
      evaluators: [
        { id: 'e1', name: 'E1' },
        { id: 'e2', name: 'E2' },
      ],
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
  return { option: 'a', label: 'L', amount: 1, from: 0, to: 0, growth: 0, capital: false, cash: true, price: true }
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
