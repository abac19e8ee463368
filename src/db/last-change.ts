import { lastEntryOf } from './audit.js'
import type { Db } from './connection.js'

/**
 * When an evaluation last changed: the time of the last entry in its audit log, which every change
 * (a score, a consensus, a cost line, a setting) appends to. Undefined when there is no such
 * evaluation; its creation time when it has no entries (only a database the log never saw).
 */
export async function lastChangeOf(db: Db, evaluationId: number): Promise<Date | undefined> {
  const [evaluation, last] = await Promise.all([
    db.selectFrom('evaluation').select('created_at').where('id', '=', evaluationId).executeTakeFirst(),
    lastEntryOf(db, evaluationId),
  ])
  if (evaluation === undefined) return undefined
  return new Date(last?.at ?? evaluation.created_at)
}
