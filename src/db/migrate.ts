import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely'
import type { AddedColumns } from './audit.js'
import * as initial from './migrations/2026-11-25T1800-initial.js'
import * as accounts from './migrations/2026-11-25T2300-accounts.js'
import * as panelScoring from './migrations/2026-11-25T2330-panel-scoring.js'
import * as audit from './migrations/2026-11-26T0200-audit.js'
import * as auditKey from './migrations/2026-12-03T1000-audit-key.js'
import * as optionTender from './migrations/2026-12-03T1100-option-tender.js'
import * as cashAndPrice from './migrations/2026-12-03T1130-cash-and-price.js'
import * as awardRecord from './migrations/2026-12-03T1240-award-record.js'
import * as weightingRounds from './migrations/2026-12-03T1300-weighting-rounds.js'
import * as scoreCells from './migrations/2026-12-03T1305-score-cells.js'
import * as optimismBiasPreset from './migrations/2026-12-03T1317-optimism-bias-preset.js'
import * as trials from './migrations/2026-12-03T1320-trials.js'
import * as answerDrafts from './migrations/2026-12-03T1325-answer-drafts.js'
import * as plan from './migrations/2026-12-03T1330-plan.js'
import * as moderationRecord from './migrations/2026-12-03T1345-moderation-record.js'
import * as declarations from './migrations/2026-12-03T1510-declarations.js'
import * as tenderMaterial from './migrations/2026-12-03T1530-tender-material.js'
import * as trialCriteria from './migrations/2026-12-03T1550-trial-criteria.js'
import * as scoreEvidenceDocument from './migrations/2026-12-03T1910-score-evidence-document.js'

/** Every migration this version of the app knows, by its frozen, dated name. */
const migrations: Record<string, Migration> = {
  '2026-11-25T1800-initial': initial,
  '2026-11-25T2300-accounts': accounts,
  '2026-11-25T2330-panel-scoring': panelScoring,
  '2026-11-26T0200-audit': audit,
  '2026-12-03T1000-audit-key': auditKey,
  '2026-12-03T1100-option-tender': optionTender,
  '2026-12-03T1130-cash-and-price': cashAndPrice,
  '2026-12-03T1240-award-record': awardRecord,
  '2026-12-03T1300-weighting-rounds': weightingRounds,
  '2026-12-03T1305-score-cells': scoreCells,
  '2026-12-03T1317-optimism-bias-preset': optimismBiasPreset,
  '2026-12-03T1320-trials': trials,
  '2026-12-03T1325-answer-drafts': answerDrafts,
  '2026-12-03T1330-plan': plan,
  '2026-12-03T1345-moderation-record': moderationRecord,
  '2026-12-03T1510-declarations': declarations,
  '2026-12-03T1530-tender-material': tenderMaterial,
  '2026-12-03T1550-trial-criteria': trialCriteria,
  '2026-12-03T1910-score-evidence-document': scoreEvidenceDocument,
}

/** The migration that added the audit log: evaluations made before it get their log started once, as it runs. */
export const AUDIT_LOG_MIGRATION = '2026-11-26T0200-audit'

/** The migration that keyed the audit log: entries made before it are sealed, as they stand, as it runs. */
export const AUDIT_KEY_MIGRATION = '2026-12-03T1000-audit-key'

/** The migration that brought the evaluation plan: evaluations already holding scores have their plan approved as it runs. */
export const PLAN_MIGRATION = '2026-12-03T1330-plan'

/**
 * Columns a migration adds to audited records, with what they mean in words. As such a migration is
 * applied, each evaluation's log records its records gaining them, so that `verify` finds the log
 * and the records agreeing (see recordAddedColumns in src/db/audit.ts).
 */
