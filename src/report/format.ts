// How figures are written in the report. Formatting only: every value comes from the engine at
// full precision and is rounded here, for display.

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

const MINUS = '\u2212'

export function createFormats(currency: string): Formats {
  const locale = 'en-GB'
  const money = new Intl.NumberFormat(locale, { style: 'currency', currency, currencySign: 'accounting', maximumFractionDigits: 0, minimumFractionDigits: 0 })
  const plainMoney = new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 0, minimumFractionDigits: 0 })
  const millions = new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 1, minimumFractionDigits: 1 })
  const oneDecimal = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 })
  const upToTwo = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 })
  const twoDecimals = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 })
  const sixDecimals = new Intl.NumberFormat(locale, { minimumFractionDigits: 6, maximumFractionDigits: 6 })
  const whole = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 })
  const percents = new Map<number, Intl.NumberFormat>()
  const percentFormat = (digits: number): Intl.NumberFormat => {
    let format = percents.get(digits)
    if (format === undefined) {
      format = new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits })
      percents.set(digits, format)
    }
    return format
  }
  const dates = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
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
    factor: (value) => sixDecimals.format(value),
    ratio: (value) => signed(twoDecimals.format(unsignedZero(value, 2))),
    count: (value) => whole.format(value),
    date: (value) => dates.format(value),
  }
}
