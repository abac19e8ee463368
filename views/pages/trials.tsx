import { SUS_AVERAGE, type TrialResult } from '../../src/appraisal/index.js'
import { useMay } from '../../src/auth/viewer.js'
import { tenderMaterialOpen } from '../../src/db/plan-rules.js'
import { TendersClosedNotice } from '../components/plan-reason.js'
import { CODE_HOURS_MAX, CODE_HOURS_MIN } from '../../src/appraisal/trials-schema.js'
import type { Criterion, Evaluation, Option, Trial, TrialSession, TrialTask } from '../../src/db/schema.js'
import {
  CODE_HOURS,
  codeHoursOf,
  currentStatements,
  displayCode,
  linkedCriteria,
  sessionAnswered,
  sessionStatements,
  trialRoles,
  type StoredOutcome,
} from '../../src/db/trials.js'
import { formatNumber, formatPercent } from '../../src/format.js'
import { Checkbox, ErrorMessage, ErrorSummary, fieldId, Select, TextArea, TextField, type FieldErrors, type FormValues } from '../components/form.js'
import { Layout } from '../layout.js'

function crumbs(evaluation: Evaluation, trials = false) {
  const base = [
    { href: '/evaluations', label: 'Evaluations' },
    { href: `/evaluations/${evaluation.id}`, label: evaluation.title },
  ]
  return trials ? [...base, { href: `/evaluations/${evaluation.id}/trials`, label: 'Frontline trials' }] : base
}

const round = (value: number | null) => (value === null ? '–' : formatNumber(value, 0))

export interface TrialsPageProps {
  evaluation: Evaluation
  options: Option[]
  trial: Trial | undefined
  criteria: Criterion[]
  tasks: TrialTask[]
  sessions: TrialSession[]
  results: { option: Option; result: TrialResult }[]
  values: FormValues
  errors: FieldErrors
  /** A session just started, with the code to give the participant (shown once). */
  started?: { sessionId: number; code: string; url: string } | undefined
}

