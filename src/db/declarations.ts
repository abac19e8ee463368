import type { Kysely } from 'kysely'
import { declarationStanding, declares, suppliersOf, type DeclarationStanding, type RoleDeclarationEntry } from '../appraisal/index.js'
import { possessive } from '../format.js'
import { recordedChange, type Actor, type Refusal } from './audit.js'
import type { Db } from './connection.js'
import { makeKey, now } from './connection.js'
import type { Account, Database, EvaluationRole, PanelMember, RoleDeclaration } from './schema.js'

/**
 * Declarations of interest by those on an evaluation who do not score it (the lead, finance,
 * stakeholders, facilitators, approvers), and the lead's assessment of each declared interest. A
 * panel member's own declaration stays on their panel record (src/db/scoring.ts); whether either
 * stands against the suppliers known now is src/appraisal/conflicts.ts's rule.
 */

/** The suppliers' names the evaluation's options carry now. */
export async function suppliersNow(db: Db, evaluationId: number): Promise<string[]> {
  const options = await db.selectFrom('option').select('supplier').where('evaluation_id', '=', evaluationId).orderBy('position').orderBy('id').execute()
  return suppliersOf(options)
}

export function suppliersKnownOf(row: { suppliers_known: string | null }): string[] | null {
  return row.suppliers_known === null ? null : (JSON.parse(row.suppliers_known) as string[])
}

export async function listRoleDeclarations(db: Db, evaluationId: number): Promise<RoleDeclaration[]> {
  return db.selectFrom('role_declaration').selectAll().where('evaluation_id', '=', evaluationId).orderBy('position').orderBy('id').execute()
}

export async function roleDeclarationOf(db: Db, evaluationId: number, accountId: number): Promise<RoleDeclaration | undefined> {
  return db.selectFrom('role_declaration').selectAll().where('evaluation_id', '=', evaluationId).where('account_id', '=', accountId).executeTakeFirst()
}

/**
 * Where someone's declaration stands, for the work their roles give them: null when none of their
 * roles declares (an observer) or the plan is not approved yet (declarations open with it).
 */
export async function standingFor(
  db: Db,
  evaluation: { id: number; plan_version: number },
  accountId: number,
  roles: readonly EvaluationRole[],
): Promise<DeclarationStanding | null> {
  if (evaluation.plan_version === 0 || !declares(roles)) return null
  const [row, suppliers] = await Promise.all([roleDeclarationOf(db, evaluation.id, accountId), suppliersNow(db, evaluation.id)])
  return declarationStanding(row === undefined ? null : { suppliersKnown: suppliersKnownOf(row) }, suppliers)
}

/** A panel member's declaration against the suppliers known now. */
export function memberStanding(member: Pick<PanelMember, 'declared_interest' | 'suppliers_known'>, suppliers: readonly string[]): DeclarationStanding {
  return declarationStanding(member.declared_interest === null ? null : { suppliersKnown: suppliersKnownOf(member) }, suppliers)
}

export interface DeclarationInput {
  interest: boolean
  supplier: string | null
  details: string | null
}

/**
 * Declares an interest, or none, or renews a declaration now that more suppliers are known. Renewing
 * with "no interest" after an interest was declared keeps that interest and its assessment: it says
 * there is no further one.
 */
export async function declareForRoles(
  db: Kysely<Database>,
  actor: Actor,
  evaluationId: number,
  account: Pick<Account, 'id' | 'name' | 'email'>,
  roles: readonly EvaluationRole[],
  declaration: DeclarationInput,
): Promise<Refusal<'supplier'> | null> {
  if (declaration.interest && declaration.supplier === null) return { field: 'supplier', message: 'Name the supplier your interest is in' }
  const suppliers = await suppliersNow(db, evaluationId)
  const existing = await roleDeclarationOf(db, evaluationId, account.id)
  const keepsInterest = existing !== undefined && existing.interest === 1 && !declaration.interest
  const summary = `${account.name} ${existing === undefined ? 'declared' : 'renewed their declaration:'} ${declaration.interest ? `an interest in ${declaration.supplier}` : keepsInterest ? 'no further interest' : 'no interest'}`
  const request = { evaluationId, actor, kind: 'declaration', summary, reach: { tables: ['role_declaration'] } } as const
  await recordedChange(db, request, async (trx) => {
    const facts = {
      roles: JSON.stringify(roles),
      suppliers_known: JSON.stringify(suppliers),
      declared_at: now(),
      ...(keepsInterest
        ? {}
        : {
            interest: declaration.interest ? 1 : 0,
            supplier: declaration.supplier,
            details: declaration.details,
            assessment: null,
            mitigation: null,
            assessed_at: null,
          }),
    }
    if (existing !== undefined) {
      await trx.updateTable('role_declaration').set(facts).where('id', '=', existing.id).execute()
      return
    }
    const others = await trx.selectFrom('role_declaration').select(['key', 'position']).where('evaluation_id', '=', evaluationId).execute()
    await trx
      .insertInto('role_declaration')
      .values({
        evaluation_id: evaluationId,
        key: makeKey(
          account.name,
          others.map((o) => o.key),
        ),
        account_id: account.id,
        name: account.name,
        email: account.email,
        position: others.reduce((max, o) => Math.max(max, o.position), -1) + 1,
        interest: declaration.interest ? 1 : 0,
        supplier: declaration.supplier,
        details: declaration.details,
        ...facts,
      })
      .execute()
  })
  return null
}

