import type { Kysely } from 'kysely'
import {
  changedCriteria,
  criteriaSchema,
  formatPath,
  planHash,
  planOf,
  planText,
  weighCriteria,
  type EvaluationFile,
  type Plan,
  type PlanSource,
} from '../appraisal/index.js'
import { formatDateTime } from '../format.js'
import { recordedChange, type Actor, type Change, type Refusal } from './audit.js'
import type { Db } from './connection.js'
import { now } from './connection.js'
import { buildCriteriaTree, listCriteria, listCriterionDescriptors } from './criteria.js'
import type { Database, Evaluation, PlanVersion } from './schema.js'

/**
 * The evaluation plan (issue 19): a new evaluation's plan is a draft until the lead approves it;
 * scoring and declarations of interest open only then (recordedChange refuses them before). After
 * approval a change that alters the plan needs a reason and starts the next version, with its own
 * hash; recordedChange sees to that for every change, whichever page made it. The plan's fields
 * and its hash are src/appraisal/plan.ts's.
 */

import { PLAN_REASON_MIN, TENDERS_AFTER_APPROVAL } from './plan-rules.js'

export { PLAN_REASON_MIN, TENDERS_AFTER_APPROVAL }

/**
 * Kinds of change that need an approved plan: the panel's scores and declarations of interest, and
 * the tender material (documents and responses), which arrives only once the plan is published.
 */
export const KINDS_AFTER_APPROVAL: ReadonlySet<string> = new Set(['score', 'declaration', 'tender'])

/** Kinds of change made only while the plan is a draft: weighting rounds (issue 25), which settle its weights. */
export const KINDS_WHILE_DRAFT: ReadonlySet<string> = new Set(['weighting'])

/** Tables whose records the plan is made from. */
export const PLAN_TABLES: ReadonlySet<string> = new Set(['evaluation', 'scale_level', 'criterion', 'criterion_descriptor'])

export class PlanNotApprovedError extends Error {
  constructor(
    message = 'The evaluation plan has not been approved yet: scoring, declarations of interest and tender material open once the lead approves it.',
  ) {
    super(message)
    this.name = 'PlanNotApprovedError'
  }
}

/** A change to a tender, or to anything of a tender's (its cost lines, trials, documents), while the plan is a draft. */
export class TenderBeforeApprovalError extends PlanNotApprovedError {
  readonly field = 'kind'
  constructor(option: string) {
    super(`“${option}” is a tender, and the evaluation plan has not been approved yet. ${TENDERS_AFTER_APPROVAL}`)
    this.name = 'TenderBeforeApprovalError'
  }
}

/** A weighting round's change once the plan is approved (issue 25): its weights are settled. */
export class PlanApprovedError extends Error {
  constructor(latest: Pick<Evaluation, 'plan_version'>) {
    super(
      `The evaluation plan is approved (version ${latest.plan_version}), so its weights are settled: weighting rounds are set up, answered and applied only while the plan is a draft. A weight can still be changed on the criteria page, with the reason for the change.`,
    )
    this.name = 'PlanApprovedError'
  }
}

/** A change that would alter the approved plan without a reason of at least PLAN_REASON_MIN characters. */
export class PlanChangeNeedsReasonError extends Error {
  readonly field = 'planReason'
  constructor(latest: Pick<PlanVersion, 'version' | 'approved_at'>) {
    super(
      `This changes the evaluation plan approved on ${formatDateTime(latest.approved_at)} (version ${latest.version}): ` +
        `give the reason for the change, at least ${PLAN_REASON_MIN} characters. It starts version ${latest.version + 1} of the plan and is listed in the report.`,
    )
    this.name = 'PlanChangeNeedsReasonError'
  }
}

export async function listPlanVersions(db: Db, evaluationId: number): Promise<PlanVersion[]> {
  return db.selectFrom('plan_version').selectAll().where('evaluation_id', '=', evaluationId).orderBy('version').execute()
}

