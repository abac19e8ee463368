import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { DECLARING_ROLES, parseEvaluationText, type EvaluationFile } from '../../src/appraisal/index.js'
import { declarationNeeded, may } from '../../src/auth/access.js'
import { linkMemberToAccount, listPanelMembers } from '../../src/db/panel.js'
import { moderationComplete } from '../../src/db/scoring.js'
import { EVALUATION_ROLES, type EvaluationRole } from '../../src/vocabulary.js'
import { completeConsensus } from '../appraisal/factories.js'
import { TEST_ACTOR, heldDocument, setUp } from '../changes.js'
import { createTestAccount, createTestApp, postForm, signedInClient, type TestApp, type TestClient } from '../helpers.js'

// The link walk: each role, at each stage of an evaluation, follows every link from the home page and
// the evaluation's overview, and every link or form a page offers must be one that person can use: a
// page answers, and a form posts to a route the access table lets them use (`may`, as the pages ask
// it). A link that answers 403, 404 or 409 to the person it is shown to is a dead end (issue #18).

const parsed = parseEvaluationText(readFileSync(new URL('../fixtures/small-evaluation.json', import.meta.url), 'utf8'))
if (!parsed.ok) throw new Error(parsed.errors.join('\n'))

/** The small example with what the demo also has: a weighting round, frontline trials and tender material. */
const demoLike: EvaluationFile = {
  ...parsed.file,
  weighting: {
    rounds: [
      {
        id: 'fit',
        parent: 'functional',
        items: ['crime', 'search'],
        participants: [{ name: 'Weighting stakeholder', judgements: [{ a: 'crime', b: 'search', value: 2 }] }],
      },
    ],
  },
  trials: {
    tasks: [{ id: 'find', name: 'Find a nominal by a misspelt name' }],
    sessions: [
      { option: 'product-a', role: 'Detective', sus: [4, 2, 4, 2, 4, 2, 4, 2, 4, 2], tasks: [{ task: 'find', completed: true, seconds: 60, errors: 0 }] },
    ],
    roles: ['Detective'],
    criteria: ['sus'],
  },
  tender: {
    documents: [],
    responses: [{ option: 'product-a', criterion: 'crime', text: 'Records crimes to the national standard.' }],
  },
}

/** The plan still a draft: nothing scored, nothing moderated. */
function draftFile(file: EvaluationFile): EvaluationFile {
  return {
    ...file,
    scores: [],
    consensus: [],
    meetings: [],
    evaluators: file.evaluators.map(({ submitted: _s, confirmations: _c, excused: _e, ...evaluator }) => evaluator),
  }
}

/** Scoring open: the panel's scores, none moderated yet. */
function scoringFile(file: EvaluationFile): EvaluationFile {
  return { ...file, consensus: [], meetings: [], evaluators: file.evaluators.map(({ confirmations: _c, ...evaluator }) => evaluator) }
}

const stages = {
  'the plan a draft': { file: draftFile(demoLike), draft: true, finalise: false, undeclared: false },
  // Here too everyone who declares outside the panel once more, before declaring.
  'the plan approved and scoring open': { file: scoringFile(demoLike), draft: false, finalise: false, undeclared: true },
  'moderation open': { file: demoLike, draft: false, finalise: false, undeclared: false },
  finalised: { file: completeConsensus(demoLike), draft: false, finalise: true, undeclared: false },
} as const

interface Person {
  role: EvaluationRole
  client: TestClient
  /** Whether they have declared their interests (those who declare outside the panel). */
  declared: boolean
}

