import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import { lastEntryOf, recordedChange, type Actor } from './audit.js'
import type { Db } from './connection.js'
import type { Database } from './schema.js'

/**
 * Sign-off. Finalising stores the report the decision rests on, byte for byte, with the evaluation
 * file it was made from, and locks the evaluation (src/db/audit.ts refuses every change to it).
 * Reopening, with a reason, starts the next version; each version's final report stays.
 */

export interface FinalisedVersion {
  version: number
  finalisedAt: string
  finalisedBy: string
  pdfSha256: string
  bytes: number
}

export class ChangedWhileFinalisingError extends Error {
  constructor() {
    super('The evaluation changed while its final report was being made, so it was not finalised. Check the change, then finalise again.')
  }
}

/**
 * Finalises the evaluation with the report made from it at chain head `madeAt`. Refused, changing
 * nothing, if anything changed since (the report would not be the record) or it is finalised already.
 */
export async function finaliseEvaluation(
  db: Kysely<Database>,
  evaluationId: number,
  actor: Actor,
  report: { madeAt: string | null; pdf: Uint8Array; fileJson: string; finalisedAt: Date },
): Promise<void> {
  const pdfSha256 = createHash('sha256').update(report.pdf).digest('hex')
  const fileSha256 = createHash('sha256').update(report.fileJson).digest('hex')
  const evaluation = await db.selectFrom('evaluation').select('version').where('id', '=', evaluationId).executeTakeFirstOrThrow()
  const request = {
    evaluationId,
    actor,
    kind: 'status',
    summary: `Version ${evaluation.version} finalised: its report is the record of the decision`,
    reach: { tables: ['evaluation'] },
    detail: { finalisedVersion: evaluation.version, pdfSha256, fileSha256 },
    always: true,
  } as const
  await recordedChange(db, request, async (trx) => {
    if ((await lastEntryOf(trx, evaluationId))?.hash !== (report.madeAt ?? undefined)) throw new ChangedWhileFinalisingError()
    const at = report.finalisedAt.toISOString()
    const current = await trx.selectFrom('evaluation').select('version').where('id', '=', evaluationId).executeTakeFirstOrThrow()
    if (current.version !== evaluation.version) throw new ChangedWhileFinalisingError()
    await trx
      .insertInto('finalised_report')
      .values({
        evaluation_id: evaluationId,
        version: current.version,
        finalised_at: at,
        finalised_by_name: actor.name,
        file_json: report.fileJson,
        pdf: report.pdf,
        pdf_sha256: pdfSha256,
      })
      .execute()
    await trx
      .updateTable('evaluation')
      .set({ status: 'finalised', finalised_at: at, finalised_by_account_id: actor.accountId, finalised_by_name: actor.name })
      .where('id', '=', evaluationId)
      .execute()
  })
}

/** Reopens a finalised evaluation as its next version. The reason is part of the record. */
export async function reopenEvaluation(db: Kysely<Database>, evaluationId: number, actor: Actor, reason: string): Promise<number> {
  const evaluation = await db.selectFrom('evaluation').select(['version', 'status']).where('id', '=', evaluationId).executeTakeFirstOrThrow()
  const next = evaluation.version + 1
  const request = {
    evaluationId,
    actor,
    kind: 'status',
    summary: `Reopened after version ${evaluation.version} was finalised; changes now make version ${next}`,
    reason,
    reach: { tables: ['evaluation'] },
    whileFinalised: true,
  } as const
  await recordedChange(db, request, async (trx) => {
    await trx
      .updateTable('evaluation')
      .set({ status: 'open', version: next, finalised_at: null, finalised_by_account_id: null, finalised_by_name: null })
      .where('id', '=', evaluationId)
      .where('status', '=', 'finalised')
      .where('version', '=', evaluation.version)
      .execute()
  })
  return next
}

export async function listFinalisedVersions(db: Db, evaluationId: number): Promise<FinalisedVersion[]> {
  const rows = await db
    .selectFrom('finalised_report')
    .select((eb) => ['version', 'finalised_at', 'finalised_by_name', 'pdf_sha256', eb.fn<number>('length', ['pdf']).as('bytes')])
    .where('evaluation_id', '=', evaluationId)
    .orderBy('version')
    .execute()
  return rows.map((r) => ({
    version: r.version,
    finalisedAt: r.finalised_at,
    finalisedBy: r.finalised_by_name,
    pdfSha256: r.pdf_sha256,
    bytes: Number(r.bytes),
  }))
}

export async function findFinalisedReport(db: Db, evaluationId: number, version: number) {
  return db.selectFrom('finalised_report').selectAll().where('evaluation_id', '=', evaluationId).where('version', '=', version).executeTakeFirst()
}
