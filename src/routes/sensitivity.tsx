import type { Context } from 'hono'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { z } from 'zod'
import type { AppDeps } from '../app.js'
import { evaluationOf } from '../auth/guard.js'
import {
  compareRankings,
  computeResults,
  DEFAULT_ITERATIONS,
  DEFAULT_SEED,
  MAX_ITERATIONS,
  weighCriteria,
  whatIf,
  type EvaluationFile,
  type SensitivityOptions,
  type WhatIfChange,
} from '../appraisal/index.js'
import { readEvaluationFile } from '../db/evaluation-file.js'
import type { Evaluation } from '../db/schema.js'
import type { FieldErrors, FormValues } from '../../views/components/form.js'
import { SensitivityPage } from '../../views/pages/sensitivity.js'
import { startingValue, WEIGHTS_ERROR, WhatIfUpdate, type WhatIfField, type WhatIfOutcomeView, type WhatIfPanelProps } from '../../views/partials/what-if.js'
import { formValues, numberField, parseForm } from './form.js'
import { runLong } from '../work/long-work.js'
import { requireModeratedUnlessLead } from './provisional.js'
import { isHtmx, render } from './render.js'

const ITERATIONS_MESSAGE = `The number of iterations must be a whole number from 1 to ${MAX_ITERATIONS.app.toLocaleString('en-GB')}`
const SEED_MESSAGE = 'The seed must be a whole number, like 1 or 42'

/** A whole number typed into the query string; blank or missing takes `fallback`. */
function wholeNumberQuery(fallback: number, message: string) {
  return z
    .string()
    .optional()
    .transform((v) => (v ?? '').trim().replace(/[,\s]/g, ''))
    .pipe(z.string().regex(/^([-+]?\d+)?$/, message))
    .transform((v) => (v === '' ? fallback : Number(v)))
}

/** The Monte Carlo settings from the query string: a tenth of what the appraise command allows, so no one request holds the server. */
const runQuery = z.object({
  iterations: wholeNumberQuery(DEFAULT_ITERATIONS, ITERATIONS_MESSAGE).pipe(z.number().min(1, ITERATIONS_MESSAGE).max(MAX_ITERATIONS.app, ITERATIONS_MESSAGE)),
  seed: wholeNumberQuery(DEFAULT_SEED, SEED_MESSAGE).pipe(z.number().refine(Number.isSafeInteger, SEED_MESSAGE)),
})

interface RunSettings {
  options: Required<SensitivityOptions>
  values: FormValues
  errors: FieldErrors
}

/** Reads ?iterations=N&seed=S. With a problem, the page shows it beside the field and runs the defaults. */
function readRunSettings(c: Context): RunSettings {
  const values: FormValues = { iterations: c.req.query('iterations'), seed: c.req.query('seed') }
  const parsed = parseForm(runQuery, values)
  const shown = { iterations: values.iterations ?? String(DEFAULT_ITERATIONS), seed: values.seed ?? String(DEFAULT_SEED) }
  if (!parsed.ok) return { options: { iterations: DEFAULT_ITERATIONS, seed: DEFAULT_SEED }, values: shown, errors: parsed.errors }
  return { options: parsed.data, values: shown, errors: {} }
}

/** The page's own address with its Monte Carlo settings, so the what-if form keeps them. */
function pageAddress(evaluation: Evaluation, c: Context): string {
  const query = new URLSearchParams()
  for (const name of ['iterations', 'seed']) {
    const value = c.req.query(name)
    if (value !== undefined) query.set(name, value)
  }
  const search = query.toString()
  return `/evaluations/${evaluation.id}/sensitivity${search === '' ? '' : `?${search}`}`
}

/** The controls of the what-if form: each scored top-level group or criterion, and the quality share. */
function whatIfFields(file: EvaluationFile): { weightFields: WhatIfField[]; qualityField: WhatIfField } {
  const weightFields = weighCriteria(file.criteria)
    .topLevel.filter((node) => node.role === 'scored' || node.role === 'group')
    .map((node) => ({ name: `weight-${node.id}`, label: node.name, current: 100 * node.share }))
  const { quality, cost } = file.split
  return { weightFields, qualityField: { name: 'quality', label: 'Quality share of the split', current: (100 * quality) / (quality + cost) } }
}

function shareField(label: string) {
  const between = `${label} must be from 0 to 100`
  return numberField({ required: `Enter ${label.toLowerCase()}, from 0 to 100`, invalid: `${label} must be a number, like 40 or 12.5` }).pipe(
    z.number().min(0, between).max(100, between),
  )
}

/**
 * A control left at its starting value (today's share, rounded for display) means today's share
 * exactly, so an untouched form reproduces today's ranking to full precision.
 */
function shareFrom(field: WhatIfField, typed: number): number {
  return typed === Number(startingValue(field)) ? field.current : typed
}

type WhatIfReading = { ok: true; outcome: WhatIfOutcomeView } | { ok: false; errors: FieldErrors }

