// The results of an appraisal (`options-appraisal-results/1`), at full precision.

import type { EvaluationFile } from './file-schema.js'
import { requireFinite } from './finite.js'
import { panelStateOfFile, type OptionPanelState, type PanelState } from './moderation.js'
import { prepareModel, topLevelScores, type CellTotal, type PreparedModel } from './model.js'
import { rankOptions, type Ranking } from './scoring.js'
import { trialResult, type TrialResult } from './trials.js'
import { weightingResults, type RoundResult } from './weighting.js'

export const RESULTS_FORMAT = 'options-appraisal-results/1'

export interface GroupResult {
  readonly id: string
  readonly name: string
  /** 0..100 within the group; null for a group with no scored criterion. */
  readonly score: number | null
  /** The group's part of the option's quality; contributions sum to quality. */
  readonly contribution: number
}

export interface YearResult {
  readonly year: number
  readonly calendarYear: number
  readonly discountFactor: number
  readonly cost: number
  readonly benefit: number
  readonly pvCost: number
  readonly pvBenefit: number
}

export interface OptionResult {
  readonly id: string
  readonly name: string
  readonly baseline: boolean
  /** A tender (a supplier's bid); the baseline and other options, such as a do-minimum, are not. */
  readonly tender: boolean
  /** A tender that fails no gate: only these have a price score, a total and a rank. */
  readonly eligible: boolean
  readonly failedGates: string[]
  readonly complete: boolean
  readonly quality: number
  readonly priceScore: number | null
  readonly total: number | null
  readonly rank: number | null
  readonly pvCost: number
  /** Present value of the price lines, without optimism bias: the price score is scored on it (tenders only). */
  readonly pvPrice: number
  readonly pvBenefit: number
  readonly undiscountedCost: number
  readonly npsv: number
  /** npsv from the cash lines only: the part of the case that releases or costs cash. */
  readonly cashNpsv: number
  readonly bcr: number | null
  readonly eac: number
  readonly sunkCost: number
  readonly groups: GroupResult[]
  readonly years: YearResult[]
  /**
   * Where moderation of this option stands (extension): the evaluators who have still to submit it,
   * those excused from it, the criteria with no consensus yet, and the evaluators who have still to
   * confirm (or dissent from) its consensus. `complete` is about scores; this is about the panel.
   */
  readonly moderation: OptionPanelState
  /** When the file has trials: what the frontline found trying this option (extension, trials.ts). */
  readonly trial?: TrialResult
}

export interface AppraisalResults {
  readonly format: typeof RESULTS_FORMAT
  /** The preferred tender, or null. */
  readonly preferred: string | null
  /** The option of highest npsv over all options, or null when another is within 0.01 of it. */
  readonly highestNpsv: string | null
  readonly complete: boolean
  /** Every consensus recorded, every submission or excuse, every confirmation (extension). */
  readonly moderated: boolean
  readonly warnings: string[]
  readonly options: OptionResult[]
  /** When the file has weighting rounds: each round's figures (extension, weighting.ts). */
  readonly weighting?: RoundResult[]
}

export function computeResults(file: EvaluationFile): AppraisalResults {
  return resultsFromModel(prepareModel(file))
}

/**
 * The same results from a file read without its individual scores and the totals of the cells that
 * have no consensus score (`readResultsInput` in src/db/evaluation-file.ts): what the results page
 * reads, so it does not carry every individual score out of the database.
 */
export function computeResultsFromTotals(file: EvaluationFile, totals: readonly CellTotal[]): AppraisalResults {
  // The file carries no consensus here: which cells have one comes from the totals.
  const consensus = totals.filter((t) => t.consensus !== null).map((t) => ({ option: t.option, criterion: t.criterion, score: t.consensus! }))
  return resultsFromModel(prepareModel(file, totals), panelStateOfFile({ ...file, consensus }))
}

export function resultsFromModel(model: PreparedModel, panel: PanelState = panelStateOfFile(model.file)): AppraisalResults {
  const ranking = rankModel(model)
  const options = model.file.options.map((option, o): OptionResult => {
    const eligible = model.eligible[o] === 1
    const pvCost = model.pvCost[o] as number
    const pvBenefit = model.pvBenefit[o] as number
    const { npsv, bcr } = netValue(model, o)
    requireFinite(npsv, `options[${o}]`, 'net present social value')
    requireFinite(bcr, `options[${o}]`, 'benefit-cost ratio')
    return {
      id: option.id,
      name: option.name,
      baseline: option.baseline,
      tender: model.tender[o] === 1,
      eligible,
      failedGates: model.failedGates[o] ?? [],
      complete: model.missingLeaves[o] === 0 && model.missingGates[o] === 0,
      quality: model.quality[o] as number,
      priceScore: eligible ? (ranking.priceScores[o] as number) : null,
      total: eligible ? (ranking.totals[o] as number) : null,
      rank: ranking.ranks[o] ?? null,
      pvCost,
      pvPrice: model.pvPrice[o] as number,
      pvBenefit,
      undiscountedCost: model.undiscountedCost[o] as number,
      npsv,
      cashNpsv: netValue(model, o, 'cash').npsv,
      bcr,
      eac: pvCost / model.annuityFactor,
      sunkCost: model.sunkCost[o] as number,
      groups: groupResults(model, o),
      years: yearResults(model, o),
      moderation: panel.options.get(option.id)!,
      ...(model.file.trials !== undefined ? { trial: trialResult(option.id, option.name, model.file.trials.tasks, model.file.trials.sessions) } : {}),
    }
  })
  return {
    format: RESULTS_FORMAT,
    preferred: ranking.preferred === -1 ? null : (model.optionIds[ranking.preferred] ?? null),
    highestNpsv: highestNpsvOf(options),
    complete: options.every((option) => option.complete),
    moderated: panel.ready,
    warnings: [...model.warnings, ...splitWarnings(model), ...rankingWarnings(model, ranking)],
    options,
    ...(model.file.weighting !== undefined ? { weighting: weightingResults(model.file.weighting) } : {}),
  }
}

