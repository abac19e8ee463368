import fc from 'fast-check'
import { describe, it } from 'vitest'
import { computeResults, computeSensitivity, parseEvaluationFile, weighCriteria, type EvaluationFile } from '../../src/appraisal/index.js'
import { criteriaArbitrary, evaluationArbitrary, evaluationInputArbitrary } from './arbitraries.js'

/** Equal to within a relative 1e-9 (price scores are ratios of sums). */
function near(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))
}

describe('properties of random valid evaluations', () => {
  it('every generated evaluation is valid', () => {
    fc.assert(fc.property(evaluationInputArbitrary(), (input) => parseEvaluationFile(input).ok))
  })

  it('effective weights of the scored leaves sum to 1', () => {
    fc.assert(
      fc.property(criteriaArbitrary(), (criteria) => {
        const leaves = weighCriteria(criteria).scoredLeaves
        if (leaves.length === 0) return true
        const sum = leaves.reduce((total, leaf) => total + leaf.effectiveWeight, 0)
        return Math.abs(sum - 1) < 1e-12
      }),
    )
  })

  it('scaling every cost by the same factor leaves price scores unchanged', () => {
    fc.assert(
      fc.property(evaluationArbitrary(), fc.double({ min: 0.01, max: 100, noNaN: true }), (file, factor) => {
        const scaled: EvaluationFile = { ...file, costs: file.costs.map((line) => ({ ...line, amount: line.amount * factor })) }
        const before = computeResults(file).options
        const after = computeResults(scaled).options
        return before.every((option, i) => near(option.priceScore, after[i]?.priceScore ?? null))
      }),
    )
  })

  it('an option that fails a gate never changes the other options’ price scores', () => {
    // Factors below 1e-9 count as 0: a cost of 5e-324 over the baseline gives a benefit-cost ratio past
    // the largest number, which the engine refuses (finite.ts) rather than give as Infinity.
    const factors = fc.double({ min: 0, max: 50, noNaN: true }).map((factor) => (factor < 1e-9 ? 0 : factor))
    fc.assert(
      fc.property(evaluationArbitrary({ maxOptions: 5 }), fc.nat(), factors, (file, pick, factor) => {
        if (file.options.length < 2) return true
        const failing = file.options[pick % file.options.length]?.id ?? ''
        // Add a top-level gate that only the chosen option fails, then make its costs anything.
        const gated: EvaluationFile = {
          ...file,
          criteria: [...file.criteria, { id: 'property-gate', name: 'Property gate', gate: true }],
          consensus: [
            ...file.consensus,
            ...file.options.map((option) => ({ option: option.id, criterion: 'property-gate', score: option.id === failing ? 0 : 1 })),
          ],
        }
        const recosted: EvaluationFile = {
          ...gated,
          costs: gated.costs.map((line) => (line.option === failing ? { ...line, amount: line.amount * factor } : line)),
        }
        const withoutIt: EvaluationFile = {
          ...gated,
          options: gated.options.filter((option) => option.id !== failing),
          consensus: gated.consensus.filter((score) => score.option !== failing),
          scores: gated.scores.filter((score) => score.option !== failing),
          costs: gated.costs.filter((line) => line.option !== failing),
          benefits: gated.benefits.filter((line) => line.option !== failing),
        }
        const a = computeResults(gated).options.filter((option) => option.id !== failing)
        const b = computeResults(recosted).options.filter((option) => option.id !== failing)
        const c = computeResults(withoutIt).options
        return a.every((option, i) => near(option.priceScore, b[i]?.priceScore ?? null) && near(option.priceScore, c[i]?.priceScore ?? null))
      }),
    )
  })

  it('quality, price scores and totals stay within 0..100, and group contributions sum to quality', () => {
    fc.assert(
      fc.property(evaluationArbitrary(), (file) =>
        computeResults(file).options.every((option) => {
          const inRange = (value: number | null): boolean => value === null || (value >= -1e-9 && value <= 100 + 1e-9)
          const contributions = option.groups.reduce((sum, group) => sum + group.contribution, 0)
          return inRange(option.quality) && inRange(option.priceScore) && inRange(option.total) && Math.abs(contributions - option.quality) < 1e-9
        }),
      ),
    )
  })

  it('the preferred option is the only eligible option ranked first', () => {
    fc.assert(
      fc.property(evaluationArbitrary(), (file) => {
        const results = computeResults(file)
        const first = results.options.filter((option) => option.rank === 1)
        return results.preferred === (first.length === 1 ? (first[0]?.id ?? null) : null)
      }),
    )
  })

  it('Monte Carlo probabilities of coming first sum to 1, unless no option was eligible in any iteration', () => {
    fc.assert(
      fc.property(evaluationArbitrary({ maxOptions: 4 }), (file) => {
        const outcome = computeSensitivity(file, { iterations: 50, seed: 3 })
        if (!outcome.computed) return true
        const probabilities = Object.values(outcome.sensitivity.monteCarlo.probabilityFirst)
        const sum = probabilities.reduce((total, p) => total + p, 0)
        const noneEver = outcome.warnings.includes('monte carlo: in every iteration every option failed a gate, so no option came first')
        return (noneEver ? sum === 0 : Math.abs(sum - 1) < 1e-9) && probabilities.every((p) => p >= 0 && p <= 1)
      }),
      { numRuns: 100 },
    )
  })

  it('the preferred option stays first between each current share and its switching value, and is caught up at it', () => {
    fc.assert(
      fc.property(evaluationArbitrary(), fc.double({ min: 0.05, max: 0.95, noNaN: true }), (file, along) => {
        const outcome = computeSensitivity(file, { iterations: 1 })
        if (!outcome.computed) return true
        const preferred = computeResults(file).preferred
        return outcome.sensitivity.weights.every((entry) => {
          if (entry.switchesAt === null) return true
          const share = (percent: number): EvaluationFile | null => withShare(file, entry.id, percent)
          const atSwitch = share(entry.switchesAt)
          const point = entry.current + along * (entry.switchesAt - entry.current)
          const between = share(point)
          if (atSwitch === null || between === null) return true
          // The search narrows the switching value to 1e-12 of a share (1e-10 points): a point nearer
          // than that may lie past the true value, as when the change comes at the smallest step off
          // the current share (an unscored option's quality leaving 0 under price per quality point).
          const resolved = Math.abs(entry.switchesAt - point) > 1e-8
          return !aloneFirst(atSwitch, preferred, 1e-6) && (!resolved || computeResults(between).preferred === preferred)
        })
      }),
      { numRuns: 300 },
    )
  })

  it('a cost switching value is where the change first makes a difference', () => {
    fc.assert(
      fc.property(evaluationArbitrary(), (file) => {
        const outcome = computeSensitivity(file, { iterations: 1 })
        if (!outcome.computed) return true
        const preferred = computeResults(file).preferred
        return outcome.sensitivity.costs.every((entry) => {
          if (entry.switchesAt === null) return true
          const sign = entry.id === preferred ? 1 : -1
          const scaled = (percent: number): EvaluationFile => withCostsScaled(file, entry.id, 1 + (sign * percent) / 100)
          if (entry.id === preferred) {
            // The preferred option has lost first place just past the value, and holds it halfway there.
            return !aloneFirst(scaled(entry.switchesAt + 1e-6), preferred, 0) && aloneFirst(scaled(entry.switchesAt / 2), preferred, 0)
          }
          // Another option draws level (or leads) just past the value, and not halfway there.
          const levelAt = (percent: number): boolean => !aloneFirst(scaled(percent), preferred, 0)
          return levelAt(Math.min(100, entry.switchesAt + 1e-6)) && !levelAt(entry.switchesAt / 2)
        })
      }),
      { numRuns: 300 },
    )
  })
})

