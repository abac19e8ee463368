// Excel workbooks (.xlsx) in and out, with exceljs. Reading turns a sheet into rows of cell text
// numbered as Excel numbers them, for the same checks as a CSV (src/routes/cost-lines-csv.ts);
// writing neutralises text that could run as a formula, as the CSV does (src/csv.ts), and leaves
// numbers as numbers.

import type ExcelJS from 'exceljs'
import type { CsvRecord } from './csv.js'
import { neutralise } from './csv.js'

let excel: Promise<typeof ExcelJS> | undefined

/**
 * exceljs, loaded on first use: loading it took about 2 s of the server's start and held tens of MB
 * on the request thread for everyone, where few people export or upload a workbook (and uploads are
 * read in a worker thread).
 */
function loadExcel(): Promise<typeof ExcelJS> {
  excel ??= import('exceljs').then((module) => module.default)
  return excel
}

/** Far more than any cost model: a bigger upload is refused before it is opened. */
export const MAX_XLSX_BYTES = 2 * 1024 * 1024
/** A workbook is a zip: this is the most its parts may unpack to, so a small file cannot fill the memory. */
export const MAX_XLSX_UNPACKED_BYTES = 64 * 1024 * 1024

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** Whether the bytes start as a zip does (every .xlsx is one). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04
}

/**
 * What the zip's central directory says its files unpack to, in total; null when it cannot be read
 * (then the file is not a workbook). Read before anything is unpacked.
 */
export function unpackedSize(bytes: Uint8Array): number | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  // The end-of-central-directory record is in the last 22 bytes, or before a comment of up to 64 KB.
  for (let end = bytes.length - 22; end >= Math.max(0, bytes.length - 22 - 0xffff); end--) {
    if (view.getUint32(end, true) !== 0x06054b50) continue
    const entries = view.getUint16(end + 10, true)
    let at = view.getUint32(end + 16, true)
    let total = 0
    for (let i = 0; i < entries; i++) {
      if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) return null
      const size = view.getUint32(at + 24, true)
      // 0xFFFFFFFF: the size is in a zip64 field, far beyond anything a workbook here may be.
      if (size === 0xffffffff) return Number.POSITIVE_INFINITY
      total += size
      at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true)
    }
    return total
  }
  return null
}

export type WorkbookRows = { ok: true; sheet: string; records: CsvRecord[] } | { ok: false; message: string }

/** A number as text at full precision; a percentage cell (shown as 20%) as the percentage, '20%'. */
function numberText(value: number, format: string | undefined): string {
  if (format?.includes('%')) return `${Number((value * 100).toPrecision(15))}%`
  return String(value)
}

/** A cell's value as the text a CSV cell would hold; a problem is a string starting with '!'. */
function cellText(cell: ExcelJS.Cell): { text: string } | { problem: string } {
  const value = cell.value
  if (value === null || value === undefined) return { text: '' }
  if (typeof value === 'number') return { text: numberText(value, cell.numFmt) }
  if (typeof value === 'string') return { text: value }
  if (typeof value === 'boolean') return { text: value ? 'yes' : 'no' }
  if (value instanceof Date) return { text: value.toISOString().slice(0, 10) }
  if ('richText' in value) return { text: value.richText.map((r) => r.text).join('') }
  if ('hyperlink' in value) return { text: String(value.text ?? value.hyperlink) }
  if ('error' in value) return { problem: `Cell ${cell.address} shows the error ${value.error}` }
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: unknown }).result
    if (result === undefined || result === null)
      return { problem: `Cell ${cell.address} has a formula with no saved value: open the workbook in a spreadsheet and save it` }
    if (typeof result === 'object' && 'error' in result) return { problem: `Cell ${cell.address} shows the error ${(result as { error: string }).error}` }
    if (typeof result === 'number') return { text: numberText(result, cell.numFmt) }
    if (result instanceof Date) return { text: result.toISOString().slice(0, 10) }
    return { text: String(result) }
  }
  return { text: String(cell.text ?? '') }
}

