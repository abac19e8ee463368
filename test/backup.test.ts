// Backups (issue #9, durability): `appraise backup OUT` taken while the real server runs and a panel
// saves scores gives a copy that passes its checks and restores as the README says; a backup that
// cannot be written says why and leaves the database as it was. (test/cli.test.ts covers the
// command's plain cases: a copy of an idle database, an existing file, pg_dump's command line.)
import { spawn } from 'node:child_process'
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { auditKeyFile } from '../src/db/audit-key.js'
import { readEvaluationFile } from '../src/db/evaluation-file.js'
import { openDatabase } from '../src/db/open.js'
import { createCrashDatabase, saverPlan } from './crash/crash-database.js'
import { appraise } from './appraise.js'
import { startSaver, startServer, stopEverything } from './crash/harness.js'
import { newTestDatabaseLocation, onSqlite, testEngine } from './database.js'

afterEach(stopEverything)

const fixture = new URL('./fixtures/small-evaluation.json', import.meta.url).pathname

async function expectVerified(location: string): Promise<void> {
  const outcome = await appraise(['verify', '--json'], location)
  expect(outcome.code, `appraise verify failed:\n${outcome.stdout}\n${outcome.stderr}`).toBe(0)
  expect((JSON.parse(outcome.stdout) as { intact: boolean }).intact).toBe(true)
}

/** pg_restore of a pg_dump custom-format file into the database at `url`, replacing what it holds. */
function pgRestore(file: string, url: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('pg_restore', ['--clean', '--if-exists', '--no-owner', '--exit-on-error', '--dbname', url, file], {
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', (error) => resolve({ code: null, stderr: error.message }))
    child.on('close', (code) => resolve({ code, stderr }))
  })
}

describe(`appraise backup while the app runs (${testEngine === 'postgres' ? 'PostgreSQL' : 'SQLite'})`, () => {
  it('takes a consistent copy in the middle of a panel’s saves, which passes its checks and restores', async ({ skip }) => {
    const location = await newTestDatabaseLocation()
    const dir = mkdtempSync(join(tmpdir(), 'appraisal-backup-'))
    const setupDb = await openDatabase(location)
    const setup = await createCrashDatabase(setupDb, 2).finally(() => setupDb.destroy())

    const server = await startServer(location)
    const saver = startSaver(saverPlan(server.origin, setup, 2), dir)
    await saver.whenAcknowledged(50, 2000)
    const before = saver.lines.length
    const acknowledgedBefore = saver.acknowledged()
    const out = join(dir, onSqlite ? 'backup.sqlite' : 'backup.dump')
    const outcome = await appraise(['backup', out], location)
    const acknowledgedAfter = saver.acknowledged()
    process.kill(server.pid, 'SIGKILL')
    await saver.exited
    if (!onSqlite && outcome.code !== 0 && /pg_dump is not installed/.test(outcome.stderr)) return skip('pg_dump is not installed here')
    expect(outcome, outcome.stderr).toMatchObject({ code: 0, stderr: '' })
    // The saves went on while the backup was taken.
    expect(acknowledgedAfter).toBeGreaterThan(acknowledgedBefore)
    expect(saver.lines.slice(0, before).filter((l) => l.event === 'refused')).toEqual([])

    // Restored as the README says: SQLite, the copy becomes the database file; PostgreSQL, pg_restore.
    let restored: string
    if (onSqlite) {
      const copy = new SQLite(out, { fileMustExist: true, readonly: true })
      try {
        expect(copy.pragma('integrity_check', { simple: true })).toBe('ok')
      } finally {
        copy.close()
      }
      restored = join(mkdtempSync(join(tmpdir(), 'appraisal-restored-')), 'appraisal.sqlite')
      copyFileSync(out, restored)
      copyFileSync(auditKeyFile(location), auditKeyFile(restored))
    } else {
      restored = await newTestDatabaseLocation()
      const restore = await pgRestore(out, restored)
      expect(restore, restore.stderr).toEqual({ code: 0, stderr: '' })
    }
    await expectVerified(restored)

    // Every save acknowledged before the backup began is in it, or a later one: the copy is of one
    // moment after it began, whole.
    const db = await openDatabase(restored)
    try {
      const rows = await db.selectFrom('individual_score').select(['panel_member_id', 'option_id', 'criterion_id', 'score', 'rationale', 'version']).execute()
      const key = (l: { memberId: number; optionId: number; criterionId: number }) => `${l.memberId}/${l.optionId}/${l.criterionId}`
      const inCopy = new Map(rows.map((r) => [`${r.panel_member_id}/${r.option_id}/${r.criterion_id}`, r]))
      const sent = new Map<string, Map<string, number>>()
      for (const line of saver.lines) if (line.event === 'sent') sent.set(key(line), (sent.get(key(line)) ?? new Map()).set(line.rationale, line.score))
      const acknowledgedVersion = new Map<string, number>()
      for (const line of saver.lines.slice(0, before)) if (line.event === 'ack') acknowledgedVersion.set(key(line), line.version)
      expect(acknowledgedVersion.size).toBeGreaterThan(0)
      for (const [k, version] of acknowledgedVersion) {
        const row = inCopy.get(k)
        expect(row, `score ${k}, saved before the backup, is missing from it`).toBeDefined()
        expect(row!.version).toBeGreaterThanOrEqual(version)
      }
      // (The file's own panel members' scores are left out: the saver's evaluators are new.)
      const saverScores = new Set(setup.evaluators.flatMap((e) => e.cells.map(key)))
      for (const [k, row] of inCopy) {
        if (saverScores.has(k)) expect(sent.get(k)?.get(row.rationale ?? ''), `score ${k} holds a value no save sent`).toBe(Number(row.score))
      }
    } finally {
      await db.destroy()
    }

    // The restored database serves the panel, sessions and all.
    const again = await startServer(restored)
    const evaluator = setup.evaluators[0]!
    const page = await fetch(`${again.origin}/evaluations/${setup.evaluationId}/scoring/${evaluator.cells[0]!.optionId}`, {
      headers: { cookie: evaluator.cookie },
      redirect: 'manual',
    })
    expect(page.status).toBe(200)
  }, 120_000)
})

