import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseEvaluationText } from '../../src/appraisal/index.js'
import { setUp } from '../changes.js'
import { createTestApp, pageText, postForm } from '../helpers.js'

const parsed = parseEvaluationText(readFileSync(new URL('../fixtures/small-evaluation.json', import.meta.url), 'utf8'))
if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
const fixture = parsed.file

describe('frontline trials', () => {
  it('runs a session: the facilitator’s code opens one questionnaire, once, showing nothing but the product; the lead sees the figures', async () => {
    const t = await createTestApp()
    const id = await t.importFile(fixture)
    const base = `/evaluations/${id}/trials`
    expect((await postForm(t.app, `${base}/settings`, { roles: 'Response officer\nDetective', statements: '' })).status).toBe(303)
    expect((await postForm(t.app, `${base}/tasks`, { name: 'Find a nominal by a misspelt name' })).status).toBe(303)
    const facilitator = await t.clientWithRoles(id, ['facilitator'])
    const option = await t.db
      .selectFrom('option')
      .select(['id', 'name'])
      .where('evaluation_id', '=', id)
      .where('key', '=', 'product-b')
      .executeTakeFirstOrThrow()
    const started = await postForm(facilitator, `${base}/sessions`, { option: String(option.id), role: 'Detective' })
    expect(started.status).toBe(200)
    const code = /<strong class="code">([A-Z0-9]{5}-[A-Z0-9]{5})<\/strong>/.exec(await started.text())![1]!

    const page = await t.anonymous.request(`/trial/${code}`)
    expect(page.status).toBe(200)
    const text = pageText(await page.text())
    expect(text).toContain('What did you think of Product B?')
    expect(text).toContain('I would be happy to use this system often.')
    for (const secret of [fixture.title, 'Product A', 'Example Council', 'Detective']) expect(text).not.toContain(secret)

    const answers = Object.fromEntries([5, 1, 4, 2, 5, 1, 4, 2, 5, 1].map((a, i) => [`answer-${i + 1}`, String(a)]))
    const missing = await postForm(t.anonymous, `/trial/${code}`, { ...answers, 'answer-7': '', 'answer-3': '6' })
    expect(missing.status).toBe(422)
    const problems = pageText(await missing.text())
    expect(problems).toContain('Choose how far you agree with statement 3')
    expect(problems).toContain('Choose how far you agree with statement 7')
    expect((await t.db.selectFrom('trial_session').select('sus').executeTakeFirstOrThrow()).sus).toBeNull()

    // The code is typed with a space and in lower case, as people do.
    expect((await postForm(t.anonymous, '/trial', { code: ` ${code.toLowerCase()} ` })).headers.get('location')).toBe(`/trial/${code.replace('-', '')}`)
    const sent = await postForm(t.anonymous, `/trial/${code}`, answers)
    expect(pageText(await sent.text())).toContain('Your answers are saved')
    const again = await t.anonymous.request(`/trial/${code}`)
    expect(again.status).toBe(410)
    expect(pageText(await again.text())).toContain('This code has already been used')
    expect((await postForm(t.anonymous, `/trial/${code}`, answers)).status).toBe(410)

    const session = await t.db.selectFrom('trial_session').selectAll().executeTakeFirstOrThrow()
    expect(JSON.parse(session.sus!)).toEqual([5, 1, 4, 2, 5, 1, 4, 2, 5, 1])
    const task = await t.db.selectFrom('trial_task').select('id').executeTakeFirstOrThrow()
    const saved = await postForm(facilitator, `${base}/sessions/${session.id}`, {
      [`completed-${task.id}`]: 'yes',
      [`seconds-${task.id}`]: '42',
      [`errors-${task.id}`]: '0',
      comment: 'Found him first time.',
    })
    expect(saved.status).toBe(303)
    // SUS 2.5 × (4+4+3+3+4+4+3+3+4+4) = 90 from one participant.
    const lead = pageText(await (await t.app.request(base)).text())
    expect(lead).toContain('Product B: SUS 90 from one participant, too few for an interval')
    expect(lead).toMatch(/Everyone 1 90 100% \(21%–100%\), 42/)
    const exported = parseEvaluationText(await (await t.app.request(`/evaluations/${id}/export`)).text())
    if (!exported.ok) throw new Error(exported.errors.join('\n'))
    expect(exported.file.trials?.sessions[0]).toMatchObject({ option: 'product-b', role: 'Detective', comment: 'Found him first time.' })
  })

  it('refuses an expired code and a code nobody issued, and a role the lead did not define', async () => {
    const t = await createTestApp()
    const id = await t.importFile(fixture)
    const base = `/evaluations/${id}/trials`
    await postForm(t.app, `${base}/settings`, { roles: 'Response officer', statements: '' })
    const facilitator = await t.clientWithRoles(id, ['facilitator'])
    const option = await t.db.selectFrom('option').select('id').where('evaluation_id', '=', id).executeTakeFirstOrThrow()
    const wrongRole = await postForm(facilitator, `${base}/sessions`, { option: String(option.id), role: 'Chief constable' })
    expect(wrongRole.status).toBe(422)
    expect(pageText(await wrongRole.text())).toContain('Choose the participant’s role from the list')
    const started = await postForm(facilitator, `${base}/sessions`, { option: String(option.id), role: 'Response officer' })
    const code = /<strong class="code">([A-Z0-9-]+)<\/strong>/.exec(await started.text())![1]!
    await setUp(t.db, id, (trx) => trx.updateTable('trial_session').set({ code_expires_at: '2026-01-01T00:00:00.000Z' }).execute())
    const expired = await t.anonymous.request(`/trial/${code}`)
    expect(expired.status).toBe(410)
    expect(pageText(await expired.text())).toContain('This code has expired')
    expect((await t.anonymous.request('/trial/AAAAA-AAAAA')).status).toBe(404)
  })
})
