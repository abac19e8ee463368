// Excel in and out: the cost model's workbook, whose formulas (recomputed here) give the engine's
// totals; the results workbook; and cost lines imported from a workbook as a spreadsheet saves one,
// with the CSV import's preview and per-row problems numbered as Excel numbers its rows.
import { completeConsensus } from '../appraisal/factories.js'
import { readFileSync } from 'node:fs'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { computeResults, parseEvaluationText, type EvaluationFile } from '../../src/appraisal/index.js'
import { readEvaluationFile } from '../../src/db/evaluation-file.js'
import { XLSX_TYPE } from '../../src/xlsx.js'
import { createTestApp, pageText, postForm, type TestApp, type TestClient } from '../helpers.js'
import { FormulaEvaluator } from './formulas.js'

const parsed = parseEvaluationText(readFileSync(new URL('../fixtures/small-evaluation.json', import.meta.url), 'utf8'))
if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
const fixture: EvaluationFile = parsed.file

interface XlsxApp extends TestApp {
  id: number
  base: string
  /** The lead, who may not see the cost model while moderating. */
  lead: TestClient
}

async function xlsxApp(file: EvaluationFile = fixture): Promise<XlsxApp> {
  const t = await createTestApp()
  const id = await t.importFile(file)
  // Finance models the costs: while the panel moderates, the cost model is sealed from the lead (decision 17).
  return { ...t, app: await t.clientWithRoles(id, ['finance']), lead: t.app, id, base: `/evaluations/${id}/costs` }
}

async function download(app: TestClient, path: string): Promise<ExcelJS.Workbook> {
  const response = await app.request(path)
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toBe(XLSX_TYPE)
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(await response.arrayBuffer())
  return workbook
}

async function upload(app: TestClient, base: string, content: Uint8Array | string, name = 'costs.xlsx') {
  const form = new FormData()
  form.append('file', new File([content], name, { type: XLSX_TYPE }))
  const response = await app.request(`${base}/import`, { method: 'POST', body: form })
  return { status: response.status, html: await response.text() }
}

function carriedWorkbook(html: string): string {
  const match = /<input type="hidden" name="workbook" value="([^"]*)"/.exec(html)
  if (match === null) throw new Error('the preview carries no workbook')
  return match[1]!
}

async function moneyLines(t: XlsxApp) {
  return t.db.selectFrom('money_line').selectAll().where('evaluation_id', '=', t.id).orderBy('position').execute()
}

const close = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)))

/**
 * A workbook as Excel saves one: headings in words, amounts as numbers with a currency format, an
 * optimism bias typed as 25% (stored as 0.25 with a percent format), an amount worked out by a formula
 * with its saved value, a blank row, and text in shared strings.
 */
async function spreadsheetSaved(rows: (ExcelJS.CellValue | undefined)[][]): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('Costs for import')
  sheet.addRow(['Option', 'Type', 'Description', 'Category', 'Capital or operating', 'Amount', 'From', 'To', 'Growth', 'Optimism bias', 'Low', 'High', 'Notes'])
  for (const row of rows) sheet.addRow(row)
  sheet.getColumn(6).numFmt = '"£"#,##0'
  sheet.getColumn(10).numFmt = '0%'
  return new Uint8Array(await workbook.xlsx.writeBuffer())
}