/** The evaluation at a stage, with one account for each role (the evaluator one of its panel). */
async function evaluationAt(t: TestApp, stage: (typeof stages)[keyof typeof stages]): Promise<{ id: number; people: Person[] }> {
  const id = await t.importFile(stage.file, { draft: stage.draft })
  const people: Person[] = [{ role: 'lead', client: t.app, declared: true }]
  if (stage.undeclared) people.push({ role: 'lead', client: await t.clientWithRoles(id, ['lead'], { undeclared: true }), declared: false })
  for (const role of EVALUATION_ROLES) {
    if (role === 'lead') continue
    if (role === 'evaluator') {
      // The panel member the file names by address, who declared before scoring.
      const email = `links-${id}@example.org`
      const account = await createTestAccount(t.db, { email })
      const member = (await listPanelMembers(t.db, id)).find((m) => m.key === 'e2')!
      expect(await linkMemberToAccount(t.db, TEST_ACTOR, member, email)).toBeNull()
      people.push({ role, client: await signedInClient(t.anonymous, t.db, account), declared: true })
      continue
    }
    people.push({ role, client: await t.clientWithRoles(id, [role]), declared: true })
    if (stage.undeclared && DECLARING_ROLES.includes(role))
      people.push({ role, client: await t.clientWithRoles(id, [role], { undeclared: true }), declared: false })
  }
  // The stakeholder is the weighting round's participant.
  const stakeholder = await t.db
    .selectFrom('panel_role')
    .select('account_id')
    .where('evaluation_id', '=', id)
    .where('role', '=', 'stakeholder')
    .executeTakeFirstOrThrow()
  await setUp(
    t.db,
    id,
    (trx) => trx.updateTable('weighting_participant').set({ account_id: stakeholder.account_id }).where('evaluation_id', '=', id).execute(),
    {
      tables: ['weighting_participant'],
    },
  )
  if (stage.draft === false) {
    // A document held in full, as an upload leaves it, linked from the supplier's response.
    const option = await t.db.selectFrom('option').select('id').where('evaluation_id', '=', id).where('key', '=', 'product-a').executeTakeFirstOrThrow()
    await setUp(t.db, id, async (trx) => {
      const document = await heldDocument(trx, id, option.id)
      await trx.updateTable('tender_response').set({ document_id: document, page: 2 }).where('evaluation_id', '=', id).execute()
    })
  }
  if (stage.finalise) expect((await postForm(t.app, `/evaluations/${id}/finalise`, { confirm: 'on' })).status).toBe(303)
  return { id, people }
}

/** Links and forms on a page: [kind, method, target]. */
function offeredBy(html: string): { what: string; method: 'GET' | 'POST'; target: string | null }[] {
  const decode = (text: string) =>
    text
      .replace(/&amp;/g, '&')
      .replace(/&#39;|&#x27;/g, "'")
      .replace(/&quot;/g, '"')
  const attribute = (tag: string, name: string) => {
    const match = new RegExp(`\\s${name}="([^"]*)"`, 'i').exec(tag)
    return match === null ? null : decode(match[1]!)
  }
  const offered: { what: string; method: 'GET' | 'POST'; target: string | null }[] = []
  for (const [tag] of html.matchAll(/<a\b[^>]*>/gi)) {
    const href = attribute(tag, 'href')
    if (href !== null) offered.push({ what: 'a link', method: 'GET', target: href })
  }
  for (const [tag] of html.matchAll(/<form\b[^>]*>/gi)) {
    const method = (attribute(tag, 'method') ?? 'get').toUpperCase() === 'POST' ? 'POST' : 'GET'
    offered.push({ what: `a ${method} form`, method, target: attribute(tag, 'action') })
  }
  for (const [, verb, target] of html.matchAll(/\shx-(get|post)="([^"]*)"/gi)) {
    offered.push({ what: `an htmx ${verb}`, method: verb!.toUpperCase() === 'POST' ? 'POST' : 'GET', target: decode(target!) })
  }
  return offered
}

/** The most pages one person's walk reads: far above what the small evaluation has, to stop a loop. */
const PAGE_LIMIT = 150

