// What-if: the results with other top-level weights or another quality/cost split, and the
// ranking under both price formulas side by side. Neither changes the file it is given.

import { computeResults, type AppraisalResults } from './compute.js'
import type { EvaluationFile, PriceFormula } from './file-schema.js'
import { prepareModel, type PreparedModel } from './model.js'
import { rankOptions } from './scoring.js'
import { weighCriteria } from './weights.js'

export interface WhatIfChange {
  /** New relative weights for top-level groups or criteria, by id; the others keep theirs. */
  readonly groupWeights?: Readonly<Record<string, number>>
  /** The quality share of the split, percent (0..100); cost takes the rest. */
  readonly qualityShare?: number
}

export type WhatIfOutcome = { readonly ok: true; readonly results: AppraisalResults } | { readonly ok: false; readonly errors: string[] }

export function whatIf(file: EvaluationFile, change: WhatIfChange): WhatIfOutcome {
  const errors = whatIfProblems(file, change)
  if (errors.length > 0) return { ok: false, errors }
  const weights = change.groupWeights ?? {}
  const changed: EvaluationFile = {
    ...file,
    criteria: file.criteria.map((node) => (Object.hasOwn(weights, node.id) ? { ...node, weight: weights[node.id] } : node)),
    split: change.qualityShare === undefined ? file.split : { quality: change.qualityShare, cost: 100 - change.qualityShare },
  }
  return { ok: true, results: computeResults(changed) }
}

function whatIfProblems(file: EvaluationFile, change: WhatIfChange): string[] {
  const errors: string[] = []
  const weights = change.groupWeights ?? {}
  const topLevel = new Map(weighCriteria(file.criteria).topLevel.map((node) => [node.id, node]))
  for (const [id, weight] of Object.entries(weights)) {
    const node = topLevel.get(id)
    if (node === undefined || node.role === 'gate' || node.role === 'unscored-group') {
      errors.push(`groupWeights.${id}: not a top-level group or criterion that is scored`)
    } else if (!Number.isFinite(weight) || weight < 0) {
      errors.push(`groupWeights.${id}: must be a number, not negative`)
    }
  }
  if (errors.length === 0) {
    const weighted = [...topLevel.values()].filter((node) => node.role === 'scored' || node.role === 'group')
    if (weighted.length > 0 && weighted.every((node) => (Object.hasOwn(weights, node.id) ? weights[node.id] : node.weight) === 0)) {
      errors.push('groupWeights: the weights of the top-level criteria are all zero; at least one must be above zero')
    }
  }
  const share = change.qualityShare
  if (share !== undefined && !(share >= 0 && share <= 100)) errors.push('qualityShare: must be between 0 and 100')
  return errors
}

export interface FormulaRankingEntry {
  readonly id: string
  readonly name: string
  readonly tender: boolean
  readonly eligible: boolean
  readonly priceScore: number | null
  readonly total: number | null
  readonly rank: number | null
}

export interface FormulaRanking {
  readonly priceFormula: PriceFormula
  readonly preferred: string | null
  readonly options: FormulaRankingEntry[]
}

export interface PriceFormulaComparison {
  readonly relativeToLowest: FormulaRanking
  readonly pricePerQualityPoint: FormulaRanking
  /** The two formulas prefer different options (or one prefers none). */
  readonly preferredDiffers: boolean
  /** The two formulas order some pair of options differently. */
  readonly orderDiffers: boolean
  /** One sentence for the results page. */
  readonly summary: string
}

/** The ranking under both price formulas, side by side, and whether they disagree (`model`: the one already prepared from this file, if any). */
export function compareRankings(file: EvaluationFile, model: PreparedModel = prepareModel(file)): PriceFormulaComparison {
  const rank = (priceFormula: PriceFormula): FormulaRanking => {
    const ranking = rankOptions({ quality: model.quality, pvPrice: model.pvPrice, eligible: model.eligible, split: model.split, priceFormula })
    return {
      priceFormula,
      preferred: ranking.preferred === -1 ? null : (model.optionIds[ranking.preferred] ?? null),
      options: file.options.map((option, o) => ({
        id: option.id,
        name: option.name,
        tender: model.tender[o] === 1,
        eligible: model.eligible[o] === 1,
        priceScore: model.eligible[o] ? (ranking.priceScores[o] as number) : null,
        total: model.eligible[o] ? (ranking.totals[o] as number) : null,
        rank: ranking.ranks[o] ?? null,
      })),
    }
  }
  const relativeToLowest = rank('relative-to-lowest')
  const pricePerQualityPoint = rank('price-per-quality-point')
  const preferredDiffers = relativeToLowest.preferred !== pricePerQualityPoint.preferred
  const orderDiffers = relativeToLowest.options.some((entry, i) => entry.rank !== pricePerQualityPoint.options[i]?.rank)
  return {
    relativeToLowest,
    pricePerQualityPoint,
    preferredDiffers,
    orderDiffers,
    summary: comparisonSummary(file, relativeToLowest.preferred, pricePerQualityPoint.preferred, orderDiffers),
  }
}

function comparisonSummary(file: EvaluationFile, relative: string | null, perPoint: string | null, orderDiffers: boolean): string {
  const name = (id: string | null): string => (id === null ? 'no single option' : `"${id}"`)
  const summary =
    relative !== perPoint
      ? `The price formulas disagree: relative-to-lowest prefers ${name(relative)}, price-per-quality-point prefers ${name(perPoint)}.`
      : orderDiffers
        ? `Both price formulas prefer ${name(relative)}, but they rank the other options differently.`
        : `Both price formulas prefer ${name(relative)} and rank the options in the same order.`
  // Price per quality point never uses the split; relative-to-lowest with no cost share ignores price.
  return file.split.cost === 0
    ? `${summary} The split gives price no weight, so relative-to-lowest ranks on quality alone; price per quality point does not use the split.`
    : summary
}
