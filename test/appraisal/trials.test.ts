import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  computeResults,
  describeSus,
  evaluationFileText,
  median,
  parseEvaluationText,
  susMean,
  studentTQuantile,
  susScore,
  wilsonInterval,
  Z_95,
  type EvaluationFileInput,
} from '../../src/appraisal/index.js'
import { errorsOf, evaluation, evaluationInput, parsed } from './factories.js'

// Three questionnaires worked by hand (odd items: answer − 1; even items: 5 − answer; × 2.5):
// odd 5,4,4,5,4 → 4+3+3+4+3 = 17, even 2,1,2,1,2 → 3+4+3+4+3 = 17: 2.5 × 34 = 85
const SUS_85 = [5, 2, 4, 1, 4, 2, 5, 1, 4, 2]
// odd 4,5,4,3,4 → 3+4+3+2+3 = 15, even 2,1,2,2,3 → 3+4+3+3+2 = 15: 2.5 × 30 = 75
const SUS_75 = [4, 2, 5, 1, 4, 2, 3, 2, 4, 3]
// odd 4,4,4,3,3 → 3+3+3+2+2 = 13, even 2,2,2,3,3 → 3+3+3+2+2 = 13: 2.5 × 26 = 65
const SUS_65 = [4, 2, 4, 2, 4, 2, 3, 3, 3, 3]

describe('the System Usability Scale', () => {
  it('scores a participant 0..100 by the rule, worked by hand', () => {
    expect(susScore(SUS_85)).toBe(85)
    expect(susScore(SUS_75)).toBe(75)
    expect(susScore(SUS_65)).toBe(65)
    expect(susScore([5, 1, 5, 1, 5, 1, 5, 1, 5, 1])).toBe(100)
    expect(susScore([1, 5, 1, 5, 1, 5, 1, 5, 1, 5])).toBe(0)
    expect(susScore([3, 3, 3, 3, 3, 3, 3, 3, 3, 3])).toBe(50)
  })

  it('refuses a questionnaire with a missing item or an answer outside 1–5', () => {
    expect(() => susScore([3, 3, 3, 3, 3, 3, 3, 3, 3])).toThrow(RangeError)
    expect(() => susScore([3, 3, 3, 3, 3, 3, 3, 3, 3, 6])).toThrow(RangeError)
    expect(() => susScore([3, 3, 3, 3, 3, 3, 3, 3, 3, 2.5])).toThrow(RangeError)
  })

  it('gives the mean with a 95% Student’s t interval, worked by hand', () => {
    // 85, 75, 65: mean 75, s² = (100 + 0 + 100) / 2 = 100, s = 10, s/√3 = 5.773503;
    // t(0.975, 2) = 4.302653, half-width 24.841377: 50.1586 to 99.8414.
    const three = susMean([85, 75, 65])!
    expect(three.mean).toBe(75)
    expect(three.low).toBeCloseTo(50.1586, 4)
    expect(three.high).toBeCloseTo(99.8414, 4)
    expect(three.responses).toBe(3)
    // 80, 85, 90, 85, 80: mean 84, s² = (16 + 1 + 36 + 1 + 16) / 4 = 17.5, s/√5 = 1.870829;
    // t(0.975, 4) = 2.776445, half-width 5.194253: 78.8057 to 89.1943.
    const five = susMean([80, 85, 90, 85, 80])!
    expect(five.mean).toBe(84)
    expect(five.low).toBeCloseTo(78.8057, 4)
    expect(five.high).toBeCloseTo(89.1943, 4)
  })

  it('puts the mean t(0.975, n − 1) standard errors from each end, unless cut at 0 or 100', () => {
    const sus = fc.integer({ min: 0, max: 40 }).map((points) => points * 2.5)
    fc.assert(
      fc.property(fc.array(sus, { minLength: 2, maxLength: 30 }), (scores) => {
        const { mean, low, high } = susMean(scores)!
        const n = scores.length
        const se = Math.sqrt(scores.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (n - 1) / n)
        const half = studentTQuantile(0.975, n - 1) * se
        return Math.abs(low! - Math.max(0, mean - half)) < 1e-9 && Math.abs(high! - Math.min(100, mean + half)) < 1e-9 && low! <= mean && mean <= high!
      }),
    )
  })

  it('cuts the interval to 0..100, where the mean must lie', () => {
    // 95 and 100: mean 97.5, s/√2 = 2.5, t(0.975, 1) = 12.706205: 65.7345 to 129.27, cut to 100.
    const two = susMean([95, 100])!
    expect(two.low).toBeCloseTo(65.7345, 4)
    expect(two.high).toBe(100)
  })

  it('gives no interval for one participant, and nothing for none', () => {
    expect(susMean([72.5])).toEqual({ mean: 72.5, low: null, high: null, responses: 1 })
    expect(susMean([])).toBeNull()
  })

  it('says the result in words, above or below 68 only when the whole interval is', () => {
    expect(describeSus('Product B', { mean: 78.2, low: 71.4, high: 84.9, responses: 12 })).toBe(
      'Product B: SUS 78 (95% CI 71–85), above the commonly cited average of 68',
    )
    expect(describeSus('Current system', { mean: 41, low: 33.2, high: 48.6, responses: 12 })).toBe(
      'Current system: SUS 41 (95% CI 33–49), below the commonly cited average of 68',
    )
    expect(describeSus('Product A', { mean: 75, low: 50.16, high: 99.84, responses: 3 })).toBe(
      'Product A: SUS 75 (95% CI 50–100), not clearly different from the commonly cited average of 68',
    )
    expect(describeSus('Product A', { mean: 72.5, low: null, high: null, responses: 1 })).toBe(
      'Product A: SUS 73 from one participant, too few for an interval',
    )
    expect(describeSus('Product A', null)).toBe('Product A: no SUS questionnaire yet')
  })
})

