// Long work requested over and over while something else is measured: the lead downloading the
// draft report, running the record check, opening results and sensitivity, each in a loop of its own
// over HTTP, as people would while others save and read.

import { percentile } from './timing.js'

export interface Loop {
  /** Stops asking and waits for the request in flight. */
  stop(): Promise<{ requests: number; refused: number; failed: number }>
}

/** GETs `path` as `cookie` again and again until stopped; 429 and 503 (the pool's refusals) are counted apart. */
export function loopRequests(origin: string, path: string, cookie: string): Loop {
  let stopped = false
  let requests = 0
  let refused = 0
  let failed = 0
  const running = (async () => {
    while (!stopped) {
      try {
        const response = await fetch(`${origin}${path}`, { headers: { cookie } })
        await response.arrayBuffer()
        requests++
        if (response.status === 429 || response.status === 503) {
          refused++
          await new Promise((resolve) => setTimeout(resolve, 200))
        } else if (response.status !== 200) failed++
      } catch {
        failed++
      }
    }
  })()
  return {
    async stop() {
      stopped = true
      await running
      return { requests, refused, failed }
    },
  }
}

/** Times `count` GETs of `path`, one after another; the slowest and the 99th percentile. */
export async function timePage(origin: string, path: string, cookie: string, count: number): Promise<{ maxMs: number; p99Ms: number; failed: number }> {
  const times: number[] = []
  let failed = 0
  for (let i = 0; i < count; i++) {
    const sent = performance.now()
    const response = await fetch(`${origin}${path}`, { headers: { cookie } })
    await response.arrayBuffer()
    times.push(performance.now() - sent)
    if (response.status !== 200) failed++
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return { maxMs: times.reduce((max, x) => Math.max(max, x), 0), p99Ms: percentile(times, 99), failed }
}
