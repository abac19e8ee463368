import { describe, expect, it } from 'vitest'
import {
  createFormats,
  formatClock,
  formatCount,
  formatDate,
  formatDateTime,
  formatMoment,
  formatMoney,
  formatMoneyAsRecorded,
  formatMoneyShort,
  formatNumber,
  formatPercent,
  formatPercentAsRecorded,
  formatScore,
  possessive,
} from '../src/format.js'

// 23:30 UTC on 30 June is half past midnight on 1 July in London (British Summer Time).
const summerNight = '2026-06-30T23:30:05.000Z'
// In winter London is on UTC.
const winterNight = '2026-12-31T23:30:05.000Z'

describe('the formats of the app and the report', () => {
  it('make a name possessive without “Records’s”', () => {
    expect(possessive('Product B')).toBe('Product B’s')
    expect(possessive('Alpha Records')).toBe('Alpha Records’')
    expect(possessive('NORTHMOOR SYSTEMS')).toBe('NORTHMOOR SYSTEMS’')
  })

  it('write every date and time in London time, whatever the server’s zone', () => {
    expect(formatDate(summerNight)).toBe('1 July 2026')
    expect(formatDateTime(summerNight)).toBe('1 July 2026 at 00:30')
    expect(formatMoment(summerNight)).toBe('1 July 2026 at 00:30:05')
    expect(formatClock(new Date(summerNight))).toBe('00:30')
    expect(createFormats('GBP').date(new Date(summerNight))).toBe('1 July 2026')
    expect(formatDate(winterNight)).toBe('31 December 2026')
    expect(formatDateTime(winterNight)).toBe('31 December 2026 at 23:30')
  })

  it('shows text that is no moment as it is', () => {
    expect(formatMoment('not a date')).toBe('not a date')
  })

  it('rounds figures only for display, the app and the report alike', () => {
    expect(formatMoney(1234567.89, 'GBP')).toBe('£1,234,568')
    expect(formatMoneyShort(12_345_678, 'GBP')).toBe('£12.3m')
    expect(formatScore(78.44)).toBe('78.4')
    expect(formatScore(null)).toBe('–')
    expect(formatPercent(0.035)).toBe('3.5%')
    const report = createFormats('GBP')
    expect(report.money(-1234.4)).toBe('(£1,234)')
    expect(report.moneyInWords(-1234.4)).toBe('−£1,234')
    expect(report.score(-0.01)).toBe('0.0')
    expect(report.moneyShort(40_100_000)).toBe('£40.1 million')
  })

  it('writes recorded values as precisely as they were recorded, for the history', () => {
    expect(formatCount(10_000)).toBe('10,000')
    expect(formatNumber(2.5, 6)).toBe('2.5')
    expect(formatNumber(0.1234567, 6)).toBe('0.123457')
    expect(formatNumber(1234, 2)).toBe('1,234')
    expect(formatMoneyAsRecorded(1234, 'GBP')).toBe('£1,234')
    expect(formatMoneyAsRecorded(1234.5, 'GBP')).toBe('£1,234.5')
    expect(formatPercentAsRecorded(0.021234)).toBe('2.1234%')
  })
})
