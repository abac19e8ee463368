// Saving scores over HTTP: the real server in a child process over the benchmark's database file,
// under the load of many signed-in evaluators; then the bare baseline server under the same load.

import { join } from 'node:path'
import type { EvaluatorPlan, SignedIn } from './bench-database.js'
import { freePort, HOST, sampleMemory, startChild, waitForHttp, type Child } from './child-processes.js'
import { isPostgresUrl } from '../../src/db/dialect.js'
import { runLoad } from './load.js'
import type { LoadOutcome, LoadPlan } from './load-plan.js'
import { loopRequests, timePage } from './long-work.js'

/** Time a server may take to start: on a machine shared by several busy sessions, over 30 s. */
const START_MS = 120_000

export interface SaveFigures {
  /** One evaluator saving alone: the time a save takes when it does not queue behind others. */
  solo: LoadOutcome
  app: LoadOutcome
  baseline: LoadOutcome
  /** Highest resident memory of the app's server process, in MB (null without /proc), worker threads included. */
  peakRssMb: number | null
  /** The server's own account of its memory when it stopped (its last log line), the highest of the instances'; null if it gave none. */
  stopped: StoppedMemory | null
  /** The same while only saves ran, before any long work started the pool's threads: the request thread's own. */
  requestThreadPeakRssMb: number | null
  baselinePeakRssMb: number | null
  /** 10 evaluators, one save each every 200 ms (50 saves/s), nothing else running. */
  quiet: LoadOutcome
  /** The same while the lead downloads the draft report over and over and the record check runs. */
  duringReport: LoadOutcome
  /** Another user's scoring page, opened one after another while the lead asks for results, sensitivity and the report. */
  otherPage: { maxMs: number; p99Ms: number; failed: number }
  /** The lead's long requests refused by the pool (429 or 503) and failed, during the last two. */
  longWork: { requests: number; refused: number; failed: number }
}

export interface SaveLoadSettings {
  /** The benchmark's database: a SQLite file, or a PostgreSQL URL (with `auditKey`). */
  readonly location: string
  /** The audit key the database's log is sealed with (required with PostgreSQL). */
  readonly auditKey?: string
  /** App servers sharing the database (PostgreSQL only): the evaluators are spread over them. */
  readonly instances: 1 | 2
  readonly workDir: string
  readonly evaluationId: number
  readonly evaluators: readonly EvaluatorPlan[]
  readonly soloEvaluator: EvaluatorPlan
  readonly warmUpMs: number
  readonly durationMs: number
  readonly lead: SignedIn
  /** Which runs to make (`npm run bench -- --only …`): the back-to-back saves beside the baseline, the paced ones. Both when absent. */
  readonly parts?: { readonly saves: boolean; readonly paced: boolean }
}

/** The peaks the app's server logs as it stops (src/server.ts), in MB. */
export interface StoppedMemory {
  /** The main thread: the process before it served anything, plus its own heap's and buffers' highest growth since. */
  readonly mainThreadPeakMb: number
  /** The most one worker thread held at the end of a job: heap as committed and buffers. */
  readonly workersPeakMb: number
  /** The whole process (the kernel's maximum RSS). */
  readonly processPeakRssMb: number
}

/** The memory line of a stopped server's log, if it wrote one. */
function stoppedMemory(child: Child): StoppedMemory | null {
  for (const line of child.output().split('\n').reverse()) {
    if (!line.includes('"memory"')) continue
    try {
      const memory = (JSON.parse(line) as { memory?: StoppedMemory }).memory
      if (memory !== undefined) return memory
    } catch {}
  }
  return null
}

function highest(all: readonly (StoppedMemory | null)[]): StoppedMemory | null {
  const known = all.filter((memory): memory is StoppedMemory => memory !== null)
  if (known.length === 0) return null
  const most = (key: keyof StoppedMemory) => Math.max(...known.map((memory) => memory[key]))
  return { mainThreadPeakMb: most('mainThreadPeakMb'), workersPeakMb: most('workersPeakMb'), processPeakRssMb: most('processPeakRssMb') }
}

