import type { Db } from './connection.js'

/** Failures allowed before sign-in is slowed down. */
export const FREE_FAILURES = 5
/** Failures are forgotten after this long without another. */
const FORGET_AFTER_MS = 60 * 60 * 1000
/** The longest wait imposed. */
const MAX_WAIT_MS = 15 * 60 * 1000

/**
 * How long, in ms, before another sign-in may be tried for these keys (an account and an address).
 * After FREE_FAILURES failures each further one doubles the wait: 1 s, 2 s, 4 s … up to 15 minutes.
 */
export async function signInWait(db: Db, keys: string[], at: Date = new Date()): Promise<number> {
  if (keys.length === 0) return 0
  const rows = await db.selectFrom('sign_in_throttle').selectAll().where('key', 'in', keys).execute()
  let wait = 0
  for (const row of rows) {
    const since = at.getTime() - Date.parse(row.last_failure_at)
    if (since > FORGET_AFTER_MS || row.failures < FREE_FAILURES) continue
    const penalty = Math.min(MAX_WAIT_MS, 1000 * 2 ** (row.failures - FREE_FAILURES))
    wait = Math.max(wait, penalty - since)
  }
  return Math.max(0, wait)
}

export async function recordSignInFailure(db: Db, keys: string[], at: Date = new Date()): Promise<void> {
  for (const key of keys) {
    const row = await db.selectFrom('sign_in_throttle').selectAll().where('key', '=', key).executeTakeFirst()
    const stale = row !== undefined && at.getTime() - Date.parse(row.last_failure_at) > FORGET_AFTER_MS
    if (row === undefined) {
      await db.insertInto('sign_in_throttle').values({ key, failures: 1, last_failure_at: at.toISOString() }).execute()
    } else {
      await db
        .updateTable('sign_in_throttle')
        .set({ failures: stale ? 1 : row.failures + 1, last_failure_at: at.toISOString() })
        .where('key', '=', key)
        .execute()
    }
  }
}

export async function clearSignInFailures(db: Db, key: string): Promise<void> {
  await db.deleteFrom('sign_in_throttle').where('key', '=', key).execute()
}
