import type { Kysely } from 'kysely'

// Frozen: this migration must never change once released. It imports nothing of the app's.

/**
 * The appraisal's optimism bias says which project type of the Green Book supplementary guidance
 * its defaults start from (the evaluation file's `appraisal.optimismBias.preset`), and why they stand
 * where they do (`note`). Both are empty for every evaluation stored before.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('evaluation').addColumn('optimism_bias_preset', 'text').execute()
  await db.schema.alterTable('evaluation').addColumn('optimism_bias_note', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('evaluation').dropColumn('optimism_bias_note').execute()
  await db.schema.alterTable('evaluation').dropColumn('optimism_bias_preset').execute()
}
