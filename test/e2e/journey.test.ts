// The whole panel journey in a real browser, as the people on a panel use it: accounts, an
// evaluation from the police template, blind scoring, moderation, costs, results, sensitivity and
// the report. axe-core checks every page on the way against WCAG 2.2 A and AA. The lead signs in
// through the organisation's identity provider (a real OpenID provider on a loopback port).
import { readFile } from 'node:fs/promises'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import { expectAccessible, inPage, newContext, pdfText, scoreAnswer, settled, signIn, useAppAndBrowser, visit, type Credentials } from './harness.js'
import { startProvider, type TestProvider } from '../auth/oidc-provider.js'
import { freePort } from '../loopback.js'

let provider: TestProvider | undefined
const contexts: BrowserContext[] = []

// The app's address is known before it starts, so the provider can send people back to it.
const running = useAppAndBrowser(async () => {
  const port = await freePort()
  const redirect = `http://127.0.0.1:${port}/sign-in/sso/callback`
  provider = await startProvider([redirect])
  const env = {
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: provider.clientId,
    OIDC_CLIENT_SECRET: provider.clientSecret,
    OIDC_REDIRECT_URL: redirect,
    OIDC_NAME: 'Eastmarch Police',
  }
  return { port, env }
})

afterAll(() => provider?.close())

/** A person at their own browser, signed in through the identity provider as `subject`. */
async function personThroughSso(subject: string): Promise<Page> {
  const context = await newContext(running.browser, running.app)
  contexts.push(context)
  const page = await context.newPage()
  await page.goto('/sign-in')
  await page.getByRole('link', { name: 'Sign in with Eastmarch Police' }).click()
  // The provider's own sign-in page.
  await page.locator('input[name="login"]').fill(subject)
  await page.locator('input[name="password"]').fill('any password: the test provider signs in whoever is named')
  await page.locator('button[type="submit"]').click()
  await page.waitForURL((url) => url.origin === running.app.url && !url.pathname.startsWith('/sign-in'))
  await settled(page)
  return page
}

/** A person at their own browser: their own cookies, signed in. */
async function personAt(who: Credentials): Promise<Page> {
  const context = await newContext(running.browser, running.app)
  contexts.push(context)
  const page = await context.newPage()
  await signIn(page, who)
  return page
}

const people = {
  lead: { name: 'Priya Lead', email: 'priya.lead@force.example' },
  evaluatorA: { name: 'Owen Evans', email: 'owen.evans@force.example' },
  evaluatorB: { name: 'Ruth Ellis', email: 'ruth.ellis@force.example' },
  finance: { name: 'Femi Finch', email: 'femi.finch@force.example' },
}

const options = [
  { name: 'Keep the current system', baseline: true },
  { name: 'Falcon Records', supplier: 'Falcon Software Ltd' },
  { name: 'Heron Cloud', supplier: 'Heron Systems plc' },
]

/** The smallest group of the police template: each evaluator is given just this to score. */
const group = 'Commercial terms'
/** The police template's groups, which hold all its criteria and gates. */
const templateGroups = [
  'Functional fit',
  'Information management and law',
  'Security',
  'Usability and adoption',
  'Performance, resilience and integration',
  'Implementation and data migration',
  'Supplier',
  'Commercial terms',
]
const criteria = ['Contract terms', 'Price transparency', 'Commercial flexibility', 'Support service and service credits']

/** Each evaluator's scores on the group, by option; Ruth and Owen disagree on Falcon's contract terms. */
const scores: Record<'evaluatorA' | 'evaluatorB', Record<string, number[]>> = {
  evaluatorA: { 'Keep the current system': [2, 2, 1, 2], 'Falcon Records': [1, 3, 3, 3], 'Heron Cloud': [4, 4, 5, 4] },
  evaluatorB: { 'Keep the current system': [2, 1, 1, 2], 'Falcon Records': [4, 3, 3, 2], 'Heron Cloud': [4, 5, 4, 4] },
}

function rationale(who: string, option: string, criterion: string): string {
  return `${who} on ${option}, ${criterion}: the bid, the demonstration and the reference site calls agree.`
}

