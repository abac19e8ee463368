// Small builders for evaluation files in tests.

import {
  panelStateOfFile,
  parseEvaluationFile,
  submittedOptions,
  weighCriteria,
  type EvaluationFile,
  type EvaluationFileInput,
} from '../../src/appraisal/index.js'

/** The smallest valid file, with any top-level fields replaced. */
export function evaluationInput(overrides: Partial<EvaluationFileInput> = {}): EvaluationFileInput {
  return {
    format: 'options-appraisal/1',
    title: 'Test appraisal',
    appraisal: { baseYear: 2024, years: 10 },
    options: [{ id: 'a', name: 'Option A' }],
    criteria: [{ id: 'q', name: 'Quality' }],
    ...overrides,
  }
}

/** Parses a file and fails the test with the file's errors if it is invalid. */
export function parsed(input: unknown): EvaluationFile {
  const result = parseEvaluationFile(input)
  if (!result.ok) throw new Error(`invalid test file:\n${result.errors.join('\n')}`)
  return result.file
}

export function evaluation(overrides: Partial<EvaluationFileInput> = {}): EvaluationFile {
  return parsed(evaluationInput(overrides))
}

/** The errors a file gives; fails the test if the file is valid. */
export function errorsOf(input: unknown): string[] {
  const result = parseEvaluationFile(input)
  if (result.ok) throw new Error('expected the file to be invalid')
  return result.errors
}

/**
 * The methodology's rank-reversal example: one criterion scored 0..100 (so the score is the
 * quality), costs in year 0, no discounting, split 50/50.
 */
export function rankReversalInput(options: readonly { id: string; quality: number; price: number }[]): EvaluationFileInput {
  return evaluationInput({
    title: 'Rank reversal',
    scale: { min: 0, max: 100 },
    split: { quality: 50, cost: 50 },
    appraisal: { baseYear: 2024, years: 1, discount: 'none' },
    options: options.map((option) => ({ id: option.id, name: option.id.toUpperCase() })),
    criteria: [{ id: 'quality', name: 'Quality' }],
    consensus: options.map((option) => ({ option: option.id, criterion: 'quality', score: option.quality })),
    costs: options.map((option) => ({ option: option.id, label: 'Price', amount: option.price, from: 0 })),
  })
}

/**
 * The worked example in docs/maths.md: business as usual and three tenders, two top-level entries
 * (a group with a gate inside, and a criterion), costs over three years discounted at 10%.
 */
