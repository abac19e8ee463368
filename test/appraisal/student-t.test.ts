import { describe, expect, it } from 'vitest'
import { lnGamma, regularisedBeta, studentTCdf, studentTQuantile } from '../../src/appraisal/index.js'

/** Relative difference. */
function relative(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300)
}

describe('Student’s t quantile', () => {
  it('matches the printed tables at 97.5% (two-sided 95%)', () => {
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.706, 3)
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(4.303, 3)
    expect(studentTQuantile(0.975, 4)).toBeCloseTo(2.776, 3)
    expect(studentTQuantile(0.975, 5)).toBeCloseTo(2.571, 3)
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228, 3)
    expect(studentTQuantile(0.975, 11)).toBeCloseTo(2.201, 3)
    expect(studentTQuantile(0.975, 30)).toBeCloseTo(2.042, 3)
    expect(studentTQuantile(0.975, 120)).toBeCloseTo(1.98, 3)
  })

  it('matches the tables at other levels', () => {
    expect(studentTQuantile(0.95, 5)).toBeCloseTo(2.015, 3)
    expect(studentTQuantile(0.995, 3)).toBeCloseTo(5.841, 3)
    expect(studentTQuantile(0.9, 20)).toBeCloseTo(1.325, 3)
    expect(studentTQuantile(0.999, 8)).toBeCloseTo(4.501, 3)
  })

  it('agrees with the closed forms for 1, 2 and 4 degrees of freedom to 1e-10', () => {
    for (const p of [0.51, 0.6, 0.75, 0.9, 0.95, 0.975, 0.99, 0.999, 0.99999]) {
      // df 1 (Cauchy): tan(π(p − ½)). df 2: (2p − 1) / √(2p(1 − p)).
      expect(relative(studentTQuantile(p, 1), Math.tan(Math.PI * (p - 0.5)))).toBeLessThan(1e-10)
      expect(relative(studentTQuantile(p, 2), (2 * p - 1) / Math.sqrt(2 * p * (1 - p)))).toBeLessThan(1e-10)
      // df 4: with α = 4p(1 − p) and q = cos(⅓ arccos √α) / √α, t = 2 √(q − 1).
      const alpha = 4 * p * (1 - p)
      const q = Math.cos(Math.acos(Math.sqrt(alpha)) / 3) / Math.sqrt(alpha)
      expect(relative(studentTQuantile(p, 4), 2 * Math.sqrt(q - 1))).toBeLessThan(1e-10)
    }
  })

  it('tends to the normal quantile as the degrees of freedom grow', () => {
    expect(studentTQuantile(0.975, 1e7)).toBeCloseTo(1.959964, 5)
  })

  it('is symmetric, 0 at the median, and the inverse of the distribution function', () => {
    expect(studentTQuantile(0.5, 7)).toBe(0)
    expect(studentTQuantile(0.025, 5)).toBeCloseTo(-studentTQuantile(0.975, 5), 14)
    for (const df of [1, 3, 9, 40]) {
      for (const p of [0.02, 0.3, 0.7, 0.975]) expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 13)
    }
  })

  it('refuses a probability outside 0..1 and degrees of freedom of 0 or less', () => {
    expect(() => studentTQuantile(1, 5)).toThrow(RangeError)
    expect(() => studentTQuantile(0, 5)).toThrow(RangeError)
    expect(() => studentTQuantile(0.9, 0)).toThrow(RangeError)
  })
})

describe('the functions beneath it', () => {
  it('ln Γ matches known values', () => {
    expect(lnGamma(1)).toBeCloseTo(0, 14)
    expect(lnGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 14)
    expect(lnGamma(10)).toBeCloseTo(Math.log(362880), 12)
  })

  it('the regularised incomplete beta function matches closed forms', () => {
    // I_x(1, 1) = x; I_x(a, 1) = x^a; I_x(½, ½) = (2/π) arcsin √x.
    expect(regularisedBeta(0.3, 1, 1)).toBeCloseTo(0.3, 14)
    expect(regularisedBeta(0.6, 3, 1)).toBeCloseTo(0.216, 14)
    expect(regularisedBeta(0.2, 0.5, 0.5)).toBeCloseTo((2 / Math.PI) * Math.asin(Math.sqrt(0.2)), 13)
    expect(regularisedBeta(0, 2, 3)).toBe(0)
    expect(regularisedBeta(1, 2, 3)).toBe(1)
  })
})
