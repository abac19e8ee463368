import { describe, expect, it } from 'vitest'
import { computeResults, discountFactors, GREEN_BOOK_2022_HEALTH, GREEN_BOOK_2022_STPR } from '../../src/appraisal/index.js'
import { evaluation } from './factories.js'

describe('discount factors', () => {
  it('match the Green Book check values for the standard rate', () => {
    const df = discountFactors('green-book', 32)
    expect(df[0]).toBe(1) // year 0 is not discounted
    expect(df[1]).toBeCloseTo(0.966184, 6) // 1 / 1.035
    expect(df[10]).toBeCloseTo(0.708919, 6) // 1.035^-10
    expect(df[30]).toBeCloseTo(0.356278, 6) // 1.035^-30
    expect(df[31]).toBeCloseTo(0.345901, 6) // 1.035^-30 / 1.03: year 31 is the first at 3.0%
  })

  it('step down through every band of the standard rate', () => {
    const df = discountFactors('green-book', 400)
    // Each ratio DF(t-1)/DF(t) is 1 + the rate in force in year t.
    const rateIn = (t: number): number => (df[t - 1] as number) / (df[t] as number) - 1
    expect(rateIn(30)).toBeCloseTo(0.035, 12)
    expect(rateIn(31)).toBeCloseTo(0.03, 12)
    expect(rateIn(75)).toBeCloseTo(0.03, 12)
    expect(rateIn(76)).toBeCloseTo(0.025, 12)
    expect(rateIn(126)).toBeCloseTo(0.02, 12)
    expect(rateIn(201)).toBeCloseTo(0.015, 12)
    expect(rateIn(300)).toBeCloseTo(0.015, 12)
    expect(rateIn(301)).toBeCloseTo(0.01, 12)
  })

  it('use 1.5% then the declining health schedule for "green-book-health"', () => {
    const df = discountFactors('green-book-health', 400)
    expect(df[1]).toBeCloseTo(1 / 1.015, 12) // 0.985222
    expect(df[30]).toBeCloseTo(1.015 ** -30, 12) // 0.639762
    expect(df[31]).toBeCloseTo(1.015 ** -30 / 1.0129, 12)
    const rateIn = (t: number): number => (df[t - 1] as number) / (df[t] as number) - 1
    expect(rateIn(76)).toBeCloseTo(0.0107, 12)
    expect(rateIn(126)).toBeCloseTo(0.0086, 12)
    expect(rateIn(201)).toBeCloseTo(0.0064, 12)
    expect(rateIn(301)).toBeCloseTo(0.0043, 12)
  })

  it('are all 1 for "none"', () => {
    expect(discountFactors('none', 4)).toEqual([1, 1, 1, 1])
  })

  it('apply one rate to every year for { rate }', () => {
    const df = discountFactors({ rate: 0.05 }, 3)
    expect(df[0]).toBe(1)
    expect(df[1]).toBeCloseTo(1 / 1.05, 12) // 0.952381
    expect(df[2]).toBeCloseTo(1 / 1.1025, 12) // 0.907029
  })

  it('take the rate of the last schedule entry starting at or before each year', () => {
    const df = discountFactors(
      {
        schedule: [
          { fromYear: 1, rate: 0.1 },
          { fromYear: 3, rate: 0.2 },
        ],
      },
      5,
    )
    // 1, 1/1.1, 1/1.21, 1/(1.21 × 1.2) = 1/1.452, 1/(1.452 × 1.2) = 1/1.7424
    expect(df[1]).toBeCloseTo(1 / 1.1, 12)
    expect(df[2]).toBeCloseTo(1 / 1.21, 12)
    expect(df[3]).toBeCloseTo(1 / 1.452, 12)
    expect(df[4]).toBeCloseTo(1 / 1.7424, 12)
  })

  it('do not discount years before the first schedule entry, and say so', () => {
    expect(discountFactors({ schedule: [{ fromYear: 3, rate: 0.1 }] }, 4)).toEqual([1, 1, 1, 1 / 1.1])
    const results = computeResults(evaluation({ appraisal: { baseYear: 2024, years: 4, discount: { schedule: [{ fromYear: 3, rate: 0.1 }] } } }))
    expect(results.warnings).toContain('appraisal.discount: no rate is in force for years 1..2, so they are not discounted')
  })

  it('are kept as named, dated presets with their sources', () => {
    expect(GREEN_BOOK_2022_STPR.bands.map((band) => band.rate)).toEqual([0.035, 0.03, 0.025, 0.02, 0.015, 0.01])
    expect(GREEN_BOOK_2022_HEALTH.bands.map((band) => band.rate)).toEqual([0.015, 0.0129, 0.0107, 0.0086, 0.0064, 0.0043])
    expect(GREEN_BOOK_2022_STPR.bands.map((band) => band.fromYear)).toEqual([1, 31, 76, 126, 201, 301])
    expect(GREEN_BOOK_2022_STPR.source).toMatch(/Green Book/)
  })
})

describe('equivalent annual cost', () => {
  it('of a constant yearly cost equals that cost, whatever the discount rate', () => {
    for (const discount of ['green-book', 'green-book-health', 'none', { rate: 0.07 }] as const) {
      const file = evaluation({
        appraisal: { baseYear: 2024, years: 40, discount },
        costs: [{ option: 'a', label: 'Running cost', amount: 1_200_000, from: 0, to: 39 }],
      })
      // eac = Σ C × DF(t) / Σ DF(t) = C
      expect(computeResults(file).options[0]?.eac).toBeCloseTo(1_200_000, 6)
    }
  })
})
