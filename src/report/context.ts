// What every section of the report reads: the evaluation file, the engine's results and
// sensitivity, the formats, and look-ups by id. Nothing here computes a figure of the appraisal;
// the per-criterion scores the engine resolved come from its own prepared model.

import {
  countedScores,
  prepareModel,
  weighCriteria,
  type AppraisalResults,
  type ConsensusScore,
  type CriteriaWeights,
  type EvaluationFile,
  type IndividualScore,
  type OptionResult,
  type PreparedModel,
  type ResultsWithSensitivity,
  type Sensitivity,
  type SensitivityNotComputed,
} from '../appraisal/index.js'
import { createFormats, type Formats } from '../format.js'

export interface ReportOptions {
  readonly status: 'draft' | 'final'
  /** The version of the report, shown on the cover and in the header. */
  readonly version?: number
  /**
   * The date the report is as at (the evaluation's last change): printed on the cover and fixed as
   * the PDF's creation date, so the same evaluation always gives the same bytes.
   */
  readonly generatedAt: Date
  /** SHA-256 of the evaluation file the report was made from, printed beside the sign-off. */
  readonly fileSha256?: string
  /** The head of the evaluation's audit chain, once there is one. */
  readonly auditChainHead?: string
  /** Who finalised it and when, on a final report. */
  readonly finalised?: { readonly by: string; readonly at: Date }
}

/** The results, with the sensitivity section when it was computed. */
export type ReportResults = AppraisalResults | ResultsWithSensitivity

export interface ReportContext {
  readonly file: EvaluationFile
  readonly results: AppraisalResults
  /** Undefined when sensitivity was not asked for. */
  readonly sensitivity: Sensitivity | SensitivityNotComputed | undefined
  readonly options: ReportOptions
  readonly f: Formats
  readonly weights: CriteriaWeights
  /** The engine's prepared model: resolved scores per criterion, missing counts. */
  readonly model: PreparedModel
  /** Eligible options by rank, then the ineligible ones in file order. */
  readonly ranked: readonly OptionResult[]
  readonly preferred: OptionResult | null
  /** The best eligible option other than the preferred one (or the first of those tied first). */
  readonly runnerUp: OptionResult | null
  readonly baseline: OptionResult | null
  option(id: string): OptionResult
  optionName(id: string): string
  criterionName(id: string): string
  /** Short codes for panel members (their initials), used in score tables. */
  readonly evaluatorCodes: ReadonlyMap<string, string>
  readonly hasBenefits: boolean
  /** The panel's individual scores on one criterion for one option, in the file's order. */
  /** The individual scores that count (drafts are left out). */
  individualScores(criterion: string, option: string): readonly CountedScore[]
  /**
   * The individual scores as a table shows them: "HM 2 · DO 3" for a small panel; for a larger
   * one the scores alone, in panel order, with "–" for a member who gave none.
   */
  panelScoresText(criterion: string, option: string): string
  /** How `panelScoresText` lists the scores, for the text above a table. */
  readonly panelScoresKey: string
  consensus(criterion: string, option: string): ConsensusScore | undefined
}

/** An individual score that counts in the figures: not a draft, so it has its score. */
type CountedScore = IndividualScore & { score: number }

function counts(score: IndividualScore): score is CountedScore {
  return score.draft !== true && score.score !== undefined
}

