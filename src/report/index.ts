// The options appraisal report: a pure function from an evaluation file and the engine's results
// to the bytes of a PDF. No database, no HTTP; the command line and the web app both call it.

import type { EvaluationFile, PreparedModel } from '../appraisal/index.js'
import { createContext, type ReportContext, type ReportOptions, type ReportResults } from './context.js'
import { renderCover } from './sections/cover.js'
import { costPerYearLead, renderCostPerYear, renderCostSummary, renderEconomicIntro, renderOptionCost } from './sections/cost.js'
import { renderTrials } from './sections/trials.js'
import { renderCriteria, renderDiscounting, renderGates, renderPeriod, renderPlanApproval, renderScale, renderSplit } from './sections/method.js'
import { renderBackground, renderOptions } from './sections/options.js'
import { renderConflicts, renderModeration, renderPanel, renderSignOff } from './sections/panel.js'
import { qualityByGroupLead, renderGateOutcomes, renderQualityByGroup, renderRanking, renderScoresByCriterion, renderTenderIntro } from './sections/quality.js'
import {
  computedSensitivity,
  renderCostSwitches,
  renderIrrelevantAlternatives,
  renderLineRisks,
  renderMonteCarlo,
  renderSensitivityIntro,
  renderWeightSwitches,
} from './sections/sensitivity.js'
import { renderKeyFigures, renderPointsToNote, renderRecommendation } from './sections/summary.js'
import { ReportWriter } from './writer.js'

export type { ReportOptions, ReportResults } from './context.js'
export { PAGE, CONTENT_WIDTH } from './writer.js'

type Render = (w: ReportWriter, ctx: ReportContext) => void
type Measure = (w: ReportWriter, ctx: ReportContext) => number

/** A numbered section of the report; its parts are the numbered subsections in the contents. */
interface Part {
  readonly title: string
  readonly render?: Render
  /** The height of what opens the part (a chart and its introduction), which its heading keeps with. */
  readonly lead?: Measure
  readonly parts?: readonly Part[]
}

/** The report's sections, in the order a business case reader expects. */
function reportParts(ctx: ReportContext): Part[] {
  const sensitivity = computedSensitivity(ctx)
  return [
    {
      title: 'Executive summary',
      parts: [
        { title: 'Recommendation', render: renderRecommendation },
        { title: 'Key figures', render: renderKeyFigures },
        { title: 'Points to note', render: renderPointsToNote },
      ],
    },
    { title: 'Background and objectives', render: renderBackground },
    { title: 'Options considered', render: renderOptions },
    {
      title: 'Method',
      parts: [
        { title: 'Criteria and weights', render: renderCriteria },
        { title: 'Gates', render: renderGates },
        { title: 'Scoring scale', render: renderScale },
        { title: 'Quality, price and the total score', render: renderSplit },
        { title: 'Discounting and optimism bias', render: renderDiscounting },
        { title: 'Appraisal period and price base', render: renderPeriod },
        { title: 'The evaluation plan and its approval', render: renderPlanApproval },
      ],
    },
    {
      title: 'The tender evaluation',
      render: renderTenderIntro,
      parts: [
        { title: 'Ranking of the tenders', render: renderRanking },
        { title: 'Quality by group', render: renderQualityByGroup, lead: qualityByGroupLead },
        { title: 'Gates and their outcome', render: renderGateOutcomes },
        { title: 'Scores by criterion', render: renderScoresByCriterion },
        ...(ctx.file.trials === undefined ? [] : [{ title: 'Frontline trials', render: renderTrials }]),
      ],
    },
    {
      title: 'The economic case',
      render: renderEconomicIntro,
      parts: [
        { title: 'Every option against business as usual', render: renderCostSummary },
        { title: 'Cost per year', render: renderCostPerYear, lead: costPerYearLead },
        ...ctx.results.options.map((option) => ({ title: option.name, render: (w: ReportWriter) => renderOptionCost(w, ctx, option) })),
      ],
    },
    {
      title: 'Sensitivity',
      render: renderSensitivityIntro,
      parts:
        sensitivity === null
          ? ctx.sensitivity === undefined
            ? []
            : [{ title: 'How far each estimate can move', render: renderLineRisks }]
          : [
              { title: 'Switching values for the weights', render: renderWeightSwitches },
              { title: 'Cost headroom and cost switching values', render: renderCostSwitches },
              { title: 'Irrelevant alternatives and the price formula', render: renderIrrelevantAlternatives },
              { title: 'How far each estimate can move', render: renderLineRisks },
              { title: 'Monte Carlo analysis', render: renderMonteCarlo },
            ],
    },
    {
      title: 'Panel, conflicts of interest and moderation',
      parts: [
        { title: 'The panel', render: renderPanel },
        { title: 'Conflict-of-interest register', render: renderConflicts },
        { title: 'Moderation record', render: renderModeration },
      ],
    },
    { title: 'Sign-off', render: renderSignOff },
  ]
}

/**
 * Renders the options appraisal report. Every figure comes from `results` (computed by the
 * engine from `file`); the report only formats them. The same arguments give the same bytes.
 * `model`, when given, is the engine's model prepared from this same file (for the results), so
 * that it is not prepared twice.
 */
export async function renderReport(file: EvaluationFile, results: ReportResults, options: ReportOptions, model?: PreparedModel): Promise<Buffer> {
  const ctx = createContext(file, results, options, model)
  const draft = options.status === 'draft'
  const date = ctx.f.date(options.generatedAt)
  const writer = new ReportWriter({
    title: `${file.title}: options appraisal report${draft ? ' (draft)' : ''}`,
    author: file.organisation,
    subject: 'Options appraisal: quality, whole-life cost, sensitivity and the record of the evaluation',
    keywords: 'options appraisal, evaluation, whole-life cost, Green Book',
    date: options.generatedAt,
    draft,
    headerText: file.title,
    statusText: draft ? 'DRAFT — not for decision' : `FINAL${options.version !== undefined ? ` — version ${options.version}` : ''}`,
    footerText: [file.organisation, 'Options appraisal report', `as at ${date}`].filter((part) => part !== undefined && part !== '').join(' · '),
  })
  renderCover(writer, ctx)
  const parts = reportParts(ctx)
  writer.reserveContents(parts.reduce((count, part) => count + 1 + (part.parts?.length ?? 0), 0))
  parts.forEach((part, i) => {
    const number = String(i + 1)
    writer.beginSection()
    writer.heading(1, number, part.title)
    part.render?.(writer, ctx)
    part.parts?.forEach((child, j) => {
      writer.beginSection()
      writer.heading(2, `${number}.${j + 1}`, child.title, child.lead === undefined ? {} : { keepWith: child.lead(writer, ctx) })
      child.render?.(writer, ctx)
      writer.endSection()
    })
    writer.endSection()
  })
  return writer.finish()
}
