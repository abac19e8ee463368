import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { computeResults, parseEvaluationText, type EvaluationFile } from '../../src/appraisal/index.js'
import { readEvaluationFile } from '../../src/db/evaluation-file.js'
import { formatFactor, formatMoney } from '../../src/format.js'
import { createEvaluation, createTestApp, pageText, postForm, type TestApp, textOf } from '../helpers.js'

const parsed = parseEvaluationText(readFileSync(new URL('../fixtures/small-evaluation.json', import.meta.url), 'utf8'))
if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
const fixture: EvaluationFile = parsed.file

const htmx = { 'HX-Request': 'true' }

interface Costs extends TestApp {
  id: number
  /** Database ids of the fixture's options by their file id. */
  option: Record<string, number>
  /** The lead, who may not see the cost model while moderating. */
  lead: TestApp['app']
  /** The cost page of an option. */
  page(key: string): string
}

/** The small worked example (base year 2025, 3 years, optimism bias 10% capital and 0% operating). */
async function costsApp(file: EvaluationFile = fixture): Promise<Costs> {
  const t = await createTestApp()
  const id = await t.importFile(file)
  const rows = await t.db.selectFrom('option').select(['id', 'key']).where('evaluation_id', '=', id).execute()
  const option = Object.fromEntries(rows.map((r) => [r.key, r.id]))
  // Finance models the costs: while the panel moderates, the cost model is sealed from the lead (decision 17).
  const finance = await t.clientWithRoles(id, ['finance'])
  return { ...t, app: finance, lead: t.app, id, option, page: (key) => `/evaluations/${id}/costs/${option[key]}` }
}

async function linesOf(t: Costs, key: string) {
  return t.db.selectFrom('money_line').selectAll().where('option_id', '=', t.option[key]!).orderBy('position').execute()
}

async function resultFor(t: Costs, key: string) {
  const results = computeResults((await readEvaluationFile(t.db, t.id))!)
  return results.options.find((o) => o.id === key)!
}

const goodLine = {
  kind: 'cost',
  label: 'Data cleansing',
  category: 'migration',
  type: 'capital',
  amount: '£1,200,000',
  from: '2026',
  to: '2027',
  growth: '2',
  optimismBias: '25',
  rangeLow: '0.9',
  rangeHigh: '1.5',
  notes: 'Supplier quote',
}

