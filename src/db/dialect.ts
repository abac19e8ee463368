import SQLite from 'better-sqlite3'
import { Kysely, PostgresAdapter, PostgresDialect, SqliteDialect, sql, type Transaction } from 'kysely'
import pg from 'pg'
import type { Database } from './schema.js'

/**
 * Everything that differs between database engines lives here (and in backup.ts beside it); the rest
 * of the code speaks plain Kysely. One organisation runs on a SQLite file through better-sqlite3; a
 * shared service runs several app servers over one PostgreSQL database through `pg`.
 *
 * A database is named by one string, its location: a PostgreSQL URL (postgres://user@host:5432/db)
 * or a SQLite file path (':memory:' for a private in-memory database).
 */

export type Engine = 'sqlite' | 'postgres'

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location)
}

export function engineOf(db: Kysely<any>): Engine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite'
}

/** Where a PostgreSQL URL points, with pg's defaults filled in. The password is never part of it. */
export interface PostgresServer {
  host: string
  port: number
  database: string
  user: string
}

export function postgresServer(url: string): PostgresServer {
  const parsed = new URL(url)
  const user = decodeURIComponent(parsed.username) || process.env.PGUSER || process.env.USER || 'postgres'
  return {
    host: parsed.searchParams.get('host') ?? (decodeURIComponent(parsed.hostname) || process.env.PGHOST || 'localhost'),
    port: Number(parsed.port || process.env.PGPORT || 5432),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || process.env.PGDATABASE || user,
    user,
  }
}

/** The database in words, for start-up lines and messages: never with a password. */
export function describeLocation(location: string): string {
  if (!isPostgresUrl(location)) return location === ':memory:' ? 'SQLite in memory' : `SQLite file ${location}`
  const server = postgresServer(location)
  return `PostgreSQL database ${server.database} on ${server.host}:${server.port} as ${server.user}`
}

/**
 * Opens (creating if needed) the SQLite database at `path`; ':memory:' gives a private in-memory one.
 * A file runs in WAL mode with synchronous = FULL: each commit waits until the write-ahead log is on
 * the disk (an fsync), so a save the app has acknowledged survives a power cut, not only the
 * process being killed. NORMAL would skip that fsync and could lose the last commits on a power cut.
 */
export function openSqlite(path: string, options: { readOnly?: boolean } = {}): Kysely<Database> {
  if (options.readOnly === true) {
    // A second connection that only reads (a worker thread's): in WAL mode it reads its own
    // snapshot beside the app's writes, neither waiting for the other.
    const reader = new SQLite(path, { readonly: true, fileMustExist: true })
    reader.pragma('busy_timeout = 5000')
    return new Kysely<Database>({ dialect: new SqliteDialect({ database: reusingStatements(reader) }) })
  }
  const sqlite = new SQLite(path)
  const file = path !== ':memory:'
  if (file) sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  if (file) sqlite.pragma('synchronous = FULL')
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: reusingStatements(sqlite) }) })
}

/** How many prepared statements a SQLite connection keeps: the app's queries differ in their text far less. */
const STATEMENTS_KEPT = 1000

/**
 * The connection as Kysely sees it, keeping each statement it prepares for the next query with the
 * same text. Kysely prepares a statement for every query it runs, and preparing one (parsing and
 * planning the SQL) cost as much as running the small queries a save makes. A statement still
 * running (a streamed read) is not handed out again: a new one is prepared for that query. SQLite
 * prepares a kept statement again by itself when the schema it was planned on has changed.
 */
function reusingStatements(sqlite: SQLite.Database): { prepare(sql: string): SQLite.Statement; close(): void } {
  const kept = new Map<string, SQLite.Statement>()
  return {
    prepare(text) {
      const statement = kept.get(text)
      if (statement !== undefined && !statement.busy) return statement
      const prepared = sqlite.prepare(text)
      if (statement === undefined) {
        // The oldest out first, when full: a Map iterates in insertion order.
        if (kept.size >= STATEMENTS_KEPT) kept.delete(kept.keys().next().value!)
        kept.set(text, prepared)
      }
      return prepared
    },
    close() {
      kept.clear()
      sqlite.close()
    },
  }
}

