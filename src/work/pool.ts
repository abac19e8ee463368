import { availableParallelism } from 'node:os'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { Piscina } from 'piscina'
import type { TaskName, Tasks } from './tasks.js'
import { FigureOutOfRangeError } from '../appraisal/index.js'
import type { FigureRefusal, TaskMessage } from './worker.js'
import type { DatabaseSource } from './database.js'

/**
 * The long work (reports, sensitivity with Monte Carlo, parsing uploaded files) runs in a pool of
 * worker threads, so a report one person downloads does not hold up everyone else's saves and
 * pages on the request thread (docs/decisions/0012-worker-pool.md). The pool is bounded: work that
 * finds every thread busy and the queue full is refused with 503 and Retry-After, and one account
 * may have only a few jobs running or waiting at once (429), so no one person can fill the queue.
 */
export interface LongWorkLimits {
  /** Worker threads: the cores less one (the request thread's), at least one. */
  threads: number
  /** Jobs that may wait for a thread; beyond it, 503. */
  queue: number
  /** Jobs one account may have running or waiting at once; beyond it, 429. */
  perAccount: number
  /**
   * The most each thread's JavaScript heap (old generation) may hold, in MB. Unbounded, V8 lets a
   * thread's heap grow towards the process's limit (gigabytes) before it collects, so a few reports
   * and record checks in turn left one thread holding a gigabyte. Bounded, it collects sooner; a job
   * that truly needs more is refused with a message saying so (WORK_HEAP_MB raises it).
   */
  heapMb: number
}

/** The default heap bound of a thread: twice what the largest job measured needs (the record check of the benchmark's evaluation, about 250 MB). */
export const DEFAULT_HEAP_MB = 512

export function defaultLimits(): LongWorkLimits {
  const threads = Math.max(1, availableParallelism() - 1)
  return { threads, queue: 8 * threads, perAccount: 2, heapMb: DEFAULT_HEAP_MB }
}

/** Refused long work: 503 (every thread busy and the queue full) or 429 (this account's own limit). */
export class LongWorkRefused extends Error {
  constructor(
    readonly status: 429 | 503,
    message: string,
    /** Seconds to wait before trying again (the Retry-After header). */
    readonly retryAfter: number,
  ) {
    super(message)
  }
}

const RETRY_AFTER_SECONDS = 5
const require = createRequire(import.meta.url)
// Workers load the TypeScript sources as `npm start` (tsx) and the tests (Vitest) do: through tsx.
const tsxLoader = pathToFileURL(require.resolve('tsx')).href
const workerFile = new URL('./worker.ts', import.meta.url).href

export class LongWork {
  readonly limits: LongWorkLimits
  private pool: Piscina | undefined
  private inFlight = 0
  private readonly byAccount = new Map<number, number>()
  private closed = false
  /** The highest memory a thread has reported, in MB (see `workersPeakMb`); written by the threads. */
  private readonly memory = new Int32Array(new SharedArrayBuffer(4))

  constructor(
    limits: Partial<LongWorkLimits> = {},
    /** Tests only: every task waits on this shared flag before it starts (see `openGate`). */
    private readonly gate?: SharedArrayBuffer,
    /**
     * The app's database as the threads can open it themselves (src/work/database.ts), so that the
     * report and the record check read in their thread; undefined (an in-memory database): the
     * request thread reads and sends what they need.
     */
    readonly source?: DatabaseSource,
  ) {
    this.limits = { ...defaultLimits(), ...limits }
  }

  /** Jobs running or waiting, across all accounts. */
  get pending(): number {
    return this.inFlight
  }

  /** Jobs the worker threads have finished since the pool started. */
  get completed(): number {
    return this.pool?.completed ?? 0
  }

  /**
   * The most memory one worker thread has held, in MB: its JavaScript heap as committed (live and
   * not yet collected) plus the buffers outside it, as each thread measures itself at the end of
   * each job, the highest kept. 0 before the first job ends.
   */
  get workersPeakMb(): number {
    return Atomics.load(this.memory, 0)
  }

