// Cost, benefit and sunk cost lines in and out of CSV, and the year-by-year table out. A row is
// checked by the same rules as the form (money-line-form.ts); a file with any bad row imports nothing.

import type { OptionResult } from '../appraisal/index.js'
import type { MoneyLineDetails, SunkCostDetails } from '../db/money-lines.js'
import type { MoneyLine, Option, SunkCost } from '../db/schema.js'
import { readCsv, unguardCell, writeCsv } from '../csv.js'
import type { FormValues } from '../../views/components/form.js'
import { moneyLineValues, parseMoneyLine, parseSunkCost, sunkCostValues } from './money-line-form.js'

/** Far more lines than any appraisal has; a bigger file is refused before it is read. */
export const MAX_CSV_BYTES = 2 * 1024 * 1024
export const MAX_CSV_ROWS = 5000

export interface CsvColumn {
  /** The header the template and the export use. */
  name: string
  /** The form field the cell fills. */
  field: string
  /** Other headers accepted for it, compared without case, spaces or punctuation. */
  aliases: string[]
  required: boolean
  meaning: string
}

export const csvColumns: readonly CsvColumn[] = [
  { name: 'option', field: 'option', aliases: ['optionid', 'optionname'], required: true, meaning: 'The option’s name or id, as on the options page.' },
  { name: 'type', field: 'kind', aliases: ['kind', 'linetype'], required: false, meaning: 'cost, benefit or sunk (money already spent, excluded from the appraisal). Blank means cost.' },
  { name: 'label', field: 'label', aliases: ['description', 'item', 'line'], required: true, meaning: 'What the money is for.' },
  { name: 'category', field: 'category', aliases: [], required: false, meaning: 'Free text, such as licences or migration.' },
  { name: 'capital_or_operating', field: 'type', aliases: ['capital', 'capitaloroperating', 'costtype'], required: false, meaning: 'capital or operating (blank: operating). Costs only.' },
  { name: 'amount', field: 'amount', aliases: ['amountperyear', 'annualamount'], required: true, meaning: 'Per year, in real base-year prices; £ signs and thousands separators are fine.' },
  { name: 'first_year', field: 'from', aliases: ['from', 'fromyear', 'startyear'], required: false, meaning: 'Calendar year such as 2025, or a financial year such as 2025-26. Needed for costs and benefits.' },
  { name: 'last_year', field: 'to', aliases: ['to', 'toyear', 'endyear'], required: false, meaning: 'Blank: the first year only.' },
  { name: 'growth_percent', field: 'growth', aliases: ['growth', 'realgrowth', 'realgrowthpercent'], required: false, meaning: 'Real change per year in percent (2 = 2%). Blank: 0.' },
  { name: 'optimism_bias_percent', field: 'optimismBias', aliases: ['optimismbias', 'ob'], required: false, meaning: 'Percent (20 = 20%). Blank: the appraisal’s default. Costs only.' },
  { name: 'range_low', field: 'rangeLow', aliases: ['low'], required: false, meaning: 'Multiplier for the low case, 0 to 1 (0.9 = 10% below).' },
  { name: 'range_high', field: 'rangeHigh', aliases: ['high'], required: false, meaning: 'Multiplier for the high case, 1 or more (1.5 = 50% above).' },
  { name: 'notes', field: 'notes', aliases: ['note', 'comments'], required: false, meaning: 'The basis of the estimate.' },
]

function headerKey(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '')
}

const columnByHeader = new Map<string, CsvColumn>()
for (const column of csvColumns) for (const name of [column.name, ...column.aliases]) columnByHeader.set(headerKey(name), column)

export type ImportedLine =
  | { line: number; option: Option; kind: 'cost' | 'benefit'; details: MoneyLineDetails }
  | { line: number; option: Option; kind: 'sunk'; details: SunkCostDetails }

export interface CsvProblem {
  /** The line of the file, counting the header as line 1. */
  line: number
  /** The row's label, to help find it; null for problems with the file as a whole. */
  label: string | null
  reasons: string[]
}

export interface CsvImport {
  lines: ImportedLine[]
  problems: CsvProblem[]
}

const KINDS: Record<string, 'cost' | 'benefit' | 'sunk'> = {
  '': 'cost',
  cost: 'cost',
  costs: 'cost',
  benefit: 'benefit',
  benefits: 'benefit',
  sunk: 'sunk',
  sunkcost: 'sunk',
  sunkcosts: 'sunk',
}

