import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseEvaluationText, type EvaluationFile } from '../../src/appraisal/index.js'
import { createRound } from '../../src/db/weighting.js'
import { TEST_ACTOR } from '../changes.js'
import { createTestApp, pageText, postForm, type TestApp, type TestClient } from '../helpers.js'

const parsed = parseEvaluationText(readFileSync(new URL('../fixtures/small-evaluation.json', import.meta.url), 'utf8'))
if (!parsed.ok) throw new Error(parsed.errors.join('\n'))

/** The fixture before scoring (so before any meeting), its top level three criteria with guidance: the methodology's example. */
const { meetings: _meetings, ...beforeScoring } = parsed.file
const planned: EvaluationFile = {
  ...beforeScoring,
  criteria: [
    { id: 'security', name: 'Security', weight: 1, guidance: 'Accreditation and penetration tests' },
    { id: 'cost-control', name: 'Cost control', weight: 1 },
    { id: 'supplier', name: 'Supplier', weight: 1 },
  ],
  evaluators: [],
  scores: [],
  consensus: [],
}

async function criterionIds(t: TestApp, evaluationId: number): Promise<Record<string, number>> {
  const rows = await t.db.selectFrom('criterion').select(['id', 'key']).where('evaluation_id', '=', evaluationId).execute()
  return Object.fromEntries(rows.map((r) => [r.key, r.id]))
}

/** A stakeholder's client and the email of their account. */
async function stakeholder(t: TestApp, evaluationId: number): Promise<{ client: TestClient; email: string }> {
  const client = await t.clientWithRoles(evaluationId, ['stakeholder'])
  const { email } = await t.db.selectFrom('account').select('email').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()
  return { client, email }
}

async function roundId(t: TestApp, evaluationId: number): Promise<number> {
  return (await t.db.selectFrom('weighting_round').select('id').where('evaluation_id', '=', evaluationId).executeTakeFirstOrThrow()).id
}

