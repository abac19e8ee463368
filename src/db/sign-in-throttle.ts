import type { Db } from './connection.js'

/** How many attempts a key gets before it must wait, and how long a quiet key takes to be forgotten. */
export interface ThrottlePolicy {
  freeFailures: number
  forgetAfterMs: number
}

/** One account: a person mistypes a few times, a guesser tries many. */
export const ACCOUNT_POLICY: ThrottlePolicy = { freeFailures: 5, forgetAfterMs: 60 * 60 * 1000 }
/**
 * One address: a whole office, a police station's NAT or a proxy can share it, so one person's (or
 * an attacker's) failures must not lock the rest out; a spray over many accounts still is.
 */
export const ADDRESS_POLICY: ThrottlePolicy = { freeFailures: 100, forgetAfterMs: 15 * 60 * 1000 }

/** Failures allowed on one account before sign-in is slowed down. */
export const FREE_FAILURES = ACCOUNT_POLICY.freeFailures
/** The longest wait imposed. */
const MAX_WAIT_MS = 15 * 60 * 1000
/** Attempts to reserve against others changing the same count at the same moment, before giving up. */
const MAX_TRIES = 25

export interface ThrottleKey {
  key: string
  policy: ThrottlePolicy
}

interface Row {
  failures: number
  last_failure_at: string
}

function isStale(row: Row, policy: ThrottlePolicy, at: Date): boolean {
  return at.getTime() - Date.parse(row.last_failure_at) > policy.forgetAfterMs
}

/**
 * How long, in ms, before a key may try again. After its free failures each further one doubles the
 * wait: 1 s, 2 s, 4 s … up to 15 minutes.
 */
function waitFor(row: Row | undefined, policy: ThrottlePolicy, at: Date): number {
  if (row === undefined || isStale(row, policy, at) || row.failures < policy.freeFailures) return 0
  const penalty = Math.min(MAX_WAIT_MS, 1000 * 2 ** (row.failures - policy.freeFailures))
  return Math.max(0, penalty - (at.getTime() - Date.parse(row.last_failure_at)))
}

/**
 * Counts one attempt against a key unless it must wait, as a compare-and-set on the count read: of
 * requests racing for the same count one wins and the others read again, so the attempts that get
 * through are never more than the policy allows, however many arrive at once and on however many
 * app servers. Returns 0 when reserved, or the wait in ms.
 */
async function reserveOne(db: Db, { key, policy }: ThrottleKey, at: Date): Promise<number> {
  const stamp = at.toISOString()
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    const row = await db.selectFrom('sign_in_throttle').select(['failures', 'last_failure_at']).where('key', '=', key).executeTakeFirst()
    const wait = waitFor(row, policy, at)
    if (wait > 0) return wait
    if (row === undefined) {
      const inserted = await db
        .insertInto('sign_in_throttle')
        .values({ key, failures: 1, last_failure_at: stamp })
        .onConflict((oc) => oc.column('key').doNothing())
        .executeTakeFirst()
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return 0
    } else {
      const updated = await db
        .updateTable('sign_in_throttle')
        .set({ failures: isStale(row, policy, at) ? 1 : row.failures + 1, last_failure_at: stamp })
        .where('key', '=', key)
        .where('failures', '=', row.failures)
        .where('last_failure_at', '=', row.last_failure_at)
        .executeTakeFirst()
      if (Number(updated.numUpdatedRows) === 1) return 0
    }
  }
  // So many at once that this one never got its turn: it waits like a throttled attempt.
  return 1000
}

/** Gives back an attempt reserved but not used against the key (a right password, or another key refused). */
async function release(db: Db, key: string): Promise<void> {
  await db
    .updateTable('sign_in_throttle')
    .set((eb) => ({ failures: eb('failures', '-', 1) }))
    .where('key', '=', key)
    .where('failures', '>', 0)
    .execute()
}

/**
 * Reserves an attempt against every key (an account and an address) before the password is checked,
 * counting it as a failure until it proves right. Returns 0 when the attempt may go ahead, or how
 * long, in ms, to wait (and then nothing stays reserved).
 */
export async function reserveSignInAttempt(db: Db, keys: ThrottleKey[], at: Date = new Date()): Promise<number> {
  const reserved: string[] = []
  for (const key of keys) {
    const wait = await reserveOne(db, key, at)
    if (wait > 0) {
      for (const done of reserved) await release(db, done)
      return wait
    }
    reserved.push(key.key)
  }
  return 0
}

/**
 * After a wrong password: the failure is dated when it is known, so a wait counts from then, not from
 * when the (slow) check began.
 */
export async function signInFailed(db: Db, keys: string[], at: Date = new Date()): Promise<void> {
  await db
    .updateTable('sign_in_throttle')
    .set({ last_failure_at: at.toISOString() })
    .where('key', 'in', keys)
    .where('last_failure_at', '<', at.toISOString())
    .execute()
}

/**
 * After the right password: the account's failures are forgotten, and the attempt is given back to
 * the address, so people signing in from a shared address never use up its allowance.
 */
export async function signInSucceeded(db: Db, accountKey: string, addressKey: string): Promise<void> {
  await db.deleteFrom('sign_in_throttle').where('key', '=', accountKey).execute()
  await release(db, addressKey)
}
