import { describe, expect, it } from 'vitest'
import {
  computeResultsWithSensitivity,
  computeSensitivity,
  prepareModel,
  runMonteCarlo,
  type EvaluationFile,
  type Sensitivity,
} from '../../src/appraisal/index.js'
import { evaluation, parsed, rankReversalInput, workedExampleInput } from './factories.js'

function sensitivityOf(file: EvaluationFile, iterations = 2000, seed = 1): Sensitivity {
  const outcome = computeSensitivity(file, { iterations, seed })
  if (!outcome.computed) throw new Error(outcome.reason)
  return outcome.sensitivity
}

// The worked example (docs/maths.md): alpha is preferred at 76.647 over gamma at 66.4 (retain is
// business as usual, not a tender; beta fails a gate). alpha's price score P = 100 × 273.554 / 350 = 78.158.
const P_ALPHA = (100 * (331 / 1.21)) / 350

describe('weight switching values on the worked example', () => {
  const sensitivity = sensitivityOf(parsed(workedExampleInput()))

  it('find the functional share at which gamma draws level with alpha', () => {
    // With share w for functional (service 1 − w), totals are straight lines:
    // alpha = 0.7 × (86.667 w + 60 (1 − w)) + 0.3 × 78.158 = 65.447 + 18.667 w
    // gamma = 0.7 × (46.667 w + 60 (1 − w)) + 30 = 72 − 9.333 w
    // equal at w = (30 − 0.3 P) / 28 = 0.23402
    const functional = sensitivity.weights.find((entry) => entry.id === 'functional')
    expect(functional?.current).toBeCloseTo(60, 12)
    expect(functional?.switchesAt).toBeCloseTo((100 * (30 - 0.3 * P_ALPHA)) / 28, 9)
    expect(functional?.newPreferred).toBe('gamma')
  })

  it('find the same point from the other side for the service share', () => {
    const service = sensitivity.weights.find((entry) => entry.id === 'service')
    expect(service?.current).toBeCloseTo(40, 12)
    expect(service?.switchesAt).toBeCloseTo(100 - (100 * (30 - 0.3 * P_ALPHA)) / 28, 9)
    expect(service?.newPreferred).toBe('gamma')
  })

  it('find the quality share of the split at which gamma draws level', () => {
    // alpha = P + (76 − P) q, gamma = 100 − 48 q; equal at q = (100 − P) / (124 − P) = 0.47646
    const split = sensitivity.weights.find((entry) => entry.id === 'split')
    expect(split?.current).toBeCloseTo(70, 12)
    expect(split?.switchesAt).toBeCloseTo((100 * (100 - P_ALPHA)) / (124 - P_ALPHA), 9)
    expect(split?.newPreferred).toBe('gamma')
  })

  it('lists one entry per top-level group or criterion, then the split', () => {
    expect(sensitivity.weights.map((entry) => entry.id)).toEqual(['functional', 'service', 'split'])
  })
})

describe('cost switching values on the worked example', () => {
  const sensitivity = sensitivityOf(parsed(workedExampleInput()))

  it('find the rise in the preferred option’s costs at which it loses first place', () => {
    // alpha's price score falls to P / (1 + x): 53.2 + 0.3 P / (1 + x) = 66.4 when 1 + x = P / 44 (+77.63%)
    const alpha = sensitivity.costs.find((entry) => entry.id === 'alpha')
    expect(alpha?.switchesAt).toBeCloseTo(100 * (P_ALPHA / 44 - 1), 5)
  })

  it('find the cut in another option’s costs at which it draws level', () => {
    // gamma is already the cheapest, so cutting its cost lowers alpha's price score to P (1 − y):
    // 53.2 + 0.3 P (1 − y) = 66.4 when 1 − y = 44 / P (−43.70%)
    const gamma = sensitivity.costs.find((entry) => entry.id === 'gamma')
    expect(gamma?.switchesAt).toBeCloseTo(100 * (1 - 44 / P_ALPHA), 5)
  })

  it('leave out options that fail a gate, and the baseline, which is not a tender', () => {
    expect(sensitivity.costs.map((entry) => entry.id)).toEqual(['alpha', 'gamma'])
  })
})