export function TrialsPage(props: TrialsPageProps) {
  const { evaluation, trial, tasks } = props
  const base = `/evaluations/${evaluation.id}/trials`
  const may = useMay()
  const lead = may('POST /evaluations/:id/trials/settings')
  const facilitator = may('POST /evaluations/:id/trials/sessions')
  const roles = trialRoles(trial)
  const optionName = new Map(props.options.map((o) => [o.id, o.name]))
  const statements = currentStatements(trial)
  const linked = new Set(linkedCriteria(trial))
  const criterionName = new Map(props.criteria.map((c) => [c.id, c.name]))
  return (
    <Layout title={`Frontline trials – ${evaluation.title}`} crumbs={crumbs(evaluation)}>
      <h1>Frontline trials</h1>
      <p>
        People who will use the system try each option: a facilitator records how each task went, and the participant answers a ten-statement questionnaire
        scored by the System Usability Scale (SUS) on their own phone or a shared device, through a one-time code.
      </p>
      <ErrorSummary errors={props.errors} />
      {props.started !== undefined && (
        <div class="notice notice--success trial-started" role="status" id="started">
          <h2 class="notice__title">Session started</h2>
          <p>
            Give the participant this code, valid for one questionnaire for {codeHoursOf(trial)} hours:{' '}
            <strong class="code">{displayCode(props.started.code)}</strong>. They type it at <a href="/trial">{props.started.url}</a>, or open{' '}
            <code>{`${props.started.url}/${props.started.code}`}</code>. It is shown only now.
          </p>
          <p>
            <a href={`${base}/sessions/${props.started.sessionId}`}>Record the task outcomes</a>
          </p>
        </div>
      )}
      {lead && props.results.length > 0 && <TrialFigures results={props.results} tasks={tasks} />}
      {lead && (
        <form method="post" action={`${base}/criteria`} novalidate>
          <h2>Beside the criteria</h2>
          <p>
            Evaluators see each option’s trial figures beside the criteria chosen here as they score it, and the report names them.{' '}
            {linked.size === 0 ? 'None is chosen yet.' : `Now: ${[...linked].map((id) => `“${criterionName.get(id) ?? id}”`).join(', ')}.`}
          </p>
          <details class="criteria-choice" id={fieldId('criteria')} open={props.errors.criteria !== undefined}>
            <summary>Choose the criteria</summary>
            <ErrorMessage error={props.errors.criteria} />
            {props.criteria
              .filter((c) => c.kind !== 'gate')
              .map((c) => (
                <Checkbox
                  name={`criterion-${c.id}`}
                  label={c.parent_id === null ? c.name : `${criterionName.get(c.parent_id) ?? ''} › ${c.name}`}
                  checked={props.values[`criterion-${c.id}`] === 'on' || (props.values[`criterion-${c.id}`] === undefined && linked.has(c.id))}
                />
              ))}
          </details>
          <button class="button button--secondary" type="submit">
            Show the figures beside these criteria
          </button>
        </form>
      )}
      <h2>Sessions</h2>
      {props.sessions.length === 0 ? (
        <p>No sessions yet.</p>
      ) : (
        <div class="table-scroll">
          <table class="table">
            <caption class="visually-hidden">Sessions</caption>
            <thead>
              <tr>
                <th scope="col">Session</th>
                <th scope="col">Option</th>
                <th scope="col">Role</th>
                <th scope="col">Questionnaire</th>
              </tr>
            </thead>
            <tbody>
              {props.sessions.map((s, i) => (
                <tr>
                  <th scope="row">{facilitator ? <a href={`${base}/sessions/${s.id}`}>Session {i + 1}</a> : `Session ${i + 1}`}</th>
                  <td>{optionName.get(s.option_id)}</td>
                  <td>{s.role}</td>
                  <td>{s.sus === null ? 'Not yet answered' : 'Answered'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {facilitator && roles.length > 0 && (
        <form method="post" action={`${base}/sessions`} novalidate>
          <h2>Start a session</h2>
          <Select
            name="option"
            label="Option the participant tries"
            options={props.options.map((o) => ({ value: String(o.id), label: o.name }))}
            value={props.values.option}
            error={props.errors.option}
          />
          <Select
            name="role"
            label="The participant’s role"
            hint="Sessions never record a participant’s name."
            options={roles.map((r) => ({ value: r, label: r }))}
            value={props.values.role}
            error={props.errors.role}
          />
          <button class="button" type="submit">
            Start the session
          </button>
        </form>
      )}
      {lead && (
        <>
          <h2>Tasks</h2>
          {tasks.length === 0 ? (
            <p>No tasks yet.</p>
          ) : (
            <ol class="list">
              {tasks.map((t) => (
                <li>
                  {t.name}
                  <details class="task-edit" open={props.errors[`task-${t.id}`] !== undefined || props.errors[`reason-${t.id}`] !== undefined}>
                    <summary>
                      Change or delete<span class="visually-hidden"> “{t.name}”</span>
                    </summary>
                    <form method="post" action={`${base}/tasks/${t.id}`} novalidate>
                      <TextField name={`task-${t.id}`} label="The task" value={props.values[`task-${t.id}`] ?? t.name} error={props.errors[`task-${t.id}`]} />
                      <button class="button button--secondary" type="submit">
                        Save the task
                      </button>
                    </form>
                    <form method="post" action={`${base}/tasks/${t.id}/delete`} novalidate>
                      <TextField
                        name={`reason-${t.id}`}
                        label="Why delete it (needed once a session recorded it)"
                        value={props.values[`reason-${t.id}`]}
                        error={props.errors[`reason-${t.id}`]}
                      />
                      <button class="button button--warning" type="submit">
                        Delete the task
                      </button>
                    </form>
                  </details>
                </li>
              ))}
            </ol>
          )}
          <form method="post" action={`${base}/tasks`} novalidate>
            <TextField
              name="name"
              label="Add a task"
              hint="For example: find a nominal by a misspelt name."
              value={props.values.name}
              error={props.errors.name}
            />
            <button class="button button--secondary" type="submit">
              Add the task
            </button>
          </form>
          <h2>Roles and questionnaire</h2>
          <form method="post" action={`${base}/settings`} novalidate>
            <TextArea name="roles" label="Roles taking part, one a line" value={props.values.roles ?? roles.join('\n')} error={props.errors.roles} rows={4} />
            <TextArea
              name="statements"
              label="The ten statements, one a line (leave empty for the app’s own wording)"
              hint="Odd statements must be worded positively and even ones negatively, as the SUS scoring rule counts them. Each session records the wording it used."
              value={props.values.statements ?? (trial?.statements == null ? '' : statements.join('\n'))}
              error={props.errors.statements}
              rows={10}
            />
            <TextField
              name="codeHours"
              label="How long a one-time code lasts, in hours"
              hint={`From ${CODE_HOURS_MIN} to ${CODE_HOURS_MAX}; leave empty for ${CODE_HOURS}. A new code follows it; codes already given keep theirs.`}
              width="number"
              value={props.values.codeHours ?? (trial?.code_hours == null ? '' : String(trial.code_hours))}
              error={props.errors.codeHours}
            />
            <button class="button" type="submit">
              Save roles, wording and code lifetime
            </button>
          </form>
        </>
      )}
    </Layout>
  )
}

function TrialFigures(props: { results: { option: Option; result: TrialResult }[]; tasks: TrialTask[] }) {
  const taskName = new Map(props.tasks.map((t) => [t.key, t.name]))
  return (
    <section aria-labelledby="figures">
      <h2 id="figures">What the frontline found</h2>
      <ul class="list">
        {props.results.map(({ result }) => (
          <li>{result.summary}.</li>
        ))}
      </ul>
      <SusChart results={props.results} />
      {props.results.map(({ option, result }) => (
        <>
          {/* The option's name above its table, not in the caption: a caption as wide as the table is cut off on a phone. */}
          <h3>{option.name}</h3>
          <div class="table-scroll">
            <table class="table">
              <caption class="visually-hidden">{option.name}</caption>
              <thead>
                <tr>
                  <th scope="col">Who</th>
                  <th scope="col" class="numeric">
                    Participants
                  </th>
                  <th scope="col">SUS (95% CI)</th>
                  {props.tasks.map((t) => (
                    <th scope="col">{t.name}: completed (95% CI), median seconds</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {[['Everyone', result] as const, ...Object.entries(result.byRole)].map(([who, figures]) => (
                  <tr>
                    <th scope="row">{who}</th>
                    <td class="numeric">{figures.participants}</td>
                    <td>
                      {figures.sus === null
                        ? '–'
                        : `${round(figures.sus.mean)}${figures.sus.low === null ? '' : ` (${round(figures.sus.low)}–${round(figures.sus.high)})`}`}
                    </td>
                    {figures.tasks.map((t) => (
                      <td>
                        {t.rate === null
                          ? '–'
                          : `${formatPercent(t.rate, 0)} (${formatPercent(t.low ?? 0, 0)}–${formatPercent(t.high ?? 0, 0)}), ${round(t.medianSeconds)}`}
                        <span class="visually-hidden"> {taskName.get(t.task)}</span>
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ))}
    </section>
  )
}

/** Each option's mean SUS with its 95% interval, on 0–100, with the commonly cited average marked; the tables after it give the figures. */
export function SusChart(props: { results: { option: Option; result: TrialResult }[] }) {
  const width = 640
  const left = 200
  const right = width - 24
  const rowHeight = 36
  const top = 16
  const height = top + props.results.length * rowHeight + 40
  const x = (value: number) => left + (value / 100) * (right - left)
  const description = props.results.map(({ result }) => result.summary).join('. ')
  return (
    <div class="chart-figure">
      <svg
        class="chart"
        id="sus-chart"
        viewBox={`0 0 ${width} ${height}`}
        width={width}
        height={height}
        role="img"
        aria-labelledby="sus-chart-title sus-chart-desc"
        font-family="Arial, sans-serif"
        font-size={14}>
        <title id="sus-chart-title">SUS score of each option with its 95% confidence interval</title>
        <desc id="sus-chart-desc">{description}</desc>
        {[0, 20, 40, 60, 80, 100].map((tick) => (
          <g>
            <line x1={x(tick)} x2={x(tick)} y1={top - 6} y2={height - 34} stroke="#d8d8d8" />
            <text x={x(tick)} y={height - 18} text-anchor="middle" fill="#505a5f">
              {tick}
            </text>
          </g>
        ))}
        <line x1={x(SUS_AVERAGE)} x2={x(SUS_AVERAGE)} y1={top - 6} y2={height - 34} stroke="#0b0c0c" stroke-dasharray="4 3" />
        <text x={x(SUS_AVERAGE) + 4} y={height - 36} fill="#0b0c0c" font-size={12}>
          average {SUS_AVERAGE}
        </text>
        {props.results.map(({ option, result }, i) => {
          const y = top + i * rowHeight + rowHeight / 2
          const sus = result.sus
          return (
            <g>
              <text x={left - 10} y={y + 5} text-anchor="end" fill="#0b0c0c">
                {option.name.length > 24 ? `${option.name.slice(0, 23)}…` : option.name}
              </text>
              {sus !== null && sus.low !== null && sus.high !== null && (
                <line x1={x(sus.low)} x2={x(sus.high)} y1={y} y2={y} stroke="#1d70b8" stroke-width={3} />
              )}
              {sus !== null && <circle cx={x(sus.mean)} cy={y} r={6} fill="#1d70b8" />}
            </g>
          )
        })}
      </svg>
    </div>
  )
}

export interface SessionPageProps {
  evaluation: Evaluation
  session: TrialSession
  options: Option[]
  roles: string[]
  codeHours: number
  tasks: TrialTask[]
  values: FormValues
  errors: FieldErrors
  code?: string | undefined
}

export function TrialSessionPage(props: SessionPageProps) {
  const { evaluation, session, tasks } = props
  const base = `/evaluations/${evaluation.id}/trials/sessions/${session.id}`
  const outcomes = JSON.parse(session.outcomes) as StoredOutcome[]
  const stored = (task: TrialTask) => outcomes.find((o) => o.task === task.id)
  const value = (field: string, fallback: string) => props.values[field] ?? fallback
  const option = props.options.find((o) => o.id === session.option_id)
  const optionName = option?.name ?? ''
  const answered = sessionAnswered(session)
  // A session with a tender waits, like the rest of the tender's material, for the plan's approval.
  const open = option === undefined || tenderMaterialOpen(evaluation, option)
  const fields = (
    <>
      {answered ? (
        <input type="hidden" name="option" value={String(session.option_id)} />
      ) : (
        <Select
          name="option"
          label="Option the participant tries"
          options={props.options.map((o) => ({ value: String(o.id), label: o.name }))}
          value={value('option', String(session.option_id))}
          error={props.errors.option}
        />
      )}
      {answered && <ErrorMessage id={fieldId('option')} error={props.errors.option} />}
      <Select
        name="role"
        label="The participant’s role"
        options={[...new Set([...props.roles, session.role])].map((r) => ({ value: r, label: r }))}
        value={value('role', session.role)}
        error={props.errors.role}
      />
      {tasks.map((task) => {
        const outcome = stored(task)
        const done = value(`completed-${task.id}`, outcome === undefined ? '' : outcome.completed ? 'yes' : 'no')
        return (
          <fieldset class="fieldset">
            <legend class="fieldset__legend">{task.name}</legend>
            <Select
              name={`completed-${task.id}`}
              label="Outcome"
              options={[
                { value: '', label: 'Not tried' },
                { value: 'yes', label: 'Completed' },
                { value: 'no', label: 'Not completed' },
              ]}
              value={done}
              error={props.errors[`completed-${task.id}`]}
            />
            <TextField
              name={`seconds-${task.id}`}
              label="Time on task (seconds)"
              width="number"
              value={value(`seconds-${task.id}`, outcome?.seconds === undefined ? '' : String(outcome.seconds))}
              error={props.errors[`seconds-${task.id}`]}
            />
            <TextField
              name={`errors-${task.id}`}
              label="Errors"
              width="number"
              value={value(`errors-${task.id}`, outcome?.errors === undefined ? '' : String(outcome.errors))}
              error={props.errors[`errors-${task.id}`]}
            />
          </fieldset>
        )
      })}
      <TextArea
        name="comment"
        label="What the participant said (attributed to their role, never their name)"
        value={value('comment', session.comment ?? '')}
        error={props.errors.comment}
        rows={4}
      />
    </>
  )
  return (
    <Layout title={`Trial session – ${evaluation.title}`} crumbs={crumbs(evaluation, true)}>
      <span class="caption">Trial session</span>
      <h1>
        {session.role} tries {optionName}
      </h1>
      <ErrorSummary errors={props.errors} />
      {!open && <TendersClosedNotice evaluation={evaluation} />}
      {props.code !== undefined && (
        <div class="notice notice--success" role="status">
          New one-time code for the participant: <strong class="code">{displayCode(props.code)}</strong> (at /trial, valid for {props.codeHours} hours; shown
          only now).
        </div>
      )}
      <p>Questionnaire: {session.sus === null ? 'not yet answered.' : 'answered.'}</p>
      {session.sus !== null && (
        <details>
          <summary>The wording the participant answered</summary>
          <ol>
            {sessionStatements(session).map((s) => (
              <li>{s}</li>
            ))}
          </ol>
        </details>
      )}
      {open ? (
        <form method="post" action={base} novalidate>
          {fields}
          <button class="button" type="submit">
            Save the session
          </button>
        </form>
      ) : (
        <fieldset class="fieldset" disabled>
          <legend class="visually-hidden">The session as recorded</legend>
          {fields}
        </fieldset>
      )}
      {open && (
        <>
          {session.sus === null && (
            <form method="post" action={`${base}/code`}>
              <button class="button button--secondary" type="submit">
                Give the participant a new code
              </button>
            </form>
          )}
          <form method="post" action={`${base}/delete`} novalidate>
            <h2>Delete the session</h2>
            {answered ? (
              <TextField
                name="reason"
                label="Why delete it"
                hint="The participant’s answers are deleted with it; the history keeps them and the reason."
                value={props.values.reason}
                error={props.errors.reason}
              />
            ) : (
              <p>Nobody has answered its questionnaire yet.</p>
            )}
            <button class="button button--warning" type="submit">
              Delete the session
            </button>
          </form>
        </>
      )}
    </Layout>
  )
}

const AGREEMENT = ['Strongly disagree', 'Disagree', 'Neither agree nor disagree', 'Agree', 'Strongly agree']

/** The participant's questionnaire: nothing of the evaluation but the product under trial. */
export function QuestionnairePage(props: { code: string; optionName: string; statements: readonly string[]; values: FormValues; errors: FieldErrors }) {
  return (
    <Layout title={`Questionnaire about ${props.optionName}`}>
      <h1>What did you think of {props.optionName}?</h1>
      <p>Ten short statements. For each, choose how far you agree. Your answers are not linked to your name.</p>
      <ErrorSummary errors={props.errors} fieldIds={Object.fromEntries(props.statements.map((_, i) => [`answer-${i + 1}`, `answer-${i + 1}-1`]))} />
      <form method="post" action={`/trial/${props.code}`} novalidate>
        {props.statements.map((statement, i) => {
          const name = `answer-${i + 1}`
          const error = props.errors[name]
          return (
            <div class={error === undefined ? 'form-group' : 'form-group form-group--error'}>
              <fieldset class="fieldset" aria-describedby={error === undefined ? undefined : `${name}-error`}>
                <legend class="fieldset__legend">
                  {i + 1}. {statement}
                </legend>
                <ErrorMessage id={`${name}-error`} error={error} />
                <div class="scale-choices">
                  {AGREEMENT.map((words, k) => (
                    <div class="scale-choice">
                      <input
                        class="scale-choice__input"
                        id={`${name}-${k + 1}`}
                        name={name}
                        type="radio"
                        value={String(k + 1)}
                        checked={props.values[name] === String(k + 1)}
                      />
                      <label class="scale-choice__label" for={`${name}-${k + 1}`}>
                        {words}
                      </label>
                    </div>
                  ))}
                </div>
              </fieldset>
            </div>
          )
        })}
        <button class="button" type="submit">
          Send my answers
        </button>
      </form>
    </Layout>
  )
}

export function TrialCodePage(props: { values: FormValues; errors: FieldErrors; status?: string }) {
  return (
    <Layout title="Trial questionnaire">
      <h1>Trial questionnaire</h1>
      {props.status !== undefined && (
        <div class="notice" role="status">
          {props.status}
        </div>
      )}
      <ErrorSummary errors={props.errors} fieldIds={{ code: fieldId('code') }} />
      <form method="post" action="/trial" novalidate>
        <TextField
          name="code"
          label="Your one-time code"
          hint="Ten letters and numbers, as the facilitator gave them to you."
          autocomplete="off"
          value={props.values.code}
          error={props.errors.code}
        />
        <button class="button" type="submit">
          Continue
        </button>
      </form>
    </Layout>
  )
}

export function TrialThanksPage() {
  return (
    <Layout title="Thank you">
      <h1>Thank you</h1>
      <p>Your answers are saved. You can close this page.</p>
    </Layout>
  )
}
