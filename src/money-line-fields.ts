// One home for the fields of a cost or benefit line, and of a sunk cost. Each field is one entry of
// a table saying where it lives in every shape a line takes: the app's details, the database row,
// the evaluation file, the form (its words and rules), the CSV (its column) and the history page
// (its words and how its values read). The mappings below are derived from the table, so a new
// field is one entry here, plus its column (a migration and the table type) and its place in the
// file schema. See docs/decisions/0010-one-home-for-each-rule.md.

import { z } from 'zod'
import { BOUNDS } from './appraisal/index.js'
import type { FormValues } from '../views/components/form.js'
import type { FieldWords } from './db/audit-words.js'
import type { MoneyLine, MoneyLineTable, SunkCost, SunkCostTable } from './db/schema.js'
import { optionalText, parseForm, requiredText, type FormResult } from './routes/form.js'
import { amountField, optionalMultiplier, optionalPercent, percentBound, percentText, percentWithin, yearField } from './routes/typed-numbers.js'

export type LineKind = 'cost' | 'benefit'

/** What a field's words may depend on: the line's kind and the evaluation's settings. */
export interface FieldWordsContext {
  kind: LineKind | 'sunk'
  baseYear: number
  lastYear: number
  currency: string
  optimismBias: { capital: number; operating: number }
  /** Formats a fraction as a whole percentage, as the page does. */
  percent: (fraction: number) => string
}

export interface FieldSpec<K extends string = string, V = unknown> {
  /** The name in the app's details of a line (and of its form field, unless `form.name` says). */
  key: K
  /** The kinds of line that carry the field; the others hold `absent`. */
  kinds: readonly (LineKind | 'sunk')[]
  absent: V
  /** The value when none is given (a blank cell, a field left out of the file), from the rest of the line. */
  blank: (line: Record<string, unknown>) => V
  /** The database column, and the value's form there. */
  column: Exclude<keyof MoneyLineTable, 'id' | 'evaluation_id' | 'option_id' | 'kind' | 'position'>
  toRow: (value: V) => unknown
  fromRow: (stored: never) => V
  /** The path in the evaluation file's line ('range.low' is `range: { low }`); absent or null is left out. */
  file: string
  form: {
    /** The form field's name, also the key of a CSV column's cell. */
    name: string
    control: 'text' | 'textarea' | 'select' | 'checkbox'
    label: (ctx: FieldWordsContext) => string
    hint?: (ctx: FieldWordsContext) => string | undefined
    width?: 'half' | 'short'
    /** Takes the whole row of the form's grid. */
    wide?: boolean
    /** The id of a list of suggestions. */
    list?: (ctx: FieldWordsContext) => string
    choices?: readonly { value: string; label: string }[]
    /**
     * The rule for what was typed: the value, or null for a blank (then `blank` gives the value).
     * `baseYear` turns calendar years into year indexes.
     */
    rule: (kind: LineKind | 'sunk', baseYear: number) => z.ZodType<V | null, string | undefined>
    /** The value as typed: the form's text for editing, and the CSV's cell. */
    text: (value: V, baseYear: number) => string
  }
  csv: {
    name: string
    /** Other headers accepted, compared without case, spaces or punctuation. */
    aliases: readonly string[]
    required?: boolean
    meaning: string
    /** Written as a number, so a spreadsheet sums it. */
    numeric?: boolean
    /** Turns a spreadsheet's way of writing the value into the form's; a string is the problem with it. */
    normalise?: (cell: string) => { text: string } | string
    /** Whether a cell gives the field a value (on a line that must not have one). */
    given?: (cell: string) => boolean
    /** Why a benefit line's cell must be blank. */
    notOnBenefits?: string
  }
  /** The field in the history page's words, and how its values read there. */
  history: FieldWords
}

// ---------------------------------------------------------------------------------------------
// Kinds of field

