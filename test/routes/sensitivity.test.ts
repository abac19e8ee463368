import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { computeSensitivity, parseEvaluationFile, type EvaluationFile, type EvaluationFileInput, type Sensitivity } from '../../src/appraisal/index.js'
import { completeConsensus } from '../appraisal/factories.js'
import { createTestApp, pageText, postForm, type TestApp, textOf } from '../helpers.js'

const fixtureText = readFileSync(new URL('../fixtures/small-evaluation.json', import.meta.url), 'utf8')

function parsed(input: unknown): EvaluationFile {
  const result = parseEvaluationFile(input)
  if (!result.ok) throw new Error(result.errors.join('\n'))
  return result.file
}

/**
 * The rank-reversal example of the methodology notes: one criterion, a 50/50 split, relative-to-lowest
 * price scores, no discounting, every cost in year 0.
 */
function rankReversal(options: { id: string; name: string; quality: number; price: number }[]): EvaluationFile {
  const input: EvaluationFileInput = {
    format: 'options-appraisal/1',
    title: 'Rank reversal',
    scale: { min: 0, max: 100 },
    split: { quality: 50, cost: 50 },
    priceFormula: 'relative-to-lowest',
    appraisal: { baseYear: 2025, years: 1, discount: 'none' },
    options: options.map((o) => ({ id: o.id, name: o.name })),
    criteria: [{ id: 'quality', name: 'Quality' }],
    consensus: options.map((o) => ({ option: o.id, criterion: 'quality', score: o.quality })),
    costs: options.map((o) => ({ option: o.id, label: 'Price', amount: o.price, from: 0 })),
  }
  return parsed(input)
}

const A = { id: 'a', name: 'Option A', quality: 60, price: 100 }
const B = { id: 'b', name: 'Option B', quality: 90, price: 150 }
const C = { id: 'c', name: 'Option C', quality: 20, price: 60 }

/** The evaluation with every consensus recorded: while moderation is open the lead is refused the sensitivity page (decision 17). */
async function appWith(file: EvaluationFile, options?: { undeclared?: boolean }): Promise<TestApp & { id: number; base: string }> {
  const test = await createTestApp()
  const id = await test.importFile(completeConsensus(file), options)
  return { ...test, id, base: `/evaluations/${id}/sensitivity` }
}

async function page(app: TestApp['app'], path: string): Promise<{ status: number; html: string; text: string }> {
  const response = await app.request(path)
  const html = await response.text()
  return { status: response.status, html, text: pageText(html) }
}

