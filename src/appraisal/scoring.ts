// Price scores, totals and ranks from each option's quality and present value of its tendered price.
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
 * Writes each eligible option's price score (0..100) into `out`; NaN for the others. `pvPrice` is
 * the present value of each option's price lines, without optimism bias.
 * - relative-to-lowest: 100 × lowest pvPrice / pvPrice; an option priced at nothing scores 100.
 * - price-per-quality-point: ratio = pvPrice / quality (the price of one quality point),
 *   100 × lowest ratio / ratio; an option with quality 0 scores 0 (it buys no quality at any
 *   price); a ratio of 0 scores 100.
 */
export function priceScoresInto(
  out: Float64Array,
  pvPrice: ArrayLike<number>,
  quality: ArrayLike<number>,
  eligible: ArrayLike<number>,
  formula: PriceFormula,
): void {
  const count = out.length
  if (formula === 'relative-to-lowest') {
    let lowest = Infinity
    for (let i = 0; i < count; i++) if (eligible[i] && (pvPrice[i] as number) < lowest) lowest = pvPrice[i] as number
    for (let i = 0; i < count; i++) {
      const cost = pvPrice[i] as number
      out[i] = !eligible[i] ? NaN : cost === 0 ? 100 : 100 * (lowest / cost)
    }
    return
  }
  let lowestRatio = Infinity
  for (let i = 0; i < count; i++) {
    const q = quality[i] as number
    if (eligible[i] && q > 0) {
      const ratio = (pvPrice[i] as number) / q
      if (ratio < lowestRatio) lowestRatio = ratio
    }
  }
  for (let i = 0; i < count; i++) {
    const q = quality[i] as number
    const ratio = (pvPrice[i] as number) / q
    out[i] = !eligible[i] ? NaN : q <= 0 ? 0 : ratio === 0 ? 100 : 100 * (lowestRatio / ratio)
  }
}

/**
 * Total (0..100). relative-to-lowest: (split.quality × quality + split.cost × priceScore) /
 * (split.quality + split.cost). price-per-quality-point: the price score itself, since its ratio
 * already holds quality (blending it with quality again by the split would count quality twice).
 */
export function totalScore(quality: number, priceScore: number, split: Split, formula: PriceFormula): number {
  if (formula === 'price-per-quality-point') return priceScore
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
  /** Present value of each option's price lines, without optimism bias. */
  readonly pvPrice: ArrayLike<number>
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
  priceScoresInto(priceScores, input.pvPrice, input.quality, input.eligible, input.priceFormula)
  const totals = new Float64Array(count)
  for (let i = 0; i < count; i++) {
    totals[i] = input.eligible[i] ? totalScore(input.quality[i] as number, priceScores[i] as number, input.split, input.priceFormula) : NaN
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
