// Comma-separated values as RFC 4180 defines them, read as spreadsheets write them: a byte-order
// mark, CRLF, LF or CR line ends, quoted fields holding commas, quotes ("") and line breaks.

export interface CsvRecord {
  /** The line of the file the record starts on, counting from 1 (a quoted field may span lines). */
  line: number
  fields: string[]
}

export type CsvReadResult = { ok: true; records: CsvRecord[] } | { ok: false; line: number; message: string }

/** Splits CSV text into records. Fails only on a quote left open or stray text after a closing quote. */
export function readCsv(text: string): CsvReadResult {
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text
  const records: CsvRecord[] = []
  let fields: string[] = []
  let field = ''
  /** The field so far was quoted: it counts even when empty, and nothing may follow its closing quote. */
  let quoted = false
  let line = 1
  let recordLine = 1
  let i = 0
  const endField = () => {
    fields.push(field)
    field = ''
    quoted = false
  }
  const endRecord = () => {
    endField()
    records.push({ line: recordLine, fields })
    fields = []
  }
  while (i < input.length) {
    const char = input[i]
    if (char === ',') {
      endField()
      i++
    } else if (char === '\r' || char === '\n') {
      endRecord()
      i += char === '\r' && input[i + 1] === '\n' ? 2 : 1
      line++
      recordLine = line
    } else if (quoted) {
      return { ok: false, line, message: 'there is text after a closing quote; a quote inside a quoted field is written ""' }
    } else if (char === '"' && field === '') {
      // A quoted field runs to the next quote that is not doubled.
      const openedOn = line
      quoted = true
      i++
      for (;;) {
        const inner = input[i]
        if (inner === undefined) return { ok: false, line: openedOn, message: 'a quoted field is never closed (a " is missing)' }
        i++
        if (inner === '"') {
          if (input[i] !== '"') break
          i++
        } else if (inner === '\n' || (inner === '\r' && input[i] !== '\n')) {
          line++
        }
        field += inner
      }
    } else {
      field += char
      i++
    }
  }
  if (field !== '' || quoted || fields.length > 0) endRecord()
  return { ok: true, records }
}

/**
 * Text a spreadsheet could run as a formula: its first character that is not blank (spreadsheets
 * skip spaces and line breaks before a formula) is = + - @ or their fullwidth forms, or it starts
 * with a tab or a carriage return. Leading apostrophes are looked past, so that text which already
 * starts with one is guarded too and reading the export back gives the same text.
 */
function couldRunAsFormula(text: string): boolean {
  const unquoted = text.replace(/^'+/, '')
  return /^[\t\r]/.test(unquoted) || /^\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/.test(unquoted)
}

/**
 * Such text is written after an apostrophe, which makes it plain text in a spreadsheet: in CSV, and in
 * the text cells of the app's workbooks (src/xlsx.ts), since a person editing one may save it as CSV.
 */
export function neutralise(text: string): string {
  return couldRunAsFormula(text) ? `'${text}` : text
}

/** Takes off the apostrophe `writeCsv` put before a cell, when reading the app's own export back. */
export function unguardCell(text: string): string {
  return text.startsWith("'") && couldRunAsFormula(text.slice(1)) ? text.slice(1) : text
}

function cell(value: string | number | null): string {
  if (value === null) return ''
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : neutralise(value)
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/**
 * Writes rows as CSV with CRLF line ends and a byte-order mark, so that spreadsheet programs read
 * the currency symbols and accents as UTF-8. Numbers are written at full precision.
 */
export function writeCsv(rows: readonly (readonly (string | number | null)[])[]): string {
  return `\uFEFF${rows.map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`
}
