import { createHash, randomInt } from 'node:crypto'
import type { Kysely } from 'kysely'
import { SUS_ITEMS, SUS_STATEMENTS, trialResult, type TrialResult, type Trials } from '../appraisal/index.js'
import { recordedChange, type Actor, type Change, type Refusal } from './audit.js'
import type { Db } from './connection.js'
import { makeKey, now } from './connection.js'
import type { Criterion, Database, Option, Trial, TrialSession, TrialTask } from './schema.js'

/**
 * Frontline trials in the app (issue 24): the lead's tasks, roles and questionnaire wording; the
 * facilitator's sessions, each with a one-time code the participant uses to answer the
 * questionnaire without an account. The figures come from the engine (src/appraisal/trials.ts) over
 * the trials in the evaluation file's shape.
 */

/** How long a participant's one-time code lasts unless the lead sets otherwise (within CODE_HOURS_MIN..MAX). */
export const CODE_HOURS = 4

/** How long this trial's one-time codes last, in hours. */
export function codeHoursOf(trial: Trial | undefined): number {
  return trial?.code_hours ?? CODE_HOURS
}

/** The criteria (ids) the trial's figures sit beside; none when unlinked. */
export function linkedCriteria(trial: Trial | undefined): number[] {
  return trial?.criteria == null ? [] : (JSON.parse(trial.criteria) as number[])
}

/** Letters and digits that cannot be mistaken for one another, typed or read aloud. */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
const CODE_LENGTH = 10

export interface StoredOutcome {
  task: number
  completed: boolean
  seconds?: number
  errors?: number
}

export interface TrialParts {
  trial: Trial | undefined
  tasks: TrialTask[]
  sessions: TrialSession[]
}

export async function readTrialParts(db: Db, evaluationId: number): Promise<TrialParts> {
  const [trial, tasks, sessions] = await Promise.all([
    db.selectFrom('trial').selectAll().where('evaluation_id', '=', evaluationId).executeTakeFirst(),
    db.selectFrom('trial_task').selectAll().where('evaluation_id', '=', evaluationId).orderBy('position').orderBy('id').execute(),
    db.selectFrom('trial_session').selectAll().where('evaluation_id', '=', evaluationId).orderBy('position').orderBy('id').execute(),
  ])
  return { trial, tasks, sessions }
}

export function trialRoles(trial: Trial | undefined): string[] {
  return trial === undefined ? [] : (JSON.parse(trial.roles) as string[])
}

/** The statements new questionnaires use: the lead's, or the app's own. */
export function currentStatements(trial: Trial | undefined): readonly string[] {
  return trial?.statements == null ? SUS_STATEMENTS : (JSON.parse(trial.statements) as string[])
}

/** The statements a session's questionnaire used (the app's own when it records none). */
export function sessionStatements(session: TrialSession): readonly string[] {
  return session.statements === null ? SUS_STATEMENTS : (JSON.parse(session.statements) as string[])
}

/** The trial in the evaluation file's shape; undefined when the evaluation has none. */
export function trialsAsFile(parts: TrialParts, optionKey: ReadonlyMap<number, string>, criterionKey: ReadonlyMap<number, string>): Trials | undefined {
  const { trial, tasks, sessions } = parts
  if (trial === undefined && tasks.length === 0 && sessions.length === 0) return undefined
  const taskKey = new Map(tasks.map((t) => [t.id, t.key]))
  return {
    tasks: tasks.map((t) => ({ id: t.key, name: t.name })),
    sessions: sessions.map((s) => ({
      option: optionKey.get(s.option_id)!,
      role: s.role,
      sus: s.sus === null ? null : (JSON.parse(s.sus) as number[]),
      tasks: (JSON.parse(s.outcomes) as StoredOutcome[]).map((o) => ({ ...o, task: taskKey.get(o.task)! })),
      ...(s.comment === null ? {} : { comment: s.comment }),
      ...(s.statements === null ? {} : { statements: JSON.parse(s.statements) as string[] }),
    })),
    ...(trial === undefined ? {} : { roles: trialRoles(trial) }),
    ...(trial?.statements == null ? {} : { statements: JSON.parse(trial.statements) as string[] }),
    ...(trial?.criteria == null ? {} : { criteria: linkedCriteria(trial).flatMap((id) => (criterionKey.has(id) ? [criterionKey.get(id)!] : [])) }),
    ...(trial?.code_hours == null ? {} : { codeHours: trial.code_hours }),
  }
}

