import { economicCase } from '../summary.js'
import type { CostLine, OptionResult } from '../../appraisal/index.js'
import { costPerYearChart } from '../charts.js'
import { cell, mutedCell, right } from '../cells.js'
import type { ReportContext } from '../context.js'
import { STYLE, type ReportWriter, type TableColumn, type TableRow } from '../writer.js'
import { optionCell } from './summary.js'

const OPTIONS_PER_TABLE = 5

/** What the economic case asks, before its figures. */
export function renderEconomicIntro(w: ReportWriter, ctx: ReportContext): void {
  const baseline = ctx.baseline
  w.paragraph(
    'Which course of action gives the best value to society (HM Treasury Green Book): every option, tenders and other options such as a do-minimum alike, ' +
      (baseline === null ? 'on its own benefits and costs, since no option is marked as business as usual.' : `against business as usual, ${baseline.name}.`) +
      ' The answer is each option’s net present social value (NPSV), with the part of it that is cash, and its quality score beside it for the benefits not valued in money.',
  )
}

export function renderCostSummary(w: ReportWriter, ctx: ReportContext): void {
  const { f, file } = ctx
  const baseline = ctx.baseline
  w.paragraph(
    `Whole-life cost covers every cost line over the ${file.appraisal.years}-year appraisal period, in real ${file.appraisal.baseYear} prices and uplifted for optimism bias. ` +
      'Present values (PV) are discounted as set out in section 4.5; the equivalent annual cost (EAC) is the level yearly cost with the same present value. ' +
      (baseline !== null
        ? `NPSV and BCR compare each option with the baseline, ${baseline.name}: NPSV is the option’s benefits less costs minus the baseline’s, and BCR is its extra benefits divided by its extra costs, defined only where it costs more than the baseline.`
        : 'With no baseline, NPSV is benefits less costs and BCR benefits divided by costs.'),
  )
  const rows: TableRow[] = ctx.results.options.map((option) => ({
    cells: [
      optionCell(ctx, option),
      right(f.money(option.undiscountedCost)),
      right(f.money(option.pvCost), { style: STYLE.cellBold }),
      right(f.money(option.pvBenefit)),
      right(f.money(option.npsv)),
      right(f.money(option.cashNpsv)),
      right(option.bcr === null ? 'n/a' : f.ratio(option.bcr)),
      right(f.score(option.quality)),
    ],
  }))
  w.table(
    [
      { header: 'Option', width: 20 },
      { header: 'Cost, undiscounted', width: 13, align: 'right' },
      { header: 'PV cost', width: 13, align: 'right' },
      { header: 'PV benefit', width: 13, align: 'right' },
      { header: 'NPSV', width: 13, align: 'right' },
      { header: 'of which cash', width: 13, align: 'right' },
      { header: 'BCR', width: 6, align: 'right' },
      { header: 'Quality', width: 9, align: 'right' },
    ],
    rows,
    { zebra: true, summary: 'Whole-life cost, present values, NPSV and its cash part, BCR and quality of each option' },
  )
  w.paragraph(
    '“Of which cash” is the NPSV from cash lines only; the rest rests on non-cash benefits and costs, such as staff time valued in money. Quality, out of 100, stands for the benefits not valued in money. Negative amounts are in brackets. Sunk costs are not included in any of these figures (section 3).',
    { style: STYLE.small },
  )
  w.paragraph(economicCase(ctx))
}

const COST_CHART_TEXT = 'The cost of each option in each year of the appraisal period, before discounting.'

/** The height the heading of 6.2 keeps with: its paragraph and the chart. */
export function costPerYearLead(w: ReportWriter, ctx: ReportContext): number {
  return w.heightOf(COST_CHART_TEXT) + (costPerYearChart(w, ctx)?.height ?? 0)
}

export function renderCostPerYear(w: ReportWriter, ctx: ReportContext): void {
  const { f } = ctx
  w.paragraph(COST_CHART_TEXT)
  const chart = costPerYearChart(w, ctx)
  if (chart !== null) w.figure(chart.height, chart.alt, chart.draw)
  else w.paragraph('There are too many options to chart legibly; the table gives every figure.', { style: STYLE.bodyItalic })
  const options = ctx.results.options
  for (let i = 0; i < options.length; i += OPTIONS_PER_TABLE) {
    const shown = options.slice(i, i + OPTIONS_PER_TABLE)
    const columns: TableColumn[] = [
      { header: 'Year', width: 12 },
      ...shown.map((option) => ({ header: option.name, width: 88 / OPTIONS_PER_TABLE, align: 'right' as const })),
    ]
    const years = shown[0]?.years ?? []
    const rows: TableRow[] = years.map((year, t) => ({
      cells: [cell(`${year.calendarYear} (${year.year})`), ...shown.map((option) => right(f.money(option.years[t]?.cost ?? 0)))],
    }))
    rows.push({ cells: [cell('Total'), ...shown.map((option) => right(f.money(option.undiscountedCost)))], total: true })
    w.table(columns, rows, { zebra: true, summary: 'Cost per year of each option, undiscounted' })
  }
}

