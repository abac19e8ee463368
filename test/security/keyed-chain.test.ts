import { createHmac } from 'node:crypto'
import { execFile } from 'node:child_process'
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { parseEvaluationText } from '../../src/appraisal/index.js'
import { auditKeyFile, auditKeySource, AuditKey } from '../../src/db/audit-key.js'
import { importEvaluationFile } from '../../src/db/evaluation-file.js'
import { AUDIT_LOG_MIGRATION, migrateBackTo } from '../../src/db/migrate.js'
import { openDatabase } from '../../src/db/open.js'
import { verifyEvaluation } from '../../src/db/verify.js'
import { completeConsensus } from '../appraisal/factories.js'
import { TEST_ACTOR } from '../changes.js'
import { newTestDatabaseLocation, onSqlite, openTestDatabase, serverDatabaseEnv } from '../database.js'
import { createTestApp, postForm } from '../helpers.js'
import { appraise } from '../appraise.js'
import { dropTriggers, editConsensusAndItsLog, forgetLaterColumns, plainHash, rechain } from './tamper.js'

const run = promisify(execFile)
const parsed = parseEvaluationText(readFileSync(new URL('../fixtures/small-evaluation.json', import.meta.url), 'utf8'))
if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
const moderated = completeConsensus(parsed.file)

/** Runs a script of the app (the server) as a person would, with this environment; appraise runs through test/appraise.ts. */
async function node(script: string, args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', ['--import', 'tsx', script, ...args], { env: { ...process.env, ...env }, timeout: 60_000 })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

describe('the audit chain is keyed', () => {
  it('catches a score edited and its log rewritten and re-chained without the key, even on a finalised evaluation', async () => {
    const t = await createTestApp()
    const id = await t.importFile(moderated)
    expect((await postForm(t.app, `/evaluations/${id}/finalise`, { confirm: 'on' })).status).toBe(303)
    expect((await verifyEvaluation(t.db, id)).problems).toEqual([])

    await dropTriggers(t.db)
    const { entrySeq } = await editConsensusAndItsLog(t.db, id)
    // Re-chained with the app's canonical form and SHA-256, as the app itself hashed before the key…
    await rechain(t.db, id)
    const problems = (await verifyEvaluation(t.db, id)).problems.join('\n')
    expect(problems).toContain(`Audit entry ${entrySeq} (`)
    expect(problems).toContain('has been altered')
    // …or with an HMAC under a key of the attacker's own: no better.
    const guessed = AuditKey.generate()
    await rechain(t.db, id, {
      hash: (prev, header, changes) =>
        createHmac('sha256', guessed)
          .update(plainHash(prev, header, changes))
          .digest('hex'),
    })
    expect((await verifyEvaluation(t.db, id)).problems.join('\n')).toContain('has been altered')
  })

  it.runIf(onSqlite)('on SQLite, keeps the key in an owner-only file beside the database made at first run, and only its fingerprint inside', async () => {
    const location = await newTestDatabaseLocation()
    const db = await openDatabase(location, { auditKey: undefined })
    try {
      const file = auditKeyFile(location)
      expect(existsSync(file)).toBe(true)
      expect(statSync(file).mode & 0o777).toBe(0o600)
      const key = readFileSync(file, 'utf8').trim()
      expect(key).toMatch(/^[0-9a-f]{64}$/)
      const row = await db.selectFrom('audit_key').selectAll().executeTakeFirstOrThrow()
      expect(row.fingerprint).toBe(AuditKey.fromText(key).fingerprint)
      expect(JSON.stringify(row)).not.toContain(key)
      await importEvaluationFile(db, moderated, { actor: TEST_ACTOR })
    } finally {
      await db.destroy()
    }
    // Opened again, the same file is used and the log verifies.
    const again = await openDatabase(location)
    try {
      const id = (await again.selectFrom('evaluation').select('id').executeTakeFirstOrThrow()).id
      expect((await verifyEvaluation(again, id)).problems).toEqual([])
    } finally {
      await again.destroy()
    }
  })

  it.runIf(onSqlite)('on SQLite, refuses to start without the key file once the log is sealed, or with one others can read', async () => {
    const location = await newTestDatabaseLocation()
    await (await openDatabase(location)).destroy()
    const file = auditKeyFile(location)
    const key = readFileSync(file, 'utf8')
    writeFileSync(file, key, { mode: 0o644 })
    // writeFileSync keeps an existing file's mode: make it readable by others.
    await import('node:fs').then((fs) => fs.chmodSync(file, 0o644))
    await expect(openDatabase(location)).rejects.toThrow(/can be read by other users; .*chmod 600/)
    await import('node:fs').then((fs) => fs.rmSync(file))
    await expect(openDatabase(location)).rejects.toThrow(/sealed with a key \(fingerprint [0-9a-f]{16}\) and the key file .* is missing/)
    // Nothing was made in its place.
    expect(existsSync(file)).toBe(false)
  })

  it('refuses to start with a key that is not the database’s own, in one line', async () => {
    const location = await newTestDatabaseLocation()
    await (await openDatabase(location)).destroy()
    const wrong = AuditKey.generate()
    await expect(openDatabase(location, { auditKey: wrong })).rejects.toThrow(
      /^AUDIT_KEY is not the key this database's audit log is sealed with \(fingerprint [0-9a-f]{16}, this key's [0-9a-f]{16}\)/,
    )
    const server = await node('src/server.ts', [], { ...serverDatabaseEnv(location), AUDIT_KEY: wrong, PORT: '1' })
    expect(server.code).toBe(1)
    expect(server.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^Could not start: AUDIT_KEY is not the key this database's audit log is sealed with/),
    ])
    // appraise verify needs the key too: without the right one the check cannot run (exit 2).
    const verify = await appraise(['verify'], location, { AUDIT_KEY: wrong })
    expect(verify.code).toBe(2)
    expect(verify.stderr).toMatch(/AUDIT_KEY is not the key this database's audit log is sealed with/)
  })

  it('requires AUDIT_KEY with DATABASE_URL, in one line, before touching the database', async () => {
    expect(() => auditKeySource('postgres://app@db.example.org/appraisal', undefined)).toThrow(/^AUDIT_KEY must be set with DATABASE_URL/)
    expect(() => auditKeySource('postgres://app@db.example.org/appraisal', 'short')).toThrow(/AUDIT_KEY must be at least 32 characters/)
    const server = await node('src/server.ts', [], { DATABASE_URL: 'postgres://app@127.0.0.1:1/appraisal', AUDIT_KEY: '' })
    expect(server.code).toBe(1)
    expect(server.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Could not start: AUDIT_KEY must be set with DATABASE_URL/)])
  })

  it('refuses to start when the log has entries but its key’s record is gone, rather than adopt a re-chained log', async () => {
    const location = await newTestDatabaseLocation()
    const db = await openDatabase(location)
    const id = await importEvaluationFile(db, moderated, { actor: TEST_ACTOR })
    await db.deleteFrom('audit_key').execute()
    await dropTriggers(db)
    await editConsensusAndItsLog(db, id)
    await rechain(db, id)
    await db.destroy()
    await expect(openDatabase(location)).rejects.toThrow(/has an audit log but no record of the key that seals it/)
  })

  it('gives each test database a key of its own', async () => {
    const [a, b] = [await openTestDatabase(), await openTestDatabase()]
    const [ka, kb] = [
      await a.selectFrom('audit_key').select('fingerprint').executeTakeFirstOrThrow(),
      await b.selectFrom('audit_key').select('fingerprint').executeTakeFirstOrThrow(),
    ]
    expect(ka.fingerprint).not.toBe(kb.fingerprint)
    if (onSqlite) await Promise.all([a.destroy(), b.destroy()])
  })
})

