import { Hono } from 'hono'
import { sql } from 'kysely'
import type { AppDeps } from '../app.js'
import { pendingMigrations } from '../db/migrate.js'

/**
 * What a load balancer or orchestrator asks, with no session (public in the access table): whether
 * the process is up (/healthz: it answers, touching nothing), and whether it can serve (/readyz: the
 * database answers and has every migration this version knows). Neither says more than that; the
 * reason a check failed goes to the log.
 */
export function operatorRoutes({ db }: AppDeps): Hono {
  const app = new Hono()

  app.get('/healthz', (c) => c.json({ status: 'ok' }))

  app.get('/readyz', async (c) => {
    let pending: string[]
    try {
      await sql`select 1`.execute(db)
      pending = await pendingMigrations(db)
    } catch (error) {
      c.get('log').warn({ err: error }, 'readiness: the database did not answer')
      return c.json({ status: 'unavailable', database: 'unreachable' }, 503)
    }
    if (pending.length > 0) {
      c.get('log').warn({ pending }, 'readiness: the database is missing migrations')
      return c.json({ status: 'unavailable', database: 'reachable', migrations: 'behind' }, 503)
    }
    return c.json({ status: 'ok', database: 'reachable', migrations: 'current' })
  })

  return app
}
