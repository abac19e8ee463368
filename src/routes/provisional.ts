import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { closedWhileModerating, COST_MODEL } from '../auth/access.js'
import type { EvaluationRole } from '../db/schema.js'

/**
 * What waits for moderation (the access table's `closedWhileModerating`): before moderation is
 * complete the ranking is provisional; finance, observers and approvers wait for the moderated
 * figures and the history, and the lead, who moderates quality, sees the ranking on quality only,
 * the views with price and the cost model refused. The guard applies it to every route, and pages do
 * not offer what it refuses (`may`, with the viewer's `moderating`).
 */
export async function requireFiguresOpen(c: Context, method: string, routePath: string): Promise<void> {
  const roles: readonly EvaluationRole[] = c.get('roles')
  const planDraft = c.get('evaluation')?.plan_version === 0
  if (!closedWhileModerating(roles, method, routePath, planDraft)) return
  if (!(await c.get('moderating')())) return
  throw new HTTPException(409, { message: sealedMessage(roles, `${method === 'HEAD' ? 'GET' : method} ${routePath}`) })
}

function sealedMessage(roles: readonly EvaluationRole[], route: string): string {
  if (roles.includes('lead')) {
    return COST_MODEL.has(route)
      ? 'Tender prices stay sealed from you while you moderate quality: the cost model opens to you once every consensus is recorded. Finance goes on modelling costs meanwhile.'
      : 'Prices stay sealed from you while you moderate quality: this opens once every consensus is recorded. Until then the results page shows quality only.'
  }
  if (route.startsWith('GET /evaluations/:id/history')) {
    return 'The history shows each panel member’s scores, so it opens once the lead has finished moderating them. Until then only the lead sees it.'
  }
  return 'The ranking is shown once the lead has finished moderating the panel’s scores. Until then it is provisional, and only the lead sees it, on quality only.'
}
