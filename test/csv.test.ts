import { describe, expect, it } from 'vitest'
import { readCsv, writeCsv } from '../src/csv.js'
import { toRealPrices } from '../src/real-prices.js'

function records(text: string) {
  const result = readCsv(text)
  if (!result.ok) throw new Error(`line ${result.line}: ${result.message}`)
  return result.records
}

describe('reading CSV', () => {
  it('splits plain rows on commas and line ends', () => {
    expect(records('a,b,c\n1,2,3\n')).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', '2', '3'] },
    ])
  })

  it('drops a byte-order mark and reads Windows and old Mac line ends', () => {
    expect(records('\uFEFFa,b\r\n1,2\r\n3,4\r5,6')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
      { line: 3, fields: ['3', '4'] },
      { line: 4, fields: ['5', '6'] },
    ])
  })

  it('reads quoted fields holding commas, doubled quotes and line breaks, and counts lines from where each record starts', () => {
    const text = 'label,amount\r\n"Data cleansing, phase 2","£1,200,000"\r\n"Quote ""A""\r\nsecond line",5\r\nlast,6'
    expect(records(text)).toEqual([
      { line: 1, fields: ['label', 'amount'] },
      { line: 2, fields: ['Data cleansing, phase 2', '£1,200,000'] },
      { line: 3, fields: ['Quote "A"\r\nsecond line', '5'] },
      { line: 5, fields: ['last', '6'] },
    ])
  })

  it('keeps empty fields, quoted or not, including a trailing one', () => {
    expect(records('a,"",,\n')).toEqual([{ line: 1, fields: ['a', '', '', ''] }])
    expect(records('""')).toEqual([{ line: 1, fields: [''] }])
  })

  it('refuses a quote that is never closed, naming the line it opened on', () => {
    expect(readCsv('a,b\n1,"open\n2,3\n')).toEqual({ ok: false, line: 2, message: 'a quoted field is never closed (a " is missing)' })
  })

  it('refuses text after a closing quote', () => {
    const result = readCsv('a\n"x"y\n')
    expect(result.ok).toBe(false)
    expect(!result.ok && result.line).toBe(2)
  })
})

describe('writing CSV', () => {
  it('quotes what needs it, writes numbers at full precision, ends lines with CRLF and starts with a byte-order mark', () => {
    expect(
      writeCsv([
        ['label', 'amount'],
        ['Data, phase 2', 1234567.891011],
        ['Say "hi"', null],
      ]),
    ).toBe('\uFEFFlabel,amount\r\n"Data, phase 2",1234567.891011\r\n"Say ""hi""",\r\n')
  })

  it('writes text a spreadsheet would run as a formula as plain text', () => {
    expect(writeCsv([['=SUM(A1)', '+44', '-x', '@me', 'fine']])).toBe("\uFEFF'=SUM(A1),'+44,'-x,'@me,fine\r\n")
  })

  it('reads back what it writes', () => {
    const rows = [['a, b', 'line\r\nbreak', '"quoted"', '']]
    expect(records(writeCsv(rows)).map((r) => r.fields)).toEqual(rows)
  })
})

describe('converting a nominal figure to real prices', () => {
  it('divides by (1 + inflation) to the power of the years after the base year', () => {
    const { real, divisor } = toRealPrices(1_061_208, 0.02, 3)
    expect(divisor).toBeCloseTo(1.061208, 12)
    expect(real).toBeCloseTo(1_000_000, 6)
  })

  it('leaves a figure in base-year prices as it is, and raises one from earlier years', () => {
    expect(toRealPrices(500, 0.03, 0)).toEqual({ real: 500, divisor: 1 })
    expect(toRealPrices(1000, 0.02, -2).real).toBeCloseTo(1040.4, 9)
  })
})