  /**
   * Runs a task in a worker thread for an account, or refuses it at once: the queue never grows past
   * its limit. The input and the result are copied between threads (structured clone).
   */
  async run<K extends TaskName>(name: K, input: Parameters<Tasks[K]>[0], accountId: number): Promise<Awaited<ReturnType<Tasks[K]>>> {
    if (this.closed) throw new LongWorkRefused(503, 'The service is shutting down. Try again in a moment.', RETRY_AFTER_SECONDS)
    const own = this.byAccount.get(accountId) ?? 0
    if (own >= this.limits.perAccount) {
      throw new LongWorkRefused(
        429,
        `You already have ${own} reports or analyses being prepared. Wait for ${own === 1 ? 'it' : 'them'} to finish, then try again.`,
        RETRY_AFTER_SECONDS,
      )
    }
    if (this.inFlight >= this.limits.threads + this.limits.queue) {
      throw new LongWorkRefused(503, 'The service is busy preparing other reports and analyses. Try again in a few seconds.', RETRY_AFTER_SECONDS)
    }
    this.inFlight += 1
    this.byAccount.set(accountId, own + 1)
    try {
      const message: TaskMessage = { name, input, memory: this.memory.buffer as SharedArrayBuffer, ...(this.gate === undefined ? {} : { gate: this.gate }) }
      return (await this.piscina().run(message)) as Awaited<ReturnType<Tasks[K]>>
    } catch (error) {
      if ((error as { code?: unknown } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        // The thread was stopped and Piscina starts another; nothing was written.
        throw new LongWorkRefused(
          503,
          `This needs more memory than a thread for reports and analyses may use (${this.limits.heapMb} MB). Ask the administrator to raise WORK_HEAP_MB.`,
          RETRY_AFTER_SECONDS,
        )
      }
      throw revived(error)
    } finally {
      this.inFlight -= 1
      const left = (this.byAccount.get(accountId) ?? 1) - 1
      if (left === 0) this.byAccount.delete(accountId)
      else this.byAccount.set(accountId, left)
    }
  }

  /** Stops the threads once the jobs they hold are done; later jobs are refused. */
  async close(): Promise<void> {
    this.closed = true
    const pool = this.pool
    this.pool = undefined
    await pool?.close()
  }

  // Started on first use: a process (or a test) that runs no long work starts no threads.
  private piscina(): Piscina {
    this.pool ??= new Piscina({
      filename: workerFile,
      execArgv: ['--import', tsxLoader],
      minThreads: this.limits.threads,
      maxThreads: this.limits.threads,
      // Our own count refuses work before Piscina's queue would; this is only a backstop.
      maxQueue: this.limits.queue + this.limits.threads,
      concurrentTasksPerWorker: 1,
      idleTimeout: 60_000,
      resourceLimits: { maxOldGenerationSizeMb: this.limits.heapMb },
    })
    return this.pool
  }
}

/** An error from a worker as the request thread should see it: the engine's refusal of a figure gets its class back. */
function revived(error: unknown): unknown {
  const refusal = (error as Partial<FigureRefusal> | null)?.figureOutOfRange
  return refusal === undefined ? error : new FigureOutOfRangeError(refusal.path, refusal.figure)
}

/** Tests only: a flag for `new LongWork(limits, gate)` that holds every task until `openGate`. */
export function closedGate(): SharedArrayBuffer {
  return new SharedArrayBuffer(4)
}

export function openGate(gate: SharedArrayBuffer): void {
  const flag = new Int32Array(gate)
  Atomics.store(flag, 0, 1)
  Atomics.notify(flag, 0)
}

let shared: LongWork | undefined

/** The pool an app uses when it is not given one (tests, the benchmark in-process). */
export function sharedLongWork(): LongWork {
  shared ??= new LongWork()
  return shared
}

/** Closes the shared pool, if one was made (the test setup does, after each file). */
export async function closeSharedLongWork(): Promise<void> {
  const pool = shared
  shared = undefined
  await pool?.close()
}
