// A worker thread of the long-work pool (src/work/pool.ts). Piscina calls the default export with
// each task; the task table is src/work/tasks.ts.

import { getHeapStatistics } from 'node:v8'
import { FigureOutOfRangeError } from '../appraisal/index.js'
import { type TaskName, tasks } from './tasks.js'
import { lowerThisThreadsPriority } from './priority.js'

// A report or a record check gives way to the request thread when both want a core, so no one's
// save or page waits for someone else's long work (src/work/priority.ts).
lowerThisThreadsPriority()

export interface TaskMessage {
  name: TaskName
  input: unknown
  /** Where the pool keeps the most memory a thread has held, in MB (LongWork.workersPeakMb). */
  memory?: SharedArrayBuffer
  /** Tests only: the task waits until this shared flag is set, as if it took that long. */
  gate?: SharedArrayBuffer
}

/** The engine's refusal of a figure, as it crosses to the request thread (see `revived` in pool.ts). */
export interface FigureRefusal {
  figureOutOfRange: { path: string; figure: string }
}

export default async function run({ name, input, memory, gate }: TaskMessage): Promise<unknown> {
  if (gate !== undefined) Atomics.wait(new Int32Array(gate), 0, 0)
  const task = tasks[name] as (input: unknown) => unknown
  try {
    return await task(input)
  } catch (error) {
    // An error reaches the request thread as a plain Error, its class lost; the engine's refusal of a
    // figure goes as its parts so the page can still say what went wrong (422, not 500).
    if (error instanceof FigureOutOfRangeError) throw { figureOutOfRange: { path: error.path, figure: error.figure } } satisfies FigureRefusal
    throw error
  } finally {
    // What this thread holds after the job: its heap as committed (live, or not yet collected) and its buffers.
    if (memory !== undefined) {
      const heap = getHeapStatistics()
      const mb = Math.ceil((heap.total_heap_size + heap.external_memory) / 1048576)
      const peak = new Int32Array(memory)
      // The highest any thread has reported: raised only, and only if no other thread raised it meanwhile.
      for (let seen = Atomics.load(peak, 0); mb > seen; ) {
        const was = Atomics.compareExchange(peak, 0, seen, mb)
        if (was === seen) break
        seen = was
      }
    }
  }
}
