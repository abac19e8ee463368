import type { Expression, ExpressionBuilder, SqlBool } from 'kysely'
import { BOOKKEEPING_FIELDS } from './audit-words.js'
import type { Db } from './connection.js'
import type { AuditChange, AuditEntry, ChangeKind, Database } from './schema.js'

/**
 * Reading an evaluation's audit log for people: its entries filtered and paged, the records each
 * changed, and the history of one score. Read-only; the log is written by src/db/audit.ts alone.
 */

/** Every kind of change, in the order a filter offers them. */
export const CHANGE_KINDS = [
  'score',
  'consensus',
  'cost',
  'option',
  'tender',
  'criteria',
  'weighting',
  'trial',
  'panel',
  'declaration',
  'plan',
  'settings',
  'status',
  'award',
  'evaluation',
] as const satisfies readonly ChangeKind[]
// A kind added to the schema but not listed here fails the type-check, rather than vanish from the filter.
const everyKindListed: Exclude<ChangeKind, (typeof CHANGE_KINDS)[number]> extends never ? true : never = true
void everyKindListed

/** Who made changes: an account, or (no account) the command line or the app's own set-up, by name. */
export type Person = { accountId: number } | { accountId: null; name: string }

export interface HistoryFilter {
  person?: Person
  kind?: ChangeKind
  /** Entries about this option, or changing any of its records. */
  optionId?: number
}

export interface HistoryActor {
  accountId: number | null
  /** The name on their latest entry. */
  name: string
}

export type HistoryEntry = Omit<AuditEntry, 'evaluation_id' | 'prev_hash'>

/** Everyone who appears in the evaluation's log, by name. */
export async function listHistoryActors(db: Db, evaluationId: number): Promise<HistoryActor[]> {
  const rows = await db
    .selectFrom('audit_entry')
    .select((eb) => ['actor_account_id', 'actor_name', eb.fn.max('seq').as('last_seq')])
    .where('evaluation_id', '=', evaluationId)
    .groupBy(['actor_account_id', 'actor_name'])
    .execute()
  // An account renamed appears once, under the name it last made a change with.
  const latest = new Map<string, { actor: HistoryActor; seq: number }>()
  for (const row of rows) {
    const key = row.actor_account_id === null ? `name:${row.actor_name}` : `account:${row.actor_account_id}`
    const seq = Number(row.last_seq)
    if ((latest.get(key)?.seq ?? -1) < seq) latest.set(key, { actor: { accountId: row.actor_account_id, name: row.actor_name }, seq })
  }
  return [...latest.values()].map((l) => l.actor).sort((a, b) => a.name.localeCompare(b.name, 'en-GB'))
}

function matching(evaluationId: number, filter: HistoryFilter) {
  return (eb: ExpressionBuilder<Database, 'audit_entry'>): Expression<SqlBool> => {
    const conditions: Expression<SqlBool>[] = [eb('audit_entry.evaluation_id', '=', evaluationId)]
    if (filter.kind !== undefined) conditions.push(eb('audit_entry.kind', '=', filter.kind))
    const person = filter.person
    if (person !== undefined) {
      conditions.push(
        person.accountId === null
          ? eb.and([eb('audit_entry.actor_account_id', 'is', null), eb('audit_entry.actor_name', '=', person.name)])
          : eb('audit_entry.actor_account_id', '=', person.accountId),
      )
    }
    if (filter.optionId !== undefined) {
      const touching = eb
        .selectFrom('audit_change')
        .select('audit_change.entry_id')
        .where('audit_change.evaluation_id', '=', evaluationId)
        .where('audit_change.option_id', '=', filter.optionId)
      conditions.push(eb.or([eb('audit_entry.option_id', '=', filter.optionId), eb('audit_entry.id', 'in', touching)]))
    }
    return eb.and(conditions)
  }
}