/** The plan's latest version: undefined while it is a draft. */
export async function latestPlanVersion(db: Db, evaluationId: number): Promise<PlanVersion | undefined> {
  return db.selectFrom('plan_version').selectAll().where('evaluation_id', '=', evaluationId).orderBy('version', 'desc').limit(1).executeTakeFirst()
}

function sourceOf(
  evaluation: Evaluation,
  levels: { level: number; label: string | null; descriptor: string | null }[],
  criteria: EvaluationFile['criteria'],
): PlanSource {
  const labels: Record<string, string> = {}
  const descriptors: Record<string, string> = {}
  for (const level of levels) {
    if (level.label !== null) labels[String(level.level)] = level.label
    if (level.descriptor !== null) descriptors[String(level.level)] = level.descriptor
  }
  return {
    scale: {
      min: evaluation.scale_min,
      max: evaluation.scale_max,
      ...(Object.keys(labels).length > 0 ? { labels } : {}),
      ...(Object.keys(descriptors).length > 0 ? { descriptors } : {}),
    },
    criteria,
    split: { quality: evaluation.split_quality, cost: evaluation.split_cost },
    priceFormula: evaluation.price_formula,
    ...(evaluation.price_basis === null ? {} : { priceBasis: evaluation.price_basis }),
    panel: { minRationale: evaluation.min_rationale, tolerance: evaluation.tolerance },
    ...(evaluation.tie_breaker === null ? {} : { tieBreaker: evaluation.tie_breaker }),
  }
}

/** The evaluation's plan as its records hold it now, in the file's shape. */
export async function readPlanSource(db: Db, evaluationId: number): Promise<PlanSource> {
  const [evaluation, levels, criteria, descriptors] = await Promise.all([
    db.selectFrom('evaluation').selectAll().where('id', '=', evaluationId).executeTakeFirstOrThrow(),
    db.selectFrom('scale_level').selectAll().where('evaluation_id', '=', evaluationId).orderBy('level').execute(),
    listCriteria(db, evaluationId),
    listCriterionDescriptors(db, evaluationId),
  ])
  return sourceOf(evaluation, levels, buildCriteriaTree(criteria, descriptors))
}

// ---------------------------------------------------------------------------------------------
// What recordedChange does with the plan

/** The plan-state rule for a change's kind, before its work: throws when the plan's state does not allow it. */
export function requirePlanState(kind: string, evaluation: Pick<Evaluation, 'plan_version'>): void {
  const approved = (evaluation.plan_version ?? 0) > 0
  if (KINDS_AFTER_APPROVAL.has(kind) && !approved) throw new PlanNotApprovedError()
  if (KINDS_WHILE_DRAFT.has(kind) && approved) throw new PlanApprovedError(evaluation)
}

/**
 * Tender material opens only after approval (issue 19): while the plan is a draft, a change whose
 * records include a tender (added, edited, made or unmade a tender, moved or removed) or a record of
 * a tender's (a cost line, a trial, a document: any record with its option_id) is refused, whatever
 * page made it. Run on the change's differences, inside it, so a refusal rolls everything back.
 */
export async function refuseTenderMaterial(
  trx: Db,
  changes: readonly { table: string; optionId: number | null; before: string | null; after: string | null }[],
): Promise<void> {
  const others = new Set<number>()
  for (const change of changes) {
    if (change.table === 'option') {
      for (const json of [change.before, change.after]) {
        const row = json === null ? null : (JSON.parse(json) as { tender?: number; name?: string })
        if (row?.tender === 1) throw new TenderBeforeApprovalError(row.name ?? 'This option')
      }
    } else if (change.optionId !== null) others.add(change.optionId)
  }
  if (others.size === 0) return
  const tender = await trx
    .selectFrom('option')
    .select('name')
    .where('id', 'in', [...others])
    .where('tender', '=', 1)
    .limit(1)
    .executeTakeFirst()
  if (tender !== undefined) throw new TenderBeforeApprovalError(tender.name)
}