describe('task completion', () => {
  it('gives the rate with a 95% Wilson score interval, worked by hand', () => {
    // 8 of 10: z² = 3.841459; (0.8 + 0.192073 ± 1.959964 √(0.016 + 0.009604)) / 1.384146 = 0.4902 to 0.9433.
    const eight = wilsonInterval(8, 10)
    expect(eight.rate).toBe(0.8)
    expect(eight.low).toBeCloseTo(0.4902, 4)
    expect(eight.high).toBeCloseTo(0.9433, 4)
    // 2 of 3: (0.666667 + 0.640243 ± 1.959964 √(0.074074 + 0.106707)) / 2.280486 = 0.2077 to 0.9385.
    const two = wilsonInterval(2, 3)
    expect(two.low).toBeCloseTo(0.2077, 4)
    expect(two.high).toBeCloseTo(0.9385, 4)
  })

  it('keeps an interval at 0 of 5 and 5 of 5, where the simple one collapses', () => {
    // 0 of 5: high = (z²/5) / (1 + z²/5) = 0.768292 / 1.768292 = 0.4345.
    expect(wilsonInterval(0, 5).low).toBe(0)
    expect(wilsonInterval(0, 5).high).toBeCloseTo(0.4345, 4)
    expect(wilsonInterval(5, 5).low).toBeCloseTo(0.5655, 4)
    expect(wilsonInterval(5, 5).high).toBe(1)
  })

  it('gives the ends where the score test is exactly at its limit: (p̂ − p)² = z² p(1 − p)/n', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n))),
        ([k, n]) => {
          const { rate, low, high } = wilsonInterval(k, n)
          const atLimit = (p: number) => Math.abs((rate! - p) ** 2 - (Z_95 ** 2 * p * (1 - p)) / n) < 1e-12
          return low! <= rate! && rate! <= high! && low! >= 0 && high! <= 1 && atLimit(low!) && atLimit(high!)
        },
      ),
    )
  })

  it('has no rate when nobody attempted the task', () => {
    expect(wilsonInterval(0, 0)).toEqual({ rate: null, low: null, high: null })
  })

  it('takes the median of an odd or even number of times', () => {
    expect(median([30, 10, 20])).toBe(20)
    expect(median([40, 10, 30, 20])).toBe(25)
    expect(median([])).toBeNull()
  })
})

function withTrials(trials: unknown): EvaluationFileInput {
  return evaluationInput({
    options: [
      { id: 'current', name: 'Current system', baseline: true },
      { id: 'product-b', name: 'Product B' },
    ],
    trials: trials as EvaluationFileInput['trials'],
  })
}

const TASKS = [
  { id: 'record', name: 'Record a crime with a safeguarding referral' },
  { id: 'search', name: 'Find a nominal by a misspelt name' },
]