/**
 * Reads a sheet of a workbook (the one named `preferred` if there is one, else the first) as rows of
 * cell text, each numbered by its row in Excel. A cell that cannot be read (an error, a formula never
 * calculated) is a problem on its row. Not a workbook, or one too large unpacked: a message.
 */
export async function readWorkbookRows(bytes: Uint8Array, preferred: string): Promise<WorkbookRows & { cellProblems?: Map<number, string[]> }> {
  const notWorkbook = { ok: false as const, message: 'The file is not an Excel workbook (.xlsx): save it from Excel as “Excel Workbook”, or as CSV UTF-8' }
  if (bytes.length > MAX_XLSX_BYTES) return { ok: false, message: `The file is larger than ${MAX_XLSX_BYTES / 1024 / 1024} MB` }
  if (!looksLikeZip(bytes)) return notWorkbook
  const unpacked = unpackedSize(bytes)
  if (unpacked === null) return notWorkbook
  if (unpacked > MAX_XLSX_UNPACKED_BYTES) {
    return {
      ok: false,
      message: `The workbook unpacks to more than ${MAX_XLSX_UNPACKED_BYTES / 1024 / 1024} MB, far more than any cost model: nothing was read`,
    }
  }
  const workbook = new (await loadExcel()).Workbook()
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer)
  } catch {
    return notWorkbook
  }
  const sheet = workbook.worksheets.find((w) => w.name.trim().toLowerCase() === preferred.toLowerCase()) ?? workbook.worksheets[0]
  if (sheet === undefined) return { ok: false, message: 'The workbook has no sheets' }
  const records: CsvRecord[] = []
  const cellProblems = new Map<number, string[]>()
  sheet.eachRow({ includeEmpty: false }, (row, number) => {
    const fields: string[] = []
    for (let column = 1; column <= row.cellCount; column++) {
      const read = cellText(row.getCell(column))
      if ('problem' in read) {
        cellProblems.set(number, [...(cellProblems.get(number) ?? []), read.problem])
        fields.push('')
      } else fields.push(read.text)
    }
    records.push({ line: number, fields })
  })
  return { ok: true, sheet: sheet.name, records, cellProblems }
}

/** A sheet name Excel accepts (31 characters, none of []:*?/\), unique in the workbook. */
export function sheetName(wanted: string, taken: Set<string>): string {
  const base =
    wanted
      .replace(/[[\]:*?/\\]/g, ' ')
      .replace(/^'+|'+$/g, '')
      .trim()
      .slice(0, 31) || 'Sheet'
  let name = base
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base.slice(0, 31 - String(n).length - 1)} ${n}`
  taken.add(name.toLowerCase())
  return name
}

/** A reference to a range on another sheet, quoted as Excel writes it: 'Option A'!C2:C12. */
export function sheetRef(sheet: string, range: string): string {
  return `'${sheet.replace(/'/g, "''")}'!${range}`
}

/** The number format for whole units of a currency, its symbol as Intl writes it: "£"#,##0. */
export function currencyFormat(currency: string): string {
  const symbol = new Intl.NumberFormat('en-GB', { style: 'currency', currency }).formatToParts(0).find((p) => p.type === 'currency')?.value ?? currency
  const quoted = `"${symbol.replace(/"/g, '')}"`
  return `${quoted}#,##0;-${quoted}#,##0`
}

export type CellValue = string | number | boolean | null | { formula: string }

/** Adds a row: text neutralised (an apostrophe before =, +, - or @), numbers as numbers, formulas as formulas. */
export function addRow(sheet: ExcelJS.Worksheet, values: readonly CellValue[]): ExcelJS.Row {
  return sheet.addRow(values.map((v) => (typeof v === 'string' ? neutralise(v) : typeof v === 'number' && !Number.isFinite(v) ? null : v)))
}

export async function newWorkbook(): Promise<ExcelJS.Workbook> {
  const workbook = new (await loadExcel()).Workbook()
  workbook.creator = 'Options appraisal'
  workbook.created = new Date()
  return workbook
}

export async function workbookBytes(workbook: ExcelJS.Workbook): Promise<Uint8Array> {
  return new Uint8Array(await workbook.xlsx.writeBuffer())
}
