import { PostgresAdapter, sql, type Kysely } from 'kysely'

// Frozen: this migration must never change once released. It imports nothing of the app's.

/**
 * An individual score may be a draft (the evaluation file's `draft: true`): an answer kept as it is
 * typed, incomplete or with a short rationale, counted nowhere. A draft may have no score chosen yet,
 * so `score` may be null (only ever for a draft). Every score stored before is complete. SQLite
 * cannot drop NOT NULL, so there the table is made again with the same rows, ids, constraint and indexes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`alter table individual_score alter column score drop not null`.execute(db)
    await db.schema
      .alterTable('individual_score')
      .addColumn('draft', 'integer', (c) => c.notNull().defaultTo(0))
      .execute()
    return
  }
  await db.schema
    .createTable('individual_score_next')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('evaluation_id', 'integer', (c) => c.notNull().references('evaluation.id').onDelete('cascade'))
    .addColumn('panel_member_id', 'integer', (c) => c.notNull().references('panel_member.id').onDelete('cascade'))
    .addColumn('option_id', 'integer', (c) => c.notNull().references('option.id').onDelete('cascade'))
    .addColumn('criterion_id', 'integer', (c) => c.notNull().references('criterion.id').onDelete('cascade'))
    .addColumn('score', 'double precision')
    .addColumn('rationale', 'text')
    .addColumn('evidence', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('draft', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('individual_score_unique_next', ['panel_member_id', 'option_id', 'criterion_id'])
    .execute()
  await sql`insert into individual_score_next (id, evaluation_id, panel_member_id, option_id, criterion_id, score, rationale, evidence, position, updated_at, version, draft)
    select id, evaluation_id, panel_member_id, option_id, criterion_id, score, rationale, evidence, position, updated_at, version, 0 from individual_score`.execute(
    db,
  )
  await db.schema.dropTable('individual_score').execute()
  await sql`alter table individual_score_next rename to individual_score`.execute(db)
  await db.schema.createIndex('individual_score_evaluation').on('individual_score').columns(['evaluation_id']).execute()
  await db.schema.createIndex('individual_score_cell').on('individual_score').columns(['option_id', 'criterion_id', 'score']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('individual_score').where('draft', '=', 1).execute()
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await db.schema.alterTable('individual_score').dropColumn('draft').execute()
    await sql`alter table individual_score alter column score set not null`.execute(db)
    return
  }
  await db.schema.alterTable('individual_score').dropColumn('draft').execute()
}