describe('weighting rounds', () => {
  it('takes stakeholders’ comparisons, shows each person’s weights and consistency beside the group’s, and applies the group’s weights', async () => {
    const t = await createTestApp()
    const id = await t.importFile(planned, { draft: true })
    const base = `/evaluations/${id}/weighting`
    expect((await postForm(t.app, base, { parent: '' })).status).toBe(303)
    const round = `${base}/${await roundId(t, id)}`
    const c = await criterionIds(t, id)
    const first = await stakeholder(t, id)
    const second = await stakeholder(t, id)
    for (const person of [first, second]) expect((await postForm(t.app, `${round}/participants`, { email: person.email })).status).toBe(303)

    // A stakeholder sees the criteria and their guidance, and nothing of the tenders.
    const page = await (await first.client.request(round)).text()
    expect(pageText(page)).toContain('Accreditation and penetration tests')
    expect(page).toContain(`name="pair-${c.security}-${c['cost-control']}"`)
    expect((await first.client.request(`/evaluations/${id}/options`)).status).toBe(403)
    expect(pageText(await (await first.client.request(`/evaluations/${id}`)).text())).not.toContain('Product A')

    // The methodology's example: [[1,3,5],[1/3,1,3],[1/5,1/3,1]] gives 0.6370, 0.2583, 0.1047, CR 0.033.
    const saved = await postForm(first.client, `${round}/judgements`, {
      [`pair-${c.security}-${c['cost-control']}`]: '3',
      [`pair-${c.security}-${c.supplier}`]: '5',
      [`pair-${c['cost-control']}-${c.supplier}`]: '3',
    })
    expect(saved.status).toBe(303)
    const mine = pageText(await (await first.client.request(round)).text())
    expect(mine).toMatch(/Security 63\.7% Cost control 25\.8% Supplier 10\.5%/)
    expect(mine).toContain('consistency ratio 0.033 (acceptable')
    // Contradictory judgements: Security over Cost control over Supplier over Security.
    await postForm(second.client, `${round}/judgements`, {
      [`pair-${c.security}-${c['cost-control']}`]: '5',
      [`pair-${c.security}-${c.supplier}`]: '1/5',
      [`pair-${c['cost-control']}-${c.supplier}`]: '5',
    })
    const theirs = pageText(await (await second.client.request(round)).text())
    expect(theirs).toContain('These judgements contradict each other')
    expect(theirs).toMatch(/Reconsider first: .* The other judgements suggest .* which would make the ratio/)
    expect(theirs).not.toContain(first.email)
    // The history reads judgements as sentences, not as stored JSON.
    const history = pageText(await (await t.app.request(`/evaluations/${id}/history`)).text())
    expect(history).toContain(
      'Test Person 3 in a weighting round Changed Field Before After Judgements (none) Security strongly more important than Cost control (5). Supplier strongly more important than Security (5).',
    )
    expect(history).not.toContain('"value"')
    expect(history).toContain('Test Person 3 invited to weighting round “Top level”')
    expect(history).not.toMatch(/Round — \d/)

    const leadPage = await (await t.app.request(round)).text()
    expect(leadPage).toContain('<svg class="chart" id="round-weights"')
    expect(pageText(leadPage)).toContain('From the geometric mean of the judgements of the 2 people who compared every pair')
    expect(pageText(leadPage)).toContain('Reconsider')

    expect((await postForm(t.app, `${round}/apply`, {})).status).toBe(303)
    const weights = await t.db.selectFrom('criterion').select(['key', 'weight']).where('evaluation_id', '=', id).execute()
    const total = weights.reduce((sum, w) => sum + w.weight!, 0)
    expect(total).toBeCloseTo(3, 12)
    const security = weights.find((w) => w.key === 'security')!.weight! / total
    expect(security).toBeGreaterThan(0.4)
    const entry = await t.db
      .selectFrom('audit_entry')
      .select(['summary', 'kind'])
      .where('evaluation_id', '=', id)
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow()
    expect(entry.kind).toBe('criteria')
    expect(entry.summary).toMatch(/^Weights from weighting round “Top level” applied \(2 taking part: Test Person \d+, Test Person \d+; group CR /)

    const exported = parseEvaluationText(await (await t.app.request(`/evaluations/${id}/export`)).text())
    if (!exported.ok) throw new Error(exported.errors.join('\n'))
    expect(exported.file.weighting?.rounds[0]).toMatchObject({ id: 'top', parent: null, items: ['security', 'cost-control', 'supplier'] })
    expect(exported.file.weighting?.rounds[0]?.applied).toMatch(/^\d{4}-/)
  })

  it('refuses a value off the scale, a pair answered twice, a group of one or more than ten, a round nobody finished, and any change once the plan is approved', async () => {
    const t = await createTestApp()
    const many = Array.from({ length: 11 }, (_, i) => ({ id: `c${i}`, name: `Criterion ${i}`, weight: 1 }))
    const id = await t.importFile(
      {
        ...planned,
        criteria: [
          ...planned.criteria,
          { id: 'big', name: 'Big group', weight: 1, criteria: many },
          { id: 'lone', name: 'Lone', weight: 1, criteria: [{ id: 'only', name: 'Only' }] },
        ],
      },
      { draft: true },
    )
    const base = `/evaluations/${id}/weighting`
    const c = await criterionIds(t, id)
    const big = await postForm(t.app, base, { parent: String(c.big) })
    expect(big.status).toBe(422)
    expect(pageText(await big.text())).toContain('There are 11 criteria in ‘Big group’; a round compares at most 10')
    const lone = await postForm(t.app, base, { parent: String(c.lone) })
    expect(pageText(await lone.text())).toContain('A round compares criteria in pairs, and there is one in ‘Lone’')

    await postForm(t.app, base, { parent: '' })
    const round = `${base}/${await roundId(t, id)}`
    const person = await stakeholder(t, id)
    await postForm(t.app, `${round}/participants`, { email: person.email })
    const off = await postForm(person.client, `${round}/judgements`, { [`pair-${c.security}-${c.supplier}`]: '12' })
    expect(off.status).toBe(422)
    expect(pageText(await off.text())).toContain('Choose a value on the scale, from 9 one way to 9 the other')
    // A pair answered twice, once each way (the page sends each pair one way).
    const twice = await postForm(person.client, `${round}/judgements`, {
      [`pair-${c.security}-${c.supplier}`]: '3',
      [`pair-${c.supplier}-${c.security}`]: '1/3',
    })
    expect(twice.status).toBe(422)
    expect(pageText(await twice.text())).toContain('Security and Supplier are compared twice; compare each pair once')
    const unfinished = await postForm(t.app, `${round}/apply`, {})
    expect(unfinished.status).toBe(422)
    expect(pageText(await unfinished.text())).toContain('Nobody has compared every pair in this round yet')
    expect((await t.db.selectFrom('weighting_round').select('applied_at').executeTakeFirstOrThrow()).applied_at).toBeNull()
    expect((await t.db.selectFrom('criterion').select('weight').where('key', '=', 'security').executeTakeFirstOrThrow()).weight).toBe(1)
    const stored = await t.db.selectFrom('weighting_participant').select('judgements').executeTakeFirstOrThrow()
    expect(stored.judgements).toBe('[]')

    const task = 'Compare the criteria of Top level in pairs'
    expect(pageText(await (await person.client.request('/evaluations')).text())).toContain(task)

    // Once the plan is approved its weights are settled: a round is neither set up, answered, applied nor
    // removed (the guard refuses before the form is read, the data layer whatever the way in), and its
    // pages offer none of it: the stakeholder reads their comparisons.
    expect((await postForm(t.app, `/evaluations/${id}/plan/approve`, {})).status).toBe(303)
    const entries = async () => (await t.db.selectFrom('audit_entry').select('id').where('evaluation_id', '=', id).execute()).length
    const before = await entries()
    const late = await postForm(person.client, `${round}/judgements`, { [`pair-${c.security}-${c.supplier}`]: '3' })
    expect(late.status).toBe(409)
    expect(pageText(await late.text())).toContain('The evaluation plan is approved (version 1), so its weights are settled')
    const another = await postForm(t.app, base, { parent: '' })
    expect(another.status).toBe(409)
    expect(pageText(await another.text())).toContain('weighting rounds are set up, answered and applied only while the plan is a draft')
    for (const action of ['apply', 'delete']) expect((await postForm(t.app, `${round}/${action}`, {})).status).toBe(409)
    expect(await createRound(t.db, TEST_ACTOR, id, null)).toEqual({ field: 'parent', message: expect.stringContaining('so its weights are settled') })
    const list = await (await t.app.request(base)).text()
    expect(pageText(list)).toContain('The evaluation plan is approved, so its weights are settled')
    expect(list).not.toContain(`action="${base}"`)
    expect(await (await t.app.request(round)).text()).not.toContain(`action="${round}/`)
    const theirs = await (await person.client.request(round)).text()
    expect(theirs).not.toContain(`action="${round}/`)
    expect(pageText(theirs)).toContain('your comparisons are kept as you left them')
    expect(pageText(await (await person.client.request('/evaluations')).text())).not.toContain(task)
    expect(await entries()).toBe(before)
    expect((await t.db.selectFrom('weighting_participant').select('judgements').executeTakeFirstOrThrow()).judgements).toBe('[]')
  })

  it('keeps a criterion compared in a round where it is, and hides a round from a stakeholder not invited to it', async () => {
    const t = await createTestApp()
    const id = await t.importFile(planned, { draft: true })
    await postForm(t.app, `/evaluations/${id}/weighting`, { parent: '' })
    const c = await criterionIds(t, id)
    const refused = await postForm(t.app, `/evaluations/${id}/criteria/${c.supplier}/delete`, {})
    expect(refused.status).toBe(422)
    expect(await t.db.selectFrom('criterion').select('id').where('id', '=', c.supplier!).executeTakeFirst()).toBeDefined()
    const outsider = await stakeholder(t, id)
    expect((await outsider.client.request(`/evaluations/${id}/weighting/${await roundId(t, id)}`)).status).toBe(404)
  })

  it('links a participant imported from a file to their stakeholder account, once, at the lead’s word', async () => {
    const t = await createTestApp()
    const judgements = [
      { a: 'security', b: 'cost-control', value: 3 },
      { a: 'security', b: 'supplier', value: 5 },
      { a: 'cost-control', b: 'supplier', value: 3 },
    ]
    const withRound: EvaluationFile = {
      ...planned,
      weighting: {
        rounds: [{ id: 'top', parent: null, items: ['security', 'cost-control', 'supplier'], participants: [{ name: 'Head of security', judgements }] }],
      },
    }
    const id = await t.importFile(withRound, { draft: true })
    const round = `/evaluations/${id}/weighting/${await roundId(t, id)}`
    const participant = await t.db.selectFrom('weighting_participant').select('id').executeTakeFirstOrThrow()
    const person = await stakeholder(t, id)
    await t.clientWithRoles(id, ['observer'])
    const { email: observerEmail } = await t.db.selectFrom('account').select('email').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()
    const notStakeholder = await postForm(t.app, `${round}/link`, { participant: String(participant.id), linkEmail: observerEmail })
    expect(notStakeholder.status).toBe(422)
    expect(pageText(await notStakeholder.text())).toContain('is not a stakeholder on this evaluation')
    expect((await postForm(t.app, `${round}/link`, { participant: '999999', linkEmail: person.email })).status).toBe(422)
    expect((await postForm(t.app, `${round}/link`, { participant: String(participant.id), linkEmail: person.email })).status).toBe(303)
    const linked = await t.db.selectFrom('weighting_participant').select(['account_id', 'judgements']).executeTakeFirstOrThrow()
    expect(linked.account_id).not.toBeNull()
    expect(JSON.parse(linked.judgements)).toHaveLength(3)
    expect(pageText(await (await person.client.request(round)).text())).toContain('Security 63.7% Cost control 25.8% Supplier 10.5%')
    const again = await postForm(t.app, `${round}/link`, { participant: String(participant.id), linkEmail: person.email })
    expect(pageText(await again.text())).toContain('Head of security is already linked to an account')
  })
})
