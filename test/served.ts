// Evaluations put straight into the database of a running server (a browser test's, or the
// two-instance test's), for a test that needs a panel part-way through: faster than building it
// page by page, and the server reads it as it reads anything else. The accounts are the demo's,
// whose passwords the server printed on first run.
import { parseEvaluationFile, type EvaluationFile } from '../src/appraisal/index.js'
import { findAccountByEmail } from '../src/db/accounts.js'
import { importEvaluationFile } from '../src/db/evaluation-file.js'
import { openDatabase } from '../src/db/open.js'
import { linkMemberToAccount, listPanelMembers } from '../src/db/panel.js'
import { saveScore } from '../src/db/scoring.js'
import { TEST_ACTOR } from './changes.js'
import { approveTestPlan, declareNoInterest, testTemplates } from './helpers.js'

export interface ServedEvaluation {
  id: number
  /** The options' database ids, by their ids in the file. */
  options: Map<string, number>
}

/** An answer an evaluator has saved, complete, and not submitted (file ids). */
export interface SavedAnswer {
  evaluator: string
  option: string
  criterion: string
  score: number
  rationale: string
  /** The tender document's id in the file, and the page, the evidence is in. */
  evidenceDocument?: string
  evidencePage?: number
}

/**
 * Imports a file into the database at `location` (a PostgreSQL URL or a SQLite file a server has
 * open), led by the account with the email `lead`, its plan approved, and each panel member named
 * in `members` (file id → email) linked to that account as an evaluator. Then saves `answers` as
 * their evaluators would: a file that records no submission counts every score in it as submitted.
 */
export async function importServed(
  location: string,
  file: EvaluationFile,
  accounts: { lead: string; members: Record<string, string> },
  answers: readonly SavedAnswer[] = [],
): Promise<ServedEvaluation> {
  const db = await openDatabase(location)
  try {
    const lead = await findAccountByEmail(db, accounts.lead)
    if (lead === undefined) throw new Error(`no account ${accounts.lead}`)
    const id = await importEvaluationFile(db, file, { actor: TEST_ACTOR, leadAccountId: lead.id })
    await approveTestPlan(db, id)
    // The lead declares no interest, as the app asks of them before moderating.
    await declareNoInterest(db, id, lead.id, ['lead'])
    for (const member of await listPanelMembers(db, id)) {
      const email = accounts.members[member.key]
      if (email !== undefined && (await linkMemberToAccount(db, TEST_ACTOR, member, email)) !== null) throw new Error(`no account ${email}`)
    }
    const [members, options, criteria] = await Promise.all([
      listPanelMembers(db, id),
      db.selectFrom('option').select(['id', 'key', 'name']).where('evaluation_id', '=', id).execute(),
      db.selectFrom('criterion').select(['id', 'key', 'name']).where('evaluation_id', '=', id).execute(),
    ])
    for (const a of answers) {
      const member = members.find((m) => m.key === a.evaluator)!
      const option = options.find((o) => o.key === a.option)!
      const criterion = criteria.find((c) => c.key === a.criterion)!
      const document =
        a.evidenceDocument === undefined
          ? undefined
          : await db.selectFrom('tender_document').select('id').where('evaluation_id', '=', id).where('key', '=', a.evidenceDocument).executeTakeFirstOrThrow()
      const evidence = { evidence: null, evidenceDocumentId: document?.id ?? null, evidencePage: a.evidencePage ?? null }
      await saveScore(db, TEST_ACTOR, member, option, criterion, { score: a.score, rationale: a.rationale, ...evidence, draft: false }, null)
    }
    return { id, options: new Map(options.map((o) => [o.key, o.id])) }
  } finally {
    await db.destroy()
  }
}

/** A file from the given parts over a plain 0–5 evaluation (quality only), checked as an import checks it. */
export function servedFile(parts: Record<string, unknown>): EvaluationFile {
  const parsed = parseEvaluationFile({
    format: 'options-appraisal/1',
    title: 'Served evaluation',
    currency: 'GBP',
    scale: { min: 0, max: 5 },
    split: { quality: 100, cost: 0 },
    priceFormula: 'relative-to-lowest',
    panel: { minRationale: 30, tolerance: 1 },
    appraisal: { baseYear: 2026, years: 3, discount: 'green-book', optimismBias: { capital: 0, operating: 0 } },
    ...parts,
  })
  if (!parsed.ok) throw new Error(`the test's evaluation file is not valid:\n  ${parsed.errors.join('\n  ')}`)
  return parsed.file
}

/** A panel member who declared no interest before scoring. */
export function declaredMember(id: string, name: string, submitted: string[] = []): Record<string, unknown> {
  return { id, name, submitted, declaration: { interest: false, declaredAt: '2026-11-02T09:00:00.000Z' } }
}

/** The police records template (eight groups, 54 answers), as the demo and a new evaluation have it. */
export function policeTemplate(): Pick<EvaluationFile, 'criteria'> & { scale?: EvaluationFile['scale'] } {
  const template = testTemplates().find((t) => t.id === 'police-records-management')
  if (template === undefined) throw new Error('the police records template is missing')
  return { criteria: template.criteria, ...(template.scale === undefined ? {} : { scale: template.scale }) }
}

/** Two groups, four answers (one a gate): the smallest tree with a group page to go back to. */
export const SMALL_CRITERIA = [
  {
    id: 'functional',
    name: 'Functional fit',
    weight: 60,
    criteria: [
      { id: 'crime', name: 'Crime recording', weight: 2 },
      { id: 'search', name: 'Search', weight: 1 },
      { id: 'live', name: 'Live elsewhere', gate: true },
    ],
  },
  { id: 'usability', name: 'Usability', weight: 40, criteria: [{ id: 'sus', name: 'SUS score in trials' }] },
]
