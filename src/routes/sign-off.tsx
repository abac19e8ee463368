import { createHash } from 'node:crypto'
import type { Context } from 'hono'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { z } from 'zod'
import type { AppDeps } from '../app.js'
import { actorOf, evaluationOf } from '../auth/guard.js'
import { computeResults, evaluationFileText, tiedFirst, type EvaluationFile } from '../appraisal/index.js'
import { readEvaluationFile } from '../db/evaluation-file.js'
import { lastChangeOf } from '../db/last-change.js'
import type { Evaluation } from '../db/schema.js'
import { finalisingBlockers } from '../db/scoring.js'
import { ChangedWhileFinalisingError, finaliseEvaluation, findFinalisedReport, reopenEvaluation } from '../db/sign-off.js'
import { runLong } from '../work/long-work.js'
import { FinalisePage, ReopenPage } from '../../views/pages/sign-off.js'
import type { FieldErrors } from '../../views/components/form.js'
import { EvaluationFinalisedError, lastEntryOf } from '../db/audit.js'
import { pathId } from './evaluation-context.js'
import { checkboxField, formValues, parseForm } from './form.js'
import { render } from './render.js'
import { finalReport } from './report.js'

const finaliseForm = z.object({
  confirm: checkboxField.refine((v) => v, 'Confirm that the results have been read and this version is ready for decision'),
})

const reopenForm = z.object({
  reason: z
    .string({ error: 'Give the reason for reopening it' })
    .trim()
    .min(20, 'Give the reason for reopening it, in at least 20 characters: it is part of the record')
    .max(5000, 'The reason must be 5,000 characters or fewer'),
})

/**
 * Why a tie stops finalising: the preferred tender is tied and the lead has not applied the plan's
 * tie-breaker to it (a recorded decision on the plan page); null when nothing is tied or it has been.
 */
function unbrokenTie(file: EvaluationFile): string | null {
  const tied = tiedFirst(computeResults(file))
  if (tied.length < 2 || (file.tieDecision !== undefined && tied.includes(file.tieDecision.option))) return null
  const names = tied.map((id) => file.options.find((o) => o.id === id)?.name ?? id).join(' and ')
  const breaker =
    file.tieBreaker === undefined
      ? 'The plan names no tie-breaker: add one to the plan (a change needing a reason, once approved), then apply it'
      : `Apply the plan’s tie-breaker (“${file.tieBreaker}”) on the evaluation plan page: it is recorded as your decision`
  return `${names} are tied as the preferred tender. ${breaker}.`
}

/**
 * Sign-off: the lead finalises a version once every score is moderated, which stores its final
 * report and locks it; reopening, with a reason, starts the next version. Each version's final report
 * stays downloadable.
 */
export function signOffRoutes({ db }: AppDeps): Hono {
  const app = new Hono()

  async function finalisePage(c: Context, evaluation: Evaluation, errors: FieldErrors = {}, status: 200 | 409 | 422 = 200) {
    const file = await readEvaluationFile(db, evaluation.id, { individualTexts: false })
    if (file === undefined) throw new HTTPException(404)
    const blockers: string[] = []
    if (file.options.length === 0 || file.criteria.length === 0) blockers.push('It needs at least one option and one criterion.')
    else blockers.push(...(await finalisingBlockers(db, evaluation.id)))
    const tie = blockers.length === 0 ? unbrokenTie(file) : null
    if (tie !== null) blockers.push(tie)
    const results = blockers.length === 0 ? await runLong(c, 'sensitivity', { file }) : null
    const preferred = results?.options.find((o) => o.id === results.preferred)?.name ?? null
    const entries = (await lastEntryOf(db, evaluation.id))?.seq ?? 0
    const page = (
      <FinalisePage evaluation={evaluation} blockers={blockers} warnings={results?.warnings ?? []} entries={entries} preferred={preferred} errors={errors} />
    )
    return render(c, page, status)
  }

  app.get('/finalise', async (c) => {
    const evaluation = evaluationOf(c)
    if (evaluation.status === 'finalised') return c.redirect(`/evaluations/${evaluation.id}`, 303)
    return finalisePage(c, evaluation)
  })

  app.post('/finalise', async (c) => {
    const evaluation = evaluationOf(c)
    const parsed = parseForm(finaliseForm, formValues(await c.req.parseBody()))
    if (!parsed.ok) return finalisePage(c, evaluation, parsed.errors, 422)
    // Refused before the report is made; the data layer would refuse it anyway.
    if (evaluation.status === 'finalised') throw new EvaluationFinalisedError(evaluation)
    const blockers = await finalisingBlockers(db, evaluation.id)
    if (blockers.length > 0) {
      return finalisePage(
        c,
        evaluation,
        { confirm: `Finish moderation first: ${blockers[0]}${blockers.length > 1 ? ` (and ${blockers.length - 1} more)` : ''}` },
        409,
      )
    }
    // The report is made outside the transaction (it can take seconds); finalising then checks that
    // nothing changed meanwhile, so the stored report is exactly the record it names.
    const head = await lastEntryOf(db, evaluation.id)
    const [file, changed] = await Promise.all([readEvaluationFile(db, evaluation.id), lastChangeOf(db, evaluation.id)])
    if (file === undefined || changed === undefined) throw new HTTPException(404)
    const tie = unbrokenTie(file)
    if (tie !== null) return finalisePage(c, evaluation, { confirm: tie }, 409)
    const json = evaluationFileText(file)
    const actor = actorOf(c)
    const finalisedAt = new Date()
    const pdf = await runLong(c, 'report', {
      file,
      options: {
        status: 'final',
        version: evaluation.version,
        generatedAt: changed,
        fileSha256: createHash('sha256').update(json).digest('hex'),
        ...(head === undefined ? {} : { auditChainHead: `${head.hash} (entry ${head.seq})` }),
        finalised: { by: actor.name, at: finalisedAt },
      },
    })
    try {
      await finaliseEvaluation(db, evaluation.id, actor, { madeAt: head?.hash ?? null, pdf, fileJson: json, finalisedAt })
    } catch (error) {
      if (error instanceof ChangedWhileFinalisingError) return finalisePage(c, evaluation, { confirm: error.message }, 409)
      throw error
    }
    return c.redirect(`/evaluations/${evaluation.id}`, 303)
  })

  app.get('/reopen', async (c) => {
    const evaluation = evaluationOf(c)
    if (evaluation.status !== 'finalised') return c.redirect(`/evaluations/${evaluation.id}`, 303)
    return render(c, <ReopenPage evaluation={evaluation} values={{}} errors={{}} />)
  })

  app.post('/reopen', async (c) => {
    const evaluation = evaluationOf(c)
    const values = formValues(await c.req.parseBody())
    if (evaluation.status !== 'finalised') throw new HTTPException(409, { message: 'This evaluation is not finalised, so there is nothing to reopen.' })
    const parsed = parseForm(reopenForm, values)
    if (!parsed.ok) return render(c, <ReopenPage evaluation={evaluation} values={values} errors={parsed.errors} />, 422)
    await reopenEvaluation(db, evaluation.id, actorOf(c), parsed.data.reason)
    return c.redirect(`/evaluations/${evaluation.id}`, 303)
  })

  app.get('/versions/:version/report.pdf', async (c) => {
    const evaluation = evaluationOf(c)
    const report = await findFinalisedReport(db, evaluation.id, pathId(c, 'version'))
    if (report === undefined) throw new HTTPException(404, { message: 'That version has not been finalised.' })
    return finalReport(c, evaluation, report)
  })

  return app
}