const optional = <T>(rule: z.ZodType<T, string | undefined>) => rule as unknown as z.ZodType<T | null, string | undefined>

/** Words a spreadsheet or a person may use for yes and no; blank is neither. */
const YES = new Set(['yes', 'y', 'true', '1', 'on'])
const NO = new Set(['no', 'n', 'false', '0', 'off'])

/** Whether a form's or a CSV cell's text says yes. */
export function isYes(text: string | undefined): boolean {
  return YES.has((text ?? '').trim().toLowerCase())
}

/** A yes-or-no field: a checkbox in the form (with a hidden "no" before it), yes or no in the CSV. */
export function flagRule(question: string) {
  return z
    .string()
    .optional()
    .transform((v) => (v ?? '').trim().toLowerCase())
    .refine((v) => v === '' || YES.has(v) || NO.has(v), `${question} must be yes or no`)
    .transform((v) => (v === '' ? null : YES.has(v)))
}

function text<K extends 'category' | 'notes'>(
  key: K,
  spec: Pick<FieldSpec<K, string | null>, 'kinds' | 'csv' | 'history'> & {
    form: Omit<FieldSpec['form'], 'rule' | 'text' | 'name' | 'control'> & { max: number; control?: 'text' | 'textarea' }
  },
): FieldSpec<K, string | null> {
  const { max, control, ...form } = spec.form
  return {
    key,
    kinds: spec.kinds,
    absent: null,
    blank: () => null,
    column: key,
    toRow: (v) => v,
    fromRow: (v: string | null) => v,
    file: key,
    form: { ...form, name: key, control: control ?? 'text', rule: () => optionalText(max), text: (v) => v ?? '' },
    csv: spec.csv,
    history: spec.history,
  }
}

// ---------------------------------------------------------------------------------------------
// The fields of a cost or benefit line, in the order the form, the CSV and the history show them

const COST: readonly LineKind[] = ['cost']
const LINES: readonly LineKind[] = ['cost', 'benefit']

const label: FieldSpec<'label', string> = {
  key: 'label',
  kinds: ['cost', 'benefit', 'sunk'],
  absent: '',
  blank: () => '',
  column: 'label',
  toRow: (v) => v,
  fromRow: (v: string) => v,
  file: 'label',
  form: {
    name: 'label',
    control: 'text',
    wide: true,
    label: () => 'Label',
    hint: ({ kind }) =>
      kind === 'cost'
        ? 'What the money is for, such as ‘Licences and annual support’.'
        : kind === 'benefit'
          ? 'What the benefit is, such as ‘Officer time released’.'
          : 'Such as ‘Build of the current system to date’.',
    rule: (kind) => requiredText(`Enter a label for the ${kind === 'sunk' ? 'sunk cost' : `${kind} line`}`),
    text: (v) => v,
  },
  csv: { name: 'label', aliases: ['description', 'item', 'line'], required: true, meaning: 'What the money is for.' },
  history: { words: 'Label' },
}

const category = text('category', {
  kinds: ['cost', 'benefit', 'sunk'],
  form: {
    max: 100,
    label: () => 'Category (optional)',
    hint: ({ kind }) => (kind === 'sunk' ? undefined : 'Choose a suggestion or type your own.'),
    list: ({ kind }) => (kind === 'cost' ? 'cost-categories' : kind === 'benefit' ? 'benefit-categories' : 'sunk-cost-categories'),
  },
  csv: { name: 'category', aliases: [], meaning: 'Free text, such as licences or migration.' },
  history: { words: 'Category' },
})

const CAPITAL_WORDS: Record<string, 'capital' | 'operating'> = {
  '': 'operating',
  operating: 'operating',
  opex: 'operating',
  no: 'operating',
  n: 'operating',
  false: 'operating',
  '0': 'operating',
  capital: 'capital',
  capex: 'capital',
  yes: 'capital',
  y: 'capital',
  true: 'capital',
  '1': 'capital',
}

