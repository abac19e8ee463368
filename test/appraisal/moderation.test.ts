import { describe, expect, it } from 'vitest'
import { checkNoteScores, computeResults, countedScores, panelState, scoreSpread, type PanelMemberLike } from '../../src/appraisal/index.js'
import { evaluation } from './factories.js'

describe('the spread of a panel’s scores', () => {
  it('gives min, max, range, mean and median of an odd number of scores', () => {
    // 2, 3, 5: range 3, mean 10/3, median 3.
    expect(scoreSpread([5, 2, 3], 1)).toEqual({ count: 3, min: 2, max: 5, range: 3, mean: 10 / 3, median: 3, roundedMedian: 3, withinTolerance: false })
  })

  it('takes the middle two for an even number, and rounds a half up', () => {
    // 3, 4: median 3.5, rounded to 4; range 1 is within a tolerance of 1.
    const spread = scoreSpread([4, 3], 1)!
    expect([spread.median, spread.roundedMedian, spread.withinTolerance]).toEqual([3.5, 4, true])
  })

  it('treats a range equal to the tolerance as within it, and one above as outside', () => {
    expect(scoreSpread([1, 3], 2)!.withinTolerance).toBe(true)
    expect(scoreSpread([1, 3], 1.5)!.withinTolerance).toBe(false)
    expect(scoreSpread([0.1, 0.3], 0.2)!.withinTolerance).toBe(true)
  })

  it('has nothing to say when nobody has scored', () => {
    expect(scoreSpread([], 1)).toBeNull()
  })
})

describe('independent scoring before moderation', () => {
  const criteria = [
    {
      id: 'g',
      name: 'G',
      criteria: [
        { id: 'a', name: 'A' },
        { id: 'b', name: 'B' },
      ],
    },
    { id: 'c', name: 'C' },
  ]
  const member = (id: string, more: Partial<PanelMemberLike> = {}): PanelMemberLike => ({ id, submitted: [], excused: [], responded: [], ...more })

  it('waits for every member assigned to a criterion, under a group or directly, until they submit or are excused', () => {
    const state = panelState({
      criteria,
      options: ['x'],
      members: [
        member('all'),
        member('group', { criteria: ['g'] }),
        member('c-only', { criteria: ['c'], submitted: ['x'] }),
        member('away', { excused: ['x'] }),
      ],
      consensus: [],
    })
    expect(state.awaiting('x', 'a')).toEqual(['all', 'group'])
    expect(state.awaiting('x', 'c')).toEqual(['all'])
    expect(state.options.get('x')).toEqual({
      awaitingSubmission: ['all', 'group'],
      excused: ['away'],
      unmoderated: ['a', 'b', 'c'],
      awaitingConfirmation: ['all', 'group', 'c-only'],
    })
    expect(state.ready).toBe(false)
  })

  it('needs nothing from a member removed or restricted to other options, and is ready with every consensus, submission and response', () => {
    const consensus = ['a', 'b', 'c'].map((criterion) => ({ option: 'x', criterion }))
    const state = panelState({
      criteria,
      options: ['x'],
      members: [member('done', { submitted: ['x'], responded: ['x'] }), member('out', { removed: true }), member('elsewhere', { allowedOptions: ['y'] })],
      consensus,
    })
    expect(state.awaiting('x', 'a')).toEqual([])
    expect(state.ready).toBe(true)
  })

  it('counts only submitted scores in a file that records submissions, and all but drafts in one that does not', () => {
    const scores = [
      { evaluator: 'e1', option: 'x', score: 1 },
      { evaluator: 'e2', option: 'x', score: 2 },
      { evaluator: 'e2', option: 'y', score: 3, draft: true as const },
    ]
    expect(countedScores({ evaluators: [{ id: 'e1', submitted: ['x'] }, { id: 'e2' }], scores }).map((s) => s.score)).toEqual([1])
    expect(countedScores({ evaluators: [{ id: 'e1' }, { id: 'e2' }], scores }).map((s) => s.score)).toEqual([1, 2])
  })

  it('leaves drafts out of the resolved score and says which options still wait for the panel', () => {
    const file = evaluation({
      criteria: [{ id: 'a', name: 'A' }],
      options: [{ id: 'x', name: 'X' }],
      evaluators: [
        { id: 'e1', name: 'One', submitted: ['x'] },
        { id: 'e2', name: 'Two' },
      ],
      scores: [
        { evaluator: 'e1', option: 'x', criterion: 'a', score: 4 },
        { evaluator: 'e2', option: 'x', criterion: 'a', score: 0 },
      ],
    })
    const results = computeResults(file)
    // Only e1's submitted 4 counts: 100 × 4 / 5.
    expect(results.options[0]!.quality).toBeCloseTo(80, 12)
    expect(results.complete).toBe(true)
    expect(results.moderated).toBe(false)
    expect(results.options[0]!.moderation).toEqual({ awaitingSubmission: ['e2'], excused: [], unmoderated: ['a'], awaitingConfirmation: ['e1', 'e2'] })
  })
})

describe('a moderation note checked against the recorded scores', () => {
  it('flags a note listing a score the record does not hold, and one more than there are', () => {
    // The case: two scores recorded, 2 and 4; the note claims three.
    const check = checkNoteScores('Individual scores 2, 4 and 3. The panel agreed 3 on the evidence of the demo.', [2, 4])
    expect(check).toEqual({ cited: [2, 4, 3], notRecorded: [3], claimedCount: null, consistent: false })
    expect(checkNoteScores('Individual scores 2, 4 and 4.', [2, 4]).notRecorded).toEqual([4])
  })

  it('passes a note citing only recorded scores, in any order and across sentences', () => {
    expect(checkNoteScores('Individual scores 4 and 2. Helen scored 2 after the site visit; Sam scored 4.', [2, 4]).consistent).toBe(true)
    // The consensus's own figure, and numbers that are not scores, are no claim about the panel's scores.
    expect(checkNoteScores('Consensus score 3 agreed: 12 of 14 requirements met in section 4.2.', [2, 4]).cited).toEqual([])
  })

  it('flags a claimed number of scorers that does not match', () => {
    expect(checkNoteScores('All three scored 4.', [4, 4])).toMatchObject({ cited: [4], notRecorded: [], claimedCount: 3, consistent: false })
    expect(checkNoteScores('All three scored 4.', [4, 4, 4]).consistent).toBe(true)
    expect(checkNoteScores('Both members scored 3.', [3, 3]).consistent).toBe(true)
  })
})
