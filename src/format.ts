// How figures and moments are written, in the app and in the report alike. Formatting only: every
// value comes from the engine at full precision and is rounded here, for display. Intl formatters
// are made once: building one costs more than the rest of formatting a page.

const LOCALE = 'en-GB'
/** Every date and time is shown as people in the UK read it, in London time, whatever the server's zone. */
export const TIME_ZONE = 'Europe/London'
const MINUS = '\u2212'

const moneyFormats = new Map<string, Intl.NumberFormat>()

/**
 * A name made possessive: “Product B’s”, and for a name ending in s, such as “Alpha Records”, the
 * apostrophe alone: “Alpha Records’”, never “Records’s”.
 */
export function possessive(name: string): string {
  return /s$/i.test(name) ? `${name}’` : `${name}’s`
}

/** Whole units of `currency`: £1,234,567 and -£1,234. */
export function formatMoney(amount: number, currency: string): string {
  let format = moneyFormats.get(currency)
  if (format === undefined) {
    format = new Intl.NumberFormat(LOCALE, { style: 'currency', currency, maximumFractionDigits: 0, minimumFractionDigits: 0 })
    moneyFormats.set(currency, format)
  }
  return format.format(amount)
}

/** Millions with one decimal, for charts and headlines: £12.3m. */
export function formatMoneyShort(amount: number, currency: string): string {
  const symbol = new Intl.NumberFormat(LOCALE, { style: 'currency', currency }).formatToParts(0).find((p) => p.type === 'currency')?.value ?? ''
  const abs = Math.abs(amount)
  const sign = amount < 0 ? '−' : ''
  if (abs >= 1e6) return `${sign}${symbol}${(abs / 1e6).toFixed(1)}m`
  if (abs >= 1e3) return `${sign}${symbol}${(abs / 1e3).toFixed(0)}k`
  return `${sign}${symbol}${abs.toFixed(0)}`
}

const oneDecimal = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 1, maximumFractionDigits: 1 })
const twoDecimals = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 2, maximumFractionDigits: 2 })
const sixDecimals = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 6, maximumFractionDigits: 6 })

/** A 0..100 score such as quality, price score or total. */
export function formatScore(value: number | null): string {
  return value === null ? '–' : oneDecimal.format(value)
}

export function formatRatio(value: number | null): string {
  return value === null ? '–' : twoDecimals.format(value)
}

/** A discount factor, six decimals as in the Green Book tables. */
export function formatFactor(value: number): string {
  return sixDecimals.format(value)
}

const counts = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 })

/** A whole count: 10,000. */
export function formatCount(value: number): string {
  return counts.format(value)
}

const upToDigits = new Map<number, Intl.NumberFormat>()

/** A number as precise as it is, to at most `digits` decimals: 3, 2.5, 0.123457. */
export function formatNumber(value: number, digits: number): string {
  let format = upToDigits.get(digits)
  if (format === undefined) {
    format = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: digits })
    upToDigits.set(digits, format)
  }
  return format.format(value)
}

/** Money as recorded, pence only where there are some: £1,234 or £1,234.56. */
export function formatMoneyAsRecorded(amount: number, currency: string): string {
  return new Intl.NumberFormat(LOCALE, { style: 'currency', currency, minimumFractionDigits: 0, maximumFractionDigits: 2 }).format(amount)
}

const exactPercents = new Intl.NumberFormat(LOCALE, { style: 'percent', maximumFractionDigits: 4 })

/** A fraction as recorded, to at most four decimals of a percent: 3.5%, 2.1234%. */
export function formatPercentAsRecorded(fraction: number): string {
  return exactPercents.format(fraction)
}

/** A fraction given as 0..1: 0.035 → 3.5%. */
export function formatPercent(fraction: number, digits = 1): string {
  return new Intl.NumberFormat(LOCALE, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(fraction)
}

const dates = new Intl.DateTimeFormat(LOCALE, { day: 'numeric', month: 'long', year: 'numeric', timeZone: TIME_ZONE })
const dateTimes = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'long', timeStyle: 'short', timeZone: TIME_ZONE })
const moments = new Intl.DateTimeFormat(LOCALE, {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZone: TIME_ZONE,
})
const clocks = new Intl.DateTimeFormat(LOCALE, { timeStyle: 'short', timeZone: TIME_ZONE })

