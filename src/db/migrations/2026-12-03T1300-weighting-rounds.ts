import { PostgresAdapter, type CreateTableBuilder, type Kysely } from 'kysely'

// Frozen: this migration must never change once released. It imports nothing of the app's.

function withId<T extends string>(db: Kysely<any>, table: CreateTableBuilder<T, never>) {
  return db.getExecutor().adapter instanceof PostgresAdapter
    ? table.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
}

/**
 * Weighting rounds (the evaluation file's `weighting.rounds`): stakeholders compare sibling criteria
 * in pairs. A round names the group compared (null: the top level) and its criteria as a JSON list of
 * criterion ids in the round's order; each participant's judgements are a JSON list of
 * { a, b, value } with criterion ids. `applied_at` is when the lead applied the group's weights.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('weighting_round'))
    .addColumn('evaluation_id', 'integer', (c) => c.notNull().references('evaluation.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'integer', (c) => c.references('criterion.id').onDelete('cascade'))
    .addColumn('items', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('applied_at', 'text')
    .addUniqueConstraint('weighting_round_key', ['evaluation_id', 'key'])
    .execute()
  await withId(db, db.schema.createTable('weighting_participant'))
    .addColumn('evaluation_id', 'integer', (c) => c.notNull().references('evaluation.id').onDelete('cascade'))
    .addColumn('round_id', 'integer', (c) => c.notNull().references('weighting_round.id').onDelete('cascade'))
    .addColumn('account_id', 'integer', (c) => c.references('account.id').onDelete('set null'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('judgements', 'text', (c) => c.notNull())
    .addUniqueConstraint('weighting_participant_name', ['round_id', 'name'])
    .execute()
  await db.schema.createIndex('weighting_participant_account').on('weighting_participant').columns(['account_id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('weighting_participant').execute()
  await db.schema.dropTable('weighting_round').execute()
}
