import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { appraise, type CliOutcome } from './appraise.js'

/** Runs `appraise ahp` on a file holding `input` (JSON unless it is text already); it reads no database. */
async function ahp(input: unknown): Promise<CliOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'appraise-ahp-'))
  const path = join(dir, 'matrix.json')
  writeFileSync(path, typeof input === 'string' ? input : JSON.stringify(input))
  return appraise(['ahp', path], join(dir, 'unused.sqlite'))
}

describe('appraise ahp', () => {
  it('prints the weights, λmax and CR of one matrix as JSON', async () => {
    const outcome = await ahp({
      items: ['security', 'cost', 'supplier'],
      matrix: [
        [1, 3, 5],
        ['1/3', 1, 3],
        ['1/5', '1/3', 1],
      ],
    })
    expect(outcome.stderr).toBe('')
    expect(outcome.code).toBe(0)
    const printed = JSON.parse(outcome.stdout)
    expect(Object.keys(printed.weights)).toEqual(['security', 'cost', 'supplier'])
    expect(printed.weights.security).toBeCloseTo(0.637, 4)
    expect(printed.weights.cost).toBeCloseTo(0.2583, 4)
    expect(printed.weights.supplier).toBeCloseTo(0.1047, 4)
    expect(printed.lambdaMax).toBeCloseTo(3.038511, 6)
    expect(printed.cr).toBeCloseTo(0.0332, 4)
    expect(printed.consistent).toBe(true)
    expect(printed.inconsistency).toBeNull()
  })

  it('gives the group’s figures from several people’s matrices, and each person’s', async () => {
    const outcome = await ahp({
      items: ['a', 'b', 'c'],
      judgements: [
        [
          [1, 1, 2],
          [1, 1, 4],
          [0.5, 0.25, 1],
        ],
        [
          [1, 4, 8],
          [0.25, 1, 1],
          [0.125, 1, 1],
        ],
      ],
    })
    expect(outcome.code).toBe(0)
    const printed = JSON.parse(outcome.stdout)
    // Geometric means 2, 4 and 2: consistent, 4 : 2 : 1.
    expect(printed.weights.a).toBeCloseTo(4 / 7, 12)
    expect(printed.weights.b).toBeCloseTo(2 / 7, 12)
    expect(printed.weights.c).toBeCloseTo(1 / 7, 12)
    expect(printed.cr).toBeCloseTo(0, 12)
    expect(printed.participants).toHaveLength(2)
    expect(printed.participants[0].lambdaMax).toBeCloseTo(1 + Math.cbrt(2) + 1 / Math.cbrt(2), 12)
  })

  it('names the judgement to reconsider when CR is 0.10 or more', async () => {
    const outcome = await ahp({
      items: ['x', 'y', 'z', 'w'],
      matrix: [
        [1, 2, 4, '1/8'],
        [0.5, 1, 2, 4],
        [0.25, 0.5, 1, 2],
        [8, 0.25, 0.5, 1],
      ],
    })
    expect(outcome.code).toBe(0)
    const printed = JSON.parse(outcome.stdout)
    expect(printed.consistent).toBe(false)
    expect(printed.inconsistency).toMatchObject({ a: 'x', b: 'w', value: 0.125, suggestedValue: 8 })
  })

  it('refuses a bad matrix with one line per cell and its JSON path, printing nothing on stdout', async () => {
    const outcome = await ahp({
      items: ['a', 'b', 'c'],
      matrix: [
        [1, 3, 12],
        [0.3, 2, 3],
        ['1/12', '1/3', 1],
      ],
    })
    expect(outcome.code).toBe(1)
    expect(outcome.stdout).toBe('')
    expect(outcome.stderr.trim().split('\n')).toEqual([
      "matrix[0][2]: must be between 1/9 and 9 (Saaty's scale), not 12",
      'matrix[1][0]: must be 1/3, the reciprocal of [0][1] (3), not 0.3',
      'matrix[1][1]: must be 1 (an item compared with itself), not 2',
      "matrix[2][0]: must be between 1/9 and 9 (Saaty's scale), not 1/12",
    ])
  })

  it('says when the file is not JSON', async () => {
    const notJson = await ahp('{ "items": ')
    expect(notJson.code).toBe(1)
    expect(notJson.stdout).toBe('')
    expect(notJson.stderr).toMatch(/^file: is not valid JSON/)
  })
})
