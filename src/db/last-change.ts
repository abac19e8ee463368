import type { Db } from './connection.js'

/**
 * When an evaluation last changed: the time of the last entry in its audit log, which every change
 * (a score, a consensus, a cost line, a setting) appends to. Undefined when there is no such
 * evaluation; its creation time when it has no entries (only a database the log never saw).
 */
export async function lastChangeOf(db: Db, evaluationId: number): Promise<Date | undefined> {
  const [evaluation, last] = await Promise.all([
    db.selectFrom('evaluation').select('created_at').where('id', '=', evaluationId).executeTakeFirst(),
    db.selectFrom('audit_entry').select('at').where('evaluation_id', '=', evaluationId).orderBy('seq', 'desc').limit(1).executeTakeFirst(),
  ])
  if (evaluation === undefined) return undefined
  return new Date(last?.at ?? evaluation.created_at)
}

/** The last entry in an evaluation's audit log: when, and who. Undefined when it has none. */
export async function lastEntryOf(db: Db, evaluationId: number): Promise<{ seq: number; at: string; actorName: string } | undefined> {
  const last = await db
    .selectFrom('audit_entry')
    .select(['seq', 'at', 'actor_name'])
    .where('evaluation_id', '=', evaluationId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst()
  return last === undefined ? undefined : { seq: last.seq, at: last.at, actorName: last.actor_name }
}
