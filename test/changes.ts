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
