import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Kysely } from 'kysely'
import type { Config } from '../config.js'
import { checkConnection, isPostgresUrl, openPostgres, openSqlite } from './dialect.js'
import { AUDIT_LOG_MIGRATION, migrateToLatest } from './migrate.js'
import { adoptUnrecordedEvaluations } from './audit.js'
import type { Database } from './schema.js'

/** The database the configuration names: PostgreSQL when DATABASE_URL is set, else the SQLite file. */
export function databaseLocation(config: Pick<Config, 'APPRAISAL_DB' | 'DATABASE_URL'>): string {
  return config.DATABASE_URL ?? config.APPRAISAL_DB
}

/**
 * Opens the app's database, migrated to this version's schema: a PostgreSQL URL, or a SQLite file
 * path (its folder is created; ':memory:' gives a private in-memory database). A PostgreSQL server
 * that cannot be reached stops here with one line saying where and why.
 */
export async function openDatabase(location: string, options: { maxConnections?: number } = {}): Promise<Kysely<Database>> {
  const postgres = isPostgresUrl(location)
  if (!postgres && location !== ':memory:') mkdirSync(dirname(location), { recursive: true })
  const db = postgres ? openPostgres(location, options) : openSqlite(location)
  try {
    await checkConnection(db, location)
    // Only as the audit log arrives: adopting at any later start would quietly give an evaluation
    // whose log had been deleted a fresh one, and `appraise verify` would then find nothing wrong.
    if ((await migrateToLatest(db)).includes(AUDIT_LOG_MIGRATION)) await adoptUnrecordedEvaluations(db)
  } catch (error) {
    await db.destroy()
    throw error
  }
  return db
}
