import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import SQLite from 'better-sqlite3'
import { isPostgresUrl, postgresServer } from './dialect.js'

/**
 * A consistent copy of the whole database, taken while the app runs. SQLite: the online backup API
 * copies the file page by page, including what is still in the write-ahead log. PostgreSQL: pg_dump,
 * the engine's own tool, in its custom format for pg_restore.
 */

/** A backup that could not be made, in words for the person who asked. */
export class BackupError extends Error {}

export async function backupDatabase(location: string, out: string): Promise<string> {
  if (existsSync(out)) throw new BackupError(`${out}: already exists; name a new file, so no earlier backup is overwritten`)
  return isPostgresUrl(location) ? dumpPostgres(location, out) : copySqlite(location, out)
}

async function copySqlite(path: string, out: string): Promise<string> {
  if (path === ':memory:') throw new BackupError('APPRAISAL_DB is an in-memory database: there is nothing to back up')
  let source: SQLite.Database
  try {
    source = new SQLite(path, { fileMustExist: true })
  } catch (error) {
    throw new BackupError(`APPRAISAL_DB: ${path} cannot be opened (${(error as Error).message})`)
  }
  try {
    await source.backup(out)
  } catch (error) {
    throw new BackupError(`${out}: cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
  } finally {
    source.close()
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
