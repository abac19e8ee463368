import { TEST_ACTOR, heldDocument, setUp } from '../changes.js'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseEvaluationText } from '../../src/appraisal/index.js'
import { allows, routeAccess, type Access } from '../../src/auth/access.js'
import { grantRole } from '../../src/db/accounts.js'
import type { EvaluationRole } from '../../src/db/schema.js'
import { panelMemberFor, recordDeclaration } from '../../src/db/scoring.js'
import { createTestAccount, createTestApp, signedInClient, type TestClient } from '../helpers.js'

const parsed = parseEvaluationText(readFileSync(new URL('../fixtures/small-evaluation.json', import.meta.url), 'utf8'))
if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
const fixture = parsed.file

interface Viewer {
  name: string
  signedIn: boolean
  admin: boolean
  roles: EvaluationRole[]
}

const viewers: Viewer[] = [
  { name: 'a signed-out visitor', signedIn: false, admin: false, roles: [] },
  { name: 'an account with no role', signedIn: true, admin: false, roles: [] },
  { name: 'a site administrator', signedIn: true, admin: true, roles: [] },
  { name: 'a lead', signedIn: true, admin: false, roles: ['lead'] },
  { name: 'an evaluator', signedIn: true, admin: false, roles: ['evaluator'] },
  { name: 'finance', signedIn: true, admin: false, roles: ['finance'] },
  { name: 'an observer', signedIn: true, admin: false, roles: ['observer'] },
  { name: 'a stakeholder', signedIn: true, admin: false, roles: ['stakeholder'] },
  { name: 'a facilitator', signedIn: true, admin: false, roles: ['facilitator'] },
  { name: 'a clerk', signedIn: true, admin: false, roles: ['clerk'] },
]

