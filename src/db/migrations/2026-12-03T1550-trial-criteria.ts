import type { Kysely } from 'kysely'

// Frozen: this migration must never change once released. It imports nothing of the app's.

/**
 * A frontline trial gains the criteria its figures sit beside (JSON: a list of the evaluation's
 * criterion ids; null for none) and how many hours a participant's one-time code lasts (null for
 * the app's default). Every trial before this was linked to no criterion and used the default.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('trial').addColumn('criteria', 'text').execute()
  await db.schema.alterTable('trial').addColumn('code_hours', 'integer').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('trial').dropColumn('code_hours').execute()
  await db.schema.alterTable('trial').dropColumn('criteria').execute()
}
