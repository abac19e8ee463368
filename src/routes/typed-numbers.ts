// How people type money, percentages, multipliers and years, in forms and in CSV cells alike. People
// type calendar years and percentages; the file holds year indexes and fractions. The fields of a
// cost or benefit line that use these rules are in src/money-line-fields.ts.

import { z } from 'zod'
import { BOUNDS, MAX_APPRAISAL_YEARS } from '../appraisal/index.js'

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/

/** Removes what spreadsheets and people put around a number: currency symbols, thousands separators, spaces. */
export function cleanNumber(text: string): string {
  return text
    .trim()
    .replace(/^\((.*)\)$/, '-$1') // accountants' (1,200) is −1,200
    .replace(/[£€$,\s]/g, '')
}

/** An amount of money: "1200000", "£1,200,000", "1 200 000.50". */
export function amountField(what: string) {
  const required = `Enter ${what}`
  const capitalised = `${what[0]!.toUpperCase()}${what.slice(1)}`
  const invalid = `${capitalised} must be a number, like 1200000 or £1,200,000`
  return z
    .string({ error: required })
    .transform(cleanNumber)
    .pipe(z.string().min(1, required).regex(NUMBER, invalid).transform(Number))
    .pipe(z.number().min(BOUNDS.amount.min, `${capitalised} must not be negative`).max(BOUNDS.amount.max, `${capitalised} must be at most ${MAX_AMOUNT_TEXT}`))
}

/** A percentage typed as a number ("2", "2%", "-0.5"); blank gives null. */
export function optionalPercent(invalid: string) {
  return z
    .string()
    .optional()
    .transform((v) => cleanNumber(v ?? '').replace(/%$/, ''))
    .refine((v) => v === '' || (NUMBER.test(v) && Number.isFinite(Number(v))), invalid)
    .transform((v) => (v === '' ? null : Number(v)))
}

/** A multiplier such as 0.9 or 1.5; blank gives null. */
export function optionalMultiplier(invalid: string) {
  return z
    .string()
    .optional()
    .transform((v) => (v ?? '').trim())
    .refine((v) => v === '' || (NUMBER.test(v) && Number.isFinite(Number(v))), invalid)
    .transform((v) => (v === '' ? null : Number(v)))
}

// The file's ranges (BOUNDS), as people type them: percentages where the file holds fractions.

/** "1,000,000,000,000,000" for 1e15. */
const MAX_AMOUNT_TEXT = BOUNDS.amount.max.toLocaleString('en-GB')

/** A fraction as a signed percentage for messages: −0.99 → "−99%", 1 → "+100%". */
export function percentBound(fraction: number, signed = true): string {
  const percent = Number((fraction * 100).toPrecision(12))
  return `${percent < 0 ? '−' : signed && percent > 0 ? '+' : ''}${Math.abs(percent)}%`
}

/** True when a typed percentage (null for blank) lies within a range of fractions. */
export function percentWithin(bounds: { readonly min: number; readonly max: number }): (percent: number | null) => boolean {
  return (percent) => percent === null || (percent / 100 >= bounds.min - 1e-12 && percent / 100 <= bounds.max + 1e-12)
}

const FINANCIAL_YEAR = /^(\d{4})\s*[-/–]\s*(\d{2}|\d{4})$/

/** A calendar year, or a UK financial year written "2025-26" or "2025/26" (its first calendar year). */
export function readYear(text: string): number | null {
  const value = text.trim()
  if (/^\d{4}$/.test(value)) return Number(value)
  const financial = FINANCIAL_YEAR.exec(value)
  if (financial === null) return null
  const first = Number(financial[1])
  const second = financial[2]!
  const expected = second.length === 2 ? String((first + 1) % 100).padStart(2, '0') : String(first + 1)
  return second === expected ? first : null
}

/** A calendar year of the appraisal period, typed; blank gives null when `optional`. */
export function yearField(baseYear: number, which: 'first' | 'last', optional: boolean) {
  const last = baseYear + MAX_APPRAISAL_YEARS - 1
  const invalid = `The ${which} year must be a year such as ${baseYear} (or a financial year such as ${baseYear}-${String((baseYear + 1) % 100).padStart(2, '0')})`
  return z
    .string()
    .optional()
    .transform((v) => (v ?? '').trim())
    .refine((v) => optional || v !== '', `Enter the ${which} year`)
    .refine((v) => v === '' || readYear(v) !== null, invalid)
    .transform((v) => (v === '' ? null : (readYear(v) as number)))
    .refine((v) => v === null || v >= baseYear, `The ${which} year must be ${baseYear} or later: the appraisal starts in ${baseYear}, its base year`)
    .refine((v) => v === null || v <= last, `The ${which} year must be ${last} or earlier`)
}

/** A stored fraction as the percentage people type: 0.035 → "3.5" (no float noise such as 3.5000000000000004). */
export function percentText(fraction: number): string {
  return String(Number((fraction * 100).toPrecision(12)))
}