describe('the panel journey', () => {
  it('takes an evaluation from new accounts to the report, every page accessible', async () => {
    // A signed-out visitor is sent to sign in, and comes back to the page afterwards.
    const visitorContext = await newContext(running.browser, running.app)
    contexts.push(visitorContext)
    const visitor = await visitorContext.newPage()
    await visitor.goto(`/evaluations/${running.app.demoEvaluationId}/results`)
    expect(new URL(visitor.url()).pathname).toBe('/sign-in')
    expect(new URL(visitor.url()).searchParams.get('next')).toBe(`/evaluations/${running.app.demoEvaluationId}/results`)
    await expectAccessible(visitor, 'sign-in')
    await visitor.getByLabel('Email address').fill('lead@demo.example')
    await visitor.getByLabel('Password').fill(running.app.demo.get('lead@demo.example')!.password)
    await visitor.getByRole('button', { name: 'Sign in' }).click()
    await visitor.getByRole('heading', { level: 1, name: 'Results' }).waitFor()
    expect(new URL(visitor.url()).pathname).toBe(`/evaluations/${running.app.demoEvaluationId}/results`)

    // The administrator creates an account for each person; each password is shown once.
    const admin = await personAt(running.app.administrator)
    await admin.getByRole('link', { name: 'Accounts' }).click()
    await expectAccessible(admin, 'accounts')
    const passwords = new Map<string, string>()
    for (const person of Object.values(people)) {
      await admin.getByLabel('Email address').fill(person.email)
      await admin.getByLabel('Name', { exact: true }).fill(person.name)
      await admin.getByRole('button', { name: 'Add account' }).click()
      const notice = admin.getByRole('status').filter({ hasText: person.email })
      passwords.set(person.email, (await notice.locator('code.password').textContent())!.trim())
    }
    await expectAccessible(admin, 'accounts with a new password shown')
    const credentials = (who: keyof typeof people): Credentials => ({ email: people[who].email, password: passwords.get(people[who].email)! })

    // The lead signs in with the force's identity provider, which has verified her email address,
    // and starts an evaluation from the police template and adds the options.
    provider!.people.set('priya', { email: people.lead.email, email_verified: true, name: people.lead.name })
    const lead = await personThroughSso('priya')
    await expectAccessible(lead, 'evaluations')
    await lead.getByRole('link', { name: 'Start a new evaluation' }).click()
    await expectAccessible(lead, 'new evaluation')
    await lead.getByLabel('Title').fill('Replacement records system')
    await lead.getByLabel('Organisation (optional)').fill('Eastmarch Constabulary')
    await lead.getByLabel('Criteria').selectOption({ label: 'Police records management system' })
    await lead.getByRole('button', { name: 'Create evaluation' }).click()
    await lead.getByRole('heading', { level: 1, name: 'Replacement records system' }).waitFor()
    const evaluationUrl = new URL(lead.url()).pathname
    await expectAccessible(lead, 'evaluation overview')

    // For a short test the lead keeps one group of the template: every criterion left is then scored
    // and moderated, so the evaluation can be finalised at the end.
    await lead.getByRole('link', { name: 'Criteria and weights' }).click()
    await settled(lead)
    lead.on('dialog', (dialog) => void dialog.accept())
    for (const other of templateGroups.filter((name) => name !== group)) {
      await lead.getByRole('link', { name: `Delete ${other}`, exact: true }).click()
      await lead.getByRole('link', { name: `Delete ${other}`, exact: true }).waitFor({ state: 'detached' })
      await settled(lead)
    }
    await expectAccessible(lead, 'criteria and weights')
    await lead.goto(evaluationUrl)

    // Business as usual goes in while the plan is a draft; the page says tenders wait for its approval.
    await lead.getByRole('link', { name: 'Options', exact: true }).click()
    await lead.getByRole('status').filter({ hasText: 'Tenders open once the lead approves the evaluation plan' }).waitFor()
    const addOption = async (option: (typeof options)[number]) => {
      await lead.getByLabel('Name', { exact: true }).fill(option.name)
      if (option.supplier !== undefined) await lead.getByLabel('Supplier (optional)').fill(option.supplier)
      await lead.getByLabel(option.baseline === true ? 'Business as usual (the baseline)' : 'A tender', { exact: true }).check()
      await lead.getByRole('button', { name: 'Add option' }).click()
      await lead.getByRole('link', { name: option.name, exact: true }).waitFor()
    }
    for (const option of options.filter((o) => o.baseline === true)) await addOption(option)
    await expectAccessible(lead, 'options')

    // …and gives two evaluators and finance their roles.
    await lead.goto(evaluationUrl)
    await lead.getByRole('link', { name: 'Panel and roles' }).click()
    await expectAccessible(lead, 'panel and roles')
    for (const [who, role] of [
      ['evaluatorA', 'evaluator'],
      ['evaluatorB', 'evaluator'],
      ['finance', 'finance'],
    ] as const) {
      await lead.getByLabel('Their account’s email address').fill(people[who].email)
      await lead.getByLabel('Role').selectOption(role)
      await lead.getByRole('button', { name: 'Give role' }).click()
      await lead.getByRole('rowheader', { name: people[who].name }).waitFor()
    }

    // The lead approves the plan: declarations and scoring open only then.
    await lead.goto(evaluationUrl)
    await lead.getByRole('link', { name: 'Evaluation plan (draft, not approved)' }).click()
    await lead.getByRole('heading', { level: 1, name: 'Evaluation plan' }).waitFor()
    await expectAccessible(lead, 'evaluation plan, draft')
    await lead.getByRole('button', { name: 'Approve the plan' }).click()
    await lead.getByRole('status').filter({ hasText: 'Approved on' }).waitFor()
    await expectAccessible(lead, 'evaluation plan, approved')
    // The tenders, now the plan is fixed.
    await lead.goto(`${evaluationUrl}/options`)
    for (const option of options.filter((o) => o.baseline !== true)) await addOption(option)
    // Everyone who can influence the decision declares once the plan is approved and the tenders are in: the lead first.
    await lead.goto(`${evaluationUrl}/declaration`)
    await lead.getByRole('heading', { level: 1, name: 'Declare any conflict of interest' }).waitFor()
    await expectAccessible(lead, 'declaration of interest, the lead')
    await lead.getByLabel('I have no interest to declare').check()
    await lead.getByRole('button', { name: 'Make declaration' }).click()
    await lead.getByRole('heading', { level: 1, name: 'Replacement records system' }).waitFor()
    await lead.goto(evaluationUrl)
    await lead.getByRole('link', { name: 'Panel and roles' }).click()

    // Each evaluator declares that they have no interest before seeing any option.
    const evaluators = { evaluatorA: await personAt(credentials('evaluatorA')), evaluatorB: await personAt(credentials('evaluatorB')) }
    for (const page of Object.values(evaluators)) {
      await page.goto(evaluationUrl)
      await page.getByRole('link', { name: 'Your scoring' }).click()
      await page.getByRole('heading', { level: 1, name: 'Declare any conflict of interest' }).waitFor()
      await expectAccessible(page, 'declaration of interest')
      await page.getByLabel('I have no interest to declare').check()
      await page.getByRole('button', { name: 'Make declaration' }).click()
      await page.getByRole('heading', { level: 1, name: 'Your scoring' }).waitFor()
    }

    // The lead keeps the test short by giving each evaluator one small group to score.
    await lead.reload()
    for (const who of ['evaluatorA', 'evaluatorB'] as const) {
      const row = lead
        .getByRole('row')
        .filter({ has: lead.getByRole('rowheader', { name: people[who].name }) })
        .filter({ has: lead.getByRole('checkbox') })
      await row.getByLabel(group).check()
      await row.getByRole('button', { name: `Save criteria for ${people[who].name}` }).click()
      await lead.waitForLoadState()
    }
    await expectAccessible(lead, 'panel with assignments')

    // Both evaluators score every option, blind to each other, with autosave.
    for (const who of ['evaluatorA', 'evaluatorB'] as const) {
      const page = evaluators[who]
      await page.reload()
      await expectAccessible(page, 'your scoring')
      for (const option of options) {
        await page.getByRole('link', { name: option.name }).click()
        await page.getByRole('heading', { level: 1, name: option.name }).waitFor()
        await settled(page)
        if (option === options[0]) await expectAccessible(page, 'scoring an option')
        for (const [i, criterion] of criteria.entries()) {
          await scoreAnswer(page, criterion, scores[who][option.name]![i]!, rationale(people[who].name, option.name, criterion))
        }
        if (option === options[0]) await expectAccessible(page, 'scoring an option, every answer saved')
        if (who === 'evaluatorA' && option === options[0]) {
          // A change of mind: a new rationale, then straight away a new score. Both are kept.
          const answer = page.locator('form.answer').filter({ has: page.locator('legend', { hasText: criteria[0]! }) })
          const revised = 'On a second reading the liability cap and the exit terms are better than first thought.'
          const saved = page.waitForResponse((r) => r.request().method() === 'POST' && /score=3&rationale=On/.test(r.request().postData() ?? ''))
          await answer.getByLabel('Rationale', { exact: true }).fill(revised)
          await answer.locator('input[name="score"][value="3"]').check()
          expect((await saved).status()).toBe(200)
          await page.reload()
          expect(await answer.locator('input[name="score"][value="3"]').isChecked()).toBe(true)
          expect(await answer.getByLabel('Rationale', { exact: true }).inputValue()).toBe(revised)
        }
        if (who === 'evaluatorB') {
          // Before submitting, the page shows none of the other evaluator's scores or reasons.
          const html = await page.content()
          expect(html).not.toContain(people.evaluatorA.name)
          for (const criterion of criteria) expect(html).not.toContain(rationale(people.evaluatorA.name, option.name, criterion))
        }
        // Submitting locks the scores: the box must be ticked to say so.
        await page.getByLabel(`I have finished scoring ${option.name}: lock my scores`).check()
        await page.getByRole('button', { name: `Submit and lock scores for ${option.name}` }).click()
        await page.getByText('You submitted your scores for this option').waitFor()
        await page.getByRole('link', { name: 'Your scoring' }).click()
      }
      if (who === 'evaluatorA') {
        // An evaluator cannot reach anyone else's scores: moderation and results are the lead's.
        const href = await page.getByRole('link', { name: 'Falcon Records' }).getAttribute('href')
        const optionId = /\/scoring\/(\d+)$/.exec(href ?? '')![1]
        for (const path of ['moderation', `moderation/${optionId}`, `options/${optionId}/assessment-summary`, 'results', 'sensitivity', 'report.pdf']) {
          const response = await page.request.get(`${evaluationUrl}/${path}`)
          expect(response.status(), path).toBe(403)
        }
        const response = await page.goto(`${evaluationUrl}/moderation`)
        expect(response?.status()).toBe(403)
        await expectAccessible(page, 'forbidden')
      }
    }
    // Once submitted, the blind lifts: the panel's scores are shown beside one's own.
    await evaluators.evaluatorB.getByRole('link', { name: 'Falcon Records' }).click()
    await settled(evaluators.evaluatorB)
    expect(await evaluators.evaluatorB.locator('.panel-scores').first().textContent()).toContain(people.evaluatorA.name)
    await expectAccessible(evaluators.evaluatorB, 'scoring after submitting')

    // The lead records the moderation meeting, then moderates: reviews and accepts what is within
    // tolerance, then records a consensus on the disagreement, each naming the meeting.
    await lead.goto(evaluationUrl)
    await lead.getByRole('link', { name: 'Panel progress and moderation' }).click()
    await expectAccessible(lead, 'moderation dashboard')
    const meetingForm = lead.locator('form.meeting-form')
    await meetingForm.getByLabel('Date (YYYY-MM-DD)').fill('2026-11-19')
    await meetingForm.getByLabel('Chair').fill(people.lead.name)
    for (const who of ['evaluatorA', 'evaluatorB'] as const) await meetingForm.getByLabel(people[who].name, { exact: true }).check()
    for (const option of options) await meetingForm.getByLabel(option.name, { exact: true }).check()
    await meetingForm.getByLabel('Notes of the discussion').fill('The panel went through every option; the contract terms of Falcon Records took longest.')
    await meetingForm.getByRole('button', { name: 'Record meeting' }).click()
    await lead.getByRole('rowheader', { name: '2026-11-19' }).waitFor()
    await expectAccessible(lead, 'moderation dashboard with a meeting')
    for (const option of options) {
      await lead.getByRole('link', { name: option.name, exact: true }).click()
      await lead.getByRole('heading', { level: 1, name: `Moderate ${option.name}` }).waitFor()
      await settled(lead)
      if (option === options[0]) await expectAccessible(lead, 'moderating an option')
      await lead.getByRole('link', { name: /^Review \d+ criteri(a|on) to accept within tolerance$/ }).click()
      await lead.getByRole('heading', { level: 1, name: `Accept within tolerance: ${option.name}` }).waitFor()
      if (option === options[0]) await expectAccessible(lead, 'accepting within tolerance, the preview')
      await lead.getByLabel('Agreed at the meeting of').selectOption({ index: 1 })
      await lead.getByLabel('Tender reference the accepted scores rest on').fill(`${option.name}: tender volume 2, sections 3 to 9`)
      await lead.getByRole('button', { name: /^Accept \d+ criteri(a|on)$/ }).click()
      await lead.getByRole('status').filter({ hasText: 'accepted within tolerance' }).waitFor()
      await settled(lead)
      if (option.name === 'Falcon Records') {
        const section = lead.locator('section.moderation-row').filter({ has: lead.getByRole('heading', { name: 'Contract terms' }) })
        expect(await section.getByRole('heading').textContent()).toContain('Outside tolerance')
        await section.getByLabel(/^Consensus score/).fill('2')
        await section
          .getByLabel('Consensus rationale')
          .fill('The panel agreed the liability cap and the termination terms need work; Owen’s reading of clause 14 was set aside.')
        await section.getByRole('button', { name: 'Record consensus for Contract terms' }).click()
        await lead.waitForURL(/#moderate-\d+$/)
        expect(await section.getByRole('heading').textContent()).toContain('Moderated')
        await expectAccessible(lead, 'moderating after a consensus')
      }
      await lead.getByRole('link', { name: 'Moderation', exact: true }).click()
    }

    // Each evaluator confirms that each option's consensus reflects the discussion.
    for (const who of ['evaluatorA', 'evaluatorB'] as const) {
      const page = evaluators[who]
      for (const option of options) {
        await page.goto(evaluationUrl)
        await page.getByRole('link', { name: 'Your scoring' }).click()
        await page.getByRole('link', { name: option.name }).click()
        await page.getByRole('heading', { level: 2, name: `The panel’s consensus on ${option.name}` }).waitFor()
        await page.getByLabel('The consensus reflects the discussion').check()
        await page.getByRole('button', { name: 'Record my response' }).click()
        await page.getByText('You confirmed that the consensus scores reflect the panel’s discussion.').waitFor()
        if (who === 'evaluatorA' && option === options[0]) await expectAccessible(page, 'consensus confirmed')
      }
    }

    // Finance enters a cost line for each option.
    const finance = await personAt(credentials('finance'))
    await finance.goto(evaluationUrl)
    await finance.getByRole('link', { name: 'Costs and benefits' }).click()
    // Finance declares before the costs, as the page asks, and comes back to them.
    await finance.getByRole('heading', { level: 1, name: 'Declare any conflict of interest' }).waitFor()
    await finance.getByLabel('I have no interest to declare').check()
    await finance.getByRole('button', { name: 'Make declaration' }).click()
    await expectAccessible(finance, 'costs and benefits')
    const annualCost = { 'Keep the current system': '2400000', 'Falcon Records': '1900000', 'Heron Cloud': '1500000' }
    for (const option of options) {
      await finance.getByRole('link', { name: option.name }).first().click()
      await finance.getByRole('heading', { level: 1, name: option.name }).waitFor()
      await settled(finance)
      const add = finance.locator('#add-cost')
      await add.locator('summary').click()
      if (option === options[0]) {
        // Sent empty, the form comes back (htmx) with an error summary that is announced, takes the focus and links to each field.
        await add.getByRole('button', { name: 'Add a cost line' }).click()
        await add.locator('.error-summary').waitFor()
        const summary = await inPage(finance, 'errorSummary')
        expect(summary).toMatchObject({ role: 'alert', focused: true })
        expect(summary!.links.map((l) => l.text)).toContain('Enter a label for the cost line')
        for (const link of summary!.links) expect(link.targetExists, link.href ?? '').toBe(true)
        await expectAccessible(finance, 'a cost line with errors')
      }
      await add.getByLabel('Label').fill('Licences and support')
      await add.getByLabel(/^Amount per year/).fill(annualCost[option.name as keyof typeof annualCost])
      await add.getByLabel('First year').fill('2026')
      await add.getByRole('button', { name: 'Add a cost line' }).click()
      await finance.getByRole('rowheader', { name: /Licences and support/ }).waitFor()
      if (option === options[0]) await expectAccessible(finance, 'an option’s costs')
      await finance.getByRole('link', { name: 'Costs and benefits' }).click()
    }

    // The lead reads the results and the sensitivity page, finalises, and downloads the final report.
    await lead.goto(evaluationUrl)
    await lead.getByRole('link', { name: 'Results', exact: true }).click()
    await settled(lead)
    // Every chart has a text alternative and its figures as a table (checked by expectAccessible).
    expect(await lead.locator('svg[role="img"]').count()).toBeGreaterThanOrEqual(3)
    await expectAccessible(lead, 'results')
    const preferred = (await lead.locator('#preferred strong').first().textContent())!.trim()
    expect(preferred).toBe('Heron Cloud')
    await lead.goto(evaluationUrl)
    await lead.getByRole('link', { name: 'Sensitivity' }).click()
    await settled(lead)
    expect(await lead.locator('svg[role="img"]').count()).toBeGreaterThanOrEqual(1)
    await expectAccessible(lead, 'sensitivity')
    // What if cost did not count? The ranking below the form changes as the lead types.
    await lead.getByLabel('Quality share of the split', { exact: true }).fill('100')
    const whatIf = lead.locator('#what-if-result').filter({ hasText: 'Quality 100.0%, cost 0.0%' })
    await whatIf.waitFor()
    expect(await whatIf.locator('.what-if-result__summary').textContent()).toBe('With these weights, Heron Cloud stays the preferred option.')
    await expectAccessible(lead, 'sensitivity with a what-if')

    await visit(lead, evaluationUrl)
    await lead.getByRole('link', { name: 'Finalise version 1' }).click()
    await settled(lead)
    await expectAccessible(lead, 'finalise')
    // Sent without the confirmation, it comes back with the error announced and linked to the box.
    await lead.getByRole('button', { name: 'Finalise version 1' }).click()
    await lead.locator('.error-summary').waitFor()
    await settled(lead)
    const unconfirmed = await inPage(lead, 'errorSummary')
    expect(unconfirmed).toMatchObject({ role: 'alert', focused: true })
    for (const link of unconfirmed!.links) expect(link.targetExists, link.href ?? '').toBe(true)
    await expectAccessible(lead, 'finalise without confirming')
    await lead.getByLabel(/version 1 is ready for decision/).check()
    await lead.getByRole('button', { name: 'Finalise version 1' }).click()
    await lead.getByRole('heading', { name: 'Version 1 is finalised' }).waitFor()
    await settled(lead)
    await expectAccessible(lead, 'a finalised evaluation')
    // Nothing on the page offers a change any more; the record check and the history say what happened.
    expect(await lead.getByRole('link', { name: 'Finalise version 1' }).count()).toBe(0)
    await lead.locator('#record-check-outcome').filter({ hasText: 'The records match the audit log' }).waitFor()

    const [download] = await Promise.all([
      lead.waitForEvent('download'),
      lead.getByRole('link', { name: /Download the final report \(PDF, version 1\)/ }).click(),
    ])
    const bytes = await readFile((await download.path())!)
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    const text = await pdfText(bytes)
    expect(text).toContain(preferred)
    expect(text).toContain('FINAL — version 1')

    // The award record: the dates, then each tender's assessment summary, final.
    await lead.getByRole('link', { name: 'Award record and assessment summaries' }).click()
    await lead.getByRole('heading', { name: 'Award record', level: 1 }).waitFor()
    await lead.getByLabel('Award decision date').fill('2026-12-04')
    await lead.getByLabel('Standstill period begins').fill('2026-12-07')
    await lead.getByLabel('Standstill period ends').fill('2026-12-16')
    await lead.getByRole('button', { name: 'Save the dates' }).click()
    await settled(lead)
    await expectAccessible(lead, 'the award record')
    const [summaryDownload] = await Promise.all([
      lead.waitForEvent('download'),
      lead
        .getByRole('link', { name: /^Assessment summary for / })
        .first()
        .click(),
    ])
    const summary = await pdfText(await readFile((await summaryDownload.path())!))
    expect(summary).toContain('Standstill period ends 16 December 2026')
    expect(summary).toContain('FINAL — version 1')
    await lead.getByRole('link', { name: 'Back to the evaluation' }).click()
    await settled(lead)

    await lead.getByRole('link', { name: 'History of changes' }).click()
    await settled(lead)
    await lead
      .getByRole('heading', { name: /Version 1 finalised/ })
      .first()
      .waitFor()
    await expectAccessible(lead, 'history of changes')

    for (const context of contexts) await context.close()
  }, 300_000)
})
