import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { computeResults, parseEvaluationFile, parseEvaluationText, type EvaluationFile, type EvaluationFileInput } from '../../src/appraisal/index.js'
import { readEvaluationFile } from '../../src/db/evaluation-file.js'
import { seedDemoIfEmpty } from '../../src/demo/seed.js'
import { formatMoney, formatMoneyShort, formatRatio, formatScore } from '../../src/format.js'
import { completeConsensus } from '../appraisal/factories.js'
import { createTestApp, pageText, postForm, testTemplates, textOf } from '../helpers.js'

const fixtureText = readFileSync(new URL('../fixtures/small-evaluation.json', import.meta.url), 'utf8')
const parsed = parseEvaluationText(fixtureText)
if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
const fixture: EvaluationFile = parsed.file

function variant(change: (input: EvaluationFileInput) => void): EvaluationFile {
  const input = JSON.parse(fixtureText) as EvaluationFileInput
  change(input)
  const result = parseEvaluationFile(input)
  if (!result.ok) throw new Error(result.errors.join('\n'))
  return result.file
}

/** The text of the table row for an option. */
function rowOf(html: string, tableId: string, option: string): string {
  const table = html.slice(html.indexOf(`id="${tableId}"`))
  const start = table.indexOf(`<tr data-option="${option}"`)
  if (start === -1) throw new Error(`no row for ${option} in ${tableId}`)
  return pageText(table.slice(start, table.indexOf('</tr>', start)))
}

/** The results page as the lead sees it once moderation is complete (before then, quality only). */
async function resultsPage(file: EvaluationFile) {
  const t = await createTestApp()
  const id = await t.importFile(completeConsensus(file))
  const response = await t.app.request(`/evaluations/${id}/results`)
  return { ...t, id, status: response.status, html: await response.text() }
}

