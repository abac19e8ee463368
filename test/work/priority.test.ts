// Issue 22: a long job's thread gives way to the request thread when both want a core. On Linux a
// niceness belongs to each thread: after the pool has run a job, one of this process's threads (the
// pool's) runs at a niceness WORK_NICENESS above the process's, and the thread that asked (as the
// request thread would) keeps its own.
import { readdirSync, readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { LongWork } from '../../src/work/pool.js'
import { WORK_NICENESS } from '../../src/work/priority.js'

/** Each thread's niceness from /proc (field 19 of stat, after the name in brackets). */
function niceness(statPath: string): number {
  const stat = readFileSync(statPath, 'utf8')
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])
}
const threadsNiceness = () => readdirSync('/proc/self/task').map((tid) => ({ tid: Number(tid), nice: niceness(`/proc/self/task/${tid}/stat`) }))

const pools: LongWork[] = []
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()))
})

describe.runIf(process.platform === 'linux')('the long-work threads’ priority', () => {
  it('a pool thread runs at a lower priority than the thread that gave it the job, which keeps its own', async () => {
    const own = niceness('/proc/thread-self/stat')
    const work = new LongWork({ threads: 1, queue: 1, perAccount: 1, heapMb: 256 })
    pools.push(work)
    const parsed = await work.run('parseEvaluation', { text: '{}' }, 1)
    expect(parsed.ok).toBe(false)
    expect(niceness('/proc/thread-self/stat')).toBe(own)
    const lowered = threadsNiceness().filter((t) => t.nice === Math.min(19, own + WORK_NICENESS))
    expect(lowered.length).toBeGreaterThanOrEqual(1)
  })
})
