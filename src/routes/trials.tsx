import type { Context } from 'hono'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { z } from 'zod'
import type { AppDeps } from '../app.js'
import { actorOf, evaluationOf } from '../auth/guard.js'
import { SUS_ITEMS, trialResult } from '../appraisal/index.js'
import { codeHoursSchema } from '../appraisal/trials-schema.js'
import { listCriteria } from '../db/criteria.js'
import { listOptions } from '../db/options.js'
import type { Evaluation, TrialSession, TrialTask } from '../db/schema.js'
import {
  addTrialTask,
  answerQuestionnaire,
  deleteSession,
  deleteTrialTask,
  linkTrialCriteria,
  normaliseCode,
  renameTrialTask,
  readTrialParts,
  renewCode,
  saveSession,
  saveTrialSettings,
  sessionForCode,
  startSession,
  trialsAsFile,
  codeHoursOf,
  trialRoles,
  type StoredOutcome,
} from '../db/trials.js'
import { QuestionnairePage, TrialCodePage, TrialSessionPage, TrialsPage, TrialThanksPage } from '../../views/pages/trials.js'
import type { FieldErrors, FormValues } from '../../views/components/form.js'
import { pathId } from './evaluation-context.js'
import { formValues, integerField, numberField, optionalText, requiredText } from './form.js'
import { render } from './render.js'