/** The lead's assessment of a declared interest and its mitigation, dated; both are needed. */
export async function assessDeclaration(
  db: Kysely<Database>,
  actor: Actor,
  declaration: RoleDeclaration,
  assessment: { assessment: string | null; mitigation: string | null },
): Promise<Refusal<'assessment' | 'mitigation'> | null> {
  if (declaration.interest !== 1) return { field: 'assessment', message: 'Only a declared interest is assessed' }
  if (assessment.assessment === null) return { field: 'assessment', message: 'Give your assessment: whether the interest is a conflict, and why' }
  if (assessment.mitigation === null) return { field: 'mitigation', message: 'Say what is done about it, or why nothing need be' }
  const summary = `Assessment of ${possessive(declaration.name)} declared interest in ${declaration.supplier ?? 'a supplier'}`
  const request = { evaluationId: declaration.evaluation_id, actor, kind: 'declaration', summary, reach: { tables: ['role_declaration'] } } as const
  await recordedChange(db, request, (trx) =>
    trx
      .updateTable('role_declaration')
      .set({ assessment: assessment.assessment, mitigation: assessment.mitigation, assessed_at: now() })
      .where('id', '=', declaration.id)
      .execute(),
  )
  return null
}

/**
 * The approvers sign-off waits for: each approver on the evaluation without a current declaration, by
 * name. (The lead who finalises is held to their own declaration by the access table's DECLARED_WORK.)
 */
export async function approversUndeclared(db: Db, evaluation: { id: number; plan_version: number }): Promise<string[]> {
  const approvers = await db
    .selectFrom('panel_role')
    .innerJoin('account', 'account.id', 'panel_role.account_id')
    .select(['account.id', 'account.name'])
    .where('panel_role.evaluation_id', '=', evaluation.id)
    .where('panel_role.role', '=', 'approver')
    .orderBy('account.name')
    .execute()
  const waiting: string[] = []
  for (const approver of approvers) {
    const standing = await standingFor(db, evaluation, approver.id, ['approver'])
    if (standing !== null && standing.state !== 'current') waiting.push(approver.name)
  }
  return waiting
}

// ---------------------------------------------------------------------------------------------
// The evaluation file

export function roleDeclarationInFile(row: RoleDeclaration): RoleDeclarationEntry {
  const entry: RoleDeclarationEntry = {
    id: row.key,
    name: row.name,
    roles: JSON.parse(row.roles) as RoleDeclarationEntry['roles'],
    interest: row.interest === 1,
  }
  if (row.email !== null) entry.email = row.email
  if (row.supplier !== null) entry.supplier = row.supplier
  if (row.details !== null) entry.details = row.details
  entry.declaredAt = row.declared_at
  const known = suppliersKnownOf(row)
  if (known !== null) entry.suppliersKnown = known
  if (row.assessment !== null) entry.assessment = row.assessment
  if (row.mitigation !== null) entry.mitigation = row.mitigation
  if (row.assessed_at !== null) entry.assessedAt = row.assessed_at
  return entry
}

export function roleDeclarationRecord(entry: RoleDeclarationEntry, stamp: string) {
  return {
    key: entry.id,
    name: entry.name,
    email: entry.email ?? null,
    roles: JSON.stringify(entry.roles),
    interest: entry.interest ? 1 : 0,
    supplier: entry.supplier ?? null,
    details: entry.details ?? null,
    suppliers_known: entry.suppliersKnown === undefined ? null : JSON.stringify(entry.suppliersKnown),
    declared_at: entry.declaredAt ?? stamp,
    assessment: entry.assessment ?? null,
    mitigation: entry.mitigation ?? null,
    assessed_at: entry.assessedAt ?? null,
  }
}
