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

// The worked example (docs/maths.md): alpha is preferred at 71.437 over retain at 66.4.
// alpha's price score P = 100 × 273.554 / 450 = 60.790.
const P_ALPHA = (100 * (331 / 1.21)) / 450

describe('weight switching values on the worked example', () => {
  const sensitivity = sensitivityOf(parsed(workedExampleInput()))

  it('find the functional share at which retain draws level with alpha', () => {
    // With share w for functional (service 1 − w), totals are straight lines:
    // alpha = 0.7 × (86.667 w + 60 (1 − w)) + 0.3 × 60.790 = 60.237 + 18.667 w
    // retain = 0.7 × (46.667 w + 60 (1 − w)) + 30 = 72 − 9.333 w
    // equal at w = (30 − 0.3 P) / 28 = 0.42011
    const functional = sensitivity.weights.find((entry) => entry.id === 'functional')
    expect(functional?.current).toBeCloseTo(60, 12)
    expect(functional?.switchesAt).toBeCloseTo((100 * (30 - 0.3 * P_ALPHA)) / 28, 9)
    expect(functional?.newPreferred).toBe('retain')
  })

  it('find the same point from the other side for the service share', () => {
    const service = sensitivity.weights.find((entry) => entry.id === 'service')
    expect(service?.current).toBeCloseTo(40, 12)
    expect(service?.switchesAt).toBeCloseTo(100 - (100 * (30 - 0.3 * P_ALPHA)) / 28, 9)
    expect(service?.newPreferred).toBe('retain')
  })

  it('find the quality share of the split at which retain draws level', () => {
    // alpha = P + (76 − P) q, retain = 100 − 48 q; equal at q = (100 − P) / (124 − P) = 0.62032
    const split = sensitivity.weights.find((entry) => entry.id === 'split')
    expect(split?.current).toBeCloseTo(70, 12)
    expect(split?.switchesAt).toBeCloseTo((100 * (100 - P_ALPHA)) / (124 - P_ALPHA), 9)
    expect(split?.newPreferred).toBe('retain')
  })

  it('lists one entry per top-level group or criterion, then the split', () => {
    expect(sensitivity.weights.map((entry) => entry.id)).toEqual(['functional', 'service', 'split'])
  })
})

