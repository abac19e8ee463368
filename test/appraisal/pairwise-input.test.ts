import { describe, expect, it } from 'vitest'
import { weighPairwiseInput } from '../../src/appraisal/index.js'

/** The lines `appraise ahp` prints on stderr for an input (test/cli-ahp.test.ts runs the command itself). */
function errorsOf(input: unknown): string[] {
  const weighed = weighPairwiseInput(input)
  if (weighed.ok) throw new Error('expected the input to be refused')
  return weighed.errors
}

describe('the input of appraise ahp', () => {
  it('refuses a matrix that is not square or does not match the items', () => {
    expect(
      errorsOf({
        items: ['a', 'b', 'c'],
        matrix: [
          [1, 3, 5],
          [1 / 3, 1],
          [0.2, 1 / 3, 1],
        ],
      }),
    ).toEqual(['matrix[1]: must have 3 values (the matrix must be square, 3 × 3), not 2'])
    expect(
      errorsOf({
        items: ['a', 'b', 'c'],
        judgements: [
          [
            [1, 2],
            [0.5, 1],
          ],
        ],
      }),
    ).toEqual(['judgements[0]: must have 3 rows, one per item, not 2'])
  })

  it('names the person and cell of a bad judgement in a group', () => {
    expect(
      errorsOf({
        items: ['a', 'b'],
        judgements: [
          [
            [1, 2],
            [0.5, 1],
          ],
          [
            [1, 2],
            [2, 1],
          ],
        ],
      }),
    ).toEqual(['judgements[1][1][0]: must be 1/2, the reciprocal of [0][1] (2), not 2'])
  })

  it('refuses more than ten items, fewer than two, and a repeated item', () => {
    const eleven = Array.from({ length: 11 }, (_, i) => `c${i}`)
    expect(errorsOf({ items: eleven, matrix: eleven.map(() => eleven.map(() => 1)) })).toContain(
      'items: must list at most 10 items: pairwise judgement is reliable up to about nine; compare sub-groups',
    )
    expect(errorsOf({ items: ['a'], matrix: [[1]] })).toContain('items: must list at least two items to compare')
    expect(
      errorsOf({
        items: ['a', 'a'],
        matrix: [
          [1, 1],
          [1, 1],
        ],
      }),
    ).toEqual(['items[1]: "a" is listed twice (also items[0])'])
  })

  it('wants either a matrix or judgements, and no other keys', () => {
    expect(errorsOf({ items: ['a', 'b'] })).toEqual([
      'file: give either "matrix" (one person\'s judgements) or "judgements" (a list of matrices, one per person)',
    ])
    expect(
      errorsOf({
        items: ['a', 'b'],
        matrix: [
          [1, 1],
          [1, 1],
        ],
        judgements: [
          [
            [1, 1],
            [1, 1],
          ],
        ],
      }),
    ).toHaveLength(1)
    expect(
      errorsOf({
        items: ['a', 'b'],
        matrix: [
          [1, 1],
          [1, 1],
        ],
        weights: [],
      }),
    ).toEqual(['weights: unknown key "weights"'])
  })

  it('takes fractions written as text, and refuses words', () => {
    const weighed = weighPairwiseInput({
      items: ['a', 'b'],
      matrix: [
        [1, '4'],
        ['1/4', 1],
      ],
    })
    expect(weighed.ok).toBe(false)
    const fraction = weighPairwiseInput({
      items: ['a', 'b'],
      matrix: [
        [1, 4],
        [' 1 / 4 ', 1],
      ],
    })
    expect(fraction.ok && fraction.output.weights).toEqual({ a: 0.8, b: 0.2 })
    expect(
      errorsOf({
        items: ['a', 'b'],
        matrix: [
          [1, 'much'],
          [1, 1],
        ],
      }),
    ).toEqual(['matrix[0][1]: must be a number such as 3 or 0.2, or a fraction as text such as "1/5"'])
  })
})
