import { lineRisks } from '../../line-risks.js'
import { compareRankings, type Sensitivity } from '../../appraisal/index.js'
import { cell, mutedCell, right, strongCell } from '../cells.js'
import type { ReportContext } from '../context.js'
import { STYLE, type ReportWriter, type TableRow } from '../writer.js'

/** The sensitivity figures, when the engine computed them. */
export function computedSensitivity(ctx: ReportContext): Sensitivity | null {
  const outcome = ctx.sensitivity
  if (outcome === undefined || 'computed' in outcome) return null
  return outcome
}

export function renderSensitivityIntro(w: ReportWriter, ctx: ReportContext): void {
  const outcome = ctx.sensitivity
  if (outcome === undefined) {
    w.paragraph('Sensitivity was not computed for this report.')
    return
  }
  if ('computed' in outcome) {
    w.paragraph(
      'The switching values of weights and costs, the irrelevant-alternatives check and the Monte Carlo analysis are computed only when a single tender is preferred, and none is (section 1.1).',
    )
    w.paragraph(`The calculation reported: ${outcome.reason}.`, { style: STYLE.small })
    renderLineRisks(w, ctx)
    return
  }
  w.paragraph(
    'How far the inputs can move before the recommendation changes. A switching value is the value an input must reach for another option to draw level with or overtake the preferred option, all else unchanged.',
  )
}

export function renderWeightSwitches(w: ReportWriter, ctx: ReportContext): void {
  const sensitivity = computedSensitivity(ctx)
  if (sensitivity === null) return
  const { f } = ctx
  w.paragraph(
    'Each group’s share of quality is varied from 0% to 100% while the other groups keep their proportions to each other; the quality share of the quality/cost split is varied the same way, with cost taking the rest.',
  )
  const rows: TableRow[] = sensitivity.weights.map((entry) => ({
    cells: [
      cell(entry.id === 'split' ? 'Quality share of the quality/cost split' : ctx.criterionName(entry.id)),
      right(f.percent(entry.current)),
      entry.switchesAt === null ? mutedCell('No change within 0–100%') : right(f.percent(entry.switchesAt), { style: STYLE.cellBold }),
      cell(entry.newPreferred === null ? '—' : ctx.optionName(entry.newPreferred)),
    ],
  }))
  w.table(
    [
      { header: 'Weight varied', width: 38 },
      { header: 'Now', width: 10, align: 'right' },
      { header: 'Recommendation changes at', width: 17, align: 'right' },
      { header: 'Then preferred', width: 35 },
    ],
    rows,
    { zebra: true, summary: 'Switching values of the weights' },
  )
}

export function renderCostSwitches(w: ReportWriter, ctx: ReportContext): void {
  const sensitivity = computedSensitivity(ctx)
  if (sensitivity === null) return
  const { f } = ctx
  w.paragraph(
    'For the preferred option, the rise in all its costs (so in its present value of cost) at which it stops being preferred: its cost headroom, searched up to +1,000%. For each other eligible option, the fall in its costs at which it would become preferred or tie.',
  )
  const rows: TableRow[] = sensitivity.costs.map((entry) => {
    const option = ctx.option(entry.id)
    const preferred = entry.id === ctx.results.preferred
    const change =
      entry.switchesAt === null
        ? mutedCell(preferred ? 'No rise up to +1,000% changes it' : 'No fall in its costs alone')
        : right(`${preferred ? '+' : '−'}${f.percent(entry.switchesAt)}`, { style: STYLE.cellBold })
    const meaning =
      entry.switchesAt === null
        ? preferred
          ? 'Its cost alone cannot lose it first place.'
          : 'Cutting its costs alone, even to nothing, would not make it preferred.'
        : preferred
          ? `Stays preferred unless its costs rise by ${f.percent(entry.switchesAt)} or more.`
          : `Would become preferred if its costs fell by ${f.percent(entry.switchesAt)}.`
    return {
      cells: [preferred ? strongCell(option.name, { note: 'Preferred option' }) : cell(option.name), right(f.money(option.pvCost)), change, cell(meaning)],
    }
  })
  w.table(
    [
      { header: 'Option', width: 30 },
      { header: 'PV cost now', width: 15, align: 'right' },
      { header: 'Switching value', width: 15, align: 'right' },
      { header: 'What it means', width: 40 },
    ],
    rows,
    { zebra: true, summary: 'Cost switching values' },
  )
}