/** The ranking under the file's own split and price formula. */
export function rankModel(model: PreparedModel): Ranking {
  return rankOptions({
    quality: model.quality,
    pvPrice: model.pvPrice,
    eligible: model.eligible,
    split: model.split,
    priceFormula: model.file.priceFormula,
  })
}

/**
 * With a baseline b: npsv = (pvBenefit − pvCost) − (pvBenefit_b − pvCost_b) and
 * bcr = (pvBenefit − pvBenefit_b) / (pvCost − pvCost_b) when that denominator is above 0; the
 * baseline's own npsv is 0 and bcr null. Without one: npsv = pvBenefit − pvCost and
 * bcr = pvBenefit / pvCost when pvCost is above 0. With `lines` 'cash', the same from the cash
 * lines only (cashNpsv).
 */
export function netValue(model: PreparedModel, o: number, lines: 'all' | 'cash' = 'all'): { npsv: number; bcr: number | null } {
  const costs = lines === 'cash' ? model.cashPvCost : model.pvCost
  const benefits = lines === 'cash' ? model.cashPvBenefit : model.pvBenefit
  const pvCost = costs[o] as number
  const pvBenefit = benefits[o] as number
  const b = model.baselineIndex
  if (b === -1) return { npsv: pvBenefit - pvCost, bcr: pvCost > 0 ? pvBenefit / pvCost : null }
  if (b === o) return { npsv: 0, bcr: null }
  const baseCost = costs[b] as number
  const baseBenefit = benefits[b] as number
  const extraCost = pvCost - baseCost
  return {
    npsv: pvBenefit - pvCost - (baseBenefit - baseCost),
    bcr: extraCost > 0 ? (pvBenefit - baseBenefit) / extraCost : null,
  }
}

function groupResults(model: PreparedModel, o: number): GroupResult[] {
  const scores = topLevelScores(model, o)
  return model.topLevel.map((entry, i) => {
    const score = scores[i] ?? null
    return { id: entry.id, name: entry.name, score, contribution: score === null ? 0 : entry.share * score }
  })
}

function yearResults(model: PreparedModel, o: number): YearResult[] {
  const years = model.discountFactors.length
  const cost = sumYearly(model.costLines, o, years)
  const benefit = sumYearly(model.benefitLines, o, years)
  return model.discountFactors.map((discountFactor, t) => ({
    year: t,
    calendarYear: model.file.appraisal.baseYear + t,
    discountFactor,
    cost: cost[t] as number,
    benefit: benefit[t] as number,
    pvCost: (cost[t] as number) * discountFactor,
    pvBenefit: (benefit[t] as number) * discountFactor,
  }))
}

function sumYearly(lines: PreparedModel['costLines'], o: number, years: number): Float64Array {
  const sums = new Float64Array(years)
  for (const line of lines) {
    if (line.option !== o) continue
    for (let t = 0; t < years; t++) sums[t] = (sums[t] as number) + (line.yearly[t] as number)
  }
  return sums
}

/** Npsv figures within this distance (a hundredth of the currency unit, inclusive) are level. */
export const NPSV_TOLERANCE = 0.01

/** The option of highest npsv over all options, or null when another's is within 0.01 of it. */
export function highestNpsvOf(options: readonly { id: string; npsv: number }[]): string | null {
  let best: { id: string; npsv: number } | null = null
  for (const option of options) if (best === null || option.npsv > best.npsv) best = option
  if (best === null) return null
  const top = best
  return options.some((option) => option !== top && option.npsv >= top.npsv - NPSV_TOLERANCE) ? null : top.id
}

/** Under price per quality point the total is the price score, so a split with a cost share is not used. */
function splitWarnings(model: PreparedModel): string[] {
  if (model.file.priceFormula !== 'price-per-quality-point' || model.split.cost === 0) return []
  return [
    `split: not used under the price-per-quality-point formula, whose ratio already holds quality: the total is the price score itself (the split's cost share of ${formatScore(model.split.cost)} is kept in the file but changes nothing)`,
  ]
}

function rankingWarnings(model: PreparedModel, ranking: Ranking): string[] {
  if (!model.tender.includes(1)) return ['no option is a tender: none is given a price score, a total or a rank']
  if (!model.eligible.includes(1)) return ['no tender is eligible: every tender fails at least one gate']
  if (ranking.preferred !== -1) return []
  return [noPreferenceReason(model, ranking)]
}

/** Why no option is preferred, in words, for the warnings and the sensitivity section. */
export function noPreferenceReason(model: PreparedModel, ranking: Ranking): string {
  if (!model.tender.includes(1)) return 'no option is preferred: no option is a tender'
  if (!model.eligible.includes(1)) return 'no option is preferred: every tender fails at least one gate'
  const tied = model.optionIds.filter((_, o) => ranking.ranks[o] === 1).map((id) => `"${id}"`)
  const top = Math.max(...Array.from(ranking.totals).filter((total) => !Number.isNaN(total)))
  const names = tied.length === 2 ? tied.join(' and ') : `${tied.slice(0, -1).join(', ')} and ${tied.at(-1) ?? ''}`
  return `no option is preferred: ${names} tie for first place on ${formatScore(top)}`
}

/** For messages only: at most two decimals. */
export function formatScore(value: number): string {
  return String(Math.round(value * 100) / 100)
}
