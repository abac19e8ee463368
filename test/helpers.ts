// Every route needs a signed-in account with the right role (src/auth/access.ts). In tests use
// `t.app` (signed in as a lead of everything it creates or imports), `t.importFile(file)` to import
// an evaluation led by that account, `t.clientWithRoles(id, roles)` for other roles, and
// `t.anonymous` for a signed-out visitor.
import type { Hono } from 'hono'
import type { Kysely } from 'kysely'
import { DECLARING_ROLES, type EvaluationFile, parseEvaluationText } from '../src/appraisal/index.js'
import { declareForRoles } from '../src/db/declarations.js'
import { createApp } from '../src/app.js'
import { hashPassword } from '../src/auth/password.js'
import { loadTemplates, type CriteriaTemplate } from '../src/criteria-templates.js'
import { grantRole, insertAccount } from '../src/db/accounts.js'
import { importEvaluationFile } from '../src/db/evaluation-file.js'
import { recordedChange } from '../src/db/audit.js'
import { approvePlan, latestPlanVersion } from '../src/db/plan.js'
import { TEST_ACTOR, verifyRecordsAfterTest } from './changes.js'
import type { Database, EvaluationRole } from '../src/db/schema.js'
import { createSession, validateSession } from '../src/db/sessions.js'
import { openTestDatabase } from './database.js'

let templates: CriteriaTemplate[] | undefined

export function testTemplates(): CriteriaTemplate[] {
  templates ??= loadTemplates()
  return templates
}

/** Something that answers requests like Hono's app.request: the app itself, or a signed-in client of it. */
export interface TestClient {
  request(input: string, init?: RequestInit): Response | Promise<Response>
}

export interface TestApp {
  /** A client signed in as the test lead, who leads every evaluation they create or import. */
  app: TestClient
  /** The app with no session: a signed-out visitor. */
  anonymous: Hono
  db: Kysely<Database>
  accountId: number
  /**
   * Imports an evaluation file with the test lead as its lead, its plan approved (as the lead would,
   * before scoring) unless `draft` is asked for or the file brings its own approval; returns its id.
   */
  importFile(file: EvaluationFile, options?: { draft?: boolean; undeclared?: boolean }): Promise<number>
  /**
   * A client signed in as a new account holding these roles on the evaluation (none: just an account).
   * Once the plan is approved, a role that declares has declared no interest, unless `undeclared`.
   */
  clientWithRoles(evaluationId: number | null, roles: EvaluationRole[], options?: { admin?: boolean; undeclared?: boolean }): Promise<TestClient>
}

let accountCounter = 0

/** A client that sends a session cookie and the session's CSRF token, as the browser does. */
export async function signedInClient(app: Hono, db: Kysely<Database>, accountId: number): Promise<TestClient> {
  const token = await createSession(db, accountId)
  const session = await validateSession(db, token)
  const csrf = session!.csrfToken
  return {
    request(input, init = {}) {
      const headers = new Headers(init.headers)
      headers.set('cookie', `session=${token}`)
      if (!headers.has('X-CSRF-Token') && (init.method ?? 'GET') !== 'GET') headers.set('X-CSRF-Token', csrf)
      return Promise.resolve(app.request(input, { ...init, headers }))
    },
  }
}

// One quick hash for every test account: scrypt at full strength would slow the suite for nothing.
const testPasswordHash = hashPassword('correct horse battery staple')
export const TEST_PASSWORD = 'correct horse battery staple'

export async function createTestAccount(db: Kysely<Database>, options: { admin?: boolean; email?: string } = {}): Promise<number> {
  accountCounter += 1
  return insertAccount(db, {
    email: options.email ?? `person${accountCounter}@example.test`,
    name: `Test Person ${accountCounter}`,
    passwordHash: await testPasswordHash,
    admin: options.admin ?? false,
  })
}

/** An app over a fresh, migrated database (test/database.ts): no open port, nothing shared between tests. */
export async function createTestApp(): Promise<TestApp> {
  const db = await openTestDatabase()
  const anonymous = createApp({ db, templates: testTemplates() })
  const accountId = await createTestAccount(db)
  const app = await signedInClient(anonymous, db, accountId)
  verifyRecordsAfterTest(db)
  return {
    app,
    anonymous,
    db,
    accountId,
    async importFile(file, options = {}) {
      const id = await importEvaluationFile(db, file, { actor: TEST_ACTOR, leadAccountId: accountId })
      if (options.draft !== true) await approveTestPlan(db, id)
      if (options.undeclared !== true) await declareNoInterest(db, id, accountId, ['lead'])
      return id
    },
    async clientWithRoles(evaluationId, roles, options = {}) {
      const id = await createTestAccount(db, options)
      if (evaluationId !== null) {
        // As the panel page does: roles are access, not the record, so they change after sign-off too.
        const request = {
          evaluationId,
          actor: TEST_ACTOR,
          kind: 'panel',
          summary: 'Roles given by a test',
          reach: { tables: ['panel_role'] },
          whileFinalised: true,
        } as const
        await recordedChange(db, request, async (trx) => {
          for (const role of roles) await grantRole(trx, evaluationId, id, role)
        })
        if (options.undeclared !== true) await declareNoInterest(db, evaluationId, id, roles)
      }
      return signedInClient(anonymous, db, id)
    },
  }
}

