import { Hono } from 'hono'
import { z } from 'zod'
import type { AppDeps } from '../app.js'
import { actorOf, evaluationOf } from '../auth/guard.js'
import {
  BOUNDS,
  LIMITS,
  MAX_APPRAISAL_YEARS,
  OPTIMISM_BIAS_PRESET_IDS,
  OPTIMISM_BIAS_PRESETS,
  withinPreset,
  type DiscountSetting,
  type OptimismBiasPreset,
  type OptimismBiasPresetId,
} from '../appraisal/index.js'
import { saveAppraisalSettings, type AppraisalSettings } from '../db/appraisal-settings.js'
import type { Evaluation } from '../db/schema.js'
import type { FieldErrors, FormValues } from '../../views/components/form.js'
import { SettingsPage } from '../../views/pages/settings.js'
import { formValues, integerField, numberField, optionalText, parseForm, type FormResult } from './form.js'
import { optionalPercent, percentBound, percentText, percentWithin } from './typed-numbers.js'
import { planReasonOf, unlessPlanRefuses } from './plan-reason.js'
import { render } from './render.js'

const currencies = new Set(Intl.supportedValuesOf('currency'))

function requiredPercent(required: string, invalid: string) {
  return optionalPercent(invalid).refine((v) => v !== null, required)
}

const splitWeight = (which: string) =>
  numberField({ required: `Enter the weight of ${which}, or 0`, invalid: `The weight of ${which} must be a number, like 60` }).pipe(
    z
      .number()
      .min(0, `The weight of ${which} must be 0 or more`)
      .max(BOUNDS.weight.max, `The weight of ${which} must be ${BOUNDS.weight.max.toLocaleString('en-GB')} or less`),
  )

const OPTIMISM_BIAS_TOO_HIGH = `The optimism bias must be at most ${percentBound(BOUNDS.optimismBias.max, false)}`

/** Said of the discount rate and of each band of a schedule. */
const RATE_RANGE = `from ${percentBound(BOUNDS.discountRate.min)} to ${percentBound(BOUNDS.discountRate.max)}`

const settingsForm = z
  .object({
    currency: z
      .string({ error: 'Enter the currency, such as GBP' })
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{3}$/, 'Enter a three-letter currency code, such as GBP')
      .refine((code) => currencies.has(code), 'Enter a currency code that exists, such as GBP, EUR or USD'),
    baseYear: integerField({ required: 'Enter the base year', invalid: 'The base year must be a year, like 2025' }).pipe(
      z
        .number()
        .min(BOUNDS.baseYear.min, `The base year must be ${BOUNDS.baseYear.min} or later`)
        .max(BOUNDS.baseYear.max, `The base year must be ${BOUNDS.baseYear.max} or earlier`),
    ),
    years: integerField({ required: 'Enter the appraisal period', invalid: 'The appraisal period must be a whole number of years, like 10' }).pipe(
      z
        .number()
        .min(1, 'The appraisal period must be at least 1 year')
        .max(MAX_APPRAISAL_YEARS, `The appraisal period must be ${MAX_APPRAISAL_YEARS} years or fewer`),
    ),
    discount: z.enum(['green-book', 'green-book-health', 'none', 'rate', 'schedule'], { error: 'Choose how to discount' }),
    discountRate: z.string().optional(),
    discountSchedule: z.string().optional(),
    optimismBiasPreset: z.union([z.literal(''), z.enum(OPTIMISM_BIAS_PRESET_IDS)], { error: 'Choose a project type from the list, or none' }).default(''),
    // Blank takes the chosen project type's upper bound; without one, a figure is required (see parseSettings).
    optimismBiasCapital: optionalPercent('The optimism bias must be a percentage, like 20')
      .refine((v) => v === null || v >= 0, 'The optimism bias must not be negative')
      .refine(percentWithin(BOUNDS.optimismBias), OPTIMISM_BIAS_TOO_HIGH),
    optimismBiasOperating: optionalPercent('The optimism bias must be a percentage, like 10')
      .refine((v) => v === null || v >= 0, 'The optimism bias must not be negative')
      .refine(percentWithin(BOUNDS.optimismBias), OPTIMISM_BIAS_TOO_HIGH),
    optimismBiasNote: z
      .string()
      .trim()
      .max(LIMITS.longText, `The reasons must be at most ${LIMITS.longText.toLocaleString('en-GB')} characters`)
      .optional(),
    splitQuality: splitWeight('quality'),
    splitCost: splitWeight('cost'),
    priceFormula: z.enum(['relative-to-lowest', 'price-per-quality-point'], { error: 'Choose how the price score is worked out' }),
    priceBasis: optionalText(LIMITS.longText),
  })
  .superRefine((form, ctx) => {
    if (form.splitQuality + form.splitCost <= 0) {
      ctx.addIssue({ code: 'custom', path: ['splitQuality'], message: 'Quality and cost cannot both weigh 0' })
    }
  })

