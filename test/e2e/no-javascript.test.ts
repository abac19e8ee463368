// The core forms with JavaScript switched off: signing in, scoring an answer, submitting, recording a
// consensus and adding a cost line all work as plain form posts (decision 0004), on a panel part-way
// through moderation and on the demo evaluation.
import type { Page, Request } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { declaredMember, importServed, servedFile, SMALL_CRITERIA } from '../served.js'
import { expectAccessibleWithoutJavaScript, inPage, newContext, settled, signIn, useAppAndBrowser, type Credentials } from './harness.js'

/** Every form post the browser sent, to show none came from htmx. */
const posts: Request[] = []

const running = useAppAndBrowser()

async function withoutJavaScript(who: Credentials): Promise<Page> {
  const context = await newContext(running.browser, running.app, { javaScriptEnabled: false })
  const page = await context.newPage()
  page.on('request', (request) => {
    if (request.method() === 'POST') posts.push(request)
  })
  await signIn(page, who)
  return page
}

/**
 * A panel of two on a small tree, with a moderation meeting recorded: Helen Marsh has submitted Kestrel
 * Records; Sam Whitfield has scored every answer of it and not submitted, and is three points from her
 * on Search.
 */
function panelBeforeModeration(location: string) {
  const helen = { crime: 3, search: 4, live: 1, sus: 3 }
  const sam = { crime: 2, search: 1, live: 1, sus: 3 }
  const because = (who: string) => `${who} read the written bid and watched the demonstration of this.`
  const file = servedFile({
    title: 'Case file system',
    criteria: SMALL_CRITERIA,
    options: [{ id: 'kestrel', name: 'Kestrel Records' }],
    evaluators: [declaredMember('helen-marsh', 'Helen Marsh', ['kestrel']), declaredMember('sam-whitfield', 'Sam Whitfield')],
    scores: Object.entries(helen).map(([criterion, score]) => ({ evaluator: 'helen-marsh', option: 'kestrel', criterion, score, rationale: because('Helen') })),
    meetings: [{ id: 'm1', date: '2026-11-19', chair: 'Demo lead', attendees: ['helen-marsh', 'sam-whitfield'], options: ['kestrel'] }],
  })
  const answers = Object.entries(sam).map(([criterion, score]) => ({
    evaluator: 'sam-whitfield',
    option: 'kestrel',
    criterion,
    score,
    rationale: because('Sam'),
  }))
  const members = { 'helen-marsh': 'helen-marsh@demo.example', 'sam-whitfield': 'sam-whitfield@demo.example' }
  return importServed(location, file, { lead: 'lead@demo.example', members }, answers)
}

describe('without JavaScript', () => {
  it('signs in, scores an answer, submits, records a consensus and adds a cost line with plain form posts', async () => {
    const served = await panelBeforeModeration(running.app.database)
    const evaluation = `/evaluations/${served.id}`

    // Signing in (the helper fills the form and presses the button: a plain post).
    const evaluator = await withoutJavaScript(running.app.demo.get('sam-whitfield@demo.example')!)
    expect(await evaluator.locator('html.js-enabled').count()).toBe(0)

    // Sam changes one answer and saves it.
    await evaluator.goto(`${evaluation}/scoring`)
    await evaluator.getByRole('link', { name: /^Kestrel Records/ }).click()
    // The first answer on the page (every one is scored, so the page opens on the first group).
    const answer = evaluator.locator('form.answer').first()
    const answerId = await answer.getAttribute('id')
    await answer.getByLabel('Rationale', { exact: true }).fill('')
    await answer.getByRole('button', { name: /^Save/ }).click()
    await settled(evaluator)
    // A bad answer comes back as the page, with an error summary at the top linking to the field.
    const summary = await inPage(evaluator, 'errorSummary')
    expect(summary?.role).toBe('alert')
    expect(summary?.links.map((l) => l.href)).toEqual([`#${answerId}-rationale`])
    await expectAccessibleWithoutJavaScript(evaluator, 'scoring with an error, no JavaScript')
    const form = evaluator.locator(`#${answerId}`)
    await form.locator('input[name="score"][value="4"]').check()
    await form.getByLabel('Rationale', { exact: true }).fill('Re-read after the reference call: the registrar confirmed the prompts work as shown on the day.')
    await form.getByRole('button', { name: /^Save/ }).click()
    await evaluator.waitForURL(new RegExp(`#${answerId}$`))
    expect(await form.getByRole('status').textContent()).toBe('Scored')
    expect(await form.locator('input[name="score"][value="4"]').isChecked()).toBe(true)

    // He submits, ticking the box that says it locks his scores.
    await evaluator.getByLabel('I have finished scoring Kestrel Records: lock my scores').check()
    await evaluator.getByRole('button', { name: 'Submit and lock scores for Kestrel Records' }).click()
    await evaluator.getByText('You submitted your scores for this option').waitFor()

    // The lead records a consensus on the disagreement, in the meeting recorded (the only one, so chosen).
    const lead = await withoutJavaScript(running.app.demo.get('lead@demo.example')!)
    await lead.goto(`${evaluation}/moderation`)
    const flagged = lead.locator('#moderation tbody tr').filter({ has: lead.locator('.tag--red') })
    await flagged.getByRole('link').click()
    const disagreement = lead
      .locator('section.moderation-row')
      .filter({ has: lead.locator('h3 .tag--red') })
      .filter({ hasNot: lead.locator('h3 .tag--green') })
    expect(await disagreement.count()).toBe(1)
    const rowId = await disagreement.getAttribute('id')
    expect(await disagreement.getByLabel('Agreed at the meeting of').inputValue()).not.toBe('')
    await disagreement.getByLabel(/^Consensus score/).fill('3')
    await disagreement
      .getByLabel('Consensus rationale')
      .fill('After discussion the panel agreed the evidence meets the standard with minor gaps that have dated plans.')
    await disagreement.getByRole('button', { name: /^Record consensus/ }).click()
    await lead.waitForURL(new RegExp(`#${rowId}$`))
    expect(await lead.locator(`#${rowId} h3`).textContent()).toContain('Moderated')
    expect(await lead.locator(`#${rowId}`).textContent()).toContain('Agreed at the meeting of 2026-11-19')

    // Finance adds a cost line to an option of the demo.
    const finance = await withoutJavaScript(running.app.demo.get('finance@demo.example')!)
    await finance.goto(`/evaluations/${running.app.demoEvaluationId}/costs`)
    await finance
      .getByRole('link', { name: /^Product A/ })
      .first()
      .click()
    const add = finance.locator('#add-cost')
    await add.locator('summary').click()
    await add.getByLabel('Label').fill('Independent assurance review')
    await add.getByLabel(/^Amount per year/).fill('£150,000')
    await add.getByLabel('First year').fill('2026')
    await add.getByRole('button', { name: 'Add a cost line' }).click()
    await finance.getByRole('rowheader', { name: /Independent assurance review/ }).waitFor()
    await expectAccessibleWithoutJavaScript(finance, 'an option’s costs, no JavaScript')

    // Every one of those was a plain form post, not an htmx request.
    expect(posts.length).toBeGreaterThanOrEqual(8)
    for (const post of posts) {
      expect(await post.headerValue('hx-request'), post.url()).toBeNull()
      expect(post.headers()['content-type']).toMatch(/^(application\/x-www-form-urlencoded|multipart\/form-data)/)
    }
  }, 120_000)
})
