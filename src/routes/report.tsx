import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { AppDeps } from '../app.js'
import { computeResultsWithSensitivity } from '../appraisal/index.js'
import { readEvaluationFile } from '../db/evaluation-file.js'
import { lastChangeOf } from '../db/last-change.js'
import { renderReport } from '../report/index.js'
import { loadEvaluation } from './evaluation-context.js'
import { requireModeratedUnlessLead } from './provisional.js'

/** "replacement-of-the-records-system-options-appraisal-draft.pdf" */
export function reportFileName(title: string, status: 'draft' | 'final'): string {
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '')
  return `${slug || 'evaluation'}-options-appraisal-${status}.pdf`
}

/**
 * The options appraisal report of the evaluation as it stands, computed on each request like the
 * results page. It is a draft until evaluations can be finalised; the evaluation's last change
 * (scores included) dates it, so two downloads of an unchanged evaluation are the same file.
 */
export function reportRoutes({ db }: AppDeps): Hono {
  const app = new Hono()

  app.get('/', async (c) => {
    const evaluation = await loadEvaluation(c, db)
    await requireModeratedUnlessLead(c, db, evaluation)
    const [file, changed] = await Promise.all([readEvaluationFile(db, evaluation.id), lastChangeOf(db, evaluation.id)])
    if (file === undefined || changed === undefined) throw new HTTPException(404)
    if (file.options.length === 0 || file.criteria.length === 0) {
      throw new HTTPException(409, { message: 'Add at least one option and one criterion before downloading the report.' })
    }
    const pdf = await renderReport(file, computeResultsWithSensitivity(file), { status: 'draft', generatedAt: changed })
    return c.body(new Uint8Array(pdf), 200, {
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="${reportFileName(file.title, 'draft')}"`,
      'cache-control': 'no-store',
    })
  })

  return app
}