describe('appraise backup to a path that cannot be written', () => {
  it('says why in one line and leaves the database as it was', async () => {
    const location = await newTestDatabaseLocation()
    expect((await appraise(['import', fixture], location)).code).toBe(0)
    const db = await openDatabase(location)
    const evaluation = await readEvaluationFile(db, 1)
    await db.destroy()
    // No process holds the SQLite file open now: its bytes are all there is to it.
    const bytes = onSqlite ? readFileSync(location) : undefined

    const dir = mkdtempSync(join(tmpdir(), 'appraisal-unwritable-'))
    writeFileSync(join(dir, 'notes.txt'), 'a file, not a folder')
    // Paths no one can create a file at, root included (a folder's permissions do not stop root).
    const cases: [string, string][] = [
      [join(dir, 'notes.txt', 'backup.sqlite'), `${join(dir, 'notes.txt')} is a file, not a folder`],
      [join(dir, 'notes.txt', 'old', 'backup.sqlite'), `${join(dir, 'notes.txt')} is a file, not a folder`],
      [join(dir, 'no-such-folder', 'backup.sqlite'), `there is no folder ${join(dir, 'no-such-folder')}`],
    ]
    if (existsSync('/proc/self')) cases.push(['/proc/appraisal-backup.sqlite', 'files cannot be created in /proc'])
    const outcomes = await Promise.all(cases.map(([out]) => appraise(['backup', out], location)))
    for (const [index, [out, reason]] of cases.entries()) {
      expect(outcomes[index]).toEqual({ code: 1, stdout: '', stderr: `${out}: cannot be written: ${reason}; no backup was made\n` })
    }

    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('a file, not a folder')
    expect(readdirSync(dir)).toEqual(['notes.txt'])
    if (onSqlite) {
      expect(readFileSync(location).equals(bytes!), 'the database file changed').toBe(true)
      expect(readdirSync(join(location, '..'))).toEqual(['appraisal.sqlite', 'appraisal.sqlite.audit-key'])
    }
    const after = await openDatabase(location)
    try {
      expect(await readEvaluationFile(after, 1)).toEqual(evaluation)
    } finally {
      await after.destroy()
    }
    await expectVerified(location)
  }, 60_000)
})