describe('cost switching values on the worked example', () => {
  const sensitivity = sensitivityOf(parsed(workedExampleInput()))

  it('find the rise in the preferred option’s costs at which it loses first place', () => {
    // alpha's price falls to P / (1 + x): 53.2 + 0.3 P / (1 + x) = 66.4 when 1 + x = P / 44
    const alpha = sensitivity.costs.find((entry) => entry.id === 'alpha')
    expect(alpha?.switchesAt).toBeCloseTo(100 * (P_ALPHA / 44 - 1), 5)
  })

  it('find the cut in another option’s costs at which it draws level', () => {
    // retain is already the cheapest, so cutting its cost lowers alpha's price score to P (1 − y):
    // 53.2 + 0.3 P (1 − y) = 66.4 when 1 − y = 44 / P
    const retain = sensitivity.costs.find((entry) => entry.id === 'retain')
    expect(retain?.switchesAt).toBeCloseTo(100 * (1 - 44 / P_ALPHA), 5)
  })

  it('leave out options that fail a gate', () => {
    expect(sensitivity.costs.map((entry) => entry.id)).toEqual(['retain', 'alpha'])
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
    expect(results.sensitivity.irrelevantAlternatives).toEqual([
      { removed: 'a', preferred: 'b', orderChanged: false },
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

describe('switching values under price per quality point', () => {
  // Two top-level criteria x and y (50/50) on 0..5, split 50/50, costs in year 0:
  // A scores x 5, y 1 (group scores 100 and 20), costs 100; B scores x 2, y 5 (40 and 100), costs 120.
  const file = evaluation({
    split: { quality: 50, cost: 50 },
    priceFormula: 'price-per-quality-point',
    appraisal: { baseYear: 2024, years: 1, discount: 'none' },
    options: [{ id: 'a', name: 'A' }, { id: 'b', name: 'B' }],
    criteria: [{ id: 'x', name: 'X' }, { id: 'y', name: 'Y' }],
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
    // Share w for x: qA = 20 + 80 w, qB = 115 − 0.75 qA. Once A has the lower price per point,
    // A = (qA + 100) / 2 and B = (qB + (250/3) qB / qA) / 2; equal when 5.25 qA² + 142.5 qA − 28750 = 0,
    // qA = (−142.5 + √624056.25) / 10.5 = 61.664, so w = (qA − 20) / 80 = 0.52080.
    const qA = (-142.5 + Math.sqrt(624056.25)) / 10.5
    const x = sensitivity.weights.find((entry) => entry.id === 'x')
    expect(x?.current).toBe(50)
    expect(Math.abs((x?.switchesAt ?? NaN) - (100 * (qA - 20)) / 80)).toBeLessThan(0.01)
    expect(x?.newPreferred).toBe('a')
    const y = sensitivity.weights.find((entry) => entry.id === 'y')
    expect(Math.abs((y?.switchesAt ?? NaN) - (100 - (100 * (qA - 20)) / 80))).toBeLessThan(0.01)
  })

  it('find the split switch exactly, since price scores do not move with the split', () => {
    // A = 100 − 40 q, B = 97.222 − 27.222 q; equal at q = (25/9) / (115/9) = 5/23
    expect(sensitivity.weights.find((entry) => entry.id === 'split')).toEqual({
      id: 'split',
      current: 50,
      switchesAt: expect.closeTo((100 * 5) / 23, 9),
      newPreferred: 'a',
    })
  })

  it('find cost switching values by bisection', () => {
    // B +x%: B's price 97.222 / (1 + x); 35 + 48.611 / (1 + x) = 80 at x = 65/810.
    // A −y%: B's price 97.222 (1 − y); 35 + 48.611 (1 − y) = 80 at y = 65/875.
    expect(sensitivity.costs).toEqual([
      { id: 'a', switchesAt: expect.closeTo((100 * 65) / 875, 6) },
      { id: 'b', switchesAt: expect.closeTo((100 * 65) / 810, 6) },
    ])
  })
})

describe('switching values that do not exist', () => {
  it('are null when no share or cost change in range changes the preferred option', () => {
    // a: quality 100, price 100; b: quality 0, price 200; split 80/20.
    const input = rankReversalInput([{ id: 'a', quality: 100, price: 100 }, { id: 'b', quality: 0, price: 200 }])
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
    const file = parsed(rankReversalInput([{ id: 'a', quality: 60, price: 100 }, { id: 'b', quality: 60, price: 100 }]))
    expect(computeSensitivity(file)).toEqual({ computed: false, reason: 'no option is preferred: "a" and "b" tie for first place on 80' })
    expect(computeResultsWithSensitivity(file).sensitivity).toEqual({
      computed: false,
      reason: 'no option is preferred: "a" and "b" tie for first place on 80',
    })
  })
})

describe('Monte Carlo', () => {
  it('draws from the individual scores, so the worked example’s alpha comes first about three times in four', () => {
    // alpha's recording is drawn from {4, 5} and search from {3, 5} (its consensus 4 is not drawn).
    // Only recording 4 with search 3 (chance 1/4) gives quality 68 and total 65.84, below retain's 66.4.
    const { monteCarlo } = sensitivityOf(parsed(workedExampleInput()), 10_000)
    expect(monteCarlo.probabilityFirst.alpha).toBeCloseTo(0.75, 1)
    expect(Math.abs((monteCarlo.probabilityFirst.alpha ?? 0) - 0.75)).toBeLessThan(0.02)
    expect(monteCarlo.probabilityFirst.beta).toBe(0)
    expect(monteCarlo.iterations).toBe(10_000)
    expect(monteCarlo.seed).toBe(1)
  })

  it('gives probability 1 to the winner when nothing varies', () => {
    const file = parsed(rankReversalInput([{ id: 'a', quality: 60, price: 100 }, { id: 'b', quality: 90, price: 150 }]))
    const { monteCarlo } = sensitivityOf(file, 500)
    expect(monteCarlo.probabilityFirst).toEqual({ a: 1, b: 0 })
    expect(monteCarlo.pvCost).toEqual({ a: { p10: 100, p50: 100, p90: 100 }, b: { p10: 150, p50: 150, p90: 150 } })
  })

  it('gives the same figures for the same seed, and others for another seed', () => {
    const file = parsed(workedExampleInput())
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
    const file = parsed(rankReversalInput([{ id: 'a', quality: 60, price: 100 }, { id: 'b', quality: 60, price: 100 }]))
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
      options: [{ id: 'a', name: 'A' }, { id: 'b', name: 'B' }],
      criteria: [{ id: 'q', name: 'Q' }, { id: 'gate', name: 'Gate', gate: true }],
      evaluators: [{ id: 'e1', name: 'E1' }, { id: 'e2', name: 'E2' }],
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
      criteria: [{ id: 'q', name: 'Q' }, { id: 'gate', name: 'Gate', gate: true }],
      evaluators: [{ id: 'e1', name: 'E1' }, { id: 'e2', name: 'E2' }],
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
    expect(outcome.warnings[0]).toMatch(/^monte carlo: in \d+ of 1000 iterations every option failed a gate; probabilityFirst is the share of the other iterations$/)
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
