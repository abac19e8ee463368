import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  geometricMeanMatrix,
  groupWeights,
  matrixFromJudgements,
  matrixProblems,
  nearestSaatyValue,
  pairwiseWeights,
  RANDOM_INDEX,
} from '../../src/appraisal/index.js'

/** The methodology's check: [[1,3,5],[1/3,1,3],[1/5,1/3,1]] gives 0.6370, 0.2583, 0.1047, CR 0.033. */
const METHODOLOGY = [
  [1, 3, 5],
  [1 / 3, 1, 3],
  [1 / 5, 1 / 3, 1],
]

/** For a 3 × 3 reciprocal matrix, λmax = 1 + δ^(1/3) + δ^(−1/3) with δ = a12 · a23 / a13 (solve det(A − λI) = 0). */
function lambdaMaxOf3(a12: number, a13: number, a23: number): number {
  const delta = (a12 * a23) / a13
  return 1 + Math.cbrt(delta) + 1 / Math.cbrt(delta)
}

/** The consistent matrix of a weight vector: a_ij = w_i / w_j. */
function consistentMatrix(weights: readonly number[]): number[][] {
  return weights.map((wi) => weights.map((wj) => wi / wj))
}

describe('weights from one pairwise matrix', () => {
  it('gives the methodology example: 0.6370, 0.2583, 0.1047, CR 0.033', () => {
    const figures = pairwiseWeights(METHODOLOGY)
    expect(figures.weights[0]).toBeCloseTo(0.637, 4)
    expect(figures.weights[1]).toBeCloseTo(0.2583, 4)
    expect(figures.weights[2]).toBeCloseTo(0.1047, 4)
    expect(figures.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14)
    // δ = 3 · 3 / 5 = 1.8; λmax = 1 + 1.8^(1/3) + 1.8^(−1/3) = 3.038511; CI = 0.038511 / 2; CR = CI / 0.58.
    expect(figures.lambdaMax).toBeCloseTo(lambdaMaxOf3(3, 5, 3), 12)
    expect(figures.lambdaMax).toBeCloseTo(3.038511, 6)
    expect(figures.ci).toBeCloseTo((3.038511 - 3) / 2, 6)
    expect(figures.cr).toBeCloseTo(0.0332, 4)
    expect(figures.consistent).toBe(true)
    expect(figures.inconsistency).toBeNull()
  })

  it('gives CR 0 and the exact weights for a consistent matrix', () => {
    // 4 : 2 : 1, so a12 = 2, a13 = 4, a23 = 2: weights 4/7, 2/7, 1/7.
    const figures = pairwiseWeights(consistentMatrix([4, 2, 1]))
    expect(figures.weights[0]).toBeCloseTo(4 / 7, 14)
    expect(figures.weights[1]).toBeCloseTo(2 / 7, 14)
    expect(figures.weights[2]).toBeCloseTo(1 / 7, 14)
    expect(figures.lambdaMax).toBeCloseTo(3, 12)
    expect(figures.cr).toBeCloseTo(0, 12)
    expect(figures.cr).toBeGreaterThanOrEqual(0)
    expect(figures.consistent).toBe(true)
  })

  it('gives CR 0 for two items, whatever the judgement', () => {
    const figures = pairwiseWeights([
      [1, 9],
      [1 / 9, 1],
    ])
    expect(figures.weights[0]).toBeCloseTo(0.9, 14)
    expect(figures.weights[1]).toBeCloseTo(0.1, 14)
    expect(figures.cr).toBe(0)
  })

  it('uses the random index for n: CR = ((λmax − n)/(n − 1)) / RI', () => {
    expect(RANDOM_INDEX).toEqual([0, 0, 0.58, 0.9, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49])
    // A strongly inconsistent 3 × 3: a12 = 3, a13 = 1/3, a23 = 2, so δ = 18.
    const figures = pairwiseWeights([
      [1, 3, 1 / 3],
      [1 / 3, 1, 2],
      [3, 1 / 2, 1],
    ])
    const lambda = lambdaMaxOf3(3, 1 / 3, 2)
    expect(lambda).toBeCloseTo(4.002313, 6)
    expect(figures.lambdaMax).toBeCloseTo(lambda, 12)
    expect(figures.cr).toBeCloseTo((lambda - 3) / 2 / 0.58, 12)
    expect(figures.consistent).toBe(false)
  })

  it('recovers the weights of any consistent matrix, with CR 0', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1, max: 3, noNaN: true }), { minLength: 2, maxLength: 10 }), (raw) => {
        const figures = pairwiseWeights(consistentMatrix(raw))
        const total = raw.reduce((a, b) => a + b, 0)
        return figures.cr < 1e-12 && figures.weights.every((w, i) => Math.abs(w - raw[i]! / total) < 1e-12)
      }),
    )
  })

  it('finds the principal eigenvector of any valid matrix: A w = λmax w, with λmax ≥ n', () => {
    const judgement = fc.integer({ min: 1, max: 9 }).chain((v) => fc.constantFrom(v, 1 / v))
    const matrix = fc.integer({ min: 3, max: 10 }).chain((n) =>
      fc.array(judgement, { minLength: (n * (n - 1)) / 2, maxLength: (n * (n - 1)) / 2 }).map((upper) => {
        const m = Array.from({ length: n }, () => new Array<number>(n).fill(1))
        let k = 0
        for (let i = 0; i < n; i++) {
          for (let j = i + 1; j < n; j++) {
            m[i]![j] = upper[k]!
            m[j]![i] = 1 / upper[k++]!
          }
        }
        return m
      }),
    )
    fc.assert(
      fc.property(matrix, (m) => {
        const { weights, lambdaMax } = pairwiseWeights(m)
        const residual = Math.max(...m.map((row, i) => Math.abs(row.reduce((s, a, j) => s + a * weights[j]!, 0) - lambdaMax * weights[i]!)))
        return residual < 1e-10 && lambdaMax >= m.length - 1e-9 && weights.every((w) => w > 0)
      }),
      { numRuns: 300 },
    )
  })
})

