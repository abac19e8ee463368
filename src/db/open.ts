import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Kysely } from 'kysely'
import type { Config } from '../config.js'
import { checkConnection, isPostgresUrl, openPostgres, openSqlite } from './dialect.js'
import { ADDED_COLUMNS, AUDIT_KEY_MIGRATION, AUDIT_LOG_MIGRATION, migrateToLatest, PLAN_MIGRATION } from './migrate.js'
import { approvePlansAtUpgrade } from './plan.js'
import { auditKeySource, checkAuditKey, withAuditKey } from './audit-key.js'
import { adoptUnrecordedEvaluations, recordAddedColumns } from './audit.js'
import type { Database } from './schema.js'

/** The database the configuration names: PostgreSQL when DATABASE_URL is set, else the SQLite file. */
export function databaseLocation(config: Pick<Config, 'APPRAISAL_DB' | 'DATABASE_URL'>): string {
  return config.DATABASE_URL ?? config.APPRAISAL_DB
}

/**
 * Opens the app's database, migrated to this version's schema: a PostgreSQL URL, or a SQLite file
 * path (its folder is created; ':memory:' gives a private in-memory database). A PostgreSQL server
 * that cannot be reached stops here with one line saying where and why.
 *
 * The handle carries the audit key (src/db/audit-key.ts): `auditKey` (AUDIT_KEY) when given, else
 * on SQLite the key file beside the database, made at first run. A key that is not the one the
 * database's log is sealed with, or none where one is needed, stops here with one line too.
 */
export async function openDatabase(location: string, options: { maxConnections?: number; auditKey?: string | undefined } = {}): Promise<Kysely<Database>> {
  const postgres = isPostgresUrl(location)
  // Before anything is opened: with DATABASE_URL and no AUDIT_KEY, nothing is touched.
  const source = auditKeySource(location, options.auditKey ?? (process.env.AUDIT_KEY || undefined))
  if (!postgres && location !== ':memory:') mkdirSync(dirname(location), { recursive: true })
  const db = postgres ? openPostgres(location, options) : openSqlite(location)
  try {
    await checkConnection(db, location)
    const applied = await migrateToLatest(db)
    const keyed = withAuditKey(db, await checkAuditKey(db, source, applied.includes(AUDIT_KEY_MIGRATION)))
    // Records gaining columns, in the logs that exist; an evaluation adopted next starts with them.
    // Each in the order the migrations ran, without the columns the later ones add to the same table.
    const additions = applied.flatMap((name) => ADDED_COLUMNS[name] ?? [])
    for (const [i, added] of additions.entries()) {
      const later = additions.slice(i + 1).filter((next) => next.table === added.table)
      await recordAddedColumns(
        keyed,
        added,
        later.flatMap((next) => next.columns),
      )
    }
    // Only as the audit log arrives: adopting at any later start would quietly give an evaluation
    // whose log had been deleted a fresh one, and `appraise verify` would then find nothing wrong.
    if (applied.includes(AUDIT_LOG_MIGRATION)) await adoptUnrecordedEvaluations(keyed)
    // Evaluations already scored had their plan fixed in practice: approved as they stand, and logged.
    if (applied.includes(PLAN_MIGRATION)) await approvePlansAtUpgrade(keyed)
    return keyed
  } catch (error) {
    await db.destroy()
    throw error
  }
}
