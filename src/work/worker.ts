// A worker thread of the long-work pool (src/work/pool.ts). Piscina calls the default export with
// each task; the task table is src/work/tasks.ts.

import { type TaskName, tasks } from './tasks.js'

export interface TaskMessage {
  name: TaskName
  input: unknown
  /** Tests only: the task waits until this shared flag is set, as if it took that long. */
  gate?: SharedArrayBuffer
}

export default function run({ name, input, gate }: TaskMessage): unknown {
  if (gate !== undefined) Atomics.wait(new Int32Array(gate), 0, 0)
  const task = tasks[name] as (input: unknown) => unknown
  return task(input)
}
