// The prepared model: every input of the appraisal indexed once into flat arrays.
//
// The results, the switching values, the price-formula comparison and the Monte Carlo analysis all
// start from this, so a score is resolved, a quality summed and a present value discounted in one
// place only. Scores are indexed by option and criterion in one pass (no search per score), which
// keeps 20 options × 300 criteria × 15 evaluators well inside a few milliseconds.

import { spreadLine, droppedYearsWarning } from './cost-lines.js'
import { discountFactors, undiscountedYears } from './discount.js'
import type { EvaluationFile } from './file-schema.js'
import { countedScores } from './moderation.js'
import { requireFinite } from './finite.js'
import type { Split } from './scoring.js'
import { weighCriteria, type CriteriaWeights } from './weights.js'

/**
 * Scores of one kind of criterion (scored leaves, or gates) for every option, one cell per
 * option and criterion: cell = option × criteria + criterion.
 */
export interface ScoreTable {
  readonly criteria: number
  /** Consensus if any, else the mean of the individual scores; NaN when the cell has no score. */
  readonly resolved: Float64Array
  /** NaN when the cell has no consensus score. */
  readonly consensus: Float64Array
  /** Individual scores of cell c are `individual[individualStart[c] .. individualStart[c + 1] - 1]`, in file order. */
  readonly individualStart: Int32Array
  readonly individual: Float64Array
}

export interface TopLevelEntry {
  readonly id: string
  readonly name: string
  /** Share of the top level (0..1). */
  readonly share: number
  /** A group holding scored leaves, a scored criterion at the top level, or a group with nothing scored. */
  readonly kind: 'group' | 'criterion' | 'unscored-group'
}

export interface PreparedLine {
  /** Index in the file's `costs` or `benefits`. */
  readonly index: number
  readonly option: number
  readonly yearly: Float64Array
  readonly undiscounted: number
  readonly presentValue: number
  /** A cash line (cost or benefit); false for a non-cash economic one. */
  readonly cash: boolean
  /** Part of the tendered price: always false for a benefit. */
  readonly price: boolean
  /** The line's present value without optimism bias when it is part of the price, else 0. */
  readonly pricePresentValue: number
  readonly range: { readonly low: number; readonly high: number } | null
  /**
   * The optimism bias the line is uplifted by: its own, else the appraisal's default for capital or
   * operating lines; 0 for benefits. Views and the report show this rather than work it out again.
   */
  readonly optimismBias: number
}

export interface PreparedModel {
  readonly file: EvaluationFile
  readonly weights: CriteriaWeights
  readonly optionIds: readonly string[]
  readonly baselineIndex: number
  readonly scaleMin: number
  readonly scaleMax: number
  readonly split: Split

  readonly leafIds: readonly string[]
  readonly leafWeights: Float64Array
  /** Index into `topLevel` of the top-level node each scored leaf sits under. */
  readonly leafTopLevel: Int32Array
  readonly leafWeightWithinTopLevel: Float64Array
  readonly gateIds: readonly string[]
  readonly topLevel: readonly TopLevelEntry[]
  readonly leafScores: ScoreTable
  readonly gateScores: ScoreTable

  readonly discountFactors: readonly number[]
  /** Σ DF(t) over the period: divides pvCost to give the equivalent annual cost. */
  readonly annuityFactor: number
  readonly costLines: readonly PreparedLine[]
  readonly benefitLines: readonly PreparedLine[]

  // Per option, in file order.
  readonly quality: Float64Array
  readonly pvCost: Float64Array
  readonly pvBenefit: Float64Array
  /** Present value of the price lines, without optimism bias: what the price score is scored on. */
  readonly pvPrice: Float64Array
  /** pvCost and pvBenefit of the cash lines only. */
  readonly cashPvCost: Float64Array
  readonly cashPvBenefit: Float64Array
  readonly undiscountedCost: Float64Array
  readonly sunkCost: Float64Array
  /** 1 when the option is a tender; the baseline and other options (a do-minimum, say) are not. */
  readonly tender: Uint8Array
  /** 1 when the option is a tender that fails no gate: only these get a price score, total and rank. */
  readonly eligible: Uint8Array
  readonly failedGates: readonly string[][]
  readonly missingLeaves: Int32Array
  readonly missingGates: Int32Array

  /** Warnings about inputs: years dropped, years not discounted, options incomplete. */
  readonly warnings: readonly string[]
}

/**
 * One cell (an option on a criterion) as the database gives it for the results: its consensus score
 * if it has one, else the sum and count of its individual scores, added up by the database. The
 * results need no more of a cell than that; the engine divides (see `prepareModel`).
 */
