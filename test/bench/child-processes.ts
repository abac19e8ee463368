// Child processes of the benchmark (the app's server, the bare baseline server, the load driver) and
// of the durability tests (the server, the saver): started on loopback, each one tracked so that
// every one is stopped at the end, even on failure. `node --import tsx ENTRY` runs the entry in that
// very process (no wrapper process), so the pid a test kills is the process serving.

import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'

export { HOST, REPO_ROOT, freePort } from '../loopback.js'
import { REPO_ROOT } from '../loopback.js'

const running = new Set<ChildProcess>()

/** Last resort: a child still running when this process exits is killed. */
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

export interface Child {
  readonly name: string
  readonly pid: number
  /** The last few kilobytes of its stdout and stderr, for a message when something goes wrong. */
  output(): string
  /** Resolves with the exit code (or signal) once it has exited and everything it wrote has been read. */
  readonly exited: Promise<number | string>
  hasExited(): boolean
  /** SIGTERM, then SIGKILL if it has not gone within `graceMs`. */
  stop(graceMs?: number): Promise<void>
}

/**
 * Runs a TypeScript entry point of this repository in a new Node process (through tsx, as npm start
 * does). With `onStdoutLine`, its standard output goes there line by line instead of into `output()`.
 */
export function startChild(
  name: string,
  entry: string,
  args: readonly string[] = [],
  env: Record<string, string> = {},
  options: { onStdoutLine?: (line: string) => void; nodeArgs?: readonly string[] } = {},
): Child {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', entry, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  if (child.pid === undefined) throw new Error(`could not start ${name}`)
  running.add(child)
  let output = ''
  const keep = (chunk: string) => {
    output = (output + chunk).slice(-64 * 1024)
  }
  let partial = ''
  const { onStdoutLine } = options
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    if (onStdoutLine === undefined) return keep(chunk)
    const lines = (partial + chunk).split('\n')
    partial = lines.pop()!
    for (const line of lines) onStdoutLine(line)
  })
  child.stderr!.setEncoding('utf8').on('data', keep)
  let gone = false
  const exited = new Promise<number | string>((resolve) => {
    // 'close', not 'exit': by then every line the process wrote has been read.
    child.once('close', (code, signal) => {
      gone = true
      running.delete(child)
      resolve(code ?? signal ?? 'unknown')
    })
  })
  return {
    name,
    pid: child.pid,
    output: () => output,
    exited,
    hasExited: () => gone,
    async stop(graceMs = 3000) {
      if (!running.has(child)) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
      await exited
      clearTimeout(timer)
    },
  }
}

/** Kills every child still running (SIGKILL: nothing is left to be careful of) and waits for each. */
export async function killAll(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve()
          child.once('exit', () => resolve())
          child.kill('SIGKILL')
        }),
    ),
  )
}

export async function stopAll(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
          child.once('exit', () => {
            clearTimeout(timer)
            resolve()
          })
          child.kill('SIGTERM')
        }),
    ),
  )
}

/** Waits until `url` answers at all (any status), polling for at most `timeoutMs`. */
export async function waitForHttp(url: string, child: Child, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let gone = false
  void child.exited.then(() => (gone = true))
  while (Date.now() < deadline) {
    if (gone) throw new Error(`${child.name} exited before it was ready:\n${child.output()}`)
    try {
      const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(1000) })
      await response.arrayBuffer()
      return
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  throw new Error(`${child.name} did not answer ${url} within ${timeoutMs} ms:\n${child.output()}`)
}

/** Resident memory of a process now and at its peak, in MB, from /proc (null where there is no /proc). */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN)
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 }
  } catch {
    return null
  }
}

/** Samples a process's memory every `everyMs` until stopped; returns the highest seen. */
export function sampleMemory(pid: number, everyMs = 200): { peak(): number | null; stop(): number | null } {
  let peak: number | null = null
  const sample = () => {
    const memory = memoryOf(pid)
    if (memory !== null) peak = Math.max(peak ?? 0, memory.rssMb, Number.isNaN(memory.peakMb) ? 0 : memory.peakMb)
  }
  sample()
  const timer = setInterval(sample, everyMs)
  return {
    peak() {
      sample()
      return peak
    },
    stop() {
      sample()
      clearInterval(timer)
      return peak
    },
  }
}