const capital: FieldSpec<'capital', boolean> = {
  key: 'capital',
  kinds: COST,
  absent: false,
  blank: () => false,
  column: 'capital',
  toRow: (v) => (v ? 1 : 0),
  fromRow: (v: number) => v === 1,
  file: 'capital',
  form: {
    name: 'type',
    control: 'select',
    label: () => 'Capital or operating',
    hint: () => 'Capital: one-off investment. Operating: running costs.',
    choices: [
      { value: 'operating', label: 'Operating' },
      { value: 'capital', label: 'Capital' },
    ],
    rule: () =>
      optional(
        z
          .enum(['operating', 'capital'], { error: 'Choose capital or operating' })
          .optional()
          .default('operating')
          .transform((v) => v === 'capital'),
      ),
    text: (v) => (v ? 'capital' : 'operating'),
  },
  csv: {
    name: 'capital_or_operating',
    aliases: ['capital', 'capitaloroperating', 'costtype'],
    meaning: 'capital or operating (blank: operating). Costs only.',
    normalise: (cell) => {
      const word = CAPITAL_WORDS[headerKey(cell)]
      return word === undefined ? `capital_or_operating must be capital or operating, not “${cell.trim()}”` : { text: word }
    },
    given: (cell) => CAPITAL_WORDS[headerKey(cell)] === 'capital',
    notOnBenefits: 'A benefit line cannot be capital: leave capital_or_operating blank',
  },
  history: { words: 'Capital', reads: 'yes-no' },
}

const cash: FieldSpec<'cash', boolean> = {
  key: 'cash',
  kinds: LINES,
  absent: true,
  blank: () => true,
  column: 'cash',
  toRow: (v) => (v ? 1 : 0),
  fromRow: (v: number) => v === 1,
  file: 'cash',
  form: {
    name: 'cash',
    control: 'checkbox',
    label: ({ kind }) => (kind === 'benefit' ? 'Cash-releasing' : 'Cash cost'),
    hint: ({ kind }) =>
      kind === 'benefit'
        ? 'Money the organisation stops spending or gains, such as a contract ended. Untick for a benefit valued in money that releases no cash, such as officer time saved.'
        : 'Money the organisation pays out. Untick for an economic cost that is not cash, such as staff time valued in money.',
    rule: () => flagRule('Cash'),
    text: (v) => (v ? 'yes' : 'no'),
  },
  csv: {
    name: 'cash',
    aliases: ['cashcost', 'cashreleasing', 'iscash'],
    meaning: 'yes or no (blank: yes). No for a cost or benefit valued in money that is not cash, such as staff time.',
  },
  history: { words: 'Cash', reads: 'yes-no' },
}

const price: FieldSpec<'price', boolean> = {
  key: 'price',
  kinds: COST,
  absent: false,
  blank: (line) => line.cash as boolean,
  column: 'price',
  toRow: (v) => (v ? 1 : 0),
  fromRow: (v: number) => v === 1,
  file: 'price',
  form: {
    name: 'price',
    control: 'checkbox',
    label: () => 'Part of the tendered price',
    hint: () =>
      'What the supplier charges, which the price score compares between tenders (without optimism bias). Untick for the organisation’s own costs, such as its staff time or running the old system alongside.',
    rule: () => flagRule('Part of the tendered price'),
    text: (v) => (v ? 'yes' : 'no'),
  },
  csv: {
    name: 'price',
    aliases: ['tenderedprice', 'partofprice', 'partofthetenderedprice'],
    meaning: 'yes or no: part of the tendered price (blank: the same as cash). Costs only; a cost that is not cash cannot be.',
    notOnBenefits: 'Benefit lines are never part of the tendered price: leave price blank',
  },
  history: { words: 'Part of the tendered price', reads: 'yes-no' },
}

