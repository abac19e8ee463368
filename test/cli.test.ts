import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { computeResults, parseEvaluationText, type AppraisalResults } from '../src/appraisal/index.js'
import { AuditKey, auditKeyFile } from '../src/db/audit-key.js'
import { readEvaluationFile } from '../src/db/evaluation-file.js'
import { openDatabase } from '../src/db/open.js'
import { seedDemoIfEmpty } from '../src/demo/seed.js'
import { formatMoney, formatScore } from '../src/format.js'
import { completeConsensus } from './appraisal/factories.js'
import { appraise } from './appraise.js'
import { newTestDatabaseLocation, onSqlite, openAnotherConnection, testEngine } from './database.js'
import { createTestApp, exportedLessImportApproval, pageText, testTemplates } from './helpers.js'

const fixture = new URL('./fixtures/small-evaluation.json', import.meta.url).pathname

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'appraise-'))
}

async function countEvaluations(location: string): Promise<number> {
  const db = await openAnotherConnection(location)
  const row = await db
    .selectFrom('evaluation')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  await db.destroy()
  return Number(row.n)
}

describe('the appraise command', () => {
  it('prints the results JSON for a file, the same figures as the engine', async () => {
    const dir = tempDir()
    const outcome = await appraise(['results', fixture], join(dir, 'db.sqlite'))
    expect(outcome.code).toBe(0)
    expect(outcome.stderr).toBe('')
    const parsed = parseEvaluationText(readFileSync(fixture, 'utf8'))
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
    expect(JSON.parse(outcome.stdout)).toEqual(JSON.parse(JSON.stringify(computeResults(parsed.file))))
  })

  it('refuses an invalid file with one line per problem and its JSON path, printing nothing on stdout', async () => {
    const dir = tempDir()
    const bad = JSON.parse(readFileSync(fixture, 'utf8'))
    bad.scores[2].score = 9
    bad.costs[0].from = 3
    bad.costs[0].to = 1
    const path = join(dir, 'bad.json')
    writeFileSync(path, JSON.stringify(bad))
    const outcome = await appraise(['results', path], join(dir, 'db.sqlite'))
    expect(outcome.code).not.toBe(0)
    expect(outcome.stdout).toBe('')
    const lines = outcome.stderr.trim().split('\n')
    expect(lines).toContain('scores[2].score: must be between 0 and 5')
    expect(lines.some((l) => l.startsWith('costs[0].to:'))).toBe(true)
  })

  it('says when a file is not JSON', async () => {
    const dir = tempDir()
    const path = join(dir, 'not.json')
    writeFileSync(path, '{ "format": ')
    const outcome = await appraise(['results', path], join(dir, 'db.sqlite'))
    expect(outcome.code).not.toBe(0)
    expect(outcome.stdout).toBe('')
    expect(outcome.stderr).toMatch(/^file: is not valid JSON/)
  })

  it('imports a file into the database, printing the new id, and exports an equivalent file', async () => {
    const db = await newTestDatabaseLocation()
    const imported = await appraise(['import', fixture], db)
    expect(imported.code).toBe(0)
    expect(imported.stdout.trim()).toMatch(/^\d+$/)
    const exported = await appraise(['export', imported.stdout.trim()], db)
    expect(exported.code).toBe(0)
    const original = parseEvaluationText(readFileSync(fixture, 'utf8'))
    const roundTrip = exportedLessImportApproval(exported.stdout)
    expect(roundTrip).toEqual(original)
  })

  it('writes nothing to the database when an imported file is invalid', async () => {
    const dir = tempDir()
    const db = await newTestDatabaseLocation()
    const bad = JSON.parse(readFileSync(fixture, 'utf8'))
    bad.options.push({ id: 'retain', name: 'Duplicate' })
    const path = join(dir, 'bad.json')
    writeFileSync(path, JSON.stringify(bad))
    await appraise(['import', fixture], db)
    const outcome = await appraise(['import', path], db)
    expect(outcome.code).not.toBe(0)
    expect(outcome.stdout).toBe('')
    expect(outcome.stderr).toContain('options[3].id:')
    expect(await countEvaluations(db)).toBe(1)
  })

  it('refuses an unknown evaluation id on export', async () => {
    const outcome = await appraise(['export', '42'], await newTestDatabaseLocation())
    expect(outcome.code).not.toBe(0)
    expect(outcome.stdout).toBe('')
    expect(outcome.stderr).toContain('there is no evaluation 42')
  })

  it('refuses iterations outside 1..1,000,000 and a seed that is not a whole number', async () => {
    const dir = tempDir()
    const db = join(dir, 'db.sqlite')
    for (const args of [
      ['--iterations', '0'],
      ['--iterations', '2000000'],
      ['--iterations', '1.5'],
      ['--seed', 'abc'],
    ]) {
      const outcome = await appraise(['results', fixture, '--sensitivity', ...args], db)
      expect(outcome.code, args.join(' ')).not.toBe(0)
      expect(outcome.stdout).toBe('')
      expect(outcome.stderr).toMatch(/^--(iterations|seed): must be a whole number/)
    }
  })

  it('stops with one line naming host, port and reason when DATABASE_URL cannot be reached', async () => {
    const dir = tempDir()
    const port = 1 // a privileged port nothing of ours listens on
    const outcome = await appraise(['export', '1'], join(dir, 'db.sqlite'), {
      DATABASE_URL: `postgres://someone:secret@127.0.0.1:${port}/appraisal`,
      AUDIT_KEY: AuditKey.generate(),
    })
    expect(outcome.code).not.toBe(0)
    expect(outcome.stdout).toBe('')
    expect(outcome.stderr).toBe(
      `appraise: Cannot connect to PostgreSQL at 127.0.0.1:${port} (database appraisal, user someone): connection refused (is PostgreSQL running and listening on that address and port?)\n`,
    )
    expect(existsSync(join(dir, 'db.sqlite'))).toBe(false)
  })

  it('prints for the demo evaluation’s exported file the same figures the app shows', async () => {
    const t = await createTestApp()
    const id = await seedDemoIfEmpty(t.db, testTemplates())
    const demoLead = await t.clientWithRoles(id, ['lead'])
    // The demo is part-way through moderation, which seals price from its lead: its file is imported
    // again with moderation finished, and that evaluation's results page compared with the command's.
    const parsed = parseEvaluationText(await (await demoLead.request(`/evaluations/${id}/export`)).text())
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
    const moderated = completeConsensus(parsed.file)
    const moderatedId = await t.importFile(moderated)
    const app = await t.clientWithRoles(moderatedId, ['lead'])
    const exported = await (await app.request(`/evaluations/${moderatedId}/export`)).text()
    const dir = tempDir()
    const path = join(dir, 'demo.json')
    writeFileSync(path, exported)
    const outcome = await appraise(['results', path], join(dir, 'unused.sqlite'))
    expect(outcome.code).toBe(0)
    const results = JSON.parse(outcome.stdout) as AppraisalResults
    expect(results.preferred).not.toBeNull()
    const page = pageText(await (await app.request(`/evaluations/${moderatedId}/results`)).text())
    for (const option of results.options) {
      expect(page).toContain(option.name)
      expect(page).toContain(formatScore(option.quality))
      expect(page).toContain(formatMoney(option.pvCost, 'GBP'))
      expect(page).toContain(formatMoney(option.npsv, 'GBP'))
      if (option.total !== null) expect(page).toContain(formatScore(option.total))
    }
    const preferred = results.options.find((o) => o.id === results.preferred)!
    expect(page).toMatch(new RegExp(`Preferred option ${preferred.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))
  })
})

describe('appraise backup', () => {
  it.runIf(onSqlite)('writes a consistent copy of the SQLite database that opens and holds the same evaluations', async () => {
    const db = await newTestDatabaseLocation()
    // Held open as the running app holds it, so the imports stay in the write-ahead log, not yet in the file.
    const original = await openDatabase(db)
    const first = await appraise(['import', fixture], db)
    const second = await appraise(['import', fixture], db)
    const out = join(tempDir(), 'backup.sqlite')
    const outcome = await appraise(['backup', out], db)
    expect(outcome).toMatchObject({ code: 0, stderr: '' })
    expect(outcome.stdout).toMatch(
      new RegExp(
        `^Copied ${db} to ${out}\\.\nIt verifies only with its audit key \\(fingerprint [0-9a-f]{16}\\): keep a copy of the key file ${db}\\.audit-key apart from it\\.\n$`,
      ),
    )
    // Restored with its key beside it, as the README says.
    copyFileSync(auditKeyFile(db), auditKeyFile(out))
    const copy = await openDatabase(out)
    try {
      for (const id of [first.stdout.trim(), second.stdout.trim()]) {
        expect(await readEvaluationFile(copy, Number(id))).toEqual(await readEvaluationFile(original, Number(id)))
      }
      expect(await copy.selectFrom('evaluation').select('id').execute()).toHaveLength(2)
    } finally {
      await original.destroy()
      await copy.destroy()
    }
  })

  it('refuses to overwrite an existing file', async () => {
    const out = join(tempDir(), 'backup.sqlite')
    writeFileSync(out, 'an earlier backup')
    const outcome = await appraise(['backup', out], await newTestDatabaseLocation())
    expect(outcome.code).not.toBe(0)
    expect(outcome.stderr).toBe(`${out}: already exists; name a new file, so no earlier backup is overwritten\n`)
    expect(readFileSync(out, 'utf8')).toBe('an earlier backup')
  })

  it.runIf(testEngine === 'postgres')('hands a PostgreSQL database to pg_dump, saying so, with no password on its command line', async () => {
    const db = await newTestDatabaseLocation()
    await appraise(['import', fixture], db)
    const out = join(tempDir(), 'backup.dump')
    const outcome = await appraise(['backup', out], db)
    const server = new URL(db)
    const command = `pg_dump --format=custom --host ${server.hostname} --port ${server.port} --username ${decodeURIComponent(server.username)} --dbname ${server.pathname.slice(1)} --file ${out}`
    if (outcome.code === 0) {
      expect(outcome.stdout.split('\n')).toEqual([
        'Backed up with pg_dump (restore with pg_restore):',
        `  ${command}`,
        expect.stringMatching(/^It verifies only with its audit key \(fingerprint [0-9a-f]{16}\): keep a copy of AUDIT_KEY apart from it\.$/),
        '',
      ])
      expect(readFileSync(out).subarray(0, 5).toString()).toBe('PGDMP')
    } else {
      // No pg_dump on this machine: the exact command to run instead.
      expect(outcome.stderr).toContain(`  ${command}\n`)
    }
    if (server.password !== '') expect(outcome.stdout + outcome.stderr).not.toContain(server.password)
  })
})