describe('irrelevant alternatives on the worked example', () => {
  it('remove each eligible tender in turn, the preferred one included', () => {
    expect(sensitivityOf(parsed(workedExampleInput()), 100).irrelevantAlternatives).toEqual([
      { removed: 'alpha', preferred: 'gamma', orderChanged: false },
      { removed: 'gamma', preferred: 'alpha', orderChanged: false },
    ])
  })
})

describe('line switching values on the worked example', () => {
  const sensitivity = sensitivityOf(parsed(workedExampleInput()), 100)
  const ALPHA_NPSV = 751 / 1.21 - 450 // 170.661
  const BETA_NPSV = 331 / 1.21 - 100 // 173.554

  it('give every line of every option but the baseline, costs then benefits, in file order', () => {
    expect(sensitivity.lines.map((line) => [line.kind, line.index, line.option])).toEqual([
      ['cost', 1, 'alpha'],
      ['cost', 2, 'alpha'],
      ['cost', 3, 'beta'],
      ['cost', 4, 'gamma'],
      ['benefit', 0, 'alpha'],
    ])
  })

  it('give the change of one line at which its option’s npsv reaches zero, exactly', () => {
    const [implementation, licences, subscription, hosting, officerTime] = sensitivity.lines
    // implementation: pv 300 (with its 50% optimism bias); +100 × 170.661 / 300 = +56.887%
    expect(implementation?.pv).toBeCloseTo(300, 10)
    expect(implementation?.switchesAt).toBeCloseTo((100 * ALPHA_NPSV) / 300, 9)
    // licences: pv 150; +113.774%
    expect(licences?.switchesAt).toBeCloseTo((100 * ALPHA_NPSV) / 150, 9)
    // beta's subscription: pv 100; +173.554%
    expect(subscription?.switchesAt).toBeCloseTo(BETA_NPSV, 9)
    // gamma's npsv is already 0
    expect(hosting?.switchesAt).toBeCloseTo(0, 9)
    // officer time released, pv 347.107, could fall by 100 × 170.661 / 347.107 = 49.167% before alpha's npsv reaches zero
    expect(officerTime?.pv).toBeCloseTo(420 / 1.21, 10)
    expect(officerTime?.switchesAt).toBeCloseTo((-100 * ALPHA_NPSV) / (420 / 1.21), 9)
  })

  it('are null beyond −100% or +1000%, and for a line worth nothing', () => {
    const input = workedExampleInput()
    const file = parsed({
      ...input,
      costs: [...(input.costs ?? []), { option: 'alpha', label: 'Tiny', amount: 1, from: 0 }, { option: 'alpha', label: 'Nothing', amount: 0, from: 0 }],
    })
    // alpha's npsv is now 169.661: a cost of pv 1 would have to rise 16,966%, beyond +1000%
    const lines = sensitivityOf(file, 100).lines.filter((line) => line.kind === 'cost' && line.index >= 5)
    expect(lines.map((line) => line.switchesAt)).toEqual([null, null])
    // without its costs alpha's npsv is 347.107 + 273.554 = 620.661, more than its benefit's pv:
    // even losing the whole benefit leaves the npsv above zero
    const cheap = parsed({ ...input, costs: (input.costs ?? []).filter((line) => line.option !== 'alpha') })
    const officerTime = sensitivityOf(cheap, 100).lines.find((line) => line.kind === 'benefit')
    expect(officerTime?.switchesAt).toBeNull()
  })
})