/** The approved plan as a change found it: undefined while the plan is a draft. */
export interface PlanWatch {
  latest: PlanVersion
  plan: Plan
}

export async function watchPlan(trx: Db, evaluationId: number): Promise<PlanWatch | undefined> {
  const latest = await latestPlanVersion(trx, evaluationId)
  if (latest === undefined) return undefined
  return { latest, plan: planOf(await readPlanSource(trx, evaluationId)) }
}

/** A change to an approved plan, as the log's entry records it. */
export interface PlanChange {
  version: number
  hash: string
  criteria: string[]
}

/**
 * After a change's work: when it altered the approved plan, refuses it (throwing, so the whole
 * transaction rolls back) unless `reason` is long enough, and otherwise records the next version.
 */
export async function recordPlanChange(
  trx: Change,
  evaluationId: number,
  actor: Actor,
  reason: string | null | undefined,
  watch: PlanWatch,
): Promise<PlanChange | null> {
  const source = await readPlanSource(trx, evaluationId)
  const plan = planOf(source)
  if (planText(plan) === planText(watch.plan)) return null
  if (reason == null || reason.trim().length < PLAN_REASON_MIN) throw new PlanChangeNeedsReasonError(watch.latest)
  const change = { version: watch.latest.version + 1, hash: planHash(source), criteria: changedCriteria(watch.plan, plan) }
  await trx
    .insertInto('plan_version')
    .values({
      evaluation_id: evaluationId,
      version: change.version,
      approved_at: now(),
      approved_by_account_id: actor.accountId,
      approved_by_name: actor.name,
      reason: reason.trim(),
      hash: change.hash,
      criteria: JSON.stringify(change.criteria),
    })
    .execute()
  await trx.updateTable('evaluation').set({ plan_version: change.version }).where('id', '=', evaluationId).execute()
  return change
}

// ---------------------------------------------------------------------------------------------
// Approval

/** What stops a plan being approved, by the field of the approval form to put right; empty when it can be. */
export async function approvalRefusals(
  db: Db,
  evaluationId: number,
  options: { confirmNoCostWeight: boolean },
): Promise<Refusal<'criteria' | 'confirmNoCostWeight' | 'form'>[]> {
  const refusals: Refusal<'criteria' | 'confirmNoCostWeight' | 'form'>[] = []
  const latest = await latestPlanVersion(db, evaluationId)
  if (latest !== undefined) {
    return [
      { field: 'form', message: `The plan was approved on ${formatDateTime(latest.approved_at)} by ${latest.approved_by_name} (version ${latest.version})` },
    ]
  }
  const source = await readPlanSource(db, evaluationId)
  const parsed = criteriaSchema.safeParse(source.criteria)
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const where = issue.path.length === 0 ? '' : ` (${formatPath(['criteria', ...issue.path])})`
      refusals.push({ field: 'criteria', message: `The criteria cannot be approved as they are${where}: ${issue.message}` })
    }
  } else if (weighCriteria(source.criteria).scoredLeaves.length === 0) {
    refusals.push({ field: 'criteria', message: 'The plan needs at least one scored criterion with a weight: gates alone give no quality score' })
  }
  if (!options.confirmNoCostWeight && (await costWithoutWeight(db, evaluationId, source))) {
    refusals.push({
      field: 'confirmNoCostWeight',
      message:
        'The split gives cost no weight while tenders have price lines, so price would not affect the result: confirm that this is on purpose, or change the split in the appraisal settings',
    })
  }
  return refusals
}

