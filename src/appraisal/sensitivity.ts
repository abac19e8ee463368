// Sensitivity of the recommendation: switching values for weights and costs, the effect of
// removing each option, the switching value of every cost and benefit line for its option's npsv,
// and a Monte Carlo analysis (see docs/maths.md).

import { netValue, noPreferenceReason, rankModel, resultsFromModel, type AppraisalResults } from './compute.js'
import type { EvaluationFile } from './file-schema.js'
import { prepareModel, topLevelScores, type PreparedLine, type PreparedModel } from './model.js'
import { runMonteCarlo, type MonteCarloResult } from './monte-carlo.js'
import { compareTotals, rankOptions, TIE_TOLERANCE, type Ranking } from './scoring.js'

export interface WeightSwitch {
  /** A top-level group or criterion, or "split" for the quality share of the quality/cost split. */
  readonly id: string
  /** Its share now, percent. */
  readonly current: number
  /** The share (percent) nearest to current at which another option draws level or overtakes; null if none in 0..100. */
  readonly switchesAt: number | null
  /** The option in first place just beyond switchesAt. */
  readonly newPreferred: string | null
}

export interface CostSwitch {
  readonly id: string
  /**
   * Preferred option: the % increase of its costs at which it stops being preferred (searched to
   * +1000%). Any other: the % decrease of its costs (0..100) at which it becomes preferred or ties.
   * Null when no such change exists.
   */
  readonly switchesAt: number | null
}

export interface IrrelevantAlternative {
  readonly removed: string
  readonly preferred: string | null
  /** Whether the order of the options that remain changed when this one was removed. */
  readonly orderChanged: boolean
}

/** The switching value of one cost or benefit line for its own option's npsv. */
export interface LineSwitch {
  readonly kind: 'cost' | 'benefit'
  /** The line's position in the file's `costs` or `benefits`. */
  readonly index: number
  readonly option: string
  /** The line's present value (with optimism bias for a cost). */
  readonly pv: number
  /**
   * The % change of this line's amount (−100 .. +1000) at which its option's npsv reaches 0:
   * 100 × npsv / pv for a cost, −100 × npsv / pv for a benefit; null outside that range or when pv is 0.
   */
  readonly switchesAt: number | null
}

export interface Sensitivity {
  readonly weights: WeightSwitch[]
  readonly costs: CostSwitch[]
  readonly irrelevantAlternatives: IrrelevantAlternative[]
  readonly lines: LineSwitch[]
  readonly monteCarlo: MonteCarloResult
}

/** No preferred tender: the parts about the recommendation are not computed; the lines' switching values are. */
export interface SensitivityNotComputed {
  readonly computed: false
  readonly reason: string
  readonly lines: LineSwitch[]
}

export type SensitivityOutcome = { readonly computed: true; readonly sensitivity: Sensitivity; readonly warnings: string[] } | SensitivityNotComputed

export interface SensitivityOptions {
  readonly iterations?: number
  readonly seed?: number
}

export const DEFAULT_ITERATIONS = 10_000

/**
 * The most Monte Carlo iterations asked for: in the app, where one request must not hold the server
 * (100,000 of the largest evaluation the file allows take seconds), and on the command line, where
 * the only one kept waiting is the one who asked (and memory, 8 bytes an option an iteration, is the
 * bound).
 */
export const MAX_ITERATIONS = { app: 100_000, commandLine: 1_000_000 } as const
export const DEFAULT_SEED = 1

/** The largest cost increase searched for the preferred option: +1000%. */
const MAX_COST_INCREASE = 10

/** Step of the scan for switching values where totals are not linear: 0.01 percentage points. */
const SCAN_STEP = 0.0001

export type ResultsWithSensitivity = AppraisalResults & { readonly sensitivity: Sensitivity | SensitivityNotComputed }

export function computeSensitivity(file: EvaluationFile, options: SensitivityOptions = {}): SensitivityOutcome {
  return sensitivityFromModel(prepareModel(file), options)
}

/** The results with a `sensitivity` section, and its warnings added to the results' warnings. */
export function computeResultsWithSensitivity(file: EvaluationFile, options: SensitivityOptions = {}): ResultsWithSensitivity {
  return resultsWithSensitivityFromModel(prepareModel(file), options)
}

/** The same from a model already prepared (the report prepares one and uses it for its tables too). */
export function resultsWithSensitivityFromModel(model: PreparedModel, options: SensitivityOptions = {}): ResultsWithSensitivity {
  const results = resultsFromModel(model)
  const outcome = sensitivityFromModel(model, options)
  if (!outcome.computed) return { ...results, sensitivity: outcome }
  return { ...results, warnings: [...results.warnings, ...outcome.warnings], sensitivity: outcome.sensitivity }
}

