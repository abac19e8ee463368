// A frontline trial (issue 24): the lead's and the facilitator's pages on a 390 px screen, reached
// with the keyboard, and the questionnaire filled in on a 390 px phone through a one-time code, with axe at zero violations, and the code refused the
// second time.
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { expectAccessible, focusOn, newContext, pressForNextPage, screenshot, signIn, tabTo, useAppAndBrowser, visit } from './harness.js'

const running = useAppAndBrowser()

/** Nothing on the page scrolls sideways at the phone's width. */
async function fitsTheScreen(page: Page, what: string): Promise<void> {
  const width = await page.evaluate(
    () => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth,
  )
  expect(width, `${what}: nothing scrolls sideways at 390 px`).toBeLessThanOrEqual(390)
}

describe('a frontline trial', () => {
  it('is set up by the lead and run by the facilitator on a 390 px screen, with the keyboard, each page accessible', async () => {
    const base = `/evaluations/${running.app.demoEvaluationId}/trials`
    const leadContext = await newContext(running.browser, running.app, { width: 390 })
    const lead = await leadContext.newPage()
    await signIn(lead, running.app.demo.get('lead@demo.example')!)
    await visit(lead, base)
    // The demo's figures, shown beside Usability and adoption.
    expect(await lead.textContent('main')).toContain('Product B — cloud-native subscription: SUS 83 (95% CI 77–90), above the commonly cited average of 68')
    expect(await lead.textContent('main')).toContain('Now: “Usability and adoption”.')
    await fitsTheScreen(lead, 'the lead’s trial page')
    await expectAccessible(lead, 'the lead’s trial page at 390 px')
    await screenshot(lead, 'trial-lead-390')
    // With Tab alone, through every control before it, to the code's lifetime (the last form): six hours.
    await tabTo(lead, focusOn.named('How long a one-time code lasts, in hours'))
    await lead.keyboard.type('6')
    await tabTo(lead, focusOn.named('Save roles, wording and code lifetime'))
    await pressForNextPage(lead, 'Enter')
    expect(await lead.inputValue('#f-codeHours')).toBe('6')
    await leadContext.close()

    const facilitatorContext = await newContext(running.browser, running.app, { width: 390 })
    const facilitator = await facilitatorContext.newPage()
    await signIn(facilitator, running.app.demo.get('facilitator@demo.example')!)
    await visit(facilitator, base)
    await fitsTheScreen(facilitator, 'the facilitator’s trial page')
    await tabTo(facilitator, focusOn.named('Option the participant tries'))
    await facilitator.getByLabel('Option the participant tries').selectOption({ label: 'Product A — established product on private hosting' })
    await tabTo(facilitator, focusOn.named('The participant’s role'))
    await facilitator.getByLabel('The participant’s role').selectOption('Custody sergeant')
    await tabTo(facilitator, focusOn.named('Start the session'))
    await pressForNextPage(facilitator, 'Enter')
    expect(await facilitator.textContent('#started')).toContain('valid for one questionnaire for 6 hours')
    await fitsTheScreen(facilitator, 'a session started')
    await expectAccessible(facilitator, 'the facilitator’s trial page with a session started, at 390 px')
    await tabTo(facilitator, focusOn.named('Record the task outcomes'))
    await pressForNextPage(facilitator, 'Enter')
    const task = facilitator.getByRole('group', { name: 'Find a nominal by a misspelt name' })
    await task.getByLabel('Outcome').selectOption('yes')
    await task.getByLabel('Time on task (seconds)').fill('75')
    await facilitator.getByLabel('What the participant said').fill('Found him on the second screen.')
    await fitsTheScreen(facilitator, 'a trial session')
    await expectAccessible(facilitator, 'a trial session at 390 px')
    await screenshot(facilitator, 'trial-session-390')
    await tabTo(facilitator, focusOn.named('Save the session'))
    await Promise.all([facilitator.waitForURL(new RegExp(`${base}$`)), facilitator.keyboard.press('Enter')])
    expect(await facilitator.textContent('main')).toContain('Custody sergeant')
    await facilitatorContext.close()
  }, 120_000)
})

describe('a trial questionnaire', () => {
  it('is answered once on a phone through a one-time code, and the code cannot be used again', async () => {
    const base = `/evaluations/${running.app.demoEvaluationId}`
    const facilitatorContext = await newContext(running.browser, running.app)
    const page = await facilitatorContext.newPage()
    await signIn(page, running.app.demo.get('facilitator@demo.example')!)
    await visit(page, `${base}/trials`)
    await page.getByLabel('Option the participant tries').selectOption({ label: 'Product B — cloud-native subscription' })
    await page.getByLabel('The participant’s role').selectOption('Detective')
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Start the session' }).click()])
    const code = (await page.locator('#started strong.code').textContent())!.trim()
    await facilitatorContext.close()

    const phone = await newContext(running.browser, running.app, { width: 390 })
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
