import type { Context } from 'hono'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { AppDeps } from '../app.js'
import { evaluationOf } from '../auth/guard.js'
import type { Evaluation } from '../db/schema.js'
import { readDraftReport } from '../report/draft.js'
import { findFinalisedReport } from '../db/sign-off.js'
import { runLong } from '../work/long-work.js'
import { fileSlug } from '../file-slug.js'

/** "replacement-of-the-records-system-options-appraisal-draft.pdf" */
export function reportFileName(title: string, status: 'draft' | 'final'): string {
  return `${fileSlug(title) || 'evaluation'}-options-appraisal-${status}.pdf`
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
    // Read and rendered in a worker thread, over its own connection when it can open the database;
    // else (an in-memory database) read here and sent to it.
    const source = c.get('longWork').source
    let draft: Uint8Array<ArrayBuffer> | 'missing' | 'empty'
    if (source === undefined) {
      const read = await readDraftReport(db, evaluation.id)
      draft = typeof read === 'string' ? read : await runLong(c, 'report', read)
    } else draft = await runLong(c, 'draftReport', { source, evaluationId: evaluation.id })
    if (draft === 'missing') throw new HTTPException(404)
    if (draft === 'empty') throw new HTTPException(409, { message: 'Add at least one option and one criterion before downloading the report.' })
    return c.body(draft, 200, {
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="${reportFileName(evaluation.title, 'draft')}"`,
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
    // The fingerprint the audit log holds for it, for anyone checking the download.
    'x-content-sha256': report.pdf_sha256,
  })
}