describe('who may use each route', () => {
  it('has a rule in the access table for every registered route, and no rule for a route that does not exist', async () => {
    const t = await createTestApp()
    const registered = t.anonymous.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`)
    const missing = registered.filter((key) => !(key in routeAccess))
    expect(missing).toEqual([])
    const stale = Object.keys(routeAccess).filter((key) => !registered.includes(key))
    expect(stale).toEqual([])
  })

  it('allows and refuses every route for every role exactly as the table says', async () => {
    const t = await createTestApp()
    const accounts = new Map<string, number>()
    for (const viewer of viewers.filter((v) => v.signedIn)) accounts.set(viewer.name, await createTestAccount(t.db, { admin: viewer.admin }))
    const otherAccount = await createTestAccount(t.db)
    const routes = t.anonymous.routes.filter((r) => r.method !== 'ALL')
    const failures: string[] = []
    const evaluationFor = async (viewer: Viewer): Promise<number> => {
      const evaluationId = await t.importFile(fixture)
      await setUp(t.db, evaluationId, async (trx) => {
        for (const role of viewer.roles) await grantRole(trx, evaluationId, accounts.get(viewer.name)!, role)
      })
      if (viewer.roles.includes('evaluator')) {
        // An evaluator who has declared no interest, so the scoring pages are open to them.
        const member = await panelMemberFor(
          t.db,
          evaluationId,
          { id: accounts.get(viewer.name)!, name: viewer.name, email: `${viewer.name}@example.test` },
          TEST_ACTOR,
        )
        await setUp(t.db, evaluationId, (trx) => recordDeclaration(trx, member.id, { interest: false, details: null }))
      }
      return evaluationId
    }
    // A page read and a refused request change nothing, so each visitor makes them on one evaluation of
    // their own; every allowed change gets a fresh evaluation, so that it cannot affect the next request.
    const forReading = new Map<string, number>()
    const samples = new Map<string, string>()
    for (const route of routes) {
      const access: Access = routeAccess[`${route.method} ${route.path}`]!
      for (const viewer of viewers) {
        const changesNothing = route.method === 'GET' || !allows(access, viewer)
        const evaluationId = (changesNothing ? forReading.get(viewer.name) : undefined) ?? (await evaluationFor(viewer))
        if (changesNothing) forReading.set(viewer.name, evaluationId)
        const sample = async (param: string): Promise<string> => {
          const key = `${evaluationId} ${param}`
          const known = samples.get(key)
          if (known !== undefined) return known
          const value = await sampleOf(param)
          samples.set(key, value)
          return value
        }
        const sampleOf = async (param: string): Promise<string> => {
          switch (param) {
            case 'id':
              return String(evaluationId)
            case 'optionId':
              return String((await t.db.selectFrom('option').select('id').where('evaluation_id', '=', evaluationId).executeTakeFirstOrThrow()).id)
            case 'criterionId':
              return String(
                (
                  await t.db
                    .selectFrom('criterion')
                    .select('id')
                    .where('evaluation_id', '=', evaluationId)
                    .where('kind', '=', 'criterion')
                    .executeTakeFirstOrThrow()
                ).id,
              )
            case 'lineId':
              return String((await t.db.selectFrom('money_line').select('id').where('evaluation_id', '=', evaluationId).executeTakeFirstOrThrow()).id)
            case 'sunkCostId':
              return String((await t.db.selectFrom('sunk_cost').select('id').where('evaluation_id', '=', evaluationId).executeTakeFirstOrThrow()).id)
            case 'memberId':
              return String((await t.db.selectFrom('panel_member').select('id').where('evaluation_id', '=', evaluationId).executeTakeFirstOrThrow()).id)
            case 'accountId':
              return String(otherAccount)
            case 'name':
              return 'app.css'
            case 'version':
              return '1'
            case 'sessionId': {
              const option = await t.db.selectFrom('option').select('id').where('evaluation_id', '=', evaluationId).executeTakeFirstOrThrow()
              const session = await setUp(t.db, evaluationId, (trx) =>
                trx
                  .insertInto('trial_session')
                  .values({
                    evaluation_id: evaluationId,
                    option_id: option.id,
                    role: 'Detective',
                    sus: null,
                    outcomes: '[]',
                    comment: null,
                    statements: null,
                    position: 0,
                    code_hash: null,
                    code_expires_at: null,
                    code_used_at: null,
                  })
                  .returning('id')
                  .executeTakeFirstOrThrow(),
              )
              return String(session.id)
            }
            case 'declarationId': {
              const declaration = await setUp(t.db, evaluationId, (trx) =>
                trx
                  .insertInto('role_declaration')
                  .values({
                    evaluation_id: evaluationId,
                    key: 'finance-officer',
                    account_id: null,
                    name: 'A finance officer',
                    email: null,
                    roles: '["finance"]',
                    interest: 1,
                    supplier: 'Fictional Systems Ltd',
                    details: 'A former employer, until 2024',
                    suppliers_known: null,
                    declared_at: '2026-11-19T09:00:00.000Z',
                    assessment: null,
                    mitigation: null,
                    assessed_at: null,
                    position: 0,
                  })
                  .returning('id')
                  .executeTakeFirstOrThrow(),
              )
              return String(declaration.id)
            }
            case 'code':
              return 'AAAAA-AAAAA'
            case 'documentId': {
              // A document evaluators may open: not commercial, of an option they score.
              const option = await t.db.selectFrom('option').select('id').where('evaluation_id', '=', evaluationId).executeTakeFirstOrThrow()
              // The evaluation may be one a visitor reads many routes on: its document is made once.
              const made = await t.db.selectFrom('tender_document').select('id').where('evaluation_id', '=', evaluationId).executeTakeFirst()
              if (made !== undefined) return String(made.id)
              return String(await setUp(t.db, evaluationId, (trx) => heldDocument(trx, evaluationId, option.id)))
            }
            case 'taskId': {
              const task = await setUp(t.db, evaluationId, (trx) =>
                trx
                  .insertInto('trial_task')
                  .values({ evaluation_id: evaluationId, key: 'search', name: 'Find a nominal', position: 0 })
                  .returning('id')
                  .executeTakeFirstOrThrow(),
              )
              return String(task.id)
            }
            case 'roundId': {
              const top = await t.db.selectFrom('criterion').select('id').where('evaluation_id', '=', evaluationId).where('parent_id', 'is', null).execute()
              const items = JSON.stringify(top.map((c) => c.id))
              const round = await setUp(t.db, evaluationId, (trx) =>
                trx
                  .insertInto('weighting_round')
                  .values({ evaluation_id: evaluationId, key: 'top', parent_id: null, items, position: 0, applied_at: null })
                  .returning('id')
                  .executeTakeFirstOrThrow(),
              )
              return String(round.id)
            }
            default:
              throw new Error(`the route walk needs a sample value for :${param} (${route.path})`)
          }
        }
        let path = route.path
        for (const [, param] of route.path.matchAll(/:([A-Za-z]+)/g)) path = path.replace(`:${param}`, await sample(param!))
        // A new session each time: signing out must not end the next request's session.
        const client: TestClient = viewer.signedIn ? await signedInClient(t.anonymous, t.db, accounts.get(viewer.name)!) : t.anonymous
        const response = await client.request(path, {
          method: route.method,
          ...(route.method === 'GET' ? {} : { body: new URLSearchParams(), headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
        })
        // Signing out ends at the sign-in page by design; anywhere else that means the guard sent them.
        const toSignIn = path !== '/sign-out' && [302, 303].includes(response.status) && (response.headers.get('location') ?? '').startsWith('/sign-in')
        const allowed = allows(access, viewer)
        const outcome = `${route.method} ${path} for ${viewer.name}: ${response.status}`
        if (allowed && (response.status === 403 || toSignIn || response.status === 401)) failures.push(`${outcome}, expected allowed`)
        if (!allowed && viewer.signedIn && response.status !== 403) failures.push(`${outcome}, expected 403`)
        const signInPage = [302, 303].includes(response.status) && (response.headers.get('location') ?? '').startsWith('/sign-in')
        if (!allowed && !viewer.signedIn && !signInPage) failures.push(`${outcome}, expected a redirect to sign-in`)
        if (response.status >= 500) failures.push(`${outcome}, a server error`)
      }
    }
    expect(failures).toEqual([])
    // Every route for every kind of visitor: over 800 requests.
  }, 180_000)

  it('answers a refused evaluation page with a 403 that reveals nothing of it', async () => {
    const t = await createTestApp()
    const id = await t.importFile(fixture)
    const outsider = await t.clientWithRoles(null, [])
    const response = await outsider.request(`/evaluations/${id}`)
    expect(response.status).toBe(403)
    const html = await response.text()
    expect(html).toContain('You do not have access to this page')
    for (const secret of [fixture.title, 'Product A', 'Example Council']) expect(html).not.toContain(secret)
  })

  it('sends a signed-out visitor to sign-in from every page, even one that does not exist', async () => {
    const t = await createTestApp()
    for (const path of ['/evaluations', '/evaluations/1', '/nothing-here', '/accounts']) {
      const response = await t.anonymous.request(path)
      expect(response.status, path).toBe(302)
      expect(response.headers.get('location'), path).toMatch(/^\/sign-in/)
    }
  })

  it('lists only the evaluations the account holds a role on', async () => {
    const t = await createTestApp()
    await t.importFile({ ...fixture, title: 'Mine' })
    const other = await t.clientWithRoles(null, [])
    const html = await (await other.request('/evaluations')).text()
    expect(html).not.toContain('Mine')
    expect(await (await t.app.request('/evaluations')).text()).toContain('Mine')
  })
})
