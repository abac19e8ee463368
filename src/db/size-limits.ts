// The file's limits on an evaluation's size (LIMITS in src/appraisal/file-schema.ts), held for
// evaluations built in the app too, so everything the app holds can be exported and imported again.
// A change that may grow an evaluation calls requireWithinLimits after its writes, inside its own
// transaction: the evaluation's row is claimed by then, so changes racing each other cannot together
// pass a limit.

import { LIMITS } from '../appraisal/index.js'
import type { Refusal } from './audit.js'
import type { Db } from './connection.js'

export type LimitedPart = 'options' | 'criteria' | 'criteriaDepth' | 'cells' | 'evaluators' | 'costs' | 'benefits' | 'sunkCosts'

/** An evaluation would outgrow a limit; the change is rolled back and the message goes beside the field. */
export class SizeLimitError extends Error {
  constructor(
    readonly part: LimitedPart,
    message: string,
  ) {
    super(message)
    this.name = 'SizeLimitError'
  }
}

/**
 * Runs a recorded change that calls requireWithinLimits: past a limit its transaction is rolled back
 * and the refusal, for beside `field` of the form, comes back instead.
 */
export async function refusedPastLimits<Field extends string>(field: Field, change: () => Promise<unknown>): Promise<Refusal<Field> | null> {
  try {
    await change()
    return null
  } catch (error) {
    if (error instanceof SizeLimitError) return { field, message: error.message }
    throw error
  }
}

const count = new Intl.NumberFormat('en-GB')

async function countRows(db: Db, table: 'option' | 'panel_member' | 'sunk_cost', evaluationId: number): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('evaluation_id', '=', evaluationId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

async function countLines(db: Db, evaluationId: number, kind: 'cost' | 'benefit'): Promise<number> {
  const row = await db
    .selectFrom('money_line')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('evaluation_id', '=', evaluationId)
    .where('kind', '=', kind)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** The panel members, and the accounts given the evaluator role that have not yet joined as one. */
async function countEvaluators(db: Db, evaluationId: number): Promise<number> {
  const members = await countRows(db, 'panel_member', evaluationId)
  const row = await db
    .selectFrom('panel_role')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('evaluation_id', '=', evaluationId)
    .where('role', '=', 'evaluator')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('panel_member')
            .select('panel_member.id')
            .where('panel_member.evaluation_id', '=', evaluationId)
            .whereRef('panel_member.account_id', '=', 'panel_role.account_id'),
        ),
      ),
    )
    .executeTakeFirstOrThrow()
  return members + Number(row.n)
}

/** The deepest level of a criteria tree given as parent links (top-level criteria are level 1). */
function treeDepth(criteria: readonly { id: number; parent_id: number | null }[]): number {
  const parentOf = new Map(criteria.map((c) => [c.id, c.parent_id]))
  const levels = new Map<number, number>()
  let deepest = 0
  for (const { id } of criteria) {
    // Walk up to a criterion whose level is known (or the top), then fill in the levels on the way down.
    const chain: number[] = []
    let at: number | null | undefined = id
    while (at !== null && at !== undefined && !levels.has(at) && chain.length <= criteria.length) {
      chain.push(at)
      at = parentOf.get(at)
    }
    let level = at === null || at === undefined ? 0 : (levels.get(at) ?? 0)
    for (let i = chain.length - 1; i >= 0; i--) levels.set(chain[i] as number, ++level)
    deepest = Math.max(deepest, level)
  }
  return deepest
}

/** Throws a SizeLimitError naming the first limit the evaluation has outgrown, if any. */
export async function requireWithinLimits(db: Db, evaluationId: number): Promise<void> {
  const options = await countRows(db, 'option', evaluationId)
  if (options > LIMITS.options) throw new SizeLimitError('options', `An evaluation can hold at most ${count.format(LIMITS.options)} options`)
  const criteria = await db.selectFrom('criterion').select(['id', 'parent_id', 'kind']).where('evaluation_id', '=', evaluationId).execute()
  if (criteria.length > LIMITS.criteria) {
    throw new SizeLimitError('criteria', `An evaluation can hold at most ${count.format(LIMITS.criteria)} criteria and groups`)
  }
  if (treeDepth(criteria) > LIMITS.criteriaDepth) {
    throw new SizeLimitError('criteriaDepth', `Criteria can be nested at most ${LIMITS.criteriaDepth} levels deep`)
  }
  const scored = criteria.filter((c) => c.kind !== 'group').length
  if (options * scored > LIMITS.cells) {
    throw new SizeLimitError(
      'cells',
      `${count.format(options)} options × ${count.format(scored)} criteria to score would give each panel member ${count.format(options * scored)} scores to give; the most is ${count.format(LIMITS.cells)}`,
    )
  }
  if ((await countEvaluators(db, evaluationId)) > LIMITS.evaluators) {
    throw new SizeLimitError('evaluators', `A panel can have at most ${count.format(LIMITS.evaluators)} members`)
  }
  if ((await countLines(db, evaluationId, 'cost')) > LIMITS.costs) {
    throw new SizeLimitError('costs', `An evaluation can hold at most ${count.format(LIMITS.costs)} cost lines`)
  }
  if ((await countLines(db, evaluationId, 'benefit')) > LIMITS.benefits) {
    throw new SizeLimitError('benefits', `An evaluation can hold at most ${count.format(LIMITS.benefits)} benefit lines`)
  }
  if ((await countRows(db, 'sunk_cost', evaluationId)) > LIMITS.sunkCosts) {
    throw new SizeLimitError('sunkCosts', `An evaluation can hold at most ${count.format(LIMITS.sunkCosts)} sunk costs`)
  }
}
