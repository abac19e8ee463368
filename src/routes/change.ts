import type { Context } from 'hono'
import type { Kysely } from 'kysely'
import { recordedChange, recordedCreation, type Actor, type Change, type ChangeRequest } from '../db/audit.js'
import type { Database, Evaluation } from '../db/schema.js'

/** The signed-in person, as the audit log names them. */
export function actorOf(c: Context): Actor {
  const account = c.get('account')
  if (account === null || account === undefined) throw new Error('A change needs a signed-in account')
  return { accountId: account.id, name: account.name }
}

/**
 * A request's writes to an evaluation: one transaction, refused when the evaluation is finalised,
 * and recorded in its audit log under the signed-in person's name.
 */
export function changeEvaluation<T>(
  db: Kysely<Database>,
  c: Context,
  evaluation: Pick<Evaluation, 'id'>,
  request: Omit<ChangeRequest, 'evaluationId' | 'actor'>,
  work: (trx: Change) => Promise<T>,
): Promise<T> {
  return recordedChange(db, { ...request, evaluationId: evaluation.id, actor: actorOf(c) }, work)
}

/** A request that creates an evaluation: its first audit entry records everything it made. */
export function createEvaluation(
  db: Kysely<Database>,
  c: Context,
  request: Omit<ChangeRequest, 'evaluationId' | 'actor' | 'reach'>,
  work: (trx: Change) => Promise<number>,
): Promise<number> {
  return recordedCreation(db, { ...request, actor: actorOf(c) }, work)
}
