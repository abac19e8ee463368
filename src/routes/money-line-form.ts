// The rules for a cost, benefit or sunk cost line as a person types it, in the form or in a CSV
// row: one schema for both, so a rule the form applies the import applies too. People type calendar
// years and percentages; the file holds year indexes and fractions.

import { z } from 'zod'
import { MAX_APPRAISAL_YEARS } from '../appraisal/index.js'
import type { MoneyLineDetails, SunkCostDetails } from '../db/money-lines.js'
import type { MoneyLine, SunkCost } from '../db/schema.js'
import type { FormValues } from '../../views/components/form.js'
import { optionalText, parseForm, requiredText, type FormResult } from './form.js'

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
    .pipe(
      z
        .number()
        .min(0, `${capitalised} must not be negative`)
        .max(1e15, `${capitalised} is too large`),
    )
}

/** A percentage typed as a number ("2", "2%", "-0.5"); blank gives null. */
export function optionalPercent(invalid: string) {
  return z
    .string()
    .optional()
    .transform((v) => cleanNumber(v ?? '').replace(/%$/, ''))
    .refine((v) => v === '' || NUMBER.test(v), invalid)
    .transform((v) => (v === '' ? null : Number(v)))
}

/** A multiplier such as 0.9 or 1.5; blank gives null. */
function optionalMultiplier(invalid: string) {
  return z
    .string()
    .optional()
    .transform((v) => (v ?? '').trim())
    .refine((v) => v === '' || NUMBER.test(v), invalid)
    .transform((v) => (v === '' ? null : Number(v)))
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

function yearField(baseYear: number, which: 'first' | 'last', optional: boolean) {
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

/** The fields of a cost or benefit line, as named in the forms and mapped from CSV columns. */
export const moneyLineFields = ['label', 'category', 'type', 'amount', 'from', 'to', 'growth', 'optimismBias', 'rangeLow', 'rangeHigh', 'notes'] as const

/** The rules for one cost or benefit line; `baseYear` turns calendar years into year indexes. */
export function moneyLineSchema(kind: 'cost' | 'benefit', baseYear: number): z.ZodType<MoneyLineDetails, FormValues> {
  return z
    .object({
      label: requiredText(`Enter a label for the ${kind} line`),
      category: optionalText(100),
      type:
        kind === 'cost'
          ? z.enum(['operating', 'capital'], { error: 'Choose capital or operating' }).optional().default('operating')
          : z.string().optional(),
      amount: amountField('the amount per year'),
      from: yearField(baseYear, 'first', false),
      to: yearField(baseYear, 'last', true),
      growth: optionalPercent('Real growth must be a percentage, like 2 for 2% a year or -1 for a fall of 1% a year').refine(
        (v) => v === null || v > -100,
        'Real growth must be more than −100% a year',
      ),
      optimismBias:
        kind === 'cost'
          ? optionalPercent('Optimism bias must be a percentage, like 20 for 20%').refine((v) => v === null || v >= 0, 'Optimism bias must not be negative')
          : z.string().optional(),
      rangeLow: optionalMultiplier('The low end of the range must be a number, like 0.9').refine(
        (v) => v === null || (v >= 0 && v <= 1),
        'The low end of the range must be from 0 to 1 (0.9 means 10% below the estimate)',
      ),
      rangeHigh: optionalMultiplier('The high end of the range must be a number, like 1.5').refine(
        (v) => v === null || v >= 1,
        'The high end of the range must be 1 or more (1.5 means 50% above the estimate)',
      ),
      notes: optionalText(5000),
    })
    .superRefine((line, ctx) => {
      if (line.from !== null && line.to !== null && line.to < line.from) {
        ctx.addIssue({ code: 'custom', path: ['to'], message: `The last year must be ${line.from} or later: it cannot be before the first year` })
      }
      if ((line.rangeLow === null) !== (line.rangeHigh === null)) {
        const missing = line.rangeLow === null ? 'rangeLow' : 'rangeHigh'
        ctx.addIssue({ code: 'custom', path: [missing], message: 'Enter both ends of the range, or neither' })
      }
    })
    .transform(
      (line): MoneyLineDetails => ({
        kind,
        label: line.label,
        category: line.category,
        capital: kind === 'cost' && line.type === 'capital',
        amount: line.amount,
        fromYear: (line.from as number) - baseYear,
        toYear: (line.to ?? (line.from as number)) - baseYear,
        growth: (line.growth ?? 0) / 100,
        optimismBias: kind === 'cost' && typeof line.optimismBias === 'number' ? line.optimismBias / 100 : null,
        range: line.rangeLow !== null && line.rangeHigh !== null ? { low: line.rangeLow, high: line.rangeHigh } : null,
        notes: line.notes,
      }),
    ) as unknown as z.ZodType<MoneyLineDetails, FormValues>
}

export function parseMoneyLine(kind: 'cost' | 'benefit', baseYear: number, values: FormValues): FormResult<MoneyLineDetails> {
  const parsed = parseForm(moneyLineSchema(kind, baseYear), values)
  if (parsed.ok) return parsed
  // Problems in the order of the fields, as the form shows them (the year check runs last).
  const order = (field: string) => moneyLineFields.indexOf(field as (typeof moneyLineFields)[number])
  const errors = Object.fromEntries(Object.entries(parsed.errors).sort(([a], [b]) => order(a) - order(b)))
  return { ...parsed, errors }
}

export const sunkCostSchema: z.ZodType<SunkCostDetails, FormValues> = z.object({
  label: requiredText('Enter a label for the sunk cost'),
  category: optionalText(100),
  amount: amountField('the amount spent'),
  notes: optionalText(5000),
}) as unknown as z.ZodType<SunkCostDetails, FormValues>

export function parseSunkCost(values: FormValues): FormResult<SunkCostDetails> {
  return parseForm(sunkCostSchema, values)
}

/** A stored fraction as the percentage people type: 0.035 → "3.5" (no float noise such as 3.5000000000000004). */
export function percentText(fraction: number): string {
  return String(Number((fraction * 100).toPrecision(12)))
}

/** A stored line as the form shows it for editing. */
export function moneyLineValues(line: MoneyLine, baseYear: number): FormValues {
  return {
    label: line.label,
    category: line.category ?? '',
    type: line.capital === 1 ? 'capital' : 'operating',
    amount: String(line.amount),
    from: String(baseYear + line.from_year),
    to: String(baseYear + line.to_year),
    growth: line.growth === 0 ? '' : percentText(line.growth),
    optimismBias: line.optimism_bias === null ? '' : percentText(line.optimism_bias),
    rangeLow: line.range_low === null ? '' : String(line.range_low),
    rangeHigh: line.range_high === null ? '' : String(line.range_high),
    notes: line.notes ?? '',
  }
}

export function sunkCostValues(sunkCost: SunkCost): FormValues {
  return { label: sunkCost.label, category: sunkCost.category ?? '', amount: String(sunkCost.amount), notes: sunkCost.notes ?? '' }
}
