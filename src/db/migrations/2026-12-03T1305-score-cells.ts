import type { Kysely } from 'kysely'

// Frozen: this migration must never change once released. It imports nothing of the app's.

export async function up(db: Kysely<any>): Promise<void> {
  // The results add up each cell's individual scores (an option on a criterion) in the database:
  // this index holds them in cell order with the score, so the sum is read from the index alone.
  await db.schema.createIndex('individual_score_cell').on('individual_score').columns(['option_id', 'criterion_id', 'score']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('individual_score_cell').execute()
}
