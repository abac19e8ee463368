import { createHash } from 'node:crypto'
import { auditKeyOf, type AuditKey } from './audit-key.js'
import { sql, type Kysely, type Transaction } from 'kysely'
import { now, type Db } from './connection.js'
import { engineOf } from './dialect.js'
import type { ChangeKind, Database, Evaluation } from './schema.js'
import { PLAN_TABLES, recordPlanChange, refuseTenderMaterial, requirePlanState, watchPlan, type PlanChange } from './plan.js'

/**
 * The audit log: every change to an evaluation goes through `recordedChange` (or, for a new
 * evaluation, `recordedCreation`), which in one transaction
 *
 *  1. claims the evaluation (a write to its row: on PostgreSQL a row lock, on SQLite the write lock,
 *     so changes to one evaluation queue rather than race for the next place in its chain),
 *  2. refuses the change if the evaluation is finalised,
 *  3. reads every record the change may reach, runs it, reads them again, and
 *  4. appends one entry listing each record that differs, before and after, chained to the
 *     evaluation's previous entry by an HMAC-SHA-256 with the audit key (src/db/audit-key.ts), which
 *     is kept outside the database.
 *
 * Data-layer functions that write take a `Change`, a transaction only these two functions make, so
 * no write can bypass the log or the lock without the type-checker saying so.
 */

declare const changeBrand: unique symbol
/** A transaction inside a recorded change: the only thing the data layer's writing functions accept. */
export type Change = Transaction<Database> & { readonly [changeBrand]: true }

/** Who made a change: an account, or (null) the command line or the app's own set-up. */
export interface Actor {
  accountId: number | null
  name: string
}

/** Every table whose records belong to an evaluation; the log covers all of them. */
export const AUDITED_TABLES = [
  'evaluation',
  'scale_level',
  'option',
  'criterion',
  'criterion_descriptor',
  'panel_member',
  'panel_role',
  'panel_member_option',
  'panel_assignment',
  'score_submission',
  'individual_score',
  'consensus_score',
  'money_line',
  'sunk_cost',
  'weighting_round',
  'weighting_participant',
  'trial',
  'trial_task',
  'trial_session',
  'plan_version',
  'score_excuse',
  'moderation_meeting',
  'consensus_confirmation',
  'tender_document',
  'tender_response',
  'role_declaration',
] as const
export type AuditedTable = (typeof AUDITED_TABLES)[number]

/**
 * The records a change may touch: these tables, narrowed to one option, one panel member or some
 * criteria where a table has that column (a table without it is read whole for the evaluation). A
 * change that reaches further than it says is caught by `verifyEvaluation`, and by the tests, which
 * verify every evaluation they change.
 */
export interface Reach {
  tables: readonly AuditedTable[] | 'all'
  optionId?: number
  memberId?: number
  criterionIds?: readonly number[]
}

export interface ChangeRequest {
  evaluationId: number
  actor: Actor
  kind: ChangeKind
  /** What happened, in the users' words: 'Score for "Product A" on "Crime recording" saved'. */
  summary: string
  reach: Reach
  reason?: string | null
  optionId?: number | null
  criterionId?: number | null
  /** Further facts for the record, hashed with the entry. */
  detail?: Record<string, unknown> | null
  /** Only reopening and the award record pass this: every other change to a finalised evaluation is refused. */
  whileFinalised?: boolean
  /**
   * Why the approved plan is changed, when the change may alter it: without one of at least
   * PLAN_REASON_MIN characters such a change is refused (src/db/plan.ts).
   */
  planReason?: string | null
  /** Append an entry even when no record changed (finalising records the PDF it signed off). */
  always?: boolean
}

/**
 * A change its command refused, changing nothing, for a reason the person can put right: the message
 * goes beside `field` of their form, which is shown again with what they typed.
 */
export interface Refusal<Field extends string = string> {
  field: Field
  message: string
}

export class EvaluationFinalisedError extends Error {
  constructor(evaluation: Pick<Evaluation, 'title' | 'version' | 'finalised_by_name' | 'finalised_at'>) {
    const on = evaluation.finalised_at === null ? '' : ` on ${evaluation.finalised_at.slice(0, 10)}`
    super(
      `“${evaluation.title}” was finalised by ${evaluation.finalised_by_name ?? 'its lead'}${on} (version ${evaluation.version}) ` +
        `and cannot be changed. The lead can reopen it, giving a reason, which starts version ${evaluation.version + 1}.`,
    )
    this.name = 'EvaluationFinalisedError'
  }
}

