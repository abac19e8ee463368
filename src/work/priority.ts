import { readlinkSync } from 'node:fs'
import { getPriority, setPriority } from 'node:os'
import { isMainThread } from 'node:worker_threads'

/**
 * How much less of the CPU a long-work thread asks for than the request thread: its niceness is the
 * process's plus this (at most 19). At 10, when the two want the same core, Linux's scheduler gives
 * the request thread about nine tenths of it (weights 1024 against 110), so a save or a page waits
 * for a report's thread no longer than it would for another save; with a core to spare, the report
 * runs at full speed all the same.
 */
export const WORK_NICENESS = 10

/**
 * Lowers the calling worker thread's scheduling priority, where that can be done for one thread:
 * on Linux, a niceness belongs to each thread (set through its thread id, read from
 * /proc/thread-self). Elsewhere (or if refused) the thread keeps the process's priority; the result
 * says which. Never on the main thread, which serves requests.
 */
export function lowerThisThreadsPriority(niceness = WORK_NICENESS): { threadId: number; niceness: number } | null {
  if (isMainThread) return null
  let threadId: number
  try {
    threadId = Number(readlinkSync('/proc/thread-self').split('/').at(-1))
  } catch {
    return null
  }
  if (!Number.isSafeInteger(threadId) || threadId <= 0) return null
  try {
    const lowered = Math.min(19, getPriority(threadId) + niceness)
    setPriority(threadId, lowered)
    return { threadId, niceness: lowered }
  } catch {
    return null
  }
}
