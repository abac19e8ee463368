// The journey with the keyboard alone: signing in, starting an evaluation, scoring answers, submitting
// them and recording a consensus, moving with Tab and acting with Space, Enter, typing and (inside a radio
// group, as in every browser) the arrow keys. Every focus stop must show where the focus is, and
// every error must be announced in an error summary that takes the focus and links to the field.
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import {
  answerSent,
  expectAccessible,
  expectFocusOn,
  focusOn,
  inPage,
  newContext,
  pressForNextPage,
  scoreAnswer,
  settled,
  useAppAndBrowser,
  tabTo,
  visit,
} from './harness.js'

const running = useAppAndBrowser()

/** The error summary must be announced (role="alert"), hold the focus, and link to fields that exist. */
async function expectErrorSummary(page: Page, messages: string[]): Promise<void> {
  const summary = await inPage(page, 'errorSummary')
  expect(summary, 'an error summary').not.toBeNull()
  expect(summary!.role).toBe('alert')
  expect(summary!.focused, 'the error summary has the focus').toBe(true)
  expect(summary!.links.map((l) => l.text)).toEqual(messages)
  for (const link of summary!.links) expect(link.targetExists, `${link.href} is on the page`).toBe(true)
}

async function keyboardSignIn(page: Page, email: string, password: string): Promise<void> {
  await visit(page, '/sign-in')
  await tabTo(page, focusOn.named('Email address'))
  await page.keyboard.type(email)
  await tabTo(page, focusOn.named('Password'))
  await page.keyboard.type(password)
  await pressForNextPage(page, 'Enter')
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'))
}