/** The file with one top-level entry's share (or the split's quality share) set to `percent`, the others keeping their proportions. */
function withShare(file: EvaluationFile, id: string, percent: number): EvaluationFile | null {
  const share = percent / 100
  if (id === 'split') return { ...file, split: { quality: share, cost: 1 - share } }
  const weights = weighCriteria(file.criteria)
  const others = weights.topLevel.filter((node) => node.id !== id).reduce((sum, node) => sum + node.weight, 0)
  if (share >= 1 || others === 0) return null
  const weight = (share * others) / (1 - share)
  return { ...file, criteria: file.criteria.map((node) => (node.id === id ? { ...node, weight } : node)) }
}

function withCostsScaled(file: EvaluationFile, id: string, factor: number): EvaluationFile {
  return { ...file, costs: file.costs.map((line) => (line.option === id ? { ...line, amount: line.amount * factor } : line)) }
}

/** Whether `id` leads every other eligible option by more than `margin` (and the rank tolerance). */
function aloneFirst(file: EvaluationFile, id: string | null, margin: number): boolean {
  const results = computeResults(file)
  if (margin === 0) return results.preferred === id
  const options = results.options.filter((option) => option.eligible)
  const own = options.find((option) => option.id === id)?.total
  if (own === undefined || own === null) return false
  return options.every((option) => option.id === id || (option.total ?? 0) < own - margin)
}