export function sensitivityFromModel(model: PreparedModel, options: SensitivityOptions = {}): SensitivityOutcome {
  const ranking = rankModel(model)
  const lines = lineSwitches(model)
  if (ranking.preferred === -1) return { computed: false, reason: noPreferenceReason(model, ranking), lines }
  const warnings: string[] = []
  const irrelevantAlternatives = irrelevantAlternativesOf(model, ranking)
  for (const entry of irrelevantAlternatives.filter((alternative) => alternative.orderChanged)) {
    warnings.push(
      `irrelevant alternatives: removing option "${entry.removed}" changes the order of the options that remain ` +
        `under the ${model.file.priceFormula} price formula` +
        (entry.preferred !== model.optionIds[ranking.preferred]
          ? ` (the preferred option would be ${entry.preferred === null ? 'none' : `"${entry.preferred}"`})`
          : ''),
    )
  }
  const monteCarlo = runMonteCarlo(model, {
    iterations: options.iterations ?? DEFAULT_ITERATIONS,
    seed: options.seed ?? DEFAULT_SEED,
  })
  const withoutEligible = monteCarlo.iterationsWithoutEligible
  if (withoutEligible === monteCarlo.result.iterations) {
    warnings.push('monte carlo: in every iteration every option failed a gate, so no option came first')
  } else if (withoutEligible > 0) {
    warnings.push(
      `monte carlo: in ${withoutEligible} of ${monteCarlo.result.iterations} iterations every option failed a gate; ` +
        'probabilityFirst is the share of the other iterations',
    )
  }
  return {
    computed: true,
    sensitivity: {
      weights: weightSwitches(model, ranking),
      costs: costSwitches(model, ranking),
      irrelevantAlternatives,
      lines,
      monteCarlo: monteCarlo.result,
    },
    warnings,
  }
}

// ---------------------------------------------------------------------------------------------
// Weights

/**
 * Totals of the eligible options as one share varies over 0..1: either straight lines
 * a + b × share (exact switching values), or a function to scan when price scores move with
 * quality (price per quality point).
 */
type TotalsAlongShare =
  | { readonly linear: true; readonly a: Float64Array; readonly b: Float64Array }
  | { readonly linear: false; readonly at: (share: number) => Float64Array }

function weightSwitches(model: PreparedModel, ranking: Ranking): WeightSwitch[] {
  const preferred = ranking.preferred
  const entries: WeightSwitch[] = []
  const scores = model.optionIds.map((_, o) => topLevelScores(model, o))
  model.topLevel.forEach((entry, g) => {
    if (entry.kind === 'unscored-group') return
    const current = entry.share
    const others = 1 - current
    if (others <= 0) {
      // The only weighted entry at the top level: its share cannot move.
      entries.push({ id: entry.id, current: 100, switchesAt: null, newPreferred: null })
      return
    }
    // quality(w) = w × G + (1 − w) × R, with R the quality from the other entries renormalised.
    const G = Float64Array.from(scores, (optionScores) => optionScores[g] ?? 0)
    const R = Float64Array.from(scores, (optionScores) =>
      model.topLevel.reduce((sum, other, j) => (j === g ? sum : sum + (other.share / others) * (optionScores[j] ?? 0)), 0),
    )
    const qualityAt = (w: number): Float64Array => G.map((gScore, o) => w * gScore + (1 - w) * (R[o] as number))
    entries.push(switchOf(entry.id, current, totalsAlongShare(model, ranking, G, R, qualityAt), model, preferred))
  })

  // The split: total(q) = q × quality + (1 − q) × priceScore under relative-to-lowest. Under price
  // per quality point the total is the price score and the split changes nothing.
  const { quality: sq, cost: sc } = model.split
  if (model.file.priceFormula === 'price-per-quality-point') {
    entries.push({ id: 'split', current: (100 * sq) / (sq + sc), switchesAt: null, newPreferred: null })
    return entries
  }
  const price = ranking.priceScores
  const a = Float64Array.from(price, (p) => (!Number.isNaN(p) ? p : 0))
  const b = Float64Array.from(model.quality, (q, o) => q - (a[o] as number))
  entries.push(switchOf('split', sq / (sq + sc), { linear: true, a, b }, model, preferred))
  return entries
}

