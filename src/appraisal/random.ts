// Seeded randomness for the Monte Carlo analysis: the same seed gives the same figures on every
// machine, which Math.random cannot promise.

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 128-bit state), returning numbers
 * in [0, 1) with 32 bits of resolution. Any safe integer seed works; its low and high 32 bits
 * both enter the state.
 */
export function seededRandom(seed: number): () => number {
  let a = 0x9e3779b9
  let b = 0x243f6a88
  let c = seed >>> 0
  let d = (Math.floor(seed / 0x100000000) ^ 0xb7e15162) >>> 0
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return (t >>> 0) / 4294967296
  }
  // Mix the seed through the state before the first figure is used.
  for (let i = 0; i < 15; i++) next()
  return next
}

/**
 * A draw from the triangular distribution (low, mode, high) by its inverse cumulative
 * distribution, given a uniform draw u in [0, 1).
 */
export function triangular(u: number, low: number, mode: number, high: number): number {
  const width = high - low
  if (width <= 0) return mode
  const modeAt = (mode - low) / width
  return u < modeAt ? low + Math.sqrt(u * width * (mode - low)) : high - Math.sqrt((1 - u) * width * (high - mode))
}

/**
 * Percentile p (0..1) of sorted values by linear interpolation between order statistics at rank
 * (n − 1) × p, as Excel's PERCENTILE.INC and NumPy's default do.
 */
export function percentileInc(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length
  if (n === 0) return NaN
  const rank = (n - 1) * p
  const below = Math.floor(rank)
  const lower = sorted[below] as number
  const upper = sorted[Math.min(below + 1, n - 1)] as number
  return lower + (rank - below) * (upper - lower)
}
