import { describe, expect, it } from 'vitest'
import { scoreSpread } from '../../src/appraisal/index.js'

describe('the spread of a panel’s scores', () => {
  it('gives min, max, range, mean and median of an odd number of scores', () => {
    // 2, 3, 5: range 3, mean 10/3, median 3.
    expect(scoreSpread([5, 2, 3], 1)).toEqual({ count: 3, min: 2, max: 5, range: 3, mean: 10 / 3, median: 3, roundedMedian: 3, withinTolerance: false })
  })

  it('takes the middle two for an even number, and rounds a half up', () => {
    // 3, 4: median 3.5, rounded to 4; range 1 is within a tolerance of 1.
    const spread = scoreSpread([4, 3], 1)!
    expect([spread.median, spread.roundedMedian, spread.withinTolerance]).toEqual([3.5, 4, true])
  })

  it('treats a range equal to the tolerance as within it, and one above as outside', () => {
    expect(scoreSpread([1, 3], 2)!.withinTolerance).toBe(true)
    expect(scoreSpread([1, 3], 1.5)!.withinTolerance).toBe(false)
    expect(scoreSpread([0.1, 0.3], 0.2)!.withinTolerance).toBe(true)
  })

  it('has nothing to say when nobody has scored', () => {
    expect(scoreSpread([], 1)).toBeNull()
  })
})