describe('the sensitivity page', () => {
  it('shows the engine’s switching values, cost headroom and probabilities for the small evaluation', async () => {
    const file = parsed(JSON.parse(fixtureText))
    const { app, base } = await appWith(file)
    const { status, html, text } = await page(app, base)
    expect(status).toBe(200)
    const expected = computeSensitivity(file)
    if (!expected.computed) throw new Error('expected sensitivity to be computed')
    const { weights, costs, monteCarlo } = expected.sensitivity

    // Product A is the only eligible tender (Retain is business as usual, not a tender; Product B
    // fails a gate), so no weight and no cost change can change the preferred tender.
    expect(weights.find((w) => w.id === 'split')).toMatchObject({ current: 60, switchesAt: null })
    expect(textOf(html, 'weight-switching-values')).toContain('Quality share of the split 60.0% none from 0% to 100%')
    expect(textOf(html, 'weight-switching-values')).toContain('Functional fit 60.0% none from 0% to 100%')
    expect(textOf(html, 'weight-switching-values')).toContain('Usability 40.0% none from 0% to 100%')

    expect(costs).toEqual([{ id: 'product-a', switchesAt: null }])
    expect(textOf(html, 'cost-headroom')).toBe('Product A stays preferred even if its whole-life cost rises by 1,000%.')
    expect(textOf(html, 'cost-switching-values')).not.toContain('Retain the current system')

    expect(monteCarlo.probabilityFirst).toEqual({ retain: 0, 'product-a': 1, 'product-b': 0 })
    const figures = textOf(html, 'monte-carlo-figures')
    const p = monteCarlo.pvCost['product-a']
    const money = (v: number | undefined) => `£${Math.round(v ?? NaN).toLocaleString('en-GB')}`
    expect(figures).toContain(`Product A 100.0% ${money(p?.p10)} ${money(p?.p50)} ${money(p?.p90)} £3,207,141`)
    expect(figures).toContain('Retain the current system 0.0% £2,899,694 £2,899,694 £2,899,694 £2,899,694')
    expect(textOf(html, 'monte-carlo-settings')).toContain('10,000 simulated appraisals, seed 1.')

    // Product A is the only eligible tender: removing it leaves nothing to rank.
    expect(textOf(html, 'alternatives-finding')).toBe('Product A is the only tender that passes the gates: without it, no tender would remain to rank.')
    expect(text).not.toContain('irrelevant alternatives:')

    // Each line's switching value for its option's NPSV, in words, the smallest change first:
    // Product B's npsv 289,969 over its subscription's pv 2,609,725 = 11.1%; Product A's 262,461
    // over its implementation's 2,200,000 = 11.9%, its licences' 1,007,141 = 26.1%, and its officer
    // time's 569,908 = 46.1%.
    expect(expected.sensitivity.lines.map((line) => line.switchesAt?.toFixed(1))).toEqual(['11.9', '26.1', '11.1', '-46.1'])
    expect(textOf(html, 'line-switching-values')).toBe(
      'Subscription could rise by 11.1% before Product B’s NPSV reaches zero. ' +
        'Implementation could rise by 11.9% before Product A’s NPSV reaches zero. ' +
        'Licences could rise by 26.1% before Product A’s NPSV reaches zero. ' +
        'Officer time released could fall by 46.1% before Product A’s NPSV reaches zero.',
    )
    expect(textOf(html, 'formula-comparison')).toBe('Both price formulas prefer Product A and rank the options in the same order.')
  })

  it('draws its charts as accessible images with their figures in a table', async () => {
    const { app, base } = await appWith(parsed(JSON.parse(fixtureText)))
    const { html } = await page(app, base)
    for (const id of ['weights-chart', 'costs-chart', 'probability-chart', 'cost-range-chart']) {
      expect(html).toMatch(new RegExp(`<svg class="chart" id="${id}"[^>]* role="img" aria-labelledby="${id}-title ${id}-desc"`))
      expect(html).toContain(`<title id="${id}-title">`)
      expect(html).toContain(`<desc id="${id}-desc">`)
    }
    expect(html.match(/<details class="data"/g)).toHaveLength(3)
  })

  it('works through the methodology’s rank-reversal example and warns that removing C changes the order', async () => {
    const { app, base } = await appWith(rankReversal([A, B, C]))
    const { status, html, text } = await page(app, base)
    expect(status).toBe(200)
    // Totals at 50/50: A (60 + 60) / 2 = 60, B (90 + 40) / 2 = 65, C (20 + 100) / 2 = 60: B is preferred.
    expect(text).toContain('Preferred option Option B total 65.0 of 100')
    // Quality share q: B = 40 + 50q, C = 100 − 80q, A = 60: C draws level at q = 60/130 = 46.2%.
    expect(textOf(html, 'weight-switching-values')).toContain('Quality share of the split 50.0% 46.2% Option C')
    // Only one criterion: its share is always 100%.
    expect(textOf(html, 'weight-switching-values')).toContain('Quality 100.0% cannot move')
    // B's cost: 45 + 20 / (1 + x) falls to 60 at x = 1/3; A needs a cut of 1/7 (to 30 + 30 / (1 − y) = 65);
    // C, already the cheapest, needs 25% (B's total 45 + 20 (1 − y) falls to C's 60).
    expect(textOf(html, 'cost-headroom')).toBe('Option B’s whole-life cost can rise by 33.3% before it stops being preferred.')
    expect(textOf(html, 'cost-switching-values')).toContain('Option A £100 −14.3%')
    expect(textOf(html, 'cost-switching-values')).toContain('Option C £60 −25.0%')
    // Nothing varies, so the winner comes first in every iteration.
    expect(textOf(html, 'monte-carlo-figures')).toContain('Option B 100.0% £150 £150 £150 £150')

    const finding = textOf(html, 'alternatives-finding')
    expect(finding).toContain('The order depends on which other options were appraised')
    expect(finding).toContain('Removing Option C changes the order of the options that remain.')
    expect(finding).toContain('price formula, relative to the lowest price')
    const list = textOf(html, 'alternatives-list')
    // Without B, the preferred option, A and C stay level on 60.
    expect(list).toContain('Without Option B, the preferred tender, no single tender would be preferred: the highest totals would tie.')
    // Without C: A (60 + 100) / 2 = 80 beats B (90 + 66.7) / 2 = 78.3.
    expect(list).toContain('Without Option C, Option A would be preferred instead of Option B.')
    expect(list).toContain('Without Option A, Option B is still preferred and the other options keep their order.')
    expect(text).toContain(
      'irrelevant alternatives: removing option "c" changes the order of the options that remain under the relative-to-lowest price formula',
    )

    // Per quality point: A and B both cost 1.667 a point (price score 100, the total), C 3 a point (55.6).
    expect(textOf(html, 'formula-comparison')).toBe(
      'The two price formulas disagree: relative to the lowest price, Option B is preferred; by price per quality point, no single option is.',
    )
    expect(textOf(html, 'price-formulas')).toContain('Option C 100.0 60.0 2 55.6 55.6 3')
  })

  it('says the price formulas disagree when they prefer different options', async () => {
    // A 100 / 60 = 1.667 a point, B 145 / 90 = 1.611: B is preferred per quality point; relative to
    // the lowest price A (60 + 100) / 2 = 80 beats B (90 + 69.0) / 2 = 79.5.
    const { app, base } = await appWith(rankReversal([A, { ...B, price: 145 }]))
    const { html } = await page(app, base)
    expect(textOf(html, 'formula-comparison')).toBe(
      'The two price formulas disagree: relative to the lowest price, Option A is preferred; by price per quality point, Option B is.',
    )
  })

  it('explains that sensitivity is not computed when the top options tie', async () => {
    const { app, base } = await appWith(rankReversal([A, { ...A, id: 'twin', name: 'Twin of A' }]))
    const { status, html, text } = await page(app, base)
    expect(status).toBe(200)
    expect(textOf(html, 'not-computed')).toContain(
      'Sensitivity is not computed No option is preferred because Option A and Twin of A tie for first place on 80.0, so there is no recommendation to test.',
    )
    expect(html).not.toContain('id="weights-chart"')
    expect(html).not.toContain('id="monte-carlo-figures"')
    expect(text).toContain('With these weights, no single option would be preferred: the highest totals tie.')
    expect(textOf(html, 'formula-comparison')).toBe('Neither price formula gives a single preferred option; they rank the options in the same order.')
  })

  it('explains that sensitivity is not computed when every option fails a gate', async () => {
    const file = parsed(JSON.parse(fixtureText))
    const failing = parsed({
      ...JSON.parse(fixtureText),
      consensus: [...file.consensus.filter((s) => s.criterion !== 'live'), ...file.options.map((o) => ({ option: o.id, criterion: 'live', score: 0 }))],
    })
    const { app, base } = await appWith(failing)
    const { status, html } = await page(app, base)
    expect(status).toBe(200)
    expect(textOf(html, 'not-computed')).toContain('No option is preferred because every tender fails at least one gate')
  })

  it('runs the simulation with the iterations and seed asked for', async () => {
    const file = parsed(JSON.parse(fixtureText))
    const { app, base } = await appWith(file)
    const { status, html } = await page(app, `${base}?iterations=500&seed=42`)
    expect(status).toBe(200)
    expect(textOf(html, 'monte-carlo-settings')).toContain('500 simulated appraisals, seed 42.')
    const expected = computeSensitivity(file, { iterations: 500, seed: 42 })
    const p50 = (expected as { sensitivity: Sensitivity }).sensitivity.monteCarlo.pvCost['product-a']?.p50 ?? NaN
    expect(textOf(html, 'monte-carlo-figures')).toContain(`£${Math.round(p50).toLocaleString('en-GB')}`)
    // The what-if form keeps the settings.
    expect(html).toContain(`action="${base}?iterations=500&amp;seed=42"`)
  })

  it('refuses iterations outside 1..100,000 and seeds that are not whole numbers, beside the field', async () => {
    const { app, base } = await appWith(parsed(JSON.parse(fixtureText)))
    const cases = [
      ['iterations=0', 'mc-iterations', 'The number of iterations must be a whole number from 1 to 100,000'],
      ['iterations=100001', 'mc-iterations', 'The number of iterations must be a whole number from 1 to 100,000'],
      ['iterations=2.5', 'mc-iterations', 'The number of iterations must be a whole number from 1 to 100,000'],
      ['iterations=lots', 'mc-iterations', 'The number of iterations must be a whole number from 1 to 100,000'],
      ['seed=1.5', 'mc-seed', 'The seed must be a whole number, like 1 or 42'],
      ['seed=abc', 'mc-seed', 'The seed must be a whole number, like 1 or 42'],
    ] as const
    for (const [query, field, message] of cases) {
      const { status, html } = await page(app, `${base}?${query}`)
      expect(status, query).toBe(422)
      expect(textOf(html, `${field}-error`)).toBe(`Error: ${message}`)
      expect(html).toContain(`href="#${field}"`)
      // The figures shown are the defaults, and say so.
      expect(textOf(html, 'monte-carlo-settings')).toContain('10,000 simulated appraisals, seed 1.')
    }
  })
})