describe('the results page', () => {
  it('shows the engine’s quality, price score, total and rank for each ranked option', async () => {
    const { html, status, db, id } = await resultsPage(fixture)
    expect(status).toBe(200)
    const results = computeResults((await readEvaluationFile(db, id))!)
    const ranked = results.options.filter((o) => o.rank !== null)
    expect(ranked.length).toBeGreaterThan(0)
    for (const o of ranked) {
      expect(rowOf(html, 'ranking', o.id)).toMatch(
        new RegExp(`^${o.rank} ${o.name}.* ${formatScore(o.quality)} ${formatMoney(o.pvPrice, 'GBP')} ${formatScore(o.priceScore)} ${formatScore(o.total)}$`),
      )
    }
    const preferred = results.options.find((o) => o.id === results.preferred)!
    expect(textOf(html, 'preferred')).toContain(`Preferred option ${preferred.name}`)
    expect(textOf(html, 'preferred')).toContain(`Total score ${formatScore(preferred.total)} of 100`)
  })

  it('shows the engine’s PV cost, PV benefit, NPSV and BCR against the baseline, EAC and sunk cost for every option', async () => {
    const { html, db, id } = await resultsPage(fixture)
    const results = computeResults((await readEvaluationFile(db, id))!)
    for (const o of results.options) {
      const money = [o.undiscountedCost, o.pvCost, o.pvBenefit, o.npsv, o.cashNpsv].map((v) => formatMoney(v, 'GBP')).join(' ')
      expect(rowOf(html, 'whole-life-cost', o.id)).toContain(
        `${money} ${formatRatio(o.bcr)} ${formatScore(o.quality)} ${formatMoney(o.eac, 'GBP')} ${formatMoney(o.sunkCost, 'GBP')}`,
      )
    }
    expect(rowOf(html, 'whole-life-cost', 'retain')).toMatch(/^Retain the current system Business as usual /)
    expect(rowOf(html, 'whole-life-cost', 'product-b')).toMatch(/^Product B Tender Highest NPSV /)
    // Product A is the preferred tender; Product B, which fails a gate, has the higher NPSV:
    // £289,969 against £262,461.
    expect(results.highestNpsv).toBe('product-b')
    expect(textOf(html, 'npsv-finding')).toBe(
      'The preferred tender, Product A, is not the option of highest NPSV: Product B (which fails a gate) has £289,969, £27,508 more than Product A’s £262,461.',
    )
    expect(rowOf(html, 'whole-life-cost', 'retain')).toContain('£23,200,000')
    expect(pageText(html)).toContain('NPSV vs baseline')
    expect(pageText(html)).toContain('measured against the baseline, Retain the current system')
  })

  it('says under price per quality point that the total is the price score and the split is not used', async () => {
    const { html } = await resultsPage(
      variant((f) => {
        f.priceFormula = 'price-per-quality-point'
      }),
    )
    expect(textOf(html, 'total-rule')).toContain(
      'The total is the price score itself: the ratio already holds quality, so the quality/price split is not used.',
    )
    expect(textOf(html, 'preferred')).toContain('ranked on its price per quality point')
  })

  it('lists an option that fails a gate apart, naming the gates it failed, with no rank', async () => {
    const { html, db, id } = await resultsPage(fixture)
    const productB = computeResults((await readEvaluationFile(db, id))!).options.find((o) => o.id === 'product-b')!
    expect(productB.failedGates).toEqual(['live'])
    expect(rowOf(html, 'ineligible', 'product-b')).toBe(`Product B Fails Live elsewhere ${formatScore(productB.quality)}`)
    expect(textOf(html, 'ranking')).not.toContain('Product B')
  })

  it('flags an option whose scoring is incomplete', async () => {
    const file = variant((f) => {
      f.consensus = f.consensus!.filter((s) => !(s.option === 'product-a' && s.criterion === 'search'))
    })
    // Scoring is incomplete only while moderation is open: the lead's sealed view says so.
    const t = await createTestApp()
    const html = await (await t.app.request(`/evaluations/${await t.importFile(file)}/results`)).text()
    expect(rowOf(html, 'quality-ranking', 'product-a')).toContain('Incomplete scoring')
    expect(textOf(html, 'incomplete')).toContain('Scoring is incomplete for Product A: a criterion with no score counts as 0')
  })

  it('puts the engine’s warnings in words: the line’s label, its option and calendar years', async () => {
    const { html } = await resultsPage(fixture)
    expect(textOf(html, 'warnings')).toContain('Cost line “Licences” of Product A: years 2028–2029 fall outside the appraisal period and were dropped')
  })

  it('draws three charts, each an image with a title and a description, and its figures in a table', async () => {
    const { html, db, id } = await resultsPage(fixture)
    const results = computeResults((await readEvaluationFile(db, id))!)
    for (const chart of ['quality-chart', 'cost-per-year-chart', 'present-value-chart']) {
      const svg = html.slice(html.indexOf(`<svg class="chart" id="${chart}"`), html.indexOf('</svg>', html.indexOf(`id="${chart}"`)))
      expect(svg).toContain('role="img"')
      expect(svg).toContain(`aria-labelledby="${chart}-title ${chart}-desc"`)
      expect(svg).toMatch(new RegExp(`<title id="${chart}-title">[^<]+</title>`))
      expect(svg).toMatch(new RegExp(`<desc id="${chart}-desc">[^<]+</desc>`))
      expect(textOf(html, `${chart}-figure`)).toContain('The figures in this chart as a table')
    }
    const quality = textOf(html, 'quality-chart-figure')
    for (const o of results.options) {
      expect(quality).toContain(
        `${o.name}${o.eligible ? '' : o.tender ? ' (Not ranked: fails a gate)' : ' (Business as usual: not ranked)'} ${o.groups.map((g) => formatScore(g.contribution)).join(' ')} ${formatScore(o.quality)}`,
      )
    }
    const perYear = textOf(html, 'cost-per-year-chart-figure')
    for (const [i, year] of results.options[0]!.years.entries()) {
      expect(perYear).toContain(`${year.calendarYear} ${results.options.map((o) => formatMoney(o.years[i]!.cost, 'GBP')).join(' ')}`)
    }
    const presentValue = textOf(html, 'present-value-chart-figure')
    for (const o of results.options) {
      expect(presentValue).toContain(`${formatMoney(o.pvCost, 'GBP')} ${formatMoney(o.pvBenefit, 'GBP')}`)
      expect(textOf(html, 'present-value-chart-desc')).toContain(
        `${o.name}: cost ${formatMoneyShort(o.pvCost, 'GBP')}, benefit ${formatMoneyShort(o.pvBenefit, 'GBP')}.`,
      )
    }
  })

  it('formats figures in the evaluation’s own currency', async () => {
    const { html } = await resultsPage(variant((f) => (f.currency = 'EUR')))
    expect(rowOf(html, 'whole-life-cost', 'retain')).toContain('€23,200,000')
    expect(html).not.toContain('£')
  })

  it('works the figures out again on every request: a changed cost shows at once', async () => {
    const t = await createTestApp()
    const id = await t.importFile(completeConsensus(fixture))
    const before = await (await t.app.request(`/evaluations/${id}/results`)).text()
    const retain = await t.db.selectFrom('option').select('id').where('evaluation_id', '=', id).where('key', '=', 'retain').executeTakeFirstOrThrow()
    await postForm(t.app, `/evaluations/${id}/costs/${retain.id}/lines`, { kind: 'cost', label: 'Extra support', amount: '500000', from: '2025' })
    const after = await (await t.app.request(`/evaluations/${id}/results`)).text()
    const results = computeResults((await readEvaluationFile(t.db, id))!)
    const pvCost = results.options.find((o) => o.id === 'retain')!.pvCost
    expect(rowOf(after, 'whole-life-cost', 'retain')).toContain(formatMoney(pvCost, 'GBP'))
    expect(rowOf(before, 'whole-life-cost', 'retain')).not.toContain(formatMoney(pvCost, 'GBP'))
  })

  it('says when no option is preferred because the top totals tie', async () => {
    const file = variant((f) => {
      f.options = f.options.map((o) => ({ ...o, baseline: false }))
      f.costs = []
      f.consensus = f.consensus!.filter((s) => s.option !== 'product-b')
      f.consensus.push(...f.consensus.filter((s) => s.option === 'retain').map((s) => ({ ...s, option: 'product-b' })))
      f.scores = []
      // Product A at the bottom of the scale on every criterion, so the moderated file does not fill it in.
      f.consensus = f.consensus.filter((s) => s.option !== 'product-a')
      f.consensus.push(...f.consensus.filter((s) => s.option === 'retain').map((s) => ({ ...s, option: 'product-a', score: 0 })))
    })
    const { html } = await resultsPage(file)
    expect(textOf(html, 'preferred')).toMatch(/No option is preferred\. .* tie for first place on/)
  })

  it('keeps the provisional ranking to the lead until moderation is complete, then shows finance the same figures', async () => {
    const t = await createTestApp()
    const provisional = await t.importFile(fixture)
    const finance = await t.clientWithRoles(provisional, ['finance'])
    const waiting = await finance.request(`/evaluations/${provisional}/results`)
    expect(waiting.status).toBe(409)
    expect(pageText(await waiting.text())).toContain('once the lead has finished moderating')
    expect((await t.app.request(`/evaluations/${provisional}/results`)).status).toBe(200)
    const moderated = await t.importFile(completeConsensus(fixture))
    const financeLater = await t.clientWithRoles(moderated, ['finance'])
    const response = await financeLater.request(`/evaluations/${moderated}/results`)
    expect(response.status).toBe(200)
    const results = computeResults((await readEvaluationFile(t.db, moderated))!)
    const html = await response.text()
    for (const o of results.options) expect(rowOf(html, 'whole-life-cost', o.id)).toContain(formatMoney(o.pvCost, 'GBP'))
    const evaluator = await t.clientWithRoles(moderated, ['evaluator'])
    expect((await evaluator.request(`/evaluations/${moderated}/results`)).status).toBe(403)
  })

  it('shows the lead quality only while they moderate, and refuses them the views with price', async () => {
    const t = await createTestApp()
    const id = await t.importFile(fixture)
    const html = await (await t.app.request(`/evaluations/${id}/results`)).text()
    const results = computeResults((await readEvaluationFile(t.db, id))!)
    expect(textOf(html, 'price-sealed')).toContain('until every consensus is recorded')
    for (const o of results.options.filter((o) => o.tender && o.eligible))
      expect(rowOf(html, 'quality-ranking', o.id)).toBe(`${o.name} ${formatScore(o.quality)}`)
    for (const o of results.options) expect(html).not.toContain(formatMoney(o.pvCost, 'GBP'))
    for (const gone of ['id="ranking"', 'id="whole-life-cost"', 'id="preferred"', 'NPSV', 'Price score']) expect(html).not.toContain(gone)
    for (const path of ['sensitivity', 'report.pdf', 'results/workbook.xlsx']) {
      const refused = await t.app.request(`/evaluations/${id}/${path}`)
      expect(refused.status).toBe(409)
      expect(pageText(await refused.text())).toContain('Prices stay sealed from you while you moderate quality')
    }
    const overview = await (await t.app.request(`/evaluations/${id}`)).text()
    expect(overview).toContain(`/evaluations/${id}/results`)
    for (const path of ['sensitivity', 'report.pdf']) expect(overview).not.toContain(`/evaluations/${id}/${path}"`)
  })

  it('tells the demo evaluation’s story with all three charts', async () => {
    const t = await createTestApp()
    const demo = (await seedDemoIfEmpty(t.db, testTemplates()))!
    // The demo is still in moderation, where the lead sees quality only: its file with every consensus recorded.
    const id = await t.importFile(completeConsensus((await readEvaluationFile(t.db, demo))!))
    const lead = await t.clientWithRoles(id, ['lead'])
    const html = await (await lead.request(`/evaluations/${id}/results`)).text()
    const results = computeResults((await readEvaluationFile(t.db, id))!)
    expect(results.preferred).not.toBeNull()
    for (const chart of ['quality-chart', 'cost-per-year-chart', 'present-value-chart']) expect(html).toContain(`id="${chart}"`)
    const groups = results.options[0]!.groups.length
    expect(groups).toBeGreaterThan(1)
    // Every option's quality is drawn as one segment per group that contributes.
    const segments = (html.slice(html.indexOf('id="quality-chart"'), html.indexOf('</svg>', html.indexOf('id="quality-chart"'))).match(/<rect /g) ?? []).length
    const contributing = results.options.reduce((n, o) => n + o.groups.filter((g) => g.contribution > 0).length, 0)
    expect(segments).toBe(contributing + groups) // bars, then the legend's swatches
    const failing = results.options.filter((o) => o.failedGates.length > 0)
    expect(failing.map((o) => o.tender)).toEqual([false, true]) // business as usual, as it runs today, and Product C
    for (const o of failing) expect(textOf(html, o.tender ? 'ineligible' : 'not-tenders-gates')).toContain(o.name)
    expect(textOf(html, 'not-tenders-gates')).toContain('fails 2 gates: Crime recording compliance and Safeguarding referral end to end')
  })
})
