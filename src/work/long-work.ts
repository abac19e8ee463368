import type { Context, MiddlewareHandler } from 'hono'
import { accountOf } from '../auth/guard.js'
import type { LongWork } from './pool.js'
import type { TaskName, Tasks } from './tasks.js'

declare module 'hono' {
  interface ContextVariableMap {
    /** The app's pool of worker threads for long work (src/work/pool.ts). */
    longWork: LongWork
  }
}

/** Hands every request the app's pool. */
export function provideLongWork(work: LongWork): MiddlewareHandler {
  return async (c, next) => {
    c.set('longWork', work)
    await next()
  }
}

/**
 * Runs a task in a worker thread for the signed-in account; the request waits without holding up
 * anyone else's. A full queue or the account's own limit throws LongWorkRefused (503 or 429).
 */
export function runLong<K extends TaskName>(c: Context, name: K, input: Parameters<Tasks[K]>[0]): Promise<Awaited<ReturnType<Tasks[K]>>> {
  return c.get('longWork').run(name, input, accountOf(c).id)
}
