import type { Kysely } from 'kysely'
import type { CriteriaTemplate } from '../criteria-templates.js'
import { defaultScaleLevels } from '../scale.js'
import { grantRole } from './accounts.js'
import { recordedChange, recordedCreation, type Actor, type Change, type Refusal } from './audit.js'
import type { Db } from './connection.js'
import { now } from './connection.js'
import { insertCriteriaTree } from './criteria.js'
import type { Database, Evaluation, ScaleLevel } from './schema.js'
import { scoreRange } from './scores.js'

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
  return db.selectFrom('scale_level').selectAll().where('evaluation_id', '=', evaluationId).orderBy('level').execute()
}

/** Creates an evaluation with its scale; the appraisal settings start at the Green Book defaults. */
async function insertEvaluation(db: Change, details: EvaluationDetails): Promise<number> {
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

async function updateEvaluationDetails(db: Change, id: number, details: EvaluationDetails): Promise<void> {
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

export async function replaceScaleLevels(db: Change, evaluationId: number, levels: EvaluationDetails['levels']): Promise<void> {
  await db.deleteFrom('scale_level').where('evaluation_id', '=', evaluationId).execute()
  const rows = levels
    .filter((l) => l.label !== null || l.descriptor !== null)
    .map((l) => ({ evaluation_id: evaluationId, level: l.level, label: l.label, descriptor: l.descriptor }))
  if (rows.length > 0) await db.insertInto('scale_level').values(rows).execute()
}

async function setArchived(db: Change, id: number, archived: boolean): Promise<void> {
  await db
    .updateTable('evaluation')
    .set({ archived: archived ? 1 : 0 })
    .where('id', '=', id)
    .execute()
}

// ---------------------------------------------------------------------------------------------
// Changes to an evaluation itself, each one recorded change with its own reach

/**
 * Creates an evaluation, led by `leadAccountId`, with a template's criteria if one was chosen: the
 * first entry of its log. A template's own words for each level are used when its scale is the one
 * chosen and the person left the defaults as they were.
 */
export function createEvaluation(
  db: Kysely<Database>,
  actor: Actor,
  details: EvaluationDetails,
  options: { leadAccountId: number; template?: CriteriaTemplate | undefined },
): Promise<number> {
  const { template } = options
  const summary = `Evaluation “${details.title}” created${template === undefined ? '' : ` from the template “${template.name}”`}`
  return recordedCreation(db, { actor, kind: 'evaluation', summary }, async (trx) => {
    let levels = details.levels
    const scale = template?.scale
    if (scale !== undefined && scale.min === details.scaleMin && scale.max === details.scaleMax) {
      levels = levels.map((l) => {
        const isDefault = l.label === (defaultScaleLevels[l.level]?.label ?? null)
        return isDefault
          ? { level: l.level, label: scale.labels?.[String(l.level)] ?? l.label, descriptor: scale.descriptors?.[String(l.level)] ?? l.descriptor }
          : l
      })
    }
    const evaluationId = await insertEvaluation(trx, { ...details, levels })
    await grantRole(trx, evaluationId, options.leadAccountId, 'lead')
    if (template !== undefined) await insertCriteriaTree(trx, evaluationId, template.criteria)
    return evaluationId
  })
}

/** Edits the title, description and scale; refused when scores already given would fall off the scale. */
export async function editEvaluationDetails(
  db: Kysely<Database>,
  actor: Actor,
  evaluationId: number,
  details: EvaluationDetails,
  planReason: string | null = null,
): Promise<Refusal<'scaleMin'> | null> {
  const range = await scoreRange(db, evaluationId)
  if (range !== null && (range.min < details.scaleMin || range.max > details.scaleMax)) {
    return { field: 'scaleMin', message: `Scores from ${range.min} to ${range.max} have already been given: the scale must include them` }
  }
  const request = {
    evaluationId,
    actor,
    kind: 'settings',
    summary: 'Title, description and scoring scale edited',
    reach: { tables: ['evaluation', 'scale_level'] },
    planReason,
  } as const
  await recordedChange(db, request, (trx) => updateEvaluationDetails(trx, evaluationId, details))
  return null
}

/** Archiving files an evaluation away (a finalised one too): its record does not change. */
export function archiveEvaluation(db: Kysely<Database>, actor: Actor, evaluationId: number, archived: boolean): Promise<void> {
  const summary = archived ? 'Evaluation archived' : 'Evaluation restored from the archive'
  const request = { evaluationId, actor, kind: 'status', summary, reach: { tables: ['evaluation'] }, whileFinalised: true } as const
  return recordedChange(db, request, (trx) => setArchived(trx, evaluationId, archived))
}
