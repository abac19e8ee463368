// The database each test gets. Without TEST_DATABASE_URL: a private in-memory SQLite database, as
// the app's own ':memory:' gives. With it (postgres://…): a PostgreSQL database of its own, empty and
// migrated, that no other test can see while it runs.
//
// Copying a database from the template that test/setup/postgres-template.ts migrated for the run takes
// 0.1–0.3 s, several times a typical test. So each test file copies one when its first test needs it,
// and when a test ends its database is emptied (TRUNCATE … RESTART IDENTITY: no rows, ids from 1
// again) and handed to the file's next test. A database a test handed to a child process, or closed
// itself, cannot be known to be clean, so it is dropped instead; all are dropped when the file ends.
import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql, type Kysely } from 'kysely'
import pg from 'pg'
import { inject } from 'vitest'
import { AuditKey } from '../src/db/audit-key.js'
import { isPostgresUrl, type Engine } from '../src/db/dialect.js'
import { openDatabase } from '../src/db/open.js'
import type { Database } from '../src/db/schema.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The migrated database every PostgreSQL test database is copied from; '' on SQLite. */
    postgresTemplate: string
  }
}

const serverUrl = process.env.TEST_DATABASE_URL || undefined

// The audit key. Each database openTestDatabase opens gets a key of its own. On PostgreSQL, where
// the app requires AUDIT_KEY, the databases a test hands to openDatabase or to a child process (the
// CLI, a server) share one key per test file, made here; on SQLite they use the key file that
// openDatabase makes beside the database, as the app does.
if (serverUrl !== undefined) process.env.AUDIT_KEY = AuditKey.generate()

/** The engine this run of the suite tests. */
export const testEngine: Engine = serverUrl === undefined ? 'sqlite' : 'postgres'

/** Runs SQLite-only assertions (pragmas, the file itself) on SQLite only. */
export const onSqlite = testEngine === 'sqlite'

interface Held {
  /** Databases to empty and reuse, with the test's own connection to them. */
  reusable: { name: string; db: Kysely<Database> }[]
  /** Databases to drop. */
  databases: string[]
  /** Other connections to close. */
  connections: Kysely<Database>[]
}

const perTest: Held = { reusable: [], databases: [], connections: [] }
const perFile: Held = { reusable: [], databases: [], connections: [] }
let inTest = false

function held(): Held {
  return inTest ? perTest : perFile
}

/** Called by test/setup/database-scope.ts around each test. */
export function enterTest(): void {
  inTest = true
}

export async function leaveTest(): Promise<void> {
  inTest = false
  await release(perTest)
}

export async function leaveFile(): Promise<void> {
  await release(perFile)
  for (const name of clean.splice(0)) await dropDatabase(name)
  const client = admin
  admin = undefined
  if (client !== undefined) await (await client).end()
}

// Each test file loads this module afresh, so names carry a random part as well as a count.
const fileTag = randomBytes(3).toString('hex')
let counter = 0
/** Emptied databases, ready for the next test of this file. */
const clean: string[] = []
let admin: Promise<pg.Client> | undefined

/** A connection to the server's maintenance database, to create and drop test databases on. */
function adminClient(): Promise<pg.Client> {
  admin ??= (async () => {
    const client = new pg.Client({ connectionString: serverUrl })
    await client.connect()
    return client
  })()
  return admin
}

async function createDatabase(): Promise<string> {
  const template = inject('postgresTemplate')
  counter += 1
  const name = `${template}_${fileTag}_${counter}`
  await (await adminClient()).query(`create database "${name}" template "${template}"`)
  return name
}

