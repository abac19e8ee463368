// The figures measured inside this process, over the benchmark's database file: results (read the
// evaluation from the database, then the engine), an evaluator's scoring page and the PDF report
// through the app, and the Monte Carlo analysis.

import type { Hono } from 'hono'
import type { Kysely } from 'kysely'
import { computeResultsFromTotals, prepareModel, runMonteCarlo } from '../../src/appraisal/index.js'
import { createApp } from '../../src/app.js'
import { auditKeyOf } from '../../src/db/audit-key.js'
import { sharedSource } from '../../src/work/database.js'
import { LongWork } from '../../src/work/pool.js'
import { loadTemplates } from '../../src/criteria-templates.js'
import { readEvaluationFile, readResultsInput } from '../../src/db/evaluation-file.js'
import type { Database } from '../../src/db/schema.js'
import type { BenchDatabase, SignedIn } from './bench-database.js'
import { median, round, timeMedian } from './timing.js'

export interface InProcessFigures {
  resultsMs: number
  /** resultsMs in two parts: reading the evaluation from the database, and the engine. */
  resultsReadMs: number
  resultsEngineMs: number
  scoringPageMs: number
  scoringPageKb: number
  /** Null when the app has no report to download yet. */
  pdfMs: number | null
  /** CPU time of the process (this thread and the worker's) for one PDF, median: the figure a busy machine's wall time hides. */
  pdfCpuMs: number | null
  pdfKb: number | null
  monteCarloMs: number
}

/** As the results page reads it: each cell's consensus, or the sum and count of its individual scores. */
async function readResults(db: Kysely<Database>, evaluationId: number) {
  const input = await readResultsInput(db, evaluationId)
  if (input === undefined) throw new Error(`evaluation ${evaluationId} is not in the database`)
  return input
}

/** As the sensitivity page reads it: every score, without the individual scores' rationales. */
async function readFile(db: Kysely<Database>, evaluationId: number) {
  const file = await readEvaluationFile(db, evaluationId, { individualTexts: false })
  if (file === undefined) throw new Error(`evaluation ${evaluationId} is not in the database`)
  return file
}

/** GETs a page as a signed-in account, failing unless it answers 200; returns the body's bytes. */
async function get(app: Hono, path: string, as: SignedIn): Promise<Uint8Array> {
  const response = await app.request(path, { headers: { cookie: as.cookie } })
  const body = new Uint8Array(await response.arrayBuffer())
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`)
  return body
}

export async function measureInProcess(bench: BenchDatabase, location: string, log: (line: string) => void): Promise<InProcessFigures> {
  const { db, evaluationId } = bench
  // As the server runs it (src/server.ts): the worker threads read the evaluation for the report over
  // their own connection. (Without a source, as for an in-memory database, this thread would read it
  // and copy it to the worker: a path the server never takes on a database file.)
  const work = new LongWork({}, undefined, sharedSource(location, auditKeyOf(db)))
  const app = createApp({ db, templates: loadTemplates(), work })

  log('  results: read from the database, then the engine')
  const resultsReadMs = await timeMedian({ warmUp: 2, runs: 9 }, () => readResults(db, evaluationId))
  const input = await readResults(db, evaluationId)
  const resultsEngineMs = await timeMedian({ warmUp: 2, runs: 15 }, () => computeResultsFromTotals(input.file, input.totals))
  const resultsMs = await timeMedian({ warmUp: 1, runs: 9 }, async () => {
    const { file, totals } = await readResults(db, evaluationId)
    return computeResultsFromTotals(file, totals)
  })
  const file = await readFile(db, evaluationId)
  log(`    ${round(resultsMs)} ms (read ${round(resultsReadMs)} ms, engine ${round(resultsEngineMs)} ms)`)

  log('  scoring page')
  // The first evaluator is one of the file's panel members: every answer on the page is filled in.
  const evaluator = bench.evaluators[0]!
  const scoringPath = `/evaluations/${evaluationId}/scoring/${evaluator.optionId}`
  const page = await get(app, scoringPath, evaluator)
  const scoringPageMs = await timeMedian({ warmUp: 3, runs: 15 }, () => get(app, scoringPath, evaluator))
  log(`    ${round(scoringPageMs)} ms (${round(page.byteLength / 1024, 0)} kB)`)

  log('  PDF report')
  const reportPath = `/evaluations/${evaluationId}/report.pdf`
  const probe = await app.request(reportPath, { headers: { cookie: bench.lead.cookie } })
  let pdfMs: number | null = null
  let pdfCpuMs: number | null = null
  let pdfKb: number | null = null
  if (probe.status === 200 && probe.headers.get('content-type') === 'application/pdf') {
    pdfKb = round((await probe.arrayBuffer()).byteLength / 1024, 0)
    const cpu: number[] = []
    pdfMs = await timeMedian({ warmUp: 0, runs: 3 }, async () => {
      const before = process.cpuUsage()
      await get(app, reportPath, bench.lead)
      const used = process.cpuUsage(before)
      cpu.push((used.user + used.system) / 1000)
    })
    pdfCpuMs = median(cpu)
    log(`    ${round(pdfMs, 0)} ms, CPU ${round(pdfCpuMs, 0)} ms (${pdfKb} kB)`)
  } else {
    await probe.arrayBuffer()
    log(`    GET ${reportPath} answered ${probe.status}: no report to time (pdfMs is null)`)
  }

  log('  Monte Carlo, 10,000 iterations')
  const model = prepareModel(file)
  const monteCarloMs = await timeMedian({ warmUp: 1, runs: 5 }, () => runMonteCarlo(model, { iterations: 10_000, seed: 1 }))
  log(`    ${round(monteCarloMs, 0)} ms`)

  await work.close()
  return {
    resultsMs: round(resultsMs),
    resultsReadMs: round(resultsReadMs),
    resultsEngineMs: round(resultsEngineMs),
    scoringPageMs: round(scoringPageMs),
    scoringPageKb: round(page.byteLength / 1024, 0),
    pdfMs: pdfMs === null ? null : round(pdfMs, 0),
    pdfCpuMs: pdfCpuMs === null ? null : round(pdfCpuMs, 0),
    pdfKb,
    monteCarloMs: round(monteCarloMs, 0),
  }
}