/** Under relative-to-lowest, a split giving cost no weight while tenders have price lines: approval asks the lead to confirm it. */
async function costWithoutWeight(db: Db, evaluationId: number, source: PlanSource): Promise<boolean> {
  if (source.priceFormula !== 'relative-to-lowest' || source.split.cost !== 0) return false
  const priced = await db
    .selectFrom('money_line')
    .innerJoin('option', 'option.id', 'money_line.option_id')
    .select('money_line.id')
    .where('money_line.evaluation_id', '=', evaluationId)
    .where('money_line.price', '=', 1)
    .where('option.tender', '=', 1)
    .limit(1)
    .executeTakeFirst()
  return priced !== undefined
}

/** The lead approves the plan: version 1, with its hash, in the log. Refused, changing nothing, when it cannot be. */
export async function approvePlan(
  db: Kysely<Database>,
  actor: Actor,
  evaluationId: number,
  options: { confirmNoCostWeight: boolean },
): Promise<Refusal<'criteria' | 'confirmNoCostWeight' | 'form'>[]> {
  const refusals = await approvalRefusals(db, evaluationId, options)
  if (refusals.length > 0) return refusals
  const hash = planHash(await readPlanSource(db, evaluationId))
  const summary = `Evaluation plan approved (version 1): SHA-256 ${hash}`
  const request = {
    evaluationId,
    actor,
    kind: 'plan',
    summary,
    detail: { planVersion: 1, planHash: hash },
    reach: { tables: ['evaluation', 'plan_version'] },
  } as const
  await recordedChange(db, request, async (trx) => {
    await trx.updateTable('evaluation').set({ plan_version: 1 }).where('id', '=', evaluationId).execute()
    // Read again inside the change: the plan approved is the one the log's records hold.
    const inside = planHash(await readPlanSource(trx, evaluationId))
    await trx
      .insertInto('plan_version')
      .values({
        evaluation_id: evaluationId,
        version: 1,
        approved_at: now(),
        approved_by_account_id: actor.accountId,
        approved_by_name: actor.name,
        reason: null,
        hash: inside,
        criteria: null,
      })
      .execute()
  })
  return []
}

/** Names the plan's tie-breaker; after approval a change to the plan like any other, with its reason. */
export function setTieBreaker(db: Kysely<Database>, actor: Actor, evaluationId: number, tieBreaker: string | null, planReason: string | null): Promise<void> {
  const summary = tieBreaker === null ? 'Tie-breaker removed from the plan' : 'Tie-breaker of the plan set'
  const request = { evaluationId, actor, kind: 'plan', summary, planReason, reach: { tables: ['evaluation'] } } as const
  return recordedChange(db, request, async (trx) => {
    await trx.updateTable('evaluation').set({ tie_breaker: tieBreaker }).where('id', '=', evaluationId).execute()
  })
}

/** The lead's decision applying the tie-breaker, as the evaluation keeps it. */
export interface TieDecision {
  option: string
  reason: string
  at: string
  by: string
}

export function tieDecisionOf(evaluation: Pick<Evaluation, 'tie_decision'>): TieDecision | null {
  return evaluation.tie_decision === null ? null : (JSON.parse(evaluation.tie_decision) as TieDecision)
}

/** Records the lead applying the plan's tie-breaker to tenders tied first: the tender it favours, and why. */
export function applyTieBreaker(
  db: Kysely<Database>,
  actor: Actor,
  evaluationId: number,
  option: { key: string; name: string },
  reason: string,
): Promise<void> {
  const decision: TieDecision = { option: option.key, reason, at: now(), by: actor.name }
  const summary = `Tie-breaker applied: “${option.name}” preferred among the tenders tied first`
  const request = { evaluationId, actor, kind: 'plan', summary, reason, reach: { tables: ['evaluation'] } } as const
  return recordedChange(db, request, async (trx) => {
    await trx
      .updateTable('evaluation')
      .set({ tie_decision: JSON.stringify(decision) })
      .where('id', '=', evaluationId)
      .execute()
  })
}

/**
 * At upgrade: the plans of evaluations that already hold scores are approved as they stand, since
 * their scoring began before plans existed; each log says so. The others stay drafts.
 */
