import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { computeResults, parseEvaluationText, type EvaluationFile } from '../../src/appraisal/index.js'
import { readEvaluationFile } from '../../src/db/evaluation-file.js'
import { csvColumns } from '../../src/routes/cost-lines-csv.js'
import { createTestApp, pageText, postForm, type TestApp, type TestClient } from '../helpers.js'

const parsed = parseEvaluationText(readFileSync(new URL('../fixtures/small-evaluation.json', import.meta.url), 'utf8'))
if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
const fixture: EvaluationFile = parsed.file

interface CsvApp extends TestApp {
  id: number
  base: string
  /** The lead, who may not see the cost model while moderating. */
  lead: TestClient
}

async function csvApp(): Promise<CsvApp> {
  const t = await createTestApp()
  const id = await t.importFile(fixture)
  // Finance models the costs: while the panel moderates, the cost model is sealed from the lead (decision 17).
  return { ...t, app: await t.clientWithRoles(id, ['finance']), lead: t.app, id, base: `/evaluations/${id}/costs` }
}

/** Uploads a file to the import, as the browser's file field would. */
async function upload(app: TestClient, base: string, content: string | Uint8Array, options: { name?: string; replace?: boolean } = {}) {
  const form = new FormData()
  form.append('file', new File([content], options.name ?? 'costs.csv', { type: 'text/csv' }))
  if (options.replace === true) form.append('replace', 'on')
  const response = await app.request(`${base}/import`, { method: 'POST', body: form })
  return { status: response.status, html: await response.text() }
}

/** The hidden copy of the file the preview carries to the confirmation, unescaped. */
function carriedCsv(html: string): string {
  const match = /<input type="hidden" name="csv" value="([^"]*)"/.exec(html)
  if (match === null) throw new Error('the preview carries no CSV')
  return match[1]!
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}

async function moneyLines(t: CsvApp) {
  return t.db.selectFrom('money_line').selectAll().where('evaluation_id', '=', t.id).orderBy('position').execute()
}

async function sunkCosts(t: CsvApp) {
  return t.db.selectFrom('sunk_cost').selectAll().where('evaluation_id', '=', t.id).orderBy('position').execute()
}

const header = 'option,type,label,category,capital_or_operating,amount,first_year,last_year,growth_percent,optimism_bias_percent,range_low,range_high,notes'
/** The columns the export and the template write: the import's, with cash and price. */
const exportHeader =
  'option,type,label,category,capital_or_operating,cash,price,amount,first_year,last_year,growth_percent,optimism_bias_percent,range_low,range_high,notes'