const rateField = requiredPercent('Enter the discount rate', 'The discount rate must be a percentage, like 3.5').refine(
  percentWithin(BOUNDS.discountRate),
  `The discount rate must be ${RATE_RANGE}`,
)

const SCHEDULE_LINE = /^(?:year\s*)?(\d+)\s*[:=,;]?\s*([-+]?(?:\d+\.?\d*|\.\d+))\s*%?$/i

/** "1: 3.5" a line → [{ fromYear: 1, rate: 0.035 }]; a message for the first problem. */
export function readSchedule(text: string): { ok: true; schedule: { fromYear: number; rate: number }[] } | { ok: false; message: string } {
  const lines = text.split(/\r\n|\r|\n/).map((l) => l.trim())
  const schedule: { fromYear: number; rate: number }[] = []
  for (const [i, line] of lines.entries()) {
    if (line === '') continue
    const match = SCHEDULE_LINE.exec(line)
    if (match === null) return { ok: false, message: `Line ${i + 1} of the schedule must be a year and a rate, like ‘1: 3.5’` }
    const fromYear = Number(match[1])
    const percent = Number(match[2])
    if (!percentWithin(BOUNDS.discountRate)(percent)) return { ok: false, message: `Line ${i + 1} of the schedule: the rate must be ${RATE_RANGE}` }
    if (fromYear > MAX_APPRAISAL_YEARS - 1)
      return { ok: false, message: `Line ${i + 1} of the schedule: the year must be ${MAX_APPRAISAL_YEARS - 1} or earlier` }
    const previous = schedule.at(-1)
    if (previous !== undefined && fromYear <= previous.fromYear) {
      return { ok: false, message: `Line ${i + 1} of the schedule: each band must start after the one before (year ${previous.fromYear})` }
    }
    schedule.push({ fromYear, rate: percent / 100 })
  }
  if (schedule.length === 0) return { ok: false, message: 'Enter at least one band, like ‘1: 3.5’' }
  if (schedule.length > LIMITS.discountBands) return { ok: false, message: `A schedule can have at most ${LIMITS.discountBands} bands` }
  return { ok: true, schedule }
}

const KIND_WORDS = { capital: 'capital', operating: 'operating' } as const

/**
 * The optimism bias defaults: a blank figure takes the chosen project type's upper bound (the
 * guidance's starting point), a typed one must lie within its bounds; without a project type both
 * figures are required. Null, with the message beside the field, when they do not hold.
 */
function optimismBiasOf(
  form: {
    optimismBiasPreset: '' | OptimismBiasPresetId
    optimismBiasCapital: number | null
    optimismBiasOperating: number | null
    optimismBiasNote?: string | undefined
  },
  errors: FieldErrors,
): AppraisalSettings['optimismBias'] | null {
  const preset = form.optimismBiasPreset === '' ? undefined : form.optimismBiasPreset
  const uplift = (kind: 'capital' | 'operating', typed: number | null, field: string): number | null => {
    const bounds = preset === undefined ? undefined : (OPTIMISM_BIAS_PRESETS[preset] as OptimismBiasPreset)[kind]
    if (typed === null) {
      if (bounds !== undefined) return bounds.upper
      errors[field] =
        `Enter the optimism bias for ${KIND_WORDS[kind]} lines, or 0${preset === undefined ? '' : `: ${OPTIMISM_BIAS_PRESETS[preset].name} gives no ${KIND_WORDS[kind]} figure`}`
      return null
    }
    if (preset !== undefined && bounds !== undefined && !withinPreset(preset, kind, typed / 100)) {
      errors[field] =
        `${OPTIMISM_BIAS_PRESETS[preset].name}: the ${KIND_WORDS[kind]} uplift must be between ${percentText(bounds.lower)}% and ${percentText(bounds.upper)}%. ` +
        'Leave it blank for the upper bound, or choose no project type to use another figure'
      return null
    }
    return typed / 100
  }
  const capital = uplift('capital', form.optimismBiasCapital, 'optimismBiasCapital')
  const operating = uplift('operating', form.optimismBiasOperating, 'optimismBiasOperating')
  if (capital === null || operating === null) return null
  const note = form.optimismBiasNote === undefined || form.optimismBiasNote === '' ? undefined : form.optimismBiasNote
  return { capital, operating, ...(preset === undefined ? {} : { preset }), ...(note === undefined ? {} : { note }) }
}

