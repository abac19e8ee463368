import { PostgresAdapter, sql, type CreateTableBuilder, type Kysely } from 'kysely'

// Frozen: this migration must never change once released. It imports nothing of the app's.

function postgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter
}

function withId<T extends string>(db: Kysely<any>, table: CreateTableBuilder<T, never>) {
  return postgres(db)
    ? table.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
}

/** Tables that may only grow: the audit log and the finalised reports. */
const APPEND_ONLY = ['audit_entry', 'audit_change', 'finalised_report'] as const

export async function up(db: Kysely<any>): Promise<void> {
  // Sign-off: an evaluation is open or finalised, and counts its versions (a reopening starts the next).
  await db.schema
    .alterTable('evaluation')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .execute()
  await db.schema
    .alterTable('evaluation')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
  await db.schema.alterTable('evaluation').addColumn('finalised_at', 'text').execute()
  await db.schema.alterTable('evaluation').addColumn('finalised_by_account_id', 'integer').execute()
  await db.schema.alterTable('evaluation').addColumn('finalised_by_name', 'text').execute()

  // One entry per change a person made, chained per evaluation: `hash` is SHA-256 over `prev_hash`
  // and a canonical form of the entry and its record changes.
  await withId(db, db.schema.createTable('audit_entry'))
    .addColumn('evaluation_id', 'integer', (c) => c.notNull().references('evaluation.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_account_id', 'integer')
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('option_id', 'integer')
    .addColumn('criterion_id', 'integer')
    .addColumn('evaluation_version', 'integer', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addUniqueConstraint('audit_entry_sequence', ['evaluation_id', 'seq'])
    .execute()

  // Each record the entry changed: its values before and after, as canonical JSON (null: absent).
  await withId(db, db.schema.createTable('audit_change'))
    .addColumn('entry_id', 'integer', (c) => c.notNull().references('audit_entry.id'))
    .addColumn('evaluation_id', 'integer', (c) => c.notNull())
    .addColumn('ordinal', 'integer', (c) => c.notNull())
    .addColumn('record_table', 'text', (c) => c.notNull())
    .addColumn('record_id', 'integer', (c) => c.notNull())
    .addColumn('option_id', 'integer')
    .addColumn('criterion_id', 'integer')
    .addColumn('panel_member_id', 'integer')
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .addUniqueConstraint('audit_change_order', ['entry_id', 'ordinal'])
    .execute()
  await db.schema.createIndex('audit_change_record').on('audit_change').columns(['evaluation_id', 'option_id', 'criterion_id']).execute()

  // The PDF each finalised version was signed off on, byte for byte, with the file it was made from.
  await withId(db, db.schema.createTable('finalised_report'))
    .addColumn('evaluation_id', 'integer', (c) => c.notNull().references('evaluation.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('finalised_at', 'text', (c) => c.notNull())
    .addColumn('finalised_by_name', 'text', (c) => c.notNull())
    .addColumn('file_json', 'text', (c) => c.notNull())
    .addColumn('pdf', postgres(db) ? sql`bytea` : 'blob', (c) => c.notNull())
    .addColumn('pdf_sha256', 'text', (c) => c.notNull())
    .addUniqueConstraint('finalised_report_version', ['evaluation_id', 'version'])
    .execute()

  if (postgres(db)) {
    await sql`
      create function refuse_append_only_change() returns trigger language plpgsql as $$
      begin
        raise exception 'The % table is append-only: % refused', TG_TABLE_NAME, TG_OP;
      end
      $$`.execute(db)
    for (const table of APPEND_ONLY) {
      await sql`create trigger ${sql.raw(`${table}_append_only`)} before update or delete on ${sql.table(table)}
        for each row execute function refuse_append_only_change()`.execute(db)
    }
  } else {
    for (const table of APPEND_ONLY) {
      for (const operation of ['update', 'delete'] as const) {
        await sql`create trigger ${sql.raw(`${table}_no_${operation}`)} before ${sql.raw(operation)} on ${sql.table(table)}
          begin select raise(abort, ${sql.lit(`The ${table} table is append-only: ${operation.toUpperCase()} refused`)}); end`.execute(db)
      }
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [...APPEND_ONLY].reverse()) await db.schema.dropTable(table).execute()
  if (postgres(db)) await sql`drop function refuse_append_only_change()`.execute(db)
  for (const column of ['finalised_by_name', 'finalised_by_account_id', 'finalised_at', 'version', 'status']) {
    await db.schema.alterTable('evaluation').dropColumn(column).execute()
  }
}