describe('with the keyboard alone', () => {
  it('signs in, starts an evaluation, scores and submits an option, and records a consensus', async () => {
    const context = await newContext(running.browser, running.app)
    const lead = await context.newPage()
    const leadAccount = running.app.demo.get('lead@demo.example')!

    // Signing in with nothing typed: the summary is announced, takes the focus and links to each field.
    await visit(lead, '/sign-in')
    await tabTo(lead, focusOn.named('Sign in'))
    await pressForNextPage(lead, 'Enter')
    await expectErrorSummary(lead, ['Enter your email address', 'Enter your password'])
    await expectAccessible(lead, 'sign-in with errors')
    await tabTo(lead, focusOn.named('Enter your email address'))
    await lead.keyboard.press('Enter')
    await expectFocusOn(lead, 'f-email', 'the summary’s link takes the focus to the field')
    await lead.keyboard.type(leadAccount.email)
    await tabTo(lead, focusOn.named('Password'))
    await lead.keyboard.type(leadAccount.password)
    await pressForNextPage(lead, 'Enter')
    await lead.waitForURL('**/evaluations')

    // Starting an evaluation: first without a title, then from the police template.
    await tabTo(lead, focusOn.named('Start a new evaluation'))
    await pressForNextPage(lead, 'Enter')
    await lead.waitForURL('**/evaluations/new')
    await tabTo(lead, focusOn.named('Create evaluation'))
    await pressForNextPage(lead, 'Enter')
    await expectErrorSummary(lead, ['Enter a title for the evaluation'])
    await expectAccessible(lead, 'new evaluation with errors')
    await tabTo(lead, focusOn.named('Enter a title for the evaluation'))
    await lead.keyboard.press('Enter')
    await expectFocusOn(lead, 'f-title')
    await lead.keyboard.type('Case file system')
    await tabTo(lead, focusOn.id('f-template'))
    // One letter picks the only template starting with it. (Typed whole, the word would depend on
    // each key coming within a second of the last, or the list starts its search again.)
    await lead.keyboard.press('p')
    expect(await lead.locator('#f-template option:checked').textContent()).toBe('Police records management system')
    await tabTo(lead, focusOn.named('Create evaluation'))
    await pressForNextPage(lead, 'Enter')
    await lead.getByRole('heading', { level: 1, name: 'Case file system' }).waitFor()
    const evaluationUrl = new URL(lead.url()).pathname
    expect(await lead.getByText('47 scored criteria, 7 gates').count()).toBe(1)

    // Set-up that is not under test here: an option, an evaluator, and the plan approved.
    await visit(lead, `${evaluationUrl}/options`)
    await lead.getByLabel('Name', { exact: true }).fill('Kestrel Records')
    await lead.getByRole('button', { name: 'Add option' }).click()
    await lead.getByRole('link', { name: 'Kestrel Records', exact: true }).waitFor()
    await visit(lead, `${evaluationUrl}/panel`)
    await lead.getByLabel('Their account’s email address').fill('helen-marsh@demo.example')
    await lead.getByLabel('Role').selectOption('evaluator')
    await lead.getByRole('button', { name: 'Give role' }).click()
    await lead.getByRole('rowheader', { name: /Helen Marsh/ }).waitFor()
    await visit(lead, `${evaluationUrl}/plan`)
    await lead.getByRole('button', { name: 'Approve the plan' }).click()
    await lead.getByRole('status').filter({ hasText: 'Approved on' }).waitFor()

    // The evaluator declares no interest and scores the first answer.
    const evaluatorContext = await newContext(running.browser, running.app)
    const evaluator = await evaluatorContext.newPage()
    const helen = running.app.demo.get('helen-marsh@demo.example')!
    await keyboardSignIn(evaluator, helen.email, helen.password)
    await visit(evaluator, evaluationUrl)
    await tabTo(evaluator, focusOn.named('Your scoring'))
    await pressForNextPage(evaluator, 'Enter')
    await tabTo(evaluator, focusOn.named('I have no interest to declare'))
    await evaluator.keyboard.press('Space')
    await tabTo(evaluator, focusOn.named('Make declaration'))
    await pressForNextPage(evaluator, 'Enter')
    // Set-up again: the lead keeps the test short by giving her one group of four to score.
    await visit(lead, `${evaluationUrl}/panel`)
    const helenRow = lead
      .getByRole('row')
      .filter({ has: lead.getByRole('rowheader', { name: /Helen Marsh/ }) })
      .filter({ has: lead.getByRole('checkbox') })
    await helenRow.getByLabel('Commercial terms').check()
    await Promise.all([lead.waitForLoadState('load'), helenRow.getByRole('button', { name: 'Save criteria for Helen Marsh' }).click()])
    await tabTo(evaluator, focusOn.named('Kestrel Records'))
    await pressForNextPage(evaluator, 'Enter')
    await evaluator.getByRole('heading', { level: 1, name: 'Kestrel Records' }).waitFor()
    const firstScore = await tabTo(evaluator, focusOn.type('radio'))
    const answerId = firstScore.id.replace(/-score-\d+$/, '')
    for (let i = 0; i < 3; i++) await evaluator.keyboard.press('ArrowRight')
    expect((await inPage(evaluator, 'focused'))?.id).toBe(`${answerId}-score-3`)
    await tabTo(evaluator, focusOn.id(`${answerId}-rationale`))
    await evaluator.keyboard.type('The demonstration showed classification prompts at the point of recording, and the registrar confirmed it.')
    // Leaving the rationale saves the answer; the focus stays where the person put it.
    const autosaved = answerSent(evaluator, answerId)
    await tabTo(evaluator, focusOn.id(`${answerId}-evidence`))
    expect((await autosaved).status()).toBe(200)
    await evaluator
      .locator(`#${answerId}`)
      .getByRole('status')
      .filter({ hasText: /^Scored, saved at/ })
      .waitFor()
    await settled(evaluator)
    expect((await inPage(evaluator, 'focused'))?.id).toBe(`${answerId}-evidence`)
    expect(await evaluator.locator(`#${answerId}-score-3`).isChecked()).toBe(true)
    await expectAccessible(evaluator, 'scoring, saved by keyboard')

    // Saving the next answer with a score but no rationale: the problem is announced in a summary
    // at the top of that answer, which takes the focus and links to the rationale.
    const nextScore = await tabTo(evaluator, (f) => f.type === 'radio' && !f.id.startsWith(`${answerId}-`))
    const nextAnswerId = nextScore.id.replace(/-score-\d+$/, '')
    // Choosing the score keeps it as a draft at once; that save is awaited, so as not to be taken for the Save below.
    const drafted = answerSent(evaluator, nextAnswerId)
    await evaluator.keyboard.press('Space')
    expect((await drafted).status()).toBe(200)
    expect(await evaluator.locator(`#${nextAnswerId}-score-0`).isChecked()).toBe(true)
    await tabTo(evaluator, (f) => f.tag === 'button' && f.name.startsWith('Save'))
    const refused = answerSent(evaluator, nextAnswerId)
    await evaluator.keyboard.press('Enter')
    expect((await refused).status()).toBe(422)
    await evaluator.locator(`#${nextAnswerId} .error-summary`).waitFor()
    await settled(evaluator)
    await expectErrorSummary(evaluator, [expect.stringContaining('Give a rationale') as unknown as string])
    await tabTo(evaluator, (f) => f.name.includes('Give a rationale'))
    await evaluator.keyboard.press('Enter')
    await expectFocusOn(evaluator, `${nextAnswerId}-rationale`)
    expect(await evaluator.locator(`#${nextAnswerId}-score-0`).isChecked(), 'the score chosen is kept').toBe(true)
    await expectAccessible(evaluator, 'scoring, an answer with an error')
    // Corrected, the answer is saved on leaving the rationale; it comes back without its errors, and
    // the focus goes on to the Save button as the person tabs there.
    await evaluator.keyboard.type('No evidence was offered for this at the demonstration or in the written bid.')
    const corrected = answerSent(evaluator, nextAnswerId)
    await tabTo(evaluator, (f) => f.tag === 'button' && f.name.startsWith('Save'))
    expect((await corrected).status()).toBe(200)
    await settled(evaluator)
    expect(await evaluator.locator(`#${nextAnswerId} .error-summary`).count(), 'the corrected answer shows no errors').toBe(0)
    expect((await inPage(evaluator, 'focused'))?.id).toBe(`${nextAnswerId}-save`)
    // Saved with the button, the answer says so, and the focus stays on the button.
    const resaved = answerSent(evaluator, nextAnswerId)
    await evaluator.keyboard.press('Enter')
    expect((await resaved).status()).toBe(200)
    await settled(evaluator)
    await evaluator
      .locator(`#${nextAnswerId}`)
      .getByRole('status')
      .filter({ hasText: /^Scored, saved at/ })
      .waitFor()
    expect(await evaluator.locator(`#${nextAnswerId} .error-summary`).count(), 'the answer shows no errors').toBe(0)
    expect((await inPage(evaluator, 'focused'))?.id).toBe(`${nextAnswerId}-save`)

    // Set-up: the group's other two answers, with the mouse.
    await scoreAnswer(evaluator, 'Commercial flexibility', 3, 'The bid offers to add and remove modules at the list price, year by year.')
    await scoreAnswer(evaluator, 'Support service and service credits', 2, 'Service credits are capped at 5% of the monthly charge, which is low.')

    // Submitting without ticking the box that says it locks the scores: announced, and linked to the box.
    await tabTo(evaluator, (f) => f.tag === 'button' && f.name.startsWith('Submit and lock scores'))
    await pressForNextPage(evaluator, 'Enter')
    await expectErrorSummary(evaluator, ['Tick the box to confirm you have finished: submitting locks your scores for Kestrel Records'])
    await tabTo(evaluator, (f) => f.name.startsWith('Tick the box'))
    await evaluator.keyboard.press('Enter')
    await expectFocusOn(evaluator, 'f-confirm')
    await evaluator.keyboard.press('Space')
    await tabTo(evaluator, (f) => f.tag === 'button' && f.name.startsWith('Submit and lock scores'))
    await pressForNextPage(evaluator, 'Enter')
    await evaluator.getByText('You submitted your scores for this option').waitFor()

    // Set-up: the lead declares no interest (asked of everyone once the plan is approved) and records
    // the moderation meeting, with the mouse.
    await visit(lead, `${evaluationUrl}/declaration`)
    await lead.getByLabel('I have no interest to declare').check()
    await lead.getByRole('button', { name: 'Make declaration' }).click()
    await lead.waitForURL((url) => !url.pathname.endsWith('/declaration'))
    await visit(lead, `${evaluationUrl}/moderation`)
    const meetingForm = lead.locator('form.meeting-form')
    await meetingForm.getByLabel('Date (YYYY-MM-DD)').fill('2026-11-19')
    await meetingForm.getByLabel('Chair').fill('Demo lead')
    await meetingForm.getByLabel('Helen Marsh', { exact: true }).check()
    await meetingForm.getByLabel('Kestrel Records', { exact: true }).check()
    await meetingForm.getByRole('button', { name: 'Record meeting' }).click()
    await lead.getByRole('rowheader', { name: '2026-11-19' }).waitFor()

    // The lead records a consensus on the first criterion Helen scored, in that meeting (the only one,
    // so already chosen). The option's page opens on the first group; Commercial terms is reached from its contents.
    await visit(lead, (await lead.locator('#moderation').getByRole('link', { name: 'Kestrel Records' }).getAttribute('href'))!)
    await lead.getByRole('heading', { level: 1, name: 'Moderate Kestrel Records' }).waitFor()
    await tabTo(lead, (f) => f.tag === 'a' && f.name === 'Commercial terms')
    await pressForNextPage(lead, 'Enter')
    const criterionId = answerId.replace('answer-', '')
    const row = `moderate-${criterionId}`
    expect(await lead.locator(`#${row}-meeting option:checked`).textContent()).toBe('2026-11-19, chaired by Demo lead')
    // Recorded without a rationale, the error is announced and linked.
    await tabTo(lead, focusOn.id(`${row}-rationale`), { max: 120 })
    await tabTo(lead, (f) => f.tag === 'button' && f.name.startsWith('Record consensus'))
    await pressForNextPage(lead, 'Enter')
    await expectErrorSummary(lead, [expect.stringContaining('Give a rationale') as unknown as string])
    await expectAccessible(lead, 'moderation with an error')
    await tabTo(lead, (f) => f.name.includes('Give a rationale'))
    await lead.keyboard.press('Enter')
    await expectFocusOn(lead, `${row}-rationale`)
    await lead.keyboard.type('The panel agreed the classification prompts meet the standard, as the registrar confirmed on the day.')
    await tabTo(lead, (f) => f.tag === 'button' && f.name.startsWith('Record consensus'))
    await pressForNextPage(lead, 'Enter')
    await lead.waitForURL(new RegExp(`#${row}$`))
    expect(await lead.locator(`#${row} h3`).textContent()).toContain('Moderated')
    expect(await lead.locator(`#${row}`).textContent()).toContain('Agreed at the meeting of 2026-11-19')

    await evaluatorContext.close()
    await context.close()
  }, 120_000)
})
