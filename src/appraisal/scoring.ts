// Price scores, totals and ranks from each option's quality and present value of cost.
//
// Written over plain numeric arrays, without allocating, because the Monte Carlo analysis runs
// them tens of thousands of times; the results, the switching values and the price-formula
// comparison call the same functions, so each figure has one definition.

import type { PriceFormula } from './file-schema.js'

/** Totals within this distance of each other are equal: they share a rank. */
export const TIE_TOLERANCE = 1e-9

export interface Split {
  readonly quality: number
  readonly cost: number
}

/**
 * Writes each eligible option's price score (0..100) into `out`; NaN for the others.
 * - relative-to-lowest: 100 × lowest pvCost / pvCost; an option costing nothing scores 100.
 * - price-per-quality-point: ratio = pvCost / quality, 100 × lowest ratio / ratio; an option
 *   with quality 0 scores 0 (it buys no quality at any price); a ratio of 0 scores 100.
 */
export function priceScoresInto(
  out: Float64Array,
  pvCost: ArrayLike<number>,
  quality: ArrayLike<number>,
  eligible: ArrayLike<number>,
  formula: PriceFormula,
): void {
  const count = out.length
  if (formula === 'relative-to-lowest') {
    let lowest = Infinity
    for (let i = 0; i < count; i++) if (eligible[i] && (pvCost[i] as number) < lowest) lowest = pvCost[i] as number
    for (let i = 0; i < count; i++) {
      const cost = pvCost[i] as number
      out[i] = !eligible[i] ? NaN : cost === 0 ? 100 : 100 * (lowest / cost)
    }
    return
  }
  let lowestRatio = Infinity
  for (let i = 0; i < count; i++) {
    const q = quality[i] as number
    if (eligible[i] && q > 0) {
      const ratio = (pvCost[i] as number) / q
      if (ratio < lowestRatio) lowestRatio = ratio
    }
  }
  for (let i = 0; i < count; i++) {
    const q = quality[i] as number
    const ratio = (pvCost[i] as number) / q
    out[i] = !eligible[i] ? NaN : q <= 0 ? 0 : ratio === 0 ? 100 : 100 * (lowestRatio / ratio)
  }
}

/** Total (0..100) = (split.quality × quality + split.cost × priceScore) / (split.quality + split.cost). */
export function totalScore(quality: number, priceScore: number, split: Split): number {
  return (split.quality * quality + split.cost * priceScore) / (split.quality + split.cost)
}

/** Rank = 1 + the number of eligible options whose total is higher by more than the tolerance. */
export function ranksOf(totals: ArrayLike<number>, eligible: ArrayLike<number>): (number | null)[] {
  const ranks: (number | null)[] = []
  for (let i = 0; i < totals.length; i++) {
    if (!eligible[i]) {
      ranks.push(null)
      continue
    }
    let higher = 0
    for (let j = 0; j < totals.length; j++) {
      if (eligible[j] && (totals[j] as number) > (totals[i] as number) + TIE_TOLERANCE) higher++
    }
    ranks.push(higher + 1)
  }
  return ranks
}

/** The index of the single option ranked first, or -1 when there is a tie or no eligible option. */
export function preferredIndex(ranks: readonly (number | null)[]): number {
  let found = -1
  for (let i = 0; i < ranks.length; i++) {
    if (ranks[i] !== 1) continue
    if (found !== -1) return -1
    found = i
  }
  return found
}

export interface RankingInput {
  readonly quality: ArrayLike<number>
  readonly pvCost: ArrayLike<number>
  readonly eligible: ArrayLike<number>
  readonly split: Split
  readonly priceFormula: PriceFormula
}

export interface Ranking {
  /** NaN for ineligible options. */
  readonly priceScores: Float64Array
  /** NaN for ineligible options. */
  readonly totals: Float64Array
  readonly ranks: (number | null)[]
  /** Index of the preferred option, -1 for none. */
  readonly preferred: number
}

export function rankOptions(input: RankingInput): Ranking {
  const count = input.quality.length
  const priceScores = new Float64Array(count)
  priceScoresInto(priceScores, input.pvCost, input.quality, input.eligible, input.priceFormula)
  const totals = new Float64Array(count)
  for (let i = 0; i < count; i++) {
    totals[i] = input.eligible[i] ? totalScore(input.quality[i] as number, priceScores[i] as number, input.split) : NaN
  }
  const ranks = ranksOf(totals, input.eligible)
  return { priceScores, totals, ranks, preferred: preferredIndex(ranks) }
}

/** -1, 0 or 1 as `a` is below, level with (within the tolerance) or above `b`. */
export function compareTotals(a: number, b: number): number {
  if (a > b + TIE_TOLERANCE) return 1
  if (b > a + TIE_TOLERANCE) return -1
  return 0
}
