import type { OptionResult } from '../../appraisal/index.js'
import { cell, right, strongCell } from '../cells.js'
import type { ReportContext } from '../context.js'
import { pointsToNote, recommendation } from '../summary.js'
import { STYLE, type ReportWriter, type TableRow } from '../writer.js'

export function renderRecommendation(w: ReportWriter, ctx: ReportContext): void {
  for (const paragraph of recommendation(ctx)) w.paragraph(paragraph, { after: 8 })
}

/** The option's name with what a reader must know about it underneath. */
export function optionCell(ctx: ReportContext, option: OptionResult, options: { bold?: boolean } = {}) {
  const notes: string[] = []
  if (option.baseline) notes.push('Baseline (business as usual)')
  if (option.failedGates.length > 0) notes.push(option.tender ? 'Not eligible: failed a gate' : 'Fails a gate')
  if (!option.tender && !option.baseline) notes.push('Not a tender: appraised, not ranked')
  if (!option.complete) notes.push('Scoring incomplete')
  if (ctx.results.preferred === option.id) notes.unshift('Preferred option')
  return cell(option.name, {
    ...(options.bold === true || ctx.results.preferred === option.id ? { style: STYLE.cellBold } : {}),
    note: notes.join('; '),
    ...(option.failedGates.length > 0 ? { noteStyle: STYLE.cellBad } : {}),
  })
}

export function renderKeyFigures(w: ReportWriter, ctx: ReportContext): void {
  const { f } = ctx
  const rows: TableRow[] = ctx.ranked.map((option) => ({
    cells: [
      option.rank === null ? cell('—') : strongCell(String(option.rank)),
      optionCell(ctx, option),
      right(f.score(option.quality)),
      right(option.priceScore === null ? '—' : f.score(option.priceScore)),
      option.total === null ? right('—') : right(f.score(option.total), { style: STYLE.cellBold }),
      right(f.money(option.pvCost)),
      right(f.money(option.npsv)),
      right(option.bcr === null ? 'n/a' : f.ratio(option.bcr)),
    ],
  }))
  w.table(
    [
      { header: 'Rank', width: 5 },
      { header: 'Option', width: 23 },
      { header: 'Quality', width: 7, align: 'right' },
      { header: 'Price score', width: 7, align: 'right' },
      { header: 'Total', width: 7, align: 'right' },
      { header: 'PV cost', width: 13, align: 'right' },
      { header: 'NPSV', width: 13, align: 'right' },
      { header: 'BCR', width: 6, align: 'right' },
    ],
    rows,
    { zebra: true, summary: 'Key figures for each option' },
  )
  const baseline = ctx.baseline
  w.paragraph(
    `Quality, price score and total are out of 100 (${ctx.file.split.quality} : ${ctx.file.split.cost} quality to cost). ` +
      `PV cost is the present value of whole-life cost in real ${ctx.file.appraisal.baseYear} prices, including optimism bias. ` +
      (baseline !== null
        ? `NPSV (net present social value) and BCR (benefit–cost ratio) are measured against the baseline, ${baseline.name}; n/a means a BCR is not defined because the option costs no more than the baseline in present value, or is the baseline. `
        : 'NPSV is benefits less costs in present value, and BCR benefits divided by costs; there is no baseline. ') +
      'Negative amounts are in brackets.',
    { style: STYLE.small },
  )
}

export function renderPointsToNote(w: ReportWriter, ctx: ReportContext): void {
  const points = pointsToNote(ctx)
  if (points.length === 0) {
    w.paragraph(
      'Every option is fully scored and eligible, every score has a moderated consensus, every panel member has a declaration recorded, and the calculation reported no warnings.',
    )
    return
  }
  w.bullets(points)
}
