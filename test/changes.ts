import type { Kysely } from 'kysely'
import { expect } from 'vitest'
import { recordedChange, type Actor, type Change, type Reach } from '../src/db/audit.js'
import type { Database } from '../src/db/schema.js'
import { verifyAll } from '../src/db/verify.js'

/** Who the audit log names for what a test sets up directly through the data layer. */
export const TEST_ACTOR: Actor = { accountId: null, name: 'Test set-up' }

/**
 * Sets something up through the data layer as the app would: one recorded change, so the audit log
 * stays true to the records. `reach` defaults to the whole evaluation.
 */
export function setUp<T>(db: Kysely<Database>, evaluationId: number, work: (trx: Change) => Promise<T>, reach: Reach = { tables: 'all' }): Promise<T> {
  return recordedChange(db, { evaluationId, actor: TEST_ACTOR, kind: 'panel', summary: 'Set up by a test', reach }, work)
}

/** Databases whose records the running test's end checks against their audit logs. */
const toCheck: Kysely<Database>[] = []

/**
 * At the end of the running test, checks every evaluation's record against its audit log: a change
 * that reached records it did not declare (so they went unlogged) fails the test that made it.
 * test/setup/database-scope.ts runs the check, before the test's databases are released.
 */
export function verifyRecordsAfterTest(db: Kysely<Database>): void {
  toCheck.push(db)
}

/** A test that tampers with the record on purpose leaves its database out of that check. */
export function skipRecordCheck(db: Kysely<Database>): void {
  const index = toCheck.indexOf(db)
  if (index >= 0) toCheck.splice(index, 1)
}

export async function checkRecordsAfterTest(passed: boolean): Promise<void> {
  const databases = toCheck.splice(0)
  if (!passed) return
  for (const db of databases) {
    const problems = (await verifyAll(db)).flatMap((check) => check.problems.map((p) => `${check.title}: ${p}`))
    expect(problems, 'the audit log no longer matches the records').toEqual([])
  }
}

/**
 * Readies options for a consensus as a lead would, through the data layer: a moderation meeting
 * every panel member attended, and each member who has not submitted an option excused from it.
 * Returns the meeting's id, which a consensus names.
 */
export async function readyForConsensus(db: Kysely<Database>, evaluationId: number, optionIds?: readonly number[]): Promise<number> {
  const { excuseFromOption, findPanelMember, moderationStateOf, recordMeeting, listMeetings } = await import('../src/db/scoring.js')
  const state = await moderationStateOf(db, evaluationId)
  const options = await db.selectFrom('option').select(['id', 'name']).where('evaluation_id', '=', evaluationId).execute()
  for (const option of options.filter((o) => optionIds === undefined || optionIds.includes(o.id))) {
    for (const memberId of state.options.get(String(option.id))?.awaitingSubmission ?? []) {
      const member = await findPanelMember(db, evaluationId, Number(memberId))
      await excuseFromOption(db, TEST_ACTOR, member!, option, 'Excused by the test set-up')
    }
  }
  const members = await db.selectFrom('panel_member').select('id').where('evaluation_id', '=', evaluationId).execute()
  await recordMeeting(db, TEST_ACTOR, evaluationId, {
    date: '2026-11-19',
    chair: 'The lead',
    attendeeIds: members.map((m) => m.id),
    optionIds: optionIds ?? options.map((o) => o.id),
    criterionIds: [],
    notes: null,
  })
  return (await listMeetings(db, evaluationId)).at(-1)!.id
}

/**
 * A tender document of `optionId` held in full, as an upload leaves it: `bid.txt`, three bytes
 * ("abc", with their SHA-256). Inside the caller's change; its id.
 */
export async function heldDocument(trx: Change, evaluationId: number, optionId: number): Promise<number> {
  const row = await trx
    .insertInto('tender_document')
    .values({
      evaluation_id: evaluationId,
      option_id: optionId,
      key: 'bid',
      name: 'bid.txt',
      media_type: 'text/plain; charset=utf-8',
      size: 3,
      sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      uploaded_at: null,
      position: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await trx
    .insertInto('tender_document_content')
    .values({ document_id: row.id, bytes: new TextEncoder().encode('abc') })
    .execute()
  return row.id
}