export class EvaluationNotFoundError extends Error {}

/** The hash before an evaluation's first entry. */
export const GENESIS_HASH = '0'.repeat(64)

/**
 * Runs `work` as one recorded change to an existing evaluation; see the module comment. It resolves
 * once the change is committed (on SQLite, synced to the disk), so an acknowledged change survives
 * a crash.
 *
 * On SQLite, changes that arrive together are committed together (group commit): the app has one
 * connection, so they would run one after another anyway, and the sync at each commit (WAL,
 * synchronous FULL) cost more than the rest of a save. Each change runs as before, in turn, in a
 * savepoint of one transaction, its entry chained after the one before it; one that fails is rolled
 * back alone and fails alone; the others resolve only after the one commit. If that commit fails,
 * every change in it fails and none was kept. PostgreSQL commits each change on its own (its
 * connections run changes side by side, and the server groups their syncs itself).
 */
export async function recordedChange<T>(db: Kysely<Database>, request: ChangeRequest, work: (trx: Change) => Promise<T>): Promise<T> {
  if (engineOf(db) === 'postgres') return db.transaction().execute((trx) => runChange(trx, request, work))
  return new Promise<T>((resolve, reject) => {
    const queue = groupCommitQueue(db)
    queue.waiting.push({ request, work, resolve: resolve as (value: unknown) => void, reject })
    if (!queue.scheduled) {
      queue.scheduled = true
      // After the requests already read have reached this point too, so that they join the group.
      setImmediate(() => void commitGroups(db, queue))
    }
  })
}

interface QueuedChange {
  request: ChangeRequest
  work: (trx: Change) => Promise<unknown>
  resolve(value: unknown): void
  reject(error: unknown): void
}

interface GroupCommitQueue {
  waiting: QueuedChange[]
  scheduled: boolean
}

/** The most changes committed together: a group waits for its slowest change. */
const GROUP_MAX = 64

const queues = new WeakMap<Kysely<Database>, GroupCommitQueue>()

function groupCommitQueue(db: Kysely<Database>): GroupCommitQueue {
  let queue = queues.get(db)
  if (queue === undefined) {
    queue = { waiting: [], scheduled: false }
    queues.set(db, queue)
  }
  return queue
}

/** Commits the waiting changes in groups until none is left (those queued meanwhile make the next group). */
async function commitGroups(db: Kysely<Database>, queue: GroupCommitQueue): Promise<void> {
  while (queue.waiting.length > 0) await commitGroup(db, queue.waiting.splice(0, GROUP_MAX))
  queue.scheduled = false
}

async function commitGroup(db: Kysely<Database>, group: QueuedChange[]): Promise<void> {
  const done: { change: QueuedChange; result: unknown }[] = []
  const settled = new Set<QueuedChange>()
  try {
    await db.transaction().execute(async (trx) => {
      for (const change of group) {
        await sql`savepoint change`.execute(trx)
        try {
          const result = await runChange(trx, change.request, change.work)
          await sql`release change`.execute(trx)
          done.push({ change, result })
        } catch (error) {
          // Undone alone; should the transaction itself be lost, this throws and the group fails.
          settled.add(change)
          change.reject(error)
          await sql`rollback to change`.execute(trx)
          await sql`release change`.execute(trx)
        }
      }
    })
  } catch (error) {
    for (const change of group) if (!settled.has(change)) change.reject(error)
    return
  }
  for (const { change, result } of done) change.resolve(result)
}

