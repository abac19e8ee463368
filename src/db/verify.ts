import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import { auditKeyOf, readLegacyHeads } from './audit-key.js'
import { GENESIS_HASH, entryHash, recordKey, snapshot, type AuditedTable, type RecordChange } from './audit.js'
import { TABLE_WORDS } from './audit-words.js'
import type { Db } from './connection.js'
import type { AuditEntry, Database } from './schema.js'

/**
 * Checks an evaluation's record: that its log is an unbroken hash chain, and that replaying the log
 * gives exactly the records the database holds now. A score, weight or cost edited in the database
 * directly (even with the log's triggers dropped) shows as a record that differs from its last logged
 * state; an entry edited or removed shows as a broken chain. What cannot be seen from inside the
 * database is a log cut short together with the records: the head hash printed on every finalised
 * report anchors the record outside it.
 */
export interface RecordCheck {
  evaluationId: number
  title: string
  entries: number
  /** The hash of the last entry: what the next entry will chain to. */
  headHash: string | null
  problems: string[]
}

export async function verifyEvaluation(db: Db, evaluationId: number): Promise<RecordCheck> {
  const evaluation = await db.selectFrom('evaluation').select(['id', 'title']).where('id', '=', evaluationId).executeTakeFirst()
  const title = evaluation?.title ?? `evaluation ${evaluationId}`
  const entries = await db.selectFrom('audit_entry').selectAll().where('evaluation_id', '=', evaluationId).orderBy('seq').execute()
  const changes = await db
    .selectFrom('audit_change')
    .selectAll()
    .where('evaluation_id', '=', evaluationId)
    .orderBy('entry_id')
    .orderBy('ordinal')
    .execute()
  const problems: string[] = []
  if (evaluation === undefined) problems.push(`The evaluation has ${entries.length} audit entries but no longer exists in the database.`)

  const changesByEntry = new Map<number, RecordChange[]>()
  const entryIds = new Set(entries.map((e) => e.id))
  for (const row of changes) {
    if (!entryIds.has(row.entry_id)) {
      problems.push(`Audit change ${row.id} belongs to no entry of this evaluation's log (entry ${row.entry_id}).`)
      continue
    }
    const list = changesByEntry.get(row.entry_id) ?? []
    if (row.ordinal !== list.length) problems.push(`Entry ${row.entry_id}'s changes are not in unbroken order at change ${row.id}.`)
    list.push({
      table: row.record_table as AuditedTable,
      id: row.record_id,
      optionId: row.option_id,
      criterionId: row.criterion_id,
      memberId: row.panel_member_id,
      before: row.before,
      after: row.after,
    })
    changesByEntry.set(row.entry_id, list)
  }

  // The chain: each entry follows the one before and its hash is what its content gives, keyed
  // with the audit key except for the entries made before the log had one (sealed with the key).
  const key = auditKeyOf(db)
  const { heads, problem: keyProblem } = await readLegacyHeads(db, key)
  if (keyProblem !== null) problems.push(keyProblem)
  const legacy = heads.get(evaluationId)
  if (legacy !== undefined && legacy.seq > entries.length) {
    problems.push(`Audit entries up to ${legacy.seq} were made before the log had a key, but the log holds only ${entries.length}: entries have been removed.`)
  }
  let prevHash = GENESIS_HASH
  const state = new Map<string, { json: string | null; seq: number }>()
  for (const [index, entry] of entries.entries()) {
    const entryChanges = changesByEntry.get(entry.id) ?? []
    if (entry.seq !== index + 1) problems.push(`Audit entry ${index + 1} is missing: the log goes from entry ${index} to entry ${entry.seq}.`)
    if (entry.prev_hash !== prevHash) problems.push(`Audit entry ${entry.seq} does not follow entry ${entry.seq - 1}: the chain is broken there.`)
    const plain = legacy !== undefined && entry.seq <= legacy.seq
    const expected = entryHash(plain ? null : key, entry.prev_hash, headerOf(entry), entryChanges.map((change, ordinal) => ({ ...change, ordinal })))
    if (plain && entry.seq === legacy.seq && entry.hash !== legacy.hash) {
      problems.push(`Audit entry ${entry.seq}, the last made before the log had a key, is not the one sealed when the key was adopted: the entries before it have been re-chained.`)
    }
    if (expected !== entry.hash) {
      problems.push(`Audit entry ${entry.seq} (${entry.at}, ${entry.actor_name}: ${entry.summary}) has been altered: its content no longer gives its hash.`)
    }
    prevHash = entry.hash
    for (const change of entryChanges) {
      const key = recordKey(change.table, change.id)
      const known = state.get(key)
      if ((known?.json ?? null) !== change.before) {
        problems.push(`Audit entry ${entry.seq} changes ${change.table} ${change.id} from a state the log never gave it.`)
      }
      state.set(key, { json: change.after, seq: entry.seq })
    }
  }

  // The records now, against the state the log gives them.
  if (evaluation !== undefined) {
    const current = await snapshot(db, evaluationId, { tables: 'all' })
    const names = await recordNames(db, evaluationId)
    for (const [key, record] of current) {
      const logged = state.get(key)
      if (logged === undefined || logged.json === null) {
        problems.push(`${describe(record.table, record.id, record.json, names)} is in the database but not in the audit log: it was added outside the app.`)
      } else if (logged.json !== record.json) {
        problems.push(
          `${describe(record.table, record.id, record.json, names)} differs from the audit log (last logged in entry ${logged.seq}): ${columnDifferences(logged.json, record.json)}.`,
        )
      }
    }
    for (const [key, logged] of state) {
      if (logged.json === null || current.has(key)) continue
      const [table, id] = key.split(':') as [AuditedTable, string]
      problems.push(`${describe(table, Number(id), logged.json, names)} is in the audit log (entry ${logged.seq}) but no longer in the database: it was removed outside the app.`)
    }
    problems.push(...(await checkFinalisedReports(db, evaluationId, entries)))
  }
  return { evaluationId, title, entries: entries.length, headHash: entries.at(-1)?.hash ?? null, problems }
}

