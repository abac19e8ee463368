import type { Change } from './audit.js'
import type { Db } from './connection.js'
import { now } from './connection.js'
import type { Evaluation, ScaleLevel } from './schema.js'

export interface EvaluationDetails {
  title: string
  organisation: string | null
  summary: string | null
  scaleMin: number
  scaleMax: number
  levels: { level: number; label: string | null; descriptor: string | null }[]
}

/** The evaluations an account holds any role on. */
export async function listEvaluations(db: Db, options: { archived: boolean; accountId: number }): Promise<Evaluation[]> {
  return db
    .selectFrom('evaluation')
    .selectAll()
    .where('archived', '=', options.archived ? 1 : 0)
    .where('id', 'in', db.selectFrom('panel_role').select('evaluation_id').where('account_id', '=', options.accountId))
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .execute()
}

export async function findEvaluation(db: Db, id: number): Promise<Evaluation | undefined> {
  return db.selectFrom('evaluation').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function listScaleLevels(db: Db, evaluationId: number): Promise<ScaleLevel[]> {
  return db
    .selectFrom('scale_level')
    .selectAll()
    .where('evaluation_id', '=', evaluationId)
    .orderBy('level')
    .execute()
}

/** Creates an evaluation with its scale; the appraisal settings start at the Green Book defaults. */
export async function insertEvaluation(db: Change, details: EvaluationDetails): Promise<number> {
  const stamp = now()
  const row = await db
    .insertInto('evaluation')
    .values({
      title: details.title,
      organisation: details.organisation,
      summary: details.summary,
      currency: 'GBP',
      scale_min: details.scaleMin,
      scale_max: details.scaleMax,
      split_quality: 100,
      split_cost: 0,
      price_formula: 'relative-to-lowest',
      base_year: new Date().getUTCFullYear(),
      years: 10,
      discount: JSON.stringify('green-book'),
      optimism_bias_capital: 0,
      optimism_bias_operating: 0,
      archived: 0,
      created_at: stamp,
      updated_at: stamp,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await replaceScaleLevels(db, row.id, details.levels)
  return row.id
}

export async function updateEvaluationDetails(db: Change, id: number, details: EvaluationDetails): Promise<void> {
  await db
    .updateTable('evaluation')
    .set({
      title: details.title,
      organisation: details.organisation,
      summary: details.summary,
      scale_min: details.scaleMin,
      scale_max: details.scaleMax,
    })
    .where('id', '=', id)
    .execute()
  await replaceScaleLevels(db, id, details.levels)
}

export async function replaceScaleLevels(
  db: Change,
  evaluationId: number,
  levels: EvaluationDetails['levels'],
): Promise<void> {
  await db.deleteFrom('scale_level').where('evaluation_id', '=', evaluationId).execute()
  const rows = levels
    .filter((l) => l.label !== null || l.descriptor !== null)
    .map((l) => ({ evaluation_id: evaluationId, level: l.level, label: l.label, descriptor: l.descriptor }))
  if (rows.length > 0) await db.insertInto('scale_level').values(rows).execute()
}

export async function setArchived(db: Change, id: number, archived: boolean): Promise<void> {
  await db
    .updateTable('evaluation')
    .set({ archived: archived ? 1 : 0 })
    .where('id', '=', id)
    .execute()
}

