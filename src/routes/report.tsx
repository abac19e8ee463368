import type { Context } from 'hono'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { AppDeps } from '../app.js'
import { evaluationOf } from '../auth/guard.js'
import { readEvaluationFile } from '../db/evaluation-file.js'
import { lastChangeOf } from '../db/last-change.js'
import type { Evaluation } from '../db/schema.js'
import { findFinalisedReport } from '../db/sign-off.js'
import { runLong } from '../work/long-work.js'
import { requireModeratedUnlessLead } from './provisional.js'

/** "replacement-of-the-records-system-options-appraisal-draft.pdf" */
export function reportFileName(title: string, status: 'draft' | 'final'): string {
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '')
  return `${slug || 'evaluation'}-options-appraisal-${status}.pdf`
}

/**
 * The options appraisal report of the evaluation as it stands, computed on each request like the
 * results page: a draft, dated by the evaluation's last change (scores included), so two downloads
 * of an unchanged evaluation are the same file. Once finalised, it is the stored final report, never
 * rendered again. The rendering runs in a worker thread (src/work/pool.ts).
 */
export function reportRoutes({ db }: AppDeps): Hono {
  const app = new Hono()

  app.get('/', async (c) => {
    const evaluation = evaluationOf(c)
    if (evaluation.status === 'finalised') {
      // Finalised: the report is the one signed off, not a new rendering of it.
      const report = await findFinalisedReport(db, evaluation.id, evaluation.version)
      if (report !== undefined) return finalReport(c, evaluation, report)
    }
    await requireModeratedUnlessLead(c, db, evaluation)
    const [file, changed] = await Promise.all([readEvaluationFile(db, evaluation.id), lastChangeOf(db, evaluation.id)])
    if (file === undefined || changed === undefined) throw new HTTPException(404)
    if (file.options.length === 0 || file.criteria.length === 0) {
      throw new HTTPException(409, { message: 'Add at least one option and one criterion before downloading the report.' })
    }
    const pdf = await runLong(c, 'report', { file, options: { status: 'draft', generatedAt: changed } })
    return c.body(pdf, 200, {
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="${reportFileName(file.title, 'draft')}"`,
      'cache-control': 'no-store',
    })
  })

  return app
}

/** A version's final report, exactly as it was signed off. */
export function finalReport(c: Context, evaluation: Pick<Evaluation, 'title'>, report: { version: number; pdf: Uint8Array; pdf_sha256: string }) {
  const name = reportFileName(evaluation.title, 'final').replace(/\.pdf$/, `-version-${report.version}.pdf`)
  return c.body(new Uint8Array(report.pdf), 200, {
    'content-type': 'application/pdf',
    'content-disposition': `attachment; filename="${name}"`,
    'cache-control': 'no-store',
    // The fingerprint the audit log holds for it, for anyone checking the download.
    'x-content-sha256': report.pdf_sha256,
  })
}