export async function approvePlansAtUpgrade(db: Kysely<Database>): Promise<number> {
  const scored = await db
    .selectFrom('evaluation')
    .select('id')
    .where(({ or, exists, selectFrom }) =>
      or([
        exists(selectFrom('individual_score').select('individual_score.id').whereRef('individual_score.evaluation_id', '=', 'evaluation.id')),
        exists(selectFrom('consensus_score').select('consensus_score.id').whereRef('consensus_score.evaluation_id', '=', 'evaluation.id')),
      ]),
    )
    .orderBy('id')
    .execute()
  const actor = { accountId: null, name: 'The app (upgrade)' }
  for (const { id } of scored) {
    const hash = planHash(await readPlanSource(db, id))
    const summary = `Upgrade: the evaluation plan treated as approved as it stands (version 1, SHA-256 ${hash}), since scoring began before plans were approved`
    const request = {
      evaluationId: id,
      actor,
      kind: 'plan',
      summary,
      detail: { planVersion: 1, planHash: hash },
      reach: { tables: ['evaluation', 'plan_version'] },
      whileFinalised: true,
    } as const
    await recordedChange(db, request, async (trx) => {
      await trx.updateTable('evaluation').set({ plan_version: 1 }).where('id', '=', id).execute()
      await trx
        .insertInto('plan_version')
        .values({
          evaluation_id: id,
          version: 1,
          approved_at: now(),
          approved_by_account_id: null,
          approved_by_name: actor.name,
          reason: null,
          hash,
          criteria: null,
        })
        .execute()
    })
  }
  return scored.length
}

/** A score given before a change to its criterion: for the panel to revisit. */
export interface ScoreToRevisit {
  member: string
  option: string
  criterion: string
  memberId: number
  optionId: number
  criterionId: number
  /** The version of the plan whose change to the criterion came after the score, when it was made and why. */
  version: number
  at: string
  reason: string
}

/**
 * Individual scores last saved before a version of the plan changed their criterion (drafts too).
 * Saving the score again, changed or not (its updated_at later than the change), takes it off the
 * list; once its option is submitted the score is locked, and the flag stays for moderation.
 */
export async function scoresToRevisit(db: Db, evaluationId: number, only: { memberId?: number; optionId?: number } = {}): Promise<ScoreToRevisit[]> {
  const changes = (await listPlanVersions(db, evaluationId)).filter((v) => v.criteria !== null && v.criteria !== '[]')
  if (changes.length === 0) return []
  let query = db
    .selectFrom('individual_score')
    .innerJoin('criterion', 'criterion.id', 'individual_score.criterion_id')
    .innerJoin('option', 'option.id', 'individual_score.option_id')
    .innerJoin('panel_member', 'panel_member.id', 'individual_score.panel_member_id')
    .select([
      'criterion.key as criterionKey',
      'criterion.name as criterion',
      'option.name as option',
      'panel_member.name as member',
      'individual_score.panel_member_id as memberId',
      'individual_score.option_id as optionId',
      'individual_score.criterion_id as criterionId',
      'individual_score.updated_at',
    ])
    .where('individual_score.evaluation_id', '=', evaluationId)
  if (only.memberId !== undefined) query = query.where('individual_score.panel_member_id', '=', only.memberId)
  if (only.optionId !== undefined) query = query.where('individual_score.option_id', '=', only.optionId)
  const rows = await query.orderBy('option.position').orderBy('individual_score.position').execute()
  const flagged: ScoreToRevisit[] = []
  for (const row of rows) {
    const change = changes.findLast((v) => (JSON.parse(v.criteria!) as string[]).includes(row.criterionKey) && row.updated_at < v.approved_at)
    if (change === undefined) continue
    const { criterionKey: _, updated_at: __, ...score } = row
    flagged.push({ ...score, version: change.version, at: change.approved_at, reason: change.reason ?? '' })
  }
  return flagged
}
