// What moderation needs to know about the individual scores on one criterion for one option, and
// whether moderation is complete.

import { weighCriteria, type CriterionNodeLike } from './weights.js'

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

/**
 * How far moderation has got, and whether it is complete: the one rule for sign-off, for when
 * finance and observers may see the ranking, and for the pages that show progress. Moderation is
 * complete when every option has a consensus on every scored leaf and every gate of the tree as it
 * is now. A consensus on a node that has since become a group does not count, and nor does one on
 * a criterion no longer there: what counts is the tree's leaves and gates, not a number of rows.
 */
export interface ModerationState {
  /** The criteria (scored leaves and gates, in the tree's order) each option needs a consensus on. */
  readonly needed: readonly string[]
  /** For each option, the needed criteria it has no consensus on yet. */
  readonly missing: ReadonlyMap<string, readonly string[]>
  readonly complete: boolean
}

export function moderationState(
  criteria: readonly CriterionNodeLike[],
  options: readonly string[],
  consensus: readonly { readonly option: string; readonly criterion: string }[],
): ModerationState {
  const weights = weighCriteria(criteria)
  const needed = weights.nodes.filter((node) => node.role === 'scored' || node.role === 'gate').map((node) => node.id)
  const agreed = new Set(consensus.map((c) => `${c.option}\u0000${c.criterion}`))
  const missing = new Map(options.map((option) => [option, needed.filter((criterion) => !agreed.has(`${option}\u0000${criterion}`))]))
  return { needed, missing, complete: [...missing.values()].every((list) => list.length === 0) }
}
