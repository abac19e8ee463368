import { readFileSync } from 'node:fs'
import type { Kysely } from 'kysely'
import { parseEvaluationFile, type EvaluationFile } from '../appraisal/index.js'
import type { CriteriaTemplate } from '../criteria-templates.js'
import { generatePassword, hashPassword } from '../auth/password.js'
import { grantRole, insertAccount } from '../db/accounts.js'
import { recordedChange, type Actor } from '../db/audit.js'
import { importEvaluationFile } from '../db/evaluation-file.js'
import { linkPanelMember, listPanelMembers } from '../db/panel.js'
import type { Database, EvaluationRole } from '../db/schema.js'

/** Who the log names for what the app does itself on first run. */
const FIRST_RUN: Actor = { accountId: null, name: 'The app (first run)' }

/** The police template the demo is built from: its criteria are the demo's criteria. */
export const DEMO_TEMPLATE_ID = 'police-records-management'

/**
 * The demo evaluation: fictional products and illustrative figures (src/demo/demo-evaluation.json)
 * scored against the police records template's criteria.
 */
export function buildDemoEvaluation(templates: CriteriaTemplate[]): EvaluationFile {
  const template = templates.find((t) => t.id === DEMO_TEMPLATE_ID)
  if (template === undefined) throw new Error(`The demo needs the criteria template ${DEMO_TEMPLATE_ID}.json`)
  const data = JSON.parse(readFileSync(new URL('demo-evaluation.json', import.meta.url), 'utf8')) as Record<string, unknown>
  const parsed = parseEvaluationFile({ ...data, criteria: template.criteria })
  if (!parsed.ok) throw new Error(`The demo evaluation is not valid:\n  ${parsed.errors.join('\n  ')}`)
  return parsed.file
}

/** On first run (no evaluation at all), stores the demo; returns its id, or null when not seeded. */
export async function seedDemoIfEmpty(db: Kysely<Database>, templates: CriteriaTemplate[]): Promise<number | null> {
  const any = await db.selectFrom('evaluation').select('id').limit(1).executeTakeFirst()
  if (any !== undefined) return null
  return importEvaluationFile(db, buildDemoEvaluation(templates), { actor: FIRST_RUN, summary: 'Demo evaluation set up on first run' })
}

export interface IssuedAccount {
  email: string
  name: string
  password: string
  roles: string
}

/**
 * Accounts to try every role on the demo: a lead, finance, an observer, a trial facilitator, a
 * stakeholder (linked to their part in the weighting round), and one account for each panel member
 * (linked, as evaluators). Passwords are random and returned to be printed once.
 */
export async function createDemoAccounts(db: Kysely<Database>, evaluationId: number): Promise<IssuedAccount[]> {
  const issued: IssuedAccount[] = []
  const request = {
    evaluationId,
    actor: FIRST_RUN,
    kind: 'panel' as const,
    summary: 'Demo accounts given their roles and linked to the panel, the weighting round and their declarations',
    reach: { tables: ['panel_role', 'panel_member', 'weighting_participant', 'role_declaration'] as const },
  }
  await recordedChange(db, request, async (trx) => {
    const add = async (email: string, name: string, roles: EvaluationRole[]) => {
      const password = generatePassword()
      const accountId = await insertAccount(trx, { email, name, passwordHash: await hashPassword(password), admin: false })
      for (const role of roles) await grantRole(trx, evaluationId, accountId, role)
      issued.push({ email, name, password, roles: roles.join(', ') })
      // Their declaration of interest, in the demo's file by their address, is theirs.
      await trx.updateTable('role_declaration').set({ account_id: accountId }).where('evaluation_id', '=', evaluationId).where('email', '=', email).execute()
      return accountId
    }
    await add('lead@demo.example', 'Demo lead', ['lead'])
    await add('finance@demo.example', 'Demo finance', ['finance'])
    await add('observer@demo.example', 'Demo observer', ['observer'])
    await add('facilitator@demo.example', 'Demo facilitator', ['facilitator'])
    const stakeholder = await add('stakeholder@demo.example', 'Demo stakeholder', ['stakeholder'])
    // The weighting round's participant of that name, imported as a name alone, is this account's.
    await trx
      .updateTable('weighting_participant')
      .set({ account_id: stakeholder })
      .where('evaluation_id', '=', evaluationId)
      .where('name', '=', 'Demo stakeholder')
      .where('account_id', 'is', null)
      .execute()
    for (const member of await listPanelMembers(trx, evaluationId)) {
      const accountId = await add(`${member.key}@demo.example`, member.name, ['evaluator'])
      await linkPanelMember(trx, member.id, accountId)
    }
  })
  return issued
}
