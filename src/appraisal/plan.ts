// The evaluation plan: what the panel will judge tenders on, fixed before tenders are opened
// (docs/evaluation-file.md#the-evaluation-plan). Its hash is SHA-256 over the RFC 8785 canonical
// JSON of exactly the fields below, made from the evaluation file, so the app (on either database)
// and the command line give the same hash for the same plan.

import { createHash } from 'node:crypto'
import { canonicalize } from './canonical-json.js'
import type { CriterionNode, EvaluationFile } from './file-schema.js'
import { priceScoresInto, ranksOf, totalScore } from './scoring.js'
import { isGate, isGroup } from './weights.js'

export const PLAN_FORMAT = 'options-appraisal-plan/1'

/** The parts of an evaluation file the plan is made from. */
export type PlanSource = Pick<EvaluationFile, 'scale' | 'criteria' | 'split' | 'priceFormula' | 'priceBasis' | 'panel' | 'tieBreaker'>

export interface PlanCriterion {
  id: string
  name: string
  kind: 'group' | 'criterion' | 'gate'
  /** As entered: null where none was (a criterion then weighs 1 among its siblings; a gate never weighs). */
  weight: number | null
  guidance: string | null
  descriptors: Record<string, string>
  criteria?: PlanCriterion[]
}

/** The plan's fields, each always present, so a default and its explicit value hash the same. */
export interface Plan {
  format: typeof PLAN_FORMAT
  scale: { min: number; max: number; labels: Record<string, string>; descriptors: Record<string, string> }
  criteria: PlanCriterion[]
  split: { quality: number; cost: number }
  priceFormula: EvaluationFile['priceFormula']
  /** What the evaluated price covers, as published; null when not stated. */
  priceBasis: string | null
  panel: { minRationale: number; tolerance: number }
  tieBreaker: string | null
}

export function planOf(source: PlanSource): Plan {
  return {
    format: PLAN_FORMAT,
    scale: { min: source.scale.min, max: source.scale.max, labels: source.scale.labels ?? {}, descriptors: source.scale.descriptors ?? {} },
    criteria: source.criteria.map(planCriterion),
    split: { quality: source.split.quality, cost: source.split.cost },
    priceFormula: source.priceFormula,
    priceBasis: source.priceBasis ?? null,
    panel: { minRationale: source.panel.minRationale, tolerance: source.panel.tolerance },
    tieBreaker: source.tieBreaker ?? null,
  }
}

function planCriterion(node: CriterionNode): PlanCriterion {
  const group = isGroup(node)
  return {
    id: node.id,
    name: node.name,
    kind: group ? 'group' : isGate(node) ? 'gate' : 'criterion',
    weight: node.weight ?? null,
    guidance: node.guidance ?? null,
    descriptors: node.descriptors ?? {},
    ...(group ? { criteria: (node.criteria ?? []).map(planCriterion) } : {}),
  }
}

/** The plan's canonical JSON (RFC 8785): the text its hash is taken over. */
export function planText(plan: Plan): string {
  return canonicalize(plan)
}

/** SHA-256, in hex, over the plan's canonical JSON in UTF-8. */
export function planHash(source: PlanSource): string {
  return createHash('sha256')
    .update(planText(planOf(source)), 'utf8')
    .digest('hex')
}

/**
 * The criteria a change to the plan touched, by id: each whose own entry (name, kind, weight,
 * guidance, descriptors) changed or that is new, with everything beneath a group that changed; every
 * criterion when the scale changed, since a score means something else on another scale. Scores
 * already given against these are for the panel to revisit.
 */
export function changedCriteria(before: Plan, after: Plan): string[] {
  const entries = (nodes: readonly PlanCriterion[], into = new Map<string, string>()) => {
    for (const { criteria, ...entry } of nodes) {
      into.set(entry.id, canonicalize(entry))
      entries(criteria ?? [], into)
    }
    return into
  }
  const was = entries(before.criteria)
  const scaleChanged = canonicalize(before.scale) !== canonicalize(after.scale)
  const changed: string[] = []
  const visit = (nodes: readonly PlanCriterion[], parentChanged: boolean) => {
    for (const { criteria, ...entry } of nodes) {
      const here = parentChanged || scaleChanged || was.get(entry.id) !== canonicalize(entry)
      if (here) changed.push(entry.id)
      visit(criteria ?? [], here)
    }
  }
  visit(after.criteria, false)
  return changed
}

