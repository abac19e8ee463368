// fast-check generators of random, valid evaluation files, for property tests anywhere in the
// project. Every generated file passes parseEvaluationFile (a property test checks this).

import fc from 'fast-check'
import { holdsScoredLeaf, parseEvaluationFile, type CriterionNode, type EvaluationFile, type EvaluationFileInput } from '../../src/appraisal/index.js'

export interface EvaluationShape {
  readonly maxOptions?: number
  readonly maxDepth?: number
  readonly maxEvaluators?: number
  readonly maxYears?: number
}

interface NodeShape {
  readonly kind: 'scored' | 'gate' | 'group'
  readonly weight: number | undefined
  readonly children: readonly NodeShape[]
}

function nodeShape(depth: number): fc.Arbitrary<NodeShape> {
  const weight = fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined })
  const leaf = fc.record({
    kind: fc.constantFrom<'scored' | 'gate'>('scored', 'scored', 'scored', 'gate'),
    weight,
    children: fc.constant([] as readonly NodeShape[]),
  })
  if (depth <= 0) return leaf
  const group = fc.record({
    kind: fc.constant<'group'>('group'),
    weight,
    children: fc.array(nodeShape(depth - 1), { minLength: 1, maxLength: 4 }),
  })
  return fc.oneof({ arbitrary: leaf, weight: 3 }, { arbitrary: group, weight: 1 })
}

/** Gives ids c0, c1, ... in reading order, drops gates' weights and mends all-zero sibling sets. */
function toCriteria(shapes: readonly NodeShape[], next: { id: number }): CriterionNode[] {
  const nodes = shapes.map((shape): CriterionNode => {
    const id = `c${next.id++}`
    if (shape.kind === 'gate') return { id, name: `Gate ${id}`, gate: true }
    const node: CriterionNode = { id, name: `Criterion ${id}` }
    if (shape.weight !== undefined) node.weight = shape.weight
    if (shape.kind === 'group') node.criteria = toCriteria(shape.children, next)
    return node
  })
  const weighted = nodes.filter(holdsScoredLeaf)
  const first = weighted[0]
  if (first !== undefined && weighted.every((node) => node.weight === 0)) first.weight = 1
  return nodes
}

function leavesOf(nodes: readonly CriterionNode[]): CriterionNode[] {
  return nodes.flatMap((node) => (node.criteria === undefined ? [node] : leavesOf(node.criteria)))
}

const amount = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5_000_000 }))

