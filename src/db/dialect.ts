import SQLite from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import type { Database } from './schema.js'

/**
 * Everything that differs between database engines lives here; the rest of the code speaks plain
 * Kysely. Today that is SQLite through better-sqlite3; PostgreSQL is planned for large deployments.
 */

/** Opens (creating if needed) the SQLite database at `path`; ':memory:' gives a private in-memory one. */
export function openSqlite(path: string): Kysely<Database> {
  const sqlite = new SQLite(path)
  if (path !== ':memory:') sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  sqlite.pragma('synchronous = NORMAL')
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) })
}
