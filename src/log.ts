import { randomUUID } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { matchedRoutes } from 'hono/route'
import { pino, type Logger } from 'pino'

export type { Logger }

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

/**
 * The app's structured log: one JSON object a line on standard output, for the platform's log
 * collector. What goes in is the request's id, route, status, duration and the account's id; never a
 * cookie, a form, a query string, an email address or a name (see requestLog).
 */
export function createLogger(level: LogLevel, destination?: NodeJS.WritableStream): Logger {
  const options = { level, base: { service: 'options-appraisal' }, timestamp: pino.stdTimeFunctions.isoTime }
  return destination === undefined ? pino(options) : pino(options, destination as Parameters<typeof pino>[1])
}

/** A log that writes nothing: the app's own when none is given (tests, the CLI). */
export const silentLog: Logger = pino({ level: 'silent' })

declare module 'hono' {
  interface ContextVariableMap {
    /** This request's id: the load balancer's X-Request-Id when it sent a sound one, else a new one. */
    requestId: string
    /** The log, bound to this request's id. */
    log: Logger
  }
}

const SOUND_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

/** The routes a load balancer calls every few seconds: logged at debug, so they do not bury the rest. */
const PROBES = new Set(['/healthz', '/readyz'])

/**
 * Logs every request once it is answered: its id (also sent back as X-Request-Id), the method, the
 * route as registered (/evaluations/:id, never the path as sent, whose query may carry anything), the
 * status, the time taken in milliseconds and the signed-in account's id.
 */
export function requestLog(log: Logger): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now()
    const sent = c.req.header('X-Request-Id')
    const requestId = sent !== undefined && SOUND_REQUEST_ID.test(sent) ? sent : randomUUID()
    const bound = log.child({ requestId })
    c.set('requestId', requestId)
    c.set('log', bound)
    try {
      await next()
    } finally {
      c.header('X-Request-Id', requestId)
      const route = matchedRoutes(c).find((r) => r.method !== 'ALL')?.path ?? null
      const account = c.get('account')
      const entry = {
        method: c.req.method,
        route,
        status: c.res.status,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        accountId: account?.id ?? null,
      }
      if (route !== null && PROBES.has(route)) bound.debug(entry, 'request')
      else bound.info(entry, 'request')
    }
  }
}