describe('the judgement that contributes most to the inconsistency', () => {
  // The consistent 8 : 4 : 2 : 1 matrix with a14 turned round: 1/8 where 8 belongs.
  const flipped = consistentMatrix([8, 4, 2, 1])
  flipped[0]![3] = 1 / 8
  flipped[3]![0] = 8

  it('names the judgement that was turned round, the value consistent with the rest, and the Saaty value nearest it', () => {
    const figures = pairwiseWeights(flipped)
    expect(figures.cr).toBeGreaterThanOrEqual(0.1)
    const found = figures.inconsistency!
    expect([found.row, found.column]).toEqual([0, 3])
    expect(found.value).toBe(1 / 8)
    // The other five judgements are consistent with 8 : 4 : 2 : 1, so w1 / w4 without this one is 8.
    expect(found.consistentValue).toBeCloseTo(8, 12)
    expect(found.suggestedValue).toBe(8)
    expect(found.crWithSuggested).toBeCloseTo(0, 12)
    // The full weights are pulled towards the wrong judgement: their ratio would suggest far less.
    expect(figures.weights[0]! / figures.weights[3]!).toBeLessThan(4)
  })

  it('takes the consistent value from the other judgements, and says what taking its Saaty value would leave', () => {
    // a12 = 2, a23 = 2 but a13 = 9 (4 would be consistent); a14, a24, a34 consistent with 8 : 4 : 2 : 1.
    const matrix = consistentMatrix([8, 4, 2, 1])
    matrix[0]![2] = 9
    matrix[2]![0] = 1 / 9
    const figures = pairwiseWeights(matrix)
    expect(figures.cr).toBeLessThan(0.1)
    expect(figures.inconsistency).toBeNull()
    matrix[0]![2] = 1 / 9
    matrix[2]![0] = 9
    const found = pairwiseWeights(matrix).inconsistency!
    expect([found.row, found.column, found.value]).toEqual([0, 2, 1 / 9])
    expect(found.consistentValue).toBeCloseTo(4, 12)
    expect(found.suggestedValue).toBe(4)
    expect(found.crWithSuggested).toBeCloseTo(0, 12)
  })

  it('names the first judgement of three, all equally off, with the value the other two imply', () => {
    // a12 = 3, a13 = 1/3, a23 = 2: each judgement is off by δ^(1/3), δ = 18, so a12 is named. Without
    // it, a13 and a23 imply a12 = a13 / a23 = (1/3) / 2 = 1/6, which makes the matrix consistent.
    const found = pairwiseWeights([
      [1, 3, 1 / 3],
      [1 / 3, 1, 2],
      [3, 1 / 2, 1],
    ]).inconsistency!
    expect([found.row, found.column, found.value]).toEqual([0, 1, 3])
    expect(found.consistentValue).toBeCloseTo(1 / 6, 12)
    expect(found.suggestedValue).toBe(1 / 6)
    expect(found.crWithSuggested).toBeCloseTo(0, 12)
  })

  it('rounds to Saaty values on the favoured side and clamps to 1/9..9', () => {
    expect(nearestSaatyValue(2.4)).toBe(2)
    expect(nearestSaatyValue(2.6)).toBe(3)
    expect(nearestSaatyValue(1 / 2.4)).toBe(1 / 2)
    expect(nearestSaatyValue(1.2)).toBe(1)
    expect(nearestSaatyValue(0.9)).toBe(1)
    expect(nearestSaatyValue(30)).toBe(9)
    expect(nearestSaatyValue(1 / 30)).toBe(1 / 9)
  })
})