function totalsAlongShare(model: PreparedModel, ranking: Ranking, G: Float64Array, R: Float64Array, qualityAt: (w: number) => Float64Array): TotalsAlongShare {
  const { quality: sq, cost: sc } = model.split
  const sum = sq + sc
  if (model.file.priceFormula === 'relative-to-lowest') {
    // Relative-to-lowest price scores do not depend on quality, so totals are linear in the share.
    const price = ranking.priceScores
    const a = Float64Array.from(R, (r, o) => (sq * r + sc * (!Number.isNaN(price[o] as number) ? (price[o] as number) : 0)) / sum)
    const b = Float64Array.from(G, (gScore, o) => (sq * (gScore - (R[o] as number))) / sum)
    return { linear: true, a, b }
  }
  return {
    linear: false,
    at: (w) =>
      rankOptions({ quality: qualityAt(w), pvPrice: model.pvPrice, eligible: model.eligible, split: model.split, priceFormula: model.file.priceFormula })
        .totals,
  }
}

function switchOf(id: string, current: number, totals: TotalsAlongShare, model: PreparedModel, preferred: number): WeightSwitch {
  const at = totals.linear ? linearSwitch(totals.a, totals.b, model.eligible, preferred, current) : scannedSwitch(totals.at, model.eligible, preferred, current)
  if (at === null) return { id, current: 100 * current, switchesAt: null, newPreferred: null }
  const totalsAt = totals.linear ? (w: number): Float64Array => totals.a.map((a, o) => a + (totals.b[o] as number) * w) : totals.at
  const leader = leaderBeyond(totalsAt, at, at > current ? 1 : -1, model.eligible, preferred)
  return { id, current: 100 * current, switchesAt: 100 * at, newPreferred: model.optionIds[leader] ?? null }
}

/**
 * Where the first of the straight lines T_o(w) = a_o + b_o × w meets the preferred option's,
 * searching up and down from `current` within 0..1; the nearer crossing, or null.
 */
function linearSwitch(a: Float64Array, b: Float64Array, eligible: Uint8Array, preferred: number, current: number): number | null {
  let up = Infinity
  let down = -Infinity
  for (let o = 0; o < a.length; o++) {
    if (o === preferred || !eligible[o]) continue
    const gap = (a[preferred] as number) - (a[o] as number)
    const slope = (b[preferred] as number) - (b[o] as number)
    if (slope === 0) continue
    const crossing = -gap / slope
    if (slope < 0 && crossing > current && crossing <= 1 + 1e-12) up = Math.min(up, Math.min(crossing, 1))
    if (slope > 0 && crossing < current && crossing >= -1e-12) down = Math.max(down, Math.max(crossing, 0))
  }
  return nearer(current, up, down)
}

/**
 * For totals that are not straight lines: step 0.01 points each way from `current` to the first
 * share where another option draws level, then narrow the step by bisection.
 */
function scannedSwitch(totalsAt: (w: number) => Float64Array, eligible: Uint8Array, preferred: number, current: number): number | null {
  const lost = (w: number): boolean => preferredLost(totalsAt(w), eligible, preferred)
  const search = (direction: 1 | -1): number => {
    let previous = current
    for (let step = 1; ; step++) {
      const w = Math.min(1, Math.max(0, current + direction * step * SCAN_STEP))
      if (lost(w)) return bisect(previous, w, lost)
      if (w === 0 || w === 1) return direction * Infinity
      previous = w
    }
  }
  return nearer(current, search(1), search(-1))
}

function nearer(current: number, up: number, down: number): number | null {
  if (up === Infinity && down === -Infinity) return null
  return up - current < current - down ? up : down
}

/** True when some other eligible option's total is level with (within the tolerance) or above the preferred one's. */
function preferredLost(totals: Float64Array, eligible: ArrayLike<number>, preferred: number): boolean {
  const own = totals[preferred] as number
  for (let o = 0; o < totals.length; o++) {
    if (o !== preferred && eligible[o] && (totals[o] as number) >= own - TIE_TOLERANCE) return true
  }
  return false
}

/** Narrows [kept, lost] (kept: preferred still first; lost: not) to the switching point; returns the lost end. */
function bisect(kept: number, lost: number, hasLost: (x: number) => boolean): number {
  let good = kept
  let bad = lost
  for (let i = 0; i < 60 && Math.abs(bad - good) > 1e-12; i++) {
    const middle = (good + bad) / 2
    if (hasLost(middle)) bad = middle
    else good = middle
  }
  return bad
}

/** The option first just beyond a switching point (the best other option if the point is at the end of the range). */
function leaderBeyond(totalsAt: (w: number) => Float64Array, at: number, direction: 1 | -1, eligible: Uint8Array, preferred: number): number {
  const beyond = Math.min(1, Math.max(0, at + direction * 1e-7))
  const totals = totalsAt(beyond)
  const best = bestOption(totals, eligible, -1)
  return best === preferred ? bestOption(totalsAt(at), eligible, preferred) : best
}

