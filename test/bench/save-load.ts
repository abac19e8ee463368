// Saving scores over HTTP: the real server in a child process over the benchmark's database file,
// under the load of many signed-in evaluators; then the bare baseline server under the same load.

import { join } from 'node:path'
import type { EvaluatorPlan } from './bench-database.js'
import { freePort, HOST, sampleMemory, startChild, waitForHttp, type Child } from './child-processes.js'
import { runLoad } from './load.js'
import type { LoadOutcome, LoadPlan } from './load-plan.js'

export interface SaveFigures {
  /** One evaluator saving alone: the time a save takes when it does not queue behind others. */
  solo: LoadOutcome
  app: LoadOutcome
  baseline: LoadOutcome
  /** Highest resident memory of the app's server process, in MB (null without /proc). */
  peakRssMb: number | null
  baselinePeakRssMb: number | null
}

export interface SaveLoadSettings {
  readonly dbPath: string
  readonly workDir: string
  readonly evaluationId: number
  readonly evaluators: readonly EvaluatorPlan[]
  readonly soloEvaluator: EvaluatorPlan
  readonly warmUpMs: number
  readonly durationMs: number
}

/** Runs each plan in turn against the server `child`, then stops it. */
async function underLoad(name: string, child: Child, readyPath: string, plans: LoadPlan[], workDir: string): Promise<{ outcomes: LoadOutcome[]; peakMb: number | null }> {
  try {
    await waitForHttp(`${plans[0]!.origin}${readyPath}`, child)
    const memory = sampleMemory(child.pid)
    const outcomes: LoadOutcome[] = []
    for (const plan of plans) outcomes.push(await runLoad(name, plan, workDir))
    return { outcomes, peakMb: memory.stop() }
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

  const appPort = await freePort()
  log(`  the app's server on ${HOST}:${appPort}: one evaluator saving alone for 2 s, then ${settings.evaluators.length} at once for ${settings.durationMs / 1000} s`)
  // DATABASE_URL emptied: the server must use the benchmark's SQLite file whatever the shell says.
  const server = startChild('app server', 'src/server.ts', [], { APPRAISAL_DB: settings.dbPath, DATABASE_URL: '', PORT: String(appPort), HOST })
  const appOrigin = `http://${HOST}:${appPort}`
  const app = await underLoad('app', server, '/sign-in', [plan(appOrigin, [settings.soloEvaluator], 2000), plan(appOrigin)], settings.workDir)

  const baselinePort = await freePort()
  log(`  the bare baseline server on ${HOST}:${baselinePort}, the same load`)
  const bare = startChild('baseline server', 'test/bench/baseline-server.ts', [], {
    BASELINE_DB: join(settings.workDir, 'baseline.sqlite'),
    PORT: String(baselinePort),
  })
  const baseline = await underLoad('baseline', bare, '/health', [plan(`http://${HOST}:${baselinePort}`)], settings.workDir)

  return { solo: app.outcomes[0]!, app: app.outcomes[1]!, baseline: baseline.outcomes[0]!, peakRssMb: app.peakMb, baselinePeakRssMb: baseline.peakMb }
}