describe('the group’s weights from everyone’s matrices', () => {
  it('takes the element-wise geometric mean, worked by hand', () => {
    // Person 1: a12 = 1, a13 = 2, a23 = 4. Person 2: a12 = 4, a13 = 8, a23 = 1.
    // Group: a12 = √(1·4) = 2, a13 = √(2·8) = 4, a23 = √(4·1) = 2: consistent, weights 4/7, 2/7, 1/7.
    const first = [
      [1, 1, 2],
      [1, 1, 4],
      [1 / 2, 1 / 4, 1],
    ]
    const second = [
      [1, 4, 8],
      [1 / 4, 1, 1],
      [1 / 8, 1, 1],
    ]
    const mean = geometricMeanMatrix([first, second])
    const expected = consistentMatrix([4, 2, 1])
    mean.forEach((row, i) => {
      row.forEach((value, j) => {
        expect(value).toBeCloseTo(expected[i]![j]!, 14)
      })
    })
    const group = groupWeights([first, second])
    expect(group.weights[0]).toBeCloseTo(4 / 7, 12)
    expect(group.weights[1]).toBeCloseTo(2 / 7, 12)
    expect(group.weights[2]).toBeCloseTo(1 / 7, 12)
    expect(group.cr).toBeCloseTo(0, 12)
    // Each person is inconsistent on their own: δ = 1·4/2 = 2 and 4·1/8 = 1/2, so the same λmax.
    for (const person of [first, second]) {
      expect(pairwiseWeights(person).lambdaMax).toBeCloseTo(1 + Math.cbrt(2) + 1 / Math.cbrt(2), 12)
    }
  })

  it('gives the group its own CR, from the mean matrix', () => {
    // Three people on a12: 9, 1, 3 → ∛27 = 3; a13: 1/9, 1, 1/3 → ∛(1/27) = 1/3; a23: 8, 1, 1 → ∛8 = 2.
    const people = [
      [9, 1 / 9, 8],
      [1, 1, 1],
      [3, 1 / 3, 1],
    ].map(([a12, a13, a23]) => [
      [1, a12!, a13!],
      [1 / a12!, 1, a23!],
      [1 / a13!, 1 / a23!, 1],
    ])
    const mean = geometricMeanMatrix(people)
    expect(mean[0]![1]).toBeCloseTo(3, 12)
    expect(mean[0]![2]).toBeCloseTo(1 / 3, 12)
    expect(mean[1]![2]).toBeCloseTo(2, 12)
    expect(mean[2]![0]).toBeCloseTo(3, 12)
    const group = groupWeights(people)
    // δ = 3 · 2 / (1/3) = 18: λmax = 1 + ∛18 + 1/∛18 = 1 + 2.620741 + 0.381571 = 4.002313,
    // CR = (λmax − 3)/2/0.58 = 0.864063.
    expect(group.lambdaMax).toBeCloseTo(4.002313, 6)
    expect(group.cr).toBeCloseTo(0.864063, 6)
    expect(group.consistent).toBe(false)
  })

  it('is the person’s own figures for a group of one', () => {
    const own = pairwiseWeights(METHODOLOGY).weights
    groupWeights([METHODOLOGY]).weights.forEach((w, i) => {
      expect(w).toBeCloseTo(own[i]!, 14)
    })
  })
})

