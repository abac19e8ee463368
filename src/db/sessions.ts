import { createHash, randomBytes } from 'node:crypto'
import type { Db } from './connection.js'
import type { Account } from './schema.js'

/** A session ends after this long without a request… */
export const SESSION_IDLE_MS = 4 * 60 * 60 * 1000
/** …and in any case this long after sign-in, so a forgotten browser does not stay signed in. */
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000
/** last_seen_at is written at most this often, so reading pages does not write on every request. */
const TOUCH_INTERVAL_MS = 60 * 1000

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

export interface ActiveSession {
  account: Account
  csrfToken: string
}

/** Starts a session; returns the token for the cookie (only its hash is stored) and its CSRF token. */
export async function startSession(db: Db, accountId: number, at: Date = new Date()): Promise<{ token: string; csrfToken: string }> {
  const token = randomBytes(32).toString('base64url')
  const csrfToken = randomBytes(32).toString('base64url')
  const stamp = at.toISOString()
  await db
    .insertInto('session')
    .values({ token_hash: hashToken(token), account_id: accountId, csrf_token: csrfToken, created_at: stamp, last_seen_at: stamp })
    .execute()
  return { token, csrfToken }
}

/** Starts a session; returns the token for the cookie. */
export async function createSession(db: Db, accountId: number, at: Date = new Date()): Promise<string> {
  return (await startSession(db, accountId, at)).token
}

/** The session behind a cookie's token, if it exists, has not expired and its account is enabled. */
export async function validateSession(db: Db, token: string, at: Date = new Date()): Promise<ActiveSession | null> {
  const hash = hashToken(token)
  const row = await db
    .selectFrom('session')
    .innerJoin('account', 'account.id', 'session.account_id')
    .selectAll('account')
    .select(['session.csrf_token', 'session.created_at as session_created_at', 'session.last_seen_at'])
    .where('session.token_hash', '=', hash)
    .executeTakeFirst()
  if (row === undefined) return null
  const time = at.getTime()
  const expired = time - Date.parse(row.last_seen_at) > SESSION_IDLE_MS || time - Date.parse(row.session_created_at) > SESSION_ABSOLUTE_MS
  if (expired || row.disabled === 1) {
    await db.deleteFrom('session').where('token_hash', '=', hash).execute()
    return null
  }
  if (time - Date.parse(row.last_seen_at) > TOUCH_INTERVAL_MS) {
    await db.updateTable('session').set({ last_seen_at: at.toISOString() }).where('token_hash', '=', hash).execute()
  }
  const { csrf_token, session_created_at, last_seen_at, ...account } = row
  void session_created_at
  void last_seen_at
  return { account, csrfToken: csrf_token }
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  await db.deleteFrom('session').where('token_hash', '=', hashToken(token)).execute()
}

/** Ends every session of an account, as after a password change elsewhere. */
export async function deleteSessionsOf(db: Db, accountId: number, exceptToken?: string): Promise<void> {
  let query = db.deleteFrom('session').where('account_id', '=', accountId)
  if (exceptToken !== undefined) query = query.where('token_hash', '!=', hashToken(exceptToken))
  await query.execute()
}
