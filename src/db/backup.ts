import { spawn } from 'node:child_process'
import { closeSync, existsSync, openSync, rmSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import SQLite from 'better-sqlite3'
import { auditKeySource, sameDigest, type KeySource } from './audit-key.js'
import { describeLocation, isPostgresUrl, openPostgres, postgresServer } from './dialect.js'

/**
 * A consistent copy of the whole database, taken while the app runs. SQLite: the online backup API
 * copies the file page by page, including what is still in the write-ahead log. PostgreSQL: pg_dump,
 * the engine's own tool, in its custom format for pg_restore.
 */

/** A backup that could not be made, in words for the person who asked. */
export class BackupError extends Error {}

export async function backupDatabase(location: string, out: string, auditKey?: string): Promise<string> {
  // The key is checked before anything is copied: a backup whose key is lost, or is not the
  // database's, could never be verified.
  claimOutput(out)
  let source: SQLite.Database | undefined
  try {
    if (!isPostgresUrl(location)) source = openSource(location)
    const key = await checkBackupKey(location, source, auditKey)
    const copied = source === undefined ? await dumpPostgres(location, out) : await copySqlite(source, location, out)
    return key === null ? copied : `${copied}\n${key}`
  } catch (error) {
    // The file claimed for it goes: nothing half-written is left to be mistaken for a backup.
    for (const file of [out, `${out}-journal`]) rmSync(file, { force: true })
    throw error
  } finally {
    source?.close()
  }
}

/**
 * The audit key this backup verifies with, checked against the fingerprint the database keeps: a line
 * saying which key to keep with the backup, or null for a database from before the key.
 */
async function checkBackupKey(location: string, source: SQLite.Database | undefined, configured: string | undefined): Promise<string | null> {
  let fingerprint: string | undefined
  if (source !== undefined) {
    const table = source.prepare(`select 1 from sqlite_master where type = 'table' and name = 'audit_key'`).get()
    if (table === undefined) return null
    fingerprint = (source.prepare('select fingerprint from audit_key where id = 1').get() as { fingerprint: string } | undefined)?.fingerprint
  } else {
    const db = openPostgres(location, { maxConnections: 1 })
    try {
      fingerprint = (await db.selectFrom('audit_key').select('fingerprint').where('id', '=', 1).executeTakeFirst())?.fingerprint
    } catch (error) {
      throw new BackupError(`${describeLocation(location)}: cannot be read (${(error as Error).message})`)
    } finally {
      await db.destroy()
    }
  }
  if (fingerprint === undefined) return null
  let keySource: KeySource
  try {
    keySource = auditKeySource(location, configured)
  } catch (error) {
    throw new BackupError((error as Error).message)
  }
  if (keySource.key === undefined)
    throw new BackupError(`the audit log is sealed with a key and ${keySource.where} is missing: no backup was made, as it could never be verified`)
  if (!sameDigest(keySource.key.fingerprint, fingerprint)) {
    throw new BackupError(`${keySource.where} is not the key this database's audit log is sealed with: no backup was made, as it could not be verified with it`)
  }
  return `It verifies only with its audit key (fingerprint ${fingerprint.slice(0, 16)}): keep a copy of ${keySource.where} apart from it.`
}

function openSource(path: string): SQLite.Database {
  if (path === ':memory:') throw new BackupError('APPRAISAL_DB is an in-memory database: there is nothing to back up')
  try {
    return new SQLite(path, { fileMustExist: true })
  } catch (error) {
    throw new BackupError(`APPRAISAL_DB: ${path} cannot be opened (${(error as Error).message})`)
  }
}

/**
 * Creates the backup's file, empty, before anything is copied: it must be new (an earlier backup is
 * never overwritten), and where it cannot be made the reason is the file system's own, in words.
 */
function claimOutput(out: string): void {
  try {
    closeSync(openSync(out, 'wx'))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EEXIST') throw new BackupError(`${out}: already exists; name a new file, so no earlier backup is overwritten`)
    throw new BackupError(`${out}: cannot be written: ${whyUnwritable(out, code ?? (error as Error).message)}; no backup was made`)
  }
}

function whyUnwritable(out: string, code: string): string {
  const folder = dirname(resolve(out))
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR': {
      // The nearest part of the path that exists says what is wrong: a folder missing, or a file in the way.
      let existing = folder
      while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing)
      if (!statSync(existing).isDirectory()) return `${existing} is a file, not a folder`
      return existing === folder ? `files cannot be created in ${folder}` : `there is no folder ${folder}`
    }
    case 'EACCES':
    case 'EPERM':
      return `no permission to create files in ${folder}`
    case 'EROFS':
      return `${folder} is on a read-only file system`
    case 'ENOSPC':
      return 'the disk is full'
    case 'EISDIR':
      return 'that is a folder; name a file in it'
    default:
      return code
  }
}

/**
 * SQLite's online backup, with every page copied in one step: one read of one consistent state,
 * which the app's writes (to the write-ahead log) do not disturb. Copied a few pages at a time, as
 * the backup API does by default, a write by the app between two steps starts the copy again, and
 * on a large database under a busy panel it may never finish.
 */
async function copySqlite(source: SQLite.Database, path: string, out: string): Promise<string> {
  try {
    await source.backup(out, { progress: () => 0x7fffffff })
  } catch (error) {
    throw new BackupError(`${out}: cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); no backup was made`)
  }
  return `Copied ${path} to ${out}.`
}

/** The pg_dump command for this database, as a person would type it: the password is never in it. */
export function pgDumpArguments(url: string, out: string): string[] {
  const server = postgresServer(url)
  return ['--format=custom', '--host', server.host, '--port', String(server.port), '--username', server.user, '--dbname', server.database, '--file', out]
}

function shellWords(words: string[]): string {
  return words.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ')
}

async function dumpPostgres(url: string, out: string): Promise<string> {
  const args = pgDumpArguments(url, out)
  const command = shellWords(['pg_dump', ...args])
  const parsed = new URL(url)
  const env: NodeJS.ProcessEnv = { ...process.env }
  // The password and TLS mode go to pg_dump through its environment, never on its command line.
  if (parsed.password !== '') env.PGPASSWORD = decodeURIComponent(parsed.password)
  const sslmode = parsed.searchParams.get('sslmode')
  if (sslmode !== null) env.PGSSLMODE = sslmode
  const outcome = await new Promise<{ code: number | null; stderr: string; missing: boolean }>((resolve) => {
    const child = spawn('pg_dump', ['--no-password', ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
    child.on('error', (error: NodeJS.ErrnoException) => resolve({ code: null, stderr: error.message, missing: error.code === 'ENOENT' }))
    child.on('close', (code) => resolve({ code, stderr, missing: false }))
  })
  if (outcome.missing) {
    throw new BackupError(`pg_dump is not installed here. Back up this PostgreSQL database with PostgreSQL's own tool:\n  ${command}`)
  }
  if (outcome.code !== 0) {
    const reason = outcome.stderr.trim().split('\n')[0] ?? `exit status ${String(outcome.code)}`
    throw new BackupError(`pg_dump failed: ${reason}\nThe command was:\n  ${command}`)
  }
  return `Backed up with pg_dump (restore with pg_restore):\n  ${command}`
}
