// npm run bench [-- --json] [-- --no-record] [-- --seconds N] [-- --only PART[,PART]]
//   --only in-process | saves | paced: only those parts (a partial run is never recorded in results.md):
//   in-process is results, the scoring page, the PDF and Monte Carlo; saves the 50 evaluators saving
//   back to back beside the bare baseline; paced the steady saves alone and during long work.
// bash .ci/with-postgres npm run bench -- --postgres   (the same on PostgreSQL, two app instances)
//
// The large evaluation in a fresh database file, timed as a panel and its lead would feel it:
// results, the scoring page, the PDF report and the Monte Carlo analysis in this process; then
// saving scores over HTTP against the real server in a child process, beside a bare baseline server
// under the same load; then saves at a steady 50 a second, alone and while the lead downloads the
// report and runs the record check, and another user's page while the lead asks for results,
// sensitivity and the report (issues 22 and 26). Appends a dated row to test/bench/results.md. Speed goals live here rather
// than in timed tests, which would fail on a busy machine. Progress goes to stderr; the figures to
// stdout (with --json, one JSON object as the last line).

import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import SQLite from 'better-sqlite3'
import pg from 'pg'
import { AuditKey } from '../../src/db/audit-key.js'
import { isPostgresUrl, openPostgres } from '../../src/db/dialect.js'
import { BENCH_SIZE, benchEvaluationFile, createBenchDatabase } from './bench-database.js'
import { REPO_ROOT, stopAll } from './child-processes.js'
import { measureInProcess } from './in-process.js'
import { appendResultRow, RESULTS_FILE } from './results-file.js'
import { measureSaves } from './save-load.js'
import { missedTargets, TARGETS } from './targets.js'
import { round, roundOrNull } from './timing.js'

const CLIENTS = 50
/** The whole run is stopped, children and all, if it takes longer than this. */
const WATCHDOG_MS = 15 * 60_000

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    'no-record': { type: 'boolean', default: false },
    seconds: { type: 'string', default: '10' },
    postgres: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
})
const PARTS = ['in-process', 'saves', 'paced'] as const
const only = args.only?.split(',').map((part) => part.trim())
const unknownPart = only?.find((part) => !(PARTS as readonly string[]).includes(part))
if (unknownPart !== undefined) throw new Error(`--only takes ${PARTS.join(', ')} (comma-separated), not ${unknownPart}`)
const runs = (part: (typeof PARTS)[number]) => only === undefined || only.includes(part)
/** A partial run's figures are not comparable with a whole run's row: it is never recorded. */
const record = !args['no-record'] && only === undefined
// With --postgres: a new database on the server CI starts (`bash .ci/with-postgres npm run bench -- --postgres`),
// two app instances sharing it.
const postgresServer = args.postgres ? process.env.TEST_DATABASE_URL || process.env.BENCH_DATABASE_URL || undefined : undefined
if (args.postgres && postgresServer === undefined) {
  throw new Error('--postgres needs a PostgreSQL server: run it as `bash .ci/with-postgres npm run bench -- --postgres` (or set BENCH_DATABASE_URL)')
}
const seconds = Number(args.seconds)
if (!(seconds >= 1 && seconds <= 60)) throw new Error('--seconds must be between 1 and 60')
const log = (line: string) => console.error(line)

const workDir = mkdtempSync(join(tmpdir(), 'appraisal-bench-'))

function abort(reason: string, code: number): void {
  console.error(`bench: ${reason}; stopping the child processes`)
  void stopAll().finally(() => {
    rmSync(workDir, { recursive: true, force: true })
    process.exit(code)
  })
}
setTimeout(() => abort(`still running after ${WATCHDOG_MS / 60_000} minutes`, 3), WATCHDOG_MS).unref()
process.once('SIGINT', () => abort('interrupted', 130))
process.once('SIGTERM', () => abort('terminated', 143))

function commit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim()
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim() !== ''
    return `${head}${dirty ? '+' : ''}`
  } catch {
    return 'unknown'
  }
}

