import type { Kysely } from 'kysely'
import { isJudgementValue, matrixFromJudgements, MAX_PAIRWISE_ITEMS, weightingResults, type RoundResult, type Weighting } from '../appraisal/index.js'
import { findAccountByEmail, rolesOn } from './accounts.js'
import { recordedChange, type Actor, type Change, type Refusal } from './audit.js'
import { PlanApprovedError, requirePlanState } from './plan.js'
import type { Db } from './connection.js'
import { makeKey, now } from './connection.js'
import { listCriteria, updateCriterionWeight } from './criteria.js'
import type { Criterion, Database, WeightingParticipant, WeightingRound } from './schema.js'

/**
 * Weighting rounds in the app (issue 25): the lead sets up a round for a group of sibling criteria,
 * invites stakeholders, each compares every pair, and the lead applies the group's weights. The
 * figures come from the engine (src/appraisal/weighting.ts) over the rounds in the evaluation file's
 * shape, so the app, the file and `appraise results` agree.
 */

/** A judgement as stored: criterion ids, `a` mattering `value` times as much as `b`. */
export interface StoredJudgement {
  a: number
  b: number
  value: number
}

export interface RoundWithParticipants {
  round: WeightingRound
  items: number[]
  participants: (WeightingParticipant & { stored: StoredJudgement[] })[]
}

/** Rounds and their participants, in order. */
export async function listRounds(db: Db, evaluationId: number): Promise<RoundWithParticipants[]> {
  const [rounds, participants] = await Promise.all([
    db.selectFrom('weighting_round').selectAll().where('evaluation_id', '=', evaluationId).orderBy('position').orderBy('id').execute(),
    db.selectFrom('weighting_participant').selectAll().where('evaluation_id', '=', evaluationId).orderBy('position').orderBy('id').execute(),
  ])
  return rounds.map((round) => ({
    round,
    items: JSON.parse(round.items) as number[],
    participants: participants.filter((p) => p.round_id === round.id).map((p) => ({ ...p, stored: JSON.parse(p.judgements) as StoredJudgement[] })),
  }))
}

/** The rounds in the evaluation file's shape (criteria by key); undefined when there are none. */
export function roundsAsFile(rounds: readonly RoundWithParticipants[], criterionKey: ReadonlyMap<number, string>): Weighting | undefined {
  if (rounds.length === 0) return undefined
  const key = (id: number) => criterionKey.get(id) ?? String(id)
  return {
    rounds: rounds.map(({ round, items, participants }) => ({
      id: round.key,
      parent: round.parent_id === null ? null : key(round.parent_id),
      items: items.map(key),
      participants: participants.map((p) => ({ name: p.name, judgements: p.stored.map((j) => ({ a: key(j.a), b: key(j.b), value: j.value })) })),
      ...(round.applied_at === null ? {} : { applied: round.applied_at }),
    })),
  }
}

/** Every round's figures, from the engine, keyed by the round's database id. */
export function roundFigures(rounds: readonly RoundWithParticipants[], criteria: readonly Criterion[]): Map<number, RoundResult> {
  const file = roundsAsFile(rounds, new Map(criteria.map((c) => [c.id, c.key])))
  const figures = new Map<number, RoundResult>()
  if (file === undefined) return figures
  weightingResults(file).forEach((result, i) => {
    figures.set(rounds[i]!.round.id, result)
  })
  return figures
}

