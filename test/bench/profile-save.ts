// Profiling aid for the save path (issue 22): makes the benchmark's database once (kept at
// $PROFILE_SAVE_DB, default /tmp/perf22/save.sqlite, copied afresh for each run), then saves one
// evaluator's scores one after another through the app (app.request, as htmx posts them) and prints
// the CPU time a save takes, beside the least a save could cost here: the form parsed and one
// better-sqlite3 insert with the same durability (the bare stack of the benchmark, in this thread).
//   npx tsx test/bench/profile-save.ts [saves]      (node --cpu-prof --import tsx … for a profile)

import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'
import SQLite from 'better-sqlite3'
import { createApp } from '../../src/app.js'
import { loadTemplates } from '../../src/criteria-templates.js'
import { openDatabase } from '../../src/db/open.js'
import { benchEvaluationFile, createBenchDatabase, type EvaluatorPlan } from './bench-database.js'

const kept = process.env.PROFILE_SAVE_DB ?? '/tmp/perf22/save.sqlite'
const saves = Number(process.argv[2] ?? 2000)
const path = `${kept}.run`

let plan: EvaluatorPlan
let evaluationId: number
if (!existsSync(kept) || !existsSync(`${kept}.json`)) {
  mkdirSync(dirname(kept), { recursive: true })
  const bench = await createBenchDatabase(kept, benchEvaluationFile(), 1)
  plan = bench.evaluators[0]!
  evaluationId = bench.evaluationId
  await bench.db.destroy()
  const { writeFileSync } = await import('node:fs')
  writeFileSync(`${kept}.json`, JSON.stringify({ plan, evaluationId }))
} else {
  const { readFileSync } = await import('node:fs')
  ;({ plan, evaluationId } = JSON.parse(readFileSync(`${kept}.json`, 'utf8')) as { plan: EvaluatorPlan; evaluationId: number })
}
for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true })
copyFileSync(kept, path)
copyFileSync(`${kept}.audit-key`, `${path}.audit-key`)

const db = await openDatabase(path)
const app = createApp({ db, templates: loadTemplates() })
const versions = new Map(plan.cells.map((c) => [c.criterionId, c.version]))

async function save(i: number): Promise<void> {
  const cell = plan.cells[i % plan.cells.length]!
  const version = versions.get(cell.criterionId)
  const body = new URLSearchParams({
    score: String(1 + (i % 5)),
    rationale: `Rationale ${i}: the response meets the requirement with evidence in section ${i % 17}.`,
    evidence: '',
    version: version === null || version === undefined ? '' : String(version),
    _csrf: plan.csrfToken,
  })
  const response = await app.request(`/evaluations/${evaluationId}/scoring/${plan.optionId}/${cell.criterionId}`, {
    method: 'POST',
    headers: {
      cookie: plan.cookie,
      'content-type': 'application/x-www-form-urlencoded',
      'hx-request': 'true',
      origin: 'http://localhost',
      host: 'localhost',
    },
    body,
  })
  const text = await response.text()
  if (response.status !== 200) throw new Error(`save ${i}: ${response.status} ${text.slice(0, 300)}`)
  const match = /name="version" value="(\d+)"/.exec(text)
  versions.set(cell.criterionId, match === null ? null : Number(match[1]))
}

function timed(name: string, n: number, work: () => Promise<void>) {
  return async () => {
    const cpu = process.cpuUsage()
    const start = performance.now()
    await work()
    const used = process.cpuUsage(cpu)
    console.log(
      `  ${name.padEnd(10)} ${n} in ${(performance.now() - start).toFixed(0)} ms wall; ${((used.user + used.system) / 1000 / n).toFixed(3)} ms CPU each`,
    )
  }
}

for (let i = 0; i < 200; i++) await save(i) // warm up
await timed('app', saves, async () => {
  for (let i = 200; i < 200 + saves; i++) await save(i)
})()
await db.destroy()

const bare = new SQLite(path)
bare.pragma('journal_mode = WAL')
bare.pragma('synchronous = FULL')
bare.exec(
  'create table if not exists bare_score (id integer primary key, option_id integer, criterion_id integer, score real, rationale text, evidence text, updated_at text)',
)
const insert = bare.prepare('insert into bare_score (option_id, criterion_id, score, rationale, evidence, updated_at) values (?, ?, ?, ?, ?, ?)')
await timed('bare', saves, async () => {
  for (let i = 0; i < saves; i++) {
    const form = await new Request('http://localhost/x', {
      method: 'POST',
      body: new URLSearchParams({ score: '3', rationale: `Rationale ${i}`, evidence: '' }),
    }).formData()
    insert.run(plan.optionId, 1, Number(form.get('score')), String(form.get('rationale')), '', new Date().toISOString())
  }
})()
bare.close()
