import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseEvaluationFile, parseEvaluationText, type EvaluationFileInput } from '../../src/appraisal/index.js'
import { parsed } from '../appraisal/factories.js'
import { setUp } from '../changes.js'
import { createTestApp, pageText, postForm } from '../helpers.js'

const small = parseEvaluationText(readFileSync(new URL('../fixtures/small-evaluation.json', import.meta.url), 'utf8'))
if (!small.ok) throw new Error(small.errors.join('\n'))
const fixture = small.file

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
    // An option of no evaluation, or of another one, is refused the same way.
    const other = await t.importFile(fixture)
    const theirs = await t.db.selectFrom('option').select('id').where('evaluation_id', '=', other).executeTakeFirstOrThrow()
    for (const stranger of ['999999', String(theirs.id)]) {
      const refused = await postForm(facilitator, `${base}/sessions`, { option: stranger, role: 'Response officer' })
      expect(refused.status).toBe(422)
      expect(pageText(await refused.text())).toContain('Choose an option of this evaluation')
    }
    expect(await t.db.selectFrom('trial_session').select('id').execute()).toEqual([])
    const started = await postForm(facilitator, `${base}/sessions`, { option: String(option.id), role: 'Response officer' })
    const code = /<strong class="code">([A-Z0-9-]+)<\/strong>/.exec(await started.text())![1]!
    await setUp(t.db, id, (trx) => trx.updateTable('trial_session').set({ code_expires_at: '2026-01-01T00:00:00.000Z' }).execute())
    const expired = await t.anonymous.request(`/trial/${code}`)
    expect(expired.status).toBe(410)
    expect(pageText(await expired.text())).toContain('This code has expired')
    expect((await t.anonymous.request('/trial/AAAAA-AAAAA')).status).toBe(404)
  })
})

describe('the questionnaire’s wording', () => {
  it('is the lead’s when they give all ten statements, and each session keeps the wording its participant answered', async () => {
    const t = await createTestApp()
    const id = await t.importFile(fixture)
    const base = `/evaluations/${id}/trials`
    const published = Array.from({ length: 10 }, (_, i) => `Published statement ${i + 1}.`)
    const nine = await postForm(t.app, `${base}/settings`, { roles: 'Detective', statements: published.slice(0, 9).join('\n') })
    expect(nine.status).toBe(422)
    expect(pageText(await nine.text())).toContain('Enter all 10 statements, one a line, or none to use the app’s own wording')
    expect(await t.db.selectFrom('trial').select('id').execute()).toEqual([])
    expect((await postForm(t.app, `${base}/settings`, { roles: 'Detective', statements: published.join('\n') })).status).toBe(303)
    const facilitator = await t.clientWithRoles(id, ['facilitator'])
    const option = await t.db.selectFrom('option').select('id').where('evaluation_id', '=', id).executeTakeFirstOrThrow()
    const started = await postForm(facilitator, `${base}/sessions`, { option: String(option.id), role: 'Detective' })
    const code = /<strong class="code">([A-Z0-9-]+)<\/strong>/.exec(await started.text())![1]!
    expect(pageText(await (await t.anonymous.request(`/trial/${code}`)).text())).toContain('1. Published statement 1.')
    const answers = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`answer-${i + 1}`, '3']))
    expect((await postForm(t.anonymous, `/trial/${code}`, answers)).status).toBe(200)
    // The lead goes back to the app's own wording: the session answered keeps the published one.
    expect((await postForm(t.app, `${base}/settings`, { roles: 'Detective', statements: '' })).status).toBe(303)
    const exported = parseEvaluationText(await (await t.app.request(`/evaluations/${id}/export`)).text())
    if (!exported.ok) throw new Error(exported.errors.join('\n'))
    expect(exported.file.trials?.statements).toBeUndefined()
    expect(exported.file.trials?.sessions[0]?.statements).toEqual(published)
  })
})

/** Two options, a usability group the trial is linked to, and two sessions of Alpha (SUS 100 and 75). */
function linkedEvaluation(): EvaluationFileInput {
  return {
    format: 'options-appraisal/1',
    title: 'Trial beside the criteria',
    appraisal: { baseYear: 2025, years: 1 },
    options: [
      { id: 'a', name: 'Option Alpha' },
      { id: 'b', name: 'Option Beta' },
    ],
    criteria: [
      { id: 'fit', name: 'Functional fit', weight: 2, criteria: [{ id: 'crime', name: 'Crime recording' }] },
      { id: 'use', name: 'Usability', weight: 1, criteria: [{ id: 'ease', name: 'Ease of use' }] },
    ],
    trials: {
      roles: ['Officer', 'Detective'],
      tasks: [{ id: 'search', name: 'Find a nominal' }],
      sessions: [
        { option: 'a', role: 'Officer', sus: [5, 1, 5, 1, 5, 1, 5, 1, 5, 1], tasks: [{ task: 'search', completed: true, seconds: 40 }] },
        { option: 'a', role: 'Detective', sus: [4, 2, 4, 2, 4, 2, 4, 2, 4, 2], tasks: [{ task: 'search', completed: false }] },
      ],
    },
  }
}