/** Rows of the audit log (on PostgreSQL, through a connection of its own). */
async function auditEntriesOn(location: string): Promise<number | null> {
  if (!isPostgresUrl(location)) return auditEntries(location)
  // A plain connection: counting needs neither the migrations nor the key.
  const db = openPostgres(location, { maxConnections: 1 })
  try {
    return Number(
      (
        await db
          .selectFrom('audit_entry')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
  } finally {
    await db.destroy()
  }
}

/** A new database on the PostgreSQL server for this run, and how to drop it afterwards. */
async function createPostgresDatabase(serverUrl: string): Promise<{ location: string; drop(): Promise<void> }> {
  const name = `appraisal_bench_${process.pid}_${Date.now()}`
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`create database "${name}"`)
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return {
    location: url.toString(),
    async drop() {
      try {
        await admin.query(`drop database if exists "${name}" with (force)`)
      } finally {
        await admin.end()
      }
    },
  }
}

/** Rows of the audit log, or null while the app has none. */
function auditEntries(path: string): number | null {
  const sqlite = new SQLite(path, { readonly: true })
  try {
    const table = sqlite.prepare("select name from sqlite_master where type = 'table' and name like '%audit%' order by name").get() as
      | { name: string }
      | undefined
    if (table === undefined) return null
    return (sqlite.prepare(`select count(*) as n from "${table.name.replace(/"/g, '""')}"`).get() as { n: number }).n
  } finally {
    sqlite.close()
  }
}

async function main(): Promise<void> {
  // Other work on the machine slows every figure; the row says so, to be read with it.
  const loadAtStart = loadavg()[0]!
  try {
    const postgres = postgresServer === undefined ? undefined : await createPostgresDatabase(postgresServer)
    dropPostgres = postgres?.drop
    const dbPath = postgres?.location ?? join(workDir, 'bench.sqlite')
    // PostgreSQL needs the key from outside (AUDIT_KEY), shared by both instances; SQLite keeps a key file beside the database.
    const auditKey = postgres === undefined ? undefined : AuditKey.generate()
    if (auditKey !== undefined) process.env.AUDIT_KEY = auditKey
    if (postgres !== undefined) log(`PostgreSQL: database ${new URL(postgres.location).pathname.slice(1)}, two app instances`)
    log(`Large evaluation: ${BENCH_SIZE.options} options × ${BENCH_SIZE.criteria} criteria × ${BENCH_SIZE.evaluators} evaluators`)
    let start = performance.now()
    const file = benchEvaluationFile()
    const generateMs = performance.now() - start
    start = performance.now()
    const bench = await createBenchDatabase(dbPath, file, CLIENTS)
    const importMs = performance.now() - start
    log(`  generated and validated in ${round(generateMs, 0)} ms; imported with ${CLIENTS} evaluator accounts in ${round(importMs, 0)} ms`)

    if (runs('in-process')) log('In this process:')
    const inProcess = runs('in-process') ? await measureInProcess(bench, dbPath, log) : undefined
    await bench.db.destroy()
    if (only !== undefined && !runs('saves') && !runs('paced')) {
      console.log(JSON.stringify({ only, loadAverageAtStart: round(loadAtStart, 2), ...inProcess }))
      return
    }

    log('Over HTTP:')
    const auditBefore = await auditEntriesOn(dbPath)
    const saves = await measureSaves(
      {
        location: dbPath,
        ...(auditKey === undefined ? {} : { auditKey }),
        instances: postgres === undefined ? 1 : 2,
        workDir,
        evaluationId: bench.evaluationId,
        evaluators: bench.evaluators,
        soloEvaluator: bench.soloEvaluator,
        lead: bench.lead,
        warmUpMs: 2000,
        durationMs: seconds * 1000,
        parts: { saves: runs('saves'), paced: runs('paced') },
      },
      log,
    )
    const auditAfter = await auditEntriesOn(dbPath)
    if (inProcess === undefined || only !== undefined) {
      const partial = {
        only,
        commit: commit(),
        loadAverageAtStart: round(loadAtStart, 2),
        loadAverageAtEnd: round(loadavg()[0]!, 2),
        ...inProcess,
        ...(runs('saves')
          ? {
              saveRps: round(saves.app.rps, 0),
              saveP50Ms: round(saves.app.p50Ms),
              saveP99Ms: round(saves.app.p99Ms),
              baselineRps: round(saves.baseline.rps, 0),
              baselineP50Ms: round(saves.baseline.p50Ms),
              baselineP99Ms: round(saves.baseline.p99Ms),
              saveToBaseline: round(saves.app.rps / saves.baseline.rps, 3),
              p99ToBaseline: round(saves.app.p99Ms / saves.baseline.p99Ms, 2),
              saveAloneP50Ms: round(saves.solo.p50Ms),
              saveFailures: saves.app.failed,
              firstFailure: saves.app.firstFailure,
              auditEntriesAdded: auditBefore === null || auditAfter === null ? null : auditAfter - auditBefore,
            }
          : {}),
        ...(runs('paced')
          ? {
              saveP99QuietMs: roundOrNull(saves.quiet.p99Ms),
              saveP99DuringReportMs: roundOrNull(saves.duringReport.p99Ms),
              otherPageMsDuringLongWork: round(saves.otherPage.maxMs, 0),
              pacedFailures: saves.quiet.failed + saves.duringReport.failed,
            }
          : {}),
        peakRssMb: saves.stopped?.mainThreadPeakMb ?? null,
        workersPeakMb: saves.stopped?.workersPeakMb ?? null,
        processPeakRssMb: saves.peakRssMb === null ? null : round(saves.peakRssMb, 0),
      }
      console.log(JSON.stringify(partial, null, args.json ? undefined : 2))
      if (saves.app.failed > 0 || saves.baseline.failed > 0) process.exitCode = 1
      return
    }

    const notes: string[] = []
    if (postgres !== undefined)
      notes.push('PostgreSQL (the server .ci/with-postgres starts), two app instances sharing it; the baseline inserts into the same server')
    if (loadAtStart > 1) notes.push(`machine busy at start (load average ${loadAtStart.toFixed(1)})`)
    if (auditBefore === null || auditAfter === null) notes.push('no audit log yet: saves write no audit entry')
    else if (auditAfter - auditBefore < saves.app.ok) notes.push(`audit entries ${auditAfter - auditBefore} < saves ${saves.app.ok}`)
    if (inProcess.pdfMs === null) notes.push('no PDF report route yet: pdfMs not measured')
    if (saves.solo.failed > 0) notes.push(`${saves.solo.failed} saves failed when alone (${saves.solo.firstFailure})`)
    if (saves.app.failed > 0) notes.push(`${saves.app.failed} saves failed (${saves.app.firstFailure})`)
    if (saves.quiet.failed > 0 || saves.duringReport.failed > 0)
      notes.push(`${saves.quiet.failed + saves.duringReport.failed} paced saves failed (${saves.quiet.firstFailure ?? saves.duringReport.firstFailure})`)
    if (saves.duringReport.ok === 0) notes.push('no paced save succeeded while the report and record check looped')
    if (saves.longWork.refused > 0) notes.push(`${saves.longWork.refused} of ${saves.longWork.requests} long requests refused by the pool (429/503)`)
    if (saves.longWork.failed > 0 || saves.otherPage.failed > 0)
      notes.push(`${saves.longWork.failed} long requests and ${saves.otherPage.failed} page views failed`)
    if (saves.baseline.failed > 0) notes.push(`${saves.baseline.failed} baseline requests failed (${saves.baseline.firstFailure})`)
    if (saves.stopped === null) notes.push('the server logged no memory when it stopped: peakRssMb and workersPeakMb not measured')

    const figures = {
      resultsMs: inProcess.resultsMs,
      scoringPageMs: inProcess.scoringPageMs,
      pdfMs: inProcess.pdfMs,
      monteCarloMs: inProcess.monteCarloMs,
      saveRps: round(saves.app.rps, 0),
      saveP99Ms: round(saves.app.p99Ms),
      baselineRps: round(saves.baseline.rps, 0),
      baselineP99Ms: round(saves.baseline.p99Ms),
      peakRssMb: saves.stopped?.mainThreadPeakMb ?? null,
      saveP99QuietMs: roundOrNull(saves.quiet.p99Ms),
      saveP99DuringReportMs: roundOrNull(saves.duringReport.p99Ms),
      otherPageMsDuringLongWork: round(saves.otherPage.maxMs, 0),
    }
    const missed = missedTargets(figures)
    const row = {
      date: new Date().toISOString().slice(0, 16).replace('T', ' '),
      commit: commit(),
      cores: cpus().length,
      ...figures,
      notes: [...(missed.length > 0 ? [`missed: ${missed.join(', ')}`] : []), ...notes].join('; '),
      workersPeakMb: saves.stopped?.workersPeakMb ?? null,
      processPeakRssMb: saves.peakRssMb === null ? null : round(saves.peakRssMb, 0),
      pdfCpuMs: inProcess.pdfCpuMs,
    }
    if (record) appendResultRow(row)

    const report = {
      ...row,
      node: process.version,
      loadAverageAtStart: round(loadAtStart, 2),
      evaluation: { ...BENCH_SIZE, scores: bench.scoreCount, consensus: file.consensus.length, costLines: file.costs.length },
      generateMs: round(generateMs, 0),
      importMs: round(importMs, 0),
      resultsReadMs: inProcess.resultsReadMs,
      resultsEngineMs: inProcess.resultsEngineMs,
      scoringPageKb: inProcess.scoringPageKb,
      pdfKb: inProcess.pdfKb,
      clients: CLIENTS,
      seconds,
      saveAloneP50Ms: round(saves.solo.p50Ms),
      saveAloneRps: round(saves.solo.rps, 0),
      saveP50Ms: round(saves.app.p50Ms),
      saveMaxMs: round(saves.app.maxMs),
      saves: saves.app.ok,
      saveFailures: saves.app.failed,
      saveToBaseline: round(saves.app.rps / saves.baseline.rps, 3),
      baselinePeakRssMb: saves.baselinePeakRssMb === null ? null : round(saves.baselinePeakRssMb, 0),
      // The whole process's RSS while only saves ran, before the pool started a thread.
      requestThreadPeakRssMb: saves.requestThreadPeakRssMb === null ? null : round(saves.requestThreadPeakRssMb, 0),
      // The server's own account when it stopped (the process's maximum RSS as the kernel kept it).
      serverLoggedMemory: saves.stopped,
      auditLog: auditBefore !== null,
      targets: TARGETS,
      missed,
      recorded: record ? RESULTS_FILE.pathname : null,
    }
    if (args.json) {
      console.log(JSON.stringify(report))
    } else {
      const line = (name: string, value: number | null, unit: string, target?: string) =>
        console.log(
          `  ${name.padEnd(26)} ${value === null ? '–' : String(value).padStart(8)} ${unit.padEnd(4)}${target === undefined ? '' : `  target ${target}${missed.includes(name) ? '  MISSED' : ''}`}`,
        )
      console.log(`\n${report.evaluation.scores} scores; ${report.cores} cores; Node ${report.node}; commit ${report.commit}`)
      line('resultsMs', figures.resultsMs, 'ms', TARGETS.resultsMs)
      console.log(`                  (read ${inProcess.resultsReadMs} ms, engine ${inProcess.resultsEngineMs} ms)`)
      line('scoringPageMs', figures.scoringPageMs, 'ms', TARGETS.scoringPageMs)
      line('pdfMs', figures.pdfMs, 'ms', TARGETS.pdfMs)
      console.log(`                  (CPU ${row.pdfCpuMs ?? '–'} ms, the request thread and the worker's)`)
      line('monteCarloMs', figures.monteCarloMs, 'ms', TARGETS.monteCarloMs)
      line('saveRps', figures.saveRps, '/s', TARGETS.saveRps)
      line('saveP99Ms', figures.saveP99Ms, 'ms', TARGETS.saveP99Ms)
      console.log(`                  (median ${report.saveP50Ms} ms under load; ${report.saveAloneP50Ms} ms for one evaluator saving alone)`)
      line('baselineRps', figures.baselineRps, '/s')
      line('peakRssMb', figures.peakRssMb, 'MB', TARGETS.peakRssMb)
      console.log('                  (the main thread, as the server accounts for it when it stops)')
      line('workersPeakMb', row.workersPeakMb, 'MB')
      line('processPeakRssMb', row.processPeakRssMb, 'MB')
      console.log(`                  (every thread; ${report.requestThreadPeakRssMb ?? '–'} MB while only saves ran, before the pool started a thread)`)
      line('saveP99QuietMs', figures.saveP99QuietMs, 'ms')
      line('saveP99DuringReportMs', figures.saveP99DuringReportMs, 'ms', TARGETS.saveP99DuringReportMs)
      line('otherPageMsDuringLongWork', figures.otherPageMsDuringLongWork, 'ms', TARGETS.otherPageMsDuringLongWork)
      if (notes.length > 0) console.log(`  notes: ${notes.join('; ')}`)
      if (record) console.log(`Appended to ${RESULTS_FILE.pathname}`)
    }
    if (saves.solo.failed > 0 || saves.app.failed > 0 || saves.baseline.failed > 0) process.exitCode = 1
  } finally {
    await stopAll()
    await dropPostgres?.().catch((error: unknown) => log(`could not drop the benchmark's database: ${String(error)}`))
    rmSync(workDir, { recursive: true, force: true })
  }
}

let dropPostgres: (() => Promise<void>) | undefined

main().then(
  () => process.exit(),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error))
    void stopAll().finally(() => process.exit(1))
  },
)