export function renderIrrelevantAlternatives(w: ReportWriter, ctx: ReportContext): void {
  const sensitivity = computedSensitivity(ctx)
  if (sensitivity === null) return
  w.paragraph(
    'The appraisal run again without each eligible tender in turn, the preferred one included: removing it shows who would win without it. A sound price formula leaves the order of the remaining tenders unchanged; relative price scoring can reverse it.',
  )
  if (sensitivity.irrelevantAlternatives.length <= 1) {
    w.paragraph(`${ctx.optionName(ctx.results.preferred ?? '')} is the only eligible tender: without it, no tender would remain to rank.`)
  } else {
    const rows: TableRow[] = sensitivity.irrelevantAlternatives.map((entry) => ({
      cells: [
        cell(entry.removed === ctx.results.preferred ? `${ctx.optionName(entry.removed)} (the preferred tender)` : ctx.optionName(entry.removed)),
        cell(
          entry.preferred === null ? 'None (a tie)' : ctx.optionName(entry.preferred),
          entry.preferred !== ctx.results.preferred && entry.removed !== ctx.results.preferred ? { style: STYLE.cellBad } : {},
        ),
        entry.orderChanged ? cell('Changed', { style: STYLE.cellBad }) : cell('Unchanged'),
      ],
    }))
    w.table(
      [
        { header: 'Option removed', width: 40 },
        { header: 'Preferred option then', width: 40 },
        { header: 'Order of the others', width: 20 },
      ],
      rows,
      { zebra: true, summary: 'The effect of removing each eligible tender' },
    )
  }
  const comparison = compareRankings(ctx.file, ctx.model)
  const name = (id: string | null): string => (id === null ? 'no single option' : ctx.optionName(id))
  const sentence = comparison.preferredDiffers
    ? `The two price formulas disagree: relative to the lowest prefers ${name(comparison.relativeToLowest.preferred)}; price per quality point prefers ${name(comparison.pricePerQualityPoint.preferred)}.`
    : comparison.orderDiffers
      ? `Both price formulas prefer ${name(comparison.relativeToLowest.preferred)}, but they rank the other options differently.`
      : `Both price formulas (relative to the lowest, and price per quality point) prefer ${name(comparison.relativeToLowest.preferred)} and rank the options in the same order.`
  w.paragraph(sentence)
}

/** Each cost and benefit line's switching value for its option's NPSV, in words, largest risks first. */
export function renderLineRisks(w: ReportWriter, ctx: ReportContext): void {
  const outcome = ctx.sensitivity
  if (outcome === undefined) return
  w.paragraph(
    'For each cost and benefit line of every option but business as usual: how far that one line can move, all else unchanged, before its option’s net present social value reaches zero. The smallest changes, the largest risks, come first.',
  )
  const risks = lineRisks(ctx.file, ctx.results, outcome.lines)
  if (risks.length === 0) w.paragraph('No option other than business as usual has a cost or benefit line.')
  else w.bullets(risks.map((risk) => risk.sentence))
}

export function renderMonteCarlo(w: ReportWriter, ctx: ReportContext): void {
  const sensitivity = computedSensitivity(ctx)
  if (sensitivity === null) return
  const { f } = ctx
  const { monteCarlo } = sensitivity
  w.paragraph(
    `The analysis made ${f.count(monteCarlo.iterations)} runs (seed ${monteCarlo.seed}, so anyone can repeat them). In each run every criterion score of every option is drawn at random from the panel’s individual scores ` +
      '(its consensus where nobody scored individually), and every cost line with a range is multiplied by a draw from a triangular distribution over that range; the options are then ranked as in the results. ' +
      'P10, P50 and P90 are the present values of cost that 10%, 50% and 90% of runs came within.',
  )
  const rows: TableRow[] = ctx.ranked.map((option) => {
    const percentiles = monteCarlo.pvCost[option.id]
    const probability = monteCarlo.probabilityFirst[option.id] ?? 0
    return {
      cells: [
        option.id === ctx.results.preferred ? strongCell(option.name) : cell(option.name),
        right(f.fraction(probability, 1), option.id === ctx.results.preferred ? { style: STYLE.cellBold } : {}),
        right(percentiles === undefined ? '—' : f.money(percentiles.p10)),
        right(percentiles === undefined ? '—' : f.money(percentiles.p50)),
        right(percentiles === undefined ? '—' : f.money(percentiles.p90)),
      ],
    }
  })
  w.table(
    [
      { header: 'Option', width: 36 },
      { header: 'Ranked first', width: 12, align: 'right' },
      { header: 'PV cost P10', width: 17, align: 'right' },
      { header: 'P50', width: 17, align: 'right' },
      { header: 'P90', width: 17, align: 'right' },
    ],
    rows,
    { zebra: true, summary: 'Monte Carlo: how often each option came first, and the spread of its present value of cost' },
  )
}
