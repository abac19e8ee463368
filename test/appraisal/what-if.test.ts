import { describe, expect, it } from 'vitest'
import { compareRankings, computeResults, whatIf } from '../../src/appraisal/index.js'
import { parsed, rankReversalInput, workedExampleInput } from './factories.js'

const P_ALPHA = (100 * (331 / 1.21)) / 350 // alpha's price score in the worked example, 78.158

describe('what-if', () => {
  it('recomputes the results with other top-level weights, without changing the file', () => {
    const file = parsed(workedExampleInput())
    const before = JSON.stringify(file)
    const outcome = whatIf(file, { groupWeights: { functional: 10, service: 90 } })
    if (!outcome.ok) throw new Error(outcome.errors.join('\n'))
    // alpha: 0.1 × 86.667 + 0.9 × 60 = 62.667; total 0.7 × 62.667 + 0.3 × 78.158 = 67.314
    // gamma: 0.1 × 46.667 + 0.9 × 60 = 58.667; total 0.7 × 58.667 + 30 = 71.067: gamma now first
    const [, alpha, , gamma] = outcome.results.options
    expect(alpha?.quality).toBeCloseTo(188 / 3, 10)
    expect(alpha?.total).toBeCloseTo(0.7 * (188 / 3) + 0.3 * P_ALPHA, 10)
    expect(gamma?.total).toBeCloseTo(0.7 * (176 / 3) + 30, 10)
    expect(outcome.results.preferred).toBe('gamma')
    expect(JSON.stringify(file)).toBe(before)
    expect(computeResults(file).preferred).toBe('alpha')
  })

  it('recomputes the results with another quality share of the split', () => {
    const outcome = whatIf(parsed(workedExampleInput()), { qualityShare: 40 })
    if (!outcome.ok) throw new Error(outcome.errors.join('\n'))
    // alpha: 0.4 × 76 + 0.6 × 78.158 = 77.295; gamma: 0.4 × 52 + 0.6 × 100 = 80.8
    expect(outcome.results.options[1]?.total).toBeCloseTo(0.4 * 76 + 0.6 * P_ALPHA, 10)
    expect(outcome.results.options[3]?.total).toBeCloseTo(80.8, 10)
    expect(outcome.results.preferred).toBe('gamma')
  })

  it('changes nothing with the split under price per quality point, which does not use it', () => {
    const file = parsed({ ...workedExampleInput(), priceFormula: 'price-per-quality-point' })
    const outcome = whatIf(file, { qualityShare: 0 })
    if (!outcome.ok) throw new Error(outcome.errors.join('\n'))
    expect(outcome.results.options.map((option) => option.total)).toEqual(computeResults(file).options.map((option) => option.total))
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
    // relative-to-lowest (50/50): A (60 + 100) / 2 = 80, B (90 + 100 × 100/145) / 2 = 79.48.
    // Per quality point: A 100/60 = 1.667, B 145/90 = 1.611 a point, so B scores 100 and
    // A 100 × 1.611 / 1.667 = 96.667; the total is the price score.
    const comparison = compareRankings(
      parsed(
        rankReversalInput([
          { id: 'a', quality: 60, price: 100 },
          { id: 'b', quality: 90, price: 145 },
        ]),
      ),
    )
    expect(comparison.relativeToLowest.preferred).toBe('a')
    expect(comparison.pricePerQualityPoint.preferred).toBe('b')
    expect(comparison.pricePerQualityPoint.options[0]?.total).toBeCloseTo((100 * 145 * 60) / (90 * 100), 10)
    expect(comparison.pricePerQualityPoint.options[1]?.total).toBe(100)
    expect(comparison.preferredDiffers).toBe(true)
    expect(comparison.summary).toBe('The price formulas disagree: relative-to-lowest prefers "a", price-per-quality-point prefers "b".')
  })

  it('says when they agree on the preferred option but order the others differently', () => {
    const comparison = compareRankings(
      parsed(
        rankReversalInput([
          { id: 'a', quality: 60, price: 100 },
          { id: 'b', quality: 90, price: 140 },
          { id: 'c', quality: 20, price: 60 },
        ]),
      ),
    )
    // relative: A (60 + 60) / 2 = 60, B (90 + 42.86) / 2 = 66.43, C (20 + 100) / 2 = 60 (ranks 2, 1, 2);
    // per point: A 1.667, B 1.556, C 3: B 100, A 93.3, C 51.9 (ranks 2, 1, 3)
    expect(comparison.relativeToLowest.options.map((entry) => entry.rank)).toEqual([2, 1, 2])
    expect(comparison.pricePerQualityPoint.options.map((entry) => entry.rank)).toEqual([2, 1, 3])
    expect(comparison.preferredDiffers).toBe(false)
    expect(comparison.orderDiffers).toBe(true)
    expect(comparison.summary).toBe('Both price formulas prefer "b", but they rank the other options differently.')
  })

  it('says what the split means when it gives cost no weight', () => {
    // relative-to-lowest ranks on quality alone (B 90 over A 60); per quality point A costs 1.667 a
    // point, B 160/90 = 1.778: A is preferred
    const input = rankReversalInput([
      { id: 'a', quality: 60, price: 100 },
      { id: 'b', quality: 90, price: 160 },
    ])
    const comparison = compareRankings(parsed({ ...input, split: { quality: 100, cost: 0 } }))
    expect(comparison.preferredDiffers).toBe(true)
    expect(comparison.summary).toBe(
      'The price formulas disagree: relative-to-lowest prefers "b", price-per-quality-point prefers "a". The split gives price no weight, so relative-to-lowest ranks on quality alone; price per quality point does not use the split.',
    )
  })
})