/** Runs each plan in turn against the server `child`, then stops it. */
async function underLoad<T>(
  name: string,
  child: Child,
  origin: string,
  readyPath: string,
  plans: LoadPlan[],
  workDir: string,
  after: () => Promise<T>,
): Promise<{ outcomes: LoadOutcome[]; peakMb: number | null; peakBeforeAfterMb: number | null; after: T }> {
  try {
    await waitForHttp(`${origin}${readyPath}`, child, START_MS)
    const memory = sampleMemory(child.pid)
    const outcomes: LoadOutcome[] = []
    for (const plan of plans) outcomes.push(await runLoad(name, plan, workDir))
    // The app's pool starts its threads with the first long job: until `after`, this is the request thread's.
    const peakBeforeAfterMb = memory.peak()
    const done = await after()
    return { outcomes, peakMb: memory.stop(), peakBeforeAfterMb, after: done }
  } finally {
    await child.stop()
  }
}

export async function measureSaves(settings: SaveLoadSettings, log: (line: string) => void): Promise<SaveFigures> {
  const plan = (origin: string, evaluators = settings.evaluators, durationMs = settings.durationMs): LoadPlan => ({
    origin,
    evaluationId: settings.evaluationId,
    clients: evaluators.map(({ cookie, csrfToken, optionId, cells }) => ({ cookie, csrfToken, optionId, cells })),
    warmUpMs: settings.warmUpMs,
    durationMs,
    maxRequestsPerClient: 100_000,
    requestTimeoutMs: 10_000,
  })

  const postgres = isPostgresUrl(settings.location)
  // DATABASE_URL emptied on SQLite: the server must use the benchmark's file whatever the shell says.
  const databaseEnv: Record<string, string> = postgres
    ? { DATABASE_URL: settings.location, AUDIT_KEY: settings.auditKey ?? '' }
    : { APPRAISAL_DB: settings.location, DATABASE_URL: '', AUDIT_KEY: '' }
  const ports = [await freePort(), ...(settings.instances === 2 ? [await freePort()] : [])]
  log(
    `  the app's server${ports.length > 1 ? 's' : ''} on ${ports.map((port) => `${HOST}:${port}`).join(' and ')}: one evaluator saving alone for 2 s, then ${settings.evaluators.length} at once for ${settings.durationMs / 1000} s`,
  )
  // BENCH_CPU_PROF_DIR=DIR: each app server writes a V8 CPU profile there as it stops (open it in Chrome's DevTools).
  const profileDir = process.env.BENCH_CPU_PROF_DIR
  const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []
  const servers = ports.map((port, i) => startChild(`app server ${i + 1}`, 'src/server.ts', [], { ...databaseEnv, PORT: String(port), HOST }, { nodeArgs }))
  const origins = ports.map((port) => `http://${HOST}:${port}`)
  const appOrigin = origins[0]!
  // The app's runs follow one another over the same scores: each client starts from its page; with
  // two instances, every other client saves through the second.
  const appPlan = (evaluators = settings.evaluators, durationMs = settings.durationMs): LoadPlan => {
    const made = plan(appOrigin, evaluators, durationMs)
    return { ...made, clients: made.clients.map((client, i) => ({ ...client, origin: origins[i % origins.length]! })), openPageFirst: true }
  }
  const evaluationPath = `/evaluations/${settings.evaluationId}`
  const steady = (): LoadPlan => ({ ...appPlan(settings.evaluators.slice(0, 10)), intervalMs: 200 })
  for (const [i, origin] of origins.slice(1).entries()) await waitForHttp(`${origin}/sign-in`, servers[i + 1]!, START_MS)
  const others = servers.slice(1).map((child) => sampleMemory(child.pid))
  const parts = settings.parts ?? { saves: true, paced: true }
  const backToBack = parts.saves ? [appPlan([settings.soloEvaluator], 2000), appPlan()] : []
  const app = await underLoad('app', servers[0]!, appOrigin, '/sign-in', backToBack, settings.workDir, async () => {
    if (!parts.paced) return null
    log(`  10 evaluators saving every 200 ms for ${settings.durationMs / 1000} s: alone, then while the lead downloads the report and runs the record check`)
    const quiet = await runLoad('app', steady(), settings.workDir)
    const loops = [`${evaluationPath}/report.pdf`, `${evaluationPath}/record-check`].map((path) => loopRequests(appOrigin, path, settings.lead.cookie))
    const duringReport = await runLoad('app', steady(), settings.workDir)
    const first = await Promise.all(loops.map((loop) => loop.stop()))
    log(`  another user's scoring page while the lead asks for results, sensitivity and the report`)
    const longLoops = ['results', 'sensitivity', 'report.pdf'].map((part) => loopRequests(appOrigin, `${evaluationPath}/${part}`, settings.lead.cookie))
    const other = settings.evaluators[1] ?? settings.soloEvaluator
    const otherPage = await timePage(appOrigin, `${evaluationPath}/scoring/${other.optionId}`, other.cookie, Math.max(10, settings.durationMs / 200))
    const second = await Promise.all(longLoops.map((loop) => loop.stop()))
    const longWork = [...first, ...second].reduce((a, b) => ({
      requests: a.requests + b.requests,
      refused: a.refused + b.refused,
      failed: a.failed + b.failed,
    }))
    return { quiet, duringReport, otherPage, longWork }
  })
  const othersPeak = others.map((memory) => memory.stop())
  await Promise.all(servers.slice(1).map((child) => child.stop()))
  const stopped = highest(servers.map(stoppedMemory))

  if (!parts.saves) return { ...notMeasured(), peakRssMb: app.peakMb, requestThreadPeakRssMb: app.peakBeforeAfterMb, stopped, ...app.after }
  const baselinePort = await freePort()
  log(`  the bare baseline server on ${HOST}:${baselinePort}, the same load`)
  const bare = startChild('baseline server', 'test/bench/baseline-server.ts', [], {
    ...(postgres ? { BASELINE_DATABASE_URL: settings.location } : { BASELINE_DB: join(settings.workDir, 'baseline.sqlite') }),
    PORT: String(baselinePort),
  })
  const baseline = await underLoad(
    'baseline',
    bare,
    `http://${HOST}:${baselinePort}`,
    '/health',
    [plan(`http://${HOST}:${baselinePort}`)],
    settings.workDir,
    async () => null,
  )

  return {
    solo: app.outcomes[0]!,
    app: app.outcomes[1]!,
    baseline: baseline.outcomes[0]!,
    // The highest of the instances'.
    requestThreadPeakRssMb: app.peakBeforeAfterMb,
    peakRssMb: [app.peakMb, ...othersPeak].reduce<number | null>((max, mb) => (mb === null ? max : Math.max(max ?? 0, mb)), null),
    baselinePeakRssMb: baseline.peakMb,
    stopped,
    ...(app.after ?? pacedNotMeasured()),
  }
}

/** A run left out (`--only`): nothing measured, nothing failed. */
export const NOT_MEASURED: LoadOutcome = {
  clients: 0,
  measuredMs: 0,
  ok: 0,
  failed: 0,
  statuses: {},
  rps: Number.NaN,
  p50Ms: Number.NaN,
  p99Ms: Number.NaN,
  maxMs: Number.NaN,
  firstFailure: null,
}

function notMeasured() {
  return { solo: NOT_MEASURED, app: NOT_MEASURED, baseline: NOT_MEASURED, baselinePeakRssMb: null, ...pacedNotMeasured() }
}

function pacedNotMeasured() {
  return {
    quiet: NOT_MEASURED,
    duringReport: NOT_MEASURED,
    otherPage: { maxMs: Number.NaN, p99Ms: Number.NaN, failed: 0 },
    longWork: { requests: 0, refused: 0, failed: 0 },
  }
}
