// The bare stack the save figures are compared with: Hono on @hono/node-server, and a route at the
// same path as an evaluator's save that reads the same form and does one better-sqlite3 insert (or,
// with `npm run bench -- --postgres`, one insert through pg into the same PostgreSQL server).
// No session, no validation, no authorisation: the least a save could cost on this machine.
//
//   BASELINE_DB=/tmp/x.sqlite PORT=3001 node --import tsx test/bench/baseline-server.ts
//   BASELINE_DATABASE_URL=postgres://… PORT=3001 node --import tsx test/bench/baseline-server.ts

import { serve } from '@hono/node-server'
import SQLite from 'better-sqlite3'
import { Hono } from 'hono'
import pg from 'pg'

const path = process.env.BASELINE_DB
const url = process.env.BASELINE_DATABASE_URL || undefined
const port = Number(process.env.PORT)
if ((path === undefined && url === undefined) || !Number.isInteger(port)) throw new Error('set BASELINE_DB (or BASELINE_DATABASE_URL) and PORT')

const columns = 'option_id, criterion_id, score, rationale, evidence, updated_at'
/** One insert of a score; its id. On PostgreSQL (with BASELINE_DATABASE_URL), through a pool of pg connections as the app's. */
let insert: (values: [number, number, number, string, string, string]) => Promise<number>
let close: () => Promise<void>
if (url !== undefined) {
  const pool = new pg.Pool({ connectionString: url, max: 10 })
  await pool.query(`create table if not exists baseline_score (
    id serial primary key, option_id integer not null, criterion_id integer not null,
    score double precision not null, rationale text, evidence text, updated_at text not null)`)
  insert = async (values) =>
    (await pool.query(`insert into baseline_score (${columns}) values ($1, $2, $3, $4, $5, $6) returning id`, values)).rows[0].id as number
  close = () => pool.end()
} else {
  // The same settings as the app's database (src/db/dialect.ts).
  const sqlite = new SQLite(path!)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = FULL')
  sqlite.pragma('busy_timeout = 5000')
  sqlite.exec(`create table if not exists score (
    id integer primary key, option_id integer not null, criterion_id integer not null,
    score real not null, rationale text, evidence text, updated_at text not null)`)
  const statement = sqlite.prepare(`insert into score (${columns}) values (?, ?, ?, ?, ?, ?)`)
  insert = async (values) => Number(statement.run(...values).lastInsertRowid)
  close = async () => {
    sqlite.close()
  }
}

const app = new Hono()
app.get('/health', (c) => c.text('ok'))
app.post('/evaluations/:id/scoring/:optionId/:criterionId', async (c) => {
  const form = await c.req.parseBody()
  const id = await insert([
    Number(c.req.param('optionId')),
    Number(c.req.param('criterionId')),
    Number(form.score),
    String(form.rationale),
    String(form.evidence ?? ''),
    new Date().toISOString(),
  ])
  return c.html(`<form><input type="hidden" name="version" value="${id}"></form>`)
})

const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' })
const stop = () => {
  server.close()
  void close().finally(() => process.exit(0))
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