async function runChange<T>(trx: Transaction<Database>, request: ChangeRequest, work: (trx: Change) => Promise<T>): Promise<T> {
  const evaluation = await claimEvaluation(trx, request.evaluationId)
  if (evaluation.status === 'finalised' && request.whileFinalised !== true) throw new EvaluationFinalisedError(evaluation)
  // (A database from before plans has no plan_version: nothing there is gated or watched.)
  const approved = (evaluation.plan_version ?? 0) > 0
  requirePlanState(request.kind, evaluation)
  // A change that may reach the approved plan is watched: altering it needs a reason and makes a new version.
  const watch = approved && touchesPlan(request.reach) ? await watchPlan(trx, request.evaluationId) : undefined
  const reach: Reach =
    watch === undefined || request.reach.tables === 'all'
      ? request.reach
      : { ...request.reach, tables: [...new Set([...request.reach.tables, 'evaluation', 'plan_version'] as const)] }
  const before = await snapshot(trx, request.evaluationId, reach)
  const result = await work(trx as Change)
  const planChange = watch === undefined ? null : await recordPlanChange(trx as Change, request.evaluationId, request.actor, request.planReason, watch)
  const after = await snapshot(trx, request.evaluationId, reach)
  const changes = differences(before, after)
  // While the plan is a draft, nothing of a tender's may change (src/db/plan.ts).
  if (evaluation.plan_version === 0) await refuseTenderMaterial(trx, changes)
  if (changes.length > 0 || request.always === true) {
    const version = versionIn(after, request.evaluationId) ?? evaluation.version
    await appendEntry(trx, planChange === null ? request : asPlanChange(request, planChange), version, changes)
  }
  return result
}

function touchesPlan(reach: Reach): boolean {
  return reach.tables === 'all' || reach.tables.some((table) => PLAN_TABLES.has(table))
}

/** The entry of a change that altered the approved plan: marked as such, with its reason and the new version's hash. */
function asPlanChange(request: ChangeRequest, change: PlanChange): ChangeRequest {
  return {
    ...request,
    summary: `Change to the approved plan (version ${change.version}): ${request.summary}`,
    reason: request.planReason?.trim() ?? request.reason ?? null,
    detail: { ...request.detail, planVersion: change.version, planHash: change.hash, planCriteria: change.criteria },
  }
}

/**
 * Runs `work`, which creates an evaluation and returns its id, as the first entry of that
 * evaluation's log: every record it made, with nothing before.
 */
export async function recordedCreation(
  db: Kysely<Database>,
  request: Omit<ChangeRequest, 'evaluationId' | 'reach'>,
  work: (trx: Change) => Promise<number>,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const evaluationId = await work(trx as Change)
    await startLog(trx, { ...request, evaluationId, reach: { tables: 'all' } })
    return evaluationId
  })
}

/**
 * Starts the log of an evaluation made before the log existed: one entry taking its state now as
 * the starting point, and saying so. Evaluations with a log are left alone. Returns how many began.
 */
export async function adoptUnrecordedEvaluations(db: Kysely<Database>): Promise<number> {
  const unrecorded = await db
    .selectFrom('evaluation')
    .select('id')
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('audit_entry').select('audit_entry.id').whereRef('audit_entry.evaluation_id', '=', 'evaluation.id'))),
    )
    .execute()
  for (const { id } of unrecorded) {
    await db.transaction().execute((trx) =>
      startLog(trx, {
        evaluationId: id,
        actor: { accountId: null, name: 'The app (upgrade)' },
        kind: 'evaluation',
        summary: 'Audit log started: the evaluation existed before the log, so its state at this moment is the starting point',
        reach: { tables: 'all' },
      }),
    )
  }
  return unrecorded.length
}

/** Columns a migration added to an audited table, and what they mean, for the log. */
export interface AddedColumns {
  table: AuditedTable
  /** The kind of change the history files the entry under. */
  kind: ChangeKind
  columns: readonly string[]
  summary: string
}

/**
 * Records, in the log of every evaluation that has one, its records of `added.table` gaining the
 * columns a migration just added: each from its state without them to its state with them, in one
 * entry per evaluation (finalised or not: the values are the ones the record already meant).
 * Without it `verify` would find every such record differing from its log. Returns how many
 * evaluations' logs it extended.
 */
export async function recordAddedColumns(db: Kysely<Database>, added: AddedColumns, later: readonly string[] = []): Promise<number> {
  const logged = await db
    .selectFrom('evaluation')
    .select('id')
    .where(({ exists, selectFrom }) => exists(selectFrom('audit_entry').select('audit_entry.id').whereRef('audit_entry.evaluation_id', '=', 'evaluation.id')))
    .orderBy('id')
    .execute()
  let extended = 0
  for (const { id } of logged) {
    await db.transaction().execute(async (trx) => {
      const evaluation = await claimEvaluation(trx, id)
      const reach: Reach = { tables: [added.table] }
      // The records as this migration left them: without the columns later migrations of the same
      // start add to the same table, which their own entries record next.
      const after = new Map<string, RecordState>()
      const before = new Map<string, RecordState>()
      for (const [key, state] of await snapshot(trx, id, reach)) {
        const values = JSON.parse(state.json) as Record<string, unknown>
        for (const column of later) delete values[column]
        after.set(key, { ...state, json: canonicalJson(values) })
        for (const column of added.columns) delete values[column]
        before.set(key, { ...state, json: canonicalJson(values) })
      }
      const changes = differences(before, after)
      if (changes.length === 0) return
      const actor = { accountId: null, name: 'The app (upgrade)' }
      await appendEntry(trx, { evaluationId: id, actor, kind: added.kind, summary: added.summary, reach }, evaluation.version, changes)
      extended++
    })
  }
  return extended
}

