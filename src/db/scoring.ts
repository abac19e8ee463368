import { memberOfAccount } from './panel.js'
import type { InsertResult, Kysely } from 'kysely'
import type { ScoreSpread } from '../appraisal/index.js'
import { formatNumber, possessive } from '../format.js'
import { recordedChange, type Actor, type Change, type Refusal } from './audit.js'
import type { Db } from './connection.js'
import { makeKey, now } from './connection.js'
import type { Account, Criterion, Database, IndividualScore, InterestDecision, Option, PanelMember } from './schema.js'
import { panelState, scoreSpread, type PanelState } from '../appraisal/moderation.js'
import { buildCriteriaTree, listCriteria } from './criteria.js'
import { approversUndeclared, memberStanding, suppliersNow } from './declarations.js'

/**
 * The panel member an evaluator account scores as. An account given the evaluator role directly
 * (not linked to a member from a file) gets its own panel member the first time it is needed.
 */
export async function panelMemberFor(
  db: Kysely<Database>,
  evaluationId: number,
  account: Pick<Account, 'id' | 'name' | 'email'>,
  actor: Actor,
): Promise<PanelMember> {
  const existing = await memberOfAccount(db, evaluationId, account.id)
  if (existing !== undefined) return existing
  const request = { evaluationId, actor, kind: 'panel', summary: `${account.name} joined the panel`, reach: { tables: ['panel_member'] } } as const
  return recordedChange(db, request, (trx) => addPanelMemberFor(trx, evaluationId, account))
}

