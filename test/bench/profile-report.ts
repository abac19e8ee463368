// Profiling aid for the large report (issue 22): makes the benchmark's database once (kept at
// $PROFILE_DB, default /tmp/perf22/bench.sqlite), then times each stage of the draft report in this
// thread with wall and CPU time: the read, the engine's model, results with sensitivity, the render.
//   npx tsx test/bench/profile-report.ts [runs]      (node --cpu-prof --import tsx … for a profile)

import { existsSync } from 'node:fs'
import { prepareModel, resultsWithSensitivityFromModel } from '../../src/appraisal/index.js'
import { openDatabase } from '../../src/db/open.js'
import { readDraftReport } from '../../src/report/draft.js'
import { renderReport } from '../../src/report/index.js'
import { benchEvaluationFile, createBenchDatabase } from './bench-database.js'

const path = process.env.PROFILE_DB ?? '/tmp/perf22/bench.sqlite'
const runs = Number(process.argv[2] ?? 2)

if (!existsSync(path)) {
  const bench = await createBenchDatabase(path, benchEvaluationFile(), 50)
  await bench.db.destroy()
}
const db = await openDatabase(path)
const evaluationId = 1

async function stage<T>(name: string, work: () => T | Promise<T>): Promise<T> {
  const cpu = process.cpuUsage()
  const start = performance.now()
  const out = await work()
  const used = process.cpuUsage(cpu)
  console.log(
    `  ${name.padEnd(12)} wall ${(performance.now() - start).toFixed(0).padStart(6)} ms  cpu ${((used.user + used.system) / 1000).toFixed(0).padStart(6)} ms`,
  )
  return out
}

for (let i = 0; i < runs; i++) {
  console.log(`run ${i + 1}`)
  const read = await stage('read', () => readDraftReport(db, evaluationId))
  if (typeof read === 'string') throw new Error(read)
  const model = await stage('model', () => prepareModel(read.file))
  const results = await stage('results', () => resultsWithSensitivityFromModel(model))
  const pdf = await stage('render', () => renderReport(read.file, results, read.options, model))
  console.log(
    `  ${(pdf.byteLength / 1024 / 1024).toFixed(2)} MB; heap ${(process.memoryUsage().heapUsed / 1048576).toFixed(0)} MB, rss ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB`,
  )
}
await db.destroy()
