import type { Kysely } from 'kysely'
import { findAccount, findAccountByEmail, grantRole, listPanelRoles, revokeRole } from './accounts.js'
import { recordedChange, type Actor, type Change, type Refusal } from './audit.js'
import type { Db } from './connection.js'
import type { Database, EvaluationRole, PanelMember } from './schema.js'
import { replaceAssignments } from './scoring.js'
import { refusedPastLimits, requireWithinLimits } from './size-limits.js'

/** The panel member an account is on an evaluation, if any. */
export function memberOfAccount(db: Db, evaluationId: number, accountId: number): Promise<PanelMember | undefined> {
  return db.selectFrom('panel_member').selectAll().where('evaluation_id', '=', evaluationId).where('account_id', '=', accountId).executeTakeFirst()
}

export async function listPanelMembers(db: Db, evaluationId: number): Promise<PanelMember[]> {
  return db.selectFrom('panel_member').selectAll().where('evaluation_id', '=', evaluationId).orderBy('position').orderBy('id').execute()
}

export async function linkPanelMember(db: Change, panelMemberId: number, accountId: number | null): Promise<void> {
  await db.updateTable('panel_member').set({ account_id: accountId }).where('id', '=', panelMemberId).execute()
}

// ---------------------------------------------------------------------------------------------
// Changes to who is on an evaluation's panel, each one recorded change with its own reach

/** Who may see an evaluation is not part of its record: roles can change after sign-off. */
const ROLES = { tables: ['panel_role'] } as const

const NO_ACCOUNT = 'There is no account with this email address: ask a site administrator to create one'

/** Gives the account with this email address a role on the evaluation. */
export async function giveRole(
  db: Kysely<Database>,
  actor: Actor,
  evaluationId: number,
  email: string,
  role: EvaluationRole,
): Promise<Refusal<'email'> | null> {
  const account = await findAccountByEmail(db, email)
  if (account === undefined || account.disabled === 1) {
    return { field: 'email', message: NO_ACCOUNT }
  }
  const summary = `${account.name} (${account.email}) given the ${role} role`
  return refusedPastLimits('email', () =>
    recordedChange(db, { evaluationId, actor, kind: 'panel', summary, reach: ROLES, whileFinalised: true }, async (trx) => {
      await grantRole(trx, evaluationId, account.id, role)
      await requireWithinLimits(trx, evaluationId)
    }),
  )
}

/** Takes a role from an account; an evaluation keeps at least one lead. */
export async function takeRole(
  db: Kysely<Database>,
  actor: Actor,
  evaluationId: number,
  accountId: number,
  role: EvaluationRole,
): Promise<Refusal<'form'> | null> {
  if (role === 'lead') {
    const leads = (await listPanelRoles(db, evaluationId)).filter((r) => r.role === 'lead')
    if (leads.length === 1 && leads[0]!.accountId === accountId) {
      return { field: 'form', message: 'An evaluation needs a lead: give someone else the lead role first' }
    }
  }
  const account = await findAccount(db, accountId)
  const summary = `${account?.name ?? `Account ${accountId}`} no longer has the ${role} role`
  await recordedChange(db, { evaluationId, actor, kind: 'panel', summary, reach: ROLES, whileFinalised: true }, (trx) =>
    revokeRole(trx, evaluationId, accountId, role),
  )
  return null
}

/** The criteria (and groups) a member scores; ids not of the evaluation's criteria are left out, and none means all. */
export async function assignCriteria(db: Kysely<Database>, actor: Actor, member: PanelMember, criterionIds: readonly number[]): Promise<void> {
  const criteria = await db.selectFrom('criterion').select('id').where('evaluation_id', '=', member.evaluation_id).execute()
  const known = new Set(criteria.map((x) => x.id))
  const chosen = criterionIds.filter((id) => known.has(id))
  const summary = `Criteria assigned to ${member.name}: ${chosen.length === 0 ? 'all (none chosen)' : `${chosen.length} chosen`}`
  const request = { evaluationId: member.evaluation_id, actor, kind: 'panel', summary, reach: { tables: ['panel_assignment'], memberId: member.id } } as const
  await recordedChange(db, request, (trx) => replaceAssignments(trx, member.id, chosen))
}

/** Links a panel member to the account with this exact email (null: unlinks them). A linked member scores, so gets the evaluator role. */
export async function linkMemberToAccount(db: Kysely<Database>, actor: Actor, member: PanelMember, email: string | null): Promise<Refusal<'email'> | null> {
  const account = email === null ? null : await findAccountByEmail(db, email)
  if (account === undefined || account?.disabled === 1) return { field: 'email', message: NO_ACCOUNT }
  const accountId = account?.id ?? null
  const summary = accountId === null ? `${member.name} unlinked from their account` : `${member.name} linked to an account, as an evaluator`
  const request = {
    evaluationId: member.evaluation_id,
    actor,
    kind: 'panel',
    summary,
    reach: { tables: ['panel_member', 'panel_role'], memberId: member.id },
  } as const
  await recordedChange(db, request, async (trx) => {
    await linkPanelMember(trx, member.id, accountId)
    if (accountId !== null) await grantRole(trx, member.evaluation_id, accountId, 'evaluator')
  })
  return null
}