describe('the cost model as a workbook', () => {
  it('has a sheet for each option and a summary whose formulas give the engine’s totals, in the evaluation’s currency', async () => {
    const t = await xlsxApp()
    const workbook = await download(t.app, `${t.base}/workbook.xlsx`)
    const results = computeResults((await readEvaluationFile(t.db, t.id))!)
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Summary', ...results.options.map((o) => o.name), 'Lines'])
    const evaluate = new FormulaEvaluator(workbook)
    const summary = workbook.getWorksheet('Summary')!
    results.options.forEach((option, i) => {
      const row = i + 2
      expect(summary.getCell(`A${row}`).value).toBe(option.name)
      expect(summary.getCell(`C${row}`).value).toMatchObject({ formula: expect.stringMatching(/^SUMPRODUCT\(/) })
      close(evaluate.cell('Summary', `B${row}`), option.undiscountedCost)
      close(evaluate.cell('Summary', `C${row}`), option.pvCost)
      close(evaluate.cell('Summary', `D${row}`), option.pvBenefit)
      close(evaluate.cell('Summary', `E${row}`), option.npsv)
      // The option's own sheet: the engine's years, with PV and the totals as formulas.
      const sheet = workbook.getWorksheet(option.name)!
      const total = option.years.length + 2
      expect(sheet.getCell(`A${total}`).value).toBe('Total')
      close(evaluate.cell(option.name, `E${total}`), option.pvCost)
      close(evaluate.cell(option.name, `G${total}`), option.pvBenefit)
      option.years.forEach((y, k) => {
        expect(sheet.getCell(`C${k + 2}`).value).toBe(y.cost)
        expect(sheet.getCell(`D${k + 2}`).value).toBe(y.discountFactor)
      })
    })
    expect(summary.getCell('C2').numFmt).toContain('"£"#,##0')
    // The baseline's net present social value is nought by its own formula.
    expect(evaluate.cell('Summary', 'E2')).toBe(0)
  })

  it('formats money in the evaluation’s own currency', async () => {
    const t = await xlsxApp({ ...fixture, currency: 'EUR' })
    const workbook = await download(t.app, `${t.base}/workbook.xlsx`)
    expect(workbook.getWorksheet('Summary')!.getCell('C2').numFmt).toContain('"€"#,##0')
  })

  it('keeps every line on its Lines sheet, which imports again as it stands', async () => {
    const t = await xlsxApp()
    const response = await t.app.request(`${t.base}/workbook.xlsx`)
    const bytes = new Uint8Array(await response.arrayBuffer())
    const before = await moneyLines(t)
    const preview = await upload(t.app, t.base, bytes, 'cost-model.xlsx')
    expect(preview.status).toBe(200)
    const sunk = await t.db.selectFrom('sunk_cost').select('id').where('evaluation_id', '=', t.id).execute()
    expect(pageText(preview.html)).toContain(`Check the ${before.length + sunk.length} lines before importing`)
    const confirmed = await postForm(t.app, `${t.base}/import/confirm`, { workbook: carriedWorkbook(preview.html), replace: 'on' })
    expect(confirmed.status).toBe(303)
    const after = await moneyLines(t)
    const shape = (rows: typeof before) => rows.map(({ id, position, ...rest }) => rest)
    expect(shape(after)).toEqual(shape(before))
  })
})

describe('the results as a workbook', () => {
  it('has a row an option with the engine’s figures as numbers, and text that could run as a formula neutralised', async () => {
    const named = { ...fixture, options: fixture.options.map((o, i) => (i === 1 ? { ...o, name: '=HYPERLINK("http://evil.example","Product A")' } : o)) }
    // Moderated: while moderation is open the lead is refused the workbook (decision 17).
    const t = await xlsxApp(completeConsensus(named))
    const workbook = await download(t.app, `/evaluations/${t.id}/results/workbook.xlsx`)
    const results = computeResults((await readEvaluationFile(t.db, t.id))!)
    const sheet = workbook.getWorksheet('Results')!
    const header = (sheet.getRow(1).values as unknown[]).slice(1)
    const column = (name: string) => header.indexOf(name) + 1
    results.options.forEach((o, i) => {
      const row = sheet.getRow(i + 2)
      expect(row.getCell(column('PV cost')).value).toBe(o.pvCost)
      expect(row.getCell(column('Net present social value')).value).toBe(o.npsv)
      expect(row.getCell(column('Quality (0–100)')).value).toBe(o.quality)
    })
    expect(sheet.getRow(3).getCell(column('Option')).value).toBe('\'=HYPERLINK("http://evil.example","Product A")')
    expect(sheet.getRow(3).getCell(column('Option')).type).toBe(ExcelJS.ValueType.String)
  })
})

describe('importing lines from a workbook', () => {
  it('reads a workbook as a spreadsheet saves it: shows every line by its Excel row, then saves them when confirmed', async () => {
    const t = await xlsxApp()
    const before = await moneyLines(t)
    const bytes = await spreadsheetSaved([
      [
        'Product B',
        'cost',
        'Data cleansing',
        'migration',
        'capital',
        { formula: 'C1*0+1000000*1.2', result: 1_200_000 },
        2026,
        2027,
        2,
        0.25,
        0.9,
        1.5,
        'Supplier quote',
      ],
      [],
      ['product-b', 'benefit', { richText: [{ text: 'Time ' }, { text: 'released', font: { bold: true } }] }, 'time-released', null, 250000, 2026],
    ])
    const preview = await upload(t.app, t.base, bytes)
    expect(preview.status).toBe(200)
    const text = pageText(preview.html)
    expect(text).toContain('Check the 2 lines before importing')
    expect(text).toContain('2 Product B Capital cost Data cleansing £1,200,000 2026–2027 2.0% 25% 0.9–1.5')
    expect(text).toContain('4 Product B Benefit Time released £250,000 2026')
    expect(await moneyLines(t)).toEqual(before)

    const confirmed = await postForm(t.app, `${t.base}/import/confirm`, { workbook: carriedWorkbook(preview.html), fileName: 'costs.xlsx' })
    expect(confirmed.status).toBe(303)
    const added = (await moneyLines(t)).slice(before.length)
    expect(added).toMatchObject([
      {
        kind: 'cost',
        label: 'Data cleansing',
        capital: 1,
        amount: 1_200_000,
        from_year: 1,
        to_year: 2,
        growth: 0.02,
        optimism_bias: 0.25,
        notes: 'Supplier quote',
      },
      { kind: 'benefit', label: 'Time released', amount: 250_000, from_year: 1, to_year: 1 },
    ])
  })

  it('imports nothing from a workbook with a bad row, and lists each problem by its Excel row', async () => {
    const t = await xlsxApp()
    const before = await moneyLines(t)
    const bytes = await spreadsheetSaved([
      ['Product B', 'cost', 'Good line', 'migration', 'capital', 1000, 2026],
      ['Product B', 'cost', 'Bad amount', 'migration', 'capital', 'a lot', 2026],
      ['Nobody', 'cost', 'Unknown option', 'migration', 'capital', 1000, 2026],
      ['Product B', 'cost', 'Never calculated', 'migration', 'capital', { formula: 'F2*2' }, 2026],
    ])
    const preview = await upload(t.app, t.base, bytes)
    expect(preview.status).toBe(422)
    const text = pageText(preview.html)
    expect(text).toContain('3 rows have problems')
    expect(text).toMatch(/Row 3 \(‘Bad amount’\): [^;]*amount/i)
    expect(text).toContain('Row 4 (‘Unknown option’): There is no option “Nobody”')
    expect(text).toContain('Row 5 (‘Never calculated’): Cell F5 has a formula with no saved value')
    expect(await moneyLines(t)).toEqual(before)
  })

  it('refuses a file that is not a workbook, and one that unpacks too large, importing nothing', async () => {
    const t = await xlsxApp()
    const before = await moneyLines(t)
    const notWorkbook = await upload(t.app, t.base, 'this is not a workbook', 'costs.xlsx')
    expect(notWorkbook.status).toBe(422)
    expect(pageText(notWorkbook.html)).toContain('The file is not an Excel workbook (.xlsx)')
    const broken = await spreadsheetSaved([['Product B', 'cost', 'Line', 'x', 'capital', 1, 2026]])
    const truncated = await upload(t.app, t.base, broken.slice(0, broken.length - 200), 'costs.xlsx')
    expect(pageText(truncated.html)).toContain('The file is not an Excel workbook (.xlsx)')

    // A zip whose directory says a part unpacks to 100 MB: refused before anything is unpacked.
    const bomb = broken.slice()
    const view = new DataView(bomb.buffer)
    for (let at = 0; at < bomb.length - 4; at++) {
      if (view.getUint32(at, true) === 0x02014b50) {
        view.setUint32(at + 24, 100 * 1024 * 1024, true)
        break
      }
    }
    const large = await upload(t.app, t.base, bomb, 'costs.xlsx')
    expect(large.status).toBe(422)
    expect(pageText(large.html)).toContain('The workbook unpacks to more than 64 MB')
    expect(await moneyLines(t)).toEqual(before)
  })
})
