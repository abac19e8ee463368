// The server killed mid-save (issue #9, durability). A separate process saves scores over HTTP as
// fast as the server takes them, several at once, while the server is killed with SIGKILL: no
// shutdown, no chance to finish or tidy anything. After that the database must pass SQLite's
// integrity check, `appraise verify` must pass (every record as its audit log says), every save the
// server had acknowledged must be there, and the server must start again on it and take saves.
//
// What may be found for each score: the saves to one score come from one worker of the saver, one
// at a time, so their order is known. The last save acknowledged must be there, or the one save the
// worker had in flight when the server died (sent, no answer: it may or may not have committed).
// Nothing older than the last acknowledged save may be there, and nothing no save sent.
//
// On SQLite the kill leaves the write-ahead log with commits not yet copied into the file, so the
// restart exercises its recovery. A process kill leaves the operating system's buffers to reach the
// disk; a power cut would not, which is why the app sets synchronous = FULL (test/db/migrate.test.ts)
// and which no test in a running machine can cut. On PostgreSQL the server's process dies and the
// database server stays up: what is tested there is that the app acknowledges a save only once it
// has committed it with its audit entry, and that a change cut off mid-transaction leaves nothing
// half-done.
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../src/db/open.js'
import { createCrashDatabase, saverPlan, type ScoreCell } from './crash/crash-database.js'
import { appraise } from './appraise.js'
import { answers, startSaver, startServer, stopEverything } from './crash/harness.js'
import type { SaverLine } from './crash/saver-plan.js'
import { newTestDatabaseLocation, onSqlite, testEngine } from './database.js'

afterEach(stopEverything)

/** A score as it stands: null where there is none. */
type ScoreState = { score: number; rationale: string; version: number } | null

const keyOf = (cell: ScoreCell) => `${cell.memberId}/${cell.optionId}/${cell.criterionId}`

/**
 * For each score the saver touched, the states it may be in now: the last acknowledged save's (or
 * none, if no save to it was acknowledged), or that of a save sent after it and never answered.
 */
function allowedStates(lines: readonly SaverLine[]): Map<string, { lastAcknowledged: ScoreState; allowed: ScoreState[] }> {
  const byScore = new Map<string, { lastAcknowledged: ScoreState; unanswered: { score: number; rationale: string }[] }>()
  for (const line of lines) {
    const entry = byScore.get(keyOf(line)) ?? { lastAcknowledged: null, unanswered: [] }
    byScore.set(keyOf(line), entry)
    if (line.event === 'sent') entry.unanswered.push({ score: line.score, rationale: line.rationale })
    if (line.event === 'ack') {
      entry.lastAcknowledged = { score: line.score, rationale: line.rationale, version: line.version }
      // Answered: this save and (one at a time per score) every earlier one is settled.
      entry.unanswered = []
    }
  }
  const result = new Map<string, { lastAcknowledged: ScoreState; allowed: ScoreState[] }>()
  for (const [key, { lastAcknowledged, unanswered }] of byScore) {
    const nextVersion = (lastAcknowledged?.version ?? 0) + 1
    result.set(key, { lastAcknowledged, allowed: [lastAcknowledged, ...unanswered.map((save) => ({ ...save, version: nextVersion }))] })
  }
  return result
}

async function readScores(location: string, cells: readonly ScoreCell[]): Promise<Map<string, ScoreState>> {
  const db = await openDatabase(location)
  try {
    const rows = await db.selectFrom('individual_score').select(['panel_member_id', 'option_id', 'criterion_id', 'score', 'rationale', 'version']).execute()
    const found = new Map(
      rows.map((r) => [`${r.panel_member_id}/${r.option_id}/${r.criterion_id}`, { score: Number(r.score), rationale: r.rationale ?? '', version: r.version }]),
    )
    return new Map(cells.map((cell) => [keyOf(cell), found.get(keyOf(cell)) ?? null]))
  } finally {
    await db.destroy()
  }
}

/** `appraise verify` as an operator runs it: exit 0, every evaluation intact. */
async function expectVerified(location: string): Promise<void> {
  const outcome = await appraise(['verify', '--json'], location)
  expect(outcome.code, `appraise verify failed:\n${outcome.stdout}\n${outcome.stderr}`).toBe(0)
  const report = JSON.parse(outcome.stdout) as { intact: boolean; evaluations: { problems: string[] }[] }
  expect(report.intact).toBe(true)
  expect(report.evaluations.flatMap((e) => e.problems)).toEqual([])
}

