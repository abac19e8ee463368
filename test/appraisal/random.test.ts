import { describe, expect, it } from 'vitest'
import { percentileInc, seededRandom, triangular } from '../../src/appraisal/index.js'

describe('percentiles', () => {
  it('interpolate between order statistics like PERCENTILE.INC', () => {
    // rank (n − 1) p over [1, 2, 3, 4]: p10 → 0.3 → 1.3; p50 → 1.5 → 2.5; p90 → 2.7 → 3.7
    const sorted = [1, 2, 3, 4]
    expect(percentileInc(sorted, 0.1)).toBeCloseTo(1.3, 12)
    expect(percentileInc(sorted, 0.5)).toBeCloseTo(2.5, 12)
    expect(percentileInc(sorted, 0.9)).toBeCloseTo(3.7, 12)
    expect(percentileInc([7], 0.9)).toBe(7)
  })
})

describe('the seeded random number generator', () => {
  it('repeats its sequence for a seed and stays within [0, 1)', () => {
    const first = seededRandom(42)
    const second = seededRandom(42)
    const draws = Array.from({ length: 1000 }, () => first())
    expect(Array.from({ length: 1000 }, () => second())).toEqual(draws)
    expect(draws.every((u) => u >= 0 && u < 1)).toBe(true)
    // roughly uniform: the mean of 1000 draws is near 0.5
    expect(Math.abs(draws.reduce((sum, u) => sum + u, 0) / 1000 - 0.5)).toBeLessThan(0.05)
  })

  it('gives different sequences for different seeds, including seeds beyond 32 bits', () => {
    expect(seededRandom(1)()).not.toBe(seededRandom(2)())
    expect(seededRandom(1)()).not.toBe(seededRandom(1 + 2 ** 32)())
  })
})

describe('triangular draws', () => {
  it('map 0, the mode’s position and values near 1 to low, mode and high', () => {
    // triangular(0.5, 1, 2): the mode sits at F = (1 − 0.5) / (2 − 0.5) = 1/3
    expect(triangular(0, 0.5, 1, 2)).toBe(0.5)
    expect(triangular(1 / 3, 0.5, 1, 2)).toBeCloseTo(1, 12)
    expect(triangular(1 - 1e-12, 0.5, 1, 2)).toBeCloseTo(2, 5)
    // P10: 0.5 + √(0.1 × 1.5 × 0.5) = 0.773861
    expect(triangular(0.1, 0.5, 1, 2)).toBeCloseTo(0.5 + Math.sqrt(0.075), 12)
  })

  it('return the mode when the range is a single point', () => {
    expect(triangular(0.3, 1, 1, 1)).toBe(1)
  })
})
