// What someone with the database (and not the audit key) can do: drop the log's triggers, edit
// records and log rows, and re-chain the log with the app's own canonical form and plain SHA-256,
// as the app hashed entries before the log had a key.
import { sql, type Kysely } from 'kysely'
import { canonicalJson, entryHash, GENESIS_HASH, type EntryHeader, type RecordChange } from '../../src/db/audit.js'
import { entryHeaderOf, recordChangeOf } from '../../src/db/verify.js'
import { ADDED_COLUMNS, AUDIT_KEY_MIGRATION } from '../../src/db/migrate.js'
import type { Database } from '../../src/db/schema.js'
import { skipRecordCheck } from '../changes.js'
import { testEngine } from '../database.js'

/** Drops the log's triggers. The database is tampered with on purpose, so the end-of-test check leaves it out. */
export async function dropTriggers(db: Kysely<Database>): Promise<void> {
  skipRecordCheck(db)
  for (const table of ['audit_entry', 'audit_change', 'finalised_report']) {
    if (testEngine === 'postgres') await sql`drop trigger if exists ${sql.raw(`${table}_append_only`)} on ${sql.table(table)}`.execute(db)
    else for (const op of ['update', 'delete']) await sql`drop trigger if exists ${sql.raw(`${table}_no_${op}`)}`.execute(db)
  }
}

/** The chain's hash as the app computed it before it had a key: SHA-256, nothing secret. */
export function plainHash(prevHash: string, header: EntryHeader, changes: readonly (RecordChange & { ordinal: number })[]): string {
  return entryHash(null, prevHash, header, changes)
}

/**
 * Recomputes every entry's `prev_hash` and `hash` from `fromSeq` on, in order, with `hash` (plain
 * SHA-256 by default), so that each entry's hash is again what its content gives.
 */
export async function rechain(db: Kysely<Database>, evaluationId: number, options: { fromSeq?: number; hash?: typeof plainHash } = {}): Promise<void> {
  const hashWith = options.hash ?? plainHash
  const entries = await db.selectFrom('audit_entry').selectAll().where('evaluation_id', '=', evaluationId).orderBy('seq').execute()
  let prev = GENESIS_HASH
  for (const entry of entries) {
    if (entry.seq < (options.fromSeq ?? 1)) {
      prev = entry.hash
      continue
    }
    const rows = await db.selectFrom('audit_change').selectAll().where('entry_id', '=', entry.id).orderBy('ordinal').execute()
    const changes = rows.map((row) => ({ ...recordChangeOf(row), ordinal: row.ordinal }))
    const hash = hashWith(prev, entryHeaderOf(entry), changes)
    await db.updateTable('audit_entry').set({ prev_hash: prev, hash }).where('id', '=', entry.id).execute()
    prev = hash
  }
}

/**
 * Edits a consensus score in the database and rewrites the log to match: the entry that last (or
 * first) logged it now says the new score, as if it had been saved that way.
 */
export async function editConsensusAndItsLog(
  db: Kysely<Database>,
  evaluationId: number,
  which: 'latest' | 'earliest' = 'latest',
): Promise<{ consensusId: number; entrySeq: number; score: number }> {
  const consensus = await db
    .selectFrom('consensus_score')
    .selectAll()
    .where('evaluation_id', '=', evaluationId)
    .orderBy('id')
    .limit(1)
    .executeTakeFirstOrThrow()
  const score = consensus.score === 1 ? 2 : 1
  await db.updateTable('consensus_score').set({ score }).where('id', '=', consensus.id).execute()
  const logged = await db
    .selectFrom('audit_change')
    .innerJoin('audit_entry', 'audit_entry.id', 'audit_change.entry_id')
    .select(['audit_change.id', 'audit_change.after', 'audit_entry.seq'])
    .where('audit_change.evaluation_id', '=', evaluationId)
    .where('audit_change.record_table', '=', 'consensus_score')
    .where('audit_change.record_id', '=', consensus.id)
    .orderBy('audit_entry.seq', which === 'latest' ? 'desc' : 'asc')
    .limit(1)
    .executeTakeFirstOrThrow()
  const after = canonicalJson({ ...(JSON.parse(logged.after!) as Record<string, unknown>), score })
  await db.updateTable('audit_change').set({ after }).where('id', '=', logged.id).execute()
  return { consensusId: consensus.id, entrySeq: logged.seq, score }
}

/**
 * Takes out of the log's records the columns that migrations after the key added, so that a log made
 * by today's app and migrated back reads as the previous version wrote it: without those columns.
 */
export async function forgetLaterColumns(db: Kysely<Database>): Promise<void> {
  // The tables later migrations add were not there to be logged: their rows leave the log too.
  const tables = new Set((await db.introspection.getTables()).map((t) => t.name))
  const logged = await db.selectFrom('audit_change').select('record_table').distinct().execute()
  const gone = logged.map((r) => r.record_table).filter((name) => !tables.has(name))
  if (gone.length > 0) await db.deleteFrom('audit_change').where('record_table', 'in', gone).execute()
  const later = Object.entries(ADDED_COLUMNS).filter(([name]) => name > AUDIT_KEY_MIGRATION)
  for (const [, additions] of later) {
    for (const added of additions) {
      const rows = await db.selectFrom('audit_change').select(['id', 'before', 'after']).where('record_table', '=', added.table).execute()
      for (const row of rows) {
        const without = (json: string | null) => {
          if (json === null) return null
          const values = JSON.parse(json) as Record<string, unknown>
          for (const column of added.columns) delete values[column]
          return canonicalJson(values)
        }
        await db
          .updateTable('audit_change')
          .set({ before: without(row.before), after: without(row.after) })
          .where('id', '=', row.id)
          .execute()
      }
    }
  }
}
