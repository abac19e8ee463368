import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { evaluationOf } from '../auth/guard.js'
import type { Db } from '../db/connection.js'
import { findOption } from '../db/options.js'
import type { Evaluation, Option } from '../db/schema.js'
import { idParam } from './form.js'

/** Parses a numeric id from the path; anything that is not one is a 404, never a stack trace. */
export function pathId(c: Context, name: string): number {
  const parsed = idParam.safeParse(c.req.param(name))
  if (!parsed.success) throw new HTTPException(404)
  return parsed.data
}

/** The evaluation and the option of it that the path names (`:optionId`); an option it does not have is a 404. */
export async function optionInPath(c: Context, db: Db): Promise<{ evaluation: Evaluation; option: Option }> {
  const evaluation = evaluationOf(c)
  const option = await findOption(db, evaluation.id, pathId(c, 'optionId'))
  if (option === undefined) throw new HTTPException(404)
  return { evaluation, option }
}

export function evaluationCrumbs(evaluation: Evaluation): { href: string; label: string }[] {
  return [
    { href: '/evaluations', label: 'Evaluations' },
    { href: `/evaluations/${evaluation.id}`, label: evaluation.title },
  ]
}
