// A large, valid evaluation for timing: options × criteria × evaluators individual scores, with
// consensus on some cells and cost lines with ranges. Deterministic (no randomness).
//
// The defaults give the plain file the engine tests and the round-trip test use. The optional
// switches make it look like a finished panel's record (the benchmark's evaluation): a three-level
// tree with guidance, a rationale and evidence on every score, declarations, consensus on every
// cell and many cost lines per option.

import type { EvaluationFileInput } from '../../src/appraisal/index.js'

export interface LargeEvaluationSize {
  readonly options: number
  readonly criteria: number
  readonly evaluators: number
  /** Top-level groups of the criteria tree. */
  readonly groups?: number
  /** 2: groups of criteria; 3: groups of sub-groups (five per group) of criteria. */
  readonly levels?: 2 | 3
  /** Written words everywhere a panel writes them: rationales, evidence, guidance, scale labels. */
  readonly text?: boolean
  /** Consensus on every option and criterion, as when moderation is complete (otherwise two cells). */
  readonly consensusOnAll?: boolean
  /** Cost lines per option, every one with a range (otherwise two). */
  readonly costLinesPerOption?: number
  /** Every evaluator has declared no interest, so each may score at once. */
  readonly declared?: boolean
}

const SUBGROUPS = 5

interface Leaf {
  id: string
  name: string
  weight: number
  guidance?: string
}

function leafCriteria(prefix: string, label: string, count: number, text: boolean): Leaf[] {
  return Array.from({ length: count }, (_, c) => ({
    id: `${prefix}-c${c}`,
    name: `Criterion ${label}.${c}`,
    weight: (c % 5) + 1,
    ...(text ? { guidance: `Look for a demonstration of criterion ${label}.${c} with the force's own data, and references from two live customers.` } : {}),
  }))
}

function criteriaTree(criteria: number, groups: number, levels: 2 | 3, text: boolean) {
  const perGroup = Math.ceil(criteria / groups)
  if (levels === 2) {
    return Array.from({ length: groups }, (_, g) => ({
      id: `g${g}`,
      name: `Group ${g}`,
      weight: g + 1,
      criteria: leafCriteria(`g${g}`, String(g), perGroup, text),
    }))
  }
  const perSubgroup = Math.ceil(perGroup / SUBGROUPS)
  return Array.from({ length: groups }, (_, g) => ({
    id: `g${g}`,
    name: `Group ${g}`,
    weight: g + 1,
    criteria: Array.from({ length: SUBGROUPS }, (_, s) => ({
      id: `g${g}-s${s}`,
      name: `Group ${g}.${s}`,
      weight: (s % 3) + 1,
      criteria: leafCriteria(`g${g}-s${s}`, `${g}.${s}`, perSubgroup, text),
    })),
  }))
}

const FINDINGS = [
  'The demonstration showed this working end to end with our sample records',
  'The written answer describes the feature but the demonstration did not show it',
  'Two reference sites confirmed this is in daily use by officers and staff',
  'Only partly met: the supplier proposes configuration work at extra cost',
  'Met in full, with audit of every change visible to supervisors',
  'Not met: the product relies on a third-party module that is not yet supported',
]

function rationale(option: number, criterion: number, evaluator: number): string {
  const finding = FINDINGS[(option + criterion * 5 + evaluator * 7) % FINDINGS.length]
  return `${finding} (option ${option}, criterion ${criterion}; panel member ${evaluator}'s notes from the session).`
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : Math.round((sorted[middle - 1]! + sorted[middle]!) / 2)
}

const COST_LABELS = [
  'Licences',
  'Implementation',
  'Data migration',
  'Hosting',
  'Support and maintenance',
  'Training',
  'Integration with the command and control system',
  'Integration with the national systems',
  'Hardware refresh',
  'Project team',
  'Business change',
  'Testing and assurance',
  'Security accreditation',
  'Decommissioning the old system',
  'Storage growth',
  'Mobile devices',
  'Disaster recovery',
  'Upgrades',
  'Reporting and analytics',
  'Contingency',
]