export interface CellTotal {
  readonly option: string
  readonly criterion: string
  /** Null when the cell has no consensus score. */
  readonly consensus: number | null
  /** Of the individual scores; 0 and 0 for a cell with a consensus score. */
  readonly sum: number
  readonly count: number
}

/**
 * The model of an evaluation. With `totals`, the file carries neither individual nor consensus
 * scores: each cell's resolved score is its total's consensus, or else its sum divided by its count,
 * the same figure the individual scores give (their mean); such a model has no individual scores to
 * draw from, so it is for the results, not for the Monte Carlo analysis or the report.
 */
export function prepareModel(file: EvaluationFile, totals?: readonly CellTotal[]): PreparedModel {
  if (totals !== undefined && (file.scores.length > 0 || file.consensus.length > 0)) {
    throw new Error('prepareModel: give either the scores or the cell totals, not both')
  }
  const warnings: string[] = []
  const weights = weighCriteria(file.criteria)
  const optionIds = file.options.map((option) => option.id)
  const optionIndex = indexOf(optionIds, 'option')
  const leaves = weights.scoredLeaves
  const gates = weights.gates
  const topLevel = topLevelEntries(weights)
  const topIndex = indexOf(
    topLevel.map((entry) => entry.id),
    'top-level criterion',
  )

  const leafIndex = indexOf(
    leaves.map((leaf) => leaf.id),
    'criterion',
  )
  const gateIndex = indexOf(
    gates.map((gate) => gate.id),
    'criterion',
  )
  const leafScores = tabulateScores(file, optionIndex, leafIndex, totals)
  const gateScores = tabulateScores(file, optionIndex, gateIndex, totals)

  const factors = discountFactors(file.appraisal.discount, file.appraisal.years)
  const notDiscounted = undiscountedYears(file.appraisal.discount, file.appraisal.years)
  if (notDiscounted !== null) {
    warnings.push(`appraisal.discount: no rate is in force for years ${notDiscounted.from}..${notDiscounted.to}, so they are not discounted`)
  }
  const costLines = file.costs.map((line, index): PreparedLine => {
    const uplift = line.optimismBias ?? (line.capital ? file.appraisal.optimismBias.capital : file.appraisal.optimismBias.operating)
    return prepareLine(line, index, uplift, factors, optionIndex, 'costs', warnings)
  })
  const benefitLines = file.benefits.map((line, index) => prepareLine(line, index, 0, factors, optionIndex, 'benefits', warnings))

  const options = optionIds.length
  const leafWeights = Float64Array.from(leaves, (leaf) => leaf.effectiveWeight)
  const scaleMin = file.scale.min
  const scaleMax = file.scale.max
  const quality = new Float64Array(options)
  const missingLeaves = new Int32Array(options)
  const missingGates = new Int32Array(options)
  const tender = Uint8Array.from(file.options, (option) => (option.tender ? 1 : 0))
  const eligible = new Uint8Array(options)
  const failedGates: string[][] = []
  for (let o = 0; o < options; o++) {
    quality[o] = qualityOf(leafScores.resolved, o * leaves.length, leafWeights, scaleMin, scaleMax)
    missingLeaves[o] = countMissing(leafScores.resolved, o * leaves.length, leaves.length)
    missingGates[o] = countMissing(gateScores.resolved, o * gates.length, gates.length)
    const failed = gates.filter((_, g) => gateFails(gateScores.resolved[o * gates.length + g] as number)).map((gate) => gate.id)
    failedGates.push(failed)
    eligible[o] = tender[o] === 1 && failed.length === 0 ? 1 : 0
  }

  const model: PreparedModel = {
    file,
    weights,
    optionIds,
    baselineIndex: file.options.findIndex((option) => option.baseline),
    scaleMin,
    scaleMax,
    split: file.split,
    leafIds: leaves.map((leaf) => leaf.id),
    leafWeights,
    leafTopLevel: Int32Array.from(leaves, (leaf) => topIndex.get(leaf.topLevelId) ?? -1),
    leafWeightWithinTopLevel: Float64Array.from(leaves, (leaf) => leaf.weightWithinTopLevel),
    gateIds: gates.map((gate) => gate.id),
    topLevel,
    leafScores,
    gateScores,
    discountFactors: factors,
    annuityFactor: factors.reduce((sum, factor) => sum + factor, 0),
    costLines,
    benefitLines,
    quality,
    pvCost: sumByOption(costLines, options, (line) => line.presentValue),
    pvBenefit: sumByOption(benefitLines, options, (line) => line.presentValue),
    pvPrice: sumByOption(costLines, options, (line) => line.pricePresentValue),
    cashPvCost: sumByOption(costLines, options, (line) => (line.cash ? line.presentValue : 0)),
    cashPvBenefit: sumByOption(benefitLines, options, (line) => (line.cash ? line.presentValue : 0)),
    undiscountedCost: sumByOption(costLines, options, (line) => line.undiscounted),
    sunkCost: sumByOption(
      file.sunkCosts.map((sunk) => ({ option: lookUp(optionIndex, sunk.option, 'option'), amount: sunk.amount })),
      options,
      (sunk) => sunk.amount,
    ),
    tender,
    eligible,
    failedGates,
    missingLeaves,
    missingGates,
    warnings,
  }
  warnings.push(...incompleteWarnings(model))
  requireFiniteModel(model)
  return model
}