describe('trial figures beside the criteria', () => {
  it('are linked by the lead, shown to an evaluator on that group’s page only, named in the history and kept in the file', async () => {
    const t = await createTestApp()
    const id = await t.importFile(parsed(linkedEvaluation()))
    const base = `/evaluations/${id}/trials`
    const criteria = new Map((await t.db.selectFrom('criterion').select(['id', 'key']).where('evaluation_id', '=', id).execute()).map((r) => [r.key, r.id]))
    const options = new Map((await t.db.selectFrom('option').select(['id', 'key']).where('evaluation_id', '=', id).execute()).map((r) => [r.key, r.id]))

    const unknown = await postForm(t.app, `${base}/criteria`, { 'criterion-999999': 'on' })
    expect(unknown.status).toBe(422)
    expect(pageText(await unknown.text())).toContain('Choose criteria of this evaluation')
    expect((await t.db.selectFrom('trial').select('criteria').executeTakeFirstOrThrow()).criteria).toBeNull()
    expect((await postForm(t.app, `${base}/criteria`, { [`criterion-${criteria.get('use')}`]: 'on' })).status).toBe(303)
    const history = pageText(await (await t.app.request(`/evaluations/${id}/history`)).text())
    expect(history).toContain('Frontline trial figures shown beside “Usability”')
    expect(history).toMatch(/Criteria the figures are shown beside \(blank\) “Usability”/)

    const evaluator = await t.clientWithRoles(id, ['evaluator'])
    expect((await postForm(evaluator, `/evaluations/${id}/scoring/declaration`, { interest: 'none' })).status).toBe(303)
    const scoring = async (option: string, group: string) =>
      pageText(await (await evaluator.request(`/evaluations/${id}/scoring/${options.get(option)}?group=${criteria.get(group)}`)).text())
    // SUS 100 and 75: mean 87.5; t(0.975, 1) × 17.68 / √2 = 158.8 each side, cut to 0–100. One of two found the nominal: Wilson 9%–91%.
    const usability = await scoring('a', 'use')
    expect(usability).toContain('Frontline trial: SUS 88 (95% CI 0–100), 2 participants')
    expect(usability).toContain('Find a nominal: 50% (9%–91%), 1 of 2, median 40 s')
    expect(await scoring('a', 'fit')).not.toContain('Frontline trial')
    expect(await scoring('b', 'use')).not.toContain('Frontline trial')

    const exported = parseEvaluationText(await (await t.app.request(`/evaluations/${id}/export`)).text())
    if (!exported.ok) throw new Error(exported.errors.join('\n'))
    expect(exported.file.trials?.criteria).toEqual(['use'])
  })

  it('refuses a file linking an unknown criterion, or one twice, with the path', () => {
    const file = linkedEvaluation()
    const result = parseEvaluationFile({ ...file, trials: { ...file.trials, criteria: ['use', 'nope', 'use'], codeHours: 0 } })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.errors).toEqual(
      expect.arrayContaining([
        'trials.criteria[1]: unknown criterion "nope"',
        'trials.criteria[2]: "use" is listed twice',
        'trials.codeHours: must be at least 1 hour',
      ]),
    )
  })
})

