// Medians and percentiles for the benchmark: every figure is a median of repeated runs after a
// warm-up, so one slow run on a busy machine does not decide it.

export function median(values: readonly number[]): number {
  return percentile(values, 50)
}

/** The nearest-rank percentile (p in 0..100) of the values; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!
}

export interface Runs {
  readonly warmUp: number
  readonly runs: number
}

/** Median wall time in milliseconds of `work`, after `warmUp` untimed runs. */
export async function timeMedian({ warmUp, runs }: Runs, work: () => unknown): Promise<number> {
  for (let i = 0; i < warmUp; i++) await work()
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    await work()
    times.push(performance.now() - start)
  }
  return median(times)
}

/** Rounds for the results table; a figure with nothing behind it (NaN, or null once through JSON) stays null. */
export function round(value: number, digits = 1): number {
  return Number(value.toFixed(digits))
}

/** The same for a latency that may have nothing behind it (NaN, or null once through JSON): null, a miss. */
export function roundOrNull(value: number | null, digits = 1): number | null {
  return value === null || Number.isNaN(value) ? null : round(value, digits)
}