function bestOption(totals: Float64Array, eligible: ArrayLike<number>, excluded: number): number {
  let best = -1
  for (let o = 0; o < totals.length; o++) {
    if (o === excluded || !eligible[o]) continue
    if (best === -1 || (totals[o] as number) > (totals[best] as number)) best = o
  }
  return best
}

// ---------------------------------------------------------------------------------------------
// Costs

function costSwitches(model: PreparedModel, ranking: Ranking): CostSwitch[] {
  const preferred = ranking.preferred
  const switches: CostSwitch[] = []
  model.optionIds.forEach((id, o) => {
    if (!model.eligible[o]) return
    if (o === preferred) {
      // Raising the preferred option's costs only lowers its total and never lowers the others',
      // so "has lost first place" switches once along the way: bisection finds where.
      const lost = (x: number): boolean => preferredLost(totalsWithCost(model, o, 1 + x), model.eligible, o)
      const at = lost(MAX_COST_INCREASE) ? bisect(0, MAX_COST_INCREASE, lost) : null
      switches.push({ id, switchesAt: at === null ? null : 100 * at })
    } else {
      // Cutting this option's costs only raises its total and never raises the others'.
      const leads = (y: number): boolean => {
        const totals = totalsWithCost(model, o, 1 - y)
        const best = bestOption(totals, model.eligible, o)
        return best === -1 || (totals[o] as number) >= (totals[best] as number) - TIE_TOLERANCE
      }
      const at = leads(1) ? bisect(0, 1, leads) : null
      switches.push({ id, switchesAt: at === null ? null : 100 * at })
    }
  })
  return switches
}

/**
 * Totals with all of one option's cost lines multiplied by `factor`: its pvCost and its pvPrice
 * scale alike, and the totals move only through pvPrice.
 */
function totalsWithCost(model: PreparedModel, option: number, factor: number): Float64Array {
  const pvPrice = Float64Array.from(model.pvPrice)
  pvPrice[option] = (pvPrice[option] as number) * factor
  return rankOptions({ quality: model.quality, pvPrice, eligible: model.eligible, split: model.split, priceFormula: model.file.priceFormula }).totals
}

// ---------------------------------------------------------------------------------------------
// Irrelevant alternatives

function irrelevantAlternativesOf(model: PreparedModel, ranking: Ranking): IrrelevantAlternative[] {
  const entries: IrrelevantAlternative[] = []
  model.optionIds.forEach((removed, r) => {
    if (!model.eligible[r]) return
    const eligible = Uint8Array.from(model.eligible)
    eligible[r] = 0
    const without = rankOptions({ quality: model.quality, pvPrice: model.pvPrice, eligible, split: model.split, priceFormula: model.file.priceFormula })
    entries.push({
      removed,
      preferred: without.preferred === -1 ? null : (model.optionIds[without.preferred] ?? null),
      orderChanged: orderChanged(ranking.totals, without.totals, eligible),
    })
  })
  return entries
}

// ---------------------------------------------------------------------------------------------
// Lines

/** Every line's switching value: exact, since an option's npsv is a straight line in one line's amount. */
function lineSwitches(model: PreparedModel): LineSwitch[] {
  const npsv = model.optionIds.map((_, o) => netValue(model, o).npsv)
  const entries: LineSwitch[] = []
  const add = (kind: 'cost' | 'benefit', line: PreparedLine): void => {
    if (line.option === model.baselineIndex) return
    const pv = line.presentValue
    const value = npsv[line.option] as number
    const change = pv === 0 ? null : ((kind === 'cost' ? 100 : -100) * value) / pv
    entries.push({
      kind,
      index: line.index,
      option: model.optionIds[line.option] ?? '',
      pv,
      switchesAt: change !== null && change >= -100 && change <= 100 * MAX_COST_INCREASE ? change : null,
    })
  }
  for (const line of model.costLines) add('cost', line)
  for (const line of model.benefitLines) add('benefit', line)
  return entries
}

/** Whether any two remaining options compare differently (above, level, below) before and after. */
function orderChanged(before: Float64Array, after: Float64Array, remaining: Uint8Array): boolean {
  for (let i = 0; i < remaining.length; i++) {
    if (!remaining[i]) continue
    for (let j = i + 1; j < remaining.length; j++) {
      if (!remaining[j]) continue
      if (compareTotals(before[i] as number, before[j] as number) !== compareTotals(after[i] as number, after[j] as number)) return true
    }
  }
  return false
}