export const ADDED_COLUMNS: Readonly<Record<string, readonly AddedColumns[]>> = {
  '2026-12-03T1100-option-tender': [
    {
      table: 'option',
      kind: 'option',
      columns: ['tender'],
      summary: 'Upgrade: each option now says whether it is a tender; every option before this was a tender, except the baseline',
    },
  ],
  '2026-12-03T1130-cash-and-price': [
    {
      table: 'money_line',
      kind: 'cost',
      columns: ['cash', 'price'],
      summary:
        'Upgrade: each cost and benefit line now says whether it is cash, and each cost line whether it is part of the tendered price; every line before this was cash, and every cost line part of the price',
    },
  ],
  '2026-12-03T1240-award-record': [
    {
      table: 'evaluation',
      kind: 'evaluation',
      columns: ['price_basis', 'award_decision_date', 'standstill_start', 'standstill_end', 'award_notifications', 'award_publish_all'],
      summary: 'Upgrade: the evaluation now keeps the basis of the evaluated price and its award record, none of which was set before',
    },
  ],
  '2026-12-03T1317-optimism-bias-preset': [
    {
      table: 'evaluation',
      kind: 'settings',
      columns: ['optimism_bias_preset', 'optimism_bias_note'],
      summary: 'Upgrade: the appraisal can now name the project type its optimism bias starts from, and say why; none was named before',
    },
  ],
  '2026-12-03T1325-answer-drafts': [
    {
      table: 'individual_score',
      kind: 'score',
      columns: ['draft'],
      summary: 'Upgrade: an individual score may now be a draft, kept as it is typed and counted nowhere; every score before this was complete',
    },
  ],
  '2026-12-03T1330-plan': [
    {
      table: 'evaluation',
      kind: 'plan',
      columns: ['plan_version', 'tie_breaker', 'tie_decision'],
      summary:
        'Upgrade: the evaluation plan is now approved before scoring, and names a tie-breaker; until this, no plan had been approved nor tie-breaker named',
    },
  ],
  '2026-12-03T1345-moderation-record': [
    {
      table: 'consensus_score',
      kind: 'consensus',
      columns: ['meeting_id'],
      summary: 'Upgrade: each consensus score now names the moderation meeting it was agreed in; none before this did',
    },
  ],
  '2026-12-03T1510-declarations': [
    {
      table: 'panel_member',
      kind: 'declaration',
      columns: ['interest_supplier', 'suppliers_known'],
      summary:
        'Upgrade: a declaration of interest now names the supplier of any interest and the suppliers known when it was made; none before this did, and those are taken as current',
    },
  ],
  '2026-12-03T1550-trial-criteria': [
    {
      table: 'trial',
      kind: 'trial',
      columns: ['criteria', 'code_hours'],
      summary:
        'Upgrade: a frontline trial can now name the criteria its figures sit beside, and how long a one-time code lasts; none was linked before, and codes lasted four hours',
    },
  ],
  '2026-12-03T1910-score-evidence-document': [
    {
      table: 'individual_score',
      kind: 'score',
      columns: ['evidence_document_id', 'evidence_page'],
      summary: 'Upgrade: an individual score’s evidence can now point at a tender document and a page in it; none did before',
    },
  ],
}

/** Names of the migrations this version knows, oldest first. */
export const migrationNames: readonly string[] = Object.keys(migrations)

const provider: MigrationProvider = { getMigrations: async () => migrations }

export class DatabaseTooNewError extends Error {}

/**
 * Takes the database back to the schema as it was once `name` ran, undoing every later migration
 * (their `down`): the tests use it to make a database as an earlier version of the app left it.
 */
export async function migrateBackTo(db: Kysely<any>, name: string): Promise<void> {
  const { error } = await new Migrator({ db, provider }).migrateTo(name)
  if (error !== undefined) throw error instanceof Error ? error : new Error(String(error))
}

/**
 * Brings the database up to this version's schema; returns the names of the migrations it applied.
 * Refuses a database that a newer version of the app has migrated, rather than running on tables it
 * does not understand.
 */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider })
  const unknown = (await listExecutedMigrationNames(db)).filter((name) => !(name in migrations))
  if (unknown.length > 0) {
    throw new DatabaseTooNewError(
      `This database was updated by a newer version of the app (migration ${unknown.join(', ')} is unknown here). ` +
        'Upgrade the app, or point APPRAISAL_DB (or DATABASE_URL) at another database.',
    )
  }
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find((r) => r.status === 'Error')
  if (error !== undefined || failed !== undefined) {
    const reason = error instanceof Error ? error.message : String(error ?? 'unknown error')
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${reason}`)
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}

async function listExecutedMigrationNames(db: Kysely<any>): Promise<string[]> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true })
  if (!tables.some((t) => t.name === 'kysely_migration')) return []
  const rows = await db.selectFrom('kysely_migration').select('name').execute()
  return rows.map((r: { name: string }) => r.name)
}

/**
 * The migrations this version knows that the database has not had: none when it is current. For the
 * readiness check (GET /readyz), which must not migrate anything itself.
 */
export async function pendingMigrations(db: Kysely<any>): Promise<string[]> {
  const executed = new Set(await listExecutedMigrationNames(db))
  return migrationNames.filter((name) => !executed.has(name))
}
