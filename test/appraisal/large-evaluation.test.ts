import { describe, expect, it } from 'vitest'
import { parseEvaluationFile, type CriterionNode, type EvaluationFile } from '../../src/appraisal/index.js'
import { BENCH_SIZE } from '../bench/bench-database.js'
import { largeEvaluation, type LargeEvaluationSize } from './large-evaluation.js'

function valid(size: LargeEvaluationSize): EvaluationFile {
  const parsed = parseEvaluationFile(largeEvaluation(size))
  if (!parsed.ok) throw new Error(parsed.errors.slice(0, 10).join('\n'))
  return parsed.file
}

function leavesOf(nodes: CriterionNode[], depth = 1): { id: string; depth: number }[] {
  return nodes.flatMap((node) => (node.criteria === undefined ? [{ id: node.id, depth }] : leavesOf(node.criteria, depth + 1)))
}

describe('the large evaluation generator', () => {
  it("produces a valid options-appraisal/1 file at the benchmark's size, as a finished panel leaves it", () => {
    const file = valid(BENCH_SIZE)
    const leaves = leavesOf(file.criteria)
    expect(file.format).toBe('options-appraisal/1')
    expect(file.options).toHaveLength(20)
    expect(leaves).toHaveLength(300)
    expect(new Set(leaves.map((leaf) => leaf.depth))).toEqual(new Set([3]))
    expect(file.evaluators).toHaveLength(15)
    expect(file.evaluators.every((e) => e.declaration?.interest === false)).toBe(true)
    expect(file.scores).toHaveLength(90_000)
    expect(file.scores.every((s) => (s.rationale ?? '').length >= file.panel.minRationale && s.evidence !== undefined)).toBe(true)
    const cells = new Set(file.consensus.map((s) => `${s.option} ${s.criterion}`))
    expect(cells.size).toBe(20 * 300)
    expect(file.consensus.every((s) => s.rationale !== undefined)).toBe(true)
    for (const option of file.options) {
      const lines = file.costs.filter((line) => line.option === option.id)
      expect(lines).toHaveLength(20)
      expect(lines.every((line) => line.range !== undefined)).toBe(true)
    }
  })

  it('gives the plain file by default: two levels, no words, consensus on two cells, two cost lines per option', () => {
    const file = valid({ options: 3, criteria: 10, evaluators: 2 })
    expect(new Set(leavesOf(file.criteria).map((leaf) => leaf.depth))).toEqual(new Set([2]))
    expect(file.scores).toHaveLength(3 * 10 * 2)
    expect(file.scores.some((s) => s.rationale !== undefined)).toBe(false)
    expect(file.consensus).toHaveLength(2)
    expect(file.costs).toHaveLength(6)
  })

  it('is valid at small sizes too, in two levels and in three', () => {
    for (const levels of [2, 3] as const) {
      for (const [options, criteria, evaluators] of [
        [1, 1, 1],
        [2, 7, 3],
        [5, 40, 4],
      ] as const) {
        const file = valid({ options, criteria, evaluators, groups: 2, levels, text: true, consensusOnAll: true, costLinesPerOption: 3, declared: true })
        expect(file.consensus).toHaveLength(options * leavesOf(file.criteria).length)
      }
    }
  })
})
