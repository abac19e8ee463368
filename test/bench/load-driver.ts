// The load: concurrent evaluators saving scores over HTTP, each with its own keep-alive connection,
// session and CSRF token, one save after another, for a fixed time. Runs in a process of its own
// so that neither the server nor the benchmark's heap disturbs it. Node's own HTTP client is used:
// it costs less per request than fetch, so on a small machine the client is not what is measured.
//
//   node --import tsx test/bench/load-driver.ts PLAN.json   → one line of JSON (a LoadOutcome)

import { readFileSync } from 'node:fs'
import { Agent } from 'node:http'
import { postOver } from '../http-post.js'
import { type LoadClient, type LoadOutcome, type LoadPlan, OPEN_PAGES_MS } from './load-plan.js'
import { percentile } from './timing.js'

const plan = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as LoadPlan

/** Whatever happens, this process ends: the time asked for and a margin, from `now`. */
function stopAfter(ms: number, what: string): NodeJS.Timeout {
  const timer = setTimeout(() => {
    console.error(`load driver: over time ${what}, stopping`)
    process.exit(2)
  }, ms)
  timer.unref()
  return timer
}

const origin = new URL(plan.origin)

/** A failed connection counts as status -1, with its reason as the body. */
async function post(agent: Agent, to: URL, path: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  const outcome = await postOver(agent, to, path, headers, body, plan.requestTimeoutMs)
  return 'error' in outcome ? { status: -1, body: outcome.error } : outcome
}

const VERSION = /name="version" value="(\d*)"/
/** Each answer form of a scoring page: its criterion and the version of the score it was made from. */
const ANSWER = /<form [^>]*id="answer-(\d+)"[\s\S]*?name="version" value="(\d*)"/g

/** Links to the scoring page's other groups: the page shows one top-level group at a time. */
const GROUP_LINK = /\?group=([\w-]+)/g

/** The versions a client's scoring pages show now (every group's page), by criterion. */
async function versionsOnPage(client: LoadClient): Promise<Map<number, number | null>> {
  const base = `${client.origin ?? plan.origin}/evaluations/${plan.evaluationId}/scoring/${client.optionId}`
  const read = async (url: string) => {
    const response = await fetch(url, { headers: { cookie: client.cookie } })
    const page = await response.text()
    if (response.status !== 200) throw new Error(`the scoring page answered ${response.status}`)
    return page
  }
  const first = await read(base)
  const groups = new Set([...first.matchAll(GROUP_LINK)].map(([, key]) => key!))
  const pages = [first, ...(await Promise.all([...groups].map((key) => read(`${base}?group=${encodeURIComponent(key)}`))))]
  return new Map(
    pages.flatMap((page) => [...page.matchAll(ANSWER)].map(([, criterion, version]) => [Number(criterion), version === '' ? null : Number(version)] as const)),
  )
}
const opening = stopAfter(OPEN_PAGES_MS, 'opening the scoring pages')
const pageVersions = plan.openPageFirst === true ? await Promise.all(plan.clients.map(versionsOnPage)) : null
clearTimeout(opening)
stopAfter(plan.warmUpMs + plan.durationMs + 20_000, 'saving')

const start = performance.now()
const measureFrom = start + plan.warmUpMs
const endAt = measureFrom + plan.durationMs
const latencies: number[] = []
const statuses: Record<string, number> = {}
let ok = 0
let failed = 0
let firstFailure: string | null = null

async function runClient(client: LoadClient, index: number): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  const headers = {
    cookie: client.cookie,
    'x-csrf-token': client.csrfToken,
    'hx-request': 'true',
    'content-type': 'application/x-www-form-urlencoded',
  }
  const onPage = pageVersions?.[index]
  const versions = new Map(client.cells.map((cell) => [cell.criterionId, onPage === undefined ? cell.version : (onPage.get(cell.criterionId) ?? null)]))
  const interval = plan.intervalMs
  // Paced: the clients' saves are spread evenly over each interval.
  let due = start + (interval === undefined ? 0 : (index * interval) / plan.clients.length)
  for (let n = 0; n < plan.maxRequestsPerClient && performance.now() < endAt; n++) {
    const cell = client.cells[n % client.cells.length]!
    const version = versions.get(cell.criterionId) ?? null
    const body = new URLSearchParams({
      score: String((n + index) % 6),
      rationale: `Save ${n} by client ${index}: the demonstration and the written answer agree, and two reference sites confirmed it.`,
      evidence: `Bid section ${(n % 40) + 1}`,
      version: version === null ? '' : String(version),
    }).toString()
    if (interval !== undefined) {
      const wait = due - performance.now()
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
      due += interval
    }
    const sent = performance.now()
    const response = await post(
      agent,
      client.origin === undefined ? origin : new URL(client.origin),
      `/evaluations/${plan.evaluationId}/scoring/${client.optionId}/${cell.criterionId}`,
      headers,
      body,
    )
    const done = performance.now()
    if (response.status === 200) {
      const next = VERSION.exec(response.body)?.[1]
      versions.set(cell.criterionId, next === undefined || next === '' ? null : Number(next))
    }
    if (sent < measureFrom || done > endAt) continue
    statuses[response.status] = (statuses[response.status] ?? 0) + 1
    if (response.status === 200) {
      ok++
      latencies.push(done - sent)
    } else {
      failed++
      firstFailure ??= `${response.status}: ${response.body.replace(/\s+/g, ' ').slice(0, 300)}`
    }
  }
  agent.destroy()
}

await Promise.all(plan.clients.map(runClient))
const outcome: LoadOutcome = {
  clients: plan.clients.length,
  measuredMs: plan.durationMs,
  ok,
  failed,
  statuses,
  rps: ok / (plan.durationMs / 1000),
  p50Ms: percentile(latencies, 50),
  p99Ms: percentile(latencies, 99),
  maxMs: latencies.reduce((max, x) => Math.max(max, x), 0),
  firstFailure,
}
console.log(JSON.stringify(outcome))
