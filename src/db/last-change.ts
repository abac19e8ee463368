import type { Db } from './connection.js'

/**
 * When an evaluation last changed: its own record, a panel member's score, a consensus score or a
 * declaration of interest, whichever is latest. Scores do not touch the evaluation's record (they
 * are saved many times a minute during moderation), so its `updated_at` alone would date a report
 * too early. Undefined when there is no such evaluation.
 */
export async function lastChangeOf(db: Db, evaluationId: number): Promise<Date | undefined> {
  const [evaluation, individual, consensus, panel] = await Promise.all([
    db.selectFrom('evaluation').select('updated_at').where('id', '=', evaluationId).executeTakeFirst(),
    db.selectFrom('individual_score').select((eb) => eb.fn.max('updated_at').as('at')).where('evaluation_id', '=', evaluationId).executeTakeFirst(),
    db.selectFrom('consensus_score').select((eb) => eb.fn.max('updated_at').as('at')).where('evaluation_id', '=', evaluationId).executeTakeFirst(),
    db
      .selectFrom('panel_member')
      .select((eb) => [eb.fn.max('declared_at').as('declared'), eb.fn.max('decided_at').as('decided')])
      .where('evaluation_id', '=', evaluationId)
      .executeTakeFirst(),
  ])
  if (evaluation === undefined) return undefined
  const times = [evaluation.updated_at, individual?.at, consensus?.at, panel?.declared, panel?.decided]
    .map((value: unknown) => (value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : NaN))
    .filter((time) => Number.isFinite(time))
  return new Date(Math.max(...times))
}