describe('the rank-reversal example', () => {
  const file = parsed(
    rankReversalInput([
      { id: 'a', quality: 60, price: 100 },
      { id: 'b', quality: 90, price: 150 },
      { id: 'c', quality: 20, price: 60 },
    ]),
  )

  it('shows that removing C reverses the order of A and B, with a warning naming the price formula', () => {
    const results = computeResultsWithSensitivity(file, { iterations: 100 })
    if (!('weights' in results.sensitivity)) throw new Error('sensitivity not computed')
    // Without C the lowest price is A's 100: A 80, B 78.3 (A first); without A nothing changes: B 65, C 60.
    // Without B, the preferred option: A and C stay level on 60, so none is preferred.
    expect(results.sensitivity.irrelevantAlternatives).toEqual([
      { removed: 'a', preferred: 'b', orderChanged: false },
      { removed: 'b', preferred: null, orderChanged: false },
      { removed: 'c', preferred: 'a', orderChanged: true },
    ])
    expect(results.warnings).toContain(
      'irrelevant alternatives: removing option "c" changes the order of the options that remain under the relative-to-lowest price formula (the preferred option would be "a")',
    )
  })

  it('has switching values that can be checked by hand', () => {
    const sensitivity = sensitivityOf(file, 100)
    // split: B = 40 + 50 q, A = 60, C = 100 − 80 q; C draws level first going down, at q = 60/130
    expect(sensitivity.weights).toEqual([
      { id: 'quality', current: 100, switchesAt: null, newPreferred: null },
      { id: 'split', current: 50, switchesAt: expect.closeTo((100 * 6) / 13, 9), newPreferred: 'c' },
    ])
    // B +x%: 45 + 20 / (1 + x) = 60 at x = 1/3. A −y%: 30 + 30 / (1 − y) = 65 at y = 1/7.
    // C −y%: C stays at 60 while B = 45 + 20 (1 − y) falls to 60 at y = 1/4.
    expect(sensitivity.costs).toEqual([
      { id: 'a', switchesAt: expect.closeTo(100 / 7, 6) },
      { id: 'b', switchesAt: expect.closeTo(100 / 3, 6) },
      { id: 'c', switchesAt: expect.closeTo(25, 6) },
    ])
  })
})

describe('the A/B/C example of issue 17 under price per quality point', () => {
  it('finds that removing any one of them never changes the order of the others', () => {
    const input = rankReversalInput([
      { id: 'a', quality: 60, price: 55 },
      { id: 'b', quality: 97, price: 187 },
      { id: 'c', quality: 62, price: 33 },
    ])
    const results = computeResultsWithSensitivity(parsed({ ...input, priceFormula: 'price-per-quality-point' }), { iterations: 100 })
    if (!('weights' in results.sensitivity)) throw new Error('sensitivity not computed')
    expect(results.preferred).toBe('c')
    expect(results.sensitivity.irrelevantAlternatives).toEqual([
      { removed: 'a', preferred: 'c', orderChanged: false },
      { removed: 'b', preferred: 'c', orderChanged: false },
      { removed: 'c', preferred: 'a', orderChanged: false },
    ])
    expect(results.warnings.filter((warning) => warning.startsWith('irrelevant'))).toEqual([])
  })
})