/** Every figure the model made is finite, or the first that is not is refused by its line or option. */
function requireFiniteModel(model: PreparedModel): void {
  for (const [list, lines] of [
    ['costs', model.costLines],
    ['benefits', model.benefitLines],
  ] as const) {
    for (const line of lines) {
      requireFinite(line.presentValue, `${list}[${line.index}]`, 'present value')
      requireFinite(line.undiscounted, `${list}[${line.index}]`, 'undiscounted total')
    }
  }
  model.optionIds.forEach((_, o) => {
    const path = `options[${o}]`
    requireFinite(model.pvCost[o] as number, path, 'present value of its costs')
    requireFinite(model.pvBenefit[o] as number, path, 'present value of its benefits')
    requireFinite(model.undiscountedCost[o] as number, path, 'undiscounted cost')
    requireFinite(model.sunkCost[o] as number, path, 'sunk cost')
    requireFinite(model.quality[o] as number, path, 'quality score')
  })
}

/** A gate is failed when its resolved score is below 1; a gate with no score is not failed. */
export function gateFails(score: number): boolean {
  return score < 1
}

/**
 * Quality (0..100) = 100 × Σ effectiveWeight × (score − min) / (max − min) over the scored leaves
 * of one option, whose scores start at `offset`; a missing score counts as the scale minimum.
 */
export function qualityOf(scores: Float64Array, offset: number, weights: Float64Array, min: number, max: number): number {
  let sum = 0
  for (let l = 0; l < weights.length; l++) {
    const score = scores[offset + l] as number
    if (!Number.isNaN(score)) sum += (weights[l] as number) * (score - min)
  }
  return (100 * sum) / (max - min)
}

/**
 * Score (0..100) of each top-level entry for one option: the same sum over the entry's own leaves,
 * with weights renormalised within it; null for a group with nothing scored.
 */
export function topLevelScores(model: PreparedModel, option: number): (number | null)[] {
  const sums = new Float64Array(model.topLevel.length)
  const leaves = model.leafIds.length
  const range = model.scaleMax - model.scaleMin
  for (let l = 0; l < leaves; l++) {
    const score = model.leafScores.resolved[option * leaves + l] as number
    if (Number.isNaN(score)) continue
    const entry = model.leafTopLevel[l] as number
    sums[entry] = (sums[entry] as number) + (model.leafWeightWithinTopLevel[l] as number) * (score - model.scaleMin)
  }
  return model.topLevel.map((entry, i) => (entry.kind === 'unscored-group' ? null : (100 * (sums[i] as number)) / range))
}

function topLevelEntries(weights: CriteriaWeights): TopLevelEntry[] {
  return weights.topLevel
    .filter((node) => node.role !== 'gate')
    .map((node) => ({
      id: node.id,
      name: node.name,
      share: node.share,
      kind: node.role === 'scored' ? 'criterion' : node.role === 'group' ? 'group' : 'unscored-group',
    }))
}

