/** Display formatting only: every figure underneath stays at full precision. */

const moneyFormats = new Map<string, Intl.NumberFormat>()

export function formatMoney(amount: number, currency: string): string {
  let format = moneyFormats.get(currency)
  if (format === undefined) {
    format = new Intl.NumberFormat('en-GB', { style: 'currency', currency, maximumFractionDigits: 0, minimumFractionDigits: 0 })
    moneyFormats.set(currency, format)
  }
  return format.format(amount)
}

/** Millions with one decimal, for charts and headlines: £12.3m. */
export function formatMoneyShort(amount: number, currency: string): string {
  const symbol = new Intl.NumberFormat('en-GB', { style: 'currency', currency }).formatToParts(0).find((p) => p.type === 'currency')?.value ?? ''
  const abs = Math.abs(amount)
  const sign = amount < 0 ? '−' : ''
  if (abs >= 1e6) return `${sign}${symbol}${(abs / 1e6).toFixed(1)}m`
  if (abs >= 1e3) return `${sign}${symbol}${(abs / 1e3).toFixed(0)}k`
  return `${sign}${symbol}${abs.toFixed(0)}`
}

const oneDecimal = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 })
const twoDecimals = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
const sixDecimals = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 6, maximumFractionDigits: 6 })

/** A 0..100 score such as quality, price score or total. */
export function formatScore(value: number | null): string {
  return value === null ? '–' : oneDecimal.format(value)
}

export function formatRatio(value: number | null): string {
  return value === null ? '–' : twoDecimals.format(value)
}

export function formatFactor(value: number): string {
  return sixDecimals.format(value)
}

export function formatPercent(fraction: number, digits = 1): string {
  return new Intl.NumberFormat('en-GB', { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(fraction)
}

/** What a row of the criteria tree is, in a word: the log's summaries and the history say it the same way. */
export const criterionKindWords = { group: 'Group', criterion: 'Criterion', gate: 'Gate' } as const
