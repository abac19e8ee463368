import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { matchedRoutes } from 'hono/route'
import { closedWhileModerating } from '../auth/access.js'
import type { Db } from '../db/connection.js'
import type { Evaluation } from '../db/schema.js'

/**
 * Figures that wait for moderation (the access table's AFTER_MODERATION): before moderation is
 * complete the ranking is provisional; finance, observers and approvers wait for the moderated
 * figures, and the lead, who moderates quality, sees it on quality only, the views with price refused. Pages do not offer what this refuses (`may`, with the viewer's
 * `moderating`).
 */
export async function requireFiguresOpen(c: Context, _db: Db, _evaluation: Evaluation): Promise<void> {
  const route = matchedRoutes(c).find((r) => r.method !== 'ALL')
  if (route === undefined || !closedWhileModerating(c.get('roles'), c.req.method, route.path)) return
  if (!(await c.get('moderating')())) return
  throw new HTTPException(409, {
    message: c.get('roles').includes('lead')
      ? 'Prices stay sealed from you while you moderate quality: this opens once every consensus is recorded. Until then the results page shows quality only.'
      : 'The ranking is shown once the lead has finished moderating the panel’s scores. Until then it is provisional, and only the lead sees it, on quality only.',
  })
}