function tabulateScores(
  file: EvaluationFile,
  optionIndex: ReadonlyMap<string, number>,
  criterionIndex: ReadonlyMap<string, number>,
  totals: readonly CellTotal[] | undefined,
): ScoreTable {
  const criteria = criterionIndex.size
  const cells = optionIndex.size * criteria
  const cellOf = (option: string, criterion: string): number => {
    const c = criterionIndex.get(criterion)
    return c === undefined ? -1 : lookUp(optionIndex, option, 'option') * criteria + c
  }

  const consensus = new Float64Array(cells).fill(NaN)
  if (totals !== undefined) {
    const resolved = new Float64Array(cells).fill(NaN)
    for (const total of totals) {
      const cell = cellOf(total.option, total.criterion)
      if (cell < 0) continue
      if (total.consensus !== null) consensus[cell] = resolved[cell] = total.consensus
      else if (total.count > 0) resolved[cell] = total.sum / total.count
    }
    return { criteria, resolved, consensus, individualStart: new Int32Array(cells + 1), individual: new Float64Array(0) }
  }
  for (const score of file.consensus) {
    const cell = cellOf(score.option, score.criterion)
    if (cell >= 0) consensus[cell] = score.score
  }

  // Drafts (unfinished, or not submitted) never count. Two passes over the individual scores that do: count
  // per cell, then place each in its cell's slice.
  const counted = countedScores(file)
  const scoreCells = counted.map((score) => cellOf(score.option, score.criterion))
  const individualStart = new Int32Array(cells + 1)
  for (const cell of scoreCells) if (cell >= 0) individualStart[cell + 1] = (individualStart[cell + 1] as number) + 1
  for (let c = 0; c < cells; c++) individualStart[c + 1] = (individualStart[c + 1] as number) + (individualStart[c] as number)
  const individual = new Float64Array(individualStart[cells] as number)
  const filled = new Int32Array(cells)
  scoreCells.forEach((cell, i) => {
    if (cell < 0) return
    individual[(individualStart[cell] as number) + (filled[cell] as number)] = counted[i]?.score ?? NaN
    filled[cell] = (filled[cell] as number) + 1
  })

  const resolved = new Float64Array(cells)
  for (let c = 0; c < cells; c++) {
    const agreed = consensus[c] as number
    if (!Number.isNaN(agreed)) {
      resolved[c] = agreed
      continue
    }
    const start = individualStart[c] as number
    const end = individualStart[c + 1] as number
    let sum = 0
    for (let k = start; k < end; k++) sum += individual[k] as number
    resolved[c] = end > start ? sum / (end - start) : NaN
  }
  return { criteria, resolved, consensus, individualStart, individual }
}

function prepareLine(
  line: EvaluationFile['costs'][number] | EvaluationFile['benefits'][number],
  index: number,
  uplift: number,
  factors: readonly number[],
  optionIndex: ReadonlyMap<string, number>,
  list: 'costs' | 'benefits',
  warnings: string[],
): PreparedLine {
  const spread = spreadLine(line, uplift, factors)
  if (spread.dropped !== null) warnings.push(droppedYearsWarning(list, index, spread.dropped))
  // A tendered price is the supplier's, not an estimate to uplift: discounted without optimism bias.
  const price = 'price' in line && line.price
  return {
    index,
    option: lookUp(optionIndex, line.option, 'option'),
    yearly: spread.yearly,
    undiscounted: spread.undiscounted,
    presentValue: spread.presentValue,
    cash: line.cash,
    price,
    pricePresentValue: !price ? 0 : uplift === 0 ? spread.presentValue : spreadLine(line, 0, factors).presentValue,
    range: line.range ?? null,
    optimismBias: uplift,
  }
}

function incompleteWarnings(model: PreparedModel): string[] {
  const warnings: string[] = []
  const leaves = model.leafIds.length
  const gates = model.gateIds.length
  model.optionIds.forEach((id, o) => {
    const parts: string[] = []
    const missingLeaves = model.missingLeaves[o] as number
    const missingGates = model.missingGates[o] as number
    if (missingLeaves > 0) {
      const has = missingLeaves === 1 ? 'has no score and counts' : 'have no score and count'
      parts.push(`${missingLeaves} of ${leaves} ${leaves === 1 ? 'criterion' : 'criteria'} ${has} as ${model.scaleMin}, the bottom of the scale`)
    }
    if (missingGates > 0) {
      const has = missingGates === 1 ? 'has no score and was' : 'have no score and were'
      parts.push(`${missingGates} of ${gates} ${gates === 1 ? 'gate' : 'gates'} ${has} not applied`)
    }
    if (parts.length > 0) warnings.push(`option "${id}" is incomplete: ${parts.join('; ')}`)
  })
  return warnings
}

function countMissing(scores: Float64Array, offset: number, count: number): number {
  let missing = 0
  for (let i = 0; i < count; i++) if (Number.isNaN(scores[offset + i] as number)) missing++
  return missing
}

function sumByOption<T extends { option: number }>(items: readonly T[], options: number, value: (item: T) => number): Float64Array {
  const sums = new Float64Array(options)
  for (const item of items) sums[item.option] = (sums[item.option] as number) + value(item)
  return sums
}

function indexOf(ids: readonly string[], what: string): Map<string, number> {
  const index = new Map<string, number>()
  ids.forEach((id, i) => {
    if (index.has(id)) throw new Error(`duplicate ${what} id "${id}": validate the file with parseEvaluationFile first`)
    index.set(id, i)
  })
  return index
}

function lookUp(index: ReadonlyMap<string, number>, id: string, what: string): number {
  const found = index.get(id)
  if (found === undefined) throw new Error(`unknown ${what} "${id}": validate the file with parseEvaluationFile first`)
  return found
}