async function startLog(trx: Transaction<Database>, request: ChangeRequest): Promise<void> {
  const after = await snapshot(trx, request.evaluationId, request.reach)
  const version = versionIn(after, request.evaluationId) ?? 1
  await appendEntry(trx, request, version, differences(new Map(), after))
}

/** The evaluation's version as a change left it, when the change reached the evaluation's record. */
function versionIn(states: Map<string, RecordState>, evaluationId: number): number | undefined {
  const record = states.get(recordKey('evaluation', evaluationId))
  return record === undefined ? undefined : (JSON.parse(record.json) as { version: number }).version
}

/**
 * Writes to the evaluation's row before anything else (its `updated_at`, which the log leaves out),
 * so that this transaction holds the evaluation until it commits, and reads it in the same statement.
 */
async function claimEvaluation(trx: Transaction<Database>, evaluationId: number): Promise<Evaluation> {
  const evaluation = await trx.updateTable('evaluation').set({ updated_at: now() }).where('id', '=', evaluationId).returningAll().executeTakeFirst()
  if (evaluation === undefined) throw new EvaluationNotFoundError(`There is no evaluation ${evaluationId}.`)
  return evaluation
}

// ---------------------------------------------------------------------------------------------
// Records and their canonical form

/** A record as the log holds it: every column but those the log leaves out, keys sorted. */
export interface RecordState {
  table: AuditedTable
  id: number
  optionId: number | null
  criterionId: number | null
  memberId: number | null
  /** Canonical JSON of the record's values. */
  json: string
}

/** Columns left out of the log: the evaluation's `updated_at` changes with every change, by design. */
const UNLOGGED: Partial<Record<AuditedTable, readonly string[]>> = { evaluation: ['updated_at'] }

/** JSON with object keys sorted, so the same values always give the same text (and hash). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value))
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64')
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    )
  }
  return value
}

function recordState(table: AuditedTable, row: Record<string, unknown>): RecordState {
  const values: Record<string, unknown> = {}
  for (const [column, value] of Object.entries(row)) if (!UNLOGGED[table]?.includes(column)) values[column] = value
  const number = (value: unknown) => (value === null || value === undefined ? null : Number(value))
  return {
    table,
    id: Number(row.id),
    optionId: number(row.option_id ?? (table === 'option' ? row.id : null)),
    criterionId: number(row.criterion_id ?? (table === 'criterion' ? row.id : null)),
    memberId: number(row.panel_member_id ?? (table === 'panel_member' ? row.id : null)),
    json: canonicalJson(values),
  }
}

export function recordKey(table: string, id: number): string {
  return `${table}:${id}`
}

/** Reads the records of an evaluation within `reach`, keyed by table and id. */
export async function snapshot(db: Db, evaluationId: number, reach: Reach): Promise<Map<string, RecordState>> {
  const tables = reach.tables === 'all' ? AUDITED_TABLES : reach.tables
  const states = new Map<string, RecordState>()
  for (const table of tables) {
    for (const row of await readRecords(db, evaluationId, table, reach)) {
      const state = recordState(table, row)
      states.set(recordKey(table, state.id), state)
    }
  }
  return states
}

