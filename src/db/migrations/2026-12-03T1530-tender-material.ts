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

/**
 * Tender material (issue 20): each option's documents, as uploaded, and the supplier's response to
 * each criterion. A document's record (name, type, size, SHA-256, commercial or not) is audited; its
 * bytes are kept apart, in `tender_document_content`, which the log leaves out (it records the hash),
 * so that a 20 MB PDF is not copied into the log. A document imported from an evaluation file has a
 * record and no bytes: the file carries references, not documents.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('tender_document'))
    .addColumn('evaluation_id', 'integer', (c) => c.notNull().references('evaluation.id').onDelete('cascade'))
    .addColumn('option_id', 'integer', (c) => c.notNull().references('option.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('commercial', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('uploaded_at', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .addUniqueConstraint('tender_document_key', ['evaluation_id', 'key'])
    .execute()
  await db.schema.createIndex('tender_document_option').on('tender_document').column('option_id').execute()

  await db.schema
    .createTable('tender_document_content')
    .addColumn('document_id', 'integer', (c) => c.primaryKey().references('tender_document.id').onDelete('cascade'))
    .addColumn('bytes', postgres(db) ? sql`bytea` : 'blob', (c) => c.notNull())
    .execute()

  await withId(db, db.schema.createTable('tender_response'))
    .addColumn('evaluation_id', 'integer', (c) => c.notNull().references('evaluation.id').onDelete('cascade'))
    .addColumn('option_id', 'integer', (c) => c.notNull().references('option.id').onDelete('cascade'))
    .addColumn('criterion_id', 'integer', (c) => c.notNull().references('criterion.id').onDelete('cascade'))
    .addColumn('text', 'text')
    // No foreign key: removing a document clears its references itself, inside the recorded change.
    .addColumn('document_id', 'integer')
    .addColumn('page', 'integer')
    .addColumn('commercial', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('tender_response_cell', ['option_id', 'criterion_id'])
    .execute()
  await db.schema.createIndex('tender_response_evaluation').on('tender_response').column('evaluation_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('tender_response').execute()
  await db.schema.dropTable('tender_document_content').execute()
  await db.schema.dropTable('tender_document').execute()
}