describe('importing lines from CSV', () => {
  it('shows every line of a good file before saving anything, then saves them all when confirmed', async () => {
    const t = await csvApp()
    const before = await moneyLines(t)
    const csv = [
      header,
      'product-b,cost,Data cleansing,migration,capital,1200000,2026,2027,2,25,0.9,1.5,Supplier quote',
      'Product B,benefit,Time released,time-released,,250000,2026,,,,,,',
      'retain,sunk,Interim licences,licences,,1600000,,,,,,,Paid',
    ].join('\n')
    const preview = await upload(t.app, t.base, csv)
    expect(preview.status).toBe(200)
    const text = pageText(preview.html)
    expect(text).toContain('Check the 3 lines before importing')
    expect(text).toContain('2 Product B Capital cost Data cleansing £1,200,000 2026–2027 2.0% 25% 0.9–1.5')
    expect(text).toContain('3 Product B Benefit Time released £250,000 2026')
    expect(text).toContain('4 Retain the current system Sunk cost (excluded) Interim licences £1,600,000')
    expect(await moneyLines(t)).toEqual(before)

    const confirmed = await postForm(t.app, `${t.base}/import/confirm`, { csv: carriedCsv(preview.html) })
    expect(confirmed.status).toBe(303)
    expect(confirmed.headers.get('location')).toBe(`${t.base}?imported=3`)
    const added = (await moneyLines(t)).slice(before.length)
    expect(added).toHaveLength(2)
    expect(added[0]).toMatchObject({
      kind: 'cost',
      label: 'Data cleansing',
      capital: 1,
      amount: 1_200_000,
      from_year: 1,
      to_year: 2,
      growth: 0.02,
      optimism_bias: 0.25,
      range_low: 0.9,
      range_high: 1.5,
      notes: 'Supplier quote',
    })
    expect(added[1]).toMatchObject({ kind: 'benefit', label: 'Time released', capital: 0, amount: 250_000, from_year: 1, to_year: 1, optimism_bias: null })
    expect((await sunkCosts(t)).at(-1)).toMatchObject({ label: 'Interim licences', amount: 1_600_000, category: 'licences', notes: 'Paid' })
    expect(pageText(await (await t.app.request(`${t.base}?imported=3`)).text())).toContain('3 lines were imported')
  })

  it('imports nothing from a file with any bad row, and lists every bad row with its line number and reason', async () => {
    const t = await csvApp()
    const before = await moneyLines(t)
    const csv = [
      header,
      'product-z,cost,Unknown option,,,100,2025,2026,,,,,',
      'product-a,cost,Negative,,,-500,2025,,,,,,',
      'product-a,cost,Backwards,,,100,2027,2026,,,,,',
      'product-a,cost,Shrinking,,,100,2025,2026,-100,,,,',
      'product-a,cost,Low range,,,100,2025,2026,,,1.2,1.5,',
      'product-a,cost,High range,,,100,2025,2026,,,0.5,0.9,',
      'product-a,cost,Good line,,,"£1,000",2025,2026,,,,,',
      'product-a,benefit,Capital benefit,,capital,100,2025,,,10,,,',
      'product-a,rebate,Odd type,,,100,2025,,,,,,',
      'retain,sunk,Sunk with years,,,100,2025,,,,,,',
    ].join('\r\n')
    const { status, html } = await upload(t.app, t.base, csv, { name: 'budget.csv' })
    expect(status).toBe(422)
    const text = pageText(html)
    expect(text).toContain('budget.csv was not imported')
    expect(text).toContain('9 lines have problems. Nothing was saved')
    expect(text).toContain('Line 2 (‘Unknown option’): There is no option “product-z” in this evaluation')
    expect(text).toContain('Line 3 (‘Negative’): The amount per year must not be negative')
    expect(text).toContain('Line 4 (‘Backwards’): The last year must be 2027 or later: it cannot be before the first year')
    expect(text).toContain('Line 5 (‘Shrinking’): Real growth must be from −99% to +100% a year')
    expect(text).toContain('Line 6 (‘Low range’): The low end of the range must be from 0 to 1')
    expect(text).toContain('Line 7 (‘High range’): The high end of the range must be from 1 to 10')
    expect(text).not.toContain('Line 8')
    expect(text).toContain(
      'Line 9 (‘Capital benefit’): A benefit line cannot be capital: leave capital_or_operating blank; Benefit lines take no optimism bias',
    )
    expect(text).toContain('Line 10 (‘Odd type’): The type must be cost, benefit or sunk, not “rebate”')
    expect(text).toContain('Line 11 (‘Sunk with years’): A sunk cost is money already spent')
    expect(html).not.toContain('name="csv"')
    expect(await moneyLines(t)).toEqual(before)

    // The confirmation checks again: a bad file sent to it directly saves nothing either.
    const forced = await postForm(t.app, `${t.base}/import/confirm`, { csv })
    expect(forced.status).toBe(422)
    expect(await moneyLines(t)).toEqual(before)
  })

  it('reads a file with a byte-order mark and Windows line ends', async () => {
    const t = await csvApp()
    const csv = `\uFEFF${header}\r\nproduct-a,cost,Support,support,operating,100000,2025,2027,,,,,\r\nproduct-a,cost,Hardware,hosting,capital,50000,2026,,,,,,\r\n`
    const preview = await upload(t.app, t.base, new TextEncoder().encode(csv))
    expect(preview.status).toBe(200)
    expect(pageText(preview.html)).toContain('Check the 2 lines before importing')
    expect((await postForm(t.app, `${t.base}/import/confirm`, { csv: carriedCsv(preview.html) })).status).toBe(303)
    const added = (await moneyLines(t)).slice(-2)
    expect(added.map((l) => [l.label, l.category, l.amount, l.from_year, l.to_year, l.capital])).toEqual([
      ['Support', 'support', 100_000, 0, 2, 0],
      ['Hardware', 'hosting', 50_000, 1, 1, 1],
    ])
  })

  it('reads a file saved from a spreadsheet: headings in words, currency symbols, thousands separators, quotes and blank rows', async () => {
    const t = await csvApp()
    const csv = [
      'Option,Type,Label,Category,Capital or operating,Amount,First year,Last year,Growth %,Optimism bias %,Range low,Range high,Notes',
      'Product A,Cost,"Integrations (PND, PNC)",integration,Capital,"£1,200,000",2025-26,2026/27,,30%,0.9,1.4,"Quote ""B7"", revised"',
      'Product A,Cost,Licences,licences,Operating,"$ 1,234,567.89",2026,2027,2.5%,,,,',
      'Product A,Cost,Support,support,No,1 200 000,2025,2027,,,,,',
      'Product A,Benefit,Time released,time-released,,(0),2027,,,,,,',
      ',,,,,,,,,,,,',
      '',
    ].join('\r\n')
    const preview = await upload(t.app, t.base, csv)
    expect(preview.status).toBe(200)
    expect((await postForm(t.app, `${t.base}/import/confirm`, { csv: carriedCsv(preview.html) })).status).toBe(303)
    const added = (await moneyLines(t)).slice(-4)
    expect(
      added.map((l) => ({
        label: l.label,
        amount: l.amount,
        from: l.from_year,
        to: l.to_year,
        capital: l.capital,
        growth: l.growth,
        bias: l.optimism_bias,
        notes: l.notes,
      })),
    ).toEqual([
      { label: 'Integrations (PND, PNC)', amount: 1_200_000, from: 0, to: 1, capital: 1, growth: 0, bias: 0.3, notes: 'Quote "B7", revised' },
      { label: 'Licences', amount: 1_234_567.89, from: 1, to: 2, capital: 0, growth: 0.025, bias: null, notes: null },
      { label: 'Support', amount: 1_200_000, from: 0, to: 2, capital: 0, growth: 0, bias: null, notes: null },
      { label: 'Time released', amount: 0, from: 2, to: 2, capital: 0, growth: 0, bias: null, notes: null },
    ])
  })

  it('reads a file older Excel saved as Windows-1252, keeping its £ signs', async () => {
    const t = await csvApp()
    const text = `option,label,amount,first_year\r\nproduct-a,Caf\u00e9 licences,"\u00a31,500",2025\r\n`
    // Windows-1252 writes £ as 0xA3 and é as 0xE9: not valid UTF-8.
    const bytes = Uint8Array.from([...text].map((ch) => ch.charCodeAt(0)))
    const preview = await upload(t.app, t.base, bytes)
    expect(preview.status).toBe(200)
    expect(pageText(preview.html)).toContain('Café licences £1,500')
  })

  it('refuses a file whose header names an unknown column or lacks a required one', async () => {
    const t = await csvApp()
    const unknown = await upload(t.app, t.base, 'option,label,amount,first_year,colour\nproduct-a,X,1,2025,red\n')
    expect(unknown.status).toBe(422)
    expect(pageText(unknown.html)).toContain('Line 1: Unknown column “colour”: the columns are option, type, label')
    const missing = await upload(t.app, t.base, 'option,label,first_year\nproduct-a,X,2025\n')
    expect(missing.status).toBe(422)
    expect(pageText(missing.html)).toContain('Line 1: The column “amount” is missing')
  })

  it('explains a file separated by semicolons rather than guessing at its numbers', async () => {
    const t = await csvApp()
    const { status, html } = await upload(t.app, t.base, 'option;label;amount;first_year\nproduct-a;X;1.200,50;2025\n')
    expect(status).toBe(422)
    expect(pageText(html)).toContain('The columns are separated by semicolons or tabs: save the file as CSV with commas')
  })

  it('refuses a quote left open, an empty file and no file at all', async () => {
    const t = await csvApp()
    expect(pageText((await upload(t.app, t.base, 'option,label,amount,first_year\nproduct-a,"open,1,2025\n')).html)).toContain(
      'Line 2: The file is not valid CSV: a quoted field is never closed',
    )
    expect(pageText((await upload(t.app, t.base, `${header}\n`)).html)).toContain('The file has a header row but no lines')
    const none = await t.app.request(`${t.base}/import`, { method: 'POST', body: new FormData() })
    expect(none.status).toBe(422)
    expect(pageText(await none.text())).toContain('Choose a CSV file or an Excel workbook to import')
  })

  it('replaces the lines of the options the file names when asked, and leaves the others alone', async () => {
    const t = await csvApp()
    const csv = `${header}\nproduct-a,cost,New licences,licences,operating,400000,2025,2027,,,,,\n`
    const preview = await upload(t.app, t.base, csv, { replace: true })
    expect(pageText(preview.html)).toContain('Importing replaces every existing cost, benefit and sunk cost line of Product A (3 lines)')
    expect(preview.html).toContain('<input type="hidden" name="replace" value="on"/>')
    expect((await postForm(t.app, `${t.base}/import/confirm`, { csv: carriedCsv(preview.html), replace: 'on' })).status).toBe(303)
    const lines = await moneyLines(t)
    const productA = (await t.db.selectFrom('option').select('id').where('evaluation_id', '=', t.id).where('key', '=', 'product-a').executeTakeFirstOrThrow())
      .id
    expect(lines.filter((l) => l.option_id === productA).map((l) => l.label)).toEqual(['New licences'])
    expect(lines.map((l) => l.label)).toEqual(['Support', 'Subscription', 'New licences'])
    expect(await sunkCosts(t)).toHaveLength(1)
  })

  it('offers a template with the import’s columns that imports as it stands', async () => {
    const t = await csvApp()
    const response = await t.app.request(`${t.base}/template.csv`)
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="cost-lines-template.csv"')
    const text = await response.text()
    expect(text.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe(csvColumns.map((c) => c.name).join(','))
    const preview = await upload(t.app, t.base, text)
    expect(preview.status).toBe(200)
    expect(pageText(preview.html)).toContain('Check the 2 lines before importing')
  })

  it('reads cash and price as yes or no, blank as the default (price as cash), and refuses a price that is not cash', async () => {
    const t = await csvApp()
    const good = [
      'option,type,label,cash,price,amount,first_year',
      'product-b,cost,Officer time,no,,1000,2026',
      'product-b,cost,Dual running,yes,no,1000,2026',
      'product-b,cost,Licences 2,,,1000,2026',
      'product-b,benefit,Time released,No,,1000,2026',
    ].join('\n')
    const preview = await upload(t.app, t.base, good)
    expect(preview.status).toBe(200)
    expect((await postForm(t.app, `${t.base}/import/confirm`, { csv: carriedCsv(preview.html) })).status).toBe(303)
    const added = (await moneyLines(t)).slice(-4)
    expect(added.map((l) => [l.label, l.cash, l.price])).toEqual([
      ['Officer time', 0, 0],
      ['Dual running', 1, 0],
      ['Licences 2', 1, 1],
      ['Time released', 0, 0],
    ])

    const bad = [
      'option,type,label,cash,price,amount,first_year',
      'product-b,cost,Officer time,no,yes,1000,2026',
      'product-b,benefit,Time released,,yes,1000,2026',
      'product-b,cost,Odd,perhaps,,1000,2026',
    ].join('\n')
    const refused = await upload(t.app, t.base, bad)
    expect(refused.status).toBe(422)
    const text = pageText(refused.html)
    expect(text).toContain('Line 2 (‘Officer time’): A cost that is not cash cannot be part of the tendered price')
    expect(text).toContain('Line 3 (‘Time released’): Benefit lines are never part of the tendered price: leave price blank')
    expect(text).toContain('Line 4 (‘Odd’): Cash must be yes or no')
  })

  it('offers a template with the cash and price columns, which imports as it stands', async () => {
    const t = await csvApp()
    const template = await (await t.app.request(`${t.base}/template.csv`)).text()
    const rows = template
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n')
    expect(rows[0]).toBe(exportHeader)
    expect(rows[1]).toContain(',capital,yes,yes,1200000,')
    expect((await upload(t.app, t.base, template)).status).toBe(200)
  })

  it('exports every line in the import’s columns, so a spreadsheet round trip gives back the same lines', async () => {
    const t = await csvApp()
    const exported = await (await t.app.request(`${t.base}/lines.csv`)).text()
    expect(
      exported
        .replace(/^\uFEFF/, '')
        .split('\r\n')
        .slice(0, 3),
    ).toEqual([
      exportHeader,
      'retain,cost,Support,support,operating,yes,yes,1000000,2025,2027,,,,,',
      'product-a,cost,Implementation,implementation,capital,yes,yes,2000000,2025,2025,,,0.9,1.5,',
    ])
    // Lines that are not cash, or not part of the price, go out and come back so too.
    const productB = (await t.db.selectFrom('option').select('id').where('evaluation_id', '=', t.id).where('key', '=', 'product-b').executeTakeFirstOrThrow())
      .id
    await postForm(t.app, `${t.base}/${productB}/lines`, { kind: 'cost', label: 'Officer time', amount: '5000', from: '2025', cash: 'no', price: 'no' })
    await postForm(t.app, `${t.base}/${productB}/lines`, { kind: 'benefit', label: 'Hours saved', amount: '7000', from: '2026', cash: 'no' })
    const withNonCash = await (await t.app.request(`${t.base}/lines.csv`)).text()
    expect(withNonCash).toContain('product-b,cost,Officer time,,operating,no,no,5000,2025,2025,,,,,')
    expect(withNonCash).toContain('product-b,benefit,Hours saved,,,no,,7000,2026,2026,,,,,')
    const before = await readEvaluationFile(t.db, t.id)
    expect(before!.costs.find((l) => l.label === 'Officer time')).toMatchObject({ cash: false, price: false })
    const preview = await upload(t.app, t.base, withNonCash, { replace: true })
    expect(preview.status).toBe(200)
    expect((await postForm(t.app, `${t.base}/import/confirm`, { csv: carriedCsv(preview.html), replace: 'on' })).status).toBe(303)
    const after = await readEvaluationFile(t.db, t.id)
    expect(after!.costs).toEqual(before!.costs)
    expect(after!.benefits).toEqual(before!.benefits)
    expect(after!.sunkCosts).toEqual(before!.sunkCosts)
  })

  it('exports every option’s year-by-year figures as the engine computes them', async () => {
    const t = await csvApp()
    const text = await (await t.app.request(`${t.base}/years.csv`)).text()
    const rows = text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n')
    expect(rows[0]).toBe('option_id,option,year,calendar_year,cost,discount_factor,pv_cost,benefit,pv_benefit')
    const results = computeResults((await readEvaluationFile(t.db, t.id))!)
    const expected = results.options.flatMap((o) =>
      o.years.map((y) => [o.id, o.name, y.year, y.calendarYear, y.cost, y.discountFactor, y.pvCost, y.benefit, y.pvBenefit].join(',')),
    )
    expect(rows.slice(1)).toEqual(expected)
  })
})
