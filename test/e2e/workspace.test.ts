// The evaluator's workspace: an option scored a group at a time, the supplier's response beside a criterion, and an answer never lost: leaving it
// before it is saved warns, and a reload in the middle of a sentence finds it kept as a draft.
import { describe, expect, it } from 'vitest'
import { expectAccessible, scoringUnderWay, settled, useAppAndBrowser } from './harness.js'

const running = useAppAndBrowser()

describe('scoring an option', () => {
  it('goes group by group, warns before leaving an answer not yet saved, and keeps one typed before a reload as a draft', async () => {
    const { context, page } = await scoringUnderWay(running.browser, running.app)
    const groups = await page.locator('.group-contents li a').allTextContents()
    expect(groups.length).toBe(8)

    // From the first group to the last by "Next group", each page one group under its own heading.
    await page.locator('.group-contents li a').first().click()
    await settled(page)
    for (const [i, group] of groups.entries()) {
      expect(await page.locator('#group-title').textContent()).toContain(group)
      expect(await page.locator('.group-contents [aria-current="page"]').textContent()).toBe(group)
      if (i === 0) {
        // The supplier's response reads beside its criterion, folded to one line until opened.
        const response = page.locator('.supplier-response').first()
        await response.getByText('The supplier’s response').click()
        await response.getByText('Kestrel prompts the recording decision').waitFor()
        // The first answer's evidence points at the bid's page 14, beside its free text.
        const answer = page.locator('form.answer').first()
        expect(await answer.getByLabel('In the document').inputValue()).not.toBe('')
        expect(await answer.getByLabel('Page', { exact: true }).inputValue()).toBe('14')
        await expectAccessible(page, 'scoring one group')
      }
      if (i < groups.length - 1) {
        await page.getByRole('link', { name: /^Next group/ }).click()
        await settled(page)
      }
    }
    await expect(page.getByRole('link', { name: /^Next group/ }).count()).resolves.toBe(0)

    // Half a sentence, no score change and no field left: it is kept as typed, and the reload finds it.
    // Leaving while it is not yet saved (its save held at the network here) warns, and the person stays.
    const answer = page.locator('form.answer').first()
    const rationale = answer.getByLabel('Rationale', { exact: true })
    const half = 'Re-read after the reference call, and the reg'
    let release: () => void = () => {}
    const held = new Promise<void>((resolve) => (release = resolve))
    const saves = `**${await answer.getAttribute('action')}`
    await page.route(saves, async (route) => {
      await held
      await route.continue()
    })
    await rationale.fill(half)
    const warning = page.waitForEvent('dialog')
    // The click ends only once the warning is answered.
    const leaving = page.getByRole('link', { name: /^Previous group/ }).click()
    const dialog = await warning
    expect(dialog.type()).toBe('beforeunload')
    await dialog.dismiss()
    await leaving
    expect(await page.locator('#group-title').textContent()).toContain(groups.at(-1))
    const kept = page.waitForResponse(
      (response) => response.request().method() === 'POST' && new URLSearchParams(response.request().postData() ?? '').get('rationale') === half,
    )
    release()
    expect((await kept).status()).toBe(200)
    await page.unroute(saves)
    const status = answer.getByRole('status')
    await status.filter({ hasText: /^Draft saved at/ }).waitFor()
    expect(await status.getAttribute('class')).not.toContain('scored')
    // The document and page the evidence is in are kept as they are chosen, and the answer names them.
    const pageKept = page.waitForResponse(
      (response) => response.request().method() === 'POST' && new URLSearchParams(response.request().postData() ?? '').get('evidencePage') === '7',
    )
    await answer.getByLabel('In the document').selectOption({ label: 'Kestrel bid volume 2.pdf' })
    await answer.getByLabel('Page', { exact: true }).fill('7')
    expect((await pageKept).status()).toBe(200)
    await answer.locator('.answer__evidence-link').filter({ hasText: 'Kestrel bid volume 2.pdf, page 7' }).waitFor()
    await page.reload()
    await settled(page)
    expect(await page.locator('form.answer').first().getByLabel('Rationale', { exact: true }).inputValue()).toBe(half)
    expect(await page.locator('form.answer').first().getByLabel('Page', { exact: true }).inputValue()).toBe('7')
    await expectAccessible(page, 'scoring with a draft')
    await context.close()
  }, 120_000)
})
