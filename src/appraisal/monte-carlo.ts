// Monte Carlo: how often each option comes first when scores vary as the panel's individual
// scores did and costs vary within their ranges.
//
// Each iteration, every leaf (scored criteria and gates) of every option takes one of its
// individual scores at random, or its consensus score when it has no individual scores, or stays
// missing; every cost line with a `range` is multiplied by a triangular(low, 1, high) draw. The
// options are then scored exactly as in the results (the same price-score and total functions).
// Everything that cannot vary is summed once before the loop, and the loop allocates nothing, so
// 10,000 iterations of 20 options × 300 criteria × 15 evaluators run in well under a second.

import { gateFails, type PreparedLine, type PreparedModel, type ScoreTable } from './model.js'
import { percentileInc, seededRandom, triangular } from './random.js'
import { priceScoresInto, TIE_TOLERANCE, totalScore } from './scoring.js'

export interface MonteCarloOptions {
  readonly iterations: number
  readonly seed: number
}

export interface CostPercentiles {
  readonly p10: number
  readonly p50: number
  readonly p90: number
}

export interface MonteCarloResult {
  readonly iterations: number
  readonly seed: number
  /** Share of iterations with an eligible option in which the option came first (a tie splits the credit). */
  readonly probabilityFirst: Record<string, number>
  readonly pvCost: Record<string, CostPercentiles>
}

export interface MonteCarloRun {
  readonly result: MonteCarloResult
  /** Iterations in which every option failed a gate, so no option came first. */
  readonly iterationsWithoutEligible: number
}

/** The per-cell choices a draw picks from, for all options, after fixed cells are summed away. */
interface VaryingCells {
  /** Cells of option o are cellStart[o] .. cellStart[o + 1] - 1. */
  readonly cellStart: Int32Array
  /** Values of cell c are values[valueStart[c] .. valueStart[c] + valueCount[c] - 1]. */
  readonly valueStart: Int32Array
  readonly valueCount: Int32Array
  readonly values: Float64Array
}

export function runMonteCarlo(model: PreparedModel, options: MonteCarloOptions): MonteCarloRun {
  const { iterations, seed } = options
  if (!Number.isSafeInteger(iterations) || iterations < 1) throw new RangeError('iterations must be a whole number of at least 1')
  if (!Number.isSafeInteger(seed)) throw new RangeError('seed must be a whole number')

  const count = model.optionIds.length
  const range = model.scaleMax - model.scaleMin
  // A scored leaf's draw is stored as its contribution to quality, so a draw is one addition.
  const leafValue = (score: number, leaf: number): number => (100 * (model.leafWeights[leaf] as number) * (score - model.scaleMin)) / range
  const leaves = collectCells(model.leafScores, count, leafValue, 0)
  const gates = collectCells(model.gateScores, count, (score) => (gateFails(score) ? 1 : 0), 0)
  const costs = collectCostLines(model)

  const { cellStart: leafStart, valueStart: leafValueStart, valueCount: leafValueCount, values: leafValues } = leaves.cells
  const random = seededRandom(seed)
  const pvCost = new Float64Array(count)
  const pvPrice = new Float64Array(count)
  const quality = new Float64Array(count)
  const eligible = new Uint8Array(count)
  const priceScores = new Float64Array(count)
  const totals = new Float64Array(count)
  const credit = new Float64Array(count)
  const samples = new Float64Array(count * iterations)
  const formula = model.file.priceFormula
  const split = model.split
  let withoutEligible = 0

  for (let k = 0; k < iterations; k++) {
    pvCost.set(costs.fixed)
    pvPrice.set(costs.fixedPrice)
    for (let r = 0; r < costs.option.length; r++) {
      const multiplier = triangular(random(), costs.low[r] as number, 1, costs.high[r] as number)
      const o = costs.option[r] as number
      pvCost[o] = (pvCost[o] as number) + (costs.presentValue[r] as number) * multiplier
      pvPrice[o] = (pvPrice[o] as number) + (costs.pricePresentValue[r] as number) * multiplier
    }

    let anyEligible = false
    for (let o = 0; o < count; o++) {
      // Only tenders are ranked; the others' gates are still drawn, so the sequence of draws does
      // not depend on which options are tenders.
      let passes = gates.fixed[o] === 0
      for (let c = gates.cells.cellStart[o] as number; passes && c < (gates.cells.cellStart[o + 1] as number); c++) {
        const n = gates.cells.valueCount[c] as number
        if (gates.cells.values[(gates.cells.valueStart[c] as number) + Math.floor(random() * n)] === 1) passes = false
      }
      if (!model.tender[o]) passes = false
      eligible[o] = passes ? 1 : 0
      if (!passes) continue
      anyEligible = true
      let q = leaves.fixed[o] as number
      const end = leafStart[o + 1] as number
      // The inner loop of the whole analysis (a draw per varying cell): its arrays are locals, and
      // `| 0` is Math.floor for a draw in [0, n).
      for (let c = leafStart[o] as number; c < end; c++) {
        q += leafValues[(leafValueStart[c] as number) + ((random() * (leafValueCount[c] as number)) | 0)] as number
      }
      quality[o] = q
    }

    for (let o = 0; o < count; o++) samples[o * iterations + k] = pvCost[o] as number
    if (!anyEligible) {
      withoutEligible++
      continue
    }
    priceScoresInto(priceScores, pvPrice, quality, eligible, formula)
    let best = -Infinity
    for (let o = 0; o < count; o++) {
      if (!eligible[o]) continue
      const total = totalScore(quality[o] as number, priceScores[o] as number, split, formula)
      totals[o] = total
      if (total > best) best = total
    }
    let leaders = 0
    for (let o = 0; o < count; o++) if (eligible[o] && (totals[o] as number) >= best - TIE_TOLERANCE) leaders++
    for (let o = 0; o < count; o++) {
      if (eligible[o] && (totals[o] as number) >= best - TIE_TOLERANCE) credit[o] = (credit[o] as number) + 1 / leaders
    }
  }

  const counted = iterations - withoutEligible
  const probabilityFirst: Record<string, number> = {}
  const pvCostPercentiles: Record<string, CostPercentiles> = {}
  model.optionIds.forEach((id, o) => {
    probabilityFirst[id] = counted > 0 ? (credit[o] as number) / counted : 0
    const sorted = samples.subarray(o * iterations, (o + 1) * iterations).sort()
    pvCostPercentiles[id] = { p10: percentileInc(sorted, 0.1), p50: percentileInc(sorted, 0.5), p90: percentileInc(sorted, 0.9) }
  })
  return {
    result: { iterations, seed, probabilityFirst, pvCost: pvCostPercentiles },
    iterationsWithoutEligible: withoutEligible,
  }
}

