// Every page and download, typed by someone allowed it (issue 26): none is kept in a cache, and a
// finalised evaluation shows no form of a change it refuses, not even on a page nothing links to.
// The walk reads each route once, with an evaluation finalised with every kind of record.
import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { parseEvaluationText, type EvaluationFile } from '../../src/appraisal/index.js'
import { closedWhenFinalised, routeAccess } from '../../src/auth/access.js'
import { linkMemberToAccount, listPanelMembers } from '../../src/db/panel.js'
import type { EvaluationRole } from '../../src/vocabulary.js'
import { completeConsensus } from '../appraisal/factories.js'
import { TEST_ACTOR, heldDocument, setUp } from '../changes.js'
import { createTestAccount, createTestApp, pageText, postForm, signedInClient, type TestApp, type TestClient } from '../helpers.js'

const parsed = parseEvaluationText(readFileSync(new URL('../fixtures/small-evaluation.json', import.meta.url), 'utf8'))
if (!parsed.ok) throw new Error(parsed.errors.join('\n'))

/** The small example moderated, with a weighting round and a frontline trial, so every route has a record to name. */
const file: EvaluationFile = completeConsensus({
  ...parsed.file,
  weighting: { rounds: [{ id: 'fit', parent: 'functional', items: ['crime', 'search'], participants: [{ name: 'A stakeholder', judgements: [] }] }] },
  trials: {
    tasks: [{ id: 'find', name: 'Find a nominal' }],
    sessions: [{ option: 'product-a', role: 'Detective', sus: null, tasks: [{ task: 'find', completed: true, seconds: 60, errors: 0 }] }],
    roles: ['Detective'],
    criteria: ['sus'],
  },
})

interface Answer {
  route: string
  path: string
  status: number
  cacheControl: string | null
  html: string
}

/** Every GET route but the static files, asked by someone the access table lets use it. */
async function walk(t: TestApp, id: number, evaluator: TestClient): Promise<Answer[]> {
  const one = async (table: 'weighting_round' | 'trial_session' | 'tender_document') =>
    String((await t.db.selectFrom(table).select('id').where('evaluation_id', '=', id).orderBy('id').executeTakeFirstOrThrow()).id)
  const sunk = await t.db.selectFrom('sunk_cost').select(['id', 'option_id']).where('evaluation_id', '=', id).executeTakeFirstOrThrow()
  const line = await t.db.selectFrom('money_line').select('id').where('option_id', '=', sunk.option_id).executeTakeFirstOrThrow()
  const params: Record<string, string> = {
    id: String(id),
    optionId: String(sunk.option_id),
    criterionId: String(
      (await t.db.selectFrom('criterion').select('id').where('evaluation_id', '=', id).where('kind', '=', 'criterion').executeTakeFirstOrThrow()).id,
    ),
    lineId: String(line.id),
    sunkCostId: String(sunk.id),
    roundId: await one('weighting_round'),
    sessionId: await one('trial_session'),
    documentId: await one('tender_document'),
    version: '1',
    code: 'AAAAA-AAAAA',
  }
  const clients = new Map<string, TestClient>([
    ['lead', t.app],
    ['evaluator', evaluator],
  ])
  /** The lead where they may; otherwise the first role the route is for, or a site administrator. */
  const clientFor = async (route: string): Promise<TestClient> => {
    const access = routeAccess[route]!
    const role: EvaluationRole | 'admin' =
      access === 'admin' ? 'admin' : typeof access === 'object' && !access.roles.includes('lead') ? access.roles[0]! : 'lead'
    if (!clients.has(role)) clients.set(role, await (role === 'admin' ? t.clientWithRoles(null, [], { admin: true }) : t.clientWithRoles(id, [role])))
    return clients.get(role)!
  }
  const answers: Answer[] = []
  for (const { path: pattern } of t.anonymous.routes.filter((r) => r.method === 'GET' && r.path !== '/assets/:name')) {
    const route = `GET ${pattern}`
    const path = pattern.replace(/:([A-Za-z]+)/g, (_, name: string) => params[name]!)
    const response = await (await clientFor(route)).request(path)
    const html = (response.headers.get('content-type') ?? '').startsWith('text/html') ? await response.text() : ''
    answers.push({ route, path, status: response.status, cacheControl: response.headers.get('cache-control'), html })
  }
  return answers
}

describe('every page and download, typed', () => {
  let answers: Answer[]
  let lead: string
  beforeAll(async () => {
    const t = await createTestApp()
    const id = await t.importFile(file)
    // An evaluator of the panel (who declared in the file), and a document, as an upload leaves it.
    const email = 'panel-member@example.org'
    const evaluator = await createTestAccount(t.db, { email })
    const member = (await listPanelMembers(t.db, id)).find((m) => m.key === 'e2')!
    expect(await linkMemberToAccount(t.db, TEST_ACTOR, member, email)).toBeNull()
    const option = await t.db.selectFrom('option').select('id').where('evaluation_id', '=', id).executeTakeFirstOrThrow()
    await setUp(t.db, id, (trx) => heldDocument(trx, id, option.id))
    expect((await postForm(t.app, `/evaluations/${id}/finalise`, { confirm: 'on' })).status).toBe(303)
    lead = (await t.db.selectFrom('account').select('name').where('id', '=', t.accountId).executeTakeFirstOrThrow()).name
    answers = await walk(t, id, await signedInClient(t.anonymous, t.db, evaluator))
  }, 120_000)

  it('answers everyone signed in with Cache-Control: no-store, and never a server error', () => {
    expect(answers.length).toBeGreaterThan(60)
    expect(answers.filter((a) => a.cacheControl !== 'no-store').map((a) => `${a.path}: ${a.cacheControl}`)).toEqual([])
    expect(answers.filter((a) => a.status >= 500).map((a) => `${a.path}: ${a.status}`)).toEqual([])
  })

  it('on a finalised evaluation, shows no form of a change it refuses: a page that is only one answers 409 with who finalised it', () => {
    const actions = (answer: Answer) => [...answer.html.matchAll(/<form\b[^>]*\saction="([^"?]*)/g)].map(([, action]) => action!)
    const posts = Object.keys(routeAccess)
      .filter((key) => key.startsWith('POST '))
      .map((key) => ({ path: key.slice(5), pattern: new RegExp(`^${key.slice(5).replace(/:[A-Za-z]+/g, '[^/]+')}$`) }))
    const offered = answers.flatMap((answer) =>
      actions(answer)
        .map((action) => posts.find((p) => p.pattern.test(action)))
        .filter((post) => post !== undefined && closedWhenFinalised('POST', post.path))
        .map((post) => `${answer.path} shows a form to ${post!.path}`),
    )
    expect(offered).toEqual([])
    const refused = answers.filter((a) => closedWhenFinalised('GET', a.route.slice(4)))
    expect(refused.map((a) => a.route)).toContain('GET /evaluations/:id/costs/:optionId/sunk/:sunkCostId/delete')
    for (const answer of refused) {
      expect(answer.status, answer.path).toBe(409)
      expect(pageText(answer.html), answer.path).toContain(`was finalised by ${lead}`)
    }
  })
})
