// What a load balancer and a log collector see: the health checks without a session, and one JSON
// log line a request carrying its id, route, status, duration and account id, and nothing personal.
import { Writable } from 'node:stream'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { createApp } from '../src/app.js'
import { insertAccount } from '../src/db/accounts.js'
import { openPostgres } from '../src/db/dialect.js'
import { migrationNames } from '../src/db/migrate.js'
import { createLogger } from '../src/log.js'
import { openTestDatabase } from './database.js'
import { createTestApp, signedInClient, testTemplates } from './helpers.js'
import { freePort } from './loopback.js'

function logLines(): { stream: Writable; lines: () => Record<string, unknown>[]; text: () => string } {
  let text = ''
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk)
      done()
    },
  })
  return {
    stream,
    text: () => text,
    lines: () =>
      text
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line)),
  }
}

describe('health checks', () => {
  it('answer without a session: the process is up, and the database is reachable and current', async () => {
    const t = await createTestApp()
    const health = await t.anonymous.request('/healthz')
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({ status: 'ok' })
    const ready = await t.anonymous.request('/readyz')
    expect(ready.status).toBe(200)
    expect(await ready.json()).toEqual({ status: 'ok', database: 'reachable', migrations: 'current' })
    expect(ready.headers.get('cache-control')).toBe('no-store')
  })

  it('say not ready while a migration this version knows has not run, and ready again once it has', async () => {
    const t = await createTestApp()
    const last = migrationNames.at(-1)!
    const row = await sql<{ name: string; timestamp: string }>`select name, timestamp from kysely_migration where name = ${last}`.execute(t.db)
    await sql`delete from kysely_migration where name = ${last}`.execute(t.db)
    try {
      const ready = await t.anonymous.request('/readyz')
      expect(ready.status).toBe(503)
      expect(await ready.json()).toEqual({ status: 'unavailable', database: 'reachable', migrations: 'behind' })
    } finally {
      await sql`insert into kysely_migration (name, timestamp) values (${last}, ${row.rows[0]!.timestamp})`.execute(t.db)
    }
    expect((await t.anonymous.request('/readyz')).status).toBe(200)
  })

  it('say not ready when the database cannot be reached, while the process stays healthy', async () => {
    const db = openPostgres(`postgres://nobody:secret-password@127.0.0.1:${await freePort()}/nothing`)
    const log = logLines()
    try {
      const app = createApp({ db, templates: testTemplates(), log: createLogger('info', log.stream) })
      expect((await app.request('/healthz')).status).toBe(200)
      const ready = await app.request('/readyz')
      expect(ready.status).toBe(503)
      expect(await ready.json()).toEqual({ status: 'unavailable', database: 'unreachable' })
      expect(log.lines().some((line) => line.msg === 'readiness: the database did not answer' && line.level === 40)).toBe(true)
      expect(log.text()).not.toContain('secret-password')
    } finally {
      await db.destroy()
    }
  })
})

describe('the request log', () => {
  it('writes one JSON line a request with its id, route, status, duration and account id, and nothing personal', async () => {
    const db = await openTestDatabase()
    const log = logLines()
    const app = createApp({ db, templates: testTemplates(), log: createLogger('info', log.stream) })
    const accountId = await insertAccount(db, { email: 'private.person@example.test', name: 'Private Person', passwordHash: 'x', admin: false })
    const client = await signedInClient(app, db, accountId)

    const page = await client.request('/evaluations?search=private.person%40example.test', { headers: { 'X-Request-Id': 'lb-1234.abc' } })
    expect(page.status).toBe(200)
    expect(page.headers.get('X-Request-Id')).toBe('lb-1234.abc')
    const signedOut = await app.request('/evaluations', { headers: { 'X-Request-Id': 'not sound <script>"' } })
    expect(signedOut.status).toBe(302)
    const generated = signedOut.headers.get('X-Request-Id')!
    expect(generated).toMatch(/^[0-9a-f-]{36}$/)
    await app.request('/healthz') // a probe: debug, so not at info

    const requests = log.lines().filter((line) => line.msg === 'request')
    expect(requests).toHaveLength(2)
    expect(requests[0]).toMatchObject({ requestId: 'lb-1234.abc', method: 'GET', route: '/evaluations', status: 200, accountId, level: 30 })
    expect(typeof requests[0]!.durationMs).toBe('number')
    expect(requests[1]).toMatchObject({ requestId: generated, route: '/evaluations', status: 302, accountId: null })
    for (const forbidden of ['private.person', 'Private Person', 'session=', 'search=']) expect(log.text()).not.toContain(forbidden)
  })

  it('takes its level from the setting: debug logs the health checks too, silent logs nothing', async () => {
    const db = await openTestDatabase()
    const debug = logLines()
    await createApp({ db, templates: testTemplates(), log: createLogger('debug', debug.stream) }).request('/healthz')
    expect(debug.lines()).toMatchObject([{ msg: 'request', route: '/healthz', status: 200, level: 20 }])
    const silent = logLines()
    await createApp({ db, templates: testTemplates(), log: createLogger('silent', silent.stream) }).request('/evaluations')
    expect(silent.text()).toBe('')
  })
})
