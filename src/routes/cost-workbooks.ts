// The cost model and the results as Excel workbooks. Every figure is the engine's; the totals that
// finance audits are formulas over them (PV as Σ cost × DF), which test/xlsx.test.ts recomputes.

import type ExcelJS from 'exceljs'
import type { Context } from 'hono'
import type { AppraisalResults, OptionResult } from '../appraisal/index.js'
import type { MoneyLine, Option, SunkCost } from '../db/schema.js'
import { lineCsvCells, moneyLineDetails, sunkCostDetails } from '../money-line-fields.js'
import { addRow, currencyFormat, newWorkbook, sheetName, sheetRef, workbookBytes, XLSX_TYPE } from '../xlsx.js'
import { csvColumns, LINES_SHEET } from './cost-lines-csv.js'

export function workbookResponse(c: Context, body: Uint8Array, name: string): Response {
  return c.body(body as Uint8Array<ArrayBuffer>, 200, { 'content-type': XLSX_TYPE, 'content-disposition': `attachment; filename="${name}"` })
}

const YEAR_HEADER = ['Year', 'Calendar year', 'Cost', 'Discount factor', 'PV cost', 'Benefit', 'PV benefit']
const DISCOUNT_FORMAT = '0.000000'

function bold(row: ExcelJS.Row): void {
  row.font = { bold: true }
}

/** One option's year-by-year sheet: the engine's cost, benefit and discount factor; PV and totals as formulas. */
function addYearSheet(workbook: ExcelJS.Workbook, name: string, option: OptionResult, money: string): { first: number; last: number } {
  const sheet = workbook.addWorksheet(name)
  bold(addRow(sheet, YEAR_HEADER))
  const first = 2
  const last = first + option.years.length - 1
  option.years.forEach((y, i) => {
    const r = first + i
    addRow(sheet, [y.year, y.calendarYear, y.cost, y.discountFactor, { formula: `C${r}*D${r}` }, y.benefit, { formula: `F${r}*D${r}` }])
  })
  const total = addRow(sheet, [
    'Total',
    null,
    { formula: `SUM(C${first}:C${last})` },
    null,
    { formula: `SUM(E${first}:E${last})` },
    { formula: `SUM(F${first}:F${last})` },
    { formula: `SUM(G${first}:G${last})` },
  ])
  bold(total)
  for (const column of ['C', 'E', 'F', 'G']) sheet.getColumn(column).numFmt = money
  sheet.getColumn('D').numFmt = DISCOUNT_FORMAT
  for (const column of sheet.columns) column.width = 16
  sheet.views = [{ state: 'frozen', ySplit: 1 }]
  return { first, last }
}

/**
 * The cost model: a summary sheet (each option's PV cost and benefit as Σ cost × DF over its sheet,
 * and its net present social value from those, less the baseline's when there is one), a sheet a
 * year-by-year table for each option, and the lines in the import's columns, so the workbook can be
 * edited and imported again.
 */
export async function costModelWorkbook(
  results: AppraisalResults,
  stored: { lines: MoneyLine[]; sunkCosts: SunkCost[]; options: Option[] },
  baseYear: number,
  currency: string,
): Promise<Uint8Array> {
  const money = currencyFormat(currency)
  const workbook = await newWorkbook()
  const taken = new Set<string>([LINES_SHEET.toLowerCase(), 'summary'])
  const summary = workbook.addWorksheet('Summary')
  bold(addRow(summary, ['Option', 'Undiscounted cost', 'PV cost', 'PV benefit', 'Net present social value', 'Baseline']))
  const names = results.options.map((o) => sheetName(o.name, taken))
  const baselineRow = results.options.findIndex((o) => o.baseline) + 2
  results.options.forEach((option, i) => {
    const name = names[i]!
    const { first, last } = addYearSheet(workbook, name, option, money)
    const r = i + 2
    const range = (column: string) => sheetRef(name, `${column}${first}:${column}${last}`)
    addRow(summary, [
      option.name,
      { formula: `SUM(${range('C')})` },
      { formula: `SUMPRODUCT(${range('C')},${range('D')})` },
      { formula: `SUMPRODUCT(${range('F')},${range('D')})` },
      { formula: baselineRow < 2 ? `D${r}-C${r}` : `(D${r}-C${r})-(D${baselineRow}-C${baselineRow})` },
      option.baseline ? 'yes' : 'no',
    ])
  })
  for (const column of ['B', 'C', 'D', 'E']) summary.getColumn(column).numFmt = money
  summary.getColumn('A').width = 32
  for (const column of ['B', 'C', 'D', 'E']) summary.getColumn(column).width = 22
  addRow(summary, [])
  addRow(summary, [`Figures in ${currency}, base year ${baseYear}. PV is each year's cost (or benefit) times its discount factor, summed.`])

  const lines = workbook.addWorksheet(LINES_SHEET)
  bold(
    addRow(
      lines,
      csvColumns.map((c) => c.name),
    ),
  )
  const key = new Map(stored.options.map((o) => [o.id, o.key]))
  for (const line of stored.lines) addRow(lines, [key.get(line.option_id) ?? '', line.kind, ...lineCsvCells(line.kind, moneyLineDetails(line), baseYear)])
  for (const sunk of stored.sunkCosts) addRow(lines, [key.get(sunk.option_id) ?? '', 'sunk', ...lineCsvCells('sunk', sunkCostDetails(sunk), baseYear)])
  return workbookBytes(workbook)
}

/** The results as the results page shows them, one row an option, figures at full precision. */
export async function resultsWorkbook(results: AppraisalResults, currency: string): Promise<Uint8Array> {
  const money = currencyFormat(currency)
  const workbook = await newWorkbook()
  const sheet = workbook.addWorksheet('Results')
  const groups = results.options[0]?.groups ?? []
  bold(
    addRow(sheet, [
      'Rank',
      'Option',
      'Tender',
      'Failed gates',
      'Quality (0–100)',
      'Price score',
      'Total',
      ...groups.map((g) => `${g.name} (0–100)`),
      'PV cost',
      'PV benefit',
      'Net present social value',
      'Benefit-cost ratio',
      'Equivalent annual cost',
    ]),
  )
  for (const o of results.options) {
    addRow(sheet, [
      o.rank,
      o.name,
      o.tender ? 'yes' : 'no',
      o.failedGates.join('; '),
      o.quality,
      o.priceScore,
      o.total,
      ...groups.map((g) => o.groups.find((x) => x.id === g.id)?.score ?? null),
      o.pvCost,
      o.pvBenefit,
      o.npsv,
      o.bcr,
      o.eac,
    ])
  }
  const moneyFrom = 8 + groups.length
  for (const offset of [0, 1, 2, 4]) sheet.getColumn(moneyFrom + offset).numFmt = money
  sheet.getColumn(2).width = 32
  sheet.views = [{ state: 'frozen', ySplit: 1 }]
  return workbookBytes(workbook)
}