describe('the what-if panel', () => {
  it('starts at today’s weights, reproducing today’s ranking', async () => {
    const { app, base } = await appWith(parsed(JSON.parse(fixtureText)))
    const { html } = await page(app, base)
    expect(html).toMatch(
      /<input class="input input--number" type="text" inputmode="decimal" id="what-if-weight-functional" name="weight-functional" value="60"/,
    )
    expect(html).toMatch(/<input class="what-if__slider" type="range" id="what-if-weight-functional-slider" min="0" max="100" step="0.1" value="60"/)
    expect(html).toContain('name="quality" value="60"')
    expect(textOf(html, 'what-if-result')).toContain('With these weights, Product A stays the preferred option.')
    expect(html).toContain('hx-trigger="input changed delay:200ms, submit"')
    // Without JavaScript the form posts with the session's CSRF token, like every form.
    expect(html).toMatch(/<form class="what-if" method="post"[^>]*><input type="hidden" name="_csrf"/)
  })

  it('answers htmx with the what-if ranking alone as the split moves', async () => {
    const { app, base } = await appWith(rankReversal([A, B, C]))
    // At 40% quality: A 60, B 40 + 20 = 60, C 100 − 32 = 68.
    const response = await postForm(app, base, { quality: '40' }, { 'HX-Request': 'true' })
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html.startsWith('<div id="what-if-result"')).toBe(true)
    expect(html).not.toContain('<html')
    const text = pageText(html)
    expect(text).toContain('With these weights, Option C would be preferred instead of Option B.')
    expect(text).toContain('Quality 40.0%, cost 60.0%')
    expect(textOf(html, 'what-if-ranking')).toMatch(
      /1 Option C 20\.0 100\.0 68\.0 2 60\.0 2 Option A 60\.0 60\.0 60\.0 2 60\.0 2 Option B 90\.0 40\.0 60\.0 1 65\.0/,
    )
    // Message slots are cleared out of band, leaving the inputs alone.
    expect(html).toContain('<div id="what-if-quality-error" class="what-if__error" hx-swap-oob="true"></div>')
    expect(html).not.toContain('name="quality"')
  })

  it('re-renders the whole page with the what-if ranking for a plain form post', async () => {
    const file = parsed(JSON.parse(fixtureText))
    const { app, base } = await appWith(file)
    // Usability alone: A 60 × 0.6 + 90.4 × 0.4 = 72.2; Retain is business as usual and is not ranked.
    const response = await postForm(app, base, { 'weight-functional': '0', 'weight-usability': '100', quality: '60' })
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true)
    expect(html).toContain('name="weight-functional" value="0"')
    const result = textOf(html, 'what-if-result')
    expect(result).toContain('within quality: Functional fit 0.0%, Usability 100.0%')
    expect(textOf(html, 'what-if-ranking')).toMatch(/1 Product A 60\.0 100\.0 76\.0 1 78\.4/)
    expect(textOf(html, 'what-if-ranking')).toContain('Retain the current system Not a tender')
    // The rest of the page is still there.
    expect(html).toContain('id="weights-chart"')
  })

  it('refuses shares that are not numbers from 0 to 100, beside the field, with 422', async () => {
    const { app, base } = await appWith(parsed(JSON.parse(fixtureText)))
    const cases = [
      [
        { 'weight-functional': 'heavy', 'weight-usability': '40', quality: '60' },
        'weight-functional',
        'The weight of Functional fit must be a number, like 40 or 12.5',
      ],
      [{ 'weight-functional': '-5', 'weight-usability': '40', quality: '60' }, 'weight-functional', 'The weight of Functional fit must be from 0 to 100'],
      [{ 'weight-functional': '60', 'weight-usability': '40', quality: '150' }, 'quality', 'The quality share must be from 0 to 100'],
      [{ 'weight-functional': '60', 'weight-usability': '40', quality: '' }, 'quality', 'Enter the quality share, from 0 to 100'],
      [{ 'weight-functional': '0', 'weight-usability': '0', quality: '60' }, 'weights', 'At least one group must have a weight above 0'],
    ] as const
    for (const [fields, field, message] of cases) {
      const plain = await postForm(app, base, fields)
      expect(plain.status, message).toBe(422)
      const html = await plain.text()
      expect(textOf(html, `what-if-${field}-error`)).toBe(`Error: ${message}`)
      expect(textOf(html, 'error-summary-title')).toBe('There is a problem')
      expect(html).toContain(`value="${fields[field as keyof typeof fields] ?? '0'}"`)

      const live = await postForm(app, base, fields, { 'HX-Request': 'true' })
      expect(live.status, message).toBe(422)
      const fragment = await live.text()
      expect(fragment.startsWith('<div id="what-if-result"')).toBe(true)
      expect(fragment).toContain(`<div id="what-if-${field}-error" class="what-if__error what-if__error--shown" hx-swap-oob="true">`)
      expect(textOf(fragment, `what-if-${field}-error`)).toBe(`Error: ${message}`)
    }
  })

  it('never writes to the database', async () => {
    // The lead's declaration is left out, so that the export is the file imported and nothing else.
    const { app, db, id, base } = await appWith(parsed(JSON.parse(fixtureText)), { undeclared: true })
    const exportFile = async () => (await app.request(`/evaluations/${id}/export`)).text()
    const row = () => db.selectFrom('evaluation').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    const before = { file: await exportFile(), row: await row() }
    await page(app, base)
    await postForm(app, base, { 'weight-functional': '10', 'weight-usability': '90', quality: '20' })
    await postForm(app, base, { 'weight-functional': '10', 'weight-usability': '90', quality: '20' }, { 'HX-Request': 'true' })
    await postForm(app, base, { 'weight-functional': '0', 'weight-usability': '0', quality: '999' })
    expect(await exportFile()).toBe(before.file)
    expect(await row()).toEqual(before.row)
  })
})

