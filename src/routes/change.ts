import type { Context } from 'hono'
import type { Kysely } from 'kysely'
import { actorOf } from '../auth/guard.js'
import { recordedChange, type Change, type ChangeRequest } from '../db/audit.js'
import type { Database, Evaluation } from '../db/schema.js'

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
