// A CSV export must not carry a formula a spreadsheet would run (CSV injection), however the cell
// starts: a space or a line break before `=`, a fullwidth `＝`, a tab. And the app must read its own
// export back to the same lines, so the guard it adds is taken off again on import.

import { readFileSync } from 'node:fs'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { parseEvaluationText, type EvaluationFile } from '../../src/appraisal/index.js'
import { readCsv, unguardCell, writeCsv } from '../../src/csv.js'
import { readEvaluationFile } from '../../src/db/evaluation-file.js'
import { XLSX_TYPE } from '../../src/xlsx.js'
import { createTestApp, postForm, type TestApp } from '../helpers.js'

const parsed = parseEvaluationText(readFileSync(new URL('../fixtures/small-evaluation.json', import.meta.url), 'utf8'))
if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
const fixture: EvaluationFile = parsed.file

/** Text that starts a formula in Excel, LibreOffice or Google Sheets once a spreadsheet trims or folds it. */
const dangerous = [
  '=1+1',
  ' =1+1',
  '\n=1+1',
  '\r\n=1+1',
  '\u00a0=1+1',
  '\u3000=1+1',
  '＝1+1',
  '  ＝1+1',
  '+44',
  '＋44',
  '-2+3',
  '－2+3',
  '@SUM(A1)',
  '＠SUM(A1)',
  '\tfoo',
  '\rfoo',
  "'=1+1",
  "''＝1+1",
]

function cellsOf(csv: string): string[] {
  const read = readCsv(csv)
  if (!read.ok) throw new Error(read.message)
  return read.records.flatMap((r) => r.fields)
}

/** What a spreadsheet looks at: the cell without the blanks it ignores before a formula. */
function startsAFormula(cell: string): boolean {
  return /^[\t\r]/.test(cell) || /^\s*[=+\-@＝＋－＠]/.test(cell)
}

describe('the CSV formula guard', () => {
  it('neutralises every text cell whose first non-blank character could start a formula', () => {
    for (const text of dangerous) {
      const [written] = cellsOf(writeCsv([[text]]))
      expect(startsAFormula(written!), JSON.stringify(text)).toBe(false)
      expect(written!.startsWith("'"), JSON.stringify(text)).toBe(true)
    }
  })

  it('leaves numbers as numbers and harmless text as it is', () => {
    expect(writeCsv([[-1.5, 0, 2e-7, 'Licences', 'a=b', 'It’s 5 - 3']])).toBe('\uFEFF-1.5,0,2e-7,Licences,a=b,It’s 5 - 3\r\n')
  })

  it('is undone on reading, giving back exactly the text that was written, whatever it was', () => {
    const texts = [...dangerous, 'plain', "'plain", "'", '', "It's", '=']
    for (const text of texts) {
      const [written] = cellsOf(writeCsv([[text]]))
      expect(unguardCell(written!), JSON.stringify(text)).toBe(text)
    }
  })
})

describe('the cost lines export', () => {
  it('carries no formula, even from lines whose text starts with blanks before a formula', async () => {
    const t = await createTestApp()
    const file: EvaluationFile = {
      ...fixture,
      costs: [
        ...fixture.costs,
        {
          option: 'product-a',
          label: ' =HYPERLINK("http://evil.example","Click")',
          category: '\n=1+1',
          amount: 1,
          from: 0,
          to: 0,
          growth: 0,
          capital: false,
          cash: true,
          price: true,
          notes: '＝cmd|/C calc!A0',
        },
      ],
    }
    const id = await t.importFile(file)
    // Finance models the costs: while the panel moderates, the cost model is sealed from the lead (decision 17).
    const finance = await t.clientWithRoles(id, ['finance'])
    const exported = await (await finance.request(`/evaluations/${id}/costs/lines.csv`)).text()
    const cells = cellsOf(exported.replace(/^\uFEFF/, ''))
    expect(cells.filter(startsAFormula)).toEqual([])
    expect(cells).toContain(`' =HYPERLINK("http://evil.example","Click")`)
    expect(cells).toContain("'\n=1+1")
    expect(cells).toContain("'＝cmd|/C calc!A0")
  })

  /** Lines whose text would run as formulas, added through the form; the record as it then stands. */
  async function dangerousLines() {
    const t = await createTestApp()
    const id = await t.importFile(fixture)
    // Finance models the costs: while the panel moderates, the cost model is sealed from the lead (decision 17).
    const finance = await t.clientWithRoles(id, ['finance'])
    const base = `/evaluations/${id}/costs`
    const option = (await t.db.selectFrom('option').select('id').where('evaluation_id', '=', id).where('key', '=', 'product-a').executeTakeFirstOrThrow()).id
    for (const line of lines) {
      const added = await postForm(finance, `${base}/${option}/lines`, { kind: 'cost', ...line, amount: '1000', from: '2025' })
      expect(added.status).toBe(303)
    }
    return { t, id, finance, base, before: (await readEvaluationFile(t.db, id))! }
  }
  const lines = [
    { label: '=HYPERLINK("http://evil.example","Click")', category: '-cmd', notes: '+44 20 7946 0000' },
    { label: '＝1+1', category: '＠home', notes: "'=already quoted" },
    { label: "'plain", category: '', notes: 'line one\n=line two' },
  ]

  async function expectSameLines(t: TestApp, id: number, before: EvaluationFile) {
    const after = (await readEvaluationFile(t.db, id))!
    expect(after.costs).toEqual(before.costs)
    expect(after.benefits).toEqual(before.benefits)
    expect(after.sunkCosts).toEqual(before.sunkCosts)
    expect(after.costs.map((l) => l.label)).toEqual(expect.arrayContaining(lines.map((l) => l.label)))
  }

  it('reads back to the same lines when imported again', async () => {
    const { t, id, finance, base, before } = await dangerousLines()
    const exported = await (await finance.request(`${base}/lines.csv`)).text()
    expect(cellsOf(exported.replace(/^\uFEFF/, '')).filter(startsAFormula)).toEqual([])

    const form = new FormData()
    form.append('file', new File([exported], 'lines.csv', { type: 'text/csv' }))
    form.append('replace', 'on')
    const preview = await finance.request(`${base}/import`, { method: 'POST', body: form })
    expect(preview.status).toBe(200)
    const confirmed = await postForm(finance, `${base}/import/confirm`, { csv: exported, replace: 'on' })
    expect(confirmed.status).toBe(303)
    await expectSameLines(t, id, before)
  })

  it('is the same in the cost workbook, which reads back to the same lines too', async () => {
    const { t, id, finance, base, before } = await dangerousLines()
    const bytes = await (await finance.request(`${base}/workbook.xlsx`)).arrayBuffer()
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(bytes)
    const texts: string[] = []
    workbook.eachSheet((sheet) =>
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          if (typeof cell.value === 'string') texts.push(cell.value)
        }),
      ),
    )
    expect(texts).toContain("'＝1+1")
    expect(texts.filter(startsAFormula)).toEqual([])

    const form = new FormData()
    form.append('file', new File([new Uint8Array(bytes)], 'cost-model.xlsx', { type: XLSX_TYPE }))
    const preview = await finance.request(`${base}/import`, { method: 'POST', body: form })
    expect(preview.status).toBe(200)
    const carried = /<input type="hidden" name="workbook" value="([^"]*)"/.exec(await preview.text())![1]!
    expect((await postForm(finance, `${base}/import/confirm`, { workbook: carried, replace: 'on' })).status).toBe(303)
    await expectSameLines(t, id, before)
  })
})
