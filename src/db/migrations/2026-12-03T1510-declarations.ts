import { PostgresAdapter, type CreateTableBuilder, type Kysely } from 'kysely'

// Frozen: this migration must never change once released. It imports nothing of the app's.

function withId<T extends string>(db: Kysely<any>, table: CreateTableBuilder<T, never>) {
  return db.getExecutor().adapter instanceof PostgresAdapter
    ? table.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
}

/**
 * Declarations of interest from everyone who can influence the decision, not only the panel: the
 * lead, finance, stakeholders, facilitators and approvers each declare (one record a person, renewed
 * in place; the log keeps every version), naming the supplier of any interest, with the suppliers
 * known when they declared (JSON list of names) and the lead's assessment and mitigation. A panel
 * member's declaration gains the same two facts: the supplier named, and the suppliers known then.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('role_declaration'))
    .addColumn('evaluation_id', 'integer', (c) => c.notNull().references('evaluation.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    // No foreign key: a declaration imported from a file has no account, and one stays in the record if its account goes.
    .addColumn('account_id', 'integer')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('roles', 'text', (c) => c.notNull())
    .addColumn('interest', 'integer', (c) => c.notNull())
    .addColumn('supplier', 'text')
    .addColumn('details', 'text')
    .addColumn('suppliers_known', 'text')
    .addColumn('declared_at', 'text', (c) => c.notNull())
    .addColumn('assessment', 'text')
    .addColumn('mitigation', 'text')
    .addColumn('assessed_at', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .addUniqueConstraint('role_declaration_key', ['evaluation_id', 'key'])
    .execute()
  await db.schema.createIndex('role_declaration_evaluation').on('role_declaration').column('evaluation_id').execute()
  await db.schema.alterTable('panel_member').addColumn('interest_supplier', 'text').execute()
  await db.schema.alterTable('panel_member').addColumn('suppliers_known', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('panel_member').dropColumn('suppliers_known').execute()
  await db.schema.alterTable('panel_member').dropColumn('interest_supplier').execute()
  await db.schema.dropTable('role_declaration').execute()
}
