import { describe, expect, it } from 'vitest'
import { compareRankings, computeResults, whatIf } from '../../src/appraisal/index.js'
import { parsed, rankReversalInput, workedExampleInput } from './factories.js'

const P_ALPHA = (100 * (331 / 1.21)) / 450 // alpha's price score in the worked example, 60.790

describe('what-if', () => {
  it('recomputes the results with other top-level weights, without changing the file', () => {
    const file = parsed(workedExampleInput())
    const before = JSON.stringify(file)
    const outcome = whatIf(file, { groupWeights: { functional: 40, service: 60 } })
    if (!outcome.ok) throw new Error(outcome.errors.join('\n'))
    // alpha: 0.4 × 86.667 + 0.6 × 60 = 70.667; total 0.7 × 70.667 + 0.3 × 60.790 = 67.704
    // retain: 0.4 × 46.667 + 0.6 × 60 = 54.667; total 0.7 × 54.667 + 30 = 68.267: retain now first
    const [retain, alpha] = outcome.results.options
    expect(alpha?.quality).toBeCloseTo(70.666666666667, 10)
    expect(alpha?.total).toBeCloseTo(0.7 * (212 / 3) + 0.3 * P_ALPHA, 10)
    expect(retain?.total).toBeCloseTo(0.7 * (164 / 3) + 30, 10)
    expect(outcome.results.preferred).toBe('retain')
    expect(JSON.stringify(file)).toBe(before)
    expect(computeResults(file).preferred).toBe('alpha')
  })

  it('recomputes the results with another quality share of the split', () => {
    const outcome = whatIf(parsed(workedExampleInput()), { qualityShare: 50 })
    if (!outcome.ok) throw new Error(outcome.errors.join('\n'))
    // alpha: (76 + 60.790) / 2 = 68.395; retain: (52 + 100) / 2 = 76
    expect(outcome.results.options[1]?.total).toBeCloseTo((76 + P_ALPHA) / 2, 10)
    expect(outcome.results.options[0]?.total).toBeCloseTo(76, 10)
    expect(outcome.results.preferred).toBe('retain')
  })

  it('refuses weights for anything but a scored top-level entry, negative weights and shares outside 0..100', () => {
    const file = parsed(workedExampleInput())
    expect(whatIf(file, { groupWeights: { recording: 5, functional: -1 }, qualityShare: 120 })).toEqual({
      ok: false,
      errors: [
        'groupWeights.recording: not a top-level group or criterion that is scored',
        'groupWeights.functional: must be a number, not negative',
        'qualityShare: must be between 0 and 100',
      ],
    })
  })

  it('refuses top-level weights that are all zero', () => {
    expect(whatIf(parsed(workedExampleInput()), { groupWeights: { functional: 0, service: 0 } })).toEqual({
      ok: false,
      errors: ['groupWeights: the weights of the top-level criteria are all zero; at least one must be above zero'],
    })
  })
})

describe('comparing the price formulas', () => {
  it('says when they prefer different options', () => {
    // relative-to-lowest: A 80, B 78.3. Per quality point both cost 100/60 = 150/90 = 1.667 a point,
    // so both price scores are 100: A (60 + 100) / 2 = 80, B (90 + 100) / 2 = 95.
    const comparison = compareRankings(parsed(rankReversalInput([{ id: 'a', quality: 60, price: 100 }, { id: 'b', quality: 90, price: 150 }])))
    expect(comparison.relativeToLowest.preferred).toBe('a')
    expect(comparison.pricePerQualityPoint.preferred).toBe('b')
    expect(comparison.pricePerQualityPoint.options.map((entry) => entry.total)).toEqual([80, 95])
    expect(comparison.preferredDiffers).toBe(true)
    expect(comparison.summary).toBe('The price formulas disagree: relative-to-lowest prefers "a", price-per-quality-point prefers "b".')
  })

  it('says when they agree on the preferred option but order the others differently', () => {
    const comparison = compareRankings(
      parsed(
        rankReversalInput([
          { id: 'a', quality: 60, price: 100 },
          { id: 'b', quality: 90, price: 150 },
          { id: 'c', quality: 20, price: 60 },
        ]),
      ),
    )
    // relative: A 60, B 65, C 60 (ranks 2, 1, 2); per point: A 80, B 95, C (20 + 55.6) / 2 = 37.8 (ranks 2, 1, 3)
    expect(comparison.relativeToLowest.options.map((entry) => entry.rank)).toEqual([2, 1, 2])
    expect(comparison.pricePerQualityPoint.options.map((entry) => entry.rank)).toEqual([2, 1, 3])
    expect(comparison.preferredDiffers).toBe(false)
    expect(comparison.orderDiffers).toBe(true)
    expect(comparison.summary).toBe('Both price formulas prefer "b", but they rank the other options differently.')
  })

  it('says price cannot separate them when the split gives cost no weight', () => {
    const input = rankReversalInput([{ id: 'a', quality: 60, price: 100 }, { id: 'b', quality: 90, price: 150 }])
    const comparison = compareRankings(parsed({ ...input, split: { quality: 100, cost: 0 } }))
    expect(comparison.preferredDiffers).toBe(false)
    expect(comparison.summary).toBe('Price carries no weight in the split, so the two price formulas give the same ranking.')
  })
})
