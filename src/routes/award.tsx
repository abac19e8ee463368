import type { Context } from 'hono'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { z } from 'zod'
import { computeResults, evaluationFileText, parseEvaluationFile, parseEvaluationText, type EvaluationFile } from '../appraisal/index.js'
import type { AppDeps } from '../app.js'
import { actorOf, evaluationOf } from '../auth/guard.js'
import { readAwardRecord, saveAwardRecord, type AwardRecord } from '../db/award.js'
import { listOptions } from '../db/options.js'
import type { Evaluation } from '../db/schema.js'
import { findFinalisedReport } from '../db/sign-off.js'
import { ocdsProblem, ocdsReleasePackage } from '../open-data/ocds.js'
import { assessmentSummaryFileName, assessmentSummaryProblem } from '../report/assessment-summary.js'
import { fileSlug } from '../file-slug.js'
import { runLong } from '../work/long-work.js'
import { zipArchive } from '../zip.js'
import { AwardPage } from '../../views/pages/award.js'
import type { FieldErrors, FormValues } from '../../views/components/form.js'
import { optionInPath } from './evaluation-context.js'
import { checkboxField, formValues, optionalText, parseForm } from './form.js'
import { render } from './render.js'

const DATE = /^\d{4}-\d{2}-\d{2}$/
const dateField = (what: string) => optionalText(10).refine((v) => v === null || DATE.test(v), `Enter ${what} as a date, such as 2026-12-04`)

const datesForm = z.object({
  decisionDate: dateField('the award decision date'),
  standstillStart: dateField('the start of the standstill period'),
  standstillEnd: dateField('the end of the standstill period'),
  publishAllFigures: checkboxField,
})

const noticeForm = z.object({
  option: z.string({ error: 'Choose the supplier who was notified' }).regex(/^\d+$/, 'Choose the supplier who was notified'),
  date: z.string({ error: 'Enter the date they were notified' }).trim().regex(DATE, 'Enter the date they were notified, such as 2026-12-04'),
  to: optionalText(200),
  method: optionalText(200),
})

/** Today in London, as the award record's dates are written. */
function today(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date())
}

/** The field a problem of the file's `award` belongs beside on the page. */
function fieldOf(problem: string): string {
  const match = /^award\.(\w+)/.exec(problem)
  return match?.[1] === 'notifications' ? 'option' : (match?.[1] ?? 'form')
}

/**
 * The finalised version as an evaluation file: the file stored when it was finalised (never the
 * evaluation as it stands), with the award record as it is now and the version it is.
 */
async function finalisedFile(db: AppDeps['db'], evaluation: Evaluation): Promise<EvaluationFile> {
  if (evaluation.status !== 'finalised') {
    throw new HTTPException(409, { message: 'Assessment summaries and the open data come from a finalised version: finalise the evaluation first.' })
  }
  const report = await findFinalisedReport(db, evaluation.id, evaluation.version)
  if (report === undefined) throw new HTTPException(409, { message: 'This version has no stored final report.' })
  const parsed = parseEvaluationText(report.file_json)
  if (!parsed.ok) throw new Error(`the stored file of version ${report.version} does not read: ${parsed.errors[0]}`)
  const award = await readAwardRecord(db, evaluation.id)
  const { award: _, ...file } = parsed.file
  return {
    ...file,
    ...(award === undefined ? {} : { award }),
    finalised: { version: report.version, at: report.finalised_at, by: report.finalised_by_name, reportSha256: report.pdf_sha256 },
  }
}

/**
 * The award record of a finalised evaluation (decision date, standstill period, who was notified
 * when), the assessment summary of each tender (one PDF each, or all in a zip) and the award as
 * open data (OCDS). Only the lead; summaries and open data only from a finalised version.
 */