/** A random valid evaluation file, before parsing (defaults not yet filled in). */
export function evaluationInputArbitrary(shape: EvaluationShape = {}): fc.Arbitrary<EvaluationFileInput> {
  const { maxOptions = 5, maxDepth = 2, maxEvaluators = 3, maxYears = 12 } = shape
  return fc
    .record({
      optionCount: fc.integer({ min: 1, max: maxOptions }),
      baseline: fc.option(fc.nat(), { nil: undefined }),
      criteria: fc.array(nodeShape(maxDepth), { minLength: 1, maxLength: 4 }),
      evaluatorCount: fc.integer({ min: 0, max: maxEvaluators }),
      scaleMin: fc.integer({ min: 0, max: 1 }),
      scaleSpan: fc.integer({ min: 1, max: 10 }),
      split: fc.record({ quality: fc.integer({ min: 0, max: 100 }), cost: fc.integer({ min: 0, max: 100 }) }),
      priceFormula: fc.constantFrom('relative-to-lowest' as const, 'price-per-quality-point' as const),
      years: fc.integer({ min: 1, max: maxYears }),
      discount: fc.oneof(
        fc.constantFrom('green-book' as const, 'green-book-health' as const, 'none' as const),
        fc.record({ rate: fc.double({ min: 0, max: 0.2, noNaN: true }) }),
      ),
      optimismBias: fc.record({ capital: fc.double({ min: 0, max: 2, noNaN: true }), operating: fc.double({ min: 0, max: 0.5, noNaN: true }) }),
      // Scores are drawn as fractions of the scale and placed by index, then de-duplicated.
      scores: fc.array(fc.record({ e: fc.nat(), o: fc.nat(), c: fc.nat(), at: fc.double({ min: 0, max: 1, noNaN: true }) }), { maxLength: 150 }),
      consensus: fc.array(fc.record({ o: fc.nat(), c: fc.nat(), at: fc.double({ min: 0, max: 1, noNaN: true }) }), { maxLength: 60 }),
      costs: fc.array(
        fc.record({
          o: fc.nat(),
          capital: fc.boolean(),
          // Left out (the defaults), or said: cash and price, cash only, or neither.
          money: fc.constantFrom(undefined, { cash: true, price: true }, { cash: true, price: false }, { cash: false, price: false }, { cash: false }),
          amount,
          from: fc.integer({ min: 0, max: maxYears + 2 }),
          length: fc.integer({ min: 0, max: 5 }),
          growth: fc.double({ min: -0.5, max: 0.5, noNaN: true }),
          optimismBias: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
          range: fc.option(fc.record({ low: fc.double({ min: 0, max: 1, noNaN: true }), high: fc.double({ min: 1, max: 3, noNaN: true }) }), {
            nil: undefined,
          }),
        }),
        { maxLength: 15 },
      ),
      benefits: fc.array(
        fc.record({
          o: fc.nat(),
          cash: fc.option(fc.boolean(), { nil: undefined }),
          amount,
          from: fc.integer({ min: 0, max: maxYears }),
          length: fc.integer({ min: 0, max: 5 }),
        }),
        {
          maxLength: 4,
        },
      ),
    })
    .filter((raw) => raw.split.quality + raw.split.cost > 0)
    .map((raw): EvaluationFileInput => {
      const optionIds = Array.from({ length: raw.optionCount }, (_, o) => `option-${o}`)
      const evaluatorIds = Array.from({ length: raw.evaluatorCount }, (_, e) => `e${e}`)
      const criteria = toCriteria(raw.criteria, { id: 0 })
      const leaves = leavesOf(criteria)
      const scaleMax = raw.scaleMin + raw.scaleSpan
      const scoreFor = (leaf: CriterionNode, at: number): number =>
        leaf.gate === true ? Math.round(at) : raw.scaleMin + Math.round(at * raw.scaleSpan * 2) / 2
      const pick = <T>(list: readonly T[], index: number): T => list[index % list.length] as T

      const seen = new Set<string>()
      const scores =
        evaluatorIds.length === 0
          ? []
          : raw.scores.flatMap((draw) => {
              const evaluator = pick(evaluatorIds, draw.e)
              const option = pick(optionIds, draw.o)
              const leaf = pick(leaves, draw.c)
              const key = `${evaluator}/${option}/${leaf.id}`
              if (seen.has(key)) return []
              seen.add(key)
              return [{ evaluator, option, criterion: leaf.id, score: scoreFor(leaf, draw.at) }]
            })
      const consensus = raw.consensus.flatMap((draw) => {
        const option = pick(optionIds, draw.o)
        const leaf = pick(leaves, draw.c)
        const key = `${option}/${leaf.id}`
        if (seen.has(key)) return []
        seen.add(key)
        return [{ option, criterion: leaf.id, score: scoreFor(leaf, draw.at) }]
      })
      return {
        format: 'options-appraisal/1',
        title: 'Generated appraisal',
        scale: { min: raw.scaleMin, max: scaleMax },
        split: raw.split,
        priceFormula: raw.priceFormula,
        appraisal: { baseYear: 2024, years: raw.years, discount: raw.discount, optimismBias: raw.optimismBias },
        options: optionIds.map((id, o) => ({
          id,
          name: `Option ${o}`,
          ...(raw.baseline !== undefined && raw.baseline % raw.optionCount === o ? { baseline: true } : {}),
        })),
        criteria,
        evaluators: evaluatorIds.map((id) => ({ id, name: `Evaluator ${id}` })),
        scores,
        consensus,
        costs: raw.costs.map((line, i) => ({
          option: pick(optionIds, line.o),
          label: `Cost ${i}`,
          capital: line.capital,
          ...line.money,
          amount: line.amount,
          from: line.from,
          to: line.from + line.length,
          growth: line.growth,
          ...(line.optimismBias !== undefined ? { optimismBias: line.optimismBias } : {}),
          ...(line.range !== undefined ? { range: line.range } : {}),
        })),
        benefits: raw.benefits.map((line, i) => ({
          option: pick(optionIds, line.o),
          label: `Benefit ${i}`,
          ...(line.cash !== undefined ? { cash: line.cash } : {}),
          amount: line.amount,
          from: line.from,
          to: line.from + line.length,
        })),
      }
    })
}

/** A random valid evaluation file, parsed (defaults filled in). */
export function evaluationArbitrary(shape: EvaluationShape = {}): fc.Arbitrary<EvaluationFile> {
  return evaluationInputArbitrary(shape).map((input) => {
    const result = parseEvaluationFile(input)
    if (!result.ok) throw new Error(`the generator made an invalid file:\n${result.errors.join('\n')}`)
    return result.file
  })
}

/** A random criteria tree (ids c0, c1, ...) whose sibling weights are valid. */
export function criteriaArbitrary(maxDepth = 3): fc.Arbitrary<CriterionNode[]> {
  return fc.array(nodeShape(maxDepth), { minLength: 1, maxLength: 5 }).map((shapes) => toCriteria(shapes, { id: 0 }))
}
