import SQLite from 'better-sqlite3'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql, type Kysely } from 'kysely'
import { describe, expect, it } from 'vitest'
import { parseEvaluationText } from '../src/appraisal/index.js'
import { importEvaluationFile } from '../src/db/evaluation-file.js'
import type { Database } from '../src/db/schema.js'
import { appraise } from './appraise.js'
import { TEST_ACTOR } from './changes.js'
import { newTestDatabaseLocation, onSqlite, openAnotherConnection, testEngine } from './database.js'

const parsed = parseEvaluationText(readFileSync(new URL('./fixtures/small-evaluation.json', import.meta.url), 'utf8'))
if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
const fixture = parsed.file
const TITLE = 'Small worked example'

/**
 * A new database holding `count` evaluations imported through the data layer, as `appraise import`
 * does (test/cli.test.ts runs that command), and a connection to it.
 */
async function withImports(count: number): Promise<{ location: string; db: Kysely<Database>; ids: number[] }> {
  const location = await newTestDatabaseLocation()
  const db = await openAnotherConnection(location)
  const ids: number[] = []
  for (let i = 0; i < count; i++) ids.push(await importEvaluationFile(db, fixture, { actor: TEST_ACTOR }))
  return { location, db, ids }
}

async function headHash(db: Kysely<Database>, evaluationId: number): Promise<string> {
  const last = await db
    .selectFrom('audit_entry')
    .select('hash')
    .where('evaluation_id', '=', evaluationId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow()
  return last.hash
}

/** Drops the log's triggers, as someone editing the database file by hand could (as in test/db/audit.test.ts). */
async function dropTriggers(db: Kysely<Database>) {
  for (const table of ['audit_entry', 'audit_change', 'finalised_report']) {
    if (testEngine === 'postgres') await sql`drop trigger ${sql.raw(`${table}_append_only`)} on ${sql.table(table)}`.execute(db)
    else for (const op of ['update', 'delete']) await sql`drop trigger ${sql.raw(`${table}_no_${op}`)}`.execute(db)
  }
}

/** Edits a score, a criterion's weight and a cost line of an evaluation directly in the database; the records edited. */
async function tamper(db: Kysely<Database>, evaluationId: number) {
  await dropTriggers(db)
  const score = await db.selectFrom('individual_score').selectAll().where('evaluation_id', '=', evaluationId).orderBy('id').limit(1).executeTakeFirstOrThrow()
  const newScore = score.score === 5 ? 4 : 5
  await db.updateTable('individual_score').set({ score: newScore }).where('id', '=', score.id).execute()
  const criterion = await db
    .selectFrom('criterion')
    .selectAll()
    .where('evaluation_id', '=', evaluationId)
    .where('kind', '=', 'criterion')
    .orderBy('id')
    .limit(1)
    .executeTakeFirstOrThrow()
  await db.updateTable('criterion').set({ weight: 99 }).where('id', '=', criterion.id).execute()
  const line = await db.selectFrom('money_line').selectAll().where('evaluation_id', '=', evaluationId).orderBy('id').limit(1).executeTakeFirstOrThrow()
  await db
    .updateTable('money_line')
    .set({ amount: line.amount + 1 })
    .where('id', '=', line.id)
    .execute()
  const names = async (table: 'panel_member' | 'option', id: number) =>
    (await db.selectFrom(table).select('name').where('id', '=', id).executeTakeFirstOrThrow()).name
  const scoreCriterion = await db.selectFrom('criterion').select('name').where('id', '=', score.criterion_id).executeTakeFirstOrThrow()
  return {
    score: {
      ...score,
      newScore,
      named: `Individual score ${score.id} (${await names('panel_member', score.panel_member_id)}, “${await names('option', score.option_id)}”, “${scoreCriterion.name}”) [individual_score]`,
    },
    criterion,
    line: { ...line, option: await names('option', line.option_id) },
  }
}

// Each run of the command is a child process that starts tsx: seconds each on a busy machine.
describe('appraise verify', { timeout: 90_000 }, () => {
  it('passes a database with imported evaluations: exit 0, each intact with its entries and full head hash', async () => {
    const { location, db, ids } = await withImports(2)
    const hashes = [await headHash(db, ids[0]!), await headHash(db, ids[1]!)]
    expect(hashes[0]).toMatch(/^[0-9a-f]{64}$/)

    const all = await appraise(['verify'], location)
    expect(all.stderr).toBe('')
    expect(all.code).toBe(0)
    const lines = all.stdout.trimEnd().split('\n')
    expect(lines).toEqual([
      ...(onSqlite ? [`SQLite file ${location}: integrity check passed`] : []),
      `Evaluation ${ids[0]} “${TITLE}”: intact — 1 entry, head hash ${hashes[0]}`,
      `Evaluation ${ids[1]} “${TITLE}”: intact — 1 entry, head hash ${hashes[1]}`,
      'All 2 evaluations’ records match their audit logs.',
    ])

    const one = await appraise(['verify', String(ids[1])], location)
    expect(one.code).toBe(0)
    expect(one.stdout).toContain(`Evaluation ${ids[1]} “${TITLE}”: intact — 1 entry, head hash ${hashes[1]}\n`)
    expect(one.stdout).not.toContain(`Evaluation ${ids[0]} `)
    expect(one.stdout).toContain('The evaluation’s records match its audit log.\n')
  })

  it('finds a score, a weight and a cost edited directly with the triggers dropped: exit 1, naming the evaluation and each record', async () => {
    const { location, db, ids } = await withImports(2)
    const [untouched, tampered] = ids as [number, number]
    const { score, criterion, line } = await tamper(db, tampered)

    const all = await appraise(['verify'], location)
    expect(all.code).toBe(1)
    expect(all.stderr).toBe('')
    const lines = all.stdout.trimEnd().split('\n')
    expect(lines).toContain(`Evaluation ${untouched} “${TITLE}”: intact — 1 entry, head hash ${await headHash(db, untouched)}`)
    const block = lines.indexOf(`Evaluation ${tampered} “${TITLE}”: 3 problems`)
    expect(block).toBeGreaterThan(-1)
    const problems = lines.slice(block + 1, block + 4)
    expect(problems.every((p) => p.startsWith('  '))).toBe(true)
    expect(problems).toContain(
      `  ${score.named} differs from the audit log (last logged in entry 1): score is ${score.newScore} in the database but ${score.score} in the log.`,
    )
    expect(problems).toContain(
      `  Criterion ${criterion.id} (“${criterion.name}”) [criterion] differs from the audit log (last logged in entry 1): weight is 99 in the database but ${criterion.weight} in the log.`,
    )
    expect(problems).toContainEqual(
      expect.stringMatching(new RegExp(`^  Cost or benefit line ${line.id} \\(“${line.option}”, .*\\) \\[money_line\\] differs from the audit log`)),
    )
    expect(problems.find((p) => p.includes('[money_line]'))).toContain(`amount is ${line.amount + 1} in the database but ${line.amount} in the log`)
    expect(lines.at(-1)).toBe(
      'Found 3 problems in 1 of 2 evaluations. The records have been changed outside the app: keep a copy of the database as it is now, as evidence, and restore the last good backup.',
    )

    // One evaluation at a time: the untouched one still passes, the edited one does not.
    expect((await appraise(['verify', String(untouched)], location)).code).toBe(0)
    const one = await appraise(['verify', String(tampered)], location)
    expect(one.code).toBe(1)
    expect(one.stdout).toContain(`Evaluation ${tampered} “${TITLE}”: 3 problems\n`)
    expect(one.stdout).not.toContain(`Evaluation ${untouched} `)
    expect(one.stdout.trimEnd().split('\n').at(-1)).toMatch(new RegExp(`^Found 3 problems in evaluation ${tampered}\\. `))

    // The same for machines.
    const json = await appraise(['verify', String(tampered), '--json'], location)
    expect(json.code).toBe(1)
    const report = JSON.parse(json.stdout) as { intact: boolean; evaluations: { evaluationId: number; problems: string[] }[] }
    expect(report.intact).toBe(false)
    expect(report.evaluations).toHaveLength(1)
    expect(report.evaluations[0]!.evaluationId).toBe(tampered)
    expect(report.evaluations[0]!.problems).toHaveLength(3)
    expect(report.evaluations[0]!.problems.join('\n')).toContain(score.named)
  })

  it('says clearly that an ID is not a number or not an evaluation, on stderr with exit 2, distinct from problems found', async () => {
    const { location } = await withImports(1)
    const unknown = await appraise(['verify', '999'], location)
    expect(unknown).toEqual({ code: 2, stdout: '', stderr: 'ID: there is no evaluation 999\n' })
    for (const id of ['abc', '1.5']) {
      const outcome = await appraise(['verify', id], location)
      expect(outcome, id).toEqual({ code: 2, stdout: '', stderr: 'ID: must be an evaluation id, a whole number such as 3\n' })
    }
    const badOption = await appraise(['verify', '--jsn'], location)
    expect(badOption.code).toBe(2)
    expect(badOption.stderr).toMatch(/^appraise: Unknown option '--jsn'/)
  })

  it.runIf(onSqlite)('refuses a SQLite file that is not there, rather than make an empty one and pass it', async () => {
    const location = join(mkdtempSync(join(tmpdir(), 'appraise-')), 'missing.sqlite')
    const outcome = await appraise(['verify'], location)
    expect(outcome).toEqual({ code: 2, stdout: '', stderr: `APPRAISAL_DB: there is no database file at ${location}; name the file to check\n` })
    expect(existsSync(location)).toBe(false)
  })

  it.runIf(onSqlite)('reports a SQLite file that fails its integrity check as a problem', async () => {
    const { location, db, ids } = await withImports(1)
    await db.destroy() // closed before the file is edited under it
    // An index forgotten by the schema leaves its pages orphaned: the file is damaged, the records are not.
    const file = new SQLite(location)
    file.unsafeMode(true)
    file.pragma('writable_schema = ON')
    file.prepare("delete from sqlite_master where type = 'index' and name = 'audit_change_record'").run()
    file.close()

    const outcome = await appraise(['verify'], location)
    expect(outcome.code).toBe(1)
    const lines = outcome.stdout.trimEnd().split('\n')
    expect(lines[0]).toBe(`SQLite file ${location}: fails SQLite’s integrity check`)
    expect(lines[1]).toMatch(/^ {2}The database file fails SQLite’s integrity check: Page \d+: never used$/)
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^Evaluation ${ids[0]} “${TITLE}”: intact — `)))
    expect(lines.at(-1)).toBe(
      'Found a database file that fails SQLite’s integrity check. The database file is damaged: keep a copy of the database as it is now, as evidence, and restore the last good backup.',
    )
  })

  it('lists the command and its exit statuses in the help', async () => {
    const outcome = await appraise(['--help'], join(mkdtempSync(join(tmpdir(), 'appraise-')), 'unused.sqlite'))
    expect(outcome.code).toBe(0)
    expect(outcome.stdout).toContain('npm run --silent appraise -- verify [ID] [--json]')
    expect(outcome.stdout.replace(/\s+/g, ' ')).toContain(
      'verify exits 0 when every record matches the audit log, 1 when it finds a problem (listed on stdout), and 2 when it cannot check',
    )
  })
})