const CAPITAL: Record<string, 'capital' | 'operating'> = {
  '': 'operating',
  operating: 'operating',
  opex: 'operating',
  no: 'operating',
  n: 'operating',
  false: 'operating',
  '0': 'operating',
  capital: 'capital',
  capex: 'capital',
  yes: 'capital',
  y: 'capital',
  true: 'capital',
  '1': 'capital',
}

function isBlank(fields: string[]): boolean {
  return fields.every((field) => field.trim() === '')
}

/** Finds an option by its id, else by its name, ignoring case. */
function findOption(options: Option[], text: string): Option | undefined {
  const wanted = text.trim().toLowerCase()
  return options.find((o) => o.key.toLowerCase() === wanted) ?? options.find((o) => o.name.trim().toLowerCase() === wanted)
}

/**
 * Reads a CSV of lines against the evaluation's options. Every row is checked; the result lists
 * the good lines and every problem, and the caller saves nothing unless there are no problems.
 */
export function readMoneyLinesCsv(text: string, options: Option[], baseYear: number): CsvImport {
  const parsed = readCsv(text)
  if (!parsed.ok) return { lines: [], problems: [{ line: parsed.line, label: null, reasons: [`The file is not valid CSV: ${parsed.message}`] }] }
  const records = parsed.records.filter((r) => !isBlank(r.fields))
  const header = records[0]
  if (header === undefined) return { lines: [], problems: [{ line: 1, label: null, reasons: ['The file is empty: it needs a header row and at least one line'] }] }
  if (header.fields.length === 1 && /[;\t]/.test(header.fields[0] ?? '')) {
    return {
      lines: [],
      problems: [{ line: header.line, label: null, reasons: ['The columns are separated by semicolons or tabs: save the file as CSV with commas (“CSV UTF-8” in Excel)'] }],
    }
  }

  const headerReasons: string[] = []
  const columns: (CsvColumn | null)[] = header.fields.map((name) => {
    if (name.trim() === '') return null
    const column = columnByHeader.get(headerKey(name))
    if (column === undefined) headerReasons.push(`Unknown column “${name.trim()}”: the columns are ${csvColumns.map((c) => c.name).join(', ')}`)
    return column ?? null
  })
  for (const column of csvColumns) {
    const count = columns.filter((c) => c === column).length
    if (column.required && count === 0) headerReasons.push(`The column “${column.name}” is missing`)
    if (count > 1) headerReasons.push(`The column “${column.name}” appears ${count} times`)
  }
  if (headerReasons.length > 0) return { lines: [], problems: [{ line: header.line, label: null, reasons: headerReasons }] }

  const rows = records.slice(1)
  if (rows.length === 0) return { lines: [], problems: [{ line: header.line, label: null, reasons: ['The file has a header row but no lines'] }] }
  if (rows.length > MAX_CSV_ROWS) {
    return { lines: [], problems: [{ line: header.line, label: null, reasons: [`The file has ${rows.length} lines: at most ${MAX_CSV_ROWS} can be imported at once`] }] }
  }

  const lines: ImportedLine[] = []
  const problems: CsvProblem[] = []
  for (const row of rows) {
    const values: FormValues = {}
    const reasons: string[] = []
    row.fields.forEach((cell, i) => {
      const column = columns[i]
      if (column !== undefined && column !== null) values[column.field] = unguardCell(cell)
      else if (cell.trim() !== '') reasons.push(`Cell ${i + 1} has “${cell.trim()}” but no column heading`)
    })
    const label = values.label?.trim() || null
    const optionText = values.option?.trim() ?? ''
    const option = optionText === '' ? undefined : findOption(options, optionText)
    if (optionText === '') reasons.push('Enter the option')
    else if (option === undefined) {
      reasons.push(`There is no option “${optionText}” in this evaluation: use an option’s name or id (${options.map((o) => o.key).join(', ')})`)
    }
    const kind = KINDS[headerKey(values.kind ?? '')]
    if (kind === undefined) reasons.push(`The type must be cost, benefit or sunk, not “${values.kind?.trim()}”`)
    const capital = CAPITAL[headerKey(values.type ?? '')]
    if (capital === undefined) reasons.push(`capital_or_operating must be capital or operating, not “${values.type?.trim()}”`)
    else values.type = capital

    if (kind === 'benefit') {
      if (capital === 'capital') reasons.push('A benefit line cannot be capital: leave capital_or_operating blank')
      if ((values.optimismBias ?? '').trim() !== '') reasons.push('Benefit lines take no optimism bias: leave optimism_bias_percent blank')
    }
    if (kind === 'sunk') {
      const extra = (['from', 'to', 'growth', 'optimismBias', 'rangeLow', 'rangeHigh'] as const).filter((f) => (values[f] ?? '').trim() !== '')
      if (extra.length > 0 || capital === 'capital') {
        reasons.push('A sunk cost is money already spent: leave its years, growth, optimism bias, range and capital_or_operating blank')
      }
    }

    let details: MoneyLineDetails | SunkCostDetails | null = null
    if (kind !== undefined) {
      const result = kind === 'sunk' ? parseSunkCost(values) : parseMoneyLine(kind, baseYear, values)
      if (result.ok) details = result.data
      else reasons.push(...Object.values(result.errors))
    }
    if (reasons.length > 0 || option === undefined || kind === undefined || details === null) {
      problems.push({ line: row.line, label, reasons })
      continue
    }
    lines.push(kind === 'sunk' ? { line: row.line, option, kind, details: details as SunkCostDetails } : { line: row.line, option, kind, details: details as MoneyLineDetails })
  }
  return { lines, problems }
}

