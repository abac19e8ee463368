// The durability tests' processes (test/crash.test.ts, test/backup.test.ts): the real server and the
// saver that loads it, started through test/bench/child-processes.ts. The appraise command: test/appraise.ts.

import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { serverDatabaseEnv } from '../database.js'
import { HOST, freePort } from '../loopback.js'
import { killAll, startChild, type Child } from '../bench/child-processes.js'
import type { SaverLine, SaverPlan } from './saver-plan.js'

/** A child process: its pid, how it ended, and what it has printed (for messages when it goes wrong). */
export type Proc = Child

/** Kills every child process still running, after each test whatever its outcome. */
export const stopEverything = killAll

/** Whether anything answers HTTP at `origin` now. */
export async function answers(origin: string): Promise<boolean> {
  try {
    const response = await fetch(`${origin}/sign-in`, { redirect: 'manual', signal: AbortSignal.timeout(2000) })
    await response.arrayBuffer()
    return true
  } catch {
    return false
  }
}

export interface Server extends Proc {
  readonly origin: string
}

/** Starts src/server.ts on a free loopback port over the database at `location`, and waits until it answers. */
export async function startServer(location: string, timeoutMs = 60_000): Promise<Server> {
  const port = await freePort()
  const proc = startChild('the server', 'src/server.ts', [], { ...serverDatabaseEnv(location), PORT: String(port), HOST })
  const origin = `http://${HOST}:${port}`
  const deadline = Date.now() + timeoutMs
  while (!(await answers(origin))) {
    if (proc.hasExited()) throw new Error(`the server exited before it answered:\n${proc.output()}`)
    if (Date.now() > deadline) throw new Error(`the server did not answer within ${timeoutMs} ms:\n${proc.output()}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return { ...proc, origin }
}

export interface Saver extends Proc {
  /** Every line it has written so far, in order. */
  readonly lines: readonly SaverLine[]
  acknowledged(): number
  /**
   * Resolves once `count` saves are acknowledged, or `orAfterMs` after the first was (whichever
   * comes first); rejects if the saver stops or a save is refused before then.
   */
  whenAcknowledged(count: number, orAfterMs: number): Promise<void>
}

/** Starts test/crash/saver.ts with `plan`, written to a file in `dir`. */
export function startSaver(plan: SaverPlan, dir: string): Saver {
  const planFile = join(dir, 'saver-plan.json')
  writeFileSync(planFile, JSON.stringify(plan))
  const lines: SaverLine[] = []
  let acks = 0
  const waiters = new Set<() => void>()
  const onStdoutLine = (text: string) => {
    const line = JSON.parse(text) as SaverLine
    lines.push(line)
    if (line.event === 'ack') acks++
    for (const wake of waiters) wake()
  }
  const proc = startChild('the saver', 'test/crash/saver.ts', [planFile], {}, { onStdoutLine })
  return {
    ...proc,
    lines,
    acknowledged: () => acks,
    whenAcknowledged(count, orAfterMs) {
      return new Promise<void>((resolve, reject) => {
        let timer: NodeJS.Timeout | undefined
        const finish = (error?: Error) => {
          waiters.delete(check)
          clearTimeout(timer)
          if (error === undefined) resolve()
          else reject(error)
        }
        const check = () => {
          const refused = lines.find((l) => l.event === 'refused')
          if (refused !== undefined) return finish(new Error(`a save was refused while the server ran: ${JSON.stringify(refused)}`))
          if (acks >= count) return finish()
          if (acks > 0 && timer === undefined) timer = setTimeout(() => finish(), orAfterMs)
        }
        waiters.add(check)
        void proc.exited.then((code) => finish(new Error(`the saver stopped (${code}) after ${acks} acknowledged saves:\n${proc.output()}`)))
        check()
      })
    },
  }
}