const lines = (text: string | undefined) =>
  (text ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')

const secondsField = numberField({ required: '', invalid: 'Enter the time in seconds, like 42' }).pipe(z.number().min(0, 'The time cannot be negative'))
const codeHoursField = integerField({ required: '', invalid: 'Enter a whole number of hours, like 4' }).pipe(codeHoursSchema)
/** Why a change removes what participants or the facilitator recorded: kept in the log. */
const reasonField = optionalText(1000)
const errorsField = integerField({ required: '', invalid: 'Enter the number of errors, a whole number' }).pipe(z.number().min(0, 'Errors cannot be negative'))

/** The lead's trial set-up and figures, and the facilitator's sessions (issue 24). */
export function trialRoutes({ db }: AppDeps): Hono {
  const app = new Hono()

  async function show(c: Context, evaluation: Evaluation, values: FormValues = {}, errors: FieldErrors = {}, started?: { sessionId: number; code: string }) {
    const [options, parts, criteria] = await Promise.all([listOptions(db, evaluation.id), readTrialParts(db, evaluation.id), listCriteria(db, evaluation.id)])
    const file = trialsAsFile(parts, new Map(options.map((o) => [o.id, o.key])), new Map(criteria.map((x) => [x.id, x.key])))
    const results =
      file === undefined || file.sessions.length === 0
        ? []
        : options
            .filter((o) => parts.sessions.some((s) => s.option_id === o.id))
            .map((option) => ({ option, result: trialResult(option.key, option.name, file.tasks, file.sessions) }))
    const origin = new URL(c.req.url).origin
    const page = (
      <TrialsPage
        evaluation={evaluation}
        options={options}
        trial={parts.trial}
        criteria={criteria}
        tasks={parts.tasks}
        sessions={parts.sessions}
        results={results}
        values={values}
        errors={errors}
        started={started === undefined ? undefined : { ...started, url: `${origin}/trial` }}
      />
    )
    return render(c, page, Object.keys(errors).length > 0 ? 422 : 200)
  }

  app.get('/', async (c) => show(c, evaluationOf(c)))

  app.post('/settings', async (c) => {
    const evaluation = evaluationOf(c)
    const values = formValues(await c.req.parseBody())
    const roles = lines(values.roles)
    const statements = lines(values.statements)
    if (roles.some((r) => r.length > 200)) return show(c, evaluation, values, { roles: 'Each role must be 200 characters or fewer' })
    if (statements.some((s) => s.length > 500)) return show(c, evaluation, values, { statements: 'Each statement must be 500 characters or fewer' })
    const hoursText = values.codeHours?.trim() ?? ''
    const hours = hoursText === '' ? null : codeHoursField.safeParse(hoursText)
    if (hours !== null && !hours.success) {
      const issue = hours.error.issues[0]
      const message = issue?.message.startsWith('must') === true ? `The code’s lifetime ${issue.message}` : (issue?.message ?? 'Enter a whole number of hours')
      return show(c, evaluation, values, { codeHours: message })
    }
    const refused = await saveTrialSettings(db, actorOf(c), evaluation.id, roles, statements.length === 0 ? null : statements, hours?.data ?? null)
    if (refused !== null) return show(c, evaluation, values, { [refused.field]: refused.message })
    return c.redirect(`/evaluations/${evaluation.id}/trials`, 303)
  })

  app.post('/tasks', async (c) => {
    const evaluation = evaluationOf(c)
    const values = formValues(await c.req.parseBody())
    const name = requiredText('Enter the task').safeParse(values.name ?? '')
    if (!name.success) return show(c, evaluation, values, { name: name.error.issues[0]?.message ?? 'Enter the task' })
    await addTrialTask(db, actorOf(c), evaluation.id, name.data)
    return c.redirect(`/evaluations/${evaluation.id}/trials`, 303)
  })

  app.post('/criteria', async (c) => {
    const evaluation = evaluationOf(c)
    const values = formValues(await c.req.parseBody())
    const criteria = await listCriteria(db, evaluation.id)
    const known = new Set(criteria.map((x) => `criterion-${x.id}`))
    const unknown = Object.keys(values).filter((key) => key.startsWith('criterion-') && !known.has(key))
    if (unknown.length > 0) return show(c, evaluation, values, { criteria: 'Choose criteria of this evaluation' })
    await linkTrialCriteria(
      db,
      actorOf(c),
      evaluation.id,
      criteria.filter((x) => values[`criterion-${x.id}`] === 'on'),
    )
    return c.redirect(`/evaluations/${evaluation.id}/trials`, 303)
  })

  async function loadTask(c: Context): Promise<TrialTask> {
    const task = await db
      .selectFrom('trial_task')
      .selectAll()
      .where('evaluation_id', '=', evaluationOf(c).id)
      .where('id', '=', pathId(c, 'taskId'))
      .executeTakeFirst()
    if (task === undefined) throw new HTTPException(404)
    return task
  }

  app.post('/tasks/:taskId', async (c) => {
    const task = await loadTask(c)
    const values = formValues(await c.req.parseBody())
    const name = requiredText('Enter the task').safeParse(values[`task-${task.id}`] ?? '')
    if (!name.success) return show(c, evaluationOf(c), values, { [`task-${task.id}`]: name.error.issues[0]?.message ?? 'Enter the task' })
    if (name.data !== task.name) await renameTrialTask(db, actorOf(c), task, name.data)
    return c.redirect(`/evaluations/${task.evaluation_id}/trials`, 303)
  })

  app.post('/tasks/:taskId/delete', async (c) => {
    const task = await loadTask(c)
    const values = formValues(await c.req.parseBody())
    const field = `reason-${task.id}`
    const reason = reasonField.safeParse(values[field])
    if (!reason.success) return show(c, evaluationOf(c), values, { [field]: reason.error.issues[0]?.message ?? 'The reason is too long' })
    const refused = await deleteTrialTask(db, actorOf(c), task, reason.data)
    if (refused !== null) return show(c, evaluationOf(c), values, { [field]: refused.message })
    return c.redirect(`/evaluations/${task.evaluation_id}/trials`, 303)
  })

  app.post('/sessions', async (c) => {
    const evaluation = evaluationOf(c)
    const values = formValues(await c.req.parseBody())
    const option = (await listOptions(db, evaluation.id)).find((o) => String(o.id) === values.option)
    if (option === undefined) return show(c, evaluation, values, { option: 'Choose an option of this evaluation' })
    const outcome = await startSession(db, actorOf(c), evaluation.id, option, values.role ?? '')
    if ('refusal' in outcome) return show(c, evaluation, values, { [outcome.refusal.field]: outcome.refusal.message })
    return show(c, evaluation, {}, {}, outcome)
  })

  async function loadSession(c: Context): Promise<TrialSession> {
    const evaluation = evaluationOf(c)
    const session = await db
      .selectFrom('trial_session')
      .selectAll()
      .where('evaluation_id', '=', evaluation.id)
      .where('id', '=', pathId(c, 'sessionId'))
      .executeTakeFirst()
    if (session === undefined) throw new HTTPException(404)
    return session
  }

  async function showSession(c: Context, session: TrialSession, values: FormValues = {}, errors: FieldErrors = {}, code?: string) {
    const evaluation = evaluationOf(c)
    const [options, parts] = await Promise.all([listOptions(db, evaluation.id), readTrialParts(db, evaluation.id)])
    const page = (
      <TrialSessionPage
        evaluation={evaluation}
        session={session}
        options={options}
        roles={trialRoles(parts.trial)}
        codeHours={codeHoursOf(parts.trial)}
        tasks={parts.tasks}
        values={values}
        errors={errors}
        code={code}
      />
    )
    return render(c, page, Object.keys(errors).length > 0 ? 422 : 200)
  }

  app.get('/sessions/:sessionId', async (c) => showSession(c, await loadSession(c)))

  app.post('/sessions/:sessionId', async (c) => {
    const session = await loadSession(c)
    const values = formValues(await c.req.parseBody())
    const tasks = (await readTrialParts(db, session.evaluation_id)).tasks
    const errors: FieldErrors = {}
    const outcomes: StoredOutcome[] = []
    for (const task of tasks) {
      const done = values[`completed-${task.id}`] ?? ''
      if (done === '') continue
      if (done !== 'yes' && done !== 'no') {
        errors[`completed-${task.id}`] = 'Choose completed, not completed or not tried'
        continue
      }
      const outcome: StoredOutcome = { task: task.id, completed: done === 'yes' }
      const secondsText = values[`seconds-${task.id}`]?.trim() ?? ''
      if (secondsText !== '') {
        const seconds = secondsField.safeParse(secondsText)
        if (seconds.success) outcome.seconds = seconds.data
        else errors[`seconds-${task.id}`] = seconds.error.issues[0]?.message ?? 'Enter the time in seconds'
      }
      const errorsText = values[`errors-${task.id}`]?.trim() ?? ''
      if (errorsText !== '') {
        const count = errorsField.safeParse(errorsText)
        if (count.success) outcome.errors = count.data
        else errors[`errors-${task.id}`] = count.error.issues[0]?.message ?? 'Enter the number of errors'
      }
      outcomes.push(outcome)
    }
    const comment = optionalText(5000).safeParse(values.comment)
    if (!comment.success) errors.comment = comment.error.issues[0]?.message ?? 'The comment is too long'
    const option = (await listOptions(db, session.evaluation_id)).find((o) => String(o.id) === (values.option ?? String(session.option_id)))
    if (option === undefined) errors.option = 'Choose an option of this evaluation'
    if (Object.keys(errors).length > 0 || !comment.success || option === undefined) return showSession(c, session, values, errors)
    const refused = await saveSession(db, actorOf(c), session, { option, role: values.role ?? session.role, outcomes, comment: comment.data })
    if (refused !== null) return showSession(c, session, values, { [refused.field]: refused.message })
    return c.redirect(`/evaluations/${session.evaluation_id}/trials`, 303)
  })

  app.post('/sessions/:sessionId/delete', async (c) => {
    const session = await loadSession(c)
    const values = formValues(await c.req.parseBody())
    const reason = reasonField.safeParse(values.reason)
    if (!reason.success) return showSession(c, session, values, { reason: reason.error.issues[0]?.message ?? 'The reason is too long' })
    const refused = await deleteSession(db, actorOf(c), session, reason.data)
    if (refused !== null) return showSession(c, session, values, { [refused.field]: refused.message })
    return c.redirect(`/evaluations/${session.evaluation_id}/trials`, 303)
  })

  app.post('/sessions/:sessionId/code', async (c) => {
    const session = await loadSession(c)
    const code = await renewCode(db, actorOf(c), session)
    if (code === null) throw new HTTPException(409, { message: 'The questionnaire is already answered: the session needs no new code.' })
    return showSession(c, await loadSession(c), {}, {}, code)
  })

  return app
}

/** What a participant sees for a code that opens nothing, the same whatever the reason but for its words. */
const CODE_WORDS = {
  unknown: 'This code is not one we know. Check it with the facilitator.',
  used: 'This code has already been used: each code is for one questionnaire. Ask the facilitator if you need another.',
  expired: 'This code has expired. Ask the facilitator for a new one.',
} as const

/** The participant's pages: no account, a one-time code, nothing of the evaluation but the product under trial. */
export function participantRoutes({ db }: AppDeps): Hono {
  const app = new Hono()

  app.get('/', (c) => render(c, <TrialCodePage values={{}} errors={{}} />))

  app.post('/', async (c) => {
    const values = formValues(await c.req.parseBody())
    const code = normaliseCode(values.code ?? '')
    if (code === '') return render(c, <TrialCodePage values={values} errors={{ code: 'Enter your one-time code' }} />, 422)
    return c.redirect(`/trial/${code}`, 303)
  })

  async function open(c: Context, values: FormValues = {}, errors: FieldErrors = {}) {
    const code = normaliseCode(c.req.param('code') ?? '')
    const state = await sessionForCode(db, code)
    if (state.state !== 'open')
      return render(c, <TrialCodePage values={{}} errors={{}} status={CODE_WORDS[state.state]} />, state.state === 'unknown' ? 404 : 410)
    const page = <QuestionnairePage code={code} optionName={state.optionName} statements={state.statements} values={values} errors={errors} />
    return render(c, page, Object.keys(errors).length > 0 ? 422 : 200)
  }

  app.get('/:code', (c) => open(c))

  app.post('/:code', async (c) => {
    const code = normaliseCode(c.req.param('code'))
    const state = await sessionForCode(db, code)
    if (state.state !== 'open') return open(c)
    const values = formValues(await c.req.parseBody())
    const answers: number[] = []
    const errors: FieldErrors = {}
    for (let i = 1; i <= SUS_ITEMS; i++) {
      const answer = Number(values[`answer-${i}`])
      if (Number.isInteger(answer) && answer >= 1 && answer <= 5) answers.push(answer)
      else errors[`answer-${i}`] = `Choose how far you agree with statement ${i}`
    }
    if (Object.keys(errors).length > 0) return open(c, values, errors)
    const saved = await answerQuestionnaire(db, state.session, answers, state.statements)
    if (!saved) return open(c)
    return render(c, <TrialThanksPage />)
  })

  return app
}
