import { PostgresAdapter, type CreateTableBuilder, type Kysely } from 'kysely'

// Frozen: this migration must never change once released. It imports nothing of the app's.

function withId<T extends string>(db: Kysely<any>, table: CreateTableBuilder<T, never>) {
  return db.getExecutor().adapter instanceof PostgresAdapter
    ? table.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
}

/**
 * The evaluation plan (issue 19): each approved version of an evaluation's plan, the first its
 * approval and each later one a change with its reason; the plan's tie-breaker; and the lead's
 * decision applying it. The app approves, as the upgrade, the plans of evaluations that already
 * hold scores, and records that in their logs.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('plan_version'))
    .addColumn('evaluation_id', 'integer', (c) => c.notNull().references('evaluation.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('approved_at', 'text', (c) => c.notNull())
    .addColumn('approved_by_account_id', 'integer')
    .addColumn('approved_by_name', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('criteria', 'text')
    .addUniqueConstraint('plan_version_unique', ['evaluation_id', 'version'])
    .execute()
  // The plan's version in force: 0 while it is a draft.
  await db.schema
    .alterTable('evaluation')
    .addColumn('plan_version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema.alterTable('evaluation').addColumn('tie_breaker', 'text').execute()
  await db.schema.alterTable('evaluation').addColumn('tie_decision', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('evaluation').dropColumn('tie_decision').execute()
  await db.schema.alterTable('evaluation').dropColumn('tie_breaker').execute()
  await db.schema.alterTable('evaluation').dropColumn('plan_version').execute()
  await db.schema.dropTable('plan_version').execute()
}
