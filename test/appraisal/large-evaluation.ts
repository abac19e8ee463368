// A large, valid evaluation for timing: options × criteria × evaluators individual scores, with
// consensus on some cells and cost lines with ranges. Deterministic (no randomness).

import type { EvaluationFileInput } from '../../src/appraisal/index.js'

export interface LargeEvaluationSize {
  readonly options: number
  readonly criteria: number
  readonly evaluators: number
  readonly groups?: number
}

export function largeEvaluation({ options, criteria, evaluators, groups = 10 }: LargeEvaluationSize): EvaluationFileInput {
  const perGroup = Math.ceil(criteria / groups)
  const criteriaTree = Array.from({ length: groups }, (_, g) => ({
    id: `g${g}`,
    name: `Group ${g}`,
    weight: g + 1,
    criteria: Array.from({ length: perGroup }, (_, c) => ({ id: `g${g}-c${c}`, name: `Criterion ${g}.${c}`, weight: (c % 5) + 1 })),
  }))
  const leafIds = criteriaTree.flatMap((group) => group.criteria.map((criterion) => criterion.id))
  const optionIds = Array.from({ length: options }, (_, o) => `option-${o}`)
  const evaluatorIds = Array.from({ length: evaluators }, (_, e) => `e${e}`)
  const scores = optionIds.flatMap((option, o) =>
    leafIds.flatMap((criterion, c) =>
      evaluatorIds.map((evaluator, e) => ({ evaluator, option, criterion, score: (o * 7 + c * 3 + e * 5) % 6 })),
    ),
  )
  return {
    format: 'options-appraisal/1',
    title: 'Large evaluation',
    split: { quality: 60, cost: 40 },
    appraisal: { baseYear: 2024, years: 10 },
    options: optionIds.map((id) => ({ id, name: id })),
    criteria: criteriaTree,
    evaluators: evaluatorIds.map((id) => ({ id, name: id })),
    scores,
    consensus: optionIds.slice(0, 2).map((option) => ({ option, criterion: leafIds[0] ?? '', score: 3 })),
    costs: optionIds.flatMap((option, o) => [
      { option, label: 'Licences', amount: 100_000 + 5_000 * o, from: 0, to: 9, range: { low: 0.9, high: 1.3 } },
      { option, label: 'Implementation', capital: true, amount: 400_000 + 20_000 * ((o * 3) % 7), from: 0, range: { low: 0.8, high: 2 } },
    ]),
  }
}
