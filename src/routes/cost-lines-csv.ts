// Cost, benefit and sunk cost lines in and out of CSV, and the year-by-year table out. A row is
// checked by the same rules as the form (money-line-form.ts); a file with any bad row imports nothing.

import type { OptionResult } from '../appraisal/index.js'
import type { MoneyLine, Option, SunkCost } from '../db/schema.js'
import { readCsv, unguardCell, writeCsv, type CsvRecord } from '../csv.js'
import { readWorkbookRows } from '../xlsx.js'
import {
  CSV_COLUMNS,
  csvField,
  fieldsOf,
  headerKey,
  lineCsvCells,
  lineFromFile,
  moneyLineDetails,
  parseMoneyLine,
  parseSunkCost,
  sunkCostDetails,
  type AnyField,
  type CsvColumn,
  type MoneyLineDetails,
  type SunkCostDetails,
} from '../money-line-fields.js'
import type { FormValues } from '../../views/components/form.js'

/** Far more lines than any appraisal has; a bigger file is refused before it is read. */
export const MAX_CSV_BYTES = 2 * 1024 * 1024
export const MAX_CSV_ROWS = 5000

export type { CsvColumn }

/** The columns, from the field table (src/money-line-fields.ts). */
export const csvColumns: readonly CsvColumn[] = CSV_COLUMNS

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
  return readMoneyLineRecords(parsed.records, options, baseYear)
}

/** The sheet an exported workbook keeps its lines on; a workbook without one is read from its first sheet. */
export const LINES_SHEET = 'Lines'

/**
 * Reads an Excel workbook of lines (the sheet named Lines, else the first) by the same rules as a
 * CSV, each problem numbered by its row as Excel shows it. Not a workbook, too large, or any bad row:
 * nothing to import, and every problem listed.
 */
export async function readMoneyLinesXlsx(bytes: Uint8Array, options: Option[], baseYear: number): Promise<CsvImport> {
  const read = await readWorkbookRows(bytes, LINES_SHEET)
  if (!read.ok) return { lines: [], problems: [{ line: 1, label: null, reasons: [read.message] }] }
  const result = readMoneyLineRecords(read.records, options, baseYear)
  if (read.cellProblems === undefined || read.cellProblems.size === 0) return result
  // A cell that could not be read is a problem on its row, whatever the row's other cells say.
  const problems = new Map(result.problems.map((p) => [p.line, p]))
  for (const [line, reasons] of read.cellProblems) {
    const found = problems.get(line)
    if (found !== undefined) found.reasons.unshift(...reasons)
    else problems.set(line, { line, label: result.lines.find((l) => l.line === line)?.details.label ?? null, reasons })
  }
  return { lines: result.lines.filter((l) => !problems.has(l.line)), problems: [...problems.values()].sort((a, b) => a.line - b.line) }
}

/** Checks rows of cells (from a CSV or a workbook) against the options, the header first. */
export function readMoneyLineRecords(all: readonly CsvRecord[], options: Option[], baseYear: number): CsvImport {
  const records = all.filter((r) => !isBlank(r.fields))
  const header = records[0]
  if (header === undefined)
    return { lines: [], problems: [{ line: 1, label: null, reasons: ['The file is empty: it needs a header row and at least one line'] }] }
  if (header.fields.length === 1 && /[;\t]/.test(header.fields[0] ?? '')) {
    return {
      lines: [],
      problems: [
        {
          line: header.line,
          label: null,
          reasons: ['The columns are separated by semicolons or tabs: save the file as CSV with commas (“CSV UTF-8” in Excel)'],
        },
      ],
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
    return {
      lines: [],
      problems: [{ line: header.line, label: null, reasons: [`The file has ${rows.length} lines: at most ${MAX_CSV_ROWS} can be imported at once`] }],
    }
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
    // Each column's spreadsheet words in the form's terms; then what a kind of line must leave blank.
    for (const column of columns) {
      const field = column === null ? undefined : csvField(column)
      const cell = field === undefined ? undefined : values[field.form.name]
      if (field?.csv.normalise === undefined || cell === undefined) continue
      const normal = field.csv.normalise(cell)
      if (typeof normal === 'string') reasons.push(normal)
      else values[field.form.name] = normal.text
    }
    const given = (field: AnyField) => {
      const cell = row.fields[columns.findIndex((c) => c !== null && csvField(c) === field)] ?? ''
      return field.csv.given === undefined ? cell.trim() !== '' : field.csv.given(cell)
    }
    if (kind === 'benefit') {
      for (const field of fieldsOf('cost')) {
        if (!field.kinds.includes('benefit') && given(field)) reasons.push(field.csv.notOnBenefits ?? `Benefit lines take no ${field.csv.name}: leave it blank`)
      }
    }
    if (kind === 'sunk') {
      const extra = fieldsOf('cost')
        .concat(fieldsOf('benefit'))
        .filter((f, i, all) => all.indexOf(f) === i && !f.kinds.includes('sunk') && given(f))
      if (extra.length > 0) reasons.push(`A sunk cost is money already spent: leave its ${extra.map((f) => f.csv.name).join(', ')} blank`)
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
    lines.push(
      kind === 'sunk'
        ? { line: row.line, option, kind, details: details as SunkCostDetails }
        : { line: row.line, option, kind, details: details as MoneyLineDetails },
    )
  }
  return { lines, problems }
}

/** The template: the header and two example rows for the evaluation's first option. */
export function moneyLinesTemplate(options: Option[], baseYear: number): string {
  const option = options[0]?.key ?? 'option-id'
  const examples = [
    {
      label: 'Example: supplier implementation',
      category: 'implementation',
      capital: true,
      amount: 1200000,
      from: 0,
      to: 1,
      optimismBias: 0.2,
      range: { low: 0.9, high: 1.5 },
      notes: 'Delete the example rows',
    },
    { label: 'Example: licences', category: 'licences', capital: false, amount: 550000, from: 0, to: 9, growth: 0.02, notes: '2% a year above inflation' },
  ]
  return writeCsv([csvColumns.map((c) => c.name), ...examples.map((line) => [option, 'cost', ...lineCsvCells('cost', lineFromFile('cost', line), baseYear)])])
}

/** Every line of the evaluation in the import's columns, so a spreadsheet can be edited and imported again. */
export function moneyLinesCsv(lines: MoneyLine[], sunkCosts: SunkCost[], options: Option[], baseYear: number): string {
  const key = new Map(options.map((o) => [o.id, o.key]))
  const rows = [
    ...lines.map((line) => [key.get(line.option_id) ?? '', line.kind, ...lineCsvCells(line.kind, moneyLineDetails(line), baseYear)]),
    ...sunkCosts.map((sunk) => [key.get(sunk.option_id) ?? '', 'sunk', ...lineCsvCells('sunk', sunkCostDetails(sunk), baseYear)]),
  ]
  return writeCsv([csvColumns.map((c) => c.name), ...rows])
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
