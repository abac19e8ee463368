import type { Kysely } from 'kysely'

// Frozen: this migration must never change once released. It imports nothing of the app's.

/**
 * Cost and benefit lines say whether they are cash, and cost lines whether they are part of the
 * tendered price (the evaluation file's `cash` and `price`). Every line stored before is what the
 * file's defaults make it: cash, and for a cost line part of the price; a benefit is never part of
 * the price. The app records the new values in each evaluation's audit log as this runs.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('money_line')
    .addColumn('cash', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
  await db.schema
    .alterTable('money_line')
    .addColumn('price', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.updateTable('money_line').set({ price: 1 }).where('kind', '=', 'cost').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('money_line').dropColumn('price').execute()
  await db.schema.alterTable('money_line').dropColumn('cash').execute()
}