describe('the cost model of an option', () => {
  it('shows the year-by-year table with the engine’s cost, discount factor, present value and totals', async () => {
    const t = await costsApp()
    const response = await t.app.request(t.page('product-a'))
    expect(response.status).toBe(200)
    const html = await response.text()
    const result = await resultFor(t, 'product-a')
    const table = textOf(html, 'year-table')
    for (const year of result.years) {
      expect(table).toContain(
        `${year.calendarYear} (year ${year.year}) ${formatMoney(year.cost, 'GBP')} ${formatFactor(year.discountFactor)} ${formatMoney(year.pvCost, 'GBP')} ${formatMoney(year.benefit, 'GBP')} ${formatMoney(year.pvBenefit, 'GBP')}`,
      )
    }
    const benefits = result.years.reduce((sum, y) => sum + y.benefit, 0)
    expect(table).toContain(
      `Total ${formatMoney(result.undiscountedCost, 'GBP')} ${formatMoney(result.pvCost, 'GBP')} ${formatMoney(benefits, 'GBP')} ${formatMoney(result.pvBenefit, 'GBP')}`,
    )
    const figures = textOf(html, 'cost-figures')
    expect(figures).toContain(`Present value of cost ${formatMoney(result.pvCost, 'GBP')}`)
    expect(figures).toContain(`Equivalent annual cost ${formatMoney(result.eac, 'GBP')}`)
  })

  it('shows each line with its own total and present value from the engine', async () => {
    const t = await costsApp()
    const text = textOf(await (await t.app.request(t.page('product-a'))).text(), 'cost-lines')
    // Implementation: £2m capital in 2025 with the 10% default optimism bias, not discounted in year 0.
    expect(text).toContain('Implementation implementation Capital £2,000,000 2025 – 10% default 0.9–1.5 £2,200,000 £2,200,000')
    // Licences: 2026–2029 at 2% growth and its own 5% bias; only 2026 and 2027 fall in the 3-year period.
    const licences = 500_000 * 1.05 + 500_000 * 1.02 * 1.05
    const pv = (500_000 * 1.05) / 1.035 + (500_000 * 1.02 * 1.05) / 1.035 ** 2
    expect(text).toContain(
      `Licences Illustrative Years 2028–2029 fall outside the appraisal period and were dropped Operating £500,000 2026–2029 2.0% 5% – ${formatMoney(licences, 'GBP')} ${formatMoney(pv, 'GBP')}`,
    )
  })

  it('labels sunk costs as excluded, and keeps them out of every present value', async () => {
    const t = await costsApp()
    const html = await (await t.app.request(t.page('retain'))).text()
    expect(pageText(html)).toContain('Sunk costs: excluded from the appraisal')
    const sunkTable = textOf(html, 'sunk-costs')
    expect(sunkTable).toContain('Build to date build £23,200,000')
    expect(sunkTable).toContain('Total sunk cost (excluded) £23,200,000')
    const before = await resultFor(t, 'retain')
    const response = await postForm(t.app, `${t.page('retain')}/sunk`, { label: 'Interim licences', amount: '£1,600,000', category: 'licences', notes: '' })
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe(`${t.page('retain')}#sunk`)
    const after = await resultFor(t, 'retain')
    expect(after.sunkCost).toBe(24_800_000)
    expect(after.pvCost).toBe(before.pvCost)
    expect(after.npsv).toBe(before.npsv)
  })

  it('adds a cost line, storing percentages as fractions and calendar years as year indexes', async () => {
    const t = await costsApp()
    const response = await postForm(t.app, `${t.page('product-b')}/lines`, goodLine)
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe(`${t.page('product-b')}#costs`)
    const added = (await linesOf(t, 'product-b')).at(-1)
    expect(added).toMatchObject({
      kind: 'cost',
      label: 'Data cleansing',
      category: 'migration',
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
    const file = (await readEvaluationFile(t.db, t.id))!
    expect(file.costs.at(-1)).toEqual({
      option: 'product-b',
      label: 'Data cleansing',
      category: 'migration',
      capital: true,
      cash: true,
      price: true,
      amount: 1_200_000,
      from: 1,
      to: 2,
      growth: 0.02,
      optimismBias: 0.25,
      range: { low: 0.9, high: 1.5 },
      notes: 'Supplier quote',
    })
  })

  it('takes a blank last year as a one-off and a blank optimism bias as the default', async () => {
    const t = await costsApp()
    await postForm(t.app, `${t.page('product-b')}/lines`, {
      kind: 'cost',
      label: 'Exit',
      amount: '300000',
      from: '2027-28',
      to: '',
      growth: '',
      optimismBias: '',
    })
    expect((await linesOf(t, 'product-b')).at(-1)).toMatchObject({ from_year: 2, to_year: 2, growth: 0, optimism_bias: null, capital: 0 })
  })

  it('adds a benefit line, which carries no capital flag and no optimism bias', async () => {
    const t = await costsApp()
    const response = await postForm(t.app, `${t.page('product-b')}/lines`, { ...goodLine, kind: 'benefit', label: 'Time released' })
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe(`${t.page('product-b')}#benefits`)
    expect((await linesOf(t, 'product-b')).at(-1)).toMatchObject({ kind: 'benefit', capital: 0, optimism_bias: null, growth: 0.02 })
    expect((await resultFor(t, 'product-b')).pvBenefit).toBeGreaterThan(0)
  })

  it('asks whether a line is cash and part of the tendered price, each with a sentence of help, both ticked to begin with', async () => {
    const t = await costsApp()
    const html = await (await t.app.request(t.page('product-b'))).text()
    const costForm = textOf(html, 'add-cost')
    expect(costForm).toContain('Cash cost Money the organisation pays out. Untick for an economic cost that is not cash')
    expect(costForm).toContain('Part of the tendered price What the supplier charges, which the price score compares between tenders')
    expect(html).toMatch(/<input class="checkbox__input" id="add-cost-cash" name="cash" type="checkbox" value="on" checked/)
    expect(html).toMatch(/<input class="checkbox__input" id="add-cost-price" name="price" type="checkbox" value="on" checked/)
    const benefitForm = textOf(html, 'add-benefit')
    expect(benefitForm).toContain('Cash-releasing Money the organisation stops spending or gains')
    expect(benefitForm).not.toContain('Part of the tendered price')
  })

  it('stores a line that is not cash and not part of the price (boxes unticked), and exports it so in the file', async () => {
    const t = await costsApp()
    // Unticked boxes send only the hidden "no" before them.
    expect((await postForm(t.app, `${t.page('product-b')}/lines`, { ...goodLine, label: 'Officer time', cash: 'no', price: 'no' })).status).toBe(303)
    expect((await postForm(t.app, `${t.page('product-b')}/lines`, { ...goodLine, kind: 'benefit', label: 'Time released', cash: 'no' })).status).toBe(303)
    // A ticked box sends its "on" after the hidden "no"; the last value counts.
    const ticked = new URLSearchParams({ ...goodLine, label: 'Support desk' })
    ticked.append('cash', 'no')
    ticked.append('cash', 'on')
    ticked.append('price', 'no')
    expect(
      (await t.app.request(`${t.page('product-b')}/lines`, { method: 'POST', body: ticked, headers: { 'content-type': 'application/x-www-form-urlencoded' } }))
        .status,
    ).toBe(303)
    const lines = await linesOf(t, 'product-b')
    expect(lines.find((l) => l.label === 'Officer time')).toMatchObject({ cash: 0, price: 0 })
    expect(lines.find((l) => l.label === 'Time released')).toMatchObject({ kind: 'benefit', cash: 0, price: 0 })
    expect(lines.find((l) => l.label === 'Support desk')).toMatchObject({ cash: 1, price: 0 })
    const file = (await readEvaluationFile(t.db, t.id))!
    expect(file.costs.find((l) => l.label === 'Officer time')).toMatchObject({ cash: false, price: false })
    expect(file.costs.find((l) => l.label === 'Support desk')).toMatchObject({ cash: true, price: false })
    expect(file.benefits.find((l) => l.label === 'Time released')).toMatchObject({ cash: false })
    expect(file.benefits.find((l) => l.label === 'Time released')).not.toHaveProperty('price')

    // The history says so in words.
    const history = pageText(await (await t.lead.request(`/evaluations/${t.id}/history`)).text())
    expect(history).toContain('Cost line “Officer time” of “Product B” Added')
    expect(history).toMatch(/Cash — No .*Part of the tendered price — No/)

    // Its edit form shows the boxes as stored.
    const line = lines.find((l) => l.label === 'Officer time')!
    const edit = await (await t.app.request(`${t.page('product-b')}/lines/${line.id}/edit`)).text()
    expect(edit).toMatch(/name="cash" type="checkbox" value="on" aria-describedby/)
    expect(edit).not.toMatch(/name="cash" type="checkbox" value="on" checked/)
  })

  const refusals: [string, Record<string, string>, string, string][] = [
    ['a negative amount', { amount: '-5' }, 'amount', 'The amount per year must not be negative'],
    ['a negative amount in brackets', { amount: '(1,200)' }, 'amount', 'The amount per year must not be negative'],
    ['an amount that is not a number', { amount: 'lots' }, 'amount', 'The amount per year must be a number, like 1200000 or £1,200,000'],
    ['a missing amount', { amount: '' }, 'amount', 'Enter the amount per year'],
    ['a last year before the first', { from: '2027', to: '2026' }, 'to', 'The last year must be 2027 or later: it cannot be before the first year'],
    [
      'a first year before the base year',
      { from: '2024', to: '2025' },
      'from',
      'The first year must be 2025 or later: the appraisal starts in 2025, its base year',
    ],
    ['a missing first year', { from: '' }, 'from', 'Enter the first year'],
    ['a year that is not a year', { from: 'next year' }, 'from', 'The first year must be a year such as 2025'],
    ['growth of −100%', { growth: '-100' }, 'growth', 'Real growth must be from −99% to +100% a year'],
    ['growth below −100%', { growth: '-150%' }, 'growth', 'Real growth must be from −99% to +100% a year'],
    ['growth that is not a number', { growth: 'two' }, 'growth', 'Real growth must be a percentage'],
    ['negative optimism bias', { optimismBias: '-10' }, 'optimismBias', 'Optimism bias must not be negative'],
    ['a range whose low end is above 1', { rangeLow: '1.2', rangeHigh: '1.5' }, 'rangeLow', 'The low end of the range must be from 0 to 1'],
    ['a range whose low end is below 0', { rangeLow: '-0.1', rangeHigh: '1.5' }, 'rangeLow', 'The low end of the range must be from 0 to 1'],
    ['a range whose high end is below 1', { rangeLow: '0.9', rangeHigh: '0.95' }, 'rangeHigh', 'The high end of the range must be from 1 to 10'],
    ['a range with one end only', { rangeLow: '0.9', rangeHigh: '' }, 'rangeHigh', 'Enter both ends of the range, or neither'],
    ['a line with no label', { label: '  ' }, 'label', 'Enter a label for the cost line'],
    ['neither capital nor operating', { type: 'both' }, 'type', 'Choose capital or operating'],
    ['a price that is not cash', { cash: 'no', price: 'on' }, 'price', 'A cost that is not cash cannot be part of the tendered price'],
    ['cash that is neither yes nor no', { cash: 'maybe' }, 'cash', 'Cash must be yes or no'],
  ]

  for (const [what, fields, field, message] of refusals) {
    it(`refuses ${what} beside the field, keeps the input and saves nothing`, async () => {
      const t = await costsApp()
      const before = await linesOf(t, 'product-b')
      const response = await postForm(t.app, `${t.page('product-b')}/lines`, { ...goodLine, ...fields })
      expect(response.status).toBe(422)
      const html = await response.text()
      expect(html).toContain(`id="add-cost-${field}-error"`)
      expect(textOf(html, `add-cost-${field}-error`)).toContain(message)
      expect(html).toContain(`href="#add-cost-${field}"`)
      expect(html).toMatch(/<details class="add-line" id="add-cost" open/)
      expect(html).toContain('>Supplier quote</textarea>')
      expect(await linesOf(t, 'product-b')).toEqual(before)
    })
  }

  it('refuses a line whose kind is neither cost nor benefit', async () => {
    const t = await costsApp()
    expect((await postForm(t.app, `${t.page('product-b')}/lines`, { ...goodLine, kind: 'sunk' })).status).toBe(400)
  })

  it('answers htmx with the cost model alone, with the new figures, and with problems in place', async () => {
    const t = await costsApp()
    const response = await postForm(t.app, `${t.page('product-b')}/lines`, goodLine, htmx)
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html.startsWith('<div id="cost-model">')).toBe(true)
    expect(html).not.toContain('<html')
    expect(textOf(html, 'cost-figures')).toContain(formatMoney((await resultFor(t, 'product-b')).pvCost, 'GBP'))
    const refused = await postForm(t.app, `${t.page('product-b')}/lines`, { ...goodLine, amount: '-1' }, htmx)
    expect(refused.status).toBe(422)
    const refusedHtml = await refused.text()
    expect(refusedHtml.startsWith('<div id="cost-model">')).toBe(true)
    expect(refusedHtml).toContain('The amount per year must not be negative')
  })

  it('edits a line in place with htmx, showing stored fractions as percentages', async () => {
    const t = await costsApp()
    const [line] = (await linesOf(t, 'product-a')).filter((l) => l.label === 'Licences')
    const editUrl = `${t.page('product-a')}/lines/${line!.id}/edit`
    const form = await (await t.app.request(editUrl, { headers: htmx })).text()
    expect(form.startsWith('<div id="cost-model">')).toBe(true)
    expect(form).toContain(`id="line-${line!.id}" class="editing-row"`)
    expect(form).toContain(`id="edit-${line!.id}-growth" name="growth" type="text" value="2"`)
    expect(form).toContain('name="optimismBias" type="text" value="5"')
    expect(form).toContain('name="from" type="text" value="2026"')
    expect(form).toContain('name="to" type="text" value="2029"')
    const saved = await postForm(
      t.app,
      `${t.page('product-a')}/lines/${line!.id}`,
      { label: 'Licences', type: 'operating', amount: '450,000', from: '2026', to: '2027', growth: '3', optimismBias: '', notes: '' },
      htmx,
    )
    expect(saved.status).toBe(200)
    expect(await saved.text()).not.toContain('editing-row')
    expect((await linesOf(t, 'product-a')).find((l) => l.id === line!.id)).toMatchObject({
      amount: 450_000,
      to_year: 2,
      growth: 0.03,
      optimism_bias: null,
      notes: null,
    })
  })

  it('keeps a refused edit in place with its problem, and changes nothing', async () => {
    const t = await costsApp()
    const [line] = await linesOf(t, 'retain')
    const before = await linesOf(t, 'retain')
    const refused = await postForm(t.app, `${t.page('retain')}/lines/${line!.id}`, { label: 'Support', amount: '100', from: '2026', to: '2025' }, htmx)
    expect(refused.status).toBe(422)
    const html = await refused.text()
    expect(html).toContain('editing-row')
    expect(html).toContain('The last year must be 2026 or later')
    expect(await linesOf(t, 'retain')).toEqual(before)
  })

  it('edits a line on a page of its own without JavaScript', async () => {
    const t = await costsApp()
    const [line] = await linesOf(t, 'retain')
    const page = await t.app.request(`${t.page('retain')}/lines/${line!.id}/edit`)
    expect(page.status).toBe(200)
    expect(pageText(await page.text())).toContain('Edit cost line')
    const refused = await postForm(t.app, `${t.page('retain')}/lines/${line!.id}`, { label: 'Support', amount: '-1', from: '2025' })
    expect(refused.status).toBe(422)
    expect(pageText(await refused.text())).toContain('Edit cost line')
    const saved = await postForm(t.app, `${t.page('retain')}/lines/${line!.id}`, {
      label: 'Support and maintenance',
      amount: '900000',
      from: '2025',
      to: '2027',
    })
    expect(saved.status).toBe(303)
    expect(saved.headers.get('location')).toBe(`${t.page('retain')}#line-${line!.id}`)
    expect((await linesOf(t, 'retain'))[0]).toMatchObject({ label: 'Support and maintenance', amount: 900_000, to_year: 2 })
  })

  it('asks before removing a line, then removes it', async () => {
    const t = await costsApp()
    const [line] = await linesOf(t, 'retain')
    const confirm = await t.app.request(`${t.page('retain')}/lines/${line!.id}/delete`)
    expect(pageText(await confirm.text())).toContain('Remove the cost line ‘Support’?')
    expect(await linesOf(t, 'retain')).toHaveLength(1)
    const removed = await postForm(t.app, `${t.page('retain')}/lines/${line!.id}/delete`, {}, htmx)
    expect(removed.status).toBe(200)
    expect(textOf(await removed.text(), 'cost-figures')).toContain('Present value of cost £0')
    expect(await linesOf(t, 'retain')).toHaveLength(0)
  })

  it('edits and removes a sunk cost, and refuses a negative one', async () => {
    const t = await costsApp()
    const sunk = await t.db.selectFrom('sunk_cost').selectAll().where('option_id', '=', t.option.retain!).executeTakeFirstOrThrow()
    const url = `${t.page('retain')}/sunk/${sunk.id}`
    expect(await (await t.app.request(`${url}/edit`, { headers: htmx })).text()).toContain('name="amount" type="text" value="23200000"')
    expect((await postForm(t.app, url, { label: 'Build', amount: '-1' })).status).toBe(422)
    expect((await postForm(t.app, `${t.page('retain')}/sunk`, { label: 'Spent', amount: '-1' })).status).toBe(422)
    expect((await postForm(t.app, url, { label: 'Build to date', amount: '£23,000,000' })).status).toBe(303)
    expect((await resultFor(t, 'retain')).sunkCost).toBe(23_000_000)
    expect((await postForm(t.app, `${url}/delete`, {})).status).toBe(303)
    expect((await resultFor(t, 'retain')).sunkCost).toBe(0)
  })

  it('gives 404 for a line of another option or another evaluation', async () => {
    const t = await costsApp()
    const [line] = await linesOf(t, 'retain')
    expect((await t.app.request(`${t.page('product-a')}/lines/${line!.id}/edit`)).status).toBe(404)
    expect((await postForm(t.app, `${t.page('product-a')}/lines/${line!.id}/delete`, {})).status).toBe(404)
    const other = await t.importFile(fixture)
    const financeThere = await t.clientWithRoles(other, ['finance'])
    expect((await financeThere.request(`/evaluations/${other}/costs/${t.option.retain}`)).status).toBe(404)
    expect(await linesOf(t, 'retain')).toHaveLength(1)
  })

  it('exports an option’s year-by-year table as CSV at full precision, with its totals', async () => {
    const t = await costsApp()
    const response = await t.app.request(`${t.page('product-a')}/years.csv`)
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="product-a-years.csv"')
    const text = await response.text()
    const result = await resultFor(t, 'product-a')
    const lines = text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n')
    expect(lines[0]).toBe('year,calendar_year,cost,discount_factor,pv_cost,benefit,pv_benefit')
    result.years.forEach((y, i) => {
      expect(lines[i + 1]).toBe([y.year, y.calendarYear, y.cost, y.discountFactor, y.pvCost, y.benefit, y.pvBenefit].join(','))
    })
    expect(lines.at(-1)).toBe(`Total,,${result.undiscountedCost},,${result.pvCost},${result.years.reduce((s, y) => s + y.benefit, 0)},${result.pvBenefit}`)
  })

  it('lets finance model costs, and refuses evaluators and observers', async () => {
    const t = await costsApp()
    const finance = await t.clientWithRoles(t.id, ['finance'])
    expect((await finance.request(t.page('product-b'))).status).toBe(200)
    expect((await postForm(finance, `${t.page('product-b')}/lines`, goodLine)).status).toBe(303)
    for (const role of ['evaluator', 'observer'] as const) {
      const other = await t.clientWithRoles(t.id, [role])
      expect((await other.request(t.page('product-b'))).status, role).toBe(403)
      expect((await postForm(other, `${t.page('product-b')}/lines`, goodLine)).status, role).toBe(403)
    }
  })
})

describe('the costs overview', () => {
  it('works before any criteria exist, so finance can start while the panel sets up', async () => {
    const t = await createTestApp()
    const id = await createEvaluation(t.app)
    const empty = await t.app.request(`/evaluations/${id}/costs`)
    expect(empty.status).toBe(200)
    expect(pageText(await empty.text())).toContain('No options yet')
    await postForm(t.app, `/evaluations/${id}/options`, { name: 'Retain', kind: 'baseline' })
    const option = await t.db.selectFrom('option').select('id').where('evaluation_id', '=', id).executeTakeFirstOrThrow()
    const year = String(new Date().getUTCFullYear())
    expect((await postForm(t.app, `/evaluations/${id}/costs/${option.id}/lines`, { kind: 'cost', label: 'Support', amount: '1000', from: year })).status).toBe(
      303,
    )
    const page = await t.app.request(`/evaluations/${id}/costs/${option.id}`)
    expect(page.status).toBe(200)
    expect(textOf(await page.text(), 'cost-figures')).toContain('Present value of cost £1,000')
  })

  it('lists each option’s engine figures and links to its cost model', async () => {
    const t = await costsApp()
    const html = await (await t.app.request(`/evaluations/${t.id}/costs`)).text()
    const results = computeResults((await readEvaluationFile(t.db, t.id))!)
    const table = textOf(html, 'option-costs')
    for (const o of results.options) {
      expect(table).toContain(
        `${formatMoney(o.undiscountedCost, 'GBP')} ${formatMoney(o.pvCost, 'GBP')} ${formatMoney(o.pvBenefit, 'GBP')} ${formatMoney(o.sunkCost, 'GBP')}`,
      )
      expect(html).toContain(`href="/evaluations/${t.id}/costs/${t.option[o.id]}"`)
    }
    expect(textOf(html, 'appraisal-settings')).toContain('Real 2025 prices, 3 years (2025–2027), in GBP')
  })

  it('is linked from the evaluation’s task list for the lead and finance, not for evaluators', async () => {
    const t = await costsApp()
    const lead = await (await t.app.request(`/evaluations/${t.id}`)).text()
    expect(lead).toContain(`href="/evaluations/${t.id}/costs"`)
    expect(lead).toContain(`href="/evaluations/${t.id}/settings"`)
    const evaluator = await t.clientWithRoles(t.id, ['evaluator'])
    const page = await (await evaluator.request(`/evaluations/${t.id}`)).text()
    expect(page).not.toContain(`/evaluations/${t.id}/costs`)
    expect(page).not.toContain(`/evaluations/${t.id}/settings`)
  })
})

describe('the nominal-to-real helper', () => {
  const url = (id: number, query: string) => `/evaluations/${id}/costs/real-prices?${query}`

  it('converts a figure quoted in a later year’s money to real base-year prices', async () => {
    const t = await costsApp()
    const response = await t.app.request(url(t.id, 'nominal=%C2%A31%2C061%2C208&year=2028&inflation=2'), { headers: htmx })
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html.startsWith('<section id="real-prices"')).toBe(true)
    expect(textOf(html, 'real-prices-answer')).toContain('£1,061,208 in 2028 prices is £1,000,000 in real 2025 prices at 2.0% inflation a year')
    expect(textOf(html, 'real-prices-answer')).toContain('÷ 1.061208')
  })

  it('works as a plain form without JavaScript, and writes nothing', async () => {
    const t = await costsApp()
    const before = await t.db.selectFrom('evaluation').select('updated_at').where('id', '=', t.id).executeTakeFirstOrThrow()
    const response = await t.app.request(url(t.id, 'nominal=1000&year=2025&inflation=5'))
    const html = await response.text()
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true)
    expect(textOf(html, 'real-prices-answer')).toContain('£1,000 in 2025 prices is £1,000 in real 2025 prices')
    expect(await t.db.selectFrom('evaluation').select('updated_at').where('id', '=', t.id).executeTakeFirstOrThrow()).toEqual(before)
  })

  it('refuses bad input beside the field', async () => {
    const t = await costsApp()
    const response = await t.app.request(url(t.id, 'nominal=lots&year=soon&inflation=-100'), { headers: htmx })
    expect(response.status).toBe(422)
    const html = await response.text()
    expect(textOf(html, 'real-nominal-error')).toContain('The amount must be a number')
    expect(textOf(html, 'real-year-error')).toContain('The year must be a year such as 2028')
    expect(textOf(html, 'real-inflation-error')).toContain('Inflation must be more than −100%')
    expect(html).not.toContain('real-prices-answer')
  })
})
