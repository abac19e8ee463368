// npm run bench [-- --json]: speed of the engine on a large evaluation, as medians after a warm-up.
// Speed goals live here rather than in timed tests, which would fail on a busy machine.
import { cpus } from 'node:os'
import { computeResults, computeSensitivity, parseEvaluationFile } from '../../src/appraisal/index.js'
import { largeEvaluation } from '../appraisal/large-evaluation.js'

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

function time(runs: number, work: () => unknown): number {
  work()
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    work()
    times.push(performance.now() - start)
  }
  return median(times)
}

const input = largeEvaluation({ options: 20, criteria: 300, evaluators: 15 })
const parseMs = time(5, () => parseEvaluationFile(input))
const parsed = parseEvaluationFile(input)
if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
const file = parsed.file

const figures = {
  cores: cpus().length,
  scores: file.scores.length,
  parseMs: Number(parseMs.toFixed(1)),
  resultsMs: Number(time(15, () => computeResults(file)).toFixed(2)),
  sensitivityMs: Number(time(3, () => computeSensitivity(file, { iterations: 10_000, seed: 1 })).toFixed(0)),
}
const targets = { resultsMs: 50, sensitivityMs: 2000 }

if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ ...figures, targets }))
} else {
  console.log(`Large evaluation: 20 options × 300 criteria × 15 evaluators (${figures.scores} scores), ${figures.cores} cores`)
  console.log(`  validate the file       ${figures.parseMs} ms`)
  console.log(`  results                 ${figures.resultsMs} ms   (target < ${targets.resultsMs})`)
  console.log(`  sensitivity, 10,000 MC  ${figures.sensitivityMs} ms   (target < ${targets.sensitivityMs})`)
}