async function readRecords(db: Db, evaluationId: number, table: AuditedTable, reach: Reach): Promise<Record<string, unknown>[]> {
  const { optionId, memberId, criterionIds } = reach
  if (
    criterionIds !== undefined &&
    criterionIds.length === 0 &&
    ['criterion', 'criterion_descriptor', 'panel_assignment', 'individual_score', 'consensus_score', 'tender_response'].includes(table)
  ) {
    return []
  }
  switch (table) {
    case 'evaluation':
      return db.selectFrom('evaluation').selectAll().where('id', '=', evaluationId).execute()
    case 'scale_level':
      return db.selectFrom('scale_level').selectAll().where('evaluation_id', '=', evaluationId).orderBy('id').execute()
    case 'option': {
      let query = db.selectFrom('option').selectAll().where('evaluation_id', '=', evaluationId)
      if (optionId !== undefined) query = query.where('id', '=', optionId)
      return query.orderBy('id').execute()
    }
    case 'criterion': {
      let query = db.selectFrom('criterion').selectAll().where('evaluation_id', '=', evaluationId)
      if (criterionIds !== undefined) query = query.where('id', 'in', criterionIds)
      return query.orderBy('id').execute()
    }
    case 'criterion_descriptor': {
      let query = db
        .selectFrom('criterion_descriptor')
        .innerJoin('criterion', 'criterion.id', 'criterion_descriptor.criterion_id')
        .selectAll('criterion_descriptor')
        .where('criterion.evaluation_id', '=', evaluationId)
      if (criterionIds !== undefined) query = query.where('criterion_descriptor.criterion_id', 'in', criterionIds)
      return query.orderBy('criterion_descriptor.id').execute()
    }
    case 'panel_member': {
      let query = db.selectFrom('panel_member').selectAll().where('evaluation_id', '=', evaluationId)
      if (memberId !== undefined) query = query.where('id', '=', memberId)
      return query.orderBy('id').execute()
    }
    case 'panel_role':
      return db.selectFrom('panel_role').selectAll().where('evaluation_id', '=', evaluationId).orderBy('id').execute()
    case 'panel_member_option': {
      let query = db
        .selectFrom('panel_member_option')
        .innerJoin('panel_member', 'panel_member.id', 'panel_member_option.panel_member_id')
        .selectAll('panel_member_option')
        .where('panel_member.evaluation_id', '=', evaluationId)
      if (memberId !== undefined) query = query.where('panel_member_option.panel_member_id', '=', memberId)
      if (optionId !== undefined) query = query.where('panel_member_option.option_id', '=', optionId)
      return query.orderBy('panel_member_option.id').execute()
    }
    case 'panel_assignment': {
      let query = db
        .selectFrom('panel_assignment')
        .innerJoin('panel_member', 'panel_member.id', 'panel_assignment.panel_member_id')
        .selectAll('panel_assignment')
        .where('panel_member.evaluation_id', '=', evaluationId)
      if (memberId !== undefined) query = query.where('panel_assignment.panel_member_id', '=', memberId)
      if (criterionIds !== undefined) query = query.where('panel_assignment.criterion_id', 'in', criterionIds)
      return query.orderBy('panel_assignment.id').execute()
    }
    case 'score_submission': {
      let query = db
        .selectFrom('score_submission')
        .innerJoin('panel_member', 'panel_member.id', 'score_submission.panel_member_id')
        .selectAll('score_submission')
        .where('panel_member.evaluation_id', '=', evaluationId)
      if (memberId !== undefined) query = query.where('score_submission.panel_member_id', '=', memberId)
      if (optionId !== undefined) query = query.where('score_submission.option_id', '=', optionId)
      return query.orderBy('score_submission.id').execute()
    }
    case 'individual_score': {
      let query = db.selectFrom('individual_score').selectAll().where('evaluation_id', '=', evaluationId)
      if (memberId !== undefined) query = query.where('panel_member_id', '=', memberId)
      if (optionId !== undefined) query = query.where('option_id', '=', optionId)
      if (criterionIds !== undefined) query = query.where('criterion_id', 'in', criterionIds)
      return query.orderBy('id').execute()
    }
    case 'consensus_score': {
      let query = db.selectFrom('consensus_score').selectAll().where('evaluation_id', '=', evaluationId)
      if (optionId !== undefined) query = query.where('option_id', '=', optionId)
      if (criterionIds !== undefined) query = query.where('criterion_id', 'in', criterionIds)
      return query.orderBy('id').execute()
    }
    case 'money_line': {
      let query = db.selectFrom('money_line').selectAll().where('evaluation_id', '=', evaluationId)
      if (optionId !== undefined) query = query.where('option_id', '=', optionId)
      return query.orderBy('id').execute()
    }
    case 'plan_version':
      return db.selectFrom('plan_version').selectAll().where('evaluation_id', '=', evaluationId).orderBy('id').execute()
    case 'sunk_cost': {
      let query = db.selectFrom('sunk_cost').selectAll().where('evaluation_id', '=', evaluationId)
      if (optionId !== undefined) query = query.where('option_id', '=', optionId)
      return query.orderBy('id').execute()
    }
    case 'weighting_round':
      return db.selectFrom('weighting_round').selectAll().where('evaluation_id', '=', evaluationId).orderBy('id').execute()
    case 'weighting_participant':
      return db.selectFrom('weighting_participant').selectAll().where('evaluation_id', '=', evaluationId).orderBy('id').execute()
    case 'trial':
      return db.selectFrom('trial').selectAll().where('evaluation_id', '=', evaluationId).orderBy('id').execute()
    case 'trial_task':
      return db.selectFrom('trial_task').selectAll().where('evaluation_id', '=', evaluationId).orderBy('id').execute()
    case 'trial_session': {
      let query = db.selectFrom('trial_session').selectAll().where('evaluation_id', '=', evaluationId)
      if (optionId !== undefined) query = query.where('option_id', '=', optionId)
      return query.orderBy('id').execute()
    }
    case 'score_excuse':
    case 'consensus_confirmation': {
      let query = db
        .selectFrom(table)
        .innerJoin('panel_member', 'panel_member.id', `${table}.panel_member_id`)
        .selectAll(table)
        .where('panel_member.evaluation_id', '=', evaluationId)
      if (memberId !== undefined) query = query.where(`${table}.panel_member_id`, '=', memberId)
      if (optionId !== undefined) query = query.where(`${table}.option_id`, '=', optionId)
      return query.orderBy(`${table}.id`).execute()
    }
    case 'moderation_meeting':
      return db.selectFrom('moderation_meeting').selectAll().where('evaluation_id', '=', evaluationId).orderBy('id').execute()
    case 'tender_document': {
      let query = db.selectFrom('tender_document').selectAll().where('evaluation_id', '=', evaluationId)
      if (optionId !== undefined) query = query.where('option_id', '=', optionId)
      return query.orderBy('id').execute()
    }
    case 'tender_response': {
      let query = db.selectFrom('tender_response').selectAll().where('evaluation_id', '=', evaluationId)
      if (optionId !== undefined) query = query.where('option_id', '=', optionId)
      if (criterionIds !== undefined) query = query.where('criterion_id', 'in', criterionIds)
      return query.orderBy('id').execute()
    }
    case 'role_declaration':
      return db.selectFrom('role_declaration').selectAll().where('evaluation_id', '=', evaluationId).orderBy('id').execute()
  }
}