const amount: FieldSpec<'amount', number> = {
  key: 'amount',
  kinds: ['cost', 'benefit', 'sunk'],
  absent: 0,
  blank: () => 0,
  column: 'amount',
  toRow: (v) => v,
  fromRow: (v: number) => v,
  file: 'amount',
  form: {
    name: 'amount',
    control: 'text',
    width: 'half',
    label: ({ kind, currency }) => (kind === 'sunk' ? `Amount spent (${currency})` : `Amount per year (${currency})`),
    hint: ({ kind, baseYear }) =>
      kind === 'sunk'
        ? 'The total already spent or committed whatever is chosen.'
        : `In real ${baseYear} prices${kind === 'cost' ? ', before optimism bias' : ''}. £ signs and commas are fine.`,
    rule: (kind) => amountField(kind === 'sunk' ? 'the amount spent' : 'the amount per year'),
    text: (v) => String(v),
  },
  csv: {
    name: 'amount',
    aliases: ['amountperyear', 'annualamount'],
    required: true,
    numeric: true,
    meaning: 'Per year, in real base-year prices; £ signs and thousands separators are fine.',
  },
  history: { words: 'Amount', reads: 'money' },
}

const fromYear: FieldSpec<'fromYear', number> = {
  key: 'fromYear',
  kinds: LINES,
  absent: 0,
  blank: () => 0,
  column: 'from_year',
  toRow: (v) => v,
  fromRow: (v: number) => v,
  file: 'from',
  form: {
    name: 'from',
    control: 'text',
    width: 'short',
    label: () => 'First year',
    hint: ({ baseYear, lastYear }) => `A calendar year; the appraisal runs ${baseYear}–${lastYear}. 2025-26 counts as 2025.`,
    rule: (_kind, baseYear) => optional(yearField(baseYear, 'first', false).transform((v) => (v as number) - baseYear)),
    text: (v, baseYear) => String(baseYear + v),
  },
  csv: {
    name: 'first_year',
    aliases: ['from', 'fromyear', 'startyear'],
    numeric: true,
    meaning: 'Calendar year such as 2025, or a financial year such as 2025-26. Needed for costs and benefits.',
  },
  history: { words: 'From year', reads: 'as-is' },
}

const toYear: FieldSpec<'toYear', number> = {
  key: 'toYear',
  kinds: LINES,
  absent: 0,
  blank: (line) => line.fromYear as number,
  column: 'to_year',
  toRow: (v) => v,
  fromRow: (v: number) => v,
  file: 'to',
  form: {
    name: 'to',
    control: 'text',
    width: 'short',
    label: () => 'Last year (optional)',
    hint: () => 'Blank: the first year only (a one-off).',
    rule: (_kind, baseYear) => yearField(baseYear, 'last', true).transform((v) => (v === null ? null : v - baseYear)),
    text: (v, baseYear) => String(baseYear + v),
  },
  csv: { name: 'last_year', aliases: ['to', 'toyear', 'endyear'], numeric: true, meaning: 'Blank: the first year only.' },
  history: { words: 'To year', reads: 'as-is' },
}

const growth: FieldSpec<'growth', number> = {
  key: 'growth',
  kinds: LINES,
  absent: 0,
  blank: () => 0,
  column: 'growth',
  toRow: (v) => v,
  fromRow: (v: number) => v,
  file: 'growth',
  form: {
    name: 'growth',
    control: 'text',
    width: 'short',
    label: () => 'Real growth per year, % (optional)',
    hint: () => 'Change above general inflation, as a percentage: 2 means 2% a year (stored as 0.02). Blank: none.',
    rule: () =>
      optionalPercent('Real growth must be a percentage, like 2 for 2% a year or -1 for a fall of 1% a year')
        .refine(percentWithin(BOUNDS.growth), `Real growth must be from ${percentBound(BOUNDS.growth.min)} to ${percentBound(BOUNDS.growth.max)} a year`)
        .transform((v) => (v === null ? null : v / 100)),
    text: (v) => (v === 0 ? '' : percentText(v)),
  },
  csv: {
    name: 'growth_percent',
    aliases: ['growth', 'realgrowth', 'realgrowthpercent'],
    numeric: true,
    meaning: 'Real change per year in percent (2 = 2%). Blank: 0.',
  },
  history: { words: 'Growth a year', reads: 'percent' },
}