export function awardRoutes({ db }: AppDeps): Hono {
  const app = new Hono()

  async function page(c: Context, evaluation: Evaluation, errors: FieldErrors = {}, values?: FormValues, status: 200 | 409 | 422 = 200) {
    const [award, options] = await Promise.all([readAwardRecord(db, evaluation.id), listOptions(db, evaluation.id)])
    const tenders = options.filter((o) => o.tender === 1)
    let preferred: string | null = null
    if (evaluation.status === 'finalised') preferred = computeResults(await finalisedFile(db, evaluation)).preferred
    return render(c, <AwardPage evaluation={evaluation} award={award} tenders={tenders} preferredKey={preferred} errors={errors} values={values} />, status)
  }

  /** Saves `next` as the award record, or shows the page again with the problems beside their fields. */
  async function save(c: Context, evaluation: Evaluation, next: AwardRecord, summary: string, values: FormValues) {
    const file = await finalisedFile(db, evaluation)
    const checked = parseEvaluationFile({ ...file, award: next })
    if (!checked.ok) {
      const errors: FieldErrors = {}
      for (const problem of checked.errors) errors[fieldOf(problem)] ??= problem.replace(/^award\.[\w.[\]\d]+: /, '')
      return page(c, evaluation, errors, values, 422)
    }
    await saveAwardRecord(db, evaluation.id, actorOf(c), next, summary)
    return c.redirect(`/evaluations/${evaluation.id}/award`, 303)
  }

  app.get('/', async (c) => page(c, evaluationOf(c)))

  app.post('/', async (c) => {
    const evaluation = evaluationOf(c)
    const values = formValues(await c.req.parseBody())
    if (evaluation.status !== 'finalised') return page(c, evaluation, { form: 'Finalise the evaluation before recording the award.' }, values, 409)
    const parsed = parseForm(datesForm, values)
    if (!parsed.ok) return page(c, evaluation, parsed.errors, values, 422)
    const { decisionDate, standstillStart, standstillEnd, publishAllFigures } = parsed.data
    if (publishAllFigures && (standstillEnd === null || standstillEnd >= today())) {
      return page(c, evaluation, { publishAllFigures: 'Every tender’s figures can be published only once the standstill period has ended' }, values, 422)
    }
    const current = await readAwardRecord(db, evaluation.id)
    const next: AwardRecord = {
      ...(decisionDate === null ? {} : { decisionDate }),
      ...(standstillStart === null ? {} : { standstillStart }),
      ...(standstillEnd === null ? {} : { standstillEnd }),
      ...(current?.notifications === undefined ? {} : { notifications: current.notifications }),
      ...(publishAllFigures ? { publishAllFigures: true as const } : {}),
    }
    return save(c, evaluation, next, 'Award record: decision date and standstill period saved', values)
  })

  app.post('/notifications', async (c) => {
    const evaluation = evaluationOf(c)
    const values = formValues(await c.req.parseBody())
    if (evaluation.status !== 'finalised') return page(c, evaluation, { form: 'Finalise the evaluation before recording the award.' }, values, 409)
    const parsed = parseForm(noticeForm, values)
    if (!parsed.ok) return page(c, evaluation, parsed.errors, values, 422)
    const option = (await listOptions(db, evaluation.id)).find((o) => o.id === Number(parsed.data.option) && o.tender === 1)
    if (option === undefined) return page(c, evaluation, { option: 'Choose one of the tenders' }, values, 422)
    const current = await readAwardRecord(db, evaluation.id)
    const notice = {
      option: option.key,
      date: parsed.data.date,
      ...(parsed.data.to === null ? {} : { to: parsed.data.to }),
      ...(parsed.data.method === null ? {} : { method: parsed.data.method }),
    }
    const next: AwardRecord = { ...current, notifications: [...(current?.notifications ?? []), notice] }
    const who = option.supplier ?? option.name
    return save(c, evaluation, next, `Award record: ${who} notified on ${notice.date}`, values)
  })

  app.get('/summaries/:optionId', async (c) => {
    const { evaluation, option } = await optionInPath(c, db)
    const file = await finalisedFile(db, evaluation)
    const problem = assessmentSummaryProblem(file, computeResults(file), option.key)
    if (problem !== null) throw new HTTPException(409, { message: `There is no assessment summary for this option: ${problem}.` })
    const [pdf] = await runLong(c, 'summaries', { file, optionIds: [option.key], generatedAt: new Date(file.finalised!.at) })
    return c.body(pdf!, 200, {
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="${assessmentSummaryFileName(file.title, option.key, true)}"`,
    })
  })

  app.get('/summaries.zip', async (c) => {
    const evaluation = evaluationOf(c)
    const file = await finalisedFile(db, evaluation)
    const results = computeResults(file)
    const tenders = file.options.filter((o) => o.tender).map((o) => o.id)
    const problem = tenders.length === 0 ? 'there are no tenders' : assessmentSummaryProblem(file, results, tenders[0]!)
    if (problem !== null) throw new HTTPException(409, { message: `There are no assessment summaries to download: ${problem}.` })
    const pdfs = await runLong(c, 'summaries', { file, optionIds: tenders, generatedAt: new Date(file.finalised!.at) })
    const zip = zipArchive(
      tenders.map((id, i) => ({ name: assessmentSummaryFileName(file.title, id, true), data: pdfs[i]! })),
      new Date(file.finalised!.at),
    )
    const name = `${fileSlug(file.title, 50) || 'evaluation'}-assessment-summaries-version-${file.finalised!.version}.zip`
    return c.body(new Uint8Array(zip), 200, {
      'content-type': 'application/zip',
      'content-disposition': `attachment; filename="${name}"`,
    })
  })

  // The finalised version as a file, with its award record and `finalised`: what `appraise summary` needs.
  app.get('/evaluation.json', async (c) => {
    const file = await finalisedFile(db, evaluationOf(c))
    return c.body(evaluationFileText(file), 200, {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="${fileSlug(file.title, 50) || 'evaluation'}-version-${file.finalised!.version}-finalised.json"`,
    })
  })

  app.get('/ocds.json', async (c) => {
    const evaluation = evaluationOf(c)
    const file = await finalisedFile(db, evaluation)
    const results = computeResults(file)
    const problem = ocdsProblem(file, results)
    if (problem !== null) throw new HTTPException(409, { message: `The award cannot be published as open data: ${problem}.` })
    const release = ocdsReleasePackage(file, results, { publishedAt: new Date(file.finalised!.at) })
    return c.body(`${JSON.stringify(release, null, 2)}\n`, 200, {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="${fileSlug(file.title, 50) || 'evaluation'}-award-ocds-version-${file.finalised!.version}.json"`,
    })
  })

  return app
}
