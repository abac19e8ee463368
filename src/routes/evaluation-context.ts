import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { Evaluation } from '../db/schema.js'
import { idParam } from './form.js'

/** Parses a numeric id from the path; anything that is not one is a 404, never a stack trace. */
export function pathId(c: Context, name: string): number {
  const parsed = idParam.safeParse(c.req.param(name))
  if (!parsed.success) throw new HTTPException(404)
  return parsed.data
}

export function evaluationCrumbs(evaluation: Evaluation): { href: string; label: string }[] {
  return [
    { href: '/evaluations', label: 'Evaluations' },
    { href: `/evaluations/${evaluation.id}`, label: evaluation.title },
  ]
}
