// The bare stack the save figures are compared with: Hono on @hono/node-server, and a route at the
// same path as an evaluator's save that reads the same form and does one better-sqlite3 insert.
// No session, no validation, no authorisation: the least a save could cost on this machine.
//
//   BASELINE_DB=/tmp/x.sqlite PORT=3001 node --import tsx test/bench/baseline-server.ts

import { serve } from '@hono/node-server'
import SQLite from 'better-sqlite3'
import { Hono } from 'hono'

const path = process.env.BASELINE_DB
const port = Number(process.env.PORT)
if (path === undefined || !Number.isInteger(port)) throw new Error('set BASELINE_DB and PORT')

// The same settings as the app's database (src/db/dialect.ts).
const sqlite = new SQLite(path)
sqlite.pragma('journal_mode = WAL')
sqlite.pragma('synchronous = FULL')
sqlite.pragma('busy_timeout = 5000')
sqlite.exec(`create table if not exists score (
  id integer primary key, option_id integer not null, criterion_id integer not null,
  score real not null, rationale text, evidence text, updated_at text not null)`)
const insert = sqlite.prepare('insert into score (option_id, criterion_id, score, rationale, evidence, updated_at) values (?, ?, ?, ?, ?, ?)')

const app = new Hono()
app.get('/health', (c) => c.text('ok'))
app.post('/evaluations/:id/scoring/:optionId/:criterionId', async (c) => {
  const form = await c.req.parseBody()
  const result = insert.run(
    Number(c.req.param('optionId')),
    Number(c.req.param('criterionId')),
    Number(form.score),
    String(form.rationale),
    String(form.evidence ?? ''),
    new Date().toISOString(),
  )
  return c.html(`<form><input type="hidden" name="version" value="${result.lastInsertRowid}"></form>`)
})

const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' })
const stop = () => {
  server.close()
  sqlite.close()
  process.exit(0)
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
