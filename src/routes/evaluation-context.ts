import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { evaluationOf } from '../auth/guard.js'
import type { Db } from '../db/connection.js'
import type { Evaluation } from '../db/schema.js'
import { idParam } from './form.js'

/** Parses a numeric id from the path; anything that is not one is a 404, never a stack trace. */
export function pathId(c: Context, name: string): number {
  const parsed = idParam.safeParse(c.req.param(name))
  if (!parsed.success) throw new HTTPException(404)
  return parsed.data
}

/** Kept for the cost pages until they take `evaluationOf(c)`: the guard's evaluation, not read again. */
export async function loadEvaluation(c: Context, _db: Db): Promise<Evaluation> {
  return evaluationOf(c)
}

export function evaluationCrumbs(evaluation: Evaluation): { href: string; label: string }[] {
  return [
    { href: '/evaluations', label: 'Evaluations' },
    { href: `/evaluations/${evaluation.id}`, label: evaluation.title },
  ]
}