export function workedExampleInput(): EvaluationFileInput {
  return {
    format: 'options-appraisal/1',
    title: 'Worked example',
    scale: { min: 0, max: 5 },
    split: { quality: 70, cost: 30 },
    priceFormula: 'relative-to-lowest',
    appraisal: { baseYear: 2024, years: 3, discount: { rate: 0.1 }, optimismBias: { capital: 0.5, operating: 0 } },
    options: [
      { id: 'retain', name: 'Retain the current system', baseline: true },
      { id: 'alpha', name: 'Alpha Records' },
      { id: 'beta', name: 'Beta Cloud' },
      { id: 'gamma', name: 'Gamma Hosted', tender: true },
    ],
    criteria: [
      {
        id: 'functional',
        name: 'Functional fit',
        weight: 60,
        criteria: [
          { id: 'recording', name: 'Crime recording', weight: 2 },
          { id: 'search', name: 'Search' },
          { id: 'live', name: 'In live use elsewhere', gate: true },
        ],
      },
      { id: 'service', name: 'Service', weight: 40 },
    ],
    evaluators: [
      { id: 'e1', name: 'First evaluator' },
      { id: 'e2', name: 'Second evaluator' },
    ],
    scores: [
      { evaluator: 'e1', option: 'alpha', criterion: 'recording', score: 4 },
      { evaluator: 'e2', option: 'alpha', criterion: 'recording', score: 5 },
      { evaluator: 'e1', option: 'alpha', criterion: 'search', score: 3 },
      { evaluator: 'e2', option: 'alpha', criterion: 'search', score: 5 },
    ],
    consensus: [
      { option: 'retain', criterion: 'recording', score: 2 },
      { option: 'retain', criterion: 'search', score: 3 },
      { option: 'retain', criterion: 'service', score: 3 },
      { option: 'retain', criterion: 'live', score: 1 },
      { option: 'alpha', criterion: 'search', score: 4 },
      { option: 'alpha', criterion: 'service', score: 3 },
      { option: 'alpha', criterion: 'live', score: 1 },
      { option: 'beta', criterion: 'recording', score: 5 },
      { option: 'beta', criterion: 'search', score: 5 },
      { option: 'beta', criterion: 'service', score: 5 },
      { option: 'beta', criterion: 'live', score: 0 },
      { option: 'gamma', criterion: 'recording', score: 2 },
      { option: 'gamma', criterion: 'search', score: 3 },
      { option: 'gamma', criterion: 'service', score: 3 },
      { option: 'gamma', criterion: 'live', score: 1 },
    ],
    costs: [
      { option: 'retain', label: 'Support', amount: 100, from: 0, to: 2 },
      { option: 'alpha', label: 'Implementation', capital: true, amount: 200, from: 0 },
      { option: 'alpha', label: 'Licences', amount: 50, from: 0, to: 2, growth: 0.1 },
      { option: 'beta', label: 'Subscription', amount: 100, from: 0 },
      { option: 'gamma', label: 'Hosting and support', amount: 100, from: 0, to: 2 },
    ],
    benefits: [{ option: 'alpha', label: 'Officer time released', amount: 200, from: 1, to: 2, cash: false }],
    sunkCosts: [{ option: 'retain', label: 'Build to date', amount: 5000 }],
  }
}

/**
 * The evaluation with moderation finished: every option gets a consensus on every criterion and gate
 * that lacks one (the rounded mean of the individual scores, or the middle of the scale; a gate
 * passes), each evaluator who has not submitted an option they score is excused from it, and every
 * evaluator who scores an option has confirmed its consensus.
 */
export function completeConsensus(file: EvaluationFile): EvaluationFile {
  const consensus = [...file.consensus]
  const leaves = [...weighCriteria(file.criteria).nodes].filter((n) => n.role === 'scored' || n.role === 'gate')
  for (const option of file.options) {
    for (const leaf of leaves) {
      if (consensus.some((c) => c.option === option.id && c.criterion === leaf.id)) continue
      const scores = file.scores
        .filter((s) => s.option === option.id && s.criterion === leaf.id)
        .flatMap((s) => (s.draft === true || s.score === undefined ? [] : [s.score]))
      const score =
        leaf.role === 'gate'
          ? 1
          : scores.length > 0
            ? Math.round(scores.reduce((a, b) => a + b, 0) / scores.length)
            : Math.round((file.scale.min + file.scale.max) / 2)
      consensus.push({ option: option.id, criterion: leaf.id, score, rationale: 'Moderated for the test.' })
    }
  }
  const state = panelStateOfFile({ ...file, consensus })
  // Who submitted what made explicit: once the file lists excuses, it records submissions.
  const submitted = submittedOptions(file)
  const evaluators = file.evaluators.map(({ submitted: _, ...evaluator }) => {
    const excused = [...(evaluator.excused ?? [])]
    const confirmations = [...(evaluator.confirmations ?? [])]
    for (const [option, here] of state.options) {
      if (here.awaitingSubmission.includes(evaluator.id)) excused.push({ option, reason: 'Excused for the test.' })
      if (here.awaitingConfirmation.includes(evaluator.id) && !excused.some((x) => x.option === option)) confirmations.push({ option })
    }
    const theirs = submitted.get(evaluator.id) ?? []
    return {
      ...evaluator,
      ...(theirs.length > 0 ? { submitted: [...theirs] } : {}),
      ...(excused.length > 0 ? { excused } : {}),
      ...(confirmations.length > 0 ? { confirmations } : {}),
    }
  })
  return { ...file, consensus, evaluators }
}