const optimismBias: FieldSpec<'optimismBias', number | null> = {
  key: 'optimismBias',
  kinds: COST,
  absent: null,
  blank: () => null,
  column: 'optimism_bias',
  toRow: (v) => v,
  fromRow: (v: number | null) => v,
  file: 'optimismBias',
  form: {
    name: 'optimismBias',
    control: 'text',
    width: 'short',
    label: () => 'Optimism bias, % (optional)',
    hint: ({ optimismBias: bias, percent }) =>
      `As a percentage: 20 means costs are raised by 20% (stored as 0.2). Blank: the default, ${percent(bias.capital)} for capital and ${percent(bias.operating)} for operating lines.`,
    rule: () =>
      optionalPercent('Optimism bias must be a percentage, like 20 for 20%')
        .refine((v) => v === null || v >= 0, 'Optimism bias must not be negative')
        .refine(percentWithin(BOUNDS.optimismBias), `Optimism bias must be at most ${percentBound(BOUNDS.optimismBias.max, false)}`)
        .transform((v) => (v === null ? null : v / 100)),
    text: (v) => (v === null ? '' : percentText(v)),
  },
  csv: {
    name: 'optimism_bias_percent',
    aliases: ['optimismbias', 'ob'],
    numeric: true,
    meaning: 'Percent (20 = 20%). Blank: the appraisal’s default. Costs only.',
    notOnBenefits: 'Benefit lines take no optimism bias: leave optimism_bias_percent blank',
  },
  history: { words: 'Optimism bias', reads: 'percent' },
}

const rangeLow: FieldSpec<'rangeLow', number | null> = {
  key: 'rangeLow',
  kinds: LINES,
  absent: null,
  blank: () => null,
  column: 'range_low',
  toRow: (v) => v,
  fromRow: (v: number | null) => v,
  file: 'range.low',
  form: {
    name: 'rangeLow',
    control: 'text',
    width: 'short',
    label: () => 'Range: low (optional)',
    hint: () => 'A multiplier from 0 to 1 for the low case: 0.9 means 10% below.',
    rule: () =>
      optionalMultiplier('The low end of the range must be a number, like 0.9').refine(
        (v) => v === null || (v >= BOUNDS.rangeLow.min && v <= BOUNDS.rangeLow.max),
        'The low end of the range must be from 0 to 1 (0.9 means 10% below the estimate)',
      ),
    text: (v) => (v === null ? '' : String(v)),
  },
  csv: { name: 'range_low', aliases: ['low'], numeric: true, meaning: 'Multiplier for the low case, 0 to 1 (0.9 = 10% below).' },
  history: { words: 'Range, low' },
}

const rangeHigh: FieldSpec<'rangeHigh', number | null> = {
  ...(rangeLow as unknown as FieldSpec<'rangeHigh', number | null>),
  key: 'rangeHigh',
  column: 'range_high',
  file: 'range.high',
  form: {
    name: 'rangeHigh',
    control: 'text',
    width: 'short',
    label: () => 'Range: high (optional)',
    hint: () => 'A multiplier of 1 or more for the high case: 1.5 means 50% above. Used by the Monte Carlo analysis.',
    rule: () =>
      optionalMultiplier('The high end of the range must be a number, like 1.5').refine(
        (v) => v === null || (v >= BOUNDS.rangeHigh.min && v <= BOUNDS.rangeHigh.max),
        `The high end of the range must be from 1 to ${BOUNDS.rangeHigh.max} (1.5 means 50% above the estimate)`,
      ),
    text: (v) => (v === null ? '' : String(v)),
  },
  csv: { name: 'range_high', aliases: ['high'], numeric: true, meaning: 'Multiplier for the high case, 1 or more (1.5 = 50% above).' },
  history: { words: 'Range, high' },
}

