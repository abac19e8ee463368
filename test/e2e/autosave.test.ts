// Typing while an answer is being saved: what the person types in that moment is kept and saved,
// never overwritten by the form the save sends back. The save is held at the network while they type.
import type { Route } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { answerSent, expectFocusOn, scoringUnderWay, settled, useAppAndBrowser } from './harness.js'

const running = useAppAndBrowser()

describe('an answer saved while the person is still typing', () => {
  it('keeps what they typed meanwhile, and saves it', async () => {
    const { context, page } = await scoringUnderWay(running.browser, running.app)
    // The answer he has scored.
    const answerId = (await page
      .locator('form.answer')
      .filter({ has: page.locator('input[name="score"]:checked') })
      .first()
      .getAttribute('id'))!
    const form = page.locator(`#${answerId}`)
    const rationale = form.getByLabel('Rationale', { exact: true })

    // A rationale too short, sent with Save: the form comes back showing its error.
    // (Leaving the field for the button saves it as a draft first; the Save press comes after.)
    await rationale.fill('Too short')
    const refused = page.waitForResponse(
      (response) => response.request().method() === 'POST' && new URLSearchParams(response.request().postData() ?? '').get('save') === '1',
    )
    await form.getByRole('button', { name: /^Save/ }).click()
    expect((await refused).status()).toBe(422)
    await settled(page)
    await form.locator('.form-group--error').waitFor()

    // The corrected rationale autosaves as the person leaves it; the server holds that save while
    // they go back and add a sentence.
    let release: () => void = () => {}
    const held = new Promise<void>((resolve) => (release = resolve))
    let holding = true
    const saves = `**/scoring/*/${answerId.replace(/^answer-/, '')}`
    await page.route(saves, async (route: Route) => {
      if (holding) {
        holding = false
        await held
      }
      await route.continue()
    })
    const first = 'Checked against the reference site’s figures: the prompts match what was shown on the day.'
    const more = ' The registrar confirmed it on the call.'
    const firstSave = answerSent(page, answerId)
    await rationale.fill(first)
    await rationale.press('Tab')
    await rationale.click()
    await rationale.press('End')
    await rationale.pressSequentially(more)
    const secondSave = page.waitForResponse(
      (response) => response.request().method() === 'POST' && decodeURIComponent(response.request().postData() ?? '').includes(first + more),
    )
    release()
    expect((await firstSave).status()).toBe(200)

    // The text typed during the save is still there, and is saved in its turn.
    expect((await secondSave).status()).toBe(200)
    await settled(page)
    expect(await rationale.inputValue()).toBe(first + more)
    // The person is still where they were typing, and what they type next goes on the end.
    await expectFocusOn(page, `${answerId}-rationale`)
    await page.keyboard.type(' Noted.')
    expect(await rationale.inputValue()).toBe(`${first}${more} Noted.`)
    await rationale.fill(first + more)
    await page.unroute(saves)
    await page.reload()
    expect(await page.locator(`#${answerId}`).getByLabel('Rationale', { exact: true }).inputValue()).toBe(first + more)
    await context.close()
  }, 120_000)
})
