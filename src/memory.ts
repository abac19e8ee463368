// The server's memory, written to its log when it stops (issue 22): the main (request) thread's peak
// apart from the worker threads', which share the process and so its resident memory (RSS).

/** Peak memory, in MB. */
export interface MemoryPeaks {
  /**
   * The main thread: what the process held before it served anything (node, the code, libraries, the
   * database's cache: RSS less the main thread's heap and buffers then), plus the highest the main
   * thread's own JavaScript heap (as committed) and buffers reached since, sampled every quarter second.
   */
  readonly mainThreadMb: number
  /** The whole process at its highest, every thread included (the kernel's maximum RSS). */
  readonly processMb: number
}

const MB = 1024 * 1024

/** Starts sampling the main thread's memory; call it on the main thread before any work starts a worker thread. */
export function trackMainThreadMemory(everyMs = 250): { peaks(): MemoryPeaks; stop(): void } {
  const start = process.memoryUsage()
  const outside = start.rss - start.heapTotal - start.external
  let highest = start.heapTotal + start.external
  const sample = () => {
    const now = process.memoryUsage()
    highest = Math.max(highest, now.heapTotal + now.external)
  }
  const timer = setInterval(sample, everyMs).unref()
  return {
    peaks() {
      sample()
      return { mainThreadMb: Math.round((outside + highest) / MB), processMb: Math.round(process.resourceUsage().maxRSS / 1024) }
    },
    stop: () => clearInterval(timer),
  }
}
