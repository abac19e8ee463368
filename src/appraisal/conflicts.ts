// Declarations of interest (Procurement Act 2023, ss. 81–83): who must declare, and whether a
// declaration still stands. The one home of the rule that a declaration made before a supplier's name
// was known must be renewed; the app gates each role's work on it (src/auth/access.ts says which).

import type { EvaluationRole } from '../vocabulary.js'

/** The roles whose holders can influence the decision, and so declare: everyone but observers. */
export const DECLARING_ROLES: readonly EvaluationRole[] = ['lead', 'evaluator', 'finance', 'stakeholder', 'facilitator', 'clerk', 'approver']

export function declares(roles: readonly EvaluationRole[]): boolean {
  return roles.some((role) => DECLARING_ROLES.includes(role))
}

/** The suppliers' names an evaluation knows: each option's supplier, once, in the options' order. */
export function suppliersOf(options: readonly { readonly supplier?: string | null | undefined }[]): string[] {
  const names: string[] = []
  for (const option of options) {
    const name = option.supplier?.trim()
    if (name !== undefined && name !== '' && !names.includes(name)) names.push(name)
  }
  return names
}

export type DeclarationStanding =
  /** Never declared. */
  | { readonly state: 'missing' }
  /** Declared before these suppliers were known: to be renewed before the work it gates. */
  | { readonly state: 'renew'; readonly newSuppliers: readonly string[] }
  | { readonly state: 'current' }

/**
 * Whether a declaration stands against the suppliers known now. `suppliersKnown` is the list known
 * when it was made; a declaration recorded before that list was kept (null or absent) is taken as
 * current, since the record does not say otherwise.
 */
export function declarationStanding(
  declaration: { readonly suppliersKnown?: readonly string[] | null | undefined } | null | undefined,
  suppliers: readonly string[],
): DeclarationStanding {
  if (declaration === null || declaration === undefined) return { state: 'missing' }
  const known = declaration.suppliersKnown
  if (known === null || known === undefined) return { state: 'current' }
  const newSuppliers = suppliers.filter((name) => !known.includes(name))
  return newSuppliers.length === 0 ? { state: 'current' } : { state: 'renew', newSuppliers }
}