async function dropDatabase(name: string): Promise<void> {
  const client = await adminClient()
  try {
    // Without FORCE the server waits (up to 5 s) for connections that are closing to end; one that a
    // child process (the CLI, a server) left open is ended with FORCE.
    await client.query(`drop database if exists "${name}"`)
  } catch {
    await client.query(`drop database if exists "${name}" with (force)`)
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  return parsed.toString()
}

/**
 * A location for a new, empty, migrated database that a child process (the CLI, a server) can open
 * too: a PostgreSQL URL, or on SQLite a file path in a new temporary folder.
 */
export async function newTestDatabaseLocation(): Promise<string> {
  if (serverUrl === undefined) return join(mkdtempSync(join(tmpdir(), 'appraisal-test-')), 'appraisal.sqlite')
  const name = clean.pop() ?? (await createDatabase())
  held().databases.push(name)
  return withDatabase(serverUrl, name)
}

/** Opens an empty database for this test, through the app's openDatabase, as the app would. */
export async function openTestDatabase(): Promise<Kysely<Database>> {
  if (serverUrl === undefined) return openDatabase(':memory:', { auditKey: AuditKey.generate() })
  const name = clean.pop() ?? (await createDatabase())
  const db = await openDatabase(withDatabase(serverUrl, name), { maxConnections: 5, auditKey: AuditKey.generate() })
  held().reusable.push({ name, db })
  return db
}

/** Opens another connection pool to a database a test already has, as a second app server would. */
export async function openAnotherConnection(location: string): Promise<Kysely<Database>> {
  const db = await openDatabase(location, { maxConnections: 5 })
  held().connections.push(db)
  return db
}

/** The environment that points a server or CLI child process at a test database (and at no other). */
export function serverDatabaseEnv(location: string): Record<string, string> {
  return isPostgresUrl(location)
    ? { DATABASE_URL: location, AUDIT_KEY: process.env.AUDIT_KEY ?? '' }
    : { APPRAISAL_DB: location, DATABASE_URL: '', AUDIT_KEY: '' }
}

let emptying: string | undefined

/**
 * One statement that empties every table the app keeps, children before parents, and starts ids
 * from 1 again; the migrations' own tables are left as they are. DELETE rather than TRUNCATE: on
 * tables this small it takes a few milliseconds where TRUNCATE takes a tenth of a second.
 */
async function emptyingStatement(db: Kysely<Database>): Promise<string> {
  const metadata = await db.introspection.getTables()
  const tables = metadata.map((t) => t.name)
  const counted = metadata.filter((t) => t.columns.some((c) => c.name === 'id' && c.isAutoIncrementing)).map((t) => t.name)
  const { rows } = await sql<{ child: string; parent: string }>`
    select c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent
    from pg_constraint c where c.contype = 'f' and c.connamespace = current_schema()::regnamespace
  `.execute(db)
  const ordered: string[] = []
  const visit = (table: string, path: Set<string>) => {
    if (ordered.includes(table) || path.has(table)) return
    path.add(table)
    for (const { child, parent } of rows) if (parent.replace(/"/g, '') === table && child.replace(/"/g, '') !== table) visit(child.replace(/"/g, ''), path)
    ordered.push(table)
  }
  for (const table of tables) visit(table, new Set())
  const quote = (name: string) => `"${name.replace(/"/g, '""')}"`
  // The audit log's tables refuse DELETE by trigger, as they should; their owner (the test) turns
  // the triggers off for the emptying only.
  const guarded = (
    await sql<{ name: string }>`
    select distinct c.relname as name from pg_trigger t join pg_class c on c.oid = t.tgrelid
    where not t.tgisinternal and c.relnamespace = current_schema()::regnamespace
  `.execute(db)
  ).rows.map((r) => quote(r.name))
  const deletes = [
    ...guarded.map((table) => `alter table ${table} disable trigger user;`),
    ...ordered.map((table) => `delete from ${quote(table)};`),
    ...guarded.map((table) => `alter table ${table} enable trigger user;`),
  ].join(' ')
  const restarts = counted.map((table) => `select setval(pg_get_serial_sequence('${quote(table).replace(/'/g, "''")}', 'id'), 1, false);`).join(' ')
  return `${deletes} ${restarts}`
}

async function empty(db: Kysely<Database>): Promise<void> {
  emptying ??= await emptyingStatement(db)
  await sql.raw(emptying).execute(db)
}

async function release(what: Held): Promise<void> {
  const connections = what.connections.splice(0)
  const reusable = what.reusable.splice(0)
  const databases = what.databases.splice(0)
  await Promise.all(connections.map((db) => db.destroy()))
  for (const { name, db } of reusable) {
    try {
      await empty(db)
      clean.push(name)
    } catch {
      databases.push(name) // the test closed it, or left it unusable: start again from the template
    } finally {
      await db.destroy()
    }
  }
  for (const name of databases) await dropDatabase(name)
}
