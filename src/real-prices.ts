/**
 * A figure in the prices of a later (or earlier) year, in real base-year prices: general inflation
 * is stripped with real = nominal / (1 + inflation)^years, where `years` is how many years the
 * figure's prices are after the base year (Green Book: appraise in real base-year prices).
 * A helper for people entering costs; the appraisal itself takes real figures only.
 */
export function toRealPrices(nominal: number, inflation: number, years: number): { real: number; divisor: number } {
  const divisor = (1 + inflation) ** years
  return { real: nominal / divisor, divisor }
}
