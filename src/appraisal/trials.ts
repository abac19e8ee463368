// Frontline trials: what the people who will use a product found, as numbers with their
// uncertainty. The System Usability Scale per participant, its mean with a Student's t interval,
// each task's completion rate with a Wilson interval, and the median time on task. Formulas and
// worked examples: docs/maths.md ("Frontline trials").

import { studentTQuantile } from './student-t.js'

/** The 97.5th percentile of the standard normal: a two-sided 95% interval. */
export const Z_95 = 1.959963984540054

/** The SUS average commonly cited (Sauro, from about 500 studies). */
export const SUS_AVERAGE = 68

export const SUS_ITEMS = 10

/**
 * The app's own plain wording of the System Usability Scale's ten statements, in its order: odd
 * statements positive, even ones negative, as the scoring rule needs. A lead may replace them (with
 * the published wording, Brooke 1996, for one); each session records the wording it used.
 */
export const SUS_STATEMENTS: readonly string[] = [
  'I would be happy to use this system often.',
  'This system is more complicated than it needs to be.',
  'This system was easy to use.',
  'I would need help from someone technical to use this system.',
  'The parts of this system fit together well.',
  'Too much in this system does not make sense together.',
  'Most people would learn to use this system quickly.',
  'This system was awkward to use.',
  'I felt confident using this system.',
  'I had to learn a lot before I could get going with this system.',
]

/**
 * One participant's SUS score, 0..100: 2.5 × (Σ over odd items of (answer − 1) + Σ over even items
 * of (5 − answer)). Odd items are worded positively, even items negatively; answers run 1..5.
 */
export function susScore(answers: readonly number[]): number {
  if (answers.length !== SUS_ITEMS || answers.some((answer) => !(Number.isInteger(answer) && answer >= 1 && answer <= 5))) {
    throw new RangeError('a SUS questionnaire has 10 answers, each a whole number from 1 to 5')
  }
  // Item k (1-based) is at index k − 1: odd items at even indexes.
  return 2.5 * answers.reduce((sum, answer, index) => sum + (index % 2 === 0 ? answer - 1 : 5 - answer), 0)
}

export interface MeanInterval {
  readonly mean: number
  /** The 95% interval, within 0..100; null for fewer than 2 values. */
  readonly low: number | null
  readonly high: number | null
  /** How many values (questionnaires) the mean rests on. */
  readonly responses: number
}

/**
 * The mean of SUS scores with a 95% confidence interval from Student's t: mean ± t(0.975, n − 1) ×
 * s / √n, s the sample standard deviation (n − 1 divisor). The interval is cut to 0..100, where the
 * true mean must lie; null below 2 values (no spread to measure). Null with no values at all.
 */
export function susMean(scores: readonly number[]): MeanInterval | null {
  const n = scores.length
  if (n === 0) return null
  const mean = scores.reduce((sum, score) => sum + score, 0) / n
  if (n < 2) return { mean, low: null, high: null, responses: n }
  const variance = scores.reduce((sum, score) => sum + (score - mean) ** 2, 0) / (n - 1)
  const half = studentTQuantile(0.975, n - 1) * Math.sqrt(variance / n)
  return { mean, low: Math.max(0, mean - half), high: Math.min(100, mean + half), responses: n }
}

export interface Proportion {
  /** Completions over attempts; null when nobody attempted it. */
  readonly rate: number | null
  readonly low: number | null
  readonly high: number | null
}

/**
 * k successes out of n with a 95% Wilson score interval:
 * (p̂ + z²/2n ± z √(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n). Unlike p̂ ± z √(p̂(1 − p̂)/n) it stays
 * within 0..1 and does not collapse to a point at 0 of 5 or 5 of 5, which small trials often give.
 */
export function wilsonInterval(successes: number, trials: number, z = Z_95): Proportion {
  if (trials === 0) return { rate: null, low: null, high: null }
  const rate = successes / trials
  const z2 = z * z
  const denominator = 1 + z2 / trials
  const centre = (rate + z2 / (2 * trials)) / denominator
  const half = (z * Math.sqrt((rate * (1 - rate)) / trials + z2 / (4 * trials * trials))) / denominator
  // In exact arithmetic low ≤ rate ≤ high, and 0 of n gives low 0 (n of n, high 1); rounding can miss by 1e-17.
  return { rate, low: Math.max(0, Math.min(rate, centre - half)), high: Math.min(1, Math.max(rate, centre + half)) }
}

