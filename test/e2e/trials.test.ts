// A frontline trial's questionnaire (issue 24) filled in on a 390 px phone through a one-time code,
// with axe at zero violations, and the code refused the second time.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectAccessible, newContext, screenshot, signIn, startAppAndBrowser, visit, type RunningApp } from './harness.js'

let app: RunningApp
let browser: Browser
let stop = async (): Promise<void> => {}

beforeAll(async () => {
  ;({ app, browser, stop } = await startAppAndBrowser())
})

afterAll(() => stop())

describe('a trial questionnaire', () => {
  it('is answered once on a phone through a one-time code, and the code cannot be used again', async () => {
    const lead = app.demo.get('lead@demo.example')!
    const base = `/evaluations/${app.demoEvaluationId}`
    const leadContext = await newContext(browser, app)
    const page = await leadContext.newPage()
    await signIn(page, lead)
    // The lead takes the facilitator's role to run a session of the demo's trial.
    await visit(page, `${base}/panel`)
    await page.getByLabel('Their account’s email address').fill(lead.email)
    await page.getByLabel('Role').selectOption('facilitator')
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Give role' }).click()])
    await visit(page, `${base}/trials`)
    await page.getByLabel('Option the participant tries').selectOption({ label: 'Product B — cloud-native subscription' })
    await page.getByLabel('The participant’s role').selectOption('Detective')
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Start the session' }).click()])
    const code = (await page.locator('#started strong.code').textContent())!.trim()
    await leadContext.close()

    const phone = await newContext(browser, app, { width: 390 })
    const participant = await phone.newPage()
    await visit(participant, '/trial')
    await participant.getByLabel('Your one-time code').fill(code.toLowerCase())
    await Promise.all([participant.waitForURL(/\/trial\/[A-Z0-9]{10}$/), participant.getByRole('button', { name: 'Continue' }).click()])
    const text = (await participant.textContent('main')) ?? ''
    expect(text).toContain('What did you think of Product B')
    expect(text).not.toContain('Northmoor')
    await expectAccessible(participant, 'the trial questionnaire at 390 px')
    for (let i = 1; i <= 10; i++) await participant.locator(`label[for="answer-${i}-${i % 2 === 1 ? 4 : 2}"]`).click()
    const width = await participant.evaluate(
      () => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth,
    )
    expect(width, 'nothing scrolls sideways at 390 px').toBeLessThanOrEqual(390)
    await screenshot(participant, 'trial-questionnaire-390')
    await Promise.all([participant.waitForLoadState('load'), participant.getByRole('button', { name: 'Send my answers' }).click()])
    expect(await participant.textContent('main')).toContain('Your answers are saved')
    const again = await visit(participant, `/trial/${code}`)
    expect(again?.status()).toBe(410)
    expect(await participant.textContent('main')).toContain('This code has already been used')
    await expectAccessible(participant, 'a used code')
    await phone.close()
  }, 120_000)
})