describe('changing a trial', () => {
  it('sets the code’s lifetime within bounds, renames and deletes tasks, and corrects and deletes sessions, with a reason once answered', async () => {
    const t = await createTestApp()
    const id = await t.importFile(parsed(linkedEvaluation()))
    const base = `/evaluations/${id}/trials`
    for (const [hours, message] of [
      ['0', 'The code’s lifetime must be at least 1 hour'],
      ['73', 'The code’s lifetime must be at most 72 hours'],
      ['2.5', 'Enter a whole number of hours, like 4'],
    ]) {
      const refused = await postForm(t.app, `${base}/settings`, { roles: 'Officer\nDetective', statements: '', codeHours: hours! })
      expect(refused.status).toBe(422)
      expect(pageText(await refused.text())).toContain(message)
    }
    expect((await t.db.selectFrom('trial').select('code_hours').executeTakeFirstOrThrow()).code_hours).toBeNull()
    expect((await postForm(t.app, `${base}/settings`, { roles: 'Officer\nDetective', statements: '', codeHours: '8' })).status).toBe(303)
    const facilitator = await t.clientWithRoles(id, ['facilitator'])
    const [alpha, beta] = await t.db.selectFrom('option').select(['id', 'key']).where('evaluation_id', '=', id).orderBy('position').execute()
    const started = await postForm(facilitator, `${base}/sessions`, { option: String(alpha!.id), role: 'Officer' })
    expect(pageText(await started.text())).toContain('valid for one questionnaire for 8 hours')
    const fresh = await t.db.selectFrom('trial_session').selectAll().where('code_hash', 'is not', null).executeTakeFirstOrThrow()
    const hoursLeft = (Date.parse(fresh.code_expires_at!) - Date.now()) / 3_600_000
    expect(hoursLeft).toBeGreaterThan(7.9)
    expect(hoursLeft).toBeLessThanOrEqual(8)

    // A task: renamed; deleted only with a reason, as two sessions recorded it.
    const task = await t.db.selectFrom('trial_task').selectAll().executeTakeFirstOrThrow()
    expect((await postForm(t.app, `${base}/tasks/${task.id}`, { [`task-${task.id}`]: 'Find a nominal by a misspelt name' })).status).toBe(303)
    expect((await t.db.selectFrom('trial_task').select('name').executeTakeFirstOrThrow()).name).toBe('Find a nominal by a misspelt name')
    const noReason = await postForm(t.app, `${base}/tasks/${task.id}/delete`, { [`reason-${task.id}`]: '' })
    expect(noReason.status).toBe(422)
    expect(pageText(await noReason.text())).toContain('Say why: 2 sessions have an outcome for this task')
    expect(await t.db.selectFrom('trial_task').select('id').execute()).toHaveLength(1)
    expect((await postForm(t.app, `${base}/tasks/${task.id}/delete`, { [`reason-${task.id}`]: 'The search was down all day' })).status).toBe(303)
    expect(await t.db.selectFrom('trial_task').select('id').execute()).toHaveLength(0)
    expect((await t.db.selectFrom('trial_session').select('outcomes').execute()).map((s) => s.outcomes)).toEqual(['[]', '[]', '[]'])

    // An answered session: its role can be corrected, its option not; deleted only with a reason.
    const answered = await t.db.selectFrom('trial_session').selectAll().where('role', '=', 'Detective').executeTakeFirstOrThrow()
    const before = await t.db.selectFrom('audit_entry').select('id').where('evaluation_id', '=', id).execute()
    const moved = await postForm(facilitator, `${base}/sessions/${answered.id}`, { option: String(beta!.id), role: 'Officer', comment: 'Moved' })
    expect(moved.status).toBe(422)
    expect(pageText(await moved.text())).toContain('delete the session, with a reason, instead')
    // Nothing of the refused save is kept: not the role, not the comment, no entry in the log.
    expect(await t.db.selectFrom('trial_session').select(['option_id', 'role', 'comment']).where('id', '=', answered.id).executeTakeFirstOrThrow()).toEqual({
      option_id: alpha!.id,
      role: 'Detective',
      comment: null,
    })
    expect(await t.db.selectFrom('audit_entry').select('id').where('evaluation_id', '=', id).execute()).toEqual(before)
    expect((await postForm(facilitator, `${base}/sessions/${answered.id}`, { option: String(alpha!.id), role: 'Officer', comment: '' })).status).toBe(303)
    expect((await t.db.selectFrom('trial_session').select('role').where('id', '=', answered.id).executeTakeFirstOrThrow()).role).toBe('Officer')
    const keep = await postForm(facilitator, `${base}/sessions/${answered.id}/delete`, { reason: '' })
    expect(keep.status).toBe(422)
    expect(pageText(await keep.text())).toContain('Say why: the participant’s answers are deleted with the session')
    expect((await postForm(facilitator, `${base}/sessions/${answered.id}/delete`, { reason: 'Tried the wrong build' })).status).toBe(303)
    const entry = await t.db
      .selectFrom('audit_entry')
      .select(['summary', 'reason'])
      .where('evaluation_id', '=', id)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(entry).toEqual({ summary: 'Trial session deleted (Officer), with its questionnaire answers', reason: 'Tried the wrong build' })
    // The session not yet answered: its option can change, and it goes without a reason.
    expect((await postForm(facilitator, `${base}/sessions/${fresh.id}`, { option: String(beta!.id), role: 'Officer', comment: '' })).status).toBe(303)
    expect((await postForm(facilitator, `${base}/sessions/${fresh.id}/delete`, {})).status).toBe(303)
    expect(await t.db.selectFrom('trial_session').select('id').execute()).toHaveLength(1)
  })
})