/** Stores a file's rounds for an evaluation being imported (the schema has checked them). */
export async function insertRounds(db: Change, evaluationId: number, weighting: Weighting, criterionIds: ReadonlyMap<string, number>): Promise<void> {
  const id = (key: string) => criterionIds.get(key)!
  for (const [position, round] of weighting.rounds.entries()) {
    const row = await db
      .insertInto('weighting_round')
      .values({
        evaluation_id: evaluationId,
        key: round.id,
        parent_id: round.parent === null ? null : id(round.parent),
        items: JSON.stringify(round.items.map(id)),
        position,
        applied_at: round.applied ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    for (const [index, participant] of round.participants.entries()) {
      await db
        .insertInto('weighting_participant')
        .values({
          evaluation_id: evaluationId,
          round_id: row.id,
          account_id: null,
          name: participant.name,
          position: index,
          judgements: JSON.stringify(participant.judgements.map((j) => ({ a: id(j.a), b: id(j.b), value: j.value }))),
        })
        .execute()
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Changes, each one recorded change. Rounds belong to the plan: they are set up, answered and
// applied while it is a draft, and refused once it is approved (src/db/plan.ts, requirePlanState).

const ROUNDS = { tables: ['weighting_round', 'weighting_participant'] } as const

/** Runs a change; one the plan's state refuses (it changed nothing) comes back as the message for `field`. */
async function refusedWithin<Field extends string>(field: Field, change: () => Promise<unknown>): Promise<Refusal<Field> | null> {
  try {
    await change()
    return null
  } catch (error) {
    if (error instanceof PlanApprovedError) return { field, message: error.message }
    throw error
  }
}

/**
 * Rounds are open while the plan is a draft: throws PlanApprovedError otherwise. Run inside the
 * change (recordedChange checks a 'weighting' change itself; applying a round is a 'criteria' one).
 */
async function requireRoundsOpen(db: Db, evaluationId: number): Promise<void> {
  requirePlanState('weighting', await db.selectFrom('evaluation').select('plan_version').where('id', '=', evaluationId).executeTakeFirstOrThrow())
}

/** Whether rounds are still open (for pages: the changes check again as they run). */
export async function roundsOpen(db: Db, evaluationId: number): Promise<boolean> {
  try {
    await requireRoundsOpen(db, evaluationId)
    return true
  } catch (error) {
    if (error instanceof PlanApprovedError) return false
    throw error
  }
}

/** The criteria a round under `parentId` compares: the group's scored criteria and groups, not gates. */
export function comparableCriteria(criteria: readonly Criterion[], parentId: number | null): Criterion[] {
  return criteria.filter((c) => c.parent_id === parentId && c.kind !== 'gate')
}

/** Sets up a round for the criteria of a group (null: the top level). */
export async function createRound(db: Kysely<Database>, actor: Actor, evaluationId: number, parentId: number | null): Promise<Refusal<'parent'> | null> {
  const criteria = await listCriteria(db, evaluationId)
  const parent = parentId === null ? null : criteria.find((c) => c.id === parentId)
  if (parent === undefined || (parent !== null && parent.kind !== 'group')) return { field: 'parent', message: 'Choose a group from the list' }
  const items = comparableCriteria(criteria, parentId)
  const where = parent === null ? 'at the top level' : `in ‘${parent.name}’`
  if (items.length < 2)
    return { field: 'parent', message: `A round compares criteria in pairs, and there ${items.length === 1 ? 'is one' : 'are none'} ${where}` }
  if (items.length > MAX_PAIRWISE_ITEMS) {
    return {
      field: 'parent',
      message: `There are ${items.length} criteria ${where}; a round compares at most ${MAX_PAIRWISE_ITEMS}, since pairwise judgement is reliable up to about nine. Split them into sub-groups and hold a round for each.`,
    }
  }
  const summary = `Weighting round set up for the criteria ${where}`
  return refusedWithin('parent', () =>
    recordedChange(db, { evaluationId, actor, kind: 'weighting', summary, reach: ROUNDS }, async (trx) => {
      await requireRoundsOpen(trx, evaluationId)
      const existing = await trx.selectFrom('weighting_round').select(['key', 'position']).where('evaluation_id', '=', evaluationId).execute()
      await trx
        .insertInto('weighting_round')
        .values({
          evaluation_id: evaluationId,
          key: makeKey(
            parent === null ? 'top' : parent.key,
            existing.map((r) => r.key),
          ),
          parent_id: parentId,
          items: JSON.stringify(items.map((c) => c.id)),
          position: existing.reduce((max, r) => Math.max(max, r.position), -1) + 1,
          applied_at: null,
        })
        .execute()
    }),
  )
}

export async function findRound(db: Db, evaluationId: number, roundId: number): Promise<RoundWithParticipants | undefined> {
  return (await listRounds(db, evaluationId)).find((r) => r.round.id === roundId)
}

/** The name a round goes by: the group it compares. */
export function roundName(round: WeightingRound, criteria: readonly Criterion[]): string {
  if (round.parent_id === null) return 'Top level'
  return criteria.find((c) => c.id === round.parent_id)?.name ?? round.key
}

export async function removeRound(db: Kysely<Database>, actor: Actor, round: WeightingRound, name: string): Promise<Refusal<'form'> | null> {
  const summary = `Weighting round “${name}” removed, with its judgements`
  return refusedWithin('form', () =>
    recordedChange(db, { evaluationId: round.evaluation_id, actor, kind: 'weighting', summary, reach: ROUNDS }, async (trx) => {
      await requireRoundsOpen(trx, round.evaluation_id)
      await trx.deleteFrom('weighting_round').where('id', '=', round.id).execute()
    }),
  )
}

/** Invites the account with this email address, who must hold the stakeholder role, to a round. */
export async function inviteToRound(
  db: Kysely<Database>,
  actor: Actor,
  round: RoundWithParticipants,
  name: string,
  email: string,
): Promise<Refusal<'email'> | null> {
  const evaluationId = round.round.evaluation_id
  const account = await findAccountByEmail(db, email)
  if (account === undefined || account.disabled === 1)
    return { field: 'email', message: 'There is no account with this email address: ask a site administrator to create one' }
  if (!(await rolesOn(db, account.id, evaluationId)).includes('stakeholder')) {
    return { field: 'email', message: `${account.name} is not a stakeholder on this evaluation: give them the stakeholder role under Panel and roles first` }
  }
  if (round.participants.some((p) => p.account_id === account.id)) return { field: 'email', message: `${account.name} already takes part in this round` }
  if (round.participants.some((p) => p.name === account.name)) {
    return { field: 'email', message: `Someone named ${account.name} already takes part in this round; names tell participants apart in the record` }
  }
  const summary = `${account.name} invited to weighting round “${name}”`
  return refusedWithin('email', () =>
    recordedChange(db, { evaluationId, actor, kind: 'weighting', summary, reach: ROUNDS }, async (trx) => {
      await requireRoundsOpen(trx, evaluationId)
      await trx
        .insertInto('weighting_participant')
        .values({
          evaluation_id: evaluationId,
          round_id: round.round.id,
          account_id: account.id,
          name: account.name,
          position: round.participants.reduce((max, p) => Math.max(max, p.position), -1) + 1,
          judgements: '[]',
        })
        .execute()
    }),
  )
}

/**
 * Saves a participant's judgements (those given; a pair left unanswered stays so): each within
 * 1/9..9, about two different criteria of the round, each pair once in either direction.
 */
export async function saveJudgements(
  db: Kysely<Database>,
  actor: Actor,
  round: RoundWithParticipants,
  participant: WeightingParticipant,
  judgements: readonly StoredJudgement[],
  criteria: readonly Criterion[],
): Promise<Refusal | null> {
  const items = round.items.map(String)
  for (const j of judgements) {
    if (!isJudgementValue(j.value)) return { field: pairField(j.a, j.b), message: 'Choose a value on the scale, from 9 one way to 9 the other' }
  }
  const { problems } = matrixFromJudgements(
    items,
    judgements.map((j) => ({ a: String(j.a), b: String(j.b), value: j.value })),
  )
  const problem = problems[0]
  if (problem !== undefined) {
    const j = judgements[Number(problem.path[0])]
    if (j === undefined) return { field: 'form', message: 'Compare two different criteria of this round, each pair once' }
    // The pair's field as the page shows it: its criteria in the round's order.
    const [first, second] = round.items.indexOf(j.a) < round.items.indexOf(j.b) ? [j.a, j.b] : [j.b, j.a]
    const field = round.items.includes(j.a) && round.items.includes(j.b) ? pairField(first, second) : 'form'
    const named = (id: number) => criteria.find((c) => c.id === id)?.name ?? String(id)
    // A problem at a judgement as a whole ([k]) is a pair answered before; at one of its fields, a criterion outside the round or compared with itself.
    const message =
      problem.path.length === 1
        ? `${named(first)} and ${named(second)} are compared twice; compare each pair once, one way or the other`
        : 'Compare two different criteria of this round, each pair once'
    return { field, message }
  }
  const name = roundName(round.round, criteria)
  const summary = `${participant.name}’s judgements in weighting round “${name}” saved (${judgements.length} of ${(items.length * (items.length - 1)) / 2} pairs)`
  return refusedWithin('form', () =>
    recordedChange(db, { evaluationId: round.round.evaluation_id, actor, kind: 'weighting', summary, reach: ROUNDS }, async (trx) => {
      await requireRoundsOpen(trx, round.round.evaluation_id)
      await trx
        .updateTable('weighting_participant')
        .set({ judgements: JSON.stringify(judgements) })
        .where('id', '=', participant.id)
        .execute()
    }),
  )
}

/** The form field of the pair of criteria a and b, a before b in the round's order. */
export function pairField(a: number, b: number): string {
  return `pair-${a}-${b}`
}

/**
 * Applies the group's weights to the round's criteria, in one change with the round marked applied:
 * the criteria compared share the total weight they had, in the group's proportions (100 if they
 * had none), so criteria of the group left out of the round keep their share.
 */
export async function applyRound(
  db: Kysely<Database>,
  actor: Actor,
  round: RoundWithParticipants,
  criteria: readonly Criterion[],
  name: string,
): Promise<Refusal<'form'> | null> {
  const figures = roundFigures([round], criteria).get(round.round.id)
  if (figures?.group == null) return { field: 'form', message: 'Nobody has compared every pair in this round yet, so it has no weights to apply' }
  const group = figures.group
  const byId = new Map(criteria.map((c) => [c.id, c]))
  const total = round.items.reduce((sum, id) => sum + (byId.get(id)?.weight ?? 0), 0)
  const scale = total > 0 ? total : 100
  const who = figures.participants.filter((p) => p.complete).map((p) => p.name)
  const summary = `Weights from weighting round “${name}” applied (${who.length} taking part: ${who.join(', ')}; group CR ${group.cr.toFixed(3)})`
  return refusedWithin('form', () =>
    recordedChange(
      db,
      {
        evaluationId: round.round.evaluation_id,
        actor,
        kind: 'criteria',
        summary,
        reach: { tables: ['criterion', 'weighting_round'] },
        detail: { round: round.round.key },
      },
      async (trx) => {
        await requireRoundsOpen(trx, round.round.evaluation_id)
        for (const id of round.items) {
          const key = byId.get(id)?.key
          if (key === undefined) continue
          await updateCriterionWeight(trx, round.round.evaluation_id, id, group.weights[key]! * scale)
        }
        await trx.updateTable('weighting_round').set({ applied_at: now() }).where('id', '=', round.round.id).execute()
      },
    ),
  )
}

/** The rounds a criterion is compared in, or whose group it is: such a criterion cannot be moved, made a gate or removed. */
export async function roundsNaming(db: Db, evaluationId: number, criterionIds: ReadonlySet<number>): Promise<WeightingRound[]> {
  const rounds = await listRounds(db, evaluationId)
  return rounds
    .filter(({ round, items }) => items.some((id) => criterionIds.has(id)) || (round.parent_id !== null && criterionIds.has(round.parent_id)))
    .map((r) => r.round)
}

/**
 * Links a participant imported from a file (a name alone) to the account of the stakeholder it
 * names, who then sees the round as theirs. Their judgements stay as imported; the round need not
 * be open, as nothing of the weights changes.
 */
export async function linkParticipant(
  db: Kysely<Database>,
  actor: Actor,
  round: RoundWithParticipants,
  participantId: number,
  email: string,
): Promise<Refusal<'participant' | 'linkEmail'> | null> {
  const evaluationId = round.round.evaluation_id
  const participant = round.participants.find((p) => p.id === participantId)
  if (participant === undefined) return { field: 'participant', message: 'Choose a participant of this round' }
  if (participant.account_id !== null) return { field: 'participant', message: `${participant.name} is already linked to an account` }
  const account = await findAccountByEmail(db, email)
  if (account === undefined || account.disabled === 1)
    return { field: 'linkEmail', message: 'There is no account with this email address: ask a site administrator to create one' }
  if (!(await rolesOn(db, account.id, evaluationId)).includes('stakeholder')) {
    return {
      field: 'linkEmail',
      message: `${account.name} is not a stakeholder on this evaluation: give them the stakeholder role under Panel and roles first`,
    }
  }
  if (round.participants.some((p) => p.account_id === account.id)) return { field: 'linkEmail', message: `${account.name} already takes part in this round` }
  const summary = `${participant.name}, imported with weighting round “${round.round.key}”, linked to the account of ${account.name}`
  // Filed with the panel's changes: an account linked, as a panel member's is; nothing of the weights
  // changes, so it is not a weighting change, which the plan's approval closes (src/db/plan.ts).
  await recordedChange(db, { evaluationId, actor, kind: 'panel', summary, reach: { tables: ['weighting_participant'] } }, (trx) =>
    trx.updateTable('weighting_participant').set({ account_id: account.id }).where('id', '=', participant.id).where('account_id', 'is', null).execute(),
  )
  return null
}
