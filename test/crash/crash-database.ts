// The crash test's database: the small evaluation imported, and evaluator accounts that have joined
// its panel, declared no interest and are signed in with a session each (as the benchmark signs in:
// test/bench/bench-database.ts), so a process of their own can save scores over HTTP at once.

import { readFileSync } from 'node:fs'
import type { Kysely } from 'kysely'
import { parseEvaluationText } from '../../src/appraisal/index.js'
import { hashPassword } from '../../src/auth/password.js'
import { grantRole, insertAccount } from '../../src/db/accounts.js'
import { importEvaluationFile } from '../../src/db/evaluation-file.js'
import type { Database } from '../../src/db/schema.js'
import { panelMemberFor, recordDeclaration } from '../../src/db/scoring.js'
import { createSession, validateSession } from '../../src/db/sessions.js'
import { TEST_ACTOR, setUp } from '../changes.js'
import type { SaverPlan } from './saver-plan.js'

const fixture = new URL('../fixtures/small-evaluation.json', import.meta.url)

/** One score an evaluator may save: theirs, for one option on one criterion. */
export interface ScoreCell {
  readonly memberId: number
  readonly optionId: number
  readonly criterionId: number
}

export interface CrashEvaluator {
  readonly accountId: number
  readonly memberId: number
  readonly cookie: string
  readonly csrfToken: string
  /** Every score this evaluator may save: each option on each scored criterion (gates, pass or fail, are left out). */
  readonly cells: readonly ScoreCell[]
}

export interface CrashDatabase {
  readonly evaluationId: number
  readonly evaluators: readonly CrashEvaluator[]
  /** The shortest rationale the evaluation accepts. */
  readonly minRationale: number
}

/** Imports the small evaluation into `db` (migrated and empty) and signs in `count` evaluators on it. */
export async function createCrashDatabase(db: Kysely<Database>, count: number): Promise<CrashDatabase> {
  const parsed = parseEvaluationText(readFileSync(fixture, 'utf8'))
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
  const passwordHash = await hashPassword('not used: the crash test signs in by session')
  const leadAccountId = await insertAccount(db, { email: 'lead@crash.example', name: 'Crash Lead', passwordHash, admin: false })
  const evaluationId = await importEvaluationFile(db, parsed.file, { actor: TEST_ACTOR, leadAccountId })
  const options = await db.selectFrom('option').select('id').where('evaluation_id', '=', evaluationId).orderBy('position').execute()
  const leaves = await db
    .selectFrom('criterion')
    .select('id')
    .where('evaluation_id', '=', evaluationId)
    .where('kind', 'not in', ['group', 'gate'])
    .orderBy('id')
    .execute()

  const evaluators: CrashEvaluator[] = []
  for (let i = 0; i < count; i++) {
    const email = `evaluator-${i}@crash.example`
    const name = `Crash Evaluator ${i}`
    const accountId = await insertAccount(db, { email, name, passwordHash, admin: false })
    await setUp(db, evaluationId, (trx) => grantRole(trx, evaluationId, accountId, 'evaluator'), { tables: ['panel_role'] })
    const member = await panelMemberFor(db, evaluationId, { id: accountId, name, email }, TEST_ACTOR)
    await setUp(db, evaluationId, (trx) => recordDeclaration(trx, member.id, { interest: false, details: null }), {
      tables: ['panel_member', 'panel_member_option'],
      memberId: member.id,
    })
    const token = await createSession(db, accountId)
    const session = await validateSession(db, token)
    if (session === null) throw new Error('a new session did not validate')
    const cells = options.flatMap((o) => leaves.map((c) => ({ memberId: member.id, optionId: o.id, criterionId: c.id })))
    evaluators.push({ accountId, memberId: member.id, cookie: `session=${token}`, csrfToken: session.csrfToken, cells })
  }
  return { evaluationId, evaluators, minRationale: parsed.file.panel?.minRationale ?? 0 }
}

/**
 * The saver's plan: `workersPerEvaluator` workers for each evaluator, each owning some of that
 * evaluator's scores outright, so that the saves to any one score come from one worker, one at a
 * time, in an order the saver's log shows.
 */
export function saverPlan(origin: string, setup: CrashDatabase, workersPerEvaluator: number): SaverPlan {
  return {
    origin,
    evaluationId: setup.evaluationId,
    requestTimeoutMs: 15_000,
    workers: setup.evaluators.flatMap((evaluator) =>
      Array.from({ length: workersPerEvaluator }, (_, w) => ({
        cookie: evaluator.cookie,
        csrfToken: evaluator.csrfToken,
        cells: evaluator.cells.filter((_, k) => k % workersPerEvaluator === w).map((cell) => ({ ...cell, version: null })),
      })),
    ),
  }
}
