import type { Kysely } from 'kysely'

// Frozen: this migration must never change once released. It imports nothing of the app's.

/**
 * An evaluation keeps the basis of its evaluated price (the file's `priceBasis`) and its award record
 * (the file's `award`): the award decision date, the standstill period, who was notified when (a JSON
 * list of { option (the option row's id), date, to, method }) and whether the open data may carry every tender's figures.
 * Every evaluation stored before has none of them. The app records the new columns in each
 * evaluation's audit log as this runs.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const column of ['price_basis', 'award_decision_date', 'standstill_start', 'standstill_end', 'award_notifications']) {
    await db.schema.alterTable('evaluation').addColumn(column, 'text').execute()
  }
  await db.schema
    .alterTable('evaluation')
    .addColumn('award_publish_all', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['award_publish_all', 'award_notifications', 'standstill_end', 'standstill_start', 'award_decision_date', 'price_basis']) {
    await db.schema.alterTable('evaluation').dropColumn(column).execute()
  }
}
