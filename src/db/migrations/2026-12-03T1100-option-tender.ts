import type { Kysely } from 'kysely'

// Frozen: this migration must never change once released. It imports nothing of the app's.

export async function up(db: Kysely<any>): Promise<void> {
  // Whether an option is a supplier's tender (1) or not (0: business as usual, a do-minimum, an
  // in-house fix). Only tenders are ranked. Every option stored so far is a tender except the baseline.
  await db.schema
    .alterTable('option')
    .addColumn('tender', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
  await db.updateTable('option').set({ tender: 0 }).where('baseline', '=', 1).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('option').dropColumn('tender').execute()
}