/** The middle value, or the mean of the two middle values; null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

// ---------------------------------------------------------------------------------------------
// Figures per option

export interface TrialTask {
  readonly id: string
  readonly name: string
}

export interface TaskOutcome {
  readonly task: string
  readonly completed: boolean
  readonly seconds?: number | undefined
  readonly errors?: number | undefined
}

export interface TrialSession {
  readonly option: string
  readonly role: string
  readonly sus: readonly number[] | null
  readonly tasks: readonly TaskOutcome[]
  readonly comment?: string | undefined
  readonly statements?: readonly string[] | undefined
}

export interface TaskResult extends Proportion {
  readonly task: string
  /** Sessions that recorded an outcome for the task, and how many of them completed it. */
  readonly attempts: number
  readonly completions: number
  /** The median time of the completed attempts that were timed; null when there are none. */
  readonly medianSeconds: number | null
}

export interface TrialFigures {
  /** Sessions for the option (one participant each). */
  readonly participants: number
  readonly sus: MeanInterval | null
  /** One per task of the trial, in the trial's order. */
  readonly tasks: TaskResult[]
}

export interface TrialResult extends TrialFigures {
  /** The same figures for each role, in the order roles first appear in the sessions. */
  readonly byRole: Record<string, TrialFigures>
  /** The SUS result in words, for the report. */
  readonly summary: string
}

function figuresOf(tasks: readonly TrialTask[], sessions: readonly TrialSession[]): TrialFigures {
  const scores = sessions.flatMap((session) => (session.sus === null ? [] : [susScore(session.sus)]))
  return {
    participants: sessions.length,
    sus: susMean(scores),
    tasks: tasks.map((task): TaskResult => {
      const outcomes = sessions.flatMap((session) => session.tasks.filter((outcome) => outcome.task === task.id))
      const completed = outcomes.filter((outcome) => outcome.completed)
      return {
        task: task.id,
        attempts: outcomes.length,
        completions: completed.length,
        ...wilsonInterval(completed.length, outcomes.length),
        medianSeconds: median(completed.flatMap((outcome) => (outcome.seconds === undefined ? [] : [outcome.seconds]))),
      }
    }),
  }
}

/** An option's trial figures, overall and per role, from the sessions in which it was tried. */
export function trialResult(optionId: string, optionName: string, tasks: readonly TrialTask[], sessions: readonly TrialSession[]): TrialResult {
  const own = sessions.filter((session) => session.option === optionId)
  const roles = [...new Set(own.map((session) => session.role))]
  const figures = figuresOf(tasks, own)
  return {
    ...figures,
    byRole: Object.fromEntries(
      roles.map((role) => [
        role,
        figuresOf(
          tasks,
          own.filter((session) => session.role === role),
        ),
      ]),
    ),
    summary: describeSus(optionName, figures.sus),
  }
}

/**
 * "Product B: SUS 78 (95% CI 71–85), above the commonly cited average of 68". Above or below only
 * when the whole interval is; otherwise the average is within it and the trial cannot tell.
 */
export function describeSus(optionName: string, sus: MeanInterval | null): string {
  if (sus === null) return `${optionName}: no SUS questionnaire yet`
  const mean = Math.round(sus.mean)
  if (sus.low === null || sus.high === null) return `${optionName}: SUS ${mean} from one participant, too few for an interval`
  const interval = `SUS ${mean} (95% CI ${Math.round(sus.low)}–${Math.round(sus.high)})`
  if (sus.low > SUS_AVERAGE) return `${optionName}: ${interval}, above the commonly cited average of ${SUS_AVERAGE}`
  if (sus.high < SUS_AVERAGE) return `${optionName}: ${interval}, below the commonly cited average of ${SUS_AVERAGE}`
  return `${optionName}: ${interval}, not clearly different from the commonly cited average of ${SUS_AVERAGE}`
}
