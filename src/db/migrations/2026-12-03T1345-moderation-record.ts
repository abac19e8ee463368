import { PostgresAdapter, type CreateTableBuilder, type Kysely } from 'kysely'

// Frozen: this migration must never change once released. It imports nothing of the app's.

function withId<T extends string>(db: Kysely<any>, table: CreateTableBuilder<T, never>) {
  return db.getExecutor().adapter instanceof PostgresAdapter
    ? table.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
}

/**
 * The record moderation keeps: the lead excusing a panel member from an option (with the reason),
 * the moderation meetings (date, chair, attendees, what was discussed), the meeting each consensus
 * was agreed in, and each member's confirmation of (or dissent from) an option's consensus. Every
 * consensus stored before has no meeting.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('score_excuse'))
    .addColumn('panel_member_id', 'integer', (c) => c.notNull().references('panel_member.id').onDelete('cascade'))
    .addColumn('option_id', 'integer', (c) => c.notNull().references('option.id').onDelete('cascade'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('excused_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('score_excuse_unique', ['panel_member_id', 'option_id'])
    .execute()

  // Attendees, options and criteria discussed are lists of the evaluation's own ids, as JSON.
  await withId(db, db.schema.createTable('moderation_meeting'))
    .addColumn('evaluation_id', 'integer', (c) => c.notNull().references('evaluation.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('held_on', 'text', (c) => c.notNull())
    .addColumn('chair', 'text', (c) => c.notNull())
    .addColumn('attendees', 'text', (c) => c.notNull())
    .addColumn('options', 'text', (c) => c.notNull())
    .addColumn('criteria', 'text', (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .addUniqueConstraint('moderation_meeting_key', ['evaluation_id', 'key'])
    .execute()
  await db.schema.createIndex('moderation_meeting_evaluation').on('moderation_meeting').column('evaluation_id').execute()

  await withId(db, db.schema.createTable('consensus_confirmation'))
    .addColumn('panel_member_id', 'integer', (c) => c.notNull().references('panel_member.id').onDelete('cascade'))
    .addColumn('option_id', 'integer', (c) => c.notNull().references('option.id').onDelete('cascade'))
    .addColumn('dissent', 'text')
    .addColumn('confirmed_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('consensus_confirmation_unique', ['panel_member_id', 'option_id'])
    .execute()

  // No foreign key: SQLite cannot drop a column that has one, and a meeting is never deleted.
  await db.schema.alterTable('consensus_score').addColumn('meeting_id', 'integer').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('consensus_score').dropColumn('meeting_id').execute()
  for (const table of ['consensus_confirmation', 'moderation_meeting', 'score_excuse']) await db.schema.dropTable(table).execute()
}
