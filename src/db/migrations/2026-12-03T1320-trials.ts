import { PostgresAdapter, type CreateTableBuilder, type Kysely } from 'kysely'

// Frozen: this migration must never change once released. It imports nothing of the app's.

function withId<T extends string>(db: Kysely<any>, table: CreateTableBuilder<T, never>) {
  return db.getExecutor().adapter instanceof PostgresAdapter
    ? table.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
}

/**
 * Frontline trials (the evaluation file's `trials`): the roles taking part and the questionnaire's
 * wording (`trial`, one per evaluation), the tasks, and one session per participant trying an
 * option. A session's SUS answers, task outcomes and the wording it used are JSON text. A session's
 * one-time code is kept as its SHA-256 only, with when it expires and when it was used.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('trial'))
    .addColumn('evaluation_id', 'integer', (c) => c.notNull().unique().references('evaluation.id').onDelete('cascade'))
    .addColumn('roles', 'text', (c) => c.notNull())
    .addColumn('statements', 'text')
    .execute()
  await withId(db, db.schema.createTable('trial_task'))
    .addColumn('evaluation_id', 'integer', (c) => c.notNull().references('evaluation.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addUniqueConstraint('trial_task_key', ['evaluation_id', 'key'])
    .execute()
  await withId(db, db.schema.createTable('trial_session'))
    .addColumn('evaluation_id', 'integer', (c) => c.notNull().references('evaluation.id').onDelete('cascade'))
    .addColumn('option_id', 'integer', (c) => c.notNull().references('option.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('sus', 'text')
    .addColumn('outcomes', 'text', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('statements', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.unique())
    .addColumn('code_expires_at', 'text')
    .addColumn('code_used_at', 'text')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('trial_session').execute()
  await db.schema.dropTable('trial_task').execute()
  await db.schema.dropTable('trial').execute()
}