const notes = text('notes', {
  kinds: ['cost', 'benefit', 'sunk'],
  form: {
    max: 5000,
    control: 'textarea',
    wide: true,
    label: () => 'Notes (optional)',
    hint: ({ kind }) => (kind === 'sunk' ? undefined : 'The basis of the estimate, for whoever checks it.'),
  },
  csv: { name: 'notes', aliases: ['note', 'comments'], meaning: 'The basis of the estimate.' },
  history: { words: 'Notes' },
})

/** Every field of a cost or benefit line, in order. A sunk cost has those marked for 'sunk'. */
export const LINE_FIELDS = [label, category, capital, cash, price, amount, fromYear, toYear, growth, optimismBias, rangeLow, rangeHigh, notes] as const

type ValueOf<F> = F extends FieldSpec<string, infer V> ? V : never

/** A cost or benefit line as the app handles it: years are year indexes, rates fractions. */
export type MoneyLineDetails = { kind: LineKind } & { [F in (typeof LINE_FIELDS)[number] as F['key']]: ValueOf<F> }

/** A sunk cost: money already spent, excluded from the appraisal. */
export interface SunkCostDetails {
  label: string
  category: string | null
  amount: number
  notes: string | null
}

/** Any one field of the table. */
export type AnyField = FieldSpec<string, unknown>
const FIELDS = LINE_FIELDS as readonly AnyField[]

/** The fields a kind of line carries, in order. */
export function fieldsOf(kind: LineKind | 'sunk'): readonly AnyField[] {
  return FIELDS.filter((f) => f.kinds.includes(kind))
}

/**
 * Checks between fields, run once each field is read: where the message goes and what it says, or
 * null. `baseYear` is for messages in calendar years.
 */
const LINE_CHECKS: readonly ((line: MoneyLineDetails, baseYear: number, typed: FormValues) => { field: string; message: string } | null)[] = [
  (line, baseYear, typed) =>
    (typed.to ?? '').trim() !== '' && line.toYear < line.fromYear
      ? { field: 'to', message: `The last year must be ${baseYear + line.fromYear} or later: it cannot be before the first year` }
      : null,
  (line) =>
    line.price && !line.cash
      ? { field: 'price', message: 'A cost that is not cash cannot be part of the tendered price: tick “Cash cost”, or untick “Part of the tendered price”' }
      : null,
  (line) =>
    (line.rangeLow === null) !== (line.rangeHigh === null)
      ? { field: line.rangeLow === null ? 'rangeLow' : 'rangeHigh', message: 'Enter both ends of the range, or neither' }
      : null,
]

// ---------------------------------------------------------------------------------------------
// The mappings, derived from the table

function complete(kind: LineKind | 'sunk', given: Record<string, unknown>): Record<string, unknown> {
  const line: Record<string, unknown> = kind === 'sunk' ? {} : { kind }
  for (const field of FIELDS) {
    if (kind === 'sunk' && !field.kinds.includes('sunk')) continue
    const value = field.kinds.includes(kind) ? given[field.key] : field.absent
    line[field.key] = value === null || value === undefined ? (field.kinds.includes(kind) ? field.blank(line) : field.absent) : value
  }
  return line
}

/** The database columns of a line (without its evaluation, option and position). */
export function moneyLineRow(line: MoneyLineDetails) {
  const row: Record<string, unknown> = { kind: line.kind }
  for (const field of FIELDS) row[field.column] = field.toRow(field.kinds.includes(line.kind) ? (line as Record<string, unknown>)[field.key] : field.absent)
  return row as Omit<MoneyLineTable, 'id' | 'evaluation_id' | 'option_id' | 'position'>
}