/**
 * Records "no interest" for someone whose roles declare outside the panel (src/db/declarations.ts), as
 * they would on their declaration page: only once the plan is approved, when declarations open.
 */
export async function declareNoInterest(db: Kysely<Database>, evaluationId: number, accountId: number, roles: readonly EvaluationRole[]): Promise<void> {
  const declaring = roles.filter((role) => DECLARING_ROLES.includes(role) && role !== 'evaluator')
  if (declaring.length === 0 || (await latestPlanVersion(db, evaluationId)) === undefined) return
  const { status } = await db.selectFrom('evaluation').select('status').where('id', '=', evaluationId).executeTakeFirstOrThrow()
  if (status === 'finalised') return
  const account = await db.selectFrom('account').select(['id', 'name', 'email']).where('id', '=', accountId).executeTakeFirstOrThrow()
  await declareForRoles(db, TEST_ACTOR, evaluationId, account, declaring, { interest: false, supplier: null, details: null })
}

/** Approves an evaluation's plan as the test lead would, unless it is approved already. */
export async function approveTestPlan(db: Kysely<Database>, evaluationId: number): Promise<void> {
  if ((await latestPlanVersion(db, evaluationId)) !== undefined) return
  const refusals = await approvePlan(db, TEST_ACTOR, evaluationId, { confirmNoCostWeight: true })
  if (refusals.length > 0) throw new Error(`the test plan could not be approved: ${refusals.map((r) => r.message).join('; ')}`)
}

/** Posts a url-encoded form as a browser would. */
export function postForm(app: TestClient, path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return app.request(path, {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  })
}

/** The default 0–5 evaluation form, with any fields overridden. */
export function evaluationFields(overrides: Record<string, string> = {}): Record<string, string> {
  return { title: 'Replacement records system', organisation: 'Example Constabulary', summary: '', scaleMin: '0', scaleMax: '5', template: '', ...overrides }
}

/** Creates an evaluation through the app and returns its id. */
export async function createEvaluation(app: TestClient, overrides: Record<string, string> = {}): Promise<number> {
  const response = await postForm(app, '/evaluations', evaluationFields(overrides))
  if (response.status !== 303) throw new Error(`expected a redirect, got ${response.status}: ${await response.text()}`)
  return Number(/\/evaluations\/(\d+)$/.exec(response.headers.get('location') ?? '')?.[1])
}

/**
 * A new evaluation (from the police records template, for its criteria) whose plan the lead has
 * approved: tenders open only then (src/db/plan.ts).
 */
export async function createApprovedEvaluation(app: TestClient, db: Kysely<Database>, overrides: Record<string, string> = {}): Promise<number> {
  const id = await createEvaluation(app, { template: 'police-records-management', ...overrides })
  await approveTestPlan(db, id)
  return id
}

/** Text of the page with tags removed and whitespace collapsed, for readable assertions. */
export function pageText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ')
    .trim()
}

/** The text of one element, found by its id (the element and everything inside it). */
export function textOf(html: string, id: string): string {
  const start = html.indexOf(`id="${id}"`)
  if (start === -1) throw new Error(`no element with id ${id}`)
  const tag = html.lastIndexOf('<', start)
  const name = /^<([a-z0-9]+)/.exec(html.slice(tag))?.[1] ?? 'div'
  let depth = 0
  const pattern = new RegExp(`<(/?)${name}\\b[^>]*>`, 'g')
  pattern.lastIndex = tag
  for (let match = pattern.exec(html); match !== null; match = pattern.exec(html)) {
    depth += match[1] === '/' ? -1 : 1
    if (depth === 0) return pageText(html.slice(tag, pattern.lastIndex))
  }
  return pageText(html.slice(tag))
}

/**
 * An exported file read back, less the plan's approval that importing a file with scores and no plan
 * records (such a file is a record, and its plan stood when it was imported): what an exported copy of
 * a plan-less file is compared with. Throws when the export carries no approval or any later change.
 */
export function exportedLessImportApproval(text: string): ReturnType<typeof parseEvaluationText> {
  const parsed = parseEvaluationText(text)
  if (!parsed.ok) return parsed
  const { plan, ...file } = parsed.file
  if (plan === undefined || plan.changes.length > 0) throw new Error('the export should carry the approval at import, and no change after it')
  return { ...parsed, file }
}
