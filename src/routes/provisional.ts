import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { Db } from '../db/connection.js'
import { moderationComplete } from '../db/scoring.js'
import type { Evaluation } from '../db/schema.js'

/**
 * Before moderation is complete the ranking is provisional, and only the lead sees it: anyone else
 * allowed to see results (finance, observers) waits for the moderated figures.
 */
export async function requireModeratedUnlessLead(c: Context, db: Db, evaluation: Evaluation): Promise<void> {
  if (c.get('roles').includes('lead')) return
  if (await moderationComplete(db, evaluation.id)) return
  throw new HTTPException(409, {
    message: 'The ranking is shown once the lead has finished moderating the panel’s scores. Until then it is provisional, and only the lead sees it.',
  })
}
