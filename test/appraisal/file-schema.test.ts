import { describe, expect, it } from 'vitest'
import {
  computeResults,
  criteriaSchema,
  parseWithSchema,
  parseEvaluationFile,
  parseEvaluationText,
  type EvaluationFileInput,
} from '../../src/appraisal/index.js'
import { errorsOf, evaluationInput, parsed } from './factories.js'

/** A valid file with two options, a group holding a scored criterion and a gate, and one evaluator. */
function scoredInput(overrides: Partial<EvaluationFileInput> = {}): EvaluationFileInput {
  return evaluationInput({
    options: [
      { id: 'a', name: 'Option A' },
      { id: 'b', name: 'Option B' },
    ],
    criteria: [
      {
        id: 'group',
        name: 'Group',
        criteria: [
          { id: 'leaf', name: 'Leaf' },
          { id: 'gate', name: 'Gate', gate: true },
        ],
      },
    ],
    evaluators: [{ id: 'e1', name: 'Evaluator' }],
    ...overrides,
  })
}

describe('a valid file', () => {
  it('defaults tender to true, and to false on the baseline; price to cash', () => {
    const file = parsed(
      evaluationInput({
        options: [
          { id: 'bau', name: 'BAU', baseline: true },
          { id: 'fix', name: 'Fix', tender: false },
          { id: 'a', name: 'A' },
        ],
        costs: [
          { option: 'a', label: 'Licence', amount: 1, from: 0 },
          { option: 'a', label: 'Training time', amount: 1, from: 0, cash: false },
          { option: 'a', label: 'Own project team', amount: 1, from: 0, price: false },
        ],
        benefits: [{ option: 'a', label: 'Officer time', amount: 1, from: 0, cash: false }],
      }),
    )
    expect(file.options.map((option) => option.tender)).toEqual([false, false, true])
    expect(file.costs.map((line) => [line.cash, line.price])).toEqual([
      [true, true],
      [false, false],
      [true, false],
    ])
    expect(file.benefits[0]?.cash).toBe(false)
  })

  it('is accepted with the defaults of the contract filled in', () => {
    const file = parsed(
      evaluationInput({
        costs: [{ option: 'a', label: 'Support', amount: 10, from: 2 }],
        benefits: [{ option: 'a', label: 'Time saved', amount: 5, from: 1, to: 3 }],
      }),
    )
    expect(file.currency).toBe('GBP')
    expect(file.scale).toEqual({ min: 0, max: 5 })
    expect(file.split).toEqual({ quality: 100, cost: 0 })
    expect(file.priceFormula).toBe('relative-to-lowest')
    expect(file.appraisal).toEqual({ baseYear: 2024, years: 10, discount: 'green-book', optimismBias: { capital: 0, operating: 0 } })
    expect(file.options[0]?.baseline).toBe(false)
    expect(file.options[0]?.tender).toBe(true)
    expect(file.evaluators).toEqual([])
    expect(file.scores).toEqual([])
    expect(file.consensus).toEqual([])
    expect(file.sunkCosts).toEqual([])
    expect(file.costs[0]).toEqual({ option: 'a', label: 'Support', amount: 10, from: 2, to: 2, growth: 0, capital: false, cash: true, price: true })
    expect(file.benefits[0]).toEqual({ option: 'a', label: 'Time saved', amount: 5, from: 1, to: 3, growth: 0, cash: true })
  })

  it('keeps the optional fields the app stores, so an export loses nothing', () => {
    const input = evaluationInput({
      organisation: 'Example Constabulary',
      summary: 'Why',
      scale: { min: 0, max: 5, labels: { '0': 'Unacceptable', '5': 'Excellent' }, descriptors: { '3': 'Meets every requirement' } },
      options: [{ id: 'a', name: 'A', description: 'd', supplier: 'Acme Ltd', product: 'Records 9' }],
      criteria: [{ id: 'q', name: 'Q', weight: 2, guidance: 'g', descriptors: { '0': 'nothing', '5': 'everything' } }],
      evaluators: [{ id: 'e1', name: 'E', role: 'Chair', email: 'e@example.org' }],
      scores: [{ evaluator: 'e1', option: 'a', criterion: 'q', score: 3, rationale: 'r', evidence: 'Bid section 4.2' }],
      consensus: [{ option: 'a', criterion: 'q', score: 3, rationale: 'r', evidence: 'Trial day 2' }],
      costs: [{ option: 'a', label: 'L', category: 'support', notes: 'quote of May', amount: 1, from: 0 }],
      benefits: [{ option: 'a', label: 'B', category: 'time', notes: 'n', amount: 1, from: 0 }],
      sunkCosts: [{ option: 'a', label: 'S', category: 'build', notes: 'n', amount: 1 }],
    })
    const file = parsed(input)
    expect(file.options[0]).toEqual({ id: 'a', name: 'A', baseline: false, tender: true, description: 'd', supplier: 'Acme Ltd', product: 'Records 9' })
    expect(file.scale.descriptors).toEqual({ '3': 'Meets every requirement' })
    expect(file.criteria[0]?.descriptors).toEqual({ '0': 'nothing', '5': 'everything' })
    expect(file.evaluators[0]?.email).toBe('e@example.org')
    expect(file.scores[0]?.evidence).toBe('Bid section 4.2')
    expect(file.consensus[0]?.evidence).toBe('Trial day 2')
    expect(file.costs[0]?.notes).toBe('quote of May')
    expect(file.sunkCosts[0]?.category).toBe('build')
  })

  it('parses again to the same file once defaults are filled in', () => {
    const file = parsed(scoredInput({ costs: [{ option: 'a', label: 'L', amount: 1, from: 0 }] }))
    expect(parsed(file)).toEqual(file)
  })

  it('may carry short or missing rationales', () => {
    expect(parseEvaluationFile(scoredInput({ scores: [{ evaluator: 'e1', option: 'a', criterion: 'leaf', score: 3 }] })).ok).toBe(true)
  })

  it('carries drafts, with or without a score, which count in no figure', () => {
    const complete = scoredInput({ scores: [{ evaluator: 'e1', option: 'a', criterion: 'leaf', score: 2 }] })
    const withDrafts = scoredInput({
      evaluators: [
        { id: 'e1', name: 'One' },
        { id: 'e2', name: 'Two' },
        { id: 'e3', name: 'Three' },
      ],
      scores: [
        { evaluator: 'e1', option: 'a', criterion: 'leaf', score: 2 },
        { evaluator: 'e2', option: 'a', criterion: 'leaf', score: 5, draft: true, rationale: 'Half' },
        { evaluator: 'e3', option: 'a', criterion: 'leaf', draft: true },
      ],
    })
    expect(computeResults(parsed(withDrafts)).options).toEqual(computeResults(parsed({ ...complete, evaluators: withDrafts.evaluators })).options)
    expect(errorsOf(scoredInput({ scores: [{ evaluator: 'e1', option: 'a', criterion: 'leaf' }] }))).toEqual([
      'scores[0].score: required: only a draft ("draft": true) may leave its score out',
    ])
  })
})