/** A record that a change made, altered or removed. */
export interface RecordChange {
  table: AuditedTable
  id: number
  optionId: number | null
  criterionId: number | null
  memberId: number | null
  before: string | null
  after: string | null
}

function differences(before: Map<string, RecordState>, after: Map<string, RecordState>): RecordChange[] {
  const changes: RecordChange[] = []
  const keys = new Set([...before.keys(), ...after.keys()])
  for (const key of keys) {
    const was = before.get(key)
    const is = after.get(key)
    if (was?.json === is?.json) continue
    const record = (is ?? was)!
    changes.push({
      table: record.table,
      id: record.id,
      optionId: record.optionId ?? was?.optionId ?? null,
      criterionId: record.criterionId ?? was?.criterionId ?? null,
      memberId: record.memberId ?? was?.memberId ?? null,
      before: was?.json ?? null,
      after: is?.json ?? null,
    })
  }
  const order = (table: AuditedTable) => AUDITED_TABLES.indexOf(table)
  return changes.sort((a, b) => order(a.table) - order(b.table) || a.id - b.id)
}

// ---------------------------------------------------------------------------------------------
// The chain

/** The part of an entry its hash covers, besides the previous hash and its changes. */
export interface EntryHeader {
  evaluationId: number
  seq: number
  at: string
  actorAccountId: number | null
  actorName: string
  kind: string
  summary: string
  reason: string | null
  optionId: number | null
  criterionId: number | null
  evaluationVersion: number
  detail: string | null
}

/**
 * The entry's hash over the previous hash, the entry's header and each of its changes, in order, as
 * canonical JSON: an HMAC-SHA-256 with the audit key, or (key null) plain SHA-256 for the entries
 * made before the log had a key.
 */