function yearsText(ctx: ReportContext, from: number, to: number): string {
  const base = ctx.file.appraisal.baseYear
  return from === to ? `${base + from} (year ${from})` : `${base + from} to ${base + to} (years ${from}–${to})`
}

/** The line's optimism bias as the engine applied it, marked when it is the appraisal's default. */
function upliftOf(ctx: ReportContext, line: CostLine, index: number): string {
  const bias = ctx.f.fraction(ctx.model.costLines[index]!.optimismBias, 1)
  return line.optimismBias === undefined ? `${bias} (default)` : bias
}

/** One option's whole-life cost: the year-by-year table and the cost and benefit lines behind it. */
export function renderOptionCost(w: ReportWriter, ctx: ReportContext, option: OptionResult): void {
  const { f, file } = ctx
  const benefits = ctx.hasBenefits
  w.paragraph(
    `Present value of cost ${f.money(option.pvCost)}; of benefits ${f.money(option.pvBenefit)}; equivalent annual cost ${f.money(option.eac)}. ` +
      (option.baseline ? 'This is the baseline.' : `NPSV ${f.money(option.npsv)}; BCR ${option.bcr === null ? 'not defined' : f.ratio(option.bcr)}.`),
  )
  const columns: TableColumn[] = [
    { header: 'Year', width: 14 },
    { header: 'Discount factor', width: 12, align: 'right' },
    { header: 'Cost', width: 15, align: 'right' },
    { header: 'PV of cost', width: 15, align: 'right' },
    ...(benefits
      ? [
          { header: 'Benefit', width: 15, align: 'right' as const },
          { header: 'PV of benefit', width: 15, align: 'right' as const },
        ]
      : []),
  ]
  const rows: TableRow[] = option.years.map((year) => ({
    cells: [
      cell(`${year.calendarYear} (${year.year})`),
      right(f.factor(year.discountFactor)),
      right(f.money(year.cost)),
      right(f.money(year.pvCost)),
      ...(benefits ? [right(f.money(year.benefit)), right(f.money(year.pvBenefit))] : []),
    ],
  }))
  rows.push({
    cells: [
      cell('Total'),
      '',
      right(f.money(option.undiscountedCost)),
      right(f.money(option.pvCost)),
      ...(benefits ? ['', right(f.money(option.pvBenefit))] : []),
    ],
    total: true,
  })
  w.table(columns, rows, { zebra: true, summary: `Year-by-year cost${benefits ? ' and benefit' : ''} of ${option.name}` })

  // With each line's place in the file, which is its place in the engine's prepared lines.
  const costLines = file.costs.flatMap((line, index) => (line.option === option.id ? [{ line, index }] : []))
  w.heading(4, '', 'Cost lines')
  if (costLines.length === 0) {
    w.paragraph('No cost lines are recorded for this option.', { style: STYLE.bodyItalic })
  } else {
    w.table(
      [
        { header: 'Cost line', width: 28 },
        { header: 'Type', width: 10 },
        { header: 'A year, real prices', width: 13, align: 'right' },
        { header: 'Years', width: 17 },
        { header: 'Real growth', width: 8, align: 'right' },
        { header: 'Optimism bias', width: 10, align: 'right' },
        { header: 'Range', width: 11, align: 'right' },
      ],
      costLines.map(({ line, index }) => ({
        cells: [
          cell(line.label, { note: [line.category, line.notes].filter((part) => part !== undefined && part !== '').join(' — ') }),
          cell(line.capital ? 'Capital' : 'Operating'),
          right(f.money(line.amount)),
          cell(yearsText(ctx, line.from, line.to)),
          right(line.growth === 0 ? '—' : f.fraction(line.growth, 1)),
          right(upliftOf(ctx, line, index)),
          line.range === undefined ? mutedCell('—') : right(`×${f.scaleScore(line.range.low)} to ${f.scaleScore(line.range.high)}`),
        ],
      })),
      { summary: `Cost lines of ${option.name}, as entered` },
    )
  }
  const benefitLines = file.benefits.filter((line) => line.option === option.id)
  if (benefits) {
    w.heading(4, '', 'Benefit lines')
    if (benefitLines.length === 0) {
      w.paragraph('No benefits are valued in money for this option.', { style: STYLE.bodyItalic })
    } else {
      w.table(
        [
          { header: 'Benefit line', width: 40 },
          { header: 'A year, real prices', width: 15, align: 'right' },
          { header: 'Years', width: 25 },
          { header: 'Real growth', width: 10, align: 'right' },
        ],
        benefitLines.map((line) => ({
          cells: [
            cell(line.label, { note: [line.category, line.notes].filter((part) => part !== undefined && part !== '').join(' — ') }),
            right(f.money(line.amount)),
            cell(yearsText(ctx, line.from, line.to)),
            right(line.growth === 0 ? '—' : f.fraction(line.growth, 1)),
          ],
        })),
        { summary: `Benefit lines of ${option.name}, as entered` },
      )
    }
  }
  if (option.sunkCost > 0) {
    w.paragraph([
      { text: 'Sunk costs of ', style: STYLE.body },
      { text: f.money(option.sunkCost), style: STYLE.bodyBold },
      { text: ' are excluded from all of the above (section 3).', style: STYLE.body },
    ])
  }
}