/** The template: the header and two example rows for the evaluation's first option. */
export function moneyLinesTemplate(options: Option[], baseYear: number): string {
  const option = options[0]?.key ?? 'option-id'
  return writeCsv([
    csvColumns.map((c) => c.name),
    [option, 'cost', 'Example: supplier implementation', 'implementation', 'capital', 1200000, baseYear, baseYear + 1, null, 20, 0.9, 1.5, 'Delete the example rows'],
    [option, 'cost', 'Example: licences', 'licences', 'operating', 550000, baseYear, baseYear + 9, 2, null, null, null, '2% a year above inflation'],
  ])
}

/** Every line of the evaluation in the import's columns, so a spreadsheet can be edited and imported again. */
export function moneyLinesCsv(lines: MoneyLine[], sunkCosts: SunkCost[], options: Option[], baseYear: number): string {
  const key = new Map(options.map((o) => [o.id, o.key]))
  const cells = (fields: FormValues) => csvColumns.map((c) => (c.field === 'option' || c.field === 'kind' ? null : fields[c.field] || null))
  const rows = [
    ...lines.map((line) => {
      const values = moneyLineValues(line, baseYear)
      const row = cells({ ...values, type: line.kind === 'cost' ? values.type : '' })
      return [key.get(line.option_id) ?? '', line.kind, ...row.slice(2)]
    }),
    ...sunkCosts.map((sunk) => [key.get(sunk.option_id) ?? '', 'sunk', ...cells(sunkCostValues(sunk)).slice(2)]),
  ]
  // Numbers go out as numbers so a spreadsheet sums them.
  const numeric = new Set(['amount', 'from', 'to', 'growth', 'optimismBias', 'rangeLow', 'rangeHigh'])
  const typed = rows.map((row) => row.map((value, i) => (value !== null && numeric.has(csvColumns[i]!.field) ? Number(value) : value)))
  return writeCsv([csvColumns.map((c) => c.name), ...typed])
}

const yearHeader = ['year', 'calendar_year', 'cost', 'discount_factor', 'pv_cost', 'benefit', 'pv_benefit']

/** One option's year-by-year table at full precision, with the totals row the page shows. */
export function yearTableCsv(option: OptionResult, benefitTotal: number): string {
  return writeCsv([
    yearHeader,
    ...option.years.map((y) => [y.year, y.calendarYear, y.cost, y.discountFactor, y.pvCost, y.benefit, y.pvBenefit]),
    ['Total', null, option.undiscountedCost, null, option.pvCost, benefitTotal, option.pvBenefit],
  ])
}

/** Every option's year-by-year figures in one long table, ready for a pivot table. */
export function allYearsCsv(options: OptionResult[]): string {
  return writeCsv([
    ['option_id', 'option', ...yearHeader],
    ...options.flatMap((o) => o.years.map((y) => [o.id, o.name, y.year, y.calendarYear, y.cost, y.discountFactor, y.pvCost, y.benefit, y.pvBenefit])),
  ])
}
