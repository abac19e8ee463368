// Weighting rounds in the evaluation file (`weighting`, optional): stakeholders compare sibling
// criteria in pairs, and the group's weights may be applied to the criteria. The maths is in
// ahp.ts; this module holds the file's part and the figures of each round. Documented in
// docs/evaluation-file.md and docs/maths.md ("Pairwise weighting").

import { z } from 'zod'
import { groupWeights, matrixFromJudgements, matrixProblems, MAX_PAIRWISE_ITEMS, pairwiseWeights, type PairwiseMatrix, type PairwiseWeights } from './ahp.js'
import type { CriterionNode } from './file-schema.js'
import { idSchema } from './ids.js'
import { isGate, isGroup } from './weights.js'

const FRACTION = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)\s*$/

/**
 * A judgement on Saaty's scale: a number, or a fraction written as text ("1/3"), since JSON cannot
 * hold 1/3 exactly. Whether it is within 1/9..9 is checked with the matrix or pair it belongs to.
 */
export const judgementValueSchema = z.preprocess(
  (value) => {
    if (typeof value !== 'string') return value
    const match = FRACTION.exec(value)
    return match === null ? value : Number(match[1]) / Number(match[2])
  },
  z.number({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a number such as 3 or 0.2, or a fraction as text such as "1/5"') }),
)

const pairJudgementSchema = z.strictObject({
  /** `a` matters `value` times as much as `b`. */
  a: z.string().min(1),
  b: z.string().min(1),
  value: judgementValueSchema,
})

const participantSchema = z.strictObject({
  name: z.string().min(1),
  judgements: z.array(pairJudgementSchema).default([]),
})

const roundSchema = z.strictObject({
  id: idSchema,
  /** The group whose criteria are compared; null for the top level. */
  parent: z.string().min(1).nullable(),
  /** The criteria compared: two to ten siblings under `parent`, not gates. */
  items: z
    .array(z.string().min(1))
    .min(2, { error: 'must list at least two criteria: a round compares them in pairs' })
    .max(MAX_PAIRWISE_ITEMS, {
      error: `must list at most ${MAX_PAIRWISE_ITEMS} criteria: pairwise judgement is reliable up to about nine; compare sub-groups`,
    }),
  participants: z.array(participantSchema).default([]),
  /** When the lead applied the group's weights to the criteria (ISO 8601 text); absent until then. */
  applied: z.string().min(1).optional(),
})

export const weightingSchema = z.strictObject({
  rounds: z.array(roundSchema).default([]),
})

export type Weighting = z.output<typeof weightingSchema>
export type WeightingRound = Weighting['rounds'][number]
export type RoundParticipant = WeightingRound['participants'][number]

type AddIssue = (path: PropertyKey[], message: string) => void

/**
 * The rules that need the criteria tree: round ids unique; the parent a group (or null); the items
 * distinct criteria under it, not gates; participants named once; each participant's judgements
 * about the round's items, each pair once, within 1/9..9; a round applied only once someone has
 * judged every pair.
 */
export function checkWeighting(weighting: Weighting, criteria: readonly CriterionNode[], add: AddIssue): void {
  const nodes = new Map<string, CriterionNode>()
  const visit = (list: readonly CriterionNode[]): void => {
    for (const node of list) {
      if (!nodes.has(node.id)) nodes.set(node.id, node)
      if (node.criteria !== undefined) visit(node.criteria)
    }
  }
  visit(criteria)
  const roundIds = new Map<string, number>()
  weighting.rounds.forEach((round, r) => {
    const path = ['weighting', 'rounds', r]
    const first = roundIds.get(round.id)
    if (first !== undefined) add([...path, 'id'], `duplicate id "${round.id}" (also used by weighting.rounds[${first}])`)
    else roundIds.set(round.id, r)
    const siblings = checkParent(round.parent, nodes, criteria, [...path, 'parent'], add)
    const itemsKnown = checkItems(round, siblings, nodes, [...path, 'items'], add)
    const names = new Map<string, number>()
    round.participants.forEach((participant, p) => {
      const here = [...path, 'participants', p]
      const earlier = names.get(participant.name)
      if (earlier !== undefined) add([...here, 'name'], `"${participant.name}" already takes part (participants[${earlier}]); each person once`)
      else names.set(participant.name, p)
      if (!itemsKnown) return
      for (const problem of matrixFromJudgements(round.items, participant.judgements).problems) {
        add([...here, 'judgements', ...problem.path], problem.message)
      }
    })
    if (round.applied !== undefined && itemsKnown && completeMatrices(round).length === 0) {
      add([...path, 'applied'], 'nobody has judged every pair in this round, so it has no weights to apply')
    }
  })
}

/** The siblings a round under `parent` may compare, or null (after saying why) when the parent is wrong. */
function checkParent(
  parent: string | null,
  nodes: ReadonlyMap<string, CriterionNode>,
  criteria: readonly CriterionNode[],
  path: PropertyKey[],
  add: AddIssue,
): readonly CriterionNode[] | null {
  if (parent === null) return criteria
  const node = nodes.get(parent)
  if (node === undefined) {
    add(path, `unknown criterion "${parent}"`)
    return null
  }
  if (!isGroup(node)) {
    add(path, `"${parent}" is a criterion, not a group; name the group whose criteria are compared, or null for the top level`)
    return null
  }
  return node.criteria ?? []
}

function checkItems(
  round: WeightingRound,
  siblings: readonly CriterionNode[] | null,
  nodes: ReadonlyMap<string, CriterionNode>,
  path: PropertyKey[],
  add: AddIssue,
): boolean {
  let known = siblings !== null
  const under = round.parent === null ? 'at the top level' : `in "${round.parent}"`
  const seen = new Map<string, number>()
  round.items.forEach((id, i) => {
    const first = seen.get(id)
    if (first !== undefined) {
      add([...path, i], `"${id}" is listed twice (also items[${first}])`)
      known = false
      return
    }
    seen.set(id, i)
    const node = nodes.get(id)
    if (node === undefined) {
      add([...path, i], `unknown criterion "${id}"`)
      known = false
    } else if (siblings !== null && !siblings.includes(node)) {
      add([...path, i], `"${id}" is not a criterion ${under}; a round compares siblings`)
      known = false
    } else if (isGate(node)) {
      add([...path, i], `"${id}" is a gate: pass/fail, it takes no weight`)
      known = false
    }
  })
  return known
}

/** The matrices of the participants who have judged every pair, in the file's order. */
function completeMatrices(round: WeightingRound): number[][][] {
  return round.participants.flatMap((participant) => {
    const { matrix } = matrixFromJudgements(round.items, participant.judgements)
    return matrix === null ? [] : [matrix]
  })
}

// ---------------------------------------------------------------------------------------------
// Figures

/** Pairwise figures keyed by item id, as the results and the command line print them. */
export interface ItemWeights {
  readonly weights: Record<string, number>
  readonly lambdaMax: number
  readonly ci: number
  readonly cr: number
  readonly consistent: boolean
  /** When cr ≥ 0.10: the judgement "a matters value times as much as b" to reconsider first. */
  readonly inconsistency: {
    readonly a: string
    readonly b: string
    readonly value: number
    readonly consistentValue: number
    readonly suggestedValue: number
    readonly crWithSuggested: number
  } | null
}

export function itemWeights(items: readonly string[], figures: PairwiseWeights): ItemWeights {
  const { inconsistency } = figures
  return {
    weights: Object.fromEntries(items.map((item, i) => [item, figures.weights[i]!])),
    lambdaMax: figures.lambdaMax,
    ci: figures.ci,
    cr: figures.cr,
    consistent: figures.consistent,
    inconsistency:
      inconsistency === null
        ? null
        : {
            a: items[inconsistency.row]!,
            b: items[inconsistency.column]!,
            value: inconsistency.value,
            consistentValue: inconsistency.consistentValue,
            suggestedValue: inconsistency.suggestedValue,
            crWithSuggested: inconsistency.crWithSuggested,
          },
  }
}

export interface ParticipantResult {
  readonly name: string
  /** True once every pair is judged; only then are there figures. */
  readonly complete: boolean
  /** Pairs not yet judged, as [a, b]. */
  readonly missing: [string, string][]
  readonly figures: ItemWeights | null
}

export interface RoundResult {
  readonly id: string
  readonly parent: string | null
  readonly items: string[]
  readonly applied: string | null
  readonly participants: ParticipantResult[]
  /** From the geometric mean of the complete participants' matrices; null until one is complete. */
  readonly group: ItemWeights | null
  /** How many participants the group's figures rest on. */
  readonly groupSize: number
}

/** The figures of every round in a parsed file (whose judgements the schema has checked). */
export function weightingResults(weighting: Weighting): RoundResult[] {
  return weighting.rounds.map((round) => {
    const matrices: PairwiseMatrix[] = []
    const participants = round.participants.map((participant): ParticipantResult => {
      const { matrix, missing } = matrixFromJudgements(round.items, participant.judgements)
      if (matrix === null || matrixProblems(matrix).length > 0) return { name: participant.name, complete: false, missing, figures: null }
      matrices.push(matrix)
      return { name: participant.name, complete: true, missing, figures: itemWeights(round.items, pairwiseWeights(matrix)) }
    })
    return {
      id: round.id,
      parent: round.parent,
      items: [...round.items],
      applied: round.applied ?? null,
      participants,
      group: matrices.length === 0 ? null : itemWeights(round.items, groupWeights(matrices)),
      groupSize: matrices.length,
    }
  })
}
