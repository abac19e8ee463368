import type { Kysely } from 'kysely'

// Frozen: this migration must never change once released. It imports nothing of the app's.

/**
 * An individual score's evidence can point at a tender document and a page in it (issue 20): the
 * document's record (tender_document.id, with no foreign key: a document cited by a score is not
 * removed, src/db/tender.ts) and the page, beside the free-text evidence, which stays. A draft keeps
 * them as typed. No score stored before points at a document.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('individual_score').addColumn('evidence_document_id', 'integer').execute()
  await db.schema.alterTable('individual_score').addColumn('evidence_page', 'integer').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('individual_score').dropColumn('evidence_page').execute()
  await db.schema.alterTable('individual_score').dropColumn('evidence_document_id').execute()
}
