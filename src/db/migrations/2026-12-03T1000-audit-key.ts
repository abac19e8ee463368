import type { Kysely } from 'kysely'

// Frozen: this migration must never change once released. It imports nothing of the app's.

export async function up(db: Kysely<any>): Promise<void> {
  // The key that seals the audit log is kept outside the database; the database keeps only its
  // fingerprint (a keyed hash of a fixed label), so an instance with another key refuses to start.
  // `legacy` lists, per evaluation, the last entry hashed before the key existed (plain SHA-256),
  // and `seal` is a keyed hash of that list: the boundary cannot be moved without the key.
  await db.schema
    .createTable('audit_key')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('legacy', 'text', (c) => c.notNull())
    .addColumn('seal', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_key').execute()
}