describe(`the server killed while scores are being saved (${testEngine === 'postgres' ? 'PostgreSQL' : 'SQLite'})`, () => {
  it('loses no acknowledged save, and the database passes its checks and serves again', async () => {
    const location = await newTestDatabaseLocation()
    const dir = mkdtempSync(join(tmpdir(), 'appraisal-crash-'))
    const setupDb = await openDatabase(location)
    const setup = await createCrashDatabase(setupDb, 4).finally(() => setupDb.destroy())
    const cells = setup.evaluators.flatMap((e) => e.cells)

    const server = await startServer(location)
    // Four evaluators, two workers each: eight saves in flight at any moment.
    const saver = startSaver(saverPlan(server.origin, setup, 2), dir)
    await saver.whenAcknowledged(250, 3000)
    // Killed at once, the server dies just after an answer, before the next commit; a moment later,
    // at a random point of its work (not a wait for anything: the saves go on regardless), so that
    // over many runs the kill lands mid-transaction and between a commit and its answer too.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 50))

    process.kill(server.pid, 'SIGKILL')
    expect(await server.exited).toBe('SIGKILL')
    expect(await answers(server.origin), 'something still answers on the killed server’s port').toBe(false)
    // The saver's workers each find their request cut off or refused, and stop.
    expect(await saver.exited, saver.output()).toBe(0)
    const lines = saver.lines
    expect(lines.filter((l) => l.event === 'refused')).toEqual([])
    const acknowledged = lines.filter((l) => l.event === 'ack').length
    expect(acknowledged).toBeGreaterThanOrEqual(20)
    expect(lines.filter((l) => l.event === 'failed').length).toBe(8)

    if (onSqlite) {
      // The kill left commits in the write-ahead log that only recovery puts back together.
      expect(existsSync(`${location}-wal`)).toBe(true)
      const file = new SQLite(location, { fileMustExist: true })
      try {
        expect(file.pragma('integrity_check', { simple: true })).toBe('ok')
      } finally {
        file.close()
      }
    }
    await expectVerified(location)

    const expected = allowedStates(lines)
    const found = await readScores(location, cells)
    let inFlightCommitted = 0
    for (const [key, { lastAcknowledged, allowed }] of expected) {
      const now = found.get(key) ?? null
      expect(allowed, `score ${key}: last acknowledged ${JSON.stringify(lastAcknowledged)}, found ${JSON.stringify(now)}`).toContainEqual(now)
      if (JSON.stringify(now) !== JSON.stringify(lastAcknowledged)) inFlightCommitted++
    }
    // Scores no save reached are as they were: none.
    for (const cell of cells) if (!expected.has(keyOf(cell))) expect(found.get(keyOf(cell))).toBeNull()
    console.log(`crash test: ${acknowledged} saves acknowledged before the kill; ${inFlightCommitted} of the 8 in flight had committed`)

    // The server starts again on the same database, serves, and takes a further save.
    const again = await startServer(location)
    const evaluator = setup.evaluators[0]!
    const cell = evaluator.cells[0]!
    const before = found.get(keyOf(cell)) ?? null
    const page = await fetch(`${again.origin}/evaluations/${setup.evaluationId}/scoring/${cell.optionId}`, {
      headers: { cookie: evaluator.cookie },
      redirect: 'manual',
    })
    const html = await page.text()
    expect(page.status).toBe(200)
    if (before !== null) expect(html).toContain(before.rationale)
    const rationale = 'Saved after the restart: the server takes saves again on the recovered database.'
    const saved = await fetch(`${again.origin}/evaluations/${setup.evaluationId}/scoring/${cell.optionId}/${cell.criterionId}`, {
      method: 'POST',
      headers: { cookie: evaluator.cookie, 'x-csrf-token': evaluator.csrfToken, 'hx-request': 'true', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ score: '5', rationale, evidence: '', version: before === null ? '' : String(before.version) }),
    })
    expect(saved.status, await saved.clone().text()).toBe(200)
    expect(await saved.text()).toContain(`name="version" value="${(before?.version ?? 0) + 1}"`)
    process.kill(again.pid, 'SIGTERM')
    expect(await again.exited).toBe(0)

    expect((await readScores(location, [cell])).get(keyOf(cell))).toEqual({ score: 5, rationale, version: (before?.version ?? 0) + 1 })
    await expectVerified(location)
  }, 120_000)
})
