import { body, bold, cell, paragraphsOf, right, strongCell } from '../cells.js'
import type { ReportContext } from '../context.js'
import { listOf } from '../summary.js'
import { STYLE, type ReportWriter, type TableRow } from '../writer.js'

export function renderBackground(w: ReportWriter, ctx: ReportContext): void {
  const { file } = ctx
  const summary = paragraphsOf(file.summary ?? '')
  if (summary.length === 0) {
    w.paragraph('The evaluation records no background or objectives. Add a summary to the evaluation so that this report stands on its own.', {
      style: STYLE.bodyItalic,
    })
  } else {
    for (const paragraph of summary) w.paragraph(paragraph, { after: 8 })
  }
  w.paragraph(
    `This report records the options appraisal for “${file.title}”${file.organisation ? ` at ${file.organisation}` : ''}: the options considered, ` +
      'how they were assessed, the quality and whole-life cost results, how sensitive the recommendation is, and who took part in the evaluation.',
  )
}

export function renderOptions(w: ReportWriter, ctx: ReportContext): void {
  const { file, f, results } = ctx
  const baseline = ctx.baseline
  w.paragraph(
    `The appraisal considered ${file.options.length} ${file.options.length === 1 ? 'option' : 'options'}. ` +
      (baseline !== null
        ? `${baseline.name} is the baseline (business as usual): every other option is appraised as the difference from it.`
        : 'No option is marked as the baseline (business as usual), so each option’s net present social value is its own benefits less its costs.'),
  )
  const rows: TableRow[] = file.options.map((option) => {
    const result = ctx.option(option.id)
    const supplier = [option.supplier, option.product].filter((part) => part !== undefined && part !== '').join(' — ')
    return {
      cells: [
        strongCell(option.name),
        cell(supplier === '' ? '—' : supplier),
        cell(option.baseline ? 'Baseline' : 'Option'),
        right(result.sunkCost > 0 ? f.money(result.sunkCost) : '—'),
      ],
    }
  })
  w.table(
    [
      { header: 'Option', width: 30 },
      { header: 'Supplier and product', width: 26 },
      { header: 'Role', width: 9 },
      { header: 'Sunk costs (excluded)', width: 13, align: 'right' },
    ],
    rows,
    { zebra: true, summary: 'Options considered' },
  )
  for (const option of file.options) {
    if (option.description === undefined || option.description.trim() === '') continue
    w.heading(3, '', option.name)
    for (const paragraph of paragraphsOf(option.description)) w.paragraph(paragraph)
  }

  const withSunk = results.options.filter((option) => option.sunkCost > 0)
  w.heading(3, '', 'Sunk costs')
  if (withSunk.length === 0) {
    w.paragraph('No sunk costs are recorded.')
    return
  }
  w.paragraph([
    body('Sunk costs are money already spent. They are stated here and '),
    bold('excluded from the appraisal'),
    body(
      `, as the Green Book requires: they are the same whichever option is chosen now. ${listOf(withSunk.map((option) => `${option.name}: ${f.moneyShort(option.sunkCost)}`))}.`,
    ),
  ])
  const lines: TableRow[] = file.sunkCosts.map((sunk) => ({
    cells: [cell(ctx.optionName(sunk.option)), cell(sunk.label, { note: sunk.notes }), cell(sunk.category ?? '—'), right(f.money(sunk.amount))],
  }))
  for (const option of withSunk) {
    lines.push({ cells: [cell(`Total, ${option.name}`), '', '', right(f.money(option.sunkCost))], total: true })
  }
  w.table(
    [
      { header: 'Option', width: 26 },
      { header: 'Item', width: 30 },
      { header: 'Category', width: 12 },
      { header: 'Amount', width: 12, align: 'right' },
    ],
    lines,
    { summary: 'Sunk costs, excluded from the appraisal' },
  )
}
