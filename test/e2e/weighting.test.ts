// A weighting round (issue 25) completed by a stakeholder with the keyboard alone, on a 390 px
// screen with JavaScript switched off: every pair compared from its list, the comparisons saved, and
// the person's weights and consistency shown. The lead sets the round up first, in an ordinary browser.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  expectAccessible,
  expectAccessibleWithoutJavaScript,
  focusOn,
  newContext,
  pressForNextPage,
  screenshot,
  signIn,
  useAppAndBrowser,
  tabTo,
  visit,
} from './harness.js'

const running = useAppAndBrowser()

/** The small fixture before scoring, its top level the methodology's three criteria. */
function plannedFile(): string {
  const file = JSON.parse(readFileSync(new URL('../fixtures/small-evaluation.json', import.meta.url), 'utf8'))
  file.title = 'Weights before tenders'
  file.criteria = [
    { id: 'security', name: 'Security', weight: 1, guidance: 'Accreditation and penetration tests' },
    { id: 'cost-control', name: 'Cost control', weight: 1 },
    { id: 'supplier', name: 'Supplier', weight: 1 },
  ]
  file.evaluators = []
  file.scores = []
  file.consensus = []
  delete file.meetings
  return JSON.stringify(file)
}

describe('a weighting round', () => {
  it('is completed by a stakeholder with the keyboard alone, without JavaScript, at 390 px', async () => {
    const stakeholder = running.app.demo.get('observer@demo.example')!
    const leadContext = await newContext(running.browser, running.app)
    const lead = await leadContext.newPage()
    await signIn(lead, running.app.demo.get('lead@demo.example')!)
    await visit(lead, '/evaluations/import')
    await lead.locator('#f-file').setInputFiles({ name: 'planned.json', mimeType: 'application/json', buffer: Buffer.from(plannedFile()) })
    await Promise.all([lead.waitForURL(/\/evaluations\/\d+$/), lead.getByRole('button', { name: 'Import' }).click()])
    const base = new URL(lead.url()).pathname
    await visit(lead, `${base}/panel`)
    await lead.getByLabel('Their account’s email address').fill(stakeholder.email)
    await lead.getByLabel('Role').selectOption('stakeholder')
    await Promise.all([lead.waitForLoadState('load'), lead.getByRole('button', { name: 'Give role' }).click()])
    await visit(lead, `${base}/weighting`)
    await lead.getByLabel('Criteria to compare').selectOption('')
    await Promise.all([lead.waitForURL(/\/weighting$/), lead.getByRole('button', { name: 'Set up the round' }).click()])
    await Promise.all([lead.waitForURL(/\/weighting\/\d+$/), lead.getByRole('link', { name: 'Top level' }).click()])
    const round = new URL(lead.url()).pathname
    await lead.getByLabel('Email address of their account').fill(stakeholder.email)
    await Promise.all([lead.waitForURL(round), lead.getByRole('button', { name: 'Invite' }).click()])
    await leadContext.close()

    const context = await newContext(running.browser, running.app, { javaScriptEnabled: false, width: 390 })
    const page = await context.newPage()
    await signIn(page, stakeholder)
    await visit(page, round)
    expect(await page.textContent('main')).toContain('Accreditation and penetration tests')
    // Each pair's list takes the focus from Tab; the arrow keys move along the scale without opening it.
    // From "Not answered yet", one step down is 9 for the first criterion: 9 − k steps give k.
    const answers: [string, number][] = [
      ['1. Security or Cost control?', 7], // Security 3
      ['2. Security or Supplier?', 5], // Security 5
      ['3. Cost control or Supplier?', 7], // Cost control 3
    ]
    for (const [label, steps] of answers) {
      await tabTo(page, focusOn.named(label))
      for (let i = 0; i < steps; i++) await page.keyboard.press('ArrowDown')
    }
    expect(await page.locator('select').evaluateAll((lists) => lists.map((list) => (list as unknown as { value: string }).value))).toEqual(['3', '5', '3'])
    await tabTo(page, focusOn.named('Save my comparisons'))
    await pressForNextPage(page, 'Enter')
    const text = (await page.textContent('main')) ?? ''
    expect(text).toMatch(/Security\s*63\.7%\s*Cost control\s*25\.8%\s*Supplier\s*10\.5%/)
    expect(text).toContain('consistency ratio 0.033')
    const width = await page.evaluate(
      () => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth,
    )
    expect(width, 'nothing scrolls sideways at 390 px').toBeLessThanOrEqual(390)
    await screenshot(page, 'weighting-round-390')
    await expectAccessibleWithoutJavaScript(page, 'a weighting round at 390 px')
    await context.close()

    const leadAgain = await (await newContext(running.browser, running.app)).newPage()
    await signIn(leadAgain, running.app.demo.get('lead@demo.example')!)
    await visit(leadAgain, round)
    await expectAccessible(leadAgain, 'the lead’s view of a round, with its chart')
    await leadAgain.context().close()
  }, 120_000)
})
