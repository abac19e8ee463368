// The database as the worker threads see it. Long work that reads a whole evaluation (the report,
// the record check) reads it in its own thread, over a connection of its own, so the request thread
// neither spends the read's time nor holds the evaluation's hundred thousand rows in its memory.
// Each worker opens one connection per database and keeps it (SQLite: read-only, beside the app's
// writes in WAL mode; PostgreSQL: a pool of one). A private in-memory SQLite database (':memory:',
// the tests') cannot be seen from another thread: its long work reads on the request thread instead.

import type { Kysely } from 'kysely'
import { AuditKey, withAuditKey } from '../db/audit-key.js'
import { isPostgresUrl, openPostgres, openSqlite } from '../db/dialect.js'
import type { Database } from '../db/schema.js'

/** Where a worker finds the app's database, and the audit key its log is sealed with. */
export interface DatabaseSource {
  readonly location: string
  readonly auditKey: Uint8Array
}

/** A source the worker threads can open, or undefined for a database only this thread can see. */
export function sharedSource(location: string, key: AuditKey): DatabaseSource | undefined {
  return location === ':memory:' ? undefined : { location, auditKey: key.secretBytes() }
}

const opened = new Map<string, Kysely<Database>>()

/** This worker's connection to the source's database, opened on first use and kept. */
export function workerDatabase(source: DatabaseSource): Kysely<Database> {
  let db = opened.get(source.location)
  if (db === undefined) {
    const plain = isPostgresUrl(source.location) ? openPostgres(source.location, { maxConnections: 1 }) : openSqlite(source.location, { readOnly: true })
    db = withAuditKey(plain, AuditKey.fromBytes(source.auditKey))
    opened.set(source.location, db)
  }
  return db
}
