// Frontline trials in the evaluation file (`trials`, optional): the tasks, and one session per
// participant trying an option. The figures are in trials.ts; documented in docs/evaluation-file.md.

import { z } from 'zod'
import { idSchema } from './ids.js'
import { SUS_ITEMS } from './trials.js'

const susAnswer = 'must be an answer from 1 to 5'

const susSchema = z
  .array(
    z
      .number({ error: (issue) => (issue.input === undefined ? 'is required' : susAnswer) })
      .int({ error: susAnswer })
      .min(1, { error: susAnswer })
      .max(5, { error: susAnswer }),
  )
  .superRefine((answers, ctx) => {
    if (answers.length !== SUS_ITEMS) {
      ctx.addIssue({ code: 'custom', message: `must hold ${SUS_ITEMS} answers, one per statement, not ${answers.length}` })
    }
  })

const taskOutcomeSchema = z.strictObject({
  task: z.string().min(1),
  completed: z.boolean(),
  /** Time on task. */
  seconds: z.number().min(0).optional(),
  errors: z.number().int().min(0).optional(),
})

/** The ten statements of a questionnaire in the wording used, odd ones positive and even ones negative. */
const statementsSchema = z.array(z.string().trim().min(1, { error: 'must not be empty' }).max(500)).superRefine((statements, ctx) => {
  if (statements.length !== SUS_ITEMS) {
    ctx.addIssue({ code: 'custom', message: `must hold ${SUS_ITEMS} statements, in order, not ${statements.length}` })
  }
})

const sessionSchema = z.strictObject({
  option: z.string().min(1),
  /** The participant's role, such as "Response officer"; never their name. */
  role: z.string().min(1),
  /** The ten SUS answers in the statements' order, or null when the questionnaire was not filled in. */
  sus: susSchema.nullable().default(null),
  tasks: z.array(taskOutcomeSchema).default([]),
  comment: z.string().optional(),
  /** The statements the participant answered, when not the app's own plain wording (SUS_STATEMENTS). */
  statements: statementsSchema.optional(),
})

/** How long a participant's one-time code lasts, in hours, when the lead sets it: a trial day at most three days long. */
export const CODE_HOURS_MIN = 1
export const CODE_HOURS_MAX = 72
export const codeHoursSchema = z
  .number({ error: `must be a whole number of hours from ${CODE_HOURS_MIN} to ${CODE_HOURS_MAX}` })
  .int({ error: `must be a whole number of hours from ${CODE_HOURS_MIN} to ${CODE_HOURS_MAX}` })
  .min(CODE_HOURS_MIN, { error: `must be at least ${CODE_HOURS_MIN} hour` })
  .max(CODE_HOURS_MAX, { error: `must be at most ${CODE_HOURS_MAX} hours` })

export const trialsSchema = z.strictObject({
  tasks: z.array(z.strictObject({ id: idSchema, name: z.string().min(1) })).default([]),
  sessions: z.array(sessionSchema).default([]),
  /** The roles taking part, as the lead defined them; sessions name one of them when given. */
  roles: z.array(z.string().trim().min(1).max(200)).optional(),
  /** The wording new questionnaires use, when the lead replaced the app's own. */
  statements: statementsSchema.optional(),
  /** The criteria (ids) the trial's figures sit beside, such as usability: evaluators see them there as they score. */
  criteria: z.array(z.string().min(1)).optional(),
  /** How many hours a one-time code lasts in the app (the app's default when absent). */
  codeHours: codeHoursSchema.optional(),
})

export type Trials = z.output<typeof trialsSchema>

type AddIssue = (path: PropertyKey[], message: string) => void

/** Task ids unique; linked criteria known, each once; each session for a known option, naming known tasks, each task once. */
export function checkTrials(trials: Trials, options: ReadonlyMap<string, unknown>, criteria: ReadonlyMap<string, unknown>, add: AddIssue): void {
  const linked = new Set<string>()
  trials.criteria?.forEach((id, i) => {
    if (!criteria.has(id)) add(['trials', 'criteria', i], `unknown criterion "${id}"`)
    else if (linked.has(id)) add(['trials', 'criteria', i], `"${id}" is listed twice`)
    linked.add(id)
  })
  const tasks = new Map<string, number>()
  trials.tasks.forEach((task, i) => {
    const first = tasks.get(task.id)
    if (first !== undefined) add(['trials', 'tasks', i, 'id'], `duplicate id "${task.id}" (also used by trials.tasks[${first}])`)
    else tasks.set(task.id, i)
  })
  const roles = trials.roles === undefined ? undefined : new Set(trials.roles)
  trials.sessions.forEach((session, s) => {
    const path = ['trials', 'sessions', s]
    if (!options.has(session.option)) add([...path, 'option'], `unknown option "${session.option}"`)
    if (roles !== undefined && !roles.has(session.role)) add([...path, 'role'], `"${session.role}" is not one of the trial's roles (${[...roles].join(', ')})`)
    const seen = new Map<string, number>()
    session.tasks.forEach((outcome, t) => {
      if (!tasks.has(outcome.task)) {
        add([...path, 'tasks', t, 'task'], `unknown task "${outcome.task}"`)
        return
      }
      const first = seen.get(outcome.task)
      if (first !== undefined) add([...path, 'tasks', t, 'task'], `"${outcome.task}" is already recorded in this session (tasks[${first}])`)
      else seen.set(outcome.task, t)
    })
  })
}