/** Stores a file's trial for an evaluation being imported (the schema has checked it). */
export async function insertTrials(
  db: Change,
  evaluationId: number,
  trials: Trials,
  optionIds: ReadonlyMap<string, number>,
  criterionIds: ReadonlyMap<string, number>,
): Promise<void> {
  if (trials.roles !== undefined || trials.statements !== undefined || trials.criteria !== undefined || trials.codeHours !== undefined) {
    await db
      .insertInto('trial')
      .values({
        evaluation_id: evaluationId,
        roles: JSON.stringify(trials.roles ?? []),
        statements: trials.statements === undefined ? null : JSON.stringify(trials.statements),
        criteria: trials.criteria === undefined ? null : JSON.stringify(trials.criteria.map((key) => criterionIds.get(key)!)),
        code_hours: trials.codeHours ?? null,
      })
      .execute()
  }
  const taskIds = new Map<string, number>()
  for (const [position, task] of trials.tasks.entries()) {
    const row = await db
      .insertInto('trial_task')
      .values({ evaluation_id: evaluationId, key: task.id, name: task.name, position })
      .returning('id')
      .executeTakeFirstOrThrow()
    taskIds.set(task.id, row.id)
  }
  for (const [position, session] of trials.sessions.entries()) {
    await db
      .insertInto('trial_session')
      .values({
        evaluation_id: evaluationId,
        option_id: optionIds.get(session.option)!,
        role: session.role,
        sus: session.sus === null ? null : JSON.stringify(session.sus),
        outcomes: JSON.stringify(session.tasks.map((o) => ({ ...o, task: taskIds.get(o.task)! }))),
        comment: session.comment ?? null,
        statements: session.statements === undefined ? null : JSON.stringify(session.statements),
        position,
        code_hash: null,
        code_expires_at: null,
        code_used_at: null,
      })
      .execute()
  }
}

// ---------------------------------------------------------------------------------------------
// Changes, each one recorded change

const TRIAL = { tables: ['trial', 'trial_task', 'trial_session'] } as const

/** The lead's roles (one or more), optionally their own wording of the ten statements, and how long codes last (null: the default). */
export async function saveTrialSettings(
  db: Kysely<Database>,
  actor: Actor,
  evaluationId: number,
  roles: readonly string[],
  statements: readonly string[] | null,
  codeHours: number | null,
): Promise<Refusal<'roles' | 'statements'> | null> {
  if (roles.length === 0) return { field: 'roles', message: 'Enter the roles taking part, one a line' }
  if (new Set(roles).size !== roles.length) return { field: 'roles', message: 'Name each role once' }
  if (statements !== null && statements.length !== SUS_ITEMS) {
    return { field: 'statements', message: `Enter all ${SUS_ITEMS} statements, one a line, or none to use the app’s own wording` }
  }
  const summary =
    `Frontline trial: roles set (${roles.join(', ')})${statements === null ? '' : ', with the lead’s own questionnaire wording'}` +
    `, codes lasting ${codeHours ?? CODE_HOURS} hours`
  await recordedChange(db, { evaluationId, actor, kind: 'trial', summary, reach: TRIAL }, (trx) =>
    upsertTrial(trx, evaluationId, {
      roles: JSON.stringify(roles),
      statements: statements === null ? null : JSON.stringify(statements),
      code_hours: codeHours,
    }),
  )
  return null
}

async function upsertTrial(trx: Change, evaluationId: number, values: Partial<Pick<Trial, 'roles' | 'statements' | 'criteria' | 'code_hours'>>): Promise<void> {
  const existing = await trx.selectFrom('trial').select('id').where('evaluation_id', '=', evaluationId).executeTakeFirst()
  if (existing === undefined)
    await trx
      .insertInto('trial')
      .values({ evaluation_id: evaluationId, roles: '[]', statements: null, ...values })
      .execute()
  else await trx.updateTable('trial').set(values).where('id', '=', existing.id).execute()
}

/** Links the trial's figures to criteria (evaluators see them beside these as they score); an empty list unlinks them. */
export async function linkTrialCriteria(db: Kysely<Database>, actor: Actor, evaluationId: number, criteria: readonly Criterion[]): Promise<void> {
  const summary =
    criteria.length === 0
      ? 'Frontline trial figures no longer shown beside any criterion'
      : `Frontline trial figures shown beside ${criteria.map((c) => `“${c.name}”`).join(', ')}`
  await recordedChange(db, { evaluationId, actor, kind: 'trial', summary, reach: { tables: ['trial'] } }, (trx) =>
    upsertTrial(trx, evaluationId, { criteria: criteria.length === 0 ? null : JSON.stringify(criteria.map((c) => c.id)) }),
  )
}

