import type { Hono } from 'hono'
import type { Kysely } from 'kysely'
import { createApp } from '../src/app.js'
import { loadTemplates, type CriteriaTemplate } from '../src/criteria-templates.js'
import { openDatabase } from '../src/db/open.js'
import type { Database } from '../src/db/schema.js'

let templates: CriteriaTemplate[] | undefined

export function testTemplates(): CriteriaTemplate[] {
  templates ??= loadTemplates()
  return templates
}

export interface TestApp {
  app: Hono
  db: Kysely<Database>
}

/** An app over a fresh, migrated in-memory database: no open port, nothing shared between tests. */
export async function createTestApp(): Promise<TestApp> {
  const db = await openDatabase(':memory:')
  return { app: createApp({ db, templates: testTemplates() }), db }
}

/** Posts a url-encoded form as a browser would. */
export function postForm(app: Hono, path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
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
export async function createEvaluation(app: Hono, overrides: Record<string, string> = {}): Promise<number> {
  const response = await postForm(app, '/evaluations', evaluationFields(overrides))
  if (response.status !== 303) throw new Error(`expected a redirect, got ${response.status}: ${await response.text()}`)
  return Number(/\/evaluations\/(\d+)$/.exec(response.headers.get('location') ?? '')?.[1])
}

/** Text of the page with tags removed and whitespace collapsed, for readable assertions. */
export function pageText(html: string): string {
  return html.replace(/<script[\s\S]*?<\/script>/g, ' ').replace(/<[^>]+>/g, ' ').replace(/&#39;|&#x27;/g, "'").replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/\s+/g, ' ').trim()
}