/** Three made-up tenders, their price and quality, to show how the plan's price formula scores. */
export const WORKED_EXAMPLE_TENDERS = [
  { name: 'Tender A', price: 800_000, quality: 60 },
  { name: 'Tender B', price: 1_000_000, quality: 75 },
  { name: 'Tender C', price: 1_250_000, quality: 90 },
] as const

export interface WorkedExampleRow {
  name: string
  price: number
  quality: number
  priceScore: number
  total: number
  rank: number
}

/** The worked example of the price formula: the engine's own price scores, totals and ranks for the made-up tenders. */
export function priceWorkedExample(source: Pick<PlanSource, 'split' | 'priceFormula'>): WorkedExampleRow[] {
  const count = WORKED_EXAMPLE_TENDERS.length
  const scores = new Float64Array(count)
  const eligible = new Uint8Array(count).fill(1)
  const price = WORKED_EXAMPLE_TENDERS.map((t) => t.price)
  const quality = WORKED_EXAMPLE_TENDERS.map((t) => t.quality)
  priceScoresInto(scores, price, quality, eligible, source.priceFormula)
  const totals = WORKED_EXAMPLE_TENDERS.map((t, i) => totalScore(t.quality, scores[i]!, source.split, source.priceFormula))
  const ranks = ranksOf(totals, eligible)
  return WORKED_EXAMPLE_TENDERS.map((t, i) => ({ ...t, priceScore: scores[i]!, total: totals[i]!, rank: ranks[i]! }))
}

/** The eligible options ranked first together, when more than one is: the tie the plan's tie-breaker decides. */
export function tiedFirst(results: { options: readonly { id: string; rank: number | null }[] }): string[] {
  const first = results.options.filter((option) => option.rank === 1).map((option) => option.id)
  return first.length > 1 ? first : []
}

/** A dated record of the panel's scoring work in the file: whose, what, and when. */
export interface PanelRecord {
  /** For a sentence: “Helen Marsh’s declaration of interest”, “the moderation meeting”. */
  what: string
  /** As the file gives it: a moment (ISO 8601) or, for a meeting, a date (YYYY-MM-DD). */
  at: string
  /** Whether `at` is a date with no time of day (a meeting's). */
  dateOnly: boolean
}

/** When the plan was approved against the panel's scoring: which came first, by the earliest dated record of that work. */
export interface ApprovalAgainstScoring {
  first: PanelRecord
  /** True when the plan was approved before that record (a meeting on the day of the approval, with no time of day, does not show it). */
  approvedFirst: boolean
}

/**
 * Sets the plan's approval beside the earliest dated record of the panel's scoring work that the
 * file holds: an evaluator's declaration of interest (made before they may score), a moderation
 * meeting, a confirmation of the consensus. Scores carry no date of their own, so this is how a file
 * shows that its plan was fixed before scoring began. Null when the plan is not approved, when the
 * approval's date is not a date, or when the file dates none of that work.
 */
export function approvalAgainstScoring(file: Pick<EvaluationFile, 'plan' | 'evaluators' | 'meetings'>): ApprovalAgainstScoring | null {
  const approved = file.plan === undefined ? Number.NaN : Date.parse(file.plan.approvedAt)
  if (Number.isNaN(approved)) return null
  const records: (PanelRecord & { time: number })[] = []
  const add = (what: string, at: string | undefined, dateOnly = false) => {
    const time = at === undefined ? Number.NaN : Date.parse(at)
    if (!Number.isNaN(time)) records.push({ what, at: at!, dateOnly, time })
  }
  for (const evaluator of file.evaluators) {
    add(`${evaluator.name}’s declaration of interest`, evaluator.declaration?.declaredAt)
    for (const confirmation of evaluator.confirmations ?? []) add(`${evaluator.name}’s confirmation of the consensus`, confirmation.at)
  }
  for (const meeting of file.meetings ?? []) add('the moderation meeting', meeting.date, true)
  const first = records.reduce<(typeof records)[number] | undefined>(
    (earliest, r) => (earliest === undefined || r.time < earliest.time ? r : earliest),
    undefined,
  )
  if (first === undefined) return null
  const { time, ...record } = first
  const approvedFirst = record.dateOnly ? new Date(approved).toISOString().slice(0, 10) < record.at.slice(0, 10) : approved < time
  return { first: record, approvedFirst }
}
