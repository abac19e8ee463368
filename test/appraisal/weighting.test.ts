import { describe, expect, it } from 'vitest'
import { computeResults, evaluationFileText, parseEvaluationText, type EvaluationFileInput } from '../../src/appraisal/index.js'
import { errorsOf, evaluation, evaluationInput, parsed } from './factories.js'

/** Three top-level criteria (one a group of two and a gate) and a round for each level. */
function withRounds(weighting: unknown): EvaluationFileInput {
  return evaluationInput({
    criteria: [
      { id: 'security', name: 'Security' },
      { id: 'cost-control', name: 'Cost control' },
      {
        id: 'supplier',
        name: 'Supplier',
        criteria: [
          { id: 'finance', name: 'Financial standing' },
          { id: 'references', name: 'References' },
          { id: 'insured', name: 'Insured', gate: true },
        ],
      },
    ],
    weighting: weighting as EvaluationFileInput['weighting'],
  })
}

const methodologyJudgements = [
  { a: 'security', b: 'cost-control', value: 3 },
  { a: 'security', b: 'supplier', value: 5 },
  { a: 'cost-control', b: 'supplier', value: 3 },
]

describe('weighting rounds in the evaluation file', () => {
  it('reads a round, gives each person’s figures and the group’s, and round-trips', () => {
    const file = parsed(
      withRounds({
        rounds: [
          {
            id: 'top',
            parent: null,
            items: ['security', 'cost-control', 'supplier'],
            participants: [
              { name: 'Head of security', judgements: methodologyJudgements },
              // The same judgements the other way round, one as a fraction in text.
              {
                name: 'Finance director',
                judgements: [
                  { a: 'cost-control', b: 'security', value: '1/3' },
                  { a: 'supplier', b: 'security', value: 0.2 },
                  { a: 'supplier', b: 'cost-control', value: '1 / 3' },
                ],
              },
              { name: 'Still thinking', judgements: [{ a: 'security', b: 'supplier', value: 2 }] },
            ],
            applied: '2026-11-30T10:00:00Z',
          },
          { id: 'supplier', parent: 'supplier', items: ['finance', 'references'] },
        ],
      }),
    )
    const [top, supplier] = computeResults(file).weighting!
    expect(top!.groupSize).toBe(2)
    expect(top!.group!.weights.security).toBeCloseTo(0.637, 4)
    expect(top!.group!.weights['cost-control']).toBeCloseTo(0.2583, 4)
    expect(top!.group!.weights.supplier).toBeCloseTo(0.1047, 4)
    expect(top!.group!.cr).toBeCloseTo(0.0332, 4)
    expect(top!.participants.map((p) => [p.name, p.complete])).toEqual([
      ['Head of security', true],
      ['Finance director', true],
      ['Still thinking', false],
    ])
    expect(top!.participants[1]!.figures!.weights.security).toBeCloseTo(0.637, 4)
    expect(top!.participants[2]!.missing).toEqual([
      ['security', 'cost-control'],
      ['cost-control', 'supplier'],
    ])
    expect(top!.applied).toBe('2026-11-30T10:00:00Z')
    expect(supplier).toMatchObject({ id: 'supplier', parent: 'supplier', group: null, groupSize: 0, participants: [] })

    const again = parseEvaluationText(evaluationFileText(file))
    expect(again.ok && again.file).toEqual(file)
  })

  it('adds nothing to the results of a file without rounds', () => {
    expect('weighting' in computeResults(evaluation())).toBe(false)
  })

  it('refuses parents and items that do not fit the criteria, and a round of one criterion', () => {
    const errors = errorsOf(
      withRounds({
        rounds: [
          { id: 'r', parent: 'security', items: ['security', 'cost-control'] },
          { id: 'r', parent: 'nowhere', items: ['a', 'b'] },
          { id: 's', parent: 'supplier', items: ['finance', 'insured', 'security', 'finance', 'ghost'] },
          { id: 't', parent: null, items: ['security'] },
        ],
      }),
    )
    expect(errors).toEqual([
      'weighting.rounds[3].items: must list at least two criteria: a round compares them in pairs',
      'weighting.rounds[0].parent: "security" is a criterion, not a group; name the group whose criteria are compared, or null for the top level',
      'weighting.rounds[1].id: duplicate id "r" (also used by weighting.rounds[0])',
      'weighting.rounds[1].parent: unknown criterion "nowhere"',
      'weighting.rounds[1].items[0]: unknown criterion "a"',
      'weighting.rounds[1].items[1]: unknown criterion "b"',
      'weighting.rounds[2].items[1]: "insured" is a gate: pass/fail, it takes no weight',
      'weighting.rounds[2].items[2]: "security" is not a criterion in "supplier"; a round compares siblings',
      'weighting.rounds[2].items[3]: "finance" is listed twice (also items[0])',
      'weighting.rounds[2].items[4]: unknown criterion "ghost"',
    ])
  })

  it('refuses more than ten criteria in a round, suggesting sub-groups', () => {
    const items = Array.from({ length: 11 }, (_, i) => `c${i}`)
    const errors = errorsOf(
      evaluationInput({
        criteria: items.map((id) => ({ id, name: id })),
        weighting: { rounds: [{ id: 'r', parent: null, items }] },
      }),
    )
    expect(errors).toEqual(['weighting.rounds[0].items: must list at most 10 criteria: pairwise judgement is reliable up to about nine; compare sub-groups'])
  })

  it('refuses a value off the scale, a pair answered twice, an unknown item and a person named twice, with their paths', () => {
    const errors = errorsOf(
      withRounds({
        rounds: [
          {
            id: 'top',
            parent: null,
            items: ['security', 'cost-control', 'supplier'],
            participants: [
              {
                name: 'A',
                judgements: [
                  { a: 'security', b: 'cost-control', value: 12 },
                  { a: 'security', b: 'supplier', value: 2 },
                  { a: 'supplier', b: 'security', value: 0.5 },
                  { a: 'security', b: 'finance', value: 2 },
                ],
              },
              { name: 'A', judgements: [{ a: 'security', b: 'supplier', value: 'three' }] },
            ],
          },
        ],
      }),
    )
    expect(errors).toEqual(['weighting.rounds[0].participants[1].judgements[0].value: must be a number such as 3 or 0.2, or a fraction as text such as "1/5"'])
    const second = errorsOf(
      withRounds({
        rounds: [
          {
            id: 'top',
            parent: null,
            items: ['security', 'cost-control', 'supplier'],
            participants: [
              {
                name: 'A',
                judgements: [
                  { a: 'security', b: 'cost-control', value: 12 },
                  { a: 'security', b: 'supplier', value: 2 },
                  { a: 'supplier', b: 'security', value: 0.5 },
                  { a: 'security', b: 'finance', value: 2 },
                ],
              },
              { name: 'A', judgements: [] },
            ],
          },
        ],
      }),
    )
    expect(second).toEqual([
      "weighting.rounds[0].participants[0].judgements[0].value: must be between 1/9 and 9 (Saaty's scale), not 12",
      'weighting.rounds[0].participants[0].judgements[2]: the pair "supplier" and "security" is already answered by judgement [1]; answer each pair once',
      'weighting.rounds[0].participants[0].judgements[3].b: "finance" is not one of the items compared (security, cost-control, supplier)',
      'weighting.rounds[0].participants[1].name: "A" already takes part (participants[0]); each person once',
    ])
  })

  it('refuses a round applied before anyone judged every pair', () => {
    const errors = errorsOf(
      withRounds({
        rounds: [
          {
            id: 'top',
            parent: null,
            items: ['security', 'cost-control', 'supplier'],
            participants: [{ name: 'A', judgements: methodologyJudgements.slice(0, 2) }],
            applied: '2026-11-30T10:00:00Z',
          },
        ],
      }),
    )
    expect(errors).toEqual(['weighting.rounds[0].applied: nobody has judged every pair in this round, so it has no weights to apply'])
  })
})