export function sunkCostRow(sunk: SunkCostDetails) {
  const row: Record<string, unknown> = {}
  for (const field of fieldsOf('sunk')) row[field.column] = field.toRow((sunk as unknown as Record<string, unknown>)[field.key])
  return row as Omit<SunkCostTable, 'id' | 'evaluation_id' | 'option_id' | 'position'>
}

/** A stored line as the app handles it. */
export function moneyLineDetails(row: MoneyLine): MoneyLineDetails {
  const line: Record<string, unknown> = { kind: row.kind }
  for (const field of FIELDS)
    line[field.key] = field.kinds.includes(row.kind) ? field.fromRow((row as Record<string, unknown>)[field.column] as never) : field.absent
  return line as MoneyLineDetails
}

export function sunkCostDetails(row: SunkCost): SunkCostDetails {
  const sunk: Record<string, unknown> = {}
  for (const field of fieldsOf('sunk')) sunk[field.key] = field.fromRow((row as Record<string, unknown>)[field.column] as never)
  return sunk as unknown as SunkCostDetails
}

/** A sunk cost's fields in the order exported files have always listed them (their bytes are hashed at sign-off). */
const SUNK_FILE_ORDER = ['label', 'amount', 'category', 'notes']

/** A line as the evaluation file writes it (without its option): fields at their paths, blanks left out. */
export function fileLine(kind: LineKind | 'sunk', line: MoneyLineDetails | SunkCostDetails): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const fields = kind === 'sunk' ? [...fieldsOf(kind)].sort((a, b) => SUNK_FILE_ORDER.indexOf(a.key) - SUNK_FILE_ORDER.indexOf(b.key)) : fieldsOf(kind)
  for (const field of fields) {
    const value = (line as unknown as Record<string, unknown>)[field.key]
    if (value === null || value === undefined) continue
    const path = field.file.split('.')
    let place = out
    for (const step of path.slice(0, -1)) {
      place[step] ??= {}
      place = place[step] as Record<string, unknown>
    }
    place[path.at(-1)!] = value
  }
  return out
}

/** A line of the evaluation file as the app handles it, with the defaults of what it leaves out. */
export function lineFromFile(kind: LineKind, line: Record<string, unknown>): MoneyLineDetails
export function lineFromFile(kind: 'sunk', line: Record<string, unknown>): SunkCostDetails
export function lineFromFile(kind: LineKind | 'sunk', line: Record<string, unknown>): MoneyLineDetails | SunkCostDetails {
  const given: Record<string, unknown> = {}
  for (const field of fieldsOf(kind)) {
    let value: unknown = line
    for (const step of field.file.split('.')) value = value === null || typeof value !== 'object' ? undefined : (value as Record<string, unknown>)[step]
    given[field.key] = value
  }
  return complete(kind, given) as unknown as MoneyLineDetails | SunkCostDetails
}

/** A line as the form shows it for editing (and as the CSV writes it). */
export function lineFormValues(kind: LineKind | 'sunk', line: MoneyLineDetails | SunkCostDetails, baseYear: number): FormValues {
  const values: FormValues = {}
  for (const field of fieldsOf(kind)) values[field.form.name] = field.form.text((line as unknown as Record<string, unknown>)[field.key], baseYear)
  return values
}

/** A stored line as the form shows it for editing. */
export function moneyLineValues(row: MoneyLine, baseYear: number): FormValues {
  return lineFormValues(row.kind, moneyLineDetails(row), baseYear)
}

export function sunkCostValues(row: SunkCost): FormValues {
  return lineFormValues('sunk', sunkCostDetails(row), 0)
}

/** The rules for one kind of line as a person types it, in the form or in a CSV row. */
function lineSchema(kind: LineKind | 'sunk', baseYear: number) {
  const fields = fieldsOf(kind)
  return z.object(Object.fromEntries(fields.map((f) => [f.form.name, f.form.rule(kind, baseYear)]))).transform((typed) => {
    const given = Object.fromEntries(fields.map((f) => [f.key, (typed as Record<string, unknown>)[f.form.name]]))
    return complete(kind, given)
  })
}

