import { Hono } from 'hono'
import type { AppDeps } from '../app.js'
import { evaluationOf } from '../auth/guard.js'
import { moderationComplete } from '../db/scoring.js'
import { checkRecordNow } from '../db/verify.js'
import { runLong } from '../work/long-work.js'
import { RecordCheckPage } from '../../views/pages/record-check.js'
import { RecordCheckPanel } from '../../views/partials/record-check.js'
import { isHtmx, render } from './render.js'

/**
 * Whether an evaluation's records still match its audit log: the same check as `appraise verify ID`
 * (without SQLite's check of the whole file, which is the command's), run afresh on every request,
 * in the worker pool (src/work/pool.ts).
 * The evaluation's page loads the panel with htmx; without JavaScript its link opens the full page.
 */
export function recordCheckRoutes({ db }: AppDeps): Hono {
  const app = new Hono()

  app.get('/', async (c) => {
    const evaluation = evaluationOf(c)
    // In a worker thread over its own connection: at 90,000 scores the check reads and hashes the
    // whole log, seconds no one else should wait for. An in-memory database is checked here.
    const source = c.get('longWork').source
    const { check, last } =
      source === undefined ? await checkRecordNow(db, evaluation.id) : await runLong(c, 'recordCheck', { source, evaluationId: evaluation.id })
    // The problems name panel members' scores: not for finance or observers before moderation ends.
    const detailed = check.problems.length === 0 || c.get('roles').includes('lead') || (await moderationComplete(db, evaluation.id))
    const panel = { evaluationId: evaluation.id, check, last, detailed }
    return render(c, isHtmx(c) ? <RecordCheckPanel {...panel} /> : <RecordCheckPage evaluation={evaluation} {...panel} />)
  })

  return app
}