describe('switching values under price per quality point', () => {
  // Two top-level criteria x and y (50/50) on 0..5, split 50/50 (not used), costs in year 0:
  // A scores x 5, y 1 (group scores 100 and 20), costs 100; B scores x 2, y 5 (40 and 100), costs 120.
  // Quality A 60, B 70; per point A 1.667, B 1.714: A is preferred, B's total = 100 × 1.667 / 1.714 = 97.222.
  const file = evaluation({
    split: { quality: 50, cost: 50 },
    priceFormula: 'price-per-quality-point',
    appraisal: { baseYear: 2024, years: 1, discount: 'none' },
    options: [
      { id: 'a', name: 'A' },
      { id: 'b', name: 'B' },
    ],
    criteria: [
      { id: 'x', name: 'X' },
      { id: 'y', name: 'Y' },
    ],
    consensus: [
      { option: 'a', criterion: 'x', score: 5 },
      { option: 'a', criterion: 'y', score: 1 },
      { option: 'b', criterion: 'x', score: 2 },
      { option: 'b', criterion: 'y', score: 5 },
    ],
    costs: [
      { option: 'a', label: 'Price', amount: 100, from: 0 },
      { option: 'b', label: 'Price', amount: 120, from: 0 },
    ],
  })
  const sensitivity = sensitivityOf(file, 100)

  it('find a weight switch where totals are not straight lines, to within 0.01 points', () => {
    // Share w for x: qA = 20 + 80 w, qB = 100 − 60 w. The total is the price score, so the order is
    // that of quality per pound: A leads while qA / 100 > qB / 120, and they draw level at
    // 120 (20 + 80 w) = 100 (100 − 60 w), w = 7600 / 15600 = 0.48718: below it B is preferred.
    const x = sensitivity.weights.find((entry) => entry.id === 'x')
    expect(x?.current).toBe(50)
    expect(Math.abs((x?.switchesAt ?? NaN) - (100 * 7600) / 15600)).toBeLessThan(0.01)
    expect(x?.newPreferred).toBe('b')
    const y = sensitivity.weights.find((entry) => entry.id === 'y')
    expect(Math.abs((y?.switchesAt ?? NaN) - (100 - (100 * 7600) / 15600))).toBeLessThan(0.01)
    expect(y?.newPreferred).toBe('b')
  })

  it('leave the split entry without a switching value, since the split is not used', () => {
    expect(sensitivity.weights.find((entry) => entry.id === 'split')).toEqual({ id: 'split', current: 50, switchesAt: null, newPreferred: null })
  })

  it('find cost switching values by bisection', () => {
    // A +x%: 100 (1 + x) / 60 = 120 / 70 at 1 + x = 7200 / 7000, x = 2.857%.
    // B −y%: 120 (1 − y) / 70 = 100 / 60 at 1 − y = 7000 / 7200, y = 2.778%.
    expect(sensitivity.costs).toEqual([
      { id: 'a', switchesAt: expect.closeTo((100 * 200) / 7000, 6) },
      { id: 'b', switchesAt: expect.closeTo((100 * 200) / 7200, 6) },
    ])
  })
})

describe('switching values that do not exist', () => {
  it('are null when no share or cost change in range changes the preferred option', () => {
    // a: quality 100, price 100; b: quality 0, price 200; split 80/20.
    const input = rankReversalInput([
      { id: 'a', quality: 100, price: 100 },
      { id: 'b', quality: 0, price: 200 },
    ])
    const sensitivity = sensitivityOf(parsed({ ...input, split: { quality: 80, cost: 20 } }), 100)
    // split q: a = 100 q + 100 (1 − q) = 100; b = 0 q + 50 (1 − q) <= 50: never level
    expect(sensitivity.weights).toEqual([
      { id: 'quality', current: 100, switchesAt: null, newPreferred: null },
      { id: 'split', current: 80, switchesAt: null, newPreferred: null },
    ])
    // a's total stays >= 80 whatever its cost; b's total is at most 20 × 100 / 100 = 20
    expect(sensitivity.costs).toEqual([
      { id: 'a', switchesAt: null },
      { id: 'b', switchesAt: null },
    ])
  })
})

describe('sensitivity when no option is preferred', () => {
  it('is not computed, and says why', () => {
    const file = parsed(
      rankReversalInput([
        { id: 'a', quality: 60, price: 100 },
        { id: 'b', quality: 60, price: 100 },
      ]),
    )
    // without a baseline, npsv = −100 for each: the price would have to fall by 100% to reach zero
    const lines = [
      { kind: 'cost', index: 0, option: 'a', pv: 100, switchesAt: -100 },
      { kind: 'cost', index: 1, option: 'b', pv: 100, switchesAt: -100 },
    ]
    expect(computeSensitivity(file)).toEqual({ computed: false, reason: 'no option is preferred: "a" and "b" tie for first place on 80', lines })
    expect(computeResultsWithSensitivity(file).sensitivity).toEqual({
      computed: false,
      reason: 'no option is preferred: "a" and "b" tie for first place on 80',
      lines,
    })
  })
})

