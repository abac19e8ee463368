// A small evaluator for the formula shapes the app's workbooks hold (src/routes/cost-workbooks.ts):
// numbers, cell references (on this sheet or 'Another sheet'!A1), + − × ÷, brackets, SUM(range) and
// SUMPRODUCT(range,range). exceljs writes formulas but calculates none, so the tests calculate them
// here, from the cells the engine's figures are in, and compare with the app's own figures. A shape
// it does not know fails loudly rather than evaluating to something.
import type ExcelJS from 'exceljs'

type Token =
  | { kind: 'number'; value: number }
  | { kind: 'ref'; sheet: string | null; from: string; to: string | null }
  | { kind: 'name'; value: string }
  | { kind: 'op'; value: string }

function tokenise(formula: string): Token[] {
  const tokens: Token[] = []
  const pattern =
    /\s*(?:(\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|(?:'((?:[^']|'')+)'!|([A-Za-z0-9_]+)!)?(\$?[A-Z]{1,3}\$?\d+)(?::(\$?[A-Z]{1,3}\$?\d+))?|([A-Z]+)(?=\()|([-+*/(),]))/y
  let at = 0
  while (at < formula.length) {
    pattern.lastIndex = at
    const m = pattern.exec(formula)
    if (m === null) throw new Error(`the test evaluator cannot read “${formula.slice(at)}” in ${formula}`)
    at = pattern.lastIndex
    if (m[1] !== undefined) tokens.push({ kind: 'number', value: Number(m[1]) })
    else if (m[4] !== undefined)
      tokens.push({ kind: 'ref', sheet: m[2]?.replace(/''/g, "'") ?? m[3] ?? null, from: m[4].replace(/\$/g, ''), to: m[5]?.replace(/\$/g, '') ?? null })
    else if (m[6] !== undefined) tokens.push({ kind: 'name', value: m[6] })
    else if (m[7] !== undefined) tokens.push({ kind: 'op', value: m[7] })
  }
  return tokens
}

function split(address: string): { column: number; row: number } {
  const m = /^([A-Z]+)(\d+)$/.exec(address)!
  const column = [...m[1]!].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0)
  return { column, row: Number(m[2]) }
}

/** Evaluates every formula it is asked for, reading the cells it refers to (formulas in turn) from the workbook. */
export class FormulaEvaluator {
  private readonly memo = new Map<string, number>()
  constructor(private readonly workbook: ExcelJS.Workbook) {}

  /** A cell's number: its value, or its formula's. Blank is 0, as in a spreadsheet. */
  cell(sheetName: string, address: string): number {
    const key = `${sheetName}!${address}`
    const known = this.memo.get(key)
    if (known !== undefined) return known
    const sheet = this.workbook.getWorksheet(sheetName)
    if (sheet === undefined) throw new Error(`no sheet ${sheetName}`)
    const value = sheet.getCell(address).value
    let result: number
    if (value === null || value === undefined) result = 0
    else if (typeof value === 'number') result = value
    else if (typeof value === 'object' && 'formula' in value) result = this.formula(sheetName, String(value.formula))
    else throw new Error(`${key} holds ${JSON.stringify(value)}, not a number`)
    this.memo.set(key, result)
    return result
  }

  formula(sheetName: string, formula: string): number {
    const tokens = tokenise(formula)
    let i = 0
    const peek = () => tokens[i]
    const expectOp = (value: string) => {
      const t = tokens[i++]
      if (t?.kind !== 'op' || t.value !== value) throw new Error(`expected ${value} in ${formula}`)
    }
    const range = (t: Token & { kind: 'ref' }): number[] => {
      const sheet = t.sheet ?? sheetName
      const a = split(t.from)
      const b = split(t.to ?? t.from)
      const values: number[] = []
      for (let row = a.row; row <= b.row; row++)
        for (let column = a.column; column <= b.column; column++) values.push(this.cell(sheet, this.workbook.getWorksheet(sheet)!.getCell(row, column).address))
      return values
    }
    const rangeArgument = (): number[] => {
      const t = tokens[i++]
      if (t?.kind !== 'ref') throw new Error(`expected a range in ${formula}`)
      return range(t)
    }
    const primary = (): number => {
      const t = tokens[i++]
      if (t === undefined) throw new Error(`${formula} ends early`)
      if (t.kind === 'number') return t.value
      if (t.kind === 'ref') {
        if (t.to !== null) throw new Error(`a range where a number belongs in ${formula}`)
        return this.cell(t.sheet ?? sheetName, t.from)
      }
      if (t.kind === 'op' && t.value === '(') {
        const v = sum()
        expectOp(')')
        return v
      }
      if (t.kind === 'op' && t.value === '-') return -primary()
      if (t.kind === 'name' && t.value === 'SUM') {
        expectOp('(')
        const values = rangeArgument()
        expectOp(')')
        return values.reduce((s, v) => s + v, 0)
      }
      if (t.kind === 'name' && t.value === 'SUMPRODUCT') {
        expectOp('(')
        const a = rangeArgument()
        expectOp(',')
        const b = rangeArgument()
        expectOp(')')
        if (a.length !== b.length) throw new Error(`SUMPRODUCT of ranges of different sizes in ${formula}`)
        return a.reduce((s, v, k) => s + v * b[k]!, 0)
      }
      throw new Error(`the test evaluator does not know ${JSON.stringify(t)} in ${formula}`)
    }
    const product = (): number => {
      let v = primary()
      for (let t = peek(); t?.kind === 'op' && (t.value === '*' || t.value === '/'); t = peek()) {
        i++
        v = t.value === '*' ? v * primary() : v / primary()
      }
      return v
    }
    const sum = (): number => {
      let v = product()
      for (let t = peek(); t?.kind === 'op' && (t.value === '+' || t.value === '-'); t = peek()) {
        i++
        v = t.value === '+' ? v + product() : v - product()
      }
      return v
    }
    const value = sum()
    if (i !== tokens.length) throw new Error(`the test evaluator left “${JSON.stringify(tokens.slice(i))}” of ${formula}`)
    return value
  }
}
