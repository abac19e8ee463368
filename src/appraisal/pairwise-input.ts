// The input of `appraise ahp MATRIX.json`: items and one person's matrix, or several people's.

import { z } from 'zod'
import { groupWeights, matrixProblems, MAX_PAIRWISE_ITEMS, pairwiseWeights } from './ahp.js'
import { parseWithSchema } from './issue-messages.js'
import { itemWeights, judgementValueSchema, type ItemWeights } from './weighting.js'

const matrixSchema = z.array(z.array(judgementValueSchema))

const pairwiseInputShape = z.strictObject({
  items: z
    .array(z.string().min(1))
    .min(2, { error: 'must list at least two items to compare' })
    .max(MAX_PAIRWISE_ITEMS, { error: `must list at most ${MAX_PAIRWISE_ITEMS} items: pairwise judgement is reliable up to about nine; compare sub-groups` }),
  matrix: matrixSchema.optional(),
  judgements: z.array(matrixSchema).min(1).optional(),
})

export const pairwiseInputSchema = pairwiseInputShape.superRefine((input, ctx) => {
  const add = (path: PropertyKey[], message: string): void => {
    ctx.addIssue({ code: 'custom', path, message })
  }
  const seen = new Map<string, number>()
  input.items.forEach((item, i) => {
    const first = seen.get(item)
    if (first !== undefined) add(['items', i], `"${item}" is listed twice (also items[${first}])`)
    else seen.set(item, i)
  })
  if ((input.matrix === undefined) === (input.judgements === undefined)) {
    add([], 'give either "matrix" (one person\'s judgements) or "judgements" (a list of matrices, one per person)')
    return
  }
  const check = (matrix: readonly (readonly number[])[], path: PropertyKey[]): void => {
    if (matrix.length !== input.items.length) {
      add(path, `must have ${input.items.length} rows, one per item, not ${matrix.length}`)
      return
    }
    for (const problem of matrixProblems(matrix)) add([...path, ...problem.path], problem.message)
  }
  if (input.matrix !== undefined) check(input.matrix, ['matrix'])
  input.judgements?.forEach((matrix, k) => {
    check(matrix, ['judgements', k])
  })
})

export type PairwiseInput = z.output<typeof pairwiseInputSchema>

/** What the command prints: for several people, the group's figures and each person's, in order. */
export type PairwiseOutput = ItemWeights & { participants?: ItemWeights[] }

export function weighPairwiseInput(value: unknown): { ok: true; output: PairwiseOutput } | { ok: false; errors: string[] } {
  const parsed = parseWithSchema(pairwiseInputSchema, value)
  if (!parsed.ok) return parsed
  const { items, matrix, judgements } = parsed.value
  if (matrix !== undefined) return { ok: true, output: itemWeights(items, pairwiseWeights(matrix)) }
  const matrices = judgements ?? []
  return {
    ok: true,
    output: {
      ...itemWeights(items, groupWeights(matrices)),
      participants: matrices.map((each) => itemWeights(items, pairwiseWeights(each))),
    },
  }
}