/** Checks every evaluation in the database, and logs whose evaluation has gone. */
export async function verifyAll(db: Kysely<Database>): Promise<RecordCheck[]> {
  const evaluations = await db.selectFrom('evaluation').select('id').orderBy('id').execute()
  const logged = await db.selectFrom('audit_entry').select('evaluation_id').distinct().execute()
  const ids = [...new Set([...evaluations.map((e) => e.id), ...logged.map((e) => e.evaluation_id)])].sort((a, b) => a - b)
  const checks: RecordCheck[] = []
  for (const id of ids) checks.push(await verifyEvaluation(db, id))
  return checks
}

function headerOf(entry: AuditEntry) {
  return {
    evaluationId: entry.evaluation_id,
    seq: entry.seq,
    at: entry.at,
    actorAccountId: entry.actor_account_id,
    actorName: entry.actor_name,
    kind: entry.kind,
    summary: entry.summary,
    reason: entry.reason,
    optionId: entry.option_id,
    criterionId: entry.criterion_id,
    evaluationVersion: entry.evaluation_version,
    detail: entry.detail,
  }
}

/** Each finalised report's bytes still give the SHA-256 its finalising entry recorded. */
async function checkFinalisedReports(db: Db, evaluationId: number, entries: AuditEntry[]): Promise<string[]> {
  const problems: string[] = []
  const reports = await db.selectFrom('finalised_report').selectAll().where('evaluation_id', '=', evaluationId).orderBy('version').execute()
  const recorded = new Map<number, string>()
  for (const entry of entries) {
    if (entry.detail === null) continue
    const detail = JSON.parse(entry.detail) as { finalisedVersion?: number; pdfSha256?: string }
    if (detail.finalisedVersion !== undefined && detail.pdfSha256 !== undefined) recorded.set(detail.finalisedVersion, detail.pdfSha256)
  }
  for (const report of reports) {
    const actual = createHash('sha256').update(report.pdf).digest('hex')
    if (actual !== report.pdf_sha256 || recorded.get(report.version) !== actual) {
      problems.push(`The finalised report of version ${report.version} is not the one signed off: its SHA-256 differs from the audit log's.`)
    }
    recorded.delete(report.version)
  }
  for (const version of recorded.keys()) problems.push(`The finalised report of version ${version}, recorded in the audit log, is missing from the database.`)
  return problems
}

interface Names {
  options: Map<number, string>
  criteria: Map<number, string>
  members: Map<number, string>
}

async function recordNames(db: Db, evaluationId: number): Promise<Names> {
  const [options, criteria, members] = await Promise.all([
    db.selectFrom('option').select(['id', 'name']).where('evaluation_id', '=', evaluationId).execute(),
    db.selectFrom('criterion').select(['id', 'name']).where('evaluation_id', '=', evaluationId).execute(),
    db.selectFrom('panel_member').select(['id', 'name']).where('evaluation_id', '=', evaluationId).execute(),
  ])
  return {
    options: new Map(options.map((o) => [o.id, o.name])),
    criteria: new Map(criteria.map((c) => [c.id, c.name])),
    members: new Map(members.map((m) => [m.id, m.name])),
  }
}

/** A record in words: "Individual score 17 (Ann Lee, “Product A”, “Crime recording”)". */
function describe(table: AuditedTable, id: number, json: string, names: Names): string {
  const values = JSON.parse(json) as Record<string, unknown>
  const parts: string[] = []
  const memberId = values.panel_member_id ?? (table === 'panel_member' ? values.id : undefined)
  const optionId = values.option_id ?? (table === 'option' ? values.id : undefined)
  const criterionId = values.criterion_id ?? (table === 'criterion' ? values.id : undefined)
  if (typeof memberId === 'number') parts.push(names.members.get(memberId) ?? `panel member ${memberId}`)
  if (typeof optionId === 'number') parts.push(`“${names.options.get(optionId) ?? `option ${optionId}`}”`)
  if (typeof criterionId === 'number') parts.push(`“${names.criteria.get(criterionId) ?? `criterion ${criterionId}`}”`)
  if (typeof values.label === 'string' && parts.length < 2) parts.push(`“${values.label}”`)
  return `${TABLE_WORDS[table].one} ${id}${parts.length > 0 ? ` (${parts.join(', ')})` : ''} [${table}]`
}

function columnDifferences(loggedJson: string, currentJson: string): string {
  const logged = JSON.parse(loggedJson) as Record<string, unknown>
  const current = JSON.parse(currentJson) as Record<string, unknown>
  const columns = [...new Set([...Object.keys(logged), ...Object.keys(current)])].filter(
    (column) => JSON.stringify(logged[column]) !== JSON.stringify(current[column]),
  )
  return columns.map((column) => `${column} is ${shown(current[column])} in the database but ${shown(logged[column])} in the log`).join('; ')
}

function shown(value: unknown): string {
  if (value === undefined) return 'absent'
  const text = JSON.stringify(value)
  return text.length > 60 ? `${text.slice(0, 57)}…"` : text
}

