// A cost or benefit line spread over the years of the appraisal period.

export interface LineYears {
  readonly amount: number
  readonly from: number
  readonly to: number
  readonly growth: number
}

export interface SpreadLine {
  /** The line's amount in each year index 0 .. N-1 (0 in years it does not cover). */
  readonly yearly: Float64Array
  readonly undiscounted: number
  readonly presentValue: number
  /** The years of the line beyond the appraisal period, which were left out; null when none. */
  readonly dropped: { readonly from: number; readonly to: number } | null
}

/**
 * amount(t) = amount × (1 + growth)^(t − from) × (1 + uplift) for from <= t <= to within the
 * period. `uplift` is the optimism bias for costs and 0 for benefits.
 */
export function spreadLine(line: LineYears, uplift: number, discountFactors: readonly number[]): SpreadLine {
  const years = discountFactors.length
  const yearly = new Float64Array(years)
  let undiscounted = 0
  let presentValue = 0
  const last = Math.min(line.to, years - 1)
  for (let t = line.from; t <= last; t++) {
    // A power per year, not a running product, so year 30 carries no accumulated rounding.
    const amount = line.amount * (1 + line.growth) ** (t - line.from) * (1 + uplift)
    yearly[t] = amount
    undiscounted += amount
    presentValue += amount * (discountFactors[t] ?? 0)
  }
  const dropped = line.to > years - 1 ? { from: Math.max(line.from, years), to: line.to } : null
  return { yearly, undiscounted, presentValue, dropped }
}

export function droppedYearsWarning(list: 'costs' | 'benefits', index: number, dropped: { from: number; to: number }): string {
  const years = dropped.from === dropped.to ? `year ${dropped.from} falls` : `years ${dropped.from}..${dropped.to} fall`
  const verb = dropped.from === dropped.to ? 'was' : 'were'
  return `${list}[${index}]: ${years} outside the appraisal period and ${verb} dropped`
}