export async function countHistoryEntries(db: Db, evaluationId: number, filter: HistoryFilter): Promise<number> {
  const row = await db
    .selectFrom('audit_entry')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(matching(evaluationId, filter))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** A page of the entries that match, newest first. */
export async function listHistoryEntries(
  db: Db,
  evaluationId: number,
  filter: HistoryFilter,
  page: { limit: number; offset: number },
): Promise<HistoryEntry[]> {
  return db
    .selectFrom('audit_entry')
    .select([
      'id',
      'seq',
      'at',
      'actor_account_id',
      'actor_name',
      'kind',
      'summary',
      'reason',
      'option_id',
      'criterion_id',
      'evaluation_version',
      'detail',
      'hash',
    ])
    .where(matching(evaluationId, filter))
    .orderBy('seq', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute()
}

/** How many records each of these entries changed (from the index alone: cheap even for an import). */
export async function countEntryChanges(db: Db, entryIds: readonly number[]): Promise<Map<number, number>> {
  if (entryIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('audit_change')
    .select((eb) => ['entry_id', eb.fn.countAll<number>().as('n')])
    .where('entry_id', 'in', entryIds)
    .groupBy('entry_id')
    .execute()
  return new Map(rows.map((row) => [row.entry_id, Number(row.n)]))
}

/** How many records of one table an entry added, changed and removed. */
export interface ChangeCount {
  entryId: number
  table: string
  added: number
  changed: number
  removed: number
}

export async function countChangesByTable(db: Db, entryIds: readonly number[]): Promise<ChangeCount[]> {
  if (entryIds.length === 0) return []
  const rows = await db
    .selectFrom('audit_change')
    .select((eb) => [
      'entry_id',
      'record_table',
      eb.fn.countAll<number>().as('total'),
      eb.fn.sum<number>(eb.case().when('before', 'is', null).then(eb.lit(1)).else(eb.lit(0)).end()).as('added'),
      eb.fn.sum<number>(eb.case().when('after', 'is', null).then(eb.lit(1)).else(eb.lit(0)).end()).as('removed'),
    ])
    .where('entry_id', 'in', entryIds)
    .groupBy(['entry_id', 'record_table'])
    .execute()
  return rows.map((row) => {
    const added = Number(row.added)
    const removed = Number(row.removed)
    return { entryId: row.entry_id, table: row.record_table, added, removed, changed: Number(row.total) - added - removed }
  })
}

/** The records these entries changed, each entry's in its own order. */
export async function listEntryChanges(db: Db, entryIds: readonly number[]): Promise<AuditChange[]> {
  if (entryIds.length === 0) return []
  return db.selectFrom('audit_change').selectAll().where('entry_id', 'in', entryIds).orderBy('entry_id').orderBy('ordinal').execute()
}

export interface ScoreChange {
  seq: number
  at: string
  actorName: string
  kind: ChangeKind
  summary: string
  reason: string | null
  table: 'individual_score' | 'consensus_score'
  recordId: number
  memberId: number | null
  before: string | null
  after: string | null
}

/** Every change to the individual and consensus scores of one option on one criterion, oldest first. */
export async function listScoreHistory(db: Db, evaluationId: number, optionId: number, criterionId: number): Promise<ScoreChange[]> {
  const rows = await db
    .selectFrom('audit_change')
    .innerJoin('audit_entry', 'audit_entry.id', 'audit_change.entry_id')
    .select([
      'audit_entry.seq',
      'audit_entry.at',
      'audit_entry.actor_name',
      'audit_entry.kind',
      'audit_entry.summary',
      'audit_entry.reason',
      'audit_change.record_table',
      'audit_change.record_id',
      'audit_change.panel_member_id',
      'audit_change.before',
      'audit_change.after',
    ])
    .where('audit_change.evaluation_id', '=', evaluationId)
    .where('audit_change.option_id', '=', optionId)
    .where('audit_change.criterion_id', '=', criterionId)
    .where('audit_change.record_table', 'in', ['individual_score', 'consensus_score'])
    .orderBy('audit_entry.seq')
    .orderBy('audit_change.ordinal')
    .execute()
  return rows.map((row) => ({
    seq: row.seq,
    at: row.at,
    actorName: row.actor_name,
    kind: row.kind,
    summary: row.summary,
    reason: row.reason,
    table: row.record_table as ScoreChange['table'],
    recordId: row.record_id,
    memberId: row.panel_member_id,
    before: row.before,
    after: row.after,
  }))
}

/**
 * The names of options, criteria or panel members as the log last recorded them: for records since
 * removed, whose names the tables no longer hold. Each query keeps to the log's index on
 * (evaluation, option, criterion).
 */
export async function loggedNames(
  db: Db,
  evaluationId: number,
  table: 'option' | 'criterion' | 'panel_member',
  ids: readonly number[],
): Promise<Map<number, string>> {
  const names = new Map<number, string>()
  if (ids.length === 0) return names
  let query = db
    .selectFrom('audit_change')
    .select(['record_id', 'before', 'after'])
    .where('evaluation_id', '=', evaluationId)
    .where('record_table', '=', table)
    .where('record_id', 'in', ids)
  if (table === 'option') query = query.where('option_id', 'in', ids)
  else if (table === 'criterion') query = query.where('option_id', 'is', null).where('criterion_id', 'in', ids)
  else query = query.where('option_id', 'is', null).where('criterion_id', 'is', null)
  for (const row of await query.orderBy('id', 'desc').execute()) {
    if (names.has(row.record_id)) continue
    const name = recordValues(row.after ?? row.before).name
    if (typeof name === 'string') names.set(row.record_id, name)
  }
  return names
}

/** Names of accounts a record refers to (a panel role, a linked panel member). */
export async function accountNames(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map()
  const rows = await db.selectFrom('account').select(['id', 'name']).where('id', 'in', ids).execute()
  return new Map(rows.map((row) => [row.id, row.name]))
}

/** A record's values from its canonical JSON; absent is empty. */
export function recordValues(json: string | null): Record<string, unknown> {
  if (json === null) return {}
  const value: unknown = JSON.parse(json)
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}

export interface FieldChange {
  column: string
  /** Undefined: the record did not exist (or had no such column). */
  before: unknown
  after: unknown
}

/** Columns that are bookkeeping rather than the record's content: never shown. */
const BOOKKEEPING = new Set<string>(BOOKKEEPING_FIELDS)
/** Columns that place a new or removed record; its description, or its entry's summary (a weighting round's name), already says where. */
const PLACING = new Set(['position', 'option_id', 'criterion_id', 'panel_member_id', 'round_id'])

/**
 * The columns a change altered, before and after. A record added or removed gives its content
 * (blank columns left out), with nothing on the other side.
 */
export function changedFields(before: string | null, after: string | null): FieldChange[] {
  const was = recordValues(before)
  const is = recordValues(after)
  const whole = before === null || after === null
  const columns = [...new Set([...Object.keys(was), ...Object.keys(is)])]
  return columns
    .filter((column) => !BOOKKEEPING.has(column) && !(whole && PLACING.has(column)))
    .filter((column) => (whole ? (is[column] ?? was[column] ?? null) !== null : JSON.stringify(was[column]) !== JSON.stringify(is[column])))
    .map((column) => ({ column, before: before === null ? undefined : was[column], after: after === null ? undefined : is[column] }))
}