describe('a database whose log began before the key', () => {
  /** A database as the previous version left it: a log hashed with plain SHA-256 and no key. */
  async function beforeTheKey() {
    const location = await newTestDatabaseLocation()
    const db = await openDatabase(location)
    const id = await importEvaluationFile(db, moderated, { actor: TEST_ACTOR })
    await migrateBackTo(db, AUDIT_LOG_MIGRATION)
    await dropTriggers(db)
    await forgetLaterColumns(db)
    await rechain(db, id)
    await db.destroy()
    return { location, id }
  }

  it('keeps its entries as they were, sealed with the key as it is adopted, and verifies', async () => {
    const { location, id } = await beforeTheKey()
    const db = await openDatabase(location)
    try {
      const row = await db.selectFrom('audit_key').selectAll().executeTakeFirstOrThrow()
      const head = await db.selectFrom('audit_entry').select(['seq', 'hash']).where('evaluation_id', '=', id).executeTakeFirstOrThrow()
      expect(JSON.parse(row.legacy)).toEqual([{ evaluationId: id, seq: head.seq, hash: head.hash }])
      expect((await verifyEvaluation(db, id)).problems).toEqual([])
    } finally {
      await db.destroy()
    }
  })

  it('catches the old entries edited and re-chained, and the record of them moved', async () => {
    const { location, id } = await beforeTheKey()
    const db = await openDatabase(location)
    try {
      await dropTriggers(db)
      await editConsensusAndItsLog(db, id, 'earliest')
      await rechain(db, id)
      expect((await verifyEvaluation(db, id)).problems.join('\n')).toContain('is not the one sealed when the key was adopted')
      // Moving the boundary (saying no entry came before the key) breaks its seal.
      await db.updateTable('audit_key').set({ legacy: '[]' }).execute()
      expect((await verifyEvaluation(db, id)).problems.join('\n')).toContain('its seal no longer matches')
    } finally {
      await db.destroy()
    }
  })
})