/** The problems in the order of the fields, as the form shows them. */
function inFieldOrder(kind: LineKind | 'sunk', errors: Record<string, string>): Record<string, string> {
  const names = fieldsOf(kind).map((f) => f.form.name)
  const order = (name: string) => (names.includes(name) ? names.indexOf(name) : names.length)
  return Object.fromEntries(Object.entries(errors).sort(([a], [b]) => order(a) - order(b)))
}

export function parseMoneyLine(kind: LineKind, baseYear: number, values: FormValues): FormResult<MoneyLineDetails> {
  const parsed = parseForm(lineSchema(kind, baseYear), values)
  if (!parsed.ok) return { ...parsed, errors: inFieldOrder(kind, parsed.errors) }
  const line = parsed.data as MoneyLineDetails
  const errors: Record<string, string> = {}
  for (const check of LINE_CHECKS) {
    const problem = check(line, baseYear, values)
    if (problem !== null) errors[problem.field] ??= problem.message
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors: inFieldOrder(kind, errors), values }
  return { ok: true, data: line }
}

export function parseSunkCost(values: FormValues): FormResult<SunkCostDetails> {
  return parseForm(lineSchema('sunk', 0), values) as FormResult<SunkCostDetails>
}

/** What a blank form of a kind shows: the values of the fields that are not blank by default (a ticked box). */
export function blankFormValues(kind: LineKind | 'sunk'): FormValues {
  const line = complete(kind, {})
  const values: FormValues = {}
  for (const field of fieldsOf(kind)) if (field.form.control === 'checkbox') values[field.form.name] = field.form.text(line[field.key], 0)
  return values
}

// ---------------------------------------------------------------------------------------------
// CSV columns and history words

export interface CsvColumn {
  /** The header the template and the export use. */
  name: string
  /** The form field the cell fills. */
  field: string
  /** Other headers accepted for it, compared without case, spaces or punctuation. */
  aliases: readonly string[]
  required: boolean
  meaning: string
}

export function headerKey(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '')
}

/** The import's and the export's columns: which option, which kind of line, then each field's. */
export const CSV_COLUMNS: readonly CsvColumn[] = [
  { name: 'option', field: 'option', aliases: ['optionid', 'optionname'], required: true, meaning: 'The option’s name or id, as on the options page.' },
  {
    name: 'type',
    field: 'kind',
    aliases: ['kind', 'linetype'],
    required: false,
    meaning: 'cost, benefit or sunk (money already spent, excluded from the appraisal). Blank means cost.',
  },
  ...FIELDS.map((f) => ({ name: f.csv.name, field: f.form.name, aliases: f.csv.aliases, required: f.csv.required === true, meaning: f.csv.meaning })),
]

/** The field whose cells a CSV column holds. */
export function csvField(column: CsvColumn): AnyField | undefined {
  return FIELDS.find((f) => f.form.name === column.field)
}

/** A line's cells in the CSV's columns after option and type: numbers as numbers, what the kind lacks blank. */
export function lineCsvCells(kind: LineKind | 'sunk', line: MoneyLineDetails | SunkCostDetails, baseYear: number): (string | number | null)[] {
  const values = lineFormValues(kind, line, baseYear)
  return FIELDS.map((f) => {
    const text = f.kinds.includes(kind) ? (values[f.form.name] ?? '') : ''
    return text === '' ? null : f.csv.numeric === true ? Number(text) : text
  })
}

/** The history's words for the columns a kind of record holds, in the table's order: lines (costs and benefits) or sunk costs. */
export function historyWords(record: 'line' | 'sunk'): Record<string, FieldWords> {
  return Object.fromEntries(FIELDS.filter((f) => record === 'line' || f.kinds.includes('sunk')).map((f) => [f.column, f.history]))
}