export async function addTrialTask(db: Kysely<Database>, actor: Actor, evaluationId: number, name: string): Promise<void> {
  await recordedChange(db, { evaluationId, actor, kind: 'trial', summary: `Trial task “${name}” added`, reach: TRIAL }, async (trx) => {
    const tasks = await trx.selectFrom('trial_task').select(['key', 'position']).where('evaluation_id', '=', evaluationId).execute()
    await trx
      .insertInto('trial_task')
      .values({
        evaluation_id: evaluationId,
        key: makeKey(
          name,
          tasks.map((t) => t.key),
        ),
        name,
        position: tasks.reduce((max, t) => Math.max(max, t.position), -1) + 1,
      })
      .execute()
  })
}

function newCode(): string {
  return Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('')
}

/** The code as people write it, in two groups of five: "K7F4Q-2MXHP". */
export function displayCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`
}

/** A typed code or the link's: letters and digits only, upper case. */
export function normaliseCode(typed: string): string {
  return typed.toUpperCase().replace(/[^A-Z0-9]/g, '')
}

export function codeHash(code: string): string {
  return createHash('sha256').update(normaliseCode(code)).digest('hex')
}

/** Starts a session of `option` for a participant in `role`; returns it with its one-time code. */
export async function startSession(
  db: Kysely<Database>,
  actor: Actor,
  evaluationId: number,
  option: Option,
  role: string,
): Promise<{ refusal: Refusal<'role'> } | { sessionId: number; code: string }> {
  const trial = await db.selectFrom('trial').selectAll().where('evaluation_id', '=', evaluationId).executeTakeFirst()
  const roles = trialRoles(trial)
  if (!roles.includes(role)) return { refusal: { field: 'role', message: 'Choose the participant’s role from the list' } }
  const code = newCode()
  const summary = `Trial session started: a ${role} tries “${option.name}”`
  const sessionId = await recordedChange(db, { evaluationId, actor, kind: 'trial', summary, optionId: option.id, reach: TRIAL }, async (trx) => {
    const last = await trx
      .selectFrom('trial_session')
      .select('position')
      .where('evaluation_id', '=', evaluationId)
      .orderBy('position', 'desc')
      .executeTakeFirst()
    const row = await trx
      .insertInto('trial_session')
      .values({
        evaluation_id: evaluationId,
        option_id: option.id,
        role,
        sus: null,
        outcomes: '[]',
        comment: null,
        statements: null,
        position: (last?.position ?? -1) + 1,
        code_hash: codeHash(code),
        code_expires_at: new Date(Date.now() + codeHoursOf(trial) * 3_600_000).toISOString(),
        code_used_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return row.id
  })
  return { sessionId, code }
}

/** A new one-time code for a session whose questionnaire is not yet answered (the old one stops working). */
export async function renewCode(db: Kysely<Database>, actor: Actor, session: TrialSession): Promise<string | null> {
  if (session.sus !== null) return null
  const code = newCode()
  const hours = codeHoursOf(await db.selectFrom('trial').selectAll().where('evaluation_id', '=', session.evaluation_id).executeTakeFirst())
  await recordedChange(
    db,
    { evaluationId: session.evaluation_id, actor, kind: 'trial', summary: 'Trial session given a new one-time code', reach: TRIAL },
    (trx) =>
      trx
        .updateTable('trial_session')
        .set({ code_hash: codeHash(code), code_expires_at: new Date(Date.now() + hours * 3_600_000).toISOString(), code_used_at: null })
        .where('id', '=', session.id)
        .execute(),
  )
  return code
}

export type CodeState =
  | { state: 'unknown' }
  | { state: 'used' }
  | { state: 'expired' }
  | { state: 'open'; session: TrialSession; optionName: string; statements: readonly string[] }

/** What a one-time code opens: its session's questionnaire, or why not. Reveals nothing of other sessions. */
export async function sessionForCode(db: Db, code: string): Promise<CodeState> {
  const normal = normaliseCode(code)
  if (normal.length !== CODE_LENGTH) return { state: 'unknown' }
  const session = await db.selectFrom('trial_session').selectAll().where('code_hash', '=', codeHash(normal)).executeTakeFirst()
  if (session === undefined) return { state: 'unknown' }
  if (session.code_used_at !== null || session.sus !== null) return { state: 'used' }
  if (session.code_expires_at === null || session.code_expires_at <= now()) return { state: 'expired' }
  const [option, trial] = await Promise.all([
    db.selectFrom('option').select('name').where('id', '=', session.option_id).executeTakeFirstOrThrow(),
    db.selectFrom('trial').selectAll().where('evaluation_id', '=', session.evaluation_id).executeTakeFirst(),
  ])
  return { state: 'open', session, optionName: option.name, statements: currentStatements(trial) }
}

/** Who the log names for a participant's answers: never the person. */
export const PARTICIPANT: Actor = { accountId: null, name: 'A trial participant (one-time code)' }

/**
 * Records the participant's ten answers and the wording they answered, and spends the code: once,
 * even if two answers are sent at once (the second finds the code used and changes nothing).
 */
export async function answerQuestionnaire(
  db: Kysely<Database>,
  session: TrialSession,
  answers: readonly number[],
  statements: readonly string[],
): Promise<boolean> {
  const own = statements.length === SUS_STATEMENTS.length && statements.every((s, i) => s === SUS_STATEMENTS[i])
  return recordedChange(
    db,
    {
      evaluationId: session.evaluation_id,
      actor: PARTICIPANT,
      kind: 'trial',
      summary: `Trial questionnaire answered (${session.role})`,
      optionId: session.option_id,
      reach: TRIAL,
    },
    async (trx) => {
      const stamp = now()
      const result = await trx
        .updateTable('trial_session')
        .set({ sus: JSON.stringify(answers), statements: own ? null : JSON.stringify(statements), code_used_at: stamp })
        .where('id', '=', session.id)
        .where('code_used_at', 'is', null)
        .where('sus', 'is', null)
        .where('code_expires_at', '>', stamp)
        .executeTakeFirst()
      return Number(result.numUpdatedRows) === 1
    },
  )
}

/** An option's trial figures as an evaluator sees them beside the criteria the lead linked them to. */
export interface TrialBeside {
  result: TrialResult
  tasks: { key: string; name: string }[]
  /** The linked criterion each criterion on the page sits under (itself or its nearest linked ancestor). */
  linkedAt: Map<number, Criterion>
}

/**
 * The trial figures of `option` for a scoring page showing `leaves`, when the lead linked the trial
 * to any of them or their groups and the option was tried; undefined otherwise.
 */
export async function trialBeside(db: Db, option: Option, criteria: readonly Criterion[], leaves: readonly Criterion[]): Promise<TrialBeside | undefined> {
  const trial = await db.selectFrom('trial').selectAll().where('evaluation_id', '=', option.evaluation_id).executeTakeFirst()
  const linked = new Set(linkedCriteria(trial))
  if (linked.size === 0) return undefined
  const byId = new Map(criteria.map((c) => [c.id, c]))
  const linkedAt = new Map<number, Criterion>()
  for (const leaf of leaves) {
    let node: Criterion | undefined = leaf
    while (node !== undefined && !linked.has(node.id)) node = node.parent_id === null ? undefined : byId.get(node.parent_id)
    if (node !== undefined) linkedAt.set(leaf.id, node)
  }
  if (linkedAt.size === 0) return undefined
  const parts = await readTrialParts(db, option.evaluation_id)
  const sessions = parts.sessions.filter((s) => s.option_id === option.id)
  if (sessions.length === 0) return undefined
  const file = trialsAsFile({ ...parts, sessions }, new Map([[option.id, option.key]]), new Map())!
  return { result: trialResult(option.key, option.name, file.tasks, file.sessions), tasks: file.tasks.map((t) => ({ key: t.id, name: t.name })), linkedAt }
}

export async function renameTrialTask(db: Kysely<Database>, actor: Actor, task: TrialTask, name: string): Promise<void> {
  await recordedChange(
    db,
    { evaluationId: task.evaluation_id, actor, kind: 'trial', summary: `Trial task “${task.name}” renamed “${name}”`, reach: { tables: ['trial_task'] } },
    (trx) => trx.updateTable('trial_task').set({ name }).where('id', '=', task.id).execute(),
  )
}

/** Sessions that recorded an outcome for the task. */
export function sessionsWithTask(sessions: readonly TrialSession[], taskId: number): TrialSession[] {
  return sessions.filter((s) => (JSON.parse(s.outcomes) as StoredOutcome[]).some((o) => o.task === taskId))
}

/**
 * Deletes a task, and the outcomes sessions recorded for it: when there are any, only with a
 * reason, which the log keeps.
 */
export async function deleteTrialTask(db: Kysely<Database>, actor: Actor, task: TrialTask, reason: string | null): Promise<Refusal<'reason'> | null> {
  const sessions = await db.selectFrom('trial_session').selectAll().where('evaluation_id', '=', task.evaluation_id).execute()
  const recorded = sessionsWithTask(sessions, task.id)
  if (recorded.length > 0 && reason === null) {
    return {
      field: 'reason',
      message: `Say why: ${recorded.length} ${recorded.length === 1 ? 'session has' : 'sessions have'} an outcome for this task, which is deleted with it`,
    }
  }
  const summary = `Trial task “${task.name}” deleted${recorded.length === 0 ? '' : `, with its outcomes in ${recorded.length} ${recorded.length === 1 ? 'session' : 'sessions'}`}`
  await recordedChange(
    db,
    { evaluationId: task.evaluation_id, actor, kind: 'trial', summary, reason, reach: { tables: ['trial_task', 'trial_session'] } },
    async (trx) => {
      for (const session of recorded) {
        const outcomes = (JSON.parse(session.outcomes) as StoredOutcome[]).filter((o) => o.task !== task.id)
        await trx
          .updateTable('trial_session')
          .set({ outcomes: JSON.stringify(outcomes) })
          .where('id', '=', session.id)
          .execute()
      }
      await trx.deleteFrom('trial_task').where('id', '=', task.id).execute()
    },
  )
  return null
}

/** A session's answers are in once its code was used or its questionnaire filled in (an imported session has answers and no code). */
export function sessionAnswered(session: TrialSession): boolean {
  return session.sus !== null || session.code_used_at !== null
}

/**
 * The facilitator's record of a session, one change: each task's outcome, the comment, and a
 * correction of its option or role. The option cannot change once the questionnaire is answered:
 * the participant answered about the product they were shown.
 */
export async function saveSession(
  db: Kysely<Database>,
  actor: Actor,
  session: TrialSession,
  record: { option: Option; role: string; outcomes: readonly StoredOutcome[]; comment: string | null },
): Promise<Refusal<'option' | 'role'> | null> {
  const { option, role } = record
  const corrected = option.id !== session.option_id || role !== session.role
  if (role !== session.role) {
    const trial = await db.selectFrom('trial').selectAll().where('evaluation_id', '=', session.evaluation_id).executeTakeFirst()
    if (!trialRoles(trial).includes(role)) return { field: 'role', message: 'Choose the participant’s role from the list' }
  }
  if (option.id !== session.option_id && sessionAnswered(session)) {
    return {
      field: 'option',
      message: 'The participant has answered the questionnaire about the option they tried: delete the session, with a reason, instead',
    }
  }
  const summary = corrected ? `Trial session corrected and saved: a ${role} tries “${option.name}”` : `Trial session outcomes saved (${role})`
  await recordedChange(
    db,
    { evaluationId: session.evaluation_id, actor, kind: 'trial', summary, optionId: option.id, reach: { tables: ['trial_session'] } },
    (trx) =>
      trx
        .updateTable('trial_session')
        .set({ option_id: option.id, role, outcomes: JSON.stringify(record.outcomes), comment: record.comment })
        .where('id', '=', session.id)
        .execute(),
  )
  return null
}

/** Deletes a session: once its participant has answered, only with a reason, which the log keeps with the answers it removed. */
export async function deleteSession(db: Kysely<Database>, actor: Actor, session: TrialSession, reason: string | null): Promise<Refusal<'reason'> | null> {
  if (sessionAnswered(session) && reason === null) {
    return { field: 'reason', message: 'Say why: the participant’s answers are deleted with the session' }
  }
  const summary = `Trial session deleted (${session.role})${session.sus === null ? '' : ', with its questionnaire answers'}`
  await recordedChange(
    db,
    { evaluationId: session.evaluation_id, actor, kind: 'trial', summary, reason, optionId: session.option_id, reach: { tables: ['trial_session'] } },
    (trx) => trx.deleteFrom('trial_session').where('id', '=', session.id).execute(),
  )
  return null
}
