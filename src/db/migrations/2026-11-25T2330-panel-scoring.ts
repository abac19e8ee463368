import { PostgresAdapter, type CreateTableBuilder, type Kysely } from 'kysely'

// Frozen: this migration must never change once released. It imports nothing of the app's.

function withId<T extends string>(db: Kysely<any>, table: CreateTableBuilder<T, never>) {
  return db.getExecutor().adapter instanceof PostgresAdapter
    ? table.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('evaluation')
    .addColumn('min_rationale', 'integer', (c) => c.notNull().defaultTo(50))
    .execute()
  await db.schema
    .alterTable('evaluation')
    .addColumn('tolerance', 'double precision', (c) => c.notNull().defaultTo(1))
    .execute()

  // A declaration of interest: null `declared_interest` means not declared yet.
  for (const [name, type] of [
    ['declared_interest', 'integer'],
    ['declaration_details', 'text'],
    ['declared_at', 'text'],
    ['decision', 'text'],
    ['decision_note', 'text'],
    ['decided_at', 'text'],
  ] as const) {
    await db.schema.alterTable('panel_member').addColumn(name, type).execute()
  }

  await withId(db, db.schema.createTable('panel_member_option'))
    .addColumn('panel_member_id', 'integer', (c) => c.notNull().references('panel_member.id').onDelete('cascade'))
    .addColumn('option_id', 'integer', (c) => c.notNull().references('option.id').onDelete('cascade'))
    .addUniqueConstraint('panel_member_option_unique', ['panel_member_id', 'option_id'])
    .execute()

  await withId(db, db.schema.createTable('panel_assignment'))
    .addColumn('panel_member_id', 'integer', (c) => c.notNull().references('panel_member.id').onDelete('cascade'))
    .addColumn('criterion_id', 'integer', (c) => c.notNull().references('criterion.id').onDelete('cascade'))
    .addUniqueConstraint('panel_assignment_unique', ['panel_member_id', 'criterion_id'])
    .execute()

  await withId(db, db.schema.createTable('score_submission'))
    .addColumn('panel_member_id', 'integer', (c) => c.notNull().references('panel_member.id').onDelete('cascade'))
    .addColumn('option_id', 'integer', (c) => c.notNull().references('option.id').onDelete('cascade'))
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('score_submission_unique', ['panel_member_id', 'option_id'])
    .execute()

  await db.schema
    .alterTable('individual_score')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
  await db.schema
    .alterTable('consensus_score')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
  await db.schema
    .alterTable('consensus_score')
    .addColumn('accepted_within_tolerance', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('consensus_score').dropColumn('accepted_within_tolerance').execute()
  await db.schema.alterTable('consensus_score').dropColumn('version').execute()
  await db.schema.alterTable('individual_score').dropColumn('version').execute()
  for (const table of ['score_submission', 'panel_assignment', 'panel_member_option']) await db.schema.dropTable(table).execute()
  for (const column of ['decided_at', 'decision_note', 'decision', 'declared_at', 'declaration_details', 'declared_interest']) {
    await db.schema.alterTable('panel_member').dropColumn(column).execute()
  }
  await db.schema.alterTable('evaluation').dropColumn('tolerance').execute()
  await db.schema.alterTable('evaluation').dropColumn('min_rationale').execute()
}
