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

/**
 * Counts a failure against each key in one statement, so app servers sharing the database never lose
 * a count to each other; a count older than FORGET_AFTER_MS starts again from one.
 */
export async function recordSignInFailure(db: Db, keys: string[], at: Date = new Date()): Promise<void> {
  const stamp = at.toISOString()
  const staleBefore = new Date(at.getTime() - FORGET_AFTER_MS).toISOString()
  for (const key of keys) {
    await db
      .insertInto('sign_in_throttle')
      .values({ key, failures: 1, last_failure_at: stamp })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet((eb) => ({
          failures: eb
            .case()
            .when('sign_in_throttle.last_failure_at', '<', staleBefore)
            .then(1)
            .else(eb('sign_in_throttle.failures', '+', 1))
            .end(),
          last_failure_at: eb.ref('excluded.last_failure_at'),
        })),
      )
      .execute()
  }
}

export async function clearSignInFailures(db: Db, key: string): Promise<void> {
  await db.deleteFrom('sign_in_throttle').where('key', '=', key).execute()
}