function costLines(optionIds: string[], perOption: number) {
  return optionIds.flatMap((option, o) =>
    Array.from({ length: perOption }, (_, l) => {
      const capital = l % 3 === 1
      const from = capital ? l % 2 : l % 4 === 0 ? 0 : 1
      return {
        option,
        label: COST_LABELS[l % COST_LABELS.length]!,
        category: capital ? 'Implementation' : 'Running',
        capital,
        amount: (capital ? 150_000 : 20_000) + 2_500 * ((o * 11 + l * 7) % 19),
        from,
        ...(capital ? {} : { to: 9, growth: (l % 3) * 0.01 }),
        range: { low: 0.8 + 0.05 * (l % 4), high: 1.2 + 0.2 * ((o + l) % 5) },
      }
    }),
  )
}

export function largeEvaluation(size: LargeEvaluationSize): EvaluationFileInput {
  const { options, criteria, evaluators, groups = 10, levels = 2, text = false, consensusOnAll = false, costLinesPerOption, declared = false } = size
  const tree = criteriaTree(criteria, groups, levels, text)
  const leafIds = tree.flatMap((group) => group.criteria.flatMap((node) => ('criteria' in node ? node.criteria.map((leaf) => leaf.id) : [node.id])))
  const optionIds = Array.from({ length: options }, (_, o) => `option-${o}`)
  const evaluatorIds = Array.from({ length: evaluators }, (_, e) => `e${e}`)
  const scoreOf = (o: number, c: number, e: number) => (o * 7 + c * 3 + e * 5) % 6
  const scores = optionIds.flatMap((option, o) =>
    leafIds.flatMap((criterion, c) =>
      evaluatorIds.map((evaluator, e) => ({
        evaluator,
        option,
        criterion,
        score: scoreOf(o, c, e),
        ...(text ? { rationale: rationale(o, c, e), evidence: `Bid section ${c + 1}.${e % 4}` } : {}),
      })),
    ),
  )
  const consensus = consensusOnAll
    ? optionIds.flatMap((option, o) =>
        leafIds.map((criterion, c) => ({
          option,
          criterion,
          score: median(evaluatorIds.map((_, e) => scoreOf(o, c, e))),
          ...(text ? { rationale: `Moderated: the panel discussed the spread of scores for option ${o} on criterion ${c} and agreed the median.` } : {}),
        })),
      )
    : optionIds.slice(0, 2).map((option) => ({ option, criterion: leafIds[0] ?? '', score: 3 }))
  return {
    format: 'options-appraisal/1',
    title: 'Large evaluation',
    ...(text
      ? {
          organisation: 'Example Constabulary',
          scale: { min: 0, max: 5, labels: { '0': 'Unacceptable', '1': 'Poor', '2': 'Weak', '3': 'Adequate', '4': 'Good', '5': 'Excellent' } },
        }
      : {}),
    split: { quality: 60, cost: 40 },
    appraisal: { baseYear: 2024, years: 10 },
    options: optionIds.map((id) => ({ id, name: id })),
    criteria: tree,
    evaluators: evaluatorIds.map((id) => ({
      id,
      name: id,
      ...(declared ? { declaration: { interest: false, declaredAt: '2024-01-08T09:00:00.000Z' } } : {}),
    })),
    scores,
    consensus,
    costs:
      costLinesPerOption === undefined
        ? optionIds.flatMap((option, o) => [
            { option, label: 'Licences', amount: 100_000 + 5_000 * o, from: 0, to: 9, range: { low: 0.9, high: 1.3 } },
            { option, label: 'Implementation', capital: true, amount: 400_000 + 20_000 * ((o * 3) % 7), from: 0, range: { low: 0.8, high: 2 } },
          ])
        : costLines(optionIds, costLinesPerOption),
  }
}
