import { describe, expect, it } from 'vitest'
import { readEvaluationFile } from '../../src/db/evaluation-file.js'
import { createEvaluation, createTestApp, pageText, postForm, type TestApp } from '../helpers.js'

/** The settings form as it comes filled in for a new evaluation, with any fields changed. */
function settingsFields(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    currency: 'GBP',
    baseYear: '2025',
    years: '10',
    discount: 'green-book',
    discountRate: '',
    discountSchedule: '',
    optimismBiasCapital: '0',
    optimismBiasOperating: '0',
    splitQuality: '100',
    splitCost: '0',
    priceFormula: 'relative-to-lowest',
    ...overrides,
  }
}

async function withEvaluation(): Promise<TestApp & { id: number; path: string }> {
  const t = await createTestApp()
  const id = await createEvaluation(t.app)
  return { ...t, id, path: `/evaluations/${id}/settings` }
}

async function storedSettings(t: TestApp, id: number) {
  const file = await readEvaluationFile(t.db, id)
  return { currency: file!.currency, appraisal: file!.appraisal, split: file!.split, priceFormula: file!.priceFormula, priceBasis: file!.priceBasis }
}

describe('appraisal settings', () => {
  it('shows each setting with a sentence of help, percentages as percentages', async () => {
    const t = await withEvaluation()
    const response = await t.app.request(t.path)
    expect(response.status).toBe(200)
    const text = pageText(await response.text())
    for (const words of ['Base year', 'Appraisal period', 'Discount rate', 'Capital lines, %', 'Operating lines, %', 'Quality', 'Price score']) {
      expect(text).toContain(words)
    }
    expect(text).toContain('20 means a cost is raised by 20% (stored as 0.2)')
    expect(text).toContain('Use the Green Book standard rate unless your organisation says otherwise')
  })

  it('saves every setting, turning percentages into fractions, and says so', async () => {
    const t = await withEvaluation()
    const response = await postForm(
      t.app,
      t.path,
      settingsFields({
        currency: 'eur',
        baseYear: '2026',
        years: '15',
        discount: 'rate',
        discountRate: '5',
        optimismBiasCapital: '200',
        optimismBiasOperating: '41',
        splitQuality: '60',
        splitCost: '40',
        priceFormula: 'price-per-quality-point',
        priceBasis: '  Every charge over ten years, in real prices.  ',
      }),
    )
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe(`${t.path}?saved=1`)
    expect(await storedSettings(t, t.id)).toEqual({
      currency: 'EUR',
      appraisal: { baseYear: 2026, years: 15, discount: { rate: 0.05 }, optimismBias: { capital: 2, operating: 0.41 } },
      split: { quality: 60, cost: 40 },
      priceFormula: 'price-per-quality-point',
      priceBasis: 'Every charge over ten years, in real prices.',
    })
    const page = pageText(await (await t.app.request(`${t.path}?saved=1`)).text())
    expect(page).toContain('The settings are saved')
  })

  it('shows stored fractions back as percentages without float noise', async () => {
    const t = await withEvaluation()
    await postForm(t.app, t.path, settingsFields({ discount: 'rate', discountRate: '3.5', optimismBiasCapital: '7', optimismBiasOperating: '0.1' }))
    const html = await (await t.app.request(t.path)).text()
    expect(html).toContain('name="discountRate" type="text" value="3.5"')
    expect(html).toContain('name="optimismBiasCapital" type="text" value="7"')
    expect(html).toContain('name="optimismBiasOperating" type="text" value="0.1"')
  })

  it('saves each discount preset and a schedule of rates', async () => {
    const t = await withEvaluation()
    for (const preset of ['green-book-health', 'none', 'green-book']) {
      await postForm(t.app, t.path, settingsFields({ discount: preset }))
      expect((await storedSettings(t, t.id)).appraisal.discount).toBe(preset)
    }
    await postForm(t.app, t.path, settingsFields({ discount: 'schedule', discountSchedule: '1: 3.5\r\n31: 3%\n\n76 2.5' }))
    expect((await storedSettings(t, t.id)).appraisal.discount).toEqual({
      schedule: [
        { fromYear: 1, rate: 0.035 },
        { fromYear: 31, rate: 0.03 },
        { fromYear: 76, rate: 0.025 },
      ],
    })
    const html = await (await t.app.request(t.path)).text()
    expect(html).toContain('1: 3.5\n31: 3\n76: 2.5')
  })

  it('ignores the rate and schedule fields unless they are chosen', async () => {
    const t = await withEvaluation()
    const response = await postForm(t.app, t.path, settingsFields({ discount: 'none', discountRate: 'rubbish', discountSchedule: 'also rubbish' }))
    expect(response.status).toBe(303)
    expect((await storedSettings(t, t.id)).appraisal.discount).toBe('none')
  })

  const refusals: [string, Record<string, string>, string, string][] = [
    ['a missing base year', { baseYear: '' }, 'baseYear', 'Enter the base year'],
    ['a base year that is not a year', { baseYear: '20.5' }, 'baseYear', 'The base year must be a year, like 2025'],
    ['a period of no years', { years: '0' }, 'years', 'The appraisal period must be at least 1 year'],
    ['a period longer than the file allows', { years: '1001' }, 'years', 'The appraisal period must be 1000 years or fewer'],
    ['an unknown currency', { currency: 'XYZ' }, 'currency', 'Enter a currency code that exists, such as GBP, EUR or USD'],
    ['a currency that is not a code', { currency: 'pounds' }, 'currency', 'Enter a three-letter currency code, such as GBP'],
    ['an unknown discount choice', { discount: 'whatever' }, 'discount', 'Choose how to discount'],
    ['one rate with no rate', { discount: 'rate', discountRate: '' }, 'discountRate', 'Enter the discount rate'],
    ['one rate below -10%', { discount: 'rate', discountRate: '-100' }, 'discountRate', 'The discount rate must be from −10% to +100%'],
    ['an empty schedule', { discount: 'schedule', discountSchedule: ' ' }, 'discountSchedule', 'Enter at least one band, like ‘1: 3.5’'],
    [
      'a schedule line that is not a year and a rate',
      { discount: 'schedule', discountSchedule: '1: 3.5\nfrom ten: 3' },
      'discountSchedule',
      'Line 2 of the schedule must be a year and a rate, like ‘1: 3.5’',
    ],
    [
      'a schedule out of order',
      { discount: 'schedule', discountSchedule: '31: 3\n1: 3.5' },
      'discountSchedule',
      'Line 2 of the schedule: each band must start after the one before (year 31)',
    ],
    ['negative optimism bias', { optimismBiasCapital: '-5' }, 'optimismBiasCapital', 'The optimism bias must not be negative'],
    ['missing optimism bias', { optimismBiasOperating: '' }, 'optimismBiasOperating', 'Enter the optimism bias for operating lines, or 0'],
    [
      'a capital uplift below the project type’s lower bound',
      { optimismBiasPreset: 'equipment-development', optimismBiasCapital: '5' },
      'optimismBiasCapital',
      'Equipment and development (the category for IT): the capital uplift must be between 10% and 200%',
    ],
    [
      'a blank figure the project type gives no bound for',
      { optimismBiasPreset: 'outsourcing', optimismBiasCapital: '', optimismBiasOperating: '' },
      'optimismBiasCapital',
      'Enter the optimism bias for capital lines, or 0: Outsourcing gives no capital figure',
    ],
    ['an unknown project type', { optimismBiasPreset: 'spaceships' }, 'optimismBiasPreset', 'Choose a project type from the list, or none'],
    ['a negative weight in the split', { splitCost: '-1' }, 'splitCost', 'The weight of cost must be 0 or more'],
    ['a split of nothing', { splitQuality: '0', splitCost: '0' }, 'splitQuality', 'Quality and cost cannot both weigh 0'],
    ['an unknown price formula', { priceFormula: 'cheapest' }, 'priceFormula', 'Choose how the price score is worked out'],
  ]

  for (const [what, fields, field, message] of refusals) {
    it(`refuses ${what} beside the field and writes nothing`, async () => {
      const t = await withEvaluation()
      const before = await storedSettings(t, t.id)
      const response = await postForm(t.app, t.path, settingsFields({ baseYear: '2030', ...fields }))
      expect(response.status).toBe(422)
      const html = await response.text()
      expect(html).toContain(`id="f-${field}-error"`)
      expect(pageText(html)).toContain(message)
      expect(html).toContain(`href="#f-${field}"`)
      expect(await storedSettings(t, t.id)).toEqual(before)
    })
  }

  it('starts optimism bias from the chosen project type’s upper bound, keeps a reduction within its bounds, and records the reasons', async () => {
    const t = await withEvaluation()
    const page = pageText(await (await t.app.request(t.path)).text())
    expect(page).toContain('Equipment and development (the category for IT): capital 10% to 200%')
    expect(page).toContain('Outsourcing: operating 0% to 41%')
    // blank capital takes the upper bound, 200%; operating, which the type gives no bound for, is as typed
    const fields = { optimismBiasPreset: 'equipment-development', optimismBiasCapital: '', optimismBiasOperating: '10' }
    expect((await postForm(t.app, t.path, settingsFields(fields))).status).toBe(303)
    expect((await storedSettings(t, t.id)).appraisal.optimismBias).toEqual({ capital: 2, operating: 0.1, preset: 'equipment-development' })
    const note = 'Reduced as the tendered prices are fixed and the products are live at comparable forces.'
    const reduced = { ...fields, optimismBiasCapital: '20', optimismBiasNote: note }
    expect((await postForm(t.app, t.path, settingsFields(reduced))).status).toBe(303)
    expect((await storedSettings(t, t.id)).appraisal.optimismBias).toEqual({ capital: 0.2, operating: 0.1, preset: 'equipment-development', note })
    const html = await (await t.app.request(t.path)).text()
    expect(html).toMatch(/<option value="equipment-development" selected/)
    // choosing none again drops the project type and the bounds
    expect((await postForm(t.app, t.path, settingsFields({ optimismBiasCapital: '5' }))).status).toBe(303)
    expect((await storedSettings(t, t.id)).appraisal.optimismBias).toEqual({ capital: 0.05, operating: 0 })
  })

  it('keeps what was typed when it refuses', async () => {
    const t = await withEvaluation()
    const html = await (await postForm(t.app, t.path, settingsFields({ years: 'ten', optimismBiasCapital: '35' }))).text()
    expect(html).toContain('name="years" type="text" value="ten"')
    expect(html).toContain('name="optimismBiasCapital" type="text" value="35"')
  })

  it('lets finance change the settings, and refuses an evaluator', async () => {
    const t = await withEvaluation()
    const finance = await t.clientWithRoles(t.id, ['finance'])
    expect((await postForm(finance, t.path, settingsFields({ years: '12' }))).status).toBe(303)
    expect((await storedSettings(t, t.id)).appraisal.years).toBe(12)
    const evaluator = await t.clientWithRoles(t.id, ['evaluator'])
    expect((await evaluator.request(t.path)).status).toBe(403)
    expect((await postForm(evaluator, t.path, settingsFields({ years: '5' }))).status).toBe(403)
    expect((await storedSettings(t, t.id)).appraisal.years).toBe(12)
  })
})