describe('reading text', () => {
  it('reports text that is not JSON as one error on the file', () => {
    const result = parseEvaluationText('{"format": "options-appraisal/1",, }')
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.errors).toHaveLength(1)
    expect(result.errors[0]).toMatch(/^file: is not valid JSON \(.+position 33.*\)$/)
  })

  it('ignores a UTF-8 byte order mark', () => {
    expect(parseEvaluationText(`\uFEFF${JSON.stringify(evaluationInput())}`).ok).toBe(true)
  })

  it('says so when the JSON is not an object', () => {
    expect(errorsOf([])).toEqual(['file: must be an object, not a list'])
  })

  it('refuses text holding a NUL character, which cannot be stored, naming where it is', () => {
    const input = evaluationInput()
    const text = JSON.stringify({ ...input, options: input.options.map((o, i) => (i === 0 ? { ...o, name: 'Product\u0000A' } : o)) })
    expect(text).toContain('\\u0000')
    expect(parseEvaluationText(text)).toEqual({ ok: false, errors: ['options[0].name: contains a NUL character (\\u0000), which cannot be stored'] })
  })
})

describe('validation rejects', () => {
  it('a missing format', () => {
    const { format: _format, ...input } = evaluationInput()
    expect(errorsOf(input)).toEqual(['format: is required'])
  })

  it('a wrong format', () => {
    expect(errorsOf({ ...evaluationInput(), format: 'options-appraisal/2' })).toEqual(['format: must be "options-appraisal/1"'])
  })

  it('a missing title', () => {
    const { title: _title, ...input } = evaluationInput()
    expect(errorsOf(input)).toEqual(['title: is required'])
  })

  it('a file without options or criteria', () => {
    expect(errorsOf(evaluationInput({ options: [], criteria: [] }))).toEqual([
      'options: must list at least one entry',
      'criteria: must list at least one entry',
    ])
  })

  it('an unknown key at the top level', () => {
    expect(errorsOf({ ...evaluationInput(), foo: 1 })).toEqual(['foo: unknown key "foo"'])
  })

  it('an unknown key inside an entry, suggesting the key that was probably meant', () => {
    expect(errorsOf(evaluationInput({ criteria: [{ id: 'q', name: 'Q', weigth: 2 } as never] }))).toEqual([
      'criteria[0].weigth: unknown key "weigth" (did you mean "weight"?)',
    ])
  })

  it('a value of the wrong type, naming what was found', () => {
    expect(errorsOf(evaluationInput({ costs: [{ option: 'a', label: 'L', amount: '1,200' as never, from: 0 }] }))).toEqual([
      'costs[0].amount: must be a number, not the text "1,200"',
    ])
  })

  it('an id with characters other than letters, digits, ".", "_" or "-"', () => {
    expect(errorsOf(evaluationInput({ options: [{ id: 'option a', name: 'A' }] }))).toEqual(['options[0].id: must use only letters, digits, ".", "_" or "-"'])
  })

  it('an empty id', () => {
    expect(errorsOf(evaluationInput({ options: [{ id: '', name: 'A' }] }))).toEqual(['options[0].id: must not be empty'])
  })

  it('duplicate option ids', () => {
    expect(
      errorsOf(
        evaluationInput({
          options: [
            { id: 'a', name: 'A' },
            { id: 'a', name: 'Also A' },
          ],
        }),
      ),
    ).toEqual(['options[1].id: duplicate id "a" (also used by options[0])'])
  })

  it('duplicate evaluator ids', () => {
    expect(
      errorsOf(
        evaluationInput({
          evaluators: [
            { id: 'e', name: 'E' },
            { id: 'e', name: 'F' },
          ],
        }),
      ),
    ).toEqual(['evaluators[1].id: duplicate id "e" (also used by evaluators[0])'])
  })

  it('duplicate criterion ids anywhere in the tree', () => {
    const criteria = [
      { id: 'x', name: 'X' },
      { id: 'group', name: 'Group', criteria: [{ id: 'x', name: 'Another X' }] },
    ]
    expect(errorsOf(evaluationInput({ criteria }))).toEqual(['criteria[1].criteria[0].id: duplicate id "x" (also used by criteria[0])'])
  })

  it('a score for an unknown option, criterion or evaluator', () => {
    expect(errorsOf(scoredInput({ scores: [{ evaluator: 'e9', option: 'z', criterion: 'nope', score: 1 }] }))).toEqual([
      'scores[0].evaluator: unknown evaluator "e9"',
      'scores[0].option: unknown option "z"',
      'scores[0].criterion: unknown criterion "nope"',
    ])
  })

  it('a consensus score for an unknown option or criterion', () => {
    expect(errorsOf(scoredInput({ consensus: [{ option: 'z', criterion: 'nope', score: 1 }] }))).toEqual([
      'consensus[0].option: unknown option "z"',
      'consensus[0].criterion: unknown criterion "nope"',
    ])
  })

  it('cost, benefit and sunk cost lines for an unknown option', () => {
    const input = scoredInput({
      costs: [{ option: 'z', label: 'L', amount: 1, from: 0 }],
      benefits: [{ option: 'y', label: 'L', amount: 1, from: 0 }],
      sunkCosts: [{ option: 'x', label: 'L', amount: 1 }],
    })
    expect(errorsOf(input)).toEqual([
      'costs[0].option: unknown option "z"',
      'benefits[0].option: unknown option "y"',
      'sunkCosts[0].option: unknown option "x"',
    ])
  })

  it('a score for a group rather than a criterion', () => {
    expect(errorsOf(scoredInput({ scores: [{ evaluator: 'e1', option: 'a', criterion: 'group', score: 3 }] }))).toEqual([
      'scores[0].criterion: "group" is a group; score the criteria inside it',
    ])
  })

  it('a score outside the scale', () => {
    expect(errorsOf(scoredInput({ scores: [{ evaluator: 'e1', option: 'a', criterion: 'leaf', score: 6 }] }))).toEqual([
      'scores[0].score: must be between 0 and 5',
    ])
    expect(errorsOf(scoredInput({ scale: { min: 1, max: 10 }, consensus: [{ option: 'a', criterion: 'leaf', score: 0 }] }))).toEqual([
      'consensus[0].score: must be between 1 and 10',
    ])
  })

  it('a gate score other than 0 or 1, even one inside the scale', () => {
    expect(errorsOf(scoredInput({ scores: [{ evaluator: 'e1', option: 'a', criterion: 'gate', score: 3 }] }))).toEqual([
      'scores[0].score: must be 0 (fail) or 1 (pass) for a gate',
    ])
  })

  it('a negative weight', () => {
    const criteria = [
      {
        id: 'g',
        name: 'G',
        criteria: [
          { id: 'x', name: 'X', weight: -1 },
          { id: 'y', name: 'Y' },
        ],
      },
    ]
    expect(errorsOf(evaluationInput({ criteria }))).toEqual(['criteria[0].criteria[0].weight: must not be negative'])
  })

  it('top-level criteria whose weights are all zero', () => {
    const criteria = [
      { id: 'x', name: 'X', weight: 0 },
      { id: 'y', name: 'Y', weight: 0 },
    ]
    expect(errorsOf(evaluationInput({ criteria }))).toEqual(['criteria: the weights of these criteria are all zero; at least one must be above zero'])
  })

  it('siblings in a group whose weights are all zero, ignoring gates beside them', () => {
    const criteria = [
      {
        id: 'g',
        name: 'G',
        criteria: [
          { id: 'x', name: 'X', weight: 0 },
          { id: 'gate', name: 'Gate', gate: true },
        ],
      },
    ]
    expect(errorsOf(evaluationInput({ criteria }))).toEqual([
      'criteria[0].criteria: the weights of these criteria are all zero; at least one must be above zero',
    ])
  })

  it('a gate with a weight, even a weight of zero', () => {
    const criteria = [
      { id: 'x', name: 'X' },
      { id: 'gate', name: 'Gate', gate: true, weight: 0 },
    ]
    expect(errorsOf(evaluationInput({ criteria }))).toEqual(['criteria[1].weight: a gate is pass/fail and carries no weight; remove "weight"'])
  })

  it('a group that is also a gate', () => {
    const criteria = [{ id: 'g', name: 'G', gate: true, criteria: [{ id: 'x', name: 'X' }] }]
    expect(errorsOf(evaluationInput({ criteria }))).toEqual(['criteria[0].gate: a group of criteria cannot be a gate; mark one of its criteria as the gate'])
  })

  it('a second individual score by one evaluator for one option and criterion', () => {
    const scores = [
      { evaluator: 'e1', option: 'a', criterion: 'leaf', score: 3 },
      { evaluator: 'e1', option: 'b', criterion: 'leaf', score: 3 },
      { evaluator: 'e1', option: 'a', criterion: 'leaf', score: 4 },
    ]
    expect(errorsOf(scoredInput({ scores }))).toEqual(['scores[2]: duplicate score by "e1" for "a" on "leaf" (also scores[0])'])
  })

  it('a second consensus score for one option and criterion', () => {
    const consensus = [
      { option: 'a', criterion: 'leaf', score: 3 },
      { option: 'a', criterion: 'leaf', score: 3 },
    ]
    expect(errorsOf(scoredInput({ consensus }))).toEqual(['consensus[1]: duplicate consensus for "a" on "leaf" (also consensus[0])'])
  })

  it('a line whose "from" is after its "to"', () => {
    expect(errorsOf(evaluationInput({ costs: [{ option: 'a', label: 'L', amount: 1, from: 5, to: 3 }] }))).toEqual(['costs[0].to: must not be before from (5)'])
    expect(errorsOf(evaluationInput({ benefits: [{ option: 'a', label: 'L', amount: 1, from: 2, to: 1 }] }))).toEqual([
      'benefits[0].to: must not be before from (2)',
    ])
  })

  it('a year index that is negative or not whole', () => {
    expect(errorsOf(evaluationInput({ costs: [{ option: 'a', label: 'L', amount: 1, from: -1, to: 1.5 }] }))).toEqual([
      'costs[0].from: must not be negative',
      'costs[0].to: must be a whole number',
    ])
  })

  it('a negative amount', () => {
    const input = evaluationInput({
      costs: [{ option: 'a', label: 'L', amount: -1, from: 0 }],
      benefits: [{ option: 'a', label: 'L', amount: -2, from: 0 }],
      sunkCosts: [{ option: 'a', label: 'L', amount: -3 }],
    })
    expect(errorsOf(input)).toEqual([
      'costs[0].amount: must not be negative',
      'benefits[0].amount: must not be negative',
      'sunkCosts[0].amount: must not be negative',
    ])
  })

  it('an appraisal period of less than one year', () => {
    expect(errorsOf(evaluationInput({ appraisal: { baseYear: 2024, years: 0 } }))).toEqual(['appraisal.years: must be at least 1'])
  })

  it('an appraisal period or base year that is not a whole number', () => {
    expect(errorsOf(evaluationInput({ appraisal: { baseYear: 2024.5, years: 2.5 } }))).toEqual([
      'appraisal.baseYear: must be a whole number',
      'appraisal.years: must be a whole number',
    ])
  })

  it('more than one baseline option', () => {
    const options = [
      { id: 'a', name: 'A', baseline: true },
      { id: 'b', name: 'B' },
      { id: 'c', name: 'C', baseline: true },
    ]
    expect(errorsOf(evaluationInput({ options }))).toEqual(['options[2].baseline: only one option can be the baseline (options[0] already is)'])
  })

  it('a baseline marked as a tender', () => {
    const options = [
      { id: 'bau', name: 'Business as usual', baseline: true, tender: true },
      { id: 'b', name: 'B' },
    ]
    expect(errorsOf(evaluationInput({ options }))).toEqual([
      'options[0].tender: business as usual (the baseline) cannot be a tender; remove "tender" or set it to false',
    ])
  })

  it('a cost line part of the price that is not cash', () => {
    const costs = [
      { option: 'a', label: 'Licence', amount: 1, from: 0 },
      { option: 'a', label: 'Staff time', amount: 1, from: 0, cash: false, price: true },
    ]
    expect(errorsOf(evaluationInput({ costs }))).toEqual([
      'costs[1].price: a non-cash cost (cash: false) cannot be part of the tendered price; set cash to true or price to false',
    ])
  })

  it('an optimism bias outside the bounds of the project type it names', () => {
    const appraisal = { baseYear: 2024, years: 10, optimismBias: { capital: 0.05, operating: 0.5, preset: 'equipment-development' as const } }
    // equipment and development bounds capital (10% to 200%) and says nothing of operating costs
    expect(errorsOf(evaluationInput({ appraisal }))).toEqual([
      'appraisal.optimismBias.capital: must be between 10% and 200% under the preset "equipment-development"; remove "preset" to use another figure',
    ])
    const outsourcing = { baseYear: 2024, years: 10, optimismBias: { capital: 0, operating: 0.42, preset: 'outsourcing' as const } }
    expect(errorsOf(evaluationInput({ appraisal: outsourcing }))).toEqual([
      'appraisal.optimismBias.operating: must be between 0% and 41% under the preset "outsourcing"; remove "preset" to use another figure',
    ])
    expect(errorsOf(evaluationInput({ appraisal: { baseYear: 2024, years: 10, optimismBias: { preset: 'it' as never } } }))[0]).toMatch(
      /^appraisal\.optimismBias\.preset: /,
    )
    const within = parsed(evaluationInput({ appraisal: { ...appraisal, optimismBias: { ...appraisal.optimismBias, capital: 2, note: 'The upper bound.' } } }))
    expect(within.appraisal.optimismBias).toEqual({ capital: 2, operating: 0.5, preset: 'equipment-development', note: 'The upper bound.' })
  })

  it('price on a benefit line, which has no price', () => {
    expect(errorsOf(evaluationInput({ benefits: [{ option: 'a', label: 'B', amount: 1, from: 0, price: true } as never] }))).toEqual([
      'benefits[0].price: unknown key "price"',
    ])
  })

  it('a scale whose max is not above its min', () => {
    expect(errorsOf(evaluationInput({ scale: { min: 5, max: 5 } }))).toEqual(['scale.max: must be greater than min (5)'])
  })

  it('a scale that is not whole numbers', () => {
    expect(errorsOf(evaluationInput({ scale: { min: 0, max: 4.5 } }))).toEqual(['scale.max: must be a whole number'])
  })

  it('labels and descriptors for levels that are not on the scale', () => {
    const input = evaluationInput({
      scale: { min: 0, max: 5, labels: { '6': 'Beyond excellent', good: 'Good' } },
      criteria: [{ id: 'q', name: 'Q', descriptors: { '7': 'x' } }],
    })
    expect(errorsOf(input)).toEqual([
      'scale.labels["6"]: must be a whole-number level between 0 and 5',
      'scale.labels.good: must be a whole-number level between 0 and 5',
      'criteria[0].descriptors["7"]: must be a whole-number level between 0 and 5',
    ])
  })

  it('descriptors of a gate for levels other than 0 and 1', () => {
    const criteria = [
      { id: 'q', name: 'Q' },
      { id: 'gate', name: 'Gate', gate: true, descriptors: { '0': 'fail', '1': 'pass', '2': 'x' } },
    ]
    expect(errorsOf(evaluationInput({ criteria }))).toEqual(['criteria[1].descriptors["2"]: must be a whole-number level between 0 and 1'])
  })

  it('a split whose parts are both zero', () => {
    expect(errorsOf(evaluationInput({ split: { quality: 0, cost: 0 } }))).toEqual(['split: quality and cost cannot both be zero'])
  })

  it('a negative part of the split', () => {
    expect(errorsOf(evaluationInput({ split: { quality: 100, cost: -10 } }))).toEqual(['split.cost: must not be negative'])
  })

  it('an unknown price formula', () => {
    expect(errorsOf(evaluationInput({ priceFormula: 'lowest-price' as never }))).toEqual([
      'priceFormula: must be "relative-to-lowest" or "price-per-quality-point"',
    ])
  })

  it('a currency that is not a three-letter code in capitals', () => {
    expect(errorsOf(evaluationInput({ currency: 'gbp' }))).toEqual(['currency: must be a three-letter ISO 4217 code in capitals, such as "GBP"'])
  })

  it('growth of -100% or less', () => {
    expect(errorsOf(evaluationInput({ costs: [{ option: 'a', label: 'L', amount: 1, from: 0, growth: -1 }] }))).toEqual([
      'costs[0].growth: must be at least -0.99',
    ])
  })

  it('a negative optimism bias', () => {
    const input = evaluationInput({
      appraisal: { baseYear: 2024, years: 3, optimismBias: { capital: -0.1 } },
      costs: [{ option: 'a', label: 'L', amount: 1, from: 0, optimismBias: -0.5 }],
    })
    expect(errorsOf(input)).toEqual(['appraisal.optimismBias.capital: must not be negative', 'costs[0].optimismBias: must not be negative'])
  })

  it('a range that does not satisfy low <= 1 <= high, or a negative low', () => {
    const costs = [
      { option: 'a', label: 'L', amount: 1, from: 0, range: { low: 1.1, high: 0.9 } },
      { option: 'a', label: 'M', amount: 1, from: 0, range: { low: -0.1, high: 2 } },
    ]
    expect(errorsOf(evaluationInput({ costs }))).toEqual([
      'costs[0].range.low: must be between 0 and 1 (low <= 1 <= high)',
      'costs[0].range.high: must be at least 1 (low <= 1 <= high)',
      'costs[1].range.low: must be between 0 and 1 (low <= 1 <= high)',
    ])
  })

  it('a discount that is not one of the accepted forms', () => {
    expect(errorsOf(evaluationInput({ appraisal: { baseYear: 2024, years: 3, discount: 'treasury' as never } }))).toEqual([
      'appraisal.discount: must be "green-book", "green-book-health", "none", { "rate": 0.035 } or { "schedule": [{ "fromYear": 1, "rate": 0.035 }] }',
    ])
  })

  it('a discount rate below -10%', () => {
    expect(errorsOf(evaluationInput({ appraisal: { baseYear: 2024, years: 3, discount: { rate: -1 } } }))).toEqual([
      'appraisal.discount.rate: must be at least -0.1',
    ])
  })

  it('a discount schedule that is empty or not in ascending order', () => {
    expect(errorsOf(evaluationInput({ appraisal: { baseYear: 2024, years: 3, discount: { schedule: [] } } }))).toEqual([
      'appraisal.discount.schedule: must list at least one entry',
    ])
    const schedule = [
      { fromYear: 1, rate: 0.035 },
      { fromYear: 1, rate: 0.03 },
    ]
    expect(errorsOf(evaluationInput({ appraisal: { baseYear: 2024, years: 3, discount: { schedule } } }))).toEqual([
      "appraisal.discount.schedule[1].fromYear: must be greater than the previous entry's fromYear (1)",
    ])
  })

  it('every problem of a file at once, each on its own line', () => {
    const input = scoredInput({
      options: [
        { id: 'a', name: 'A', baseline: true },
        { id: 'b', name: 'B', baseline: true },
      ],
      scores: [{ evaluator: 'e1', option: 'a', criterion: 'leaf', score: 9 }],
      costs: [{ option: 'c', label: 'L', amount: 1, from: 0 }],
    })
    expect(errorsOf(input)).toEqual([
      'options[1].baseline: only one option can be the baseline (options[0] already is)',
      'scores[0].score: must be between 0 and 5',
      'costs[0].option: unknown option "c"',
    ])
  })
})

describe('the criteria schema for templates', () => {
  it('applies the same node rules to a criteria list on its own', () => {
    const result = parseWithSchema(criteriaSchema, [{ id: 'g', name: 'G', gate: true, weight: 3 }])
    expect(result).toEqual({ ok: false, errors: ['[0].weight: a gate is pass/fail and carries no weight; remove "weight"'] })
  })
})