async function addPanelMemberFor(db: Change, evaluationId: number, account: Pick<Account, 'id' | 'name' | 'email'>): Promise<PanelMember> {
  const members = await db.selectFrom('panel_member').select(['key', 'position']).where('evaluation_id', '=', evaluationId).execute()
  const row = await db
    .insertInto('panel_member')
    .values({
      evaluation_id: evaluationId,
      key: makeKey(
        account.name,
        members.map((m) => m.key),
      ),
      name: account.name,
      role: null,
      email: account.email,
      position: members.reduce((max, m) => Math.max(max, m.position), -1) + 1,
      account_id: account.id,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  return row
}

export async function findPanelMember(db: Db, evaluationId: number, memberId: number): Promise<PanelMember | undefined> {
  return db.selectFrom('panel_member').selectAll().where('evaluation_id', '=', evaluationId).where('id', '=', memberId).executeTakeFirst()
}

export async function recordDeclaration(
  db: Change,
  memberId: number,
  declaration: { interest: boolean; details: string | null; supplier?: string | null; suppliersKnown?: readonly string[] },
): Promise<void> {
  const known = declaration.suppliersKnown === undefined ? {} : { suppliers_known: JSON.stringify(declaration.suppliersKnown) }
  await db
    .updateTable('panel_member')
    .set({
      declared_interest: declaration.interest ? 1 : 0,
      declaration_details: declaration.details,
      ...(declaration.supplier === undefined ? {} : { interest_supplier: declaration.supplier }),
      ...known,
      declared_at: now(),
      decision: null,
      decision_note: null,
      decided_at: null,
    })
    .where('id', '=', memberId)
    .execute()
  await db.deleteFrom('panel_member_option').where('panel_member_id', '=', memberId).execute()
}

/** The lead's decision on a declared interest. Removal takes the member's scores out of the appraisal. */
export async function recordDecision(
  db: Change,
  member: PanelMember,
  decision: { decision: InterestDecision; note: string | null; allowedOptionIds: number[] },
): Promise<void> {
  await db
    .updateTable('panel_member')
    .set({ decision: decision.decision, decision_note: decision.note, decided_at: now() })
    .where('id', '=', member.id)
    .execute()
  await db.deleteFrom('panel_member_option').where('panel_member_id', '=', member.id).execute()
  if (decision.decision === 'restrict' && decision.allowedOptionIds.length > 0) {
    await db
      .insertInto('panel_member_option')
      .values(decision.allowedOptionIds.map((option_id) => ({ panel_member_id: member.id, option_id })))
      .execute()
  }
  if (decision.decision === 'remove') {
    await db.deleteFrom('individual_score').where('panel_member_id', '=', member.id).execute()
    await db.deleteFrom('score_submission').where('panel_member_id', '=', member.id).execute()
    if (member.account_id !== null) {
      await db
        .deleteFrom('panel_role')
        .where('evaluation_id', '=', member.evaluation_id)
        .where('account_id', '=', member.account_id)
        .where('role', '=', 'evaluator')
        .execute()
    }
  }
}

export async function allowedOptionIds(db: Db, memberId: number): Promise<number[]> {
  const rows = await db.selectFrom('panel_member_option').select('option_id').where('panel_member_id', '=', memberId).execute()
  return rows.map((r) => r.option_id)
}

/** Whether the member may see and score options yet, and which: null means none at all. */
export async function optionsOpenTo(db: Db, member: PanelMember, allOptionIds: number[]): Promise<number[] | null> {
  if (memberStanding(member, await suppliersNow(db, member.evaluation_id)).state !== 'current') return null
  if (member.declared_interest === 1) {
    if (member.decision === null || member.decision === 'remove') return null
    if (member.decision === 'restrict') {
      const allowed = new Set(await allowedOptionIds(db, member.id))
      return allOptionIds.filter((id) => allowed.has(id))
    }
  }
  return allOptionIds
}

export async function assignedCriterionIds(db: Db, memberId: number): Promise<number[]> {
  const rows = await db.selectFrom('panel_assignment').select('criterion_id').where('panel_member_id', '=', memberId).orderBy('id').execute()
  return rows.map((r) => r.criterion_id)
}

export async function replaceAssignments(db: Change, memberId: number, criterionIds: number[]): Promise<void> {
  await db.deleteFrom('panel_assignment').where('panel_member_id', '=', memberId).execute()
  if (criterionIds.length > 0) {
    await db
      .insertInto('panel_assignment')
      .values(criterionIds.map((criterion_id) => ({ panel_member_id: memberId, criterion_id })))
      .execute()
  }
}

/** The criteria and gates a member scores: those under their assigned nodes, or all when none is assigned. */
export function leavesAssigned(criteria: Criterion[], assigned: number[]): Criterion[] {
  const leaves = criteria.filter((c) => c.kind !== 'group')
  if (assigned.length === 0) return leaves
  const parentOf = new Map(criteria.map((c) => [c.id, c.parent_id]))
  const chosen = new Set(assigned)
  const under = (id: number | null): boolean => id !== null && (chosen.has(id) || under(parentOf.get(id) ?? null))
  return leaves.filter((c) => under(c.id))
}

export async function listSubmissions(db: Db, evaluationId: number) {
  return db
    .selectFrom('score_submission')
    .innerJoin('panel_member', 'panel_member.id', 'score_submission.panel_member_id')
    .select(['score_submission.panel_member_id', 'score_submission.option_id', 'score_submission.submitted_at'])
    .where('panel_member.evaluation_id', '=', evaluationId)
    .execute()
}

export async function isSubmitted(db: Db, memberId: number, optionId: number): Promise<boolean> {
  const row = await db.selectFrom('score_submission').select('id').where('panel_member_id', '=', memberId).where('option_id', '=', optionId).executeTakeFirst()
  return row !== undefined
}

export async function submitOption(db: Change, memberId: number, optionId: number): Promise<void> {
  await db.insertInto('score_submission').values({ panel_member_id: memberId, option_id: optionId, submitted_at: now() }).execute()
}

/** An individual score that counts: complete, never a draft, so it has its score. */
export type CountedScore = Omit<IndividualScore, 'score'> & { score: number }

/** The individual scores that count (drafts are kept but counted nowhere), in the order they were given. */
export async function listIndividualScores(db: Db, evaluationId: number, filter: { optionId?: number; memberId?: number } = {}): Promise<CountedScore[]> {
  const rows = await listAnswers(db, evaluationId, filter)
  return rows.filter((row): row is CountedScore => row.draft === 0 && row.score !== null)
}

/** Every answer, drafts included: what an evaluator sees of their own work. */
export async function listAnswers(db: Db, evaluationId: number, filter: { optionId?: number; memberId?: number } = {}): Promise<IndividualScore[]> {
  if (filter.memberId !== undefined) {
    // One member's scores are reached through the member, who belongs to the evaluation: asked by
    // evaluation and member together, SQLite (without statistics) read every score of the evaluation.
    let mine = db
      .selectFrom('individual_score')
      .innerJoin('panel_member', 'panel_member.id', 'individual_score.panel_member_id')
      .selectAll('individual_score')
      .where('panel_member.id', '=', filter.memberId)
      .where('panel_member.evaluation_id', '=', evaluationId)
    if (filter.optionId !== undefined) mine = mine.where('individual_score.option_id', '=', filter.optionId)
    return mine.orderBy('individual_score.id').execute()
  }
  let query = db.selectFrom('individual_score').selectAll().where('evaluation_id', '=', evaluationId)
  if (filter.optionId !== undefined) query = query.where('option_id', '=', filter.optionId)
  return query.orderBy('id').execute()
}

/**
 * What a save checks before it writes, read in one query: the account's panel member on the
 * evaluation, the option (if it is the evaluation's), whether the member has submitted it (their
 * scores for it are then locked), whether they are assigned part of the tree, and their answer on
 * the criterion so far. Undefined when the account has no panel member yet.
 */
export async function findSaveSeat(db: Db, evaluationId: number, accountId: number, key: { optionId: number; criterionId: number }) {
  const row = await db
    .selectFrom('panel_member')
    .leftJoin('option', (join) => join.onRef('option.evaluation_id', '=', 'panel_member.evaluation_id').on('option.id', '=', key.optionId))
    .leftJoin('individual_score', (join) =>
      join
        .onRef('individual_score.panel_member_id', '=', 'panel_member.id')
        .onRef('individual_score.option_id', '=', 'option.id')
        .on('individual_score.criterion_id', '=', key.criterionId),
    )
    .selectAll('panel_member')
    .select([
      'option.id as seat_option_id',
      'option.name as seat_option_name',
      'individual_score.id as answer_id',
      'individual_score.score as answer_score',
      'individual_score.rationale as answer_rationale',
      'individual_score.evidence as answer_evidence',
      'individual_score.evidence_document_id as answer_evidence_document_id',
      'individual_score.evidence_page as answer_evidence_page',
      'individual_score.position as answer_position',
      'individual_score.updated_at as answer_updated_at',
      'individual_score.version as answer_version',
      'individual_score.draft as answer_draft',
    ])
    .select((eb) => [
      eb
        .exists(
          eb
            .selectFrom('score_submission')
            .select('score_submission.id')
            .whereRef('score_submission.panel_member_id', '=', 'panel_member.id')
            .whereRef('score_submission.option_id', '=', 'option.id'),
        )
        .as('seat_submitted'),
      eb
        .exists(eb.selectFrom('panel_assignment').select('panel_assignment.id').whereRef('panel_assignment.panel_member_id', '=', 'panel_member.id'))
        .as('seat_assigned'),
    ])
    .where('panel_member.evaluation_id', '=', evaluationId)
    .where('panel_member.account_id', '=', accountId)
    .executeTakeFirst()
  if (row === undefined) return undefined
  const {
    seat_option_id,
    seat_option_name,
    seat_submitted,
    seat_assigned,
    answer_id,
    answer_score,
    answer_rationale,
    answer_evidence,
    answer_evidence_document_id,
    answer_evidence_page,
    answer_position,
    answer_updated_at,
    answer_version,
    answer_draft,
    ...member
  } = row
  const answer: IndividualScore | undefined =
    answer_id === null
      ? undefined
      : {
          id: answer_id,
          evaluation_id: evaluationId,
          panel_member_id: member.id,
          option_id: key.optionId,
          criterion_id: key.criterionId,
          score: answer_score,
          rationale: answer_rationale,
          evidence: answer_evidence,
          evidence_document_id: answer_evidence_document_id,
          evidence_page: answer_evidence_page,
          position: answer_position!,
          updated_at: answer_updated_at!,
          version: answer_version!,
          draft: answer_draft!,
        }
  return {
    member: member as PanelMember,
    option: seat_option_id === null || seat_option_name === null ? undefined : { id: seat_option_id, name: seat_option_name },
    /** SQLite gives 1 or 0, PostgreSQL true or false. */
    submitted: Boolean(seat_submitted),
    assigned: Boolean(seat_assigned),
    answer,
  }
}

export async function listConsensusScores(db: Db, evaluationId: number, optionId?: number) {
  let query = db.selectFrom('consensus_score').selectAll().where('evaluation_id', '=', evaluationId)
  if (optionId !== undefined) query = query.where('option_id', '=', optionId)
  return query.orderBy('id').execute()
}

/** Whether an insert that gives way to a row saved meanwhile (on conflict, nothing) wrote its row. */
function inserted(result: InsertResult | undefined): boolean {
  return Number(result?.numInsertedOrUpdatedRows ?? 0) === 1
}

export interface Answer {
  score: number
  rationale: string | null
  evidence: string | null
}

/**
 * An evaluator's answer as saved: complete, or a draft kept as it was typed (its score may not be
 * chosen yet, its rationale short). Only a complete answer counts as scored.
 */
export interface IndividualAnswer {
  score: number | null
  rationale: string | null
  evidence: string | null
  /** The tender document (of the score's option) the evidence is in, and the page in it: checked by the caller against who may open it. */
  evidenceDocumentId?: number | null
  evidencePage?: number | null
  /** Kept as typed, counted nowhere; absent means complete. */
  draft?: boolean
}

/**
 * The position after every score of the evaluation, so that a new score comes last in its file.
 * Positions rise with ids (an import writes them in order; each new score takes the last one's plus
 * one), so the last row by id holds the highest, found through the evaluation's index. Counting the
 * evaluation's scores instead took 2 ms of every first save at 90,000 scores.
 */
async function nextPosition(db: Db, table: 'individual_score' | 'consensus_score', evaluationId: number): Promise<number> {
  const last = await db.selectFrom(table).select('position').where('evaluation_id', '=', evaluationId).orderBy('id', 'desc').limit(1).executeTakeFirst()
  return last === undefined ? 0 : last.position + 1
}

/**
 * Saves an individual score if the form was made from the current version (null: there was no score
 * yet), and gives it back as saved, so that the page is drawn from it without reading it again.
 * Undefined, changing nothing, when someone saved in between.
 */
export async function saveIndividualScore(
  db: Change,
  key: { evaluationId: number; memberId: number; optionId: number; criterionId: number },
  given: IndividualAnswer,
  expectedVersion: number | null,
): Promise<IndividualScore | undefined> {
  const stamp = now()
  const evidenceDocumentId = given.evidenceDocumentId ?? null
  const answer = {
    score: given.score,
    rationale: given.rationale,
    evidence: given.evidence,
    evidence_document_id: evidenceDocumentId,
    evidence_page: evidenceDocumentId === null ? null : (given.evidencePage ?? null),
    draft: given.draft === true ? 1 : 0,
  }
  // One statement: the update finds the answer by its key and the version the form was made from;
  // with no version there was no answer, and the insert gives way to one saved meanwhile.
  if (expectedVersion !== null) {
    return db
      .updateTable('individual_score')
      .set((eb) => ({ ...answer, updated_at: stamp, version: eb('version', '+', 1) }))
      .where('panel_member_id', '=', key.memberId)
      .where('option_id', '=', key.optionId)
      .where('criterion_id', '=', key.criterionId)
      .where('version', '=', expectedVersion)
      .returningAll()
      .executeTakeFirst()
  }
  const position = await nextPosition(db, 'individual_score', key.evaluationId)
  // A first save that lost a race to another first save is stale, like any other: its insert does
  // nothing and returns no row (rather than fail, which on PostgreSQL would spoil the rest of the transaction).
  return db
    .insertInto('individual_score')
    .values({
      evaluation_id: key.evaluationId,
      panel_member_id: key.memberId,
      option_id: key.optionId,
      criterion_id: key.criterionId,
      ...answer,
      position,
      updated_at: stamp,
    })
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst()
}

/** The same rule for the moderated score of an option on a criterion. */
export async function saveConsensusScore(
  db: Change,
  key: { evaluationId: number; optionId: number; criterionId: number },
  answer: Answer & { acceptedWithinTolerance: boolean; meetingId: number | null },
  expectedVersion: number | null,
): Promise<boolean> {
  const stamp = now()
  const values = {
    score: answer.score,
    rationale: answer.rationale,
    evidence: answer.evidence,
    accepted_within_tolerance: answer.acceptedWithinTolerance ? 1 : 0,
    meeting_id: answer.meetingId,
  }
  const existing = await db
    .selectFrom('consensus_score')
    .select(['id', 'version'])
    .where('option_id', '=', key.optionId)
    .where('criterion_id', '=', key.criterionId)
    .executeTakeFirst()
  if (existing === undefined) {
    if (expectedVersion !== null) return false
    const position = await nextPosition(db, 'consensus_score', key.evaluationId)
    return inserted(
      await db
        .insertInto('consensus_score')
        .values({ evaluation_id: key.evaluationId, option_id: key.optionId, criterion_id: key.criterionId, ...values, position, updated_at: stamp })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst(),
    )
  }
  const result = await db
    .updateTable('consensus_score')
    .set((eb) => ({ ...values, updated_at: stamp, version: eb('version', '+', 1) }))
    .where('id', '=', existing.id)
    .where('version', '=', expectedVersion ?? -1)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

export async function updatePanelRules(db: Change, evaluationId: number, rules: { minRationale: number; tolerance: number }): Promise<void> {
  await db.updateTable('evaluation').set({ min_rationale: rules.minRationale, tolerance: rules.tolerance }).where('id', '=', evaluationId).execute()
}

/**
 * The evaluation's moderation and panel as the one rule in `src/appraisal/moderation.ts` sees them,
 * in the database's ids (as text): the criteria each option still needs a consensus on, and who a
 * consensus waits for.
 */
export async function moderationStateOf(db: Db, evaluationId: number): Promise<PanelState> {
  const [criteria, options, consensus, members] = await Promise.all([
    listCriteria(db, evaluationId),
    db.selectFrom('option').select('id').where('evaluation_id', '=', evaluationId).execute(),
    db.selectFrom('consensus_score').select(['option_id', 'criterion_id']).where('evaluation_id', '=', evaluationId).execute(),
    db.selectFrom('panel_member').select(['id', 'decision']).where('evaluation_id', '=', evaluationId).orderBy('position').orderBy('id').execute(),
  ])
  const ids = members.map((m) => m.id)
  const byMember = async (table: 'panel_assignment' | 'panel_member_option' | 'score_submission' | 'score_excuse' | 'consensus_confirmation') =>
    ids.length === 0
      ? []
      : db
          .selectFrom(table)
          .select(['panel_member_id', table === 'panel_assignment' ? 'criterion_id as ref' : 'option_id as ref'])
          .where('panel_member_id', 'in', ids)
          .execute()
  const [assigned, allowed, submitted, excused, responded] = await Promise.all(
    (['panel_assignment', 'panel_member_option', 'score_submission', 'score_excuse', 'consensus_confirmation'] as const).map(byMember),
  )
  const of = (rows: { panel_member_id: number; ref: number }[], member: number) => rows.filter((r) => r.panel_member_id === member).map((r) => String(r.ref))
  return panelState({
    criteria: buildCriteriaTree(
      criteria.map((c) => ({ ...c, key: String(c.id) })),
      [],
    ),
    options: options.map((o) => String(o.id)),
    members: members.map((m) => ({
      id: String(m.id),
      criteria: of(assigned!, m.id),
      removed: m.decision === 'remove',
      allowedOptions: m.decision === 'restrict' ? of(allowed!, m.id) : undefined,
      submitted: of(submitted!, m.id),
      excused: of(excused!, m.id),
      responded: of(responded!, m.id),
    })),
    consensus: consensus.map((c) => ({ option: String(c.option_id), criterion: String(c.criterion_id) })),
  })
}

/**
 * What stands between the evaluation and finalising, in words: options with criteria not moderated,
 * members who have neither submitted nor been excused, and members who have not confirmed (or
 * dissented from) a consensus. Empty when it can be finalised.
 */
export async function finalisingBlockers(db: Db, evaluationId: number): Promise<string[]> {
  const [state, options, members] = await Promise.all([
    moderationStateOf(db, evaluationId),
    db.selectFrom('option').select(['id', 'name']).where('evaluation_id', '=', evaluationId).orderBy('position').orderBy('id').execute(),
    db.selectFrom('panel_member').select(['id', 'name']).where('evaluation_id', '=', evaluationId).execute(),
  ])
  const names = (ids: readonly string[]) => {
    const list = ids.map((id) => members.find((m) => String(m.id) === id)?.name ?? 'a panel member')
    return list.length <= 1 ? (list[0] ?? '') : `${list.slice(0, -1).join(', ')} and ${list.at(-1)}`
  }
  const blockers: string[] = []
  for (const option of options) {
    const here = state.options.get(String(option.id))
    if (here === undefined) continue
    if (here.awaitingSubmission.length > 0) blockers.push(`${option.name}: ${names(here.awaitingSubmission)} must submit their scores or be excused.`)
    if (here.unmoderated.length > 0) {
      blockers.push(`${option.name}: ${here.unmoderated.length} ${here.unmoderated.length === 1 ? 'criterion has' : 'criteria have'} no consensus yet.`)
    } else if (here.awaitingConfirmation.length > 0) {
      blockers.push(`${option.name}: ${names(here.awaitingConfirmation)} must confirm the consensus, or record a dissent.`)
    }
  }
  const evaluation = await db.selectFrom('evaluation').select(['id', 'plan_version']).where('id', '=', evaluationId).executeTakeFirstOrThrow()
  for (const name of await approversUndeclared(db, evaluation)) {
    blockers.push(`${name} (approver) must declare any interest in the suppliers, or renew their declaration, before the decision is signed off.`)
  }
  return blockers
}

/** Moderation is complete when every option has a consensus on every scored leaf and gate of the tree. */
export async function moderationComplete(db: Db, evaluationId: number): Promise<boolean> {
  return (await moderationStateOf(db, evaluationId)).complete
}

// ---------------------------------------------------------------------------------------------
// Changes a panel member and the lead make while scoring and moderating, each one recorded change
// with its own reach

/**
 * Declares an interest, or none. "No interest" is for a first declaration, or for renewing one made
 * before some suppliers were known (an interest declared earlier, and the lead's decision on it, then
 * stand); otherwise, after declaring an interest only the lead's decision changes things.
 */
export async function declareInterest(
  db: Kysely<Database>,
  actor: Actor,
  member: PanelMember,
  declaration: { interest: boolean; details: string | null; supplier: string | null },
): Promise<Refusal<'form'> | null> {
  const suppliers = await suppliersNow(db, member.evaluation_id)
  const renewing = memberStanding(member, suppliers).state === 'renew'
  if (member.declared_interest !== null && !declaration.interest && !renewing) {
    return { field: 'form', message: 'You have already made a declaration. To declare a new interest, choose ‘I have an interest to declare’.' }
  }
  if (member.decision === 'remove') return { field: 'form', message: 'The lead has removed you from scoring this evaluation.' }
  const keeps = renewing && !declaration.interest && member.declared_interest === 1
  const summary = `${member.name} ${renewing ? 'renewed their declaration:' : 'declared'} ${declaration.interest ? `an interest in ${declaration.supplier}` : keeps ? 'no further interest' : 'no interest'}`
  const reach = { tables: ['panel_member', 'panel_member_option'], memberId: member.id } as const
  await recordedChange(db, { evaluationId: member.evaluation_id, actor, kind: 'declaration', summary, reach }, (trx) =>
    keeps
      ? trx
          .updateTable('panel_member')
          .set({ suppliers_known: JSON.stringify(suppliers), declared_at: now() })
          .where('id', '=', member.id)
          .execute()
          .then(() => undefined)
      : recordDeclaration(trx, member.id, { ...declaration, suppliersKnown: suppliers }),
  )
  return null
}

/** Submits a member's scores for an option, which locks them: only once every criterion they score has one. */
export async function submitScores(
  db: Kysely<Database>,
  actor: Actor,
  member: PanelMember,
  option: Pick<Option, 'id' | 'name'>,
): Promise<Refusal<'form'> | null> {
  const [criteria, assigned, mine] = await Promise.all([
    db.selectFrom('criterion').selectAll().where('evaluation_id', '=', member.evaluation_id).orderBy('position').orderBy('id').execute(),
    assignedCriterionIds(db, member.id),
    listIndividualScores(db, member.evaluation_id, { optionId: option.id, memberId: member.id }),
  ])
  const scored = new Set(mine.map((x) => x.criterion_id))
  const missing = leavesAssigned(criteria, assigned).filter((l) => !scored.has(l.id))
  if (missing.length > 0) {
    const named = `${missing
      .slice(0, 3)
      .map((l) => l.name)
      .join('; ')}${missing.length > 3 ? '…' : ''}`
    return {
      field: 'form',
      message: `Score every criterion before submitting: ${missing.length} ${missing.length === 1 ? 'has' : 'have'} no score yet (${named})`,
    }
  }
  const summary = `${member.name} submitted their scores for “${option.name}”`
  const reach = { tables: ['score_submission'], memberId: member.id, optionId: option.id } as const
  await recordedChange(db, { evaluationId: member.evaluation_id, actor, kind: 'score', summary, optionId: option.id, reach }, (trx) =>
    submitOption(trx, member.id, option.id),
  )
  return null
}

/**
 * Saves a member's score if the form was made from `expectedVersion` (null: there was no score yet):
 * the answer as saved, or undefined, changing nothing, when someone saved in between.
 */
export function saveScore(
  db: Kysely<Database>,
  actor: Actor,
  member: PanelMember,
  option: Pick<Option, 'id' | 'name'>,
  criterion: Pick<Criterion, 'id' | 'name'>,
  answer: IndividualAnswer,
  expectedVersion: number | null,
): Promise<IndividualScore | undefined> {
  const summary = `${possessive(member.name)} ${answer.draft === true ? 'draft answer' : 'score'} for “${option.name}” on “${criterion.name}” saved`
  const reach = { tables: ['individual_score'], memberId: member.id, optionId: option.id, criterionIds: [criterion.id] } as const
  const request = { evaluationId: member.evaluation_id, actor, kind: 'score', summary, optionId: option.id, criterionId: criterion.id, reach } as const
  const key = { evaluationId: member.evaluation_id, memberId: member.id, optionId: option.id, criterionId: criterion.id }
  return recordedChange(db, request, (trx) => saveIndividualScore(trx, key, answer, expectedVersion))
}

export function setPanelRules(
  db: Kysely<Database>,
  actor: Actor,
  evaluationId: number,
  rules: { minRationale: number; tolerance: number },
  planReason: string | null = null,
): Promise<void> {
  const summary = `Panel rules set: rationale of at least ${rules.minRationale} characters, tolerance ${formatNumber(rules.tolerance, 2)}`
  return recordedChange(db, { evaluationId, actor, kind: 'settings', summary, reach: { tables: ['evaluation'] }, planReason }, (trx) =>
    updatePanelRules(trx, evaluationId, rules),
  )
}

/** A panel member's records: a decision on their interest can remove their scores and role. */
const MEMBER_RECORDS = ['panel_member', 'panel_member_option', 'panel_role', 'panel_assignment', 'score_submission', 'individual_score'] as const

const DECISION_WORDS = { proceed: 'may proceed', restrict: 'restricted to some options', remove: 'removed from scoring' } as const satisfies Record<
  InterestDecision,
  string
>

/**
 * The lead's decision on a member's declared interest. Restricting needs the options they may still
 * score (ids not of the evaluation's options are left out); restricting or removing needs a reason.
 */
export async function decideOnInterest(
  db: Kysely<Database>,
  actor: Actor,
  member: PanelMember,
  decision: { decision: InterestDecision; note: string | null; allowedOptionIds: readonly number[] },
): Promise<Refusal<'note'> | null> {
  const options = await db.selectFrom('option').select('id').where('evaluation_id', '=', member.evaluation_id).execute()
  const known = new Set(options.map((o) => o.id))
  const allowed = decision.allowedOptionIds.filter((id) => known.has(id))
  if (decision.decision === 'restrict' && allowed.length === 0) return { field: 'note', message: 'Choose the options they may score, or another decision' }
  if (decision.decision !== 'proceed' && decision.note === null) {
    return { field: 'note', message: 'Give the reason for restricting or removing them: it is part of the record' }
  }
  const summary = `Decision on ${possessive(member.name)} declared interest: ${DECISION_WORDS[decision.decision]}`
  const request = {
    evaluationId: member.evaluation_id,
    actor,
    kind: 'declaration',
    summary,
    reason: decision.note,
    reach: { tables: MEMBER_RECORDS, memberId: member.id },
  } as const
  await recordedChange(db, request, (trx) => recordDecision(trx, member, { decision: decision.decision, note: decision.note, allowedOptionIds: allowed }))
  return null
}

// ---------------------------------------------------------------------------------------------
// Moderation: consensus only after independent scoring, agreed in a recorded meeting, confirmed by the panel

/** Names for the members a consensus waits for, for a message. */
async function awaitingWords(db: Db, evaluationId: number, memberIds: readonly string[]): Promise<string> {
  const members = await db.selectFrom('panel_member').select(['id', 'name']).where('evaluation_id', '=', evaluationId).execute()
  const names = memberIds.map((id) => members.find((m) => String(m.id) === id)?.name ?? 'a panel member')
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
}

/** The refusal of a consensus whose submissions are not all in, or null when it may be recorded. */
async function refusalBeforeSubmissions(db: Db, evaluationId: number, optionId: number, criterionId: number): Promise<Refusal<'form'> | null> {
  const waiting = (await moderationStateOf(db, evaluationId)).awaiting(String(optionId), String(criterionId))
  if (waiting.length === 0) return null
  const who = await awaitingWords(db, evaluationId, waiting)
  return {
    field: 'form',
    message: `A consensus comes after independent scoring: ${who} ${waiting.length === 1 ? 'has' : 'have'} not submitted this option yet. Wait for the submission, or excuse them from this option with a reason.`,
  }
}

async function meetingOf(db: Db, evaluationId: number, meetingId: number | null) {
  if (meetingId === null) return undefined
  return db.selectFrom('moderation_meeting').selectAll().where('evaluation_id', '=', evaluationId).where('id', '=', meetingId).executeTakeFirst()
}

const NO_MEETING: Refusal<'meeting'> = { field: 'meeting', message: 'Choose the moderation meeting this was agreed in (record the meeting first)' }

/** A consensus changed: the panel's confirmations of that option no longer stand. */
async function withdrawConfirmations(db: Change, optionId: number): Promise<void> {
  await db.deleteFrom('consensus_confirmation').where('option_id', '=', optionId).execute()
}

export interface BulkCandidate {
  criterionId: number
  /** The submitted scores the consensus rests on, at least two. */
  scores: readonly number[]
  spread: ScoreSpread
}

/**
 * What bulk acceptance would accept for an option now: each needed criterion with no consensus, no
 * submission awaited, at least two submitted scores, and those within the tolerance.
 */
export async function bulkCandidates(db: Db, evaluation: { id: number; tolerance: number }, optionId: number): Promise<BulkCandidate[]> {
  const [state, scores, submissions, consensus] = await Promise.all([
    moderationStateOf(db, evaluation.id),
    listIndividualScores(db, evaluation.id, { optionId }),
    listSubmissions(db, evaluation.id),
    listConsensusScores(db, evaluation.id, optionId),
  ])
  const submitted = new Set(submissions.filter((x) => x.option_id === optionId).map((x) => x.panel_member_id))
  const agreed = new Set(consensus.map((x) => x.criterion_id))
  const candidates: BulkCandidate[] = []
  for (const criterion of state.needed) {
    const criterionId = Number(criterion)
    if (agreed.has(criterionId) || state.awaiting(String(optionId), criterion).length > 0) continue
    const mine = scores.filter((x) => x.criterion_id === criterionId && submitted.has(x.panel_member_id)).map((x) => x.score)
    const spread = scoreSpread(mine, evaluation.tolerance)
    if (spread !== null && spread.count >= 2 && spread.withinTolerance) candidates.push({ criterionId, scores: mine, spread })
  }
  return candidates
}

/**
 * Accepts, as the consensus, the rounded median of the submitted scores of each criterion the lead
 * saw in the preview (`criterionIds`) that still qualifies (see `bulkCandidates`), in the meeting
 * named, resting on the tender reference given. Refused, changing nothing, when any of them no
 * longer qualifies: the lead accepts what they saw, or nothing.
 */
export async function acceptWithinTolerance(
  db: Kysely<Database>,
  actor: Actor,
  evaluation: { id: number; tolerance: number },
  option: Pick<Option, 'id' | 'name'>,
  acceptance: { criterionIds: readonly number[]; meetingId: number | null; reference: string | null },
): Promise<Refusal<'meeting' | 'reference' | 'form'> | { accepted: number }> {
  if (acceptance.reference === null) {
    return { field: 'reference', message: 'Give the tender reference the accepted scores rest on (a section of the bid, a clarification)' }
  }
  const summary = `${acceptance.criterionIds.length} consensus ${acceptance.criterionIds.length === 1 ? 'score' : 'scores'} for “${option.name}” accepted within tolerance`
  const reach = { tables: ['consensus_score', 'consensus_confirmation'], optionId: option.id } as const
  return recordedChange(db, { evaluationId: evaluation.id, actor, kind: 'consensus', summary, optionId: option.id, reach }, async (trx) => {
    if (acceptance.criterionIds.length === 0) return { field: 'form' as const, message: 'There is nothing to accept: no criterion was in the list' }
    const meeting = await meetingOf(trx, evaluation.id, acceptance.meetingId)
    if (meeting === undefined) return NO_MEETING
    const candidates = new Map((await bulkCandidates(trx, evaluation, option.id)).map((c) => [c.criterionId, c]))
    const rows = acceptance.criterionIds.map((id) => candidates.get(id))
    if (rows.some((row) => row === undefined)) {
      return { field: 'form', message: 'The list changed after you saw it (a consensus or a submission came in): nothing was accepted. Check the new list.' }
    }
    for (const row of rows as BulkCandidate[]) {
      const scores = row.scores.map((score) => formatNumber(score, 2)).join(', ')
      const rationale = `Accepted within tolerance at the meeting of ${meeting.held_on}: the panel’s submitted scores were ${scores} (a range of ${formatNumber(row.spread.range, 2)}, within ${formatNumber(evaluation.tolerance, 2)}); the consensus is the rounded median.`
      await saveConsensusScore(
        trx,
        { evaluationId: evaluation.id, optionId: option.id, criterionId: row.criterionId },
        { score: row.spread.roundedMedian, rationale, evidence: acceptance.reference, acceptedWithinTolerance: true, meetingId: meeting.id },
        null,
      )
    }
    await withdrawConfirmations(trx, option.id)
    return { accepted: rows.length }
  })
}

/**
 * Records the moderated score of an option on a criterion, agreed in a recorded meeting, once every
 * assigned member has submitted the option or been excused from it. 'stale', changing nothing, when
 * someone recorded one in between.
 */
export function recordConsensus(
  db: Kysely<Database>,
  actor: Actor,
  evaluationId: number,
  option: Pick<Option, 'id' | 'name'>,
  criterion: Pick<Criterion, 'id' | 'name'>,
  answer: Answer & { meetingId: number | null },
  expectedVersion: number | null,
): Promise<'saved' | 'stale' | Refusal<'meeting' | 'form'>> {
  const summary = `Consensus score for “${option.name}” on “${criterion.name}” recorded`
  const reach = { tables: ['consensus_score', 'consensus_confirmation'], optionId: option.id } as const
  const request = { evaluationId, actor, kind: 'consensus', summary, optionId: option.id, criterionId: criterion.id, reach } as const
  return recordedChange(db, request, async (trx) => {
    const meeting = await meetingOf(trx, evaluationId, answer.meetingId)
    if (meeting === undefined) return NO_MEETING
    const refused = await refusalBeforeSubmissions(trx, evaluationId, option.id, criterion.id)
    if (refused !== null) return refused
    const key = { evaluationId, optionId: option.id, criterionId: criterion.id }
    const saved = await saveConsensusScore(trx, key, { ...answer, acceptedWithinTolerance: false, meetingId: meeting.id }, expectedVersion)
    if (!saved) return 'stale'
    await withdrawConfirmations(trx, option.id)
    return 'saved'
  })
}

/** The lead excuses a panel member from scoring an option, with the reason; not once they have submitted it. */
export async function excuseFromOption(
  db: Kysely<Database>,
  actor: Actor,
  member: PanelMember,
  option: Pick<Option, 'id' | 'name'>,
  reason: string | null,
): Promise<Refusal<'reason' | 'form'> | null> {
  if (reason === null) return { field: 'reason', message: 'Give the reason for excusing them: it is part of the record and the report' }
  if (await isSubmitted(db, member.id, option.id)) return { field: 'form', message: `${member.name} has submitted “${option.name}”: their scores stand` }
  const summary = `${member.name} excused from scoring “${option.name}”`
  const reach = { tables: ['score_excuse'], memberId: member.id, optionId: option.id } as const
  await recordedChange(db, { evaluationId: member.evaluation_id, actor, kind: 'panel', summary, reason, optionId: option.id, reach }, async (trx) => {
    await trx.deleteFrom('score_excuse').where('panel_member_id', '=', member.id).where('option_id', '=', option.id).execute()
    await trx.insertInto('score_excuse').values({ panel_member_id: member.id, option_id: option.id, reason, excused_at: now() }).execute()
  })
  return null
}

export interface MeetingInput {
  /** YYYY-MM-DD. */
  date: string
  chair: string
  attendeeIds: readonly number[]
  optionIds: readonly number[]
  criterionIds: readonly number[]
  notes: string | null
}

export async function listMeetings(db: Db, evaluationId: number) {
  return db.selectFrom('moderation_meeting').selectAll().where('evaluation_id', '=', evaluationId).orderBy('position').orderBy('id').execute()
}

/** Records a moderation meeting; its attendees are panel members of the evaluation, at least one. */
export async function recordMeeting(db: Kysely<Database>, actor: Actor, evaluationId: number, meeting: MeetingInput): Promise<Refusal<'attendees'> | null> {
  const [members, options, criteria, existing] = await Promise.all([
    db.selectFrom('panel_member').select('id').where('evaluation_id', '=', evaluationId).execute(),
    db.selectFrom('option').select('id').where('evaluation_id', '=', evaluationId).execute(),
    db.selectFrom('criterion').select('id').where('evaluation_id', '=', evaluationId).execute(),
    listMeetings(db, evaluationId),
  ])
  const within = (ids: readonly number[], rows: { id: number }[]) => ids.filter((id) => rows.some((r) => r.id === id))
  const attendees = within(meeting.attendeeIds, members)
  if (attendees.length === 0) return { field: 'attendees', message: 'Choose the panel members who attended: a meeting needs at least one' }
  const summary = `Moderation meeting of ${meeting.date} recorded, chaired by ${meeting.chair}`
  await recordedChange(db, { evaluationId, actor, kind: 'consensus', summary, reach: { tables: ['moderation_meeting'] } }, async (trx) => {
    await trx
      .insertInto('moderation_meeting')
      .values({
        evaluation_id: evaluationId,
        key: makeKey(
          `meeting-${meeting.date}`,
          existing.map((m) => m.key),
        ),
        held_on: meeting.date,
        chair: meeting.chair,
        attendees: JSON.stringify(attendees),
        options: JSON.stringify(within(meeting.optionIds, options)),
        criteria: JSON.stringify(within(meeting.criterionIds, criteria)),
        notes: meeting.notes,
        position: existing.reduce((max, m) => Math.max(max, m.position), -1) + 1,
      })
      .execute()
  })
  return null
}

/**
 * A panel member confirms that an option's consensus reflects the discussion, or records a dissent
 * with the reason (which counts as a response). Only a member who scores the option, once every
 * criterion of it has a consensus.
 */
export async function respondToConsensus(
  db: Kysely<Database>,
  actor: Actor,
  member: PanelMember,
  option: Pick<Option, 'id' | 'name'>,
  response: { dissent: boolean; reason: string | null },
): Promise<Refusal<'reason' | 'form'> | null> {
  if (response.dissent && response.reason === null) return { field: 'reason', message: 'Give the reason for your dissent: it is recorded and reported' }
  const summary = `${member.name} ${response.dissent ? 'dissented from' : 'confirmed'} the consensus for “${option.name}”`
  const reach = { tables: ['consensus_confirmation'], memberId: member.id, optionId: option.id } as const
  return recordedChange(db, { evaluationId: member.evaluation_id, actor, kind: 'consensus', summary, optionId: option.id, reach }, async (trx) => {
    const state = await moderationStateOf(trx, member.evaluation_id)
    const here = state.options.get(String(option.id))
    if (here === undefined || here.unmoderated.length > 0) {
      return { field: 'form' as const, message: `“${option.name}” is not fully moderated yet: confirm once every criterion has a consensus` }
    }
    if (!here.awaitingConfirmation.includes(String(member.id)) && !(await hasResponded(trx, member.id, option.id))) {
      return { field: 'form' as const, message: `You are not on the panel for “${option.name}”, or were excused from it` }
    }
    await trx.deleteFrom('consensus_confirmation').where('panel_member_id', '=', member.id).where('option_id', '=', option.id).execute()
    await trx
      .insertInto('consensus_confirmation')
      .values({ panel_member_id: member.id, option_id: option.id, dissent: response.dissent ? response.reason : null, confirmed_at: now() })
      .execute()
    return null
  })
}

async function hasResponded(db: Db, memberId: number, optionId: number): Promise<boolean> {
  const row = await db
    .selectFrom('consensus_confirmation')
    .select('id')
    .where('panel_member_id', '=', memberId)
    .where('option_id', '=', optionId)
    .executeTakeFirst()
  return row !== undefined
}

export async function listExcuses(db: Db, evaluationId: number) {
  return db
    .selectFrom('score_excuse')
    .innerJoin('panel_member', 'panel_member.id', 'score_excuse.panel_member_id')
    .selectAll('score_excuse')
    .where('panel_member.evaluation_id', '=', evaluationId)
    .orderBy('score_excuse.id')
    .execute()
}

export async function listConfirmations(db: Db, evaluationId: number) {
  return db
    .selectFrom('consensus_confirmation')
    .innerJoin('panel_member', 'panel_member.id', 'consensus_confirmation.panel_member_id')
    .selectAll('consensus_confirmation')
    .where('panel_member.evaluation_id', '=', evaluationId)
    .orderBy('consensus_confirmation.id')
    .execute()
}
