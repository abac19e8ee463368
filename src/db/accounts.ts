import type { Change } from './audit.js'
import type { Db } from './connection.js'
import { now } from './connection.js'
import type { Account, Evaluation, EvaluationRole } from './schema.js'

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase()
}

export async function findAccountByEmail(db: Db, email: string): Promise<Account | undefined> {
  return db.selectFrom('account').selectAll().where('email', '=', normaliseEmail(email)).executeTakeFirst()
}

export async function findAccount(db: Db, id: number): Promise<Account | undefined> {
  return db.selectFrom('account').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function listAccounts(db: Db): Promise<Account[]> {
  return db.selectFrom('account').selectAll().orderBy('name').orderBy('id').execute()
}

/** The names and emails of these accounts, by id: those linked to a panel's members, say. */
export async function accountsById(db: Db, ids: number[]): Promise<Map<number, { name: string; email: string }>> {
  if (ids.length === 0) return new Map()
  const rows = await db.selectFrom('account').select(['id', 'name', 'email']).where('id', 'in', ids).execute()
  return new Map(rows.map((r) => [r.id, { name: r.name, email: r.email }]))
}

export async function countAccounts(db: Db): Promise<number> {
  const row = await db
    .selectFrom('account')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function insertAccount(db: Db, account: { email: string; name: string; passwordHash: string; admin: boolean }): Promise<number> {
  const row = await db
    .insertInto('account')
    .values({
      email: normaliseEmail(account.email),
      name: account.name,
      password_hash: account.passwordHash,
      admin: account.admin ? 1 : 0,
      disabled: 0,
      created_at: now(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function updatePasswordHash(db: Db, accountId: number, passwordHash: string): Promise<void> {
  await db.updateTable('account').set({ password_hash: passwordHash }).where('id', '=', accountId).execute()
}

export async function setAccountFlags(db: Db, accountId: number, flags: { admin?: boolean; disabled?: boolean }): Promise<void> {
  await db
    .updateTable('account')
    .set({
      ...(flags.admin !== undefined ? { admin: flags.admin ? 1 : 0 } : {}),
      ...(flags.disabled !== undefined ? { disabled: flags.disabled ? 1 : 0 } : {}),
    })
    .where('id', '=', accountId)
    .execute()
}

/** The roles an account holds on one evaluation. */
export async function rolesOn(db: Db, accountId: number, evaluationId: number): Promise<EvaluationRole[]> {
  const rows = await db.selectFrom('panel_role').select('role').where('account_id', '=', accountId).where('evaluation_id', '=', evaluationId).execute()
  return rows.map((r) => r.role)
}

/**
 * An evaluation and the roles an account holds on it, in one query (the guard asks both of every
 * request to an evaluation's pages): undefined when there is no such evaluation.
 */
export async function evaluationWithRoles(
  db: Db,
  evaluationId: number,
  accountId: number,
): Promise<{ evaluation: Evaluation; roles: EvaluationRole[] } | undefined> {
  const rows = await db
    .selectFrom('evaluation')
    .leftJoin('panel_role', (join) => join.onRef('panel_role.evaluation_id', '=', 'evaluation.id').on('panel_role.account_id', '=', accountId))
    .selectAll('evaluation')
    .select('panel_role.role as held_role')
    .where('evaluation.id', '=', evaluationId)
    .orderBy('panel_role.id')
    .execute()
  if (rows.length === 0) return undefined
  const { held_role, ...evaluation } = rows[0]!
  void held_role
  return { evaluation, roles: rows.flatMap((row) => (row.held_role === null ? [] : [row.held_role])) }
}

/** Granting a role already held changes nothing, even when two requests grant it at once. */
export async function grantRole(db: Change, evaluationId: number, accountId: number, role: EvaluationRole): Promise<void> {
  await db
    .insertInto('panel_role')
    .values({ evaluation_id: evaluationId, account_id: accountId, role })
    .onConflict((oc) => oc.columns(['evaluation_id', 'account_id', 'role']).doNothing())
    .execute()
}

export async function revokeRole(db: Change, evaluationId: number, accountId: number, role: EvaluationRole): Promise<void> {
  await db.deleteFrom('panel_role').where('evaluation_id', '=', evaluationId).where('account_id', '=', accountId).where('role', '=', role).execute()
}

export interface PanelRoleRow {
  accountId: number
  name: string
  email: string
  role: EvaluationRole
}

export async function listPanelRoles(db: Db, evaluationId: number): Promise<PanelRoleRow[]> {
  const rows = await db
    .selectFrom('panel_role')
    .innerJoin('account', 'account.id', 'panel_role.account_id')
    .select(['account.id as accountId', 'account.name as name', 'account.email as email', 'panel_role.role as role'])
    .where('panel_role.evaluation_id', '=', evaluationId)
    .orderBy('account.name')
    .orderBy('panel_role.role')
    .execute()
  return rows
}