function parseSettings(values: FormValues): FormResult<AppraisalSettings> {
  const parsed = parseForm(settingsForm, values)
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors }
  let discount: DiscountSetting | null = null
  if (values.discount === 'rate') {
    const rate = rateField.safeParse(values.discountRate ?? '')
    if (rate.success) discount = { rate: (rate.data as number) / 100 }
    else errors.discountRate = rate.error.issues[0]?.message ?? 'Enter the discount rate'
  } else if (values.discount === 'schedule') {
    const schedule = readSchedule(values.discountSchedule ?? '')
    if (schedule.ok) discount = { schedule: schedule.schedule }
    else errors.discountSchedule = schedule.message
  } else if (parsed.ok) {
    discount = parsed.data.discount as DiscountSetting
  }
  const bias = parsed.ok ? optimismBiasOf(parsed.data, errors) : null
  if (!parsed.ok || discount === null || bias === null || Object.keys(errors).length > 0) return { ok: false, errors, values }
  const form = parsed.data
  return {
    ok: true,
    data: {
      currency: form.currency,
      baseYear: form.baseYear,
      years: form.years,
      discount,
      optimismBias: bias,
      split: { quality: form.splitQuality, cost: form.splitCost },
      priceFormula: form.priceFormula,
      priceBasis: form.priceBasis,
    },
  }
}

function settingsValues(evaluation: Evaluation): FormValues {
  const discount = JSON.parse(evaluation.discount) as DiscountSetting
  const values: FormValues = {
    currency: evaluation.currency,
    baseYear: String(evaluation.base_year),
    years: String(evaluation.years),
    discount: typeof discount === 'string' ? discount : 'rate' in discount ? 'rate' : 'schedule',
    discountRate: typeof discount === 'object' && 'rate' in discount ? percentText(discount.rate) : '',
    discountSchedule:
      typeof discount === 'object' && 'schedule' in discount ? discount.schedule.map((b) => `${b.fromYear}: ${percentText(b.rate)}`).join('\n') : '',
    optimismBiasCapital: percentText(evaluation.optimism_bias_capital),
    optimismBiasOperating: percentText(evaluation.optimism_bias_operating),
    optimismBiasPreset: evaluation.optimism_bias_preset ?? '',
    optimismBiasNote: evaluation.optimism_bias_note ?? '',
    splitQuality: String(evaluation.split_quality),
    splitCost: String(evaluation.split_cost),
    priceFormula: evaluation.price_formula,
    priceBasis: evaluation.price_basis ?? '',
  }
  return values
}

/**
 * The appraisal settings of an evaluation: prices, period, discounting, optimism bias defaults,
 * the quality/cost split and the price formula. Who may change them is the access table's rule.
 */
export function settingsRoutes({ db }: AppDeps): Hono {
  const app = new Hono()

  async function countLines(evaluationId: number): Promise<number> {
    const row = await db
      .selectFrom('money_line')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('evaluation_id', '=', evaluationId)
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  app.get('/', async (c) => {
    const evaluation = evaluationOf(c)
    return render(
      c,
      <SettingsPage
        evaluation={evaluation}
        values={settingsValues(evaluation)}
        errors={{}}
        saved={c.req.query('saved') === '1'}
        lineCount={await countLines(evaluation.id)}
      />,
    )
  })

  app.post('/', async (c) => {
    const evaluation = evaluationOf(c)
    const values = formValues(await c.req.parseBody())
    const parsed = parseSettings(values)
    if (!parsed.ok) {
      return render(
        c,
        <SettingsPage evaluation={evaluation} values={values} errors={parsed.errors} saved={false} lineCount={await countLines(evaluation.id)} />,
        422,
      )
    }
    const change = await unlessPlanRefuses(() => saveAppraisalSettings(db, actorOf(c), evaluation.id, parsed.data, planReasonOf(values)))
    if (change.refused !== null) {
      const page = (
        <SettingsPage
          evaluation={evaluation}
          values={values}
          errors={{ planReason: change.refused }}
          saved={false}
          lineCount={await countLines(evaluation.id)}
        />
      )
      return render(c, page, 422)
    }
    return c.redirect(`/evaluations/${evaluation.id}/settings?saved=1`, 303)
  })

  return app
}