describe('around the page', () => {
  it('is linked from the evaluation’s task list', async () => {
    const { app, id, base } = await appWith(parsed(JSON.parse(fixtureText)))
    expect(await (await app.request(`/evaluations/${id}`)).text()).toContain(`<a href="${base}">Sensitivity</a>`)
  })

  it('is open to the lead and finance once moderation is complete, and not to evaluators, who score blind', async () => {
    const file = parsed(JSON.parse(fixtureText))
    const t = await createTestApp()
    const id = await t.importFile(file)
    const base = `/evaluations/${id}/sensitivity`
    const clientWithRoles = t.clientWithRoles
    const finance = await clientWithRoles(id, ['finance'])
    const provisional = await finance.request(base)
    expect(provisional.status).toBe(409)
    expect(pageText(await provisional.text())).toContain('once the lead has finished moderating')
    const lead = await t.app.request(base)
    expect(lead.status).toBe(409)
    expect(pageText(await lead.text())).toContain('Prices stay sealed from you while you moderate quality')
    // A consensus on every criterion of every option completes moderation.
    const { id: moderatedId, clientWithRoles: moderatedClient } = await appWith(completeConsensus(file))
    const financeLater = await moderatedClient(moderatedId, ['finance'])
    const moderatedBase = `/evaluations/${moderatedId}/sensitivity`
    expect((await financeLater.request(moderatedBase)).status).toBe(200)
    expect(
      (await postForm(financeLater, moderatedBase, { 'weight-functional': '60', 'weight-usability': '40', quality: '50' }, { 'HX-Request': 'true' })).status,
    ).toBe(200)
    const evaluator = await clientWithRoles(id, ['evaluator'])
    expect((await evaluator.request(base)).status).toBe(403)
    expect((await postForm(evaluator, base, { 'weight-functional': '60', 'weight-usability': '40', quality: '50' })).status).toBe(403)
  })

  it('gives 404 for an evaluation that does not exist', async () => {
    const { app } = await createTestApp()
    expect((await app.request('/evaluations/999/sensitivity')).status).toBe(404)
    expect((await postForm(app, '/evaluations/999/sensitivity', { quality: '50' })).status).toBe(404)
  })
})