const INT8 = 20

/**
 * Opens a pool of connections to PostgreSQL. Nothing connects until the first query: call
 * `checkConnection` to fail fast. count(*) is a bigint, which pg gives as a string; it is read as a
 * number here, as SQLite gives it (every count the app makes is far below 2^53).
 */
export function openPostgres(url: string, options: { maxConnections?: number } = {}): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: 10_000,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8 ? Number : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  })
  // A connection dropped while idle (the server restarted, a failover) is replaced on the next
  // query; without a listener it would end the process.
  pool.on('error', (error) => console.error(`PostgreSQL: an idle connection closed: ${error.message}`))
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
}

export class DatabaseUnreachableError extends Error {}

/** Why a connection failed, in one line: pg's own words for what the server said, plain words for the network. */
function connectionFailure(error: unknown): string {
  const e = error as { code?: string; message?: string; errors?: { code?: string; message?: string }[] }
  const code = e.code ?? e.errors?.[0]?.code
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (is PostgreSQL running and listening on that address and port?)'
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name was not found'
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'the host did not answer'
    case 'ECONNRESET':
      return 'the server closed the connection'
  }
  const message = (e.message ?? e.errors?.[0]?.message ?? String(error)).split('\n')[0]!
  if (/timeout/i.test(message)) return 'no answer within 10 seconds'
  if (/SASL|client password must be a string/.test(message)) return 'the server asks for a password and DATABASE_URL gives none'
  return message
}

/**
 * Makes sure the database answers, so a wrong DATABASE_URL stops start-up at once with one line
 * (host, port, reason) rather than on the first request. SQLite has opened its file already.
 */
export async function checkConnection(db: Kysely<Database>, location: string): Promise<void> {
  if (!isPostgresUrl(location)) return
  try {
    await sql`select 1`.execute(db)
  } catch (error) {
    const server = postgresServer(location)
    throw new DatabaseUnreachableError(
      `Cannot connect to PostgreSQL at ${server.host}:${server.port} (database ${server.database}, user ${server.user}): ${connectionFailure(error)}`,
    )
  }
}

/**
 * Runs `work` while no other app process runs it, as when several instances start together on a new
 * PostgreSQL database and only one may create the first accounts. On SQLite one process starts at a
 * time in practice, and the database file's own locking keeps writes apart.
 */
export async function runAlone<T>(db: Kysely<Database>, name: string, work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  if (engineOf(db) !== 'postgres') return work(db)
  return db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(hashtext(${name}))`.execute(connection)
    try {
      return await work(connection)
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${name}))`.execute(connection)
    }
  })
}

/**
 * What the engine itself finds wrong with the database's storage, one line each; [] when nothing.
 * On SQLite, PRAGMA integrity_check reads the whole file (every page, index and constraint), which
 * takes a while on a large one: `appraise verify` runs it, the pages do not. PostgreSQL offers no
 * such check to an ordinary role (amcheck is an extension); its own tools look after its storage.
 */
export async function storageProblems(db: Kysely<any>): Promise<string[]> {
  if (engineOf(db) === 'postgres') return []
  const { rows } = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db)
  const lines = rows.flatMap((row) => row.integrity_check.split('\n')).filter((line) => line !== '' && !/^\*\*\* in database \w+ \*\*\*$/.test(line))
  if (lines.length === 1 && lines[0] === 'ok') return []
  return lines.map((line) => `The database file fails SQLite’s integrity check: ${line}`)
}

/**
 * Runs `work` on one consistent snapshot of the database, so that reads made one after another see
 * the same moment while others write: checking a record against its log must not see a change land
 * between reading the log and reading the records. On PostgreSQL that takes a read-only REPEATABLE
 * READ transaction (the default, READ COMMITTED, gives each statement a snapshot of its own); on
 * SQLite any transaction reads as of its first read, and holds the app's one connection till it ends.
 */
export function inReadSnapshot<T>(db: Kysely<Database>, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (engineOf(db) === 'postgres') return db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(work)
  return db.transaction().execute(work)
}