describe('matrix validation', () => {
  it('accepts the methodology example and reciprocals typed to ten digits', () => {
    expect(matrixProblems(METHODOLOGY)).toEqual([])
    expect(
      matrixProblems([
        [1, 9],
        [0.1111111111, 1],
      ]),
    ).toEqual([])
  })

  it('refuses a matrix that is not square, naming the row', () => {
    expect(
      matrixProblems([
        [1, 3, 5],
        [1 / 3, 1],
        [1 / 5, 1 / 3, 1],
      ]),
    ).toEqual([{ path: [1], message: 'must have 3 values (the matrix must be square, 3 × 3), not 2' }])
  })

  it('refuses fewer than two items, and more than ten', () => {
    expect(matrixProblems([[1]])).toEqual([{ path: [], message: 'must compare at least two items' }])
    const eleven = consistentMatrix(Array.from({ length: 11 }, () => 1))
    expect(matrixProblems(eleven)[0]!.message).toMatch(/^compares 11 items; at most 10 .*sub-groups/)
    expect(matrixProblems(consistentMatrix(Array.from({ length: 10 }, () => 1)))).toEqual([])
  })

  it('refuses a value outside 1/9..9, naming the cell', () => {
    expect(
      matrixProblems([
        [1, 10],
        [1 / 10, 1],
      ]),
    ).toEqual([
      { path: [0, 1], message: "must be between 1/9 and 9 (Saaty's scale), not 10" },
      { path: [1, 0], message: "must be between 1/9 and 9 (Saaty's scale), not 1/10" },
    ])
    expect(
      matrixProblems([
        [1, 0],
        [1, 1],
      ])[0],
    ).toEqual({ path: [0, 1], message: "must be between 1/9 and 9 (Saaty's scale), not 0" })
    expect(
      matrixProblems([
        [1, NaN],
        [1, 1],
      ])[0],
    ).toEqual({ path: [0, 1], message: 'must be a number' })
  })

  it('refuses a value that is not the reciprocal of its mirror within 1e-9', () => {
    expect(
      matrixProblems([
        [1, 3],
        [0.333, 1],
      ]),
    ).toEqual([{ path: [1, 0], message: 'must be 1/3, the reciprocal of [0][1] (3), not 0.333' }])
    expect(
      matrixProblems([
        [1, 3],
        [0.33333333333, 1],
      ]),
    ).toEqual([])
  })

  it('refuses a diagonal other than 1', () => {
    expect(
      matrixProblems([
        [1, 2],
        [1 / 2, 2],
      ]),
    ).toEqual([{ path: [1, 1], message: 'must be 1 (an item compared with itself), not 2' }])
  })

  it('will not weigh an invalid matrix', () => {
    expect(() =>
      pairwiseWeights([
        [1, 3],
        [3, 1],
      ]),
    ).toThrow(/reciprocal/)
  })
})

describe('a matrix from judgements of pairs', () => {
  const items = ['security', 'cost', 'supplier']

  it('fills each pair and its reciprocal, whichever way round it was judged', () => {
    const built = matrixFromJudgements(items, [
      { a: 'security', b: 'cost', value: 3 },
      { a: 'supplier', b: 'security', value: 1 / 5 },
      { a: 'cost', b: 'supplier', value: 3 },
    ])
    expect(built.problems).toEqual([])
    expect(built.missing).toEqual([])
    expect(built.matrix).toEqual([
      [1, 3, 5],
      [1 / 3, 1, 3],
      [1 / 5, 1 / 3, 1],
    ])
  })

  it('lists the pairs not yet judged, and gives no matrix until there are none', () => {
    const built = matrixFromJudgements(items, [{ a: 'cost', b: 'security', value: 2 }])
    expect(built.matrix).toBeNull()
    expect(built.missing).toEqual([
      ['security', 'supplier'],
      ['cost', 'supplier'],
    ])
  })

  it('refuses a pair answered twice, in either direction', () => {
    const built = matrixFromJudgements(items, [
      { a: 'security', b: 'cost', value: 3 },
      { a: 'cost', b: 'security', value: 1 / 3 },
    ])
    expect(built.matrix).toBeNull()
    expect(built.problems).toEqual([{ path: [1], message: 'the pair "cost" and "security" is already answered by judgement [0]; answer each pair once' }])
  })

  it('refuses an unknown item, an item compared with itself and a value off the scale', () => {
    const built = matrixFromJudgements(items, [
      { a: 'security', b: 'price', value: 3 },
      { a: 'cost', b: 'cost', value: 1 },
      { a: 'cost', b: 'supplier', value: 0.1 },
    ])
    expect(built.problems).toEqual([
      { path: [0, 'b'], message: '"price" is not one of the items compared (security, cost, supplier)' },
      { path: [1, 'b'], message: 'compares "cost" with itself; name two different items' },
      { path: [2, 'value'], message: "must be between 1/9 and 9 (Saaty's scale), not 1/10" },
    ])
  })
})
