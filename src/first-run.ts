import type { Kysely } from 'kysely'
import { generatePassword, hashPassword } from './auth/password.js'
import type { CriteriaTemplate } from './criteria-templates.js'
import { countAccounts, insertAccount } from './db/accounts.js'
import type { Database } from './db/schema.js'
import { createDemoAccounts, seedDemoIfEmpty, type IssuedAccount } from './demo/seed.js'

export interface FirstRun {
  administrator: IssuedAccount | null
  demoEvaluationId: number | null
  demoAccounts: IssuedAccount[]
}

/**
 * On a new database: an administrator with a random password, and the demo evaluation with an
 * account for each of its roles. Nothing happens on later starts.
 */
export async function prepareFirstRun(db: Kysely<Database>, templates: CriteriaTemplate[]): Promise<FirstRun> {
  let administrator: IssuedAccount | null = null
  const demoEvaluationId = await seedDemoIfEmpty(db, templates)
  if ((await countAccounts(db)) === 0) {
    const password = generatePassword()
    await insertAccount(db, { email: 'admin@localhost', name: 'Administrator', passwordHash: await hashPassword(password), admin: true })
    administrator = { email: 'admin@localhost', name: 'Administrator', password, roles: 'site administrator' }
  }
  const demoAccounts = demoEvaluationId === null ? [] : await createDemoAccounts(db, demoEvaluationId)
  return { administrator, demoEvaluationId, demoAccounts }
}

/** The one-time message with the passwords: they are not stored anywhere readable. */
export function describeFirstRun(run: FirstRun): string {
  const lines: string[] = []
  if (run.administrator !== null) {
    lines.push('Created the site administrator. Sign in with these details and change the password:')
    lines.push(`  ${run.administrator.email}  ${run.administrator.password}`)
  }
  if (run.demoEvaluationId !== null) {
    lines.push(`Created the demo evaluation (id ${run.demoEvaluationId}) and an account for each role on it:`)
    for (const a of run.demoAccounts) lines.push(`  ${a.email.padEnd(28)} ${a.password}  (${a.roles})`)
  }
  if (lines.length > 0) lines.push('These passwords are shown only once.')
  return lines.join('\n')
}