describe('Monte Carlo', () => {
  it('draws from the individual scores: alpha, priced higher, comes first about three times in four', () => {
    // The worked example with alpha's implementation priced at 300 (not 200): pvPrice 450, price score
    // 100 × 273.554 / 450 = 60.790. alpha's recording is drawn from {4, 5} and search from {3, 5} (its
    // consensus 4 is not drawn). Only recording 4 with search 3 (chance 1/4) gives quality 68 and
    // total 47.6 + 18.237 = 65.84, below gamma's 66.4.
    const input = workedExampleInput()
    const costs = (input.costs ?? []).map((line) => (line.label === 'Implementation' ? { ...line, amount: 300 } : line))
    const { monteCarlo } = sensitivityOf(parsed({ ...input, costs }), 10_000)
    expect(Math.abs((monteCarlo.probabilityFirst.alpha ?? 0) - 0.75)).toBeLessThan(0.02)
    expect((monteCarlo.probabilityFirst.alpha ?? 0) + (monteCarlo.probabilityFirst.gamma ?? 0)).toBeCloseTo(1, 12)
    // beta fails a gate; retain is business as usual, never ranked
    expect(monteCarlo.probabilityFirst.beta).toBe(0)
    expect(monteCarlo.probabilityFirst.retain).toBe(0)
    expect(monteCarlo.iterations).toBe(10_000)
    expect(monteCarlo.seed).toBe(1)
  })

  it('gives probability 1 to the winner when nothing varies', () => {
    const file = parsed(
      rankReversalInput([
        { id: 'a', quality: 60, price: 100 },
        { id: 'b', quality: 90, price: 150 },
      ]),
    )
    const { monteCarlo } = sensitivityOf(file, 500)
    expect(monteCarlo.probabilityFirst).toEqual({ a: 1, b: 0 })
    expect(monteCarlo.pvCost).toEqual({ a: { p10: 100, p50: 100, p90: 100 }, b: { p10: 150, p50: 150, p90: 150 } })
  })

  it('comes first every time for the worked example’s alpha, whose lowest draw still beats gamma', () => {
    // quality 68 gives 47.6 + 0.3 × 78.158 = 71.05, above gamma's 66.4
    const { monteCarlo } = sensitivityOf(parsed(workedExampleInput()), 1000)
    expect(monteCarlo.probabilityFirst).toEqual({ retain: 0, alpha: 1, beta: 0, gamma: 0 })
  })

  it('varies the price with its line, so a price range can change the order', () => {
    // a: quality 50.5, price 100 fixed (and a non-cash cost, which is not price); b: quality 50, price
    // 100 with a range 0.5..2 (mode 1). With b's draw d < 1, b totals (50 + 100) / 2 and a
    // (50.5 + 100 d) / 2: b comes first when d < 0.995, P = (0.995 − 0.5)² / ((2 − 0.5)(1 − 0.5)) = 0.3267.
    const input = rankReversalInput([
      { id: 'a', quality: 50.5, price: 100 },
      { id: 'b', quality: 50, price: 100 },
    ])
    const costs = (input.costs ?? []).map((line) => (line.option === 'b' ? { ...line, range: { low: 0.5, high: 2 } } : line))
    const file = parsed({ ...input, costs: [...costs, { option: 'a', label: 'Staff time', amount: 1, from: 0, cash: false }] })
    const { monteCarlo } = sensitivityOf(file, 10_000)
    expect(Math.abs((monteCarlo.probabilityFirst.b ?? 0) - 0.495 ** 2 / 0.75)).toBeLessThan(0.02)
  })

  it('gives the same figures for the same seed, and others for another seed', () => {
    const input = workedExampleInput()
    const file = parsed({ ...input, costs: (input.costs ?? []).map((line) => (line.label === 'Implementation' ? { ...line, amount: 300 } : line)) })
    expect(sensitivityOf(file, 1000, 7).monteCarlo).toEqual(sensitivityOf(file, 1000, 7).monteCarlo)
    expect(sensitivityOf(file, 1000, 7).monteCarlo.probabilityFirst).not.toEqual(sensitivityOf(file, 1000, 8).monteCarlo.probabilityFirst)
  })

  it('gives probabilities that sum to 1', () => {
    const input = rankReversalInput([
      { id: 'a', quality: 60, price: 100 },
      { id: 'b', quality: 90, price: 150 },
      { id: 'c', quality: 20, price: 60 },
    ])
    const file = parsed({ ...input, costs: input.costs?.map((line) => ({ ...line, range: { low: 0.5, high: 2 } })) })
    const probabilities = Object.values(sensitivityOf(file, 3000).monteCarlo.probabilityFirst)
    expect(probabilities.every((p) => p > 0)).toBe(true)
    expect(probabilities.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 12)
  })

  it('splits the credit for first place between tied options', () => {
    const file = parsed(
      rankReversalInput([
        { id: 'a', quality: 60, price: 100 },
        { id: 'b', quality: 60, price: 100 },
      ]),
    )
    expect(runMonteCarlo(prepareModel(file), { iterations: 10, seed: 1 }).result.probabilityFirst).toEqual({ a: 0.5, b: 0.5 })
  })

  it('draws cost multipliers from the triangular distribution of each line’s range', () => {
    // triangular(0.5, 1, 2): F(1) = 1/3; P10 = 0.5 + √(0.1 × 1.5 × 0.5) = 0.7739,
    // P50 = 2 − √(0.5 × 1.5 × 1) = 1.1340, P90 = 2 − √(0.1 × 1.5) = 1.6127
    const file = evaluation({
      appraisal: { baseYear: 2024, years: 1, discount: 'none' },
      consensus: [{ option: 'a', criterion: 'q', score: 3 }],
      costs: [
        { option: 'a', label: 'Uncertain', amount: 1000, from: 0, range: { low: 0.5, high: 2 } },
        { option: 'a', label: 'Fixed', amount: 500, from: 0 },
      ],
    })
    const { pvCost } = sensitivityOf(file, 20_000).monteCarlo
    expect(Math.abs((pvCost.a?.p10 ?? 0) - (500 + 773.9))).toBeLessThan(15)
    expect(Math.abs((pvCost.a?.p50 ?? 0) - (500 + 1134.0))).toBeLessThan(15)
    expect(Math.abs((pvCost.a?.p90 ?? 0) - (500 + 1612.7))).toBeLessThan(15)
  })

  it('draws gate scores too, so an option some evaluators failed can lose eligibility', () => {
    // a wins on quality but one of two evaluators failed it on the gate (consensus: pass).
    const file = evaluation({
      options: [
        { id: 'a', name: 'A' },
        { id: 'b', name: 'B' },
      ],
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
      consensus: [
        { option: 'a', criterion: 'gate', score: 1 },
        { option: 'b', criterion: 'gate', score: 1 },
        { option: 'a', criterion: 'q', score: 5 },
        { option: 'b', criterion: 'q', score: 3 },
      ],
    })
    const probability = sensitivityOf(file, 10_000).monteCarlo.probabilityFirst
    expect(Math.abs((probability.a ?? 0) - 0.5)).toBeLessThan(0.02)
    expect((probability.a ?? 0) + (probability.b ?? 0)).toBeCloseTo(1, 12)
  })

  it('counts only iterations with an eligible option, and warns about the others', () => {
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
      consensus: [
        { option: 'a', criterion: 'gate', score: 1 },
        { option: 'a', criterion: 'q', score: 3 },
      ],
    })
    const outcome = computeSensitivity(file, { iterations: 1000 })
    if (!outcome.computed) throw new Error(outcome.reason)
    expect(outcome.sensitivity.monteCarlo.probabilityFirst).toEqual({ a: 1 })
    expect(outcome.warnings).toHaveLength(1)
    expect(outcome.warnings[0]).toMatch(
      /^monte carlo: in \d+ of 1000 iterations every option failed a gate; probabilityFirst is the share of the other iterations$/,
    )
  })

  it('runs 10,000 iterations by default with seed 1', () => {
    const { monteCarlo } = (() => {
      const outcome = computeSensitivity(parsed(workedExampleInput()))
      if (!outcome.computed) throw new Error(outcome.reason)
      return outcome.sensitivity
    })()
    expect(monteCarlo.iterations).toBe(10_000)
    expect(monteCarlo.seed).toBe(1)
  })
})
