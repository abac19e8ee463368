// test/bench/results.md: one dated row per run, committed, so that trends show in review.

import { existsSync, readFileSync, writeFileSync } from 'node:fs'

export const RESULTS_FILE = new URL('./results.md', import.meta.url)

export interface ResultRow {
  date: string
  commit: string
  cores: number
  resultsMs: number
  scoringPageMs: number
  pdfMs: number | null
  monteCarloMs: number
  saveRps: number
  saveP99Ms: number
  baselineRps: number
  peakRssMb: number | null
  notes: string
  baselineP99Ms: number
  saveP99QuietMs: number | null
  saveP99DuringReportMs: number | null
  otherPageMsDuringLongWork: number
  workersPeakMb: number | null
  processPeakRssMb: number | null
  pdfCpuMs: number | null
}

const HEADER = `# Benchmark results

One row per run of \`npm run bench\` (newest last), on the large evaluation: 20 options, 300 criteria
in three levels, 15 evaluators (90,000 individual scores with rationales), consensus on every cell,
20 cost lines per option with ranges. Times are medians of repeated runs after a warm-up. Compare
rows from the same machine; \`baselineRps\` is there so a ratio still means something on a noisy one.
The 50 evaluators save back to back, so a save waits for the others' (latency ≈ 50 / saveRps):
saveP99Ms below 25 needs over 2,000 saves a second. \`npm run bench -- --json\` gives the parts
behind each figure (reading against computing, one save alone against under load).

| column | what it measures | target |
| --- | --- | --- |
| date | when the run finished (UTC) | |
| commit | \`git rev-parse --short HEAD\`, \`+\` when the tree had changes | |
| cores | CPU cores of the machine | targets are for 2 |
| resultsMs | read the evaluation from the database file, then compute the results (engine) | < 50 |
| scoringPageMs | an evaluator's scoring page for one option (300 answers), through the app with a session | < 50 |
| pdfMs | the full PDF report, downloaded through the app (read, results with sensitivity, render): wall time, median of 3. From 2026-12-03 19:10 the worker thread reads the evaluation over its own connection, as the server does; before, the request thread read it and copied it to the worker | < 3000 |
| monteCarloMs | the Monte Carlo analysis, 10,000 iterations | < 2000 |
| saveRps | scores saved per second by 50 signed-in evaluators over HTTP on loopback (validation, authorisation, transaction, audit) | ≥ baselineRps / 2 |
| saveP99Ms | 99th percentile time of one save under that load | ≤ 2 × baselineP99Ms (issue 22; was < 25) |
| baselineRps | the same load on a bare Hono route doing one better-sqlite3 insert, same run | |
| peakRssMb | the server's main thread at its peak, as the server accounts for it when it stops (from 2026-12-03 19:00; before, the whole process's VmHWM, worker threads included): the process's RSS before it served anything, less the main thread's JavaScript heap and buffers then, plus the highest those reached since (sampled every 250 ms) | < 300 |
| notes | targets missed, and anything that qualifies the figures | |
| baselineP99Ms | 99th percentile of the baseline's requests under the same load | |
| saveP99QuietMs | p99 of saves at a steady 50 a second (10 evaluators, one save each every 200 ms), nothing else running | |
| saveP99DuringReportMs | the same load while the lead downloads the draft report over and over and the record check runs | ≤ 2 × saveP99QuietMs |
| otherPageMsDuringLongWork | slowest of another user's scoring page, opened repeatedly while the lead asks for results, sensitivity and the report | < 1000 |
| workersPeakMb | the most one worker thread held at the end of a job: its JavaScript heap as committed (live, or not yet collected) plus its buffers, as each thread measures itself (each thread's heap is bounded by WORK_HEAP_MB, 512 by default) | |
| processPeakRssMb | the whole server process at its peak, every thread included (VmHWM, sampled every 200 ms): what peakRssMb measured before 19:00 | |
| pdfCpuMs | CPU time of the benchmark's process (request thread and worker) for one of those PDFs, median of 3: on a busy machine the wall time mostly measures the wait for a core | |

| date | commit | cores | resultsMs | scoringPageMs | pdfMs | monteCarloMs | saveRps | saveP99Ms | baselineRps | peakRssMb | notes | baselineP99Ms | saveP99QuietMs | saveP99DuringReportMs | otherPageMsDuringLongWork | workersPeakMb | processPeakRssMb | pdfCpuMs |
| --- | --- | --: | --: | --: | --: | --: | --: | --: | --: | --: | --- | --: | --: | --: | --: | --: | --: | --: |
`

function cell(value: number | string | null): string {
  return value === null ? '–' : String(value).replace(/\|/g, '\\|')
}

export function appendResultRow(row: ResultRow): void {
  if (!existsSync(RESULTS_FILE)) writeFileSync(RESULTS_FILE, HEADER)
  const cells = [
    row.date,
    row.commit,
    row.cores,
    row.resultsMs,
    row.scoringPageMs,
    row.pdfMs,
    row.monteCarloMs,
    row.saveRps,
    row.saveP99Ms,
    row.baselineRps,
    row.peakRssMb,
    row.notes,
    row.baselineP99Ms,
    row.saveP99QuietMs,
    row.saveP99DuringReportMs,
    row.otherPageMsDuringLongWork,
    row.workersPeakMb,
    row.processPeakRssMb,
    row.pdfCpuMs,
  ]
  // After the last dated row: notes on the runs (tables of their own among them) may follow the table.
  const lines = readFileSync(RESULTS_FILE, 'utf8').split('\n')
  const last = lines.findLastIndex((line) => /^\| \d{4}-\d\d-\d\d /.test(line))
  lines.splice(last + 1, 0, `| ${cells.map(cell).join(' | ')} |`)
  writeFileSync(RESULTS_FILE, lines.join('\n'))
}
