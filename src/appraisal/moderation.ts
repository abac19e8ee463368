// What moderation needs to know about the individual scores on one criterion for one option.

export interface ScoreSpread {
  readonly count: number
  readonly min: number
  readonly max: number
  /** max − min: how far apart the panel is. */
  readonly range: number
  readonly mean: number
  readonly median: number
  /** The median rounded half up to a whole score: what bulk acceptance records as the consensus. */
  readonly roundedMedian: number
  /** The range is at most the tolerance, so the scores can be accepted without discussion. */
  readonly withinTolerance: boolean
}

/** The spread of the individual scores, or null when nobody has scored. */
export function scoreSpread(scores: readonly number[], tolerance: number): ScoreSpread | null {
  if (scores.length === 0) return null
  const sorted = [...scores].sort((a, b) => a - b)
  const min = sorted[0]!
  const max = sorted[sorted.length - 1]!
  const middle = Math.floor(sorted.length / 2)
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
  const mean = sorted.reduce((sum, s) => sum + s, 0) / sorted.length
  // A small allowance so that a range of 1 is within a tolerance of 1 whatever the float arithmetic.
  const withinTolerance = max - min <= tolerance + 1e-9
  return { count: sorted.length, min, max, range: max - min, mean, median, roundedMedian: Math.floor(median + 0.5), withinTolerance }
}