describe('no page offers a link or form its viewer cannot use', () => {
  for (const [name, stage] of Object.entries(stages)) {
    it(`for each role, with ${name}`, async () => {
      const t = await createTestApp()
      const { id, people } = await evaluationAt(t, stage)
      const { status } = await t.db.selectFrom('evaluation').select('status').where('id', '=', id).executeTakeFirstOrThrow()
      const finalised = status === 'finalised'
      const moderating = !finalised && !(await moderationComplete(t.db, id))
      const planDraft = stage.draft
      // While the plan is a draft, a tender's own records wait for its approval too: the options each
      // change route names (directly, or through a trial session) must not be tenders.
      const tenders = new Set(
        (await t.db.selectFrom('option').select('id').where('evaluation_id', '=', id).where('tender', '=', 1).execute()).map((o) => String(o.id)),
      )
      const sessionOptions = new Map(
        (await t.db.selectFrom('trial_session').select(['id', 'option_id']).where('evaluation_id', '=', id).execute()).map((s) => [
          String(s.id),
          String(s.option_id),
        ]),
      )
      const tenderOf = (pattern: string, path: string): boolean => {
        const names = [...pattern.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1])
        const values = path.match(new RegExp(`^${pattern.replace(/:[A-Za-z]+/g, '([^/]+)')}$`))?.slice(1) ?? []
        const param = (name: string) => values[names.indexOf(name)]
        const option = param('optionId') ?? sessionOptions.get(param('sessionId') ?? '')
        return option !== undefined && tenders.has(option)
      }
      const routes = (method: string) =>
        t.anonymous.routes.filter((r) => r.method === method).map((r) => ({ path: r.path, pattern: new RegExp(`^${r.path.replace(/:[A-Za-z]+/g, '[^/]+')}$`) }))
      const [gets, posts] = [routes('GET'), routes('POST')]
      // A generated download (a PDF, a workbook, an archive) is made once a stage, by the first person
      // offered it; for everyone else offered it, the access table's answer stands for the server's.
      const downloaded = new Set<string>()
      const failures = new Set<string>()
      let read = 0
      for (const { role, client, declared } of people) {
        const seen = new Map<string, string>()
        const queue: string[] = []
        const visit = (url: string, from: string) => {
          if (seen.has(url)) return
          seen.set(url, from)
          queue.push(url)
        }
        visit('/', 'the start')
        visit(`/evaluations/${id}`, 'the start')
        while (queue.length > 0) {
          const url = queue.shift()!
          if (seen.size > PAGE_LIMIT) throw new Error(`the ${role}'s walk found over ${PAGE_LIMIT} pages: ${[...seen.keys()].join(' ')}`)
          const path = new URL(url, 'http://localhost').pathname
          if (/\.(pdf|xlsx|zip)$/.test(path) && downloaded.has(url)) {
            const route = gets.find((r) => r.pattern.test(path))
            if (route === undefined || !may([role], 'GET', route.path, false, finalised, moderating))
              failures.add(`${seen.get(url)} offers the ${role} ${url}, which the access table refuses them`)
            continue
          }
          if (/\.(pdf|xlsx|zip)$/.test(path)) downloaded.add(url)
          const response = await client.request(url)
          read += 1
          const type = response.headers.get('content-type') ?? ''
          if (response.status >= 400) {
            failures.add(`${seen.get(url)} offers the ${role} ${url}, which answers ${response.status}`)
            continue
          }
          if (response.status >= 300) {
            const location = new URL(response.headers.get('location') ?? '', `http://localhost${url}`)
            if (location.host === 'localhost') visit(location.pathname + location.search, `${url} (redirecting)`)
            continue
          }
          if (!type.startsWith('text/html')) continue
          for (const offer of offeredBy(await response.text())) {
            const target = new URL(offer.target ?? url, `http://localhost${url}`)
            if (target.host !== 'localhost' || target.protocol !== 'http:') continue
            if (offer.method === 'GET') {
              visit(target.pathname + target.search, url)
              continue
            }
            const route = posts.find((r) => r.pattern.test(target.pathname))
            if (route === undefined) failures.add(`${url} offers the ${role} ${offer.what} to ${target.pathname}, which is no route`)
            else if (!may([role], 'POST', route.path, false, finalised, moderating, planDraft))
              failures.add(`${url} offers the ${role} ${offer.what} to ${target.pathname}, which the access table refuses them`)
            else if (!declared && declarationNeeded('POST', route.path, [role]).length > 0)
              failures.add(`${url} offers the ${role} who has not declared ${offer.what} to ${target.pathname}, which waits for their declaration`)
            else if (planDraft && tenderOf(route.path, target.pathname))
              failures.add(`${url} offers the ${role} ${offer.what} to ${target.pathname}, a tender's, which waits for the plan's approval`)
          }
        }
      }
      expect([...failures]).toEqual([])
      expect(read).toBeGreaterThan(people.length * 2)
    }, 120_000)
  }
})
