import type { Context } from 'hono'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { z } from 'zod'
import type { AppDeps } from '../app.js'
import { evaluationOf } from '../auth/guard.js'
import { DEFAULT_ITERATIONS, DEFAULT_SEED, MAX_ITERATIONS, type SensitivityOptions } from '../appraisal/index.js'
import { readEvaluationFile } from '../db/evaluation-file.js'
import type { Evaluation } from '../db/schema.js'
import type { FieldErrors, FormValues } from '../../views/components/form.js'
import { SensitivityPage } from '../../views/pages/sensitivity.js'
import { WhatIfUpdate } from '../../views/partials/what-if.js'
import { formValues, parseForm } from './form.js'
import { runLong } from '../work/long-work.js'
import type { SensitivityRequest, SensitivityView } from './sensitivity-view.js'
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

/**
 * The sensitivity page: switching values, the Monte Carlo analysis, the irrelevant-alternatives
 * check, the two price formulas and a what-if panel. Every figure comes from the engine, computed
 * on each request; the page never writes to the database.
 */
export function sensitivityRoutes({ db }: AppDeps): Hono {
  const app = new Hono()

  /**
   * The file read and the figures computed in a worker thread, over its own connection when it can
   * open the database; else (an in-memory database) read here and sent to it.
   */
  async function computed(c: Context, evaluation: Evaluation, request: SensitivityRequest): Promise<SensitivityView> {
    const source = c.get('longWork').source
    let view: SensitivityView | 'missing' | 'empty'
    if (source === undefined) {
      const file = await readEvaluationFile(db, evaluation.id, { individualTexts: false })
      view =
        file === undefined
          ? 'missing'
          : file.options.length === 0 || file.criteria.length === 0
            ? 'empty'
            : await runLong(c, 'sensitivityView', { file, request })
    } else view = await runLong(c, 'sensitivityPage', { source, evaluationId: evaluation.id, request })
    if (view === 'missing') throw new HTTPException(404)
    if (view === 'empty') throw new HTTPException(409, { message: 'Add at least one option and one criterion to see how sensitive the results are.' })
    return view
  }

  async function showPage(c: Context, whatIfValues: FormValues | null) {
    const evaluation = evaluationOf(c)
    const run = readRunSettings(c)
    const view = await computed(c, evaluation, { analysis: run.options, action: pageAddress(evaluation, c), whatIfValues })
    const page = (
      <SensitivityPage
        evaluation={evaluation}
        file={view.file}
        results={view.results!}
        comparison={view.comparison!}
        run={{ values: run.values, errors: run.errors }}
        whatIf={view.whatIf}
      />
    )
    const failed = Object.keys(run.errors).length > 0 || Object.keys(view.whatIf.errors).length > 0
    return render(c, page, failed ? 422 : 200)
  }

  app.get('/', (c) => showPage(c, null))

  // The what-if form. htmx gets the ranking alone as the form changes; without JavaScript the whole
  // page comes back with the what-if ranking. A question, not a change: nothing is saved.
  app.post('/', async (c) => {
    const values = formValues(await c.req.parseBody())
    if (!isHtmx(c)) return showPage(c, values)
    const evaluation = evaluationOf(c)
    const { whatIf } = await computed(c, evaluation, { analysis: null, action: pageAddress(evaluation, c), whatIfValues: values })
    return render(c, <WhatIfUpdate {...whatIf} />, Object.keys(whatIf.errors).length > 0 ? 422 : 200)
  })

  return app
}