/**
 * Splits a score table into a fixed part per option (cells with a single possible value, summed)
 * and the cells that vary. `missing` is the value of a cell with no score at all.
 */
function collectCells(
  table: ScoreTable,
  options: number,
  scoreValue: (score: number, criterion: number) => number,
  missing: number,
): { fixed: Float64Array; cells: VaryingCells } {
  const fixed = new Float64Array(options)
  const cellStart = new Int32Array(options + 1)
  const valueStart: number[] = []
  const valueCount: number[] = []
  const values: number[] = []
  for (let o = 0; o < options; o++) {
    for (let l = 0; l < table.criteria; l++) {
      const cell = o * table.criteria + l
      const start = table.individualStart[cell] as number
      const end = table.individualStart[cell + 1] as number
      const consensus = table.consensus[cell] as number
      if (end === start) {
        // Only a consensus score, or nothing: the same every iteration.
        fixed[o] = (fixed[o] as number) + (Number.isNaN(consensus) ? missing : scoreValue(consensus, l))
        continue
      }
      const choices = Array.from(table.individual.subarray(start, end), (score) => scoreValue(score, l))
      if (choices.every((choice) => choice === choices[0])) {
        fixed[o] = (fixed[o] as number) + (choices[0] as number)
        continue
      }
      valueStart.push(values.length)
      valueCount.push(choices.length)
      values.push(...choices)
    }
    cellStart[o + 1] = valueStart.length
  }
  return {
    fixed,
    cells: {
      cellStart,
      valueStart: Int32Array.from(valueStart),
      valueCount: Int32Array.from(valueCount),
      values: Float64Array.from(values),
    },
  }
}

interface RangedCosts {
  /** pvCost and pvPrice of each option from lines that do not vary. */
  readonly fixed: Float64Array
  readonly fixedPrice: Float64Array
  readonly option: Int32Array
  readonly presentValue: Float64Array
  readonly pricePresentValue: Float64Array
  readonly low: Float64Array
  readonly high: Float64Array
}

function collectCostLines(model: PreparedModel): RangedCosts {
  const fixed = new Float64Array(model.optionIds.length)
  const fixedPrice = new Float64Array(model.optionIds.length)
  const ranged: PreparedLine[] = []
  for (const line of model.costLines) {
    if (line.range !== null && line.range.high > line.range.low) ranged.push(line)
    else {
      fixed[line.option] = (fixed[line.option] as number) + line.presentValue
      fixedPrice[line.option] = (fixedPrice[line.option] as number) + line.pricePresentValue
    }
  }
  return {
    fixed,
    fixedPrice,
    option: Int32Array.from(ranged, (line) => line.option),
    presentValue: Float64Array.from(ranged, (line) => line.presentValue),
    pricePresentValue: Float64Array.from(ranged, (line) => line.pricePresentValue),
    low: Float64Array.from(ranged, (line) => line.range?.low ?? 1),
    high: Float64Array.from(ranged, (line) => line.range?.high ?? 1),
  }
}
