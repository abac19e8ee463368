// The benchmark's evaluation in a fresh database file: the large evaluation imported as a lead's,
// and the accounts of the load test's evaluators, each signed in with a session of their own.

import type { Kysely } from 'kysely'
import { TEST_ACTOR, setUp } from '../changes.js'
import { parseEvaluationFile, type EvaluationFile } from '../../src/appraisal/index.js'
import { hashPassword } from '../../src/auth/password.js'
import { grantRole, insertAccount } from '../../src/db/accounts.js'
import { importEvaluationFile } from '../../src/db/evaluation-file.js'
import { openDatabase } from '../../src/db/open.js'
import { linkPanelMember, listPanelMembers } from '../../src/db/panel.js'
import type { Database } from '../../src/db/schema.js'
import { panelMemberFor, recordDeclaration } from '../../src/db/scoring.js'
import { createSession, validateSession } from '../../src/db/sessions.js'
import { largeEvaluation, type LargeEvaluationSize } from '../appraisal/large-evaluation.js'

/** The large evaluation: 20 options, 300 criteria in three levels, 15 evaluators. */
export const BENCH_SIZE: LargeEvaluationSize = {
  options: 20,
  criteria: 300,
  evaluators: 15,
  levels: 3,
  text: true,
  consensusOnAll: true,
  costLinesPerOption: 20,
  declared: true,
}

export function benchEvaluationFile(): EvaluationFile {
  const parsed = parseEvaluationFile(largeEvaluation(BENCH_SIZE))
  if (!parsed.ok) throw new Error(`the generated evaluation is not valid:\n${parsed.errors.slice(0, 10).join('\n')}`)
  return parsed.file
}

/** A signed-in account as a browser holds it: the session cookie and the CSRF token of its pages. */
export interface SignedIn {
  readonly accountId: number
  readonly cookie: string
  readonly csrfToken: string
}

/** One load-test client: an evaluator scoring one option, criterion by criterion. */
export interface EvaluatorPlan extends SignedIn {
  readonly optionId: number
  /** The criteria it will score, in order, with the version of its score on each (null: none yet). */
  readonly cells: readonly { readonly criterionId: number; readonly version: number | null }[]
}

export interface BenchDatabase {
  readonly db: Kysely<Database>
  readonly evaluationId: number
  readonly lead: SignedIn
  /** One per load-test client; the first are the file's panel members (with scores), the rest new. */
  readonly evaluators: readonly EvaluatorPlan[]
  /** One more new panel member, saving alone to time a save on a server with nothing else to do. */
  readonly soloEvaluator: EvaluatorPlan
  readonly optionIds: readonly number[]
  readonly scoreCount: number
}

async function signIn(db: Kysely<Database>, accountId: number): Promise<SignedIn> {
  const token = await createSession(db, accountId)
  const session = await validateSession(db, token)
  if (session === null) throw new Error('a new session did not validate')
  return { accountId, cookie: `session=${token}`, csrfToken: session.csrfToken }
}

/**
 * Imports the file into a new database at `path` and prepares `clients` evaluator accounts and one
 * more: the file's panel members are linked to the first accounts (so their saves change existing
 * scores), the rest join the panel and declare no interest (so their saves are first scores).
 */
export async function createBenchDatabase(path: string, file: EvaluationFile, clients: number): Promise<BenchDatabase> {
  const db = await openDatabase(path)
  const passwordHash = await hashPassword('not used: the benchmark signs in by session')
  const leadId = await insertAccount(db, { email: 'lead@bench.example', name: 'Bench Lead', passwordHash, admin: false })
  const evaluationId = await importEvaluationFile(db, file, { actor: TEST_ACTOR, leadAccountId: leadId })
  const members = await listPanelMembers(db, evaluationId)
  const options = await db.selectFrom('option').select('id').where('evaluation_id', '=', evaluationId).orderBy('position').execute()
  const leaves = await db.selectFrom('criterion').select('id').where('evaluation_id', '=', evaluationId).where('kind', '!=', 'group').orderBy('id').execute()

  const evaluators: EvaluatorPlan[] = []
  for (let i = 0; i <= clients; i++) {
    const email = `evaluator-${i}@bench.example`
    const accountId = await insertAccount(db, { email, name: `Bench Evaluator ${i}`, passwordHash, admin: false })
    await setUp(db, evaluationId, (trx) => grantRole(trx, evaluationId, accountId, 'evaluator'), { tables: ['panel_role'] })
    const fileMember = members[i]
    let memberId: number
    if (fileMember !== undefined) {
      await setUp(db, evaluationId, (trx) => linkPanelMember(trx, fileMember.id, accountId), { tables: ['panel_member'], memberId: fileMember.id })
      memberId = fileMember.id
    } else {
      const member = await panelMemberFor(db, evaluationId, { id: accountId, name: `Bench Evaluator ${i}`, email }, TEST_ACTOR)
      await setUp(db, evaluationId, (trx) => recordDeclaration(trx, member.id, { interest: false, details: null }), {
        tables: ['panel_member', 'panel_member_option'],
        memberId: member.id,
      })
      memberId = member.id
    }
    const optionId = options[i % options.length]!.id
    // A file without submission records counts each evaluator's scored options as submitted, which
    // locks them: the file's members are reopened on the option they save, as a lead would return it.
    if (fileMember !== undefined) {
      await setUp(
        db,
        evaluationId,
        (trx) => trx.deleteFrom('score_submission').where('panel_member_id', '=', memberId).where('option_id', '=', optionId).execute(),
        {
          tables: ['score_submission'],
          memberId,
          optionId,
        },
      )
    }
    const versions = new Map(
      (
        await db
          .selectFrom('individual_score')
          .select(['criterion_id', 'version'])
          .where('panel_member_id', '=', memberId)
          .where('option_id', '=', optionId)
          .execute()
      ).map((row) => [row.criterion_id, row.version]),
    )
    // Each client starts at a different criterion, so the clients do not walk the table in step.
    const start = (i * 37) % leaves.length
    const cells = leaves.map((_, k) => {
      const criterionId = leaves[(start + k) % leaves.length]!.id
      return { criterionId, version: versions.get(criterionId) ?? null }
    })
    evaluators.push({ ...(await signIn(db, accountId)), optionId, cells })
  }
  return {
    db,
    evaluationId,
    lead: await signIn(db, leadId),
    evaluators: evaluators.slice(0, clients),
    soloEvaluator: evaluators[clients]!,
    optionIds: options.map((o) => o.id),
    scoreCount: file.scores.length,
  }
}