function asDate(value: Date | string): Date {
  return typeof value === 'string' ? new Date(value) : value
}

/** A calendar date: 25 November 2026. */
export function formatDate(value: Date | string): string {
  return dates.format(asDate(value))
}

/** A date and the minute: 25 November 2026 at 14:03. */
export function formatDateTime(value: Date | string): string {
  return dateTimes.format(asDate(value))
}

/** A moment to the second, as the audit log records them: 26 November 2026 at 14:03:12. Text that is no date is shown as it is. */
export function formatMoment(iso: string): string {
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? iso : moments.format(date)
}

/** The time of day: 14:03. */
export function formatClock(value: Date): string {
  return clocks.format(value)
}

/** How the report writes figures, in the currency of its evaluation file. */
export interface Formats {
  /** Whole units of the file's currency, negatives in brackets: £1,234,567 and (£1,234). */
  money(value: number): string
  /** Whole units with an explicit sign for sentences: £1,234,567 or −£1,234. */
  moneyInWords(value: number): string
  /** For sentences: £40.1 million, £850,000. */
  moneyShort(value: number): string
  /** A score out of 100, one decimal: 78.4. */
  score(value: number): string
  /** A score on the file's scale, up to two decimals: 3, 3.5, 3.67. */
  scaleScore(value: number): string
  /** A percentage given as 0..100: 23.4%. */
  percent(value: number, digits?: number): string
  /** A fraction given as 0..1: 0.35 → 35%. */
  fraction(value: number, digits?: number): string
  /** A discount factor, six decimals as in the Green Book tables. */
  factor(value: number): string
  /** A ratio such as a BCR, two decimals. */
  ratio(value: number): string
  /** A whole count: 10,000. */
  count(value: number): string
  /** A calendar date: 25 November 2026. */
  date(value: Date): string
}

export function createFormats(currency: string): Formats {
  const money = new Intl.NumberFormat(LOCALE, { style: 'currency', currency, currencySign: 'accounting', maximumFractionDigits: 0, minimumFractionDigits: 0 })
  const plainMoney = new Intl.NumberFormat(LOCALE, { style: 'currency', currency, maximumFractionDigits: 0, minimumFractionDigits: 0 })
  const millions = new Intl.NumberFormat(LOCALE, { style: 'currency', currency, maximumFractionDigits: 1, minimumFractionDigits: 1 })
  const upToTwo = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 2 })
  const percents = new Map<number, Intl.NumberFormat>()
  const percentFormat = (digits: number): Intl.NumberFormat => {
    let format = percents.get(digits)
    if (format === undefined) {
      format = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: digits, maximumFractionDigits: digits })
      percents.set(digits, format)
    }
    return format
  }
  // Rounding can leave "-0" (a tiny negative shown as zero); a zero has no sign.
  const signed = (text: string): string => text.replace(/^-/, MINUS)
  const unsignedZero = (value: number, digits: number): number => (Math.abs(value) < 0.5 * 10 ** -digits ? 0 : value)

  return {
    money: (value) => money.format(unsignedZero(value, 0)),
    moneyInWords: (value) => signed(plainMoney.format(unsignedZero(value, 0))),
    moneyShort(value) {
      const rounded = unsignedZero(value, 0)
      if (Math.abs(rounded) >= 1_000_000) return `${signed(millions.format(rounded / 1_000_000))} million`
      return signed(plainMoney.format(rounded))
    },
    score: (value) => signed(oneDecimal.format(unsignedZero(value, 1))),
    scaleScore: (value) => signed(upToTwo.format(unsignedZero(value, 2))),
    percent: (value, digits = 1) => `${signed(percentFormat(digits).format(unsignedZero(value, digits)))}%`,
    fraction: (value, digits = 0) => `${signed(percentFormat(digits).format(unsignedZero(100 * value, digits)))}%`,
    factor: formatFactor,
    ratio: (value) => signed(twoDecimals.format(unsignedZero(value, 2))),
    count: formatCount,
    date: formatDate,
  }
}