/** Validates the what-if form and asks the engine for the ranking it gives; nothing is written. */
function readWhatIf(file: EvaluationFile, fields: ReturnType<typeof whatIfFields>, values: FormValues): WhatIfReading {
  const weighted = fields.weightFields.length > 1 ? fields.weightFields : []
  const schema = z.object(
    Object.fromEntries(
      [...weighted, fields.qualityField].map((field) => [
        field.name,
        shareField(field === fields.qualityField ? 'The quality share' : `The weight of ${field.label}`),
      ]),
    ),
  )
  const parsed = parseForm(schema, values)
  if (!parsed.ok) return { ok: false, errors: parsed.errors }
  const data = parsed.data as Record<string, number>
  // No prototype: a criterion may be called anything the file allows, "__proto__" included.
  const groupWeights: Record<string, number> = Object.create(null) as Record<string, number>
  for (const field of weighted) groupWeights[field.name.slice('weight-'.length)] = shareFrom(field, data[field.name] as number)
  const qualityShare = shareFrom(fields.qualityField, data[fields.qualityField.name] as number)
  const change: WhatIfChange = { groupWeights, qualityShare }
  const outcome = whatIf(file, change)
  if (!outcome.ok) {
    const errors: FieldErrors = {}
    for (const problem of outcome.errors) {
      if (problem.startsWith('groupWeights:')) errors[WEIGHTS_ERROR] ??= 'At least one group must have a weight above 0'
      else if (problem.startsWith('qualityShare')) errors[fields.qualityField.name] ??= 'The quality share must be from 0 to 100'
      else {
        const id = /^groupWeights\.([^:]+):/.exec(problem)?.[1]
        errors[id === undefined ? WEIGHTS_ERROR : `weight-${id}`] ??= 'This weight cannot be used: it must be a number from 0 to 100'
      }
    }
    return { ok: false, errors }
  }
  const shares = weighCriteria(file.criteria.map((node) => (Object.hasOwn(groupWeights, node.id) ? { ...node, weight: groupWeights[node.id] } : node)))
    .topLevel.filter((node) => node.role === 'scored' || node.role === 'group')
    .map((node) => ({ name: node.name, share: node.share }))
  // biome-ignore lint/suspicious/noThenProperty: the results as they would be, beside `now`; the outcome is never awaited.
  return { ok: true, outcome: { now: computeResults(file), then: outcome.results, shares, qualityShare } }
}

function whatIfPanel(file: EvaluationFile, action: string, values: FormValues | null): WhatIfPanelProps {
  const fields = whatIfFields(file)
  const shown: FormValues = values ?? Object.fromEntries([...fields.weightFields, fields.qualityField].map((f) => [f.name, startingValue(f)]))
  const reading = readWhatIf(file, fields, shown)
  return { action, ...fields, values: shown, errors: reading.ok ? {} : reading.errors, outcome: reading.ok ? reading.outcome : null }
}

/**
 * The sensitivity page: switching values, the Monte Carlo analysis, the irrelevant-alternatives
 * check, the two price formulas and a what-if panel. Every figure comes from the engine, computed
 * on each request; the page never writes to the database.
 */
export function sensitivityRoutes({ db }: AppDeps): Hono {
  const app = new Hono()

  async function loadAppraisal(c: Context) {
    const evaluation = evaluationOf(c)
    await requireModeratedUnlessLead(c, db, evaluation)
    const file = await readEvaluationFile(db, evaluation.id, { individualTexts: false })
    if (file === undefined) throw new HTTPException(404)
    if (file.options.length === 0 || file.criteria.length === 0) {
      throw new HTTPException(409, { message: 'Add at least one option and one criterion to see how sensitive the results are.' })
    }
    return { evaluation, file }
  }

  async function showPage(c: Context, evaluation: Evaluation, file: EvaluationFile, whatIfValues: FormValues | null) {
    const run = readRunSettings(c)
    const panel = whatIfPanel(file, pageAddress(evaluation, c), whatIfValues)
    // The Monte Carlo analysis and switching values in a worker thread; the what-if panel is one
    // computation of the results, quick enough to stay here.
    const results = await runLong(c, 'sensitivity', { file, options: run.options })
    const page = (
      <SensitivityPage
        evaluation={evaluation}
        file={file}
        results={results}
        comparison={compareRankings(file)}
        run={{ values: run.values, errors: run.errors }}
        whatIf={panel}
      />
    )
    const failed = Object.keys(run.errors).length > 0 || Object.keys(panel.errors).length > 0
    return render(c, page, failed ? 422 : 200)
  }

  app.get('/', async (c) => {
    const { evaluation, file } = await loadAppraisal(c)
    return showPage(c, evaluation, file, null)
  })

  // The what-if form. htmx gets the ranking alone as the form changes; without JavaScript the whole
  // page comes back with the what-if ranking. A question, not a change: nothing is saved.
  app.post('/', async (c) => {
    const { evaluation, file } = await loadAppraisal(c)
    const values = formValues(await c.req.parseBody())
    if (!isHtmx(c)) return showPage(c, evaluation, file, values)
    const panel = whatIfPanel(file, pageAddress(evaluation, c), values)
    return render(c, <WhatIfUpdate {...panel} />, Object.keys(panel.errors).length > 0 ? 422 : 200)
  })

  return app
}