export function entryHash(key: AuditKey | null, prevHash: string, header: EntryHeader, changes: readonly (RecordChange & { ordinal: number })[]): string {
  const hash = key === null ? createHash('sha256') : key.hmac()
  hash.update(prevHash)
  hash.update('\n')
  hash.update(canonicalJson(header))
  for (const change of changes) {
    hash.update('\n')
    hash.update(canonicalJson(change))
  }
  return hash.digest('hex')
}

/**
 * The most text, in characters, each of an entry's own fields takes, so that nothing a visitor sends
 * (a file name of 10 MB, a name pasted many times) can bloat the append-only log, which keeps it for
 * ever. Summaries and names are the app's words around names people gave: longer ones are cut, with
 * an ellipsis, as the log is written. A reason is the person's own words, limited by its form: one
 * longer than the limit is refused rather than cut. The records an entry changes are bounded by the
 * forms and the file schema that wrote them.
 */
export const LOG_TEXT_LIMITS = { summary: 500, actorName: 200, reason: 5000, detail: 10_000 } as const

/** The text cut to `max` characters, the last of them an ellipsis, never splitting a character in two. */
export function clipped(text: string, max: number): string {
  if (text.length <= max) return text
  let cut = text.slice(0, max - 1)
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1)
  return `${cut}…`
}

function checkedLength(what: string, text: string, max: number): string {
  if (text.length > max)
    throw new RangeError(`${what} is ${text.length.toLocaleString('en-GB')} characters; the audit log takes at most ${max.toLocaleString('en-GB')}.`)
  return text
}

/** How many change rows go in one insert: well within SQLite's limit on bound values. */
const CHANGE_BATCH = 400

/** The last entry of an evaluation's log (the chain's head): undefined when it has none. */
export async function lastEntryOf(db: Db, evaluationId: number): Promise<{ seq: number; hash: string; at: string; actorName: string } | undefined> {
  const last = await db
    .selectFrom('audit_entry')
    .select(['seq', 'hash', 'at', 'actor_name'])
    .where('evaluation_id', '=', evaluationId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst()
  return last === undefined ? undefined : { seq: last.seq, hash: last.hash, at: last.at, actorName: last.actor_name }
}

async function appendEntry(trx: Transaction<Database>, request: ChangeRequest, evaluationVersion: number, changes: RecordChange[]): Promise<void> {
  const last = await lastEntryOf(trx, request.evaluationId)
  const prevHash = last?.hash ?? GENESIS_HASH
  const header: EntryHeader = {
    evaluationId: request.evaluationId,
    seq: (last?.seq ?? 0) + 1,
    at: now(),
    actorAccountId: request.actor.accountId,
    actorName: clipped(request.actor.name, LOG_TEXT_LIMITS.actorName),
    kind: request.kind,
    summary: clipped(request.summary, LOG_TEXT_LIMITS.summary),
    reason: request.reason == null ? null : checkedLength('The reason', request.reason, LOG_TEXT_LIMITS.reason),
    optionId: request.optionId ?? null,
    criterionId: request.criterionId ?? null,
    evaluationVersion,
    detail: request.detail == null ? null : checkedLength('The entry’s detail', canonicalJson(request.detail), LOG_TEXT_LIMITS.detail),
  }
  const ordered = changes.map((change, ordinal) => ({ ...change, ordinal }))
  const { id: entryId } = await trx
    .insertInto('audit_entry')
    .values({
      evaluation_id: header.evaluationId,
      seq: header.seq,
      at: header.at,
      actor_account_id: header.actorAccountId,
      actor_name: header.actorName,
      kind: request.kind,
      summary: header.summary,
      reason: header.reason,
      option_id: header.optionId,
      criterion_id: header.criterionId,
      evaluation_version: header.evaluationVersion,
      detail: header.detail,
      prev_hash: prevHash,
      hash: entryHash(auditKeyOf(trx), prevHash, header, ordered),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  for (let start = 0; start < ordered.length; start += CHANGE_BATCH) {
    await trx
      .insertInto('audit_change')
      .values(
        ordered.slice(start, start + CHANGE_BATCH).map((change) => ({
          entry_id: entryId,
          evaluation_id: header.evaluationId,
          ordinal: change.ordinal,
          record_table: change.table,
          record_id: change.id,
          option_id: change.optionId,
          criterion_id: change.criterionId,
          panel_member_id: change.memberId,
          before: change.before,
          after: change.after,
        })),
      )
      .execute()
  }
}
