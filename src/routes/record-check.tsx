import { Hono } from 'hono'
import type { AppDeps } from '../app.js'
import { evaluationOf } from '../auth/guard.js'
import { inReadSnapshot } from '../db/dialect.js'
import { lastEntryOf } from '../db/audit.js'
import { moderationComplete } from '../db/scoring.js'
import { verifyEvaluation } from '../db/verify.js'
import { RecordCheckPage } from '../../views/pages/record-check.js'
import { RecordCheckPanel } from '../../views/partials/record-check.js'
import { isHtmx, render } from './render.js'

/**
 * Whether an evaluation's records still match its audit log: the same check as `appraise verify ID`
 * (without SQLite's check of the whole file, which is the command's), run afresh on every request.
 * The evaluation's page loads the panel with htmx; without JavaScript its link opens the full page.
 */
export function recordCheckRoutes({ db }: AppDeps): Hono {
  const app = new Hono()

  app.get('/', async (c) => {
    const evaluation = evaluationOf(c)
    // One snapshot: a change saved meanwhile must not look like a record that differs from its log.
    const { check, last } = await inReadSnapshot(db, async (trx) => ({
      check: await verifyEvaluation(trx, evaluation.id),
      last: await lastEntryOf(trx, evaluation.id),
    }))
    // The problems name panel members' scores: not for finance or observers before moderation ends.
    const detailed = check.problems.length === 0 || c.get('roles').includes('lead') || (await moderationComplete(db, evaluation.id))
    const panel = { evaluationId: evaluation.id, check, last, detailed }
    return render(c, isHtmx(c) ? <RecordCheckPanel {...panel} /> : <RecordCheckPage evaluation={evaluation} {...panel} />)
  })

  return app
}
