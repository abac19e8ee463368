import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { EvaluationFile } from '../appraisal/index.js'
import { recordedChange, type Actor, type Change } from './audit.js'
import type { Database, Evaluation } from './schema.js'

/**
 * The award record: what the lead records once an evaluation is finalised (the award decision date,
 * the standstill period, which supplier was notified when and how, and whether the open data may
 * carry every tender's figures). It lives on the evaluation's row, and is the evaluation file's
 * `award`. It is the one change a finalised evaluation takes: it records what happened after the
 * decision, and changes nothing the decision rests on.
 */

export type AwardRecord = NonNullable<EvaluationFile['award']>

/** A notification as the column holds it: the option by its row id, so renaming its key loses nothing. */
const storedNotice = z.strictObject({
  optionId: z.number().int(),
  date: z.string(),
  to: z.string().optional(),
  method: z.string().optional(),
})
const storedNotices = z.array(storedNotice)

type AwardColumns = Pick<Evaluation, 'award_decision_date' | 'standstill_start' | 'standstill_end' | 'award_notifications' | 'award_publish_all'>

/** The award record of a row, as the file holds it (option keys from `optionKeys`); undefined when nothing is set. */
export function awardFromRow(row: AwardColumns, optionKeys: ReadonlyMap<number, string>): AwardRecord | undefined {
  // `== null`: a database from before the award record's columns has none of them.
  const notices = row.award_notifications == null ? [] : storedNotices.parse(JSON.parse(row.award_notifications))
  const notifications = notices.flatMap((notice) => {
    const option = optionKeys.get(notice.optionId)
    if (option === undefined) return []
    return [
      { option, date: notice.date, ...(notice.to === undefined ? {} : { to: notice.to }), ...(notice.method === undefined ? {} : { method: notice.method }) },
    ]
  })
  const award: AwardRecord = {
    ...(row.award_decision_date == null ? {} : { decisionDate: row.award_decision_date }),
    ...(row.standstill_start == null ? {} : { standstillStart: row.standstill_start }),
    ...(row.standstill_end == null ? {} : { standstillEnd: row.standstill_end }),
    ...(notifications.length === 0 ? {} : { notifications }),
    ...(row.award_publish_all === 1 ? { publishAllFigures: true as const } : {}),
  }
  return Object.keys(award).length === 0 ? undefined : award
}

/** The columns for an award record (option keys to row ids through `optionIds`). */
export function awardColumns(award: AwardRecord | undefined, optionIds: ReadonlyMap<string, number>): AwardColumns {
  const notices = (award?.notifications ?? []).map((notice) => ({
    optionId: optionIds.get(notice.option)!,
    date: notice.date,
    ...(notice.to === undefined ? {} : { to: notice.to }),
    ...(notice.method === undefined ? {} : { method: notice.method }),
  }))
  return {
    award_decision_date: award?.decisionDate ?? null,
    standstill_start: award?.standstillStart ?? null,
    standstill_end: award?.standstillEnd ?? null,
    award_notifications: notices.length === 0 ? null : JSON.stringify(notices),
    award_publish_all: award?.publishAllFigures === true ? 1 : 0,
  }
}

async function optionIdsOf(db: Kysely<Database> | Change, evaluationId: number): Promise<Map<string, number>> {
  const rows = await db.selectFrom('option').select(['id', 'key']).where('evaluation_id', '=', evaluationId).execute()
  return new Map(rows.map((row) => [row.key, row.id]))
}

export async function readAwardRecord(db: Kysely<Database>, evaluationId: number): Promise<AwardRecord | undefined> {
  const row = await db
    .selectFrom('evaluation')
    .select(['award_decision_date', 'standstill_start', 'standstill_end', 'award_notifications', 'award_publish_all'])
    .where('id', '=', evaluationId)
    .executeTakeFirst()
  if (row === undefined) return undefined
  const ids = await optionIdsOf(db, evaluationId)
  return awardFromRow(row, new Map([...ids].map(([key, id]) => [id, key])))
}

export class AwardNeedsFinalisedError extends Error {
  constructor() {
    super('The award record is kept for a finalised evaluation: finalise it first.')
  }
}

/**
 * Saves the award record of a finalised evaluation, as one recorded change. `award` has been
 * validated as the file's `award` is (its options are known tenders of this evaluation).
 */
export async function saveAwardRecord(db: Kysely<Database>, evaluationId: number, actor: Actor, award: AwardRecord, summary: string): Promise<void> {
  const request = { evaluationId, actor, kind: 'award', summary, reach: { tables: ['evaluation'] }, whileFinalised: true } as const
  await recordedChange(db, request, async (trx) => {
    const evaluation = await trx.selectFrom('evaluation').select('status').where('id', '=', evaluationId).executeTakeFirstOrThrow()
    if (evaluation.status !== 'finalised') throw new AwardNeedsFinalisedError()
    const columns = awardColumns(award, await optionIdsOf(trx, evaluationId))
    await trx.updateTable('evaluation').set(columns).where('id', '=', evaluationId).execute()
  })
}
