import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseEvaluationText } from '../../src/appraisal/index.js'
import { OPEN_WHEN_FINALISED } from '../../src/auth/access.js'
import { snapshot } from '../../src/db/audit.js'
import { panelMemberFor, recordDeclaration } from '../../src/db/scoring.js'
import { completeConsensus } from '../appraisal/factories.js'
import { TEST_ACTOR, readyForConsensus, setUp } from '../changes.js'
import { createTestApp, pageText, postForm } from '../helpers.js'

const parsed = parseEvaluationText(readFileSync(new URL('../fixtures/small-evaluation.json', import.meta.url), 'utf8'))
if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
const moderated = completeConsensus(parsed.file)

/** A form that passes most routes' own checks, so that the lock, not the form, is what refuses. */
function plausibleForm(): Record<string, string> {
  return {
    name: 'A change after sign-off',
    title: 'Renamed after sign-off',
    weight: '5',
    score: '1',
    rationale: 'x'.repeat(80),
    evidence: '',
    version: '1',
    kind: 'cost',
    label: 'Late line',
    type: 'capital',
    amount: '100',
    from: '2026',
    to: '2026',
    growth: '',
    optimismBias: '',
    direction: 'down',
    decision: 'proceed',
    note: 'A note for the record',
    interest: 'none',
    details: '',
    confirm: 'on',
    scaleMin: '0',
    scaleMax: '5',
    minRationale: '10',
    tolerance: '2',
    currency: 'GBP',
    baseYear: '2025',
    years: '12',
    discount: 'green-book',
    optimismBiasCapital: '0',
    optimismBiasOperating: '0',
    splitQuality: '60',
    splitCost: '40',
    priceFormula: 'relative-to-lowest',
    guidance: '',
    parent: '',
    csv: 'option,kind,label\n',
    date: '2026-11-19',
    chair: 'The lead',
    reference: 'Bid volume 2',
    response: 'confirm',
    reason: 'A reason for the record',
    planReason: 'A change to the approved plan, with its reason',
  }
}

describe('a finalised evaluation, through every route that changes one', () => {
  it('takes no change from any of them, and refuses with a message saying who finalised it', async () => {
    const t = await createTestApp()
    const id = await t.importFile(moderated)
    // An evaluator on the panel, who had declared no interest, so scoring routes reach the lock.
    const evaluator = await t.clientWithRoles(id, ['evaluator'])
    const evaluatorAccount = await t.db
      .selectFrom('panel_role')
      .select('account_id')
      .where('evaluation_id', '=', id)
      .where('role', '=', 'evaluator')
      .executeTakeFirstOrThrow()
    const account = await t.db.selectFrom('account').selectAll().where('id', '=', evaluatorAccount.account_id).executeTakeFirstOrThrow()
    const member = await panelMemberFor(t.db, id, account, TEST_ACTOR)
    await setUp(t.db, id, (trx) => recordDeclaration(trx, member.id, { interest: false, details: null }))
    // Joining late, they score nothing: excused from every option, so moderation stays complete.
    await readyForConsensus(t.db, id)
    expect((await postForm(t.app, `/evaluations/${id}/finalise`, { confirm: 'on' })).status).toBe(303)

    // The option of a cost line and a sunk cost, so the routes under it reach the lock.
    const sunk = await t.db.selectFrom('sunk_cost').select(['id', 'option_id']).where('evaluation_id', '=', id).executeTakeFirstOrThrow()
    const ids = {
      id: String(id),
      optionId: String(sunk.option_id),
      criterionId: String(
        (await t.db.selectFrom('criterion').select('id').where('evaluation_id', '=', id).where('kind', '=', 'criterion').executeTakeFirstOrThrow()).id,
      ),
      lineId: String(
        (await t.db.selectFrom('money_line').select('id').where('evaluation_id', '=', id).where('option_id', '=', sunk.option_id).executeTakeFirstOrThrow()).id,
      ),
      sunkCostId: String(sunk.id),
      memberId: String(member.id),
    }
    const changing = t.anonymous.routes
      .filter((r) => r.method === 'POST' && r.path.startsWith('/evaluations/:id/') && !OPEN_WHEN_FINALISED.has(`POST ${r.path}`))
      .map((r) => r.path)
    expect(changing.length).toBeGreaterThan(25)

    const record = async () => JSON.stringify([...(await snapshot(t.db, id, { tables: 'all' })).entries()])
    const entries = async () => (await t.db.selectFrom('audit_entry').select('id').where('evaluation_id', '=', id).execute()).length
    const before = { record: await record(), entries: await entries() }
    const lead = (await t.db.selectFrom('account').select('name').where('id', '=', t.accountId).executeTakeFirstOrThrow()).name
    const refusedByTheLock: string[] = []
    const refusedByRole: string[] = []
    for (const pattern of new Set(changing)) {
      const path = pattern.replace(/:([A-Za-z]+)/g, (_, name: keyof typeof ids) => ids[name])
      const client = pattern.includes('/scoring/') ? evaluator : t.app
      const response = await postForm(client, path, { ...plausibleForm(), member: ids.memberId, option: ids.optionId, attendee: ids.memberId })
      const text = pageText(await response.text())
      expect(response.status, `${pattern} answered ${response.status}`).toBeGreaterThanOrEqual(400)
      expect(response.status, `${pattern} answered ${response.status}`).toBeLessThan(500)
      if (response.status === 409 && text.includes('cannot be changed')) {
        expect(text).toContain(`was finalised by ${lead}`)
        refusedByTheLock.push(pattern)
      }
      if (response.status === 403) refusedByRole.push(pattern)
      expect(await record(), `${pattern} changed a record`).toBe(before.record)
      expect(await entries(), `${pattern} added to the audit log`).toBe(before.entries)
    }
    // Every one is refused by the lock before its form is read, so none answers with a form's own
    // error; the few the lead's role does not reach (a stakeholder's, a facilitator's) answer 403.
    expect([...new Set(changing)].filter((p) => !refusedByTheLock.includes(p) && !refusedByRole.includes(p))).toEqual([])
    expect(refusedByTheLock.length).toBeGreaterThan(changing.length / 2)
  }, 120_000)
})
