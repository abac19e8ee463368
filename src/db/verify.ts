import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import { auditKeyOf, readLegacyHeads } from './audit-key.js'
import { GENESIS_HASH, entryHash, lastEntryOf, recordKey, snapshot, type AuditedTable, type EntryHeader, type RecordChange } from './audit.js'
import { TABLE_WORDS } from './audit-words.js'
import { evaluationFileFromRecords } from './replay.js'
import { inReadSnapshot } from './dialect.js'
import type { Db } from './connection.js'
import type { AuditChange, AuditEntry, Database } from './schema.js'

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
  const changes = await db.selectFrom('audit_change').selectAll().where('evaluation_id', '=', evaluationId).orderBy('entry_id').orderBy('ordinal').execute()
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
    list.push(recordChangeOf(row))
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
  /** The records as the log gives them just before each version was finalised. */
  const atFinalising = new Map<number, Map<string, string | null>>()
  for (const [index, entry] of entries.entries()) {
    const entryChanges = changesByEntry.get(entry.id) ?? []
    const finalised = finalisedVersionOf(entry)
    if (finalised !== undefined) atFinalising.set(finalised.finalisedVersion, new Map([...state].map(([key, value]) => [key, value.json])))
    if (entry.seq !== index + 1) problems.push(`Audit entry ${index + 1} is missing: the log goes from entry ${index} to entry ${entry.seq}.`)
    if (entry.prev_hash !== prevHash) problems.push(`Audit entry ${entry.seq} does not follow entry ${entry.seq - 1}: the chain is broken there.`)
    const plain = legacy !== undefined && entry.seq <= legacy.seq
    const expected = entryHash(
      plain ? null : key,
      entry.prev_hash,
      entryHeaderOf(entry),
      entryChanges.map((change, ordinal) => ({ ...change, ordinal })),
    )
    if (plain && entry.seq === legacy.seq && entry.hash !== legacy.hash) {
      problems.push(
        `Audit entry ${entry.seq}, the last made before the log had a key, is not the one sealed when the key was adopted: the entries before it have been re-chained.`,
      )
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
      problems.push(
        `${describe(table, Number(id), logged.json, names)} is in the audit log (entry ${logged.seq}) but no longer in the database: it was removed outside the app.`,
      )
    }
    problems.push(...(await checkFinalisedReports(db, evaluationId, entries, atFinalising)))
  }
  return { evaluationId, title, entries: entries.length, headHash: entries.at(-1)?.hash ?? null, problems }
}

/**
 * The record check as the evaluation's page shows it: the check and the log's last entry, read in one
 * snapshot, so a change saved meanwhile does not look like a record that differs from its log.
 */
export function checkRecordNow(db: Kysely<Database>, evaluationId: number) {
  return inReadSnapshot(db, async (trx) => ({ check: await verifyEvaluation(trx, evaluationId), last: await lastEntryOf(trx, evaluationId) }))
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

/** What an entry's hash covers of the entry itself, read from its stored row. */
export function entryHeaderOf(entry: AuditEntry): EntryHeader {
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

/** A stored change as its entry's hash covers it (without its place in the entry). */
export function recordChangeOf(row: AuditChange): RecordChange {
  return {
    table: row.record_table as AuditedTable,
    id: row.record_id,
    optionId: row.option_id,
    criterionId: row.criterion_id,
    memberId: row.panel_member_id,
    before: row.before,
    after: row.after,
  }
}

interface FinalisingDetail {
  finalisedVersion: number
  pdfSha256: string
  fileSha256?: string
}

/** What a finalising entry recorded (under the key): the version, its PDF's and its file's SHA-256. */
function finalisedVersionOf(entry: AuditEntry): FinalisingDetail | undefined {
  if (entry.detail === null) return undefined
  const detail = JSON.parse(entry.detail) as Partial<FinalisingDetail>
  return detail.finalisedVersion !== undefined && detail.pdfSha256 !== undefined ? (detail as FinalisingDetail) : undefined
}

/**
 * Each finalised version, stored byte for byte, against what its finalising entry recorded (under
 * the audit key): the PDF's SHA-256; the stored evaluation file's SHA-256, which is also the one the
 * report prints; and the file itself against the one the log's records give at that moment. A PDF
 * replaced, or a stored file edited together with its recorded hash, is reported by name.
 */
async function checkFinalisedReports(
  db: Db,
  evaluationId: number,
  entries: AuditEntry[],
  atFinalising: Map<number, Map<string, string | null>>,
): Promise<string[]> {
  const problems: string[] = []
  const reports = await db.selectFrom('finalised_report').selectAll().where('evaluation_id', '=', evaluationId).orderBy('version').execute()
  const recorded = new Map<number, FinalisingDetail>()
  for (const entry of entries) {
    const detail = finalisedVersionOf(entry)
    if (detail !== undefined) recorded.set(detail.finalisedVersion, detail)
  }
  for (const report of reports) {
    const detail = recorded.get(report.version)
    recorded.delete(report.version)
    if (detail === undefined) {
      problems.push(`The final report of version ${report.version} was not signed off: no entry of the audit log finalised that version.`)
      continue
    }
    const pdf = createHash('sha256').update(report.pdf).digest('hex')
    if (pdf !== detail.pdfSha256 || report.pdf_sha256 !== detail.pdfSha256) {
      problems.push(`The final report (PDF) of version ${report.version} is not the one signed off: its SHA-256 differs from the one the audit log recorded.`)
    }
    if (detail.fileSha256 === undefined) continue
    const file = createHash('sha256').update(report.file_json).digest('hex')
    if (file !== detail.fileSha256) {
      problems.push(
        `The evaluation file stored with version ${report.version}'s final report has been altered: its SHA-256 is not the one the audit log recorded and the report prints (${detail.fileSha256}).`,
      )
    }
    const records = atFinalising.get(report.version)
    const replayed = records === undefined ? undefined : await evaluationFileFromRecords(records, evaluationId)
    if (replayed === undefined) continue
    if (createHash('sha256').update(replayed).digest('hex') !== detail.fileSha256) {
      problems.push(
        `The evaluation file of version ${report.version}, as the audit log's records give it when that version was finalised, is not the file the final report was made from (SHA-256 ${detail.fileSha256}).`,
      )
    } else if (file === detail.fileSha256 && replayed !== report.file_json) {
      problems.push(
        `The evaluation file stored with version ${report.version}'s final report differs from the one the audit log's records give when it was finalised.`,
      )
    }
  }
  for (const version of recorded.keys()) problems.push(`The final report of version ${version}, recorded in the audit log, is missing from the database.`)
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
