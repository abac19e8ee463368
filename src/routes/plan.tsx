import type { Context } from 'hono'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { z } from 'zod'
import type { AppDeps } from '../app.js'
import { actorOf, evaluationOf } from '../auth/guard.js'
import { computeResults, planHash, tiedFirst } from '../appraisal/index.js'
import { readEvaluationFile } from '../db/evaluation-file.js'
import { lastChangeOf } from '../db/last-change.js'
import { listOptions } from '../db/options.js'
import { applyTieBreaker, approvePlan, listPlanVersions, readPlanSource, scoresToRevisit, setTieBreaker } from '../db/plan.js'
import type { Evaluation } from '../db/schema.js'
import { planDate, renderPlanDocument } from '../report/plan.js'
import { PlanPage } from '../../views/pages/plan.js'
import type { FieldErrors, FormValues } from '../../views/components/form.js'
import { formValues, optionalText, parseForm } from './form.js'
import { planReasonOf, unlessPlanRefuses } from './plan-reason.js'
import { render } from './render.js'
import { fileSlug } from '../file-slug.js'

const tieBreakerForm = z.object({ tieBreaker: optionalText(5000) })

const tieDecisionForm = z.object({
  tieDecisionOption: z.string({ error: 'Choose the tender the tie-breaker favours' }).min(1, 'Choose the tender the tie-breaker favours'),
  tieDecisionReason: z
    .string({ error: 'Say how the tie-breaker decides it' })
    .trim()
    .min(20, 'Say how the tie-breaker decides it, in at least 20 characters: it is part of the record')
    .max(5000, 'Must be 5,000 characters or fewer'),
})

/** The tenders tied first, when the evaluation can be computed and the preferred tender is a tie. */
async function tiedTenders(db: AppDeps['db'], evaluationId: number) {
  const file = await readEvaluationFile(db, evaluationId, { individualTexts: false })
  if (file === undefined || file.options.length === 0 || file.criteria.length === 0) return []
  const tied = new Set(tiedFirst(computeResults(file)))
  return (await listOptions(db, evaluationId)).filter((o) => tied.has(o.key))
}

/** The evaluation plan: its page, its approval, the tie-breaker and its application, and the plan as a PDF. */
export function planRoutes({ db }: AppDeps): Hono {
  const app = new Hono()

  async function page(c: Context, evaluation: Evaluation, values: FormValues = {}, errors: FieldErrors = {}) {
    const [versions, source, revisit, tied] = await Promise.all([
      listPlanVersions(db, evaluation.id),
      readPlanSource(db, evaluation.id),
      scoresToRevisit(db, evaluation.id),
      tiedTenders(db, evaluation.id),
    ])
    const lines = revisit.map((r) => `${r.member} on “${r.criterion}” for “${r.option}” (changed in version ${r.version})`)
    const props = { evaluation, versions, hash: planHash(source), revisit: lines, tied, values, errors }
    return render(c, <PlanPage {...props} />, Object.keys(errors).length > 0 ? 422 : 200)
  }

  app.get('/plan', (c) => page(c, evaluationOf(c)))

  app.post('/plan/approve', async (c) => {
    const evaluation = evaluationOf(c)
    const values = formValues(await c.req.parseBody())
    const refusals = await approvePlan(db, actorOf(c), evaluation.id, { confirmNoCostWeight: values.confirmNoCostWeight === 'on' })
    if (refusals.length > 0) return page(c, evaluation, values, Object.fromEntries(refusals.map((r) => [r.field, r.message])))
    return c.redirect(`/evaluations/${evaluation.id}/plan`, 303)
  })

  app.post('/plan/tie-breaker', async (c) => {
    const evaluation = evaluationOf(c)
    const values = formValues(await c.req.parseBody())
    const parsed = parseForm(tieBreakerForm, values)
    if (!parsed.ok) return page(c, evaluation, values, parsed.errors)
    const change = await unlessPlanRefuses(() => setTieBreaker(db, actorOf(c), evaluation.id, parsed.data.tieBreaker, planReasonOf(values)))
    if (change.refused !== null) return page(c, evaluation, values, { planReason: change.refused })
    return c.redirect(`/evaluations/${evaluation.id}/plan`, 303)
  })

  app.post('/plan/tie-decision', async (c) => {
    const evaluation = evaluationOf(c)
    const values = formValues(await c.req.parseBody())
    const parsed = parseForm(tieDecisionForm, values)
    if (!parsed.ok) return page(c, evaluation, values, parsed.errors)
    if (evaluation.tie_breaker === null) return page(c, evaluation, values, { tieBreaker: 'Name the plan’s tie-breaker first: the decision applies it' })
    const option = (await tiedTenders(db, evaluation.id)).find((o) => o.key === parsed.data.tieDecisionOption)
    if (option === undefined) return page(c, evaluation, values, { tieDecisionOption: 'Choose one of the tenders tied first' })
    await applyTieBreaker(db, actorOf(c), evaluation.id, option, parsed.data.tieDecisionReason)
    return c.redirect(`/evaluations/${evaluation.id}/plan`, 303)
  })

  app.get('/plan.pdf', async (c) => {
    const evaluation = evaluationOf(c)
    const [file, changed] = await Promise.all([readEvaluationFile(db, evaluation.id, { individualTexts: false }), lastChangeOf(db, evaluation.id)])
    if (file === undefined || changed === undefined) throw new HTTPException(404)
    if (file.criteria.length === 0) throw new HTTPException(409, { message: 'Add at least one criterion before downloading the plan.' })
    const pdf = await renderPlanDocument(file, { generatedAt: planDate(file) ?? changed })
    return c.body(new Uint8Array(pdf), 200, {
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="${fileSlug(file.title) || 'evaluation'}-evaluation-plan.pdf"`,
    })
  })

  return app
}
