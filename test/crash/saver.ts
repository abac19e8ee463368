// The crash test's saver: a process of its own that saves scores over HTTP as fast as the server
// takes them, several at once, each save giving a score a value no other save gives it, and writes a
// line for each save as it goes out and as its response comes back (test/crash/saver-plan.ts). Only
// a save whose response came back is acknowledged. When the server is killed, each worker's request
// fails, and the worker stops; when all have stopped, so does this process.
//
//   node --import tsx test/crash/saver.ts PLAN.json   → one JSON line per event on stdout

import { readFileSync } from 'node:fs'
import { Agent } from 'node:http'
import { postOver, type PostOutcome } from '../http-post.js'
import type { SaverLine, SaverPlan, SaveValue } from './saver-plan.js'

const plan = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as SaverPlan

// Whatever happens, this process ends.
setTimeout(() => {
  console.error('saver: over time, stopping')
  process.exit(2)
}, 120_000).unref()

const origin = new URL(plan.origin)

/** Written at once: on Linux a write to a pipe does not wait in this process's buffers. */
function write(line: SaverLine): void {
  process.stdout.write(`${JSON.stringify(line)}\n`)
}

function post(agent: Agent, path: string, headers: Record<string, string>, body: string): Promise<PostOutcome> {
  return postOver(agent, origin, path, headers, body, plan.requestTimeoutMs)
}

const VERSION = /name="version" value="(\d+)"/

async function runWorker(worker: (typeof plan.workers)[number], index: number): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  const headers = {
    cookie: worker.cookie,
    'x-csrf-token': worker.csrfToken,
    'hx-request': 'true',
    'content-type': 'application/x-www-form-urlencoded',
  }
  const versions = worker.cells.map((cell) => cell.version)
  try {
    for (let n = 0; ; n++) {
      const k = n % worker.cells.length
      const cell = worker.cells[k]!
      const save: SaveValue = {
        worker: index,
        n,
        memberId: cell.memberId,
        optionId: cell.optionId,
        criterionId: cell.criterionId,
        score: (n + index) % 6,
        rationale: `Crash-test save ${n} by worker ${index}: a value no other save gives this score.`,
      }
      const version = versions[k] ?? null
      const body = new URLSearchParams({
        score: String(save.score),
        rationale: save.rationale,
        evidence: '',
        version: version === null ? '' : String(version),
      }).toString()
      write({ event: 'sent', ...save })
      const response = await post(agent, `/evaluations/${plan.evaluationId}/scoring/${cell.optionId}/${cell.criterionId}`, headers, body)
      if ('error' in response) {
        write({ event: 'failed', ...save, error: response.error })
        return
      }
      const next = VERSION.exec(response.body)?.[1]
      if (response.status !== 200 || next === undefined) {
        write({ event: 'refused', ...save, status: response.status, body: response.body.replace(/\s+/g, ' ').slice(0, 500) })
        return
      }
      versions[k] = Number(next)
      write({ event: 'ack', ...save, version: Number(next) })
    }
  } finally {
    agent.destroy()
  }
}

await Promise.all(plan.workers.map(runWorker))