export function createContext(file: EvaluationFile, results: ReportResults, options: ReportOptions, model: PreparedModel = prepareModel(file)): ReportContext {
  const byId = new Map(results.options.map((option) => [option.id, option]))
  const weights = weighCriteria(file.criteria)
  const eligible = results.options.filter((option) => option.rank !== null).sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0))
  const ranked = [...eligible, ...results.options.filter((option) => option.rank === null)]
  const preferred = results.preferred === null ? null : (byId.get(results.preferred) ?? null)
  const runnerUp = eligible.find((option) => option !== preferred) ?? null
  const cellKey = (criterion: string, option: string): string => `${criterion}\u0000${option}`
  const individual = new Map<string, CountedScore[]>()
  // The submitted scores only, as the appraisal counts them: a draft is never part of the record of moderation.
  for (const score of countedScores(file)) {
    if (!counts(score)) continue
    const key = cellKey(score.criterion, score.option)
    const list = individual.get(key)
    if (list === undefined) individual.set(key, [score])
    else list.push(score)
  }
  const consensus = new Map(file.consensus.map((score) => [cellKey(score.criterion, score.option), score]))
  const codes = evaluatorCodes(file.evaluators)
  const formats = createFormats(file.currency)
  // Beyond a handful of members, initials beside every score make a row several lines tall.
  const compact = file.evaluators.length > 4
  // A panel's scores are a handful of values, formatted thousands of times in the tables of scores.
  const scaleTexts = new Map<number, string>()
  const scaleText = (score: number): string => {
    let text = scaleTexts.get(score)
    if (text === undefined) {
      text = formats.scaleScore(score)
      scaleTexts.set(score, text)
    }
    return text
  }
  return {
    file,
    results,
    sensitivity: 'sensitivity' in results ? results.sensitivity : undefined,
    options,
    f: formats,
    weights,
    model,
    ranked,
    preferred,
    runnerUp,
    baseline: results.options.find((option) => option.baseline) ?? null,
    option(id) {
      const found = byId.get(id)
      if (found === undefined) throw new Error(`the results have no option "${id}"`)
      return found
    },
    optionName: (id) => byId.get(id)?.name ?? id,
    criterionName: (id) => weights.byId.get(id)?.name ?? id,
    evaluatorCodes: codes,
    hasBenefits: file.benefits.length > 0,
    individualScores: (criterion, option) => individual.get(cellKey(criterion, option)) ?? [],
    panelScoresText(criterion, option) {
      const scores = individual.get(cellKey(criterion, option)) ?? []
      if (scores.length === 0) return '—'
      if (compact) {
        const given = new Map(scores.map((score) => [score.evaluator, score.score]))
        return file.evaluators.map((evaluator) => (given.has(evaluator.id) ? scaleText(given.get(evaluator.id)!) : '–')).join(' ')
      }
      return scores.map((score) => `${codes.get(score.evaluator) ?? score.evaluator} ${scaleText(score.score)}`).join(' · ')
    },
    panelScoresKey:
      file.evaluators.length === 0
        ? 'No individual scores are recorded.'
        : compact
          ? `Panel scores are listed in the order of the panel in section 8.1 (${file.evaluators.map((evaluator) => codes.get(evaluator.id)).join(', ')}), with – where a member gave no score.`
          : `Panel members are shown by their initials: ${file.evaluators.map((evaluator) => `${codes.get(evaluator.id)} ${evaluator.name}`).join(', ')}.`,
    consensus: (criterion, option) => consensus.get(cellKey(criterion, option)),
  }
}

/** Initials ("HM" for Helen Marsh), numbered where two panel members share them. */
function evaluatorCodes(evaluators: EvaluationFile['evaluators']): Map<string, string> {
  const initials = evaluators.map((evaluator) => {
    const letters = evaluator.name
      .split(/[\s.\-']+/)
      .filter((word) => word !== '')
      .map((word) => word[0]!.toUpperCase())
      .join('')
    return letters === '' ? evaluator.id.slice(0, 3).toUpperCase() : letters.slice(0, 3)
  })
  const counts = new Map<string, number>()
  for (const code of initials) counts.set(code, (counts.get(code) ?? 0) + 1)
  const seen = new Map<string, number>()
  return new Map(
    evaluators.map((evaluator, i) => {
      const code = initials[i]!
      if ((counts.get(code) ?? 0) === 1) return [evaluator.id, code]
      const n = (seen.get(code) ?? 0) + 1
      seen.set(code, n)
      return [evaluator.id, `${code}${n}`]
    }),
  )
}