describe('trials in the evaluation file and the results', () => {
  const file = parsed(
    withTrials({
      tasks: TASKS,
      sessions: [
        {
          option: 'product-b',
          role: 'Response officer',
          sus: SUS_85,
          tasks: [
            { task: 'record', completed: true, seconds: 120, errors: 0 },
            { task: 'search', completed: true, seconds: 30 },
          ],
          comment: 'Quicker than the current system.',
        },
        {
          option: 'product-b',
          role: 'Supervisor',
          sus: SUS_75,
          tasks: [
            { task: 'record', completed: true, seconds: 200, errors: 1 },
            { task: 'search', completed: false, seconds: 90, errors: 3 },
          ],
        },
        {
          option: 'product-b',
          role: 'Response officer',
          sus: SUS_65,
          tasks: [
            { task: 'record', completed: false, seconds: 300, errors: 4 },
            { task: 'search', completed: true, seconds: 50 },
          ],
        },
        { option: 'current', role: 'Response officer', sus: null, tasks: [{ task: 'record', completed: false }] },
      ],
    }),
  )
  const results = computeResults(file)
  const [current, productB] = results.options

  it('gives each option its participants, SUS with its interval, and each task’s rate and median time', () => {
    const trial = productB!.trial!
    expect(trial.participants).toBe(3)
    expect(trial.sus!.mean).toBe(75)
    expect(trial.sus!.low).toBeCloseTo(50.1586, 4)
    expect(trial.sus!.high).toBeCloseTo(99.8414, 4)
    // record: completed in 120 and 200 seconds, failed once: 2 of 3, median of the completed 160.
    // search: completed in 30 and 50, failed once: 2 of 3, median 40.
    expect(trial.tasks.map((task) => [task.task, task.attempts, task.completions, task.medianSeconds])).toEqual([
      ['record', 3, 2, 160],
      ['search', 3, 2, 40],
    ])
    expect(trial.tasks[0]!.rate).toBeCloseTo(2 / 3, 14)
    expect(trial.tasks[0]!.low).toBeCloseTo(0.2077, 4)
    expect(trial.tasks[0]!.high).toBeCloseTo(0.9385, 4)
    expect(trial.summary).toBe('Product B: SUS 75 (95% CI 50–100), not clearly different from the commonly cited average of 68')
  })

  it('gives the same figures per role', () => {
    const byRole = productB!.trial!.byRole
    expect(Object.keys(byRole)).toEqual(['Response officer', 'Supervisor'])
    // Response officers: 85 and 65, mean 75, s/√2 = 10, t(0.975, 1) = 12.706: cut to 0..100.
    expect(byRole['Response officer']!.participants).toBe(2)
    expect(byRole['Response officer']!.sus).toEqual({ mean: 75, low: 0, high: 100, responses: 2 })
    expect(byRole['Response officer']!.tasks.map((task) => [task.task, task.completions, task.attempts, task.medianSeconds])).toEqual([
      ['record', 1, 2, 120],
      ['search', 2, 2, 40],
    ])
    expect(byRole.Supervisor!.sus).toEqual({ mean: 75, low: null, high: null, responses: 1 })
  })

  it('counts a session without a questionnaire as a participant, and a task nobody tried as no rate', () => {
    const trial = current!.trial!
    expect(trial.participants).toBe(1)
    expect(trial.sus).toBeNull()
    expect(trial.tasks).toEqual([
      { task: 'record', attempts: 1, completions: 0, rate: 0, low: 0, high: expect.closeTo(0.7935, 4), medianSeconds: null },
      { task: 'search', attempts: 0, completions: 0, rate: null, low: null, high: null, medianSeconds: null },
    ])
    expect(trial.summary).toBe('Current system: no SUS questionnaire yet')
  })

  it('round-trips through the file, and adds nothing to a file without trials', () => {
    const again = parseEvaluationText(evaluationFileText(file))
    expect(again.ok && again.file).toEqual(file)
    expect('trial' in computeResults(evaluation()).options[0]!).toBe(false)
  })

  it('refuses an answer outside 1–5 and a questionnaire with a missing item, with their paths', () => {
    const errors = errorsOf(
      withTrials({
        tasks: TASKS,
        sessions: [
          { option: 'product-b', role: 'Supervisor', sus: [3, 3, 3, 3, 6, 3, 3, 3, 3, 0] },
          { option: 'product-b', role: 'Supervisor', sus: [3, 3, 3, 3, 3, 3, 3, 3, 3] },
          { option: 'product-b', role: 'Supervisor', sus: [3, 3, 3, 3, null, 3, 3, 3, 3, 3] },
          { option: 'product-b', role: 'Supervisor', sus: [3, 3, 3, 3, 2.5, 3, 3, 3, 3, 3] },
        ],
      }),
    )
    expect(errors).toEqual([
      'trials.sessions[0].sus[4]: must be an answer from 1 to 5',
      'trials.sessions[0].sus[9]: must be an answer from 1 to 5',
      'trials.sessions[1].sus: must hold 10 answers, one per statement, not 9',
      'trials.sessions[2].sus[4]: must be an answer from 1 to 5',
      'trials.sessions[3].sus[4]: must be an answer from 1 to 5',
    ])
  })

  it('refuses an unknown option or task, a duplicate task id and a task recorded twice in a session', () => {
    const errors = errorsOf(
      withTrials({
        tasks: [...TASKS, { id: 'record', name: 'Again' }],
        sessions: [
          { option: 'product-z', role: 'Supervisor', sus: null },
          {
            option: 'product-b',
            role: 'Supervisor',
            tasks: [
              { task: 'record', completed: true },
              { task: 'print', completed: true },
              { task: 'record', completed: false },
            ],
          },
        ],
      }),
    )
    expect(errors).toEqual([
      'trials.tasks[2].id: duplicate id "record" (also used by trials.tasks[0])',
      'trials.sessions[0].option: unknown option "product-z"',
      'trials.sessions[1].tasks[1].task: unknown task "print"',
      'trials.sessions[1].tasks[2].task: "record" is already recorded in this session (tasks[0])',
    ])
  })

  it('refuses negative times and errors, and a session without a role', () => {
    const errors = errorsOf(
      withTrials({
        tasks: TASKS,
        sessions: [{ option: 'product-b', role: '', tasks: [{ task: 'record', completed: true, seconds: -1, errors: 0.5 }] }],
      }),
    )
    expect(errors).toEqual([
      'trials.sessions[0].role: must not be empty',
      'trials.sessions[0].tasks[0].seconds: must not be negative',
      'trials.sessions[0].tasks[0].errors: must be a whole number',
    ])
  })
})
