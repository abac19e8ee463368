import { readFileSync } from 'node:fs'
import { sql, type Kysely } from 'kysely'
import { describe, expect, it } from 'vitest'
import { parseEvaluationText } from '../../src/appraisal/index.js'
import { EvaluationFinalisedError, recordedChange } from '../../src/db/audit.js'
import { updateCriterionWeight } from '../../src/db/criteria.js'
import { importEvaluationFile } from '../../src/db/evaluation-file.js'
import { editMoneyLine } from '../../src/db/money-lines.js'
import { lineFromFile } from '../../src/money-line-fields.js'
import type { Database } from '../../src/db/schema.js'
import { saveIndividualScore } from '../../src/db/scoring.js'
import { verifyEvaluation } from '../../src/db/verify.js'
import { AUDIT_KEY_MIGRATION, AUDIT_LOG_MIGRATION } from '../../src/db/migrate.js'
import * as auditMigration from '../../src/db/migrations/2026-11-26T0200-audit.js'
import * as auditKeyMigration from '../../src/db/migrations/2026-12-03T1000-audit-key.js'
import * as optionTenderMigration from '../../src/db/migrations/2026-12-03T1100-option-tender.js'
import * as cashMigration from '../../src/db/migrations/2026-12-03T1130-cash-and-price.js'
import * as awardMigration from '../../src/db/migrations/2026-12-03T1240-award-record.js'
import * as weightingMigration from '../../src/db/migrations/2026-12-03T1300-weighting-rounds.js'
import * as scoreCellsMigration from '../../src/db/migrations/2026-12-03T1305-score-cells.js'
import * as optimismBiasMigration from '../../src/db/migrations/2026-12-03T1317-optimism-bias-preset.js'
import * as trialsMigration from '../../src/db/migrations/2026-12-03T1320-trials.js'
import * as draftsMigration from '../../src/db/migrations/2026-12-03T1325-answer-drafts.js'
import * as planMigration from '../../src/db/migrations/2026-12-03T1330-plan.js'
import * as moderationMigration from '../../src/db/migrations/2026-12-03T1345-moderation-record.js'
import * as declarationsMigration from '../../src/db/migrations/2026-12-03T1510-declarations.js'
import * as tenderMigration from '../../src/db/migrations/2026-12-03T1530-tender-material.js'
import * as trialCriteriaMigration from '../../src/db/migrations/2026-12-03T1550-trial-criteria.js'
import * as evidenceDocumentMigration from '../../src/db/migrations/2026-12-03T1910-score-evidence-document.js'

const CASH_MIGRATION = '2026-12-03T1130-cash-and-price'
const AWARD_MIGRATION = '2026-12-03T1240-award-record'
/** Adds a table and columns to the evaluation: undone first, as the latest. */
const PLAN_MIGRATION = '2026-12-03T1330-plan'
/** Adds columns to the evaluation: undone before an evaluation is stored, so its log is written without them. */
const OPTIMISM_BIAS_MIGRATION = '2026-12-03T1317-optimism-bias-preset'
/** Adds the scores' draft flag: undone, like the preset, before anything is stored. */
const DRAFTS_MIGRATION = '2026-12-03T1325-answer-drafts'
/** Migrations after the award one, which these tests take back too (they add tables and indexes, no columns). */
const LATER_TABLES = [
  { name: '2026-12-03T1300-weighting-rounds', down: weightingMigration.down },
  { name: '2026-12-03T1305-score-cells', down: scoreCellsMigration.down },
  { name: '2026-12-03T1320-trials', down: trialsMigration.down },
  { name: '2026-12-03T1345-moderation-record', down: moderationMigration.down },
  { name: '2026-12-03T1510-declarations', down: declarationsMigration.down },
  { name: '2026-12-03T1530-tender-material', down: tenderMigration.down },
  { name: '2026-12-03T1550-trial-criteria', down: trialCriteriaMigration.down },
  { name: '2026-12-03T1910-score-evidence-document', down: evidenceDocumentMigration.down },
]

/** Undoes the migrations after the award one, so those before can be undone as an earlier version left them. */
async function undoLaterTables(db: Kysely<Database>): Promise<void> {
  for (const later of [...LATER_TABLES].reverse()) {
    await later.down(db)
    await sql`delete from kysely_migration where name = ${later.name}`.execute(db)
  }
}
import { openDatabase } from '../../src/db/open.js'
import { TEST_ACTOR, setUp } from '../changes.js'
import { newTestDatabaseLocation, openTestDatabase, testEngine } from '../database.js'

const parsed = parseEvaluationText(readFileSync(new URL('../fixtures/small-evaluation.json', import.meta.url), 'utf8'))
if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
const fixture = parsed.file

async function withEvaluation() {
  const db = await openTestDatabase()
  const id = await importEvaluationFile(db, fixture, { actor: TEST_ACTOR })
  return { db, id }
}

async function firstScore(db: Kysely<Database>, id: number) {
  return db.selectFrom('individual_score').selectAll().where('evaluation_id', '=', id).orderBy('id').limit(1).executeTakeFirstOrThrow()
}

/** Drops the log's triggers, as someone editing the database file by hand could. */
async function dropTriggers(db: Kysely<Database>) {
  for (const table of ['audit_entry', 'audit_change', 'finalised_report']) {
    if (testEngine === 'postgres') await sql`drop trigger ${sql.raw(`${table}_append_only`)} on ${sql.table(table)}`.execute(db)
    else for (const op of ['update', 'delete']) await sql`drop trigger ${sql.raw(`${table}_no_${op}`)}`.execute(db)
  }
}

describe('the audit log', () => {
  it('starts with the import, chained from the genesis hash, and verifies', async () => {
    const { db, id } = await withEvaluation()
    const entries = await db.selectFrom('audit_entry').selectAll().where('evaluation_id', '=', id).execute()
    expect(entries).toHaveLength(1)
    expect(entries[0]).toMatchObject({ seq: 1, actor_name: 'Test set-up', kind: 'evaluation', prev_hash: '0'.repeat(64) })
    const changes = await db.selectFrom('audit_change').select(['record_table']).where('entry_id', '=', entries[0]!.id).execute()
    // Every record the import made is in the entry: the scores among them.
    const scores = await db.selectFrom('individual_score').select('id').where('evaluation_id', '=', id).execute()
    expect(changes.filter((c) => c.record_table === 'individual_score')).toHaveLength(scores.length)
    const check = await verifyEvaluation(db, id)
    expect(check.problems).toEqual([])
    expect(check.entries).toBe(1)
    expect(check.headHash).toBe(entries[0]!.hash)
  })

  it('records a change with who made it and the values before and after, chained to the entry before', async () => {
    const { db, id } = await withEvaluation()
    const score = await firstScore(db, id)
    const actor = { accountId: null, name: 'Ann Evaluator' }
    const key = { evaluationId: id, memberId: score.panel_member_id, optionId: score.option_id, criterionId: score.criterion_id }
    const reach = { tables: ['individual_score'] as const, memberId: score.panel_member_id, optionId: score.option_id, criterionIds: [score.criterion_id] }
    await recordedChange(db, { evaluationId: id, actor, kind: 'score', summary: 'Score saved', reach }, (trx) =>
      saveIndividualScore(trx, key, { score: 1, rationale: 'Changed after the demonstration', evidence: null }, score.version),
    )
    const [first, second] = await db.selectFrom('audit_entry').selectAll().where('evaluation_id', '=', id).orderBy('seq').execute()
    expect(second).toMatchObject({ seq: 2, actor_name: 'Ann Evaluator', kind: 'score', prev_hash: first!.hash })
    const [change] = await db.selectFrom('audit_change').selectAll().where('entry_id', '=', second!.id).execute()
    expect(change).toMatchObject({ record_table: 'individual_score', record_id: score.id, option_id: score.option_id, criterion_id: score.criterion_id })
    expect(JSON.parse(change!.before!)).toMatchObject({ score: score.score, rationale: score.rationale })
    expect(JSON.parse(change!.after!)).toMatchObject({ score: 1, rationale: 'Changed after the demonstration' })
    expect((await verifyEvaluation(db, id)).problems).toEqual([])
  })

  it('appends nothing when a change changes nothing (a stale save)', async () => {
    const { db, id } = await withEvaluation()
    const score = await firstScore(db, id)
    const key = { evaluationId: id, memberId: score.panel_member_id, optionId: score.option_id, criterionId: score.criterion_id }
    const saved = await setUp(db, id, (trx) => saveIndividualScore(trx, key, { score: 1, rationale: 'x', evidence: null }, score.version + 5))
    expect(saved).toBeUndefined()
    expect(await db.selectFrom('audit_entry').select('id').where('evaluation_id', '=', id).execute()).toHaveLength(1)
  })

  it('keeps one unbroken chain when many changes to one evaluation arrive at once', async () => {
    const { db, id } = await withEvaluation()
    const scores = await db.selectFrom('individual_score').selectAll().where('evaluation_id', '=', id).orderBy('id').limit(12).execute()
    // On PostgreSQL these run on several connections at once; each takes its evaluation's row first.
    await Promise.all(
      scores.map((score, i) => {
        const key = { evaluationId: id, memberId: score.panel_member_id, optionId: score.option_id, criterionId: score.criterion_id }
        const reach = { tables: ['individual_score'] as const, memberId: score.panel_member_id, optionId: score.option_id, criterionIds: [score.criterion_id] }
        return recordedChange(db, { evaluationId: id, actor: TEST_ACTOR, kind: 'score', summary: `Save ${i}`, reach }, (trx) =>
          saveIndividualScore(trx, key, { score: i % 2, rationale: `Concurrent save ${i}`, evidence: null }, score.version),
        )
      }),
    )
    const entries = await db.selectFrom('audit_entry').select(['seq']).where('evaluation_id', '=', id).orderBy('seq').execute()
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: scores.length + 1 }, (_, i) => i + 1))
    expect((await verifyEvaluation(db, id)).problems).toEqual([])
  })

  it('undoes a change that fails among others arriving at once, alone: the others are kept and chained', async () => {
    const { db, id } = await withEvaluation()
    const scores = await db.selectFrom('individual_score').selectAll().where('evaluation_id', '=', id).orderBy('id').execute()
    expect(scores.length).toBeGreaterThanOrEqual(3)
    // On SQLite these are committed together (group commit), each in a savepoint of its own.
    const outcomes = await Promise.allSettled(
      scores.map((score, i) => {
        const key = { evaluationId: id, memberId: score.panel_member_id, optionId: score.option_id, criterionId: score.criterion_id }
        const reach = { tables: ['individual_score'] as const, memberId: score.panel_member_id, optionId: score.option_id, criterionIds: [score.criterion_id] }
        return recordedChange(db, { evaluationId: id, actor: TEST_ACTOR, kind: 'score', summary: `Save ${i}`, reach }, async (trx) => {
          const saved = await saveIndividualScore(trx, key, { score: i % 2, rationale: `Together ${i}`, evidence: null }, score.version)
          if (i === 1) throw new Error('This change fails after writing')
          return saved
        })
      }),
    )
    expect(outcomes.map((o) => o.status)).toEqual(scores.map((_, i) => (i === 1 ? 'rejected' : 'fulfilled')))
    const after = await db
      .selectFrom('individual_score')
      .select(['id', 'rationale'])
      .where(
        'id',
        'in',
        scores.map((s) => s.id),
      )
      .orderBy('id')
      .execute()
    expect(after.map((s) => s.rationale)).toEqual(scores.map((s, i) => (i === 1 ? s.rationale : `Together ${i}`)))
    const entries = await db.selectFrom('audit_entry').select(['seq', 'summary']).where('evaluation_id', '=', id).orderBy('seq').execute()
    expect(entries.slice(1).map((e) => e.summary)).toEqual(scores.flatMap((_, i) => (i === 1 ? [] : [`Save ${i}`])))
    expect((await verifyEvaluation(db, id)).problems).toEqual([])
  })

  it('refuses UPDATE and DELETE on its tables, at the database', async () => {
    const { db, id } = await withEvaluation()
    await expect(db.updateTable('audit_entry').set({ summary: 'Nothing happened' }).where('evaluation_id', '=', id).execute()).rejects.toThrow(/append-only/)
    await expect(db.deleteFrom('audit_entry').where('evaluation_id', '=', id).execute()).rejects.toThrow(/append-only/)
    await expect(db.updateTable('audit_change').set({ after: null }).where('evaluation_id', '=', id).execute()).rejects.toThrow(/append-only/)
    await expect(db.deleteFrom('audit_change').where('evaluation_id', '=', id).execute()).rejects.toThrow(/append-only/)
    expect((await verifyEvaluation(db, id)).problems).toEqual([])
  })

  it('reports a score, a weight and a cost edited directly in the database, naming the record', async () => {
    const { db, id } = await withEvaluation()
    const score = await firstScore(db, id)
    await db
      .updateTable('individual_score')
      .set({ score: score.score === 5 ? 4 : 5 })
      .where('id', '=', score.id)
      .execute()
    const criterion = await db
      .selectFrom('criterion')
      .selectAll()
      .where('evaluation_id', '=', id)
      .where('kind', '=', 'criterion')
      .orderBy('id')
      .limit(1)
      .executeTakeFirstOrThrow()
    await db.updateTable('criterion').set({ weight: 99 }).where('id', '=', criterion.id).execute()
    const line = await db.selectFrom('money_line').selectAll().where('evaluation_id', '=', id).orderBy('id').limit(1).executeTakeFirstOrThrow()
    await db
      .updateTable('money_line')
      .set({ amount: line.amount + 1 })
      .where('id', '=', line.id)
      .execute()

    const check = await verifyEvaluation(db, id)
    expect(check.problems).toHaveLength(3)
    expect(check.problems.join('\n')).toContain(`Individual score ${score.id}`)
    expect(check.problems.join('\n')).toMatch(/score is \d in the database but \d in the log/)
    expect(check.problems.join('\n')).toContain(`Criterion ${criterion.id} (“${criterion.name}”) [criterion] differs from the audit log`)
    expect(check.problems.join('\n')).toContain('weight is 99 in the database')
    expect(check.problems.join('\n')).toContain(`Cost or benefit line ${line.id}`)
  })

  it('reports records added or removed outside the app', async () => {
    const { db, id } = await withEvaluation()
    const line = await db.selectFrom('money_line').selectAll().where('evaluation_id', '=', id).orderBy('id').limit(1).executeTakeFirstOrThrow()
    await db.deleteFrom('money_line').where('id', '=', line.id).execute()
    const { id: _id, ...copy } = line
    const added = await db
      .insertInto('money_line')
      .values({ ...copy, label: 'Slipped in' })
      .returning('id')
      .executeTakeFirstOrThrow()
    const problems = (await verifyEvaluation(db, id)).problems.join('\n')
    expect(problems).toContain(`Cost or benefit line ${line.id}`)
    expect(problems).toContain('no longer in the database: it was removed outside the app')
    expect(problems).toContain(`Cost or benefit line ${added.id}`)
    expect(problems).toContain('is in the database but not in the audit log')
  })

  it('catches an edit to the log itself once its triggers are dropped: the chain breaks', async () => {
    const { db, id } = await withEvaluation()
    const score = await firstScore(db, id)
    const key = { evaluationId: id, memberId: score.panel_member_id, optionId: score.option_id, criterionId: score.criterion_id }
    await setUp(db, id, (trx) => saveIndividualScore(trx, key, { score: 1, rationale: 'The first answer', evidence: null }, score.version))
    await setUp(db, id, (trx) => saveIndividualScore(trx, key, { score: 2, rationale: 'The second answer', evidence: null }, score.version + 1))
    expect((await verifyEvaluation(db, id)).problems).toEqual([])

    await dropTriggers(db)
    // Someone rewrites history: the score was always 2, they say, and edits the entry that says 1.
    const entry = await db.selectFrom('audit_entry').selectAll().where('evaluation_id', '=', id).where('seq', '=', 2).executeTakeFirstOrThrow()
    await db.updateTable('audit_entry').set({ actor_name: 'Someone else' }).where('id', '=', entry.id).execute()
    const problems = (await verifyEvaluation(db, id)).problems
    expect(problems).toEqual([expect.stringContaining('Audit entry 2 (')])
    expect(problems[0]).toContain('has been altered')

    // Removing the entry instead leaves a gap the chain shows.
    await db.deleteFrom('audit_change').where('entry_id', '=', entry.id).execute()
    await db.deleteFrom('audit_entry').where('id', '=', entry.id).execute()
    const afterRemoval = (await verifyEvaluation(db, id)).problems.join('\n')
    expect(afterRemoval).toContain('Audit entry 2 is missing')
    expect(afterRemoval).toContain('Audit entry 3 does not follow entry 2')
    await db.destroy() // its triggers are gone: no other test may have it
  })

  it('catches a direct edit made with the triggers dropped and the log “corrected” to match', async () => {
    const { db, id } = await withEvaluation()
    await dropTriggers(db)
    const score = await firstScore(db, id)
    const change = await db
      .selectFrom('audit_change')
      .selectAll()
      .where('record_table', '=', 'individual_score')
      .where('record_id', '=', score.id)
      .executeTakeFirstOrThrow()
    const edited = JSON.stringify({ ...JSON.parse(change.after!), score: 0 })
    await db.updateTable('individual_score').set({ score: 0 }).where('id', '=', score.id).execute()
    await db.updateTable('audit_change').set({ after: edited }).where('id', '=', change.id).execute()
    const problems = (await verifyEvaluation(db, id)).problems
    expect(problems.join('\n')).toContain('Audit entry 1 (')
    expect(problems.join('\n')).toContain('has been altered')
    await db.destroy()
  })
})

describe('an evaluation whose log is gone', () => {
  it('is reported, not given a new log, when the database is opened again', async () => {
    const location = await newTestDatabaseLocation()
    const first = await openDatabase(location)
    const id = await importEvaluationFile(first, fixture, { actor: TEST_ACTOR })
    await dropTriggers(first)
    await first.deleteFrom('audit_change').where('evaluation_id', '=', id).execute()
    await first.deleteFrom('audit_entry').where('evaluation_id', '=', id).execute()
    await first.destroy()

    const again = await openDatabase(location)
    try {
      const check = await verifyEvaluation(again, id)
      expect(check.entries).toBe(0)
      expect(check.problems.length).toBeGreaterThan(10)
      expect(check.problems.join('\n')).toContain('is in the database but not in the audit log')
    } finally {
      await again.destroy()
    }
  })

  it('is started once, when the database from before the log is migrated, with an entry that says so', async () => {
    const location = await newTestDatabaseLocation()
    const old = await openDatabase(location)
    const id = await importEvaluationFile(old, fixture, { actor: TEST_ACTOR })
    // Back to the schema before the log: as a database made by the previous version of the app,
    // which had none of the later migrations either.
    await planMigration.down(old)
    await sql`delete from kysely_migration where name = ${PLAN_MIGRATION}`.execute(old)
    await optimismBiasMigration.down(old)
    await draftsMigration.down(old)
    await sql`delete from kysely_migration where name = ${DRAFTS_MIGRATION}`.execute(old)
    await undoLaterTables(old)
    await awardMigration.down(old)
    await cashMigration.down(old)
    await optionTenderMigration.down(old)
    await auditKeyMigration.down(old)
    await auditMigration.down(old)
    await sql`delete from kysely_migration where name in (${AUDIT_LOG_MIGRATION}, ${AUDIT_KEY_MIGRATION}, '2026-12-03T1100-option-tender', ${CASH_MIGRATION}, ${AWARD_MIGRATION}, ${OPTIMISM_BIAS_MIGRATION})`.execute(
      old,
    )
    await old.destroy()

    const upgraded = await openDatabase(location)
    try {
      const entries = await upgraded.selectFrom('audit_entry').selectAll().where('evaluation_id', '=', id).orderBy('seq').execute()
      expect(entries).toHaveLength(2)
      expect(entries[0]!.summary).toContain('the evaluation existed before the log')
      // Then, as plans arrive, its plan is approved as it stands: it already holds scores.
      expect(entries[1]!.summary).toContain('the evaluation plan treated as approved as it stands')
      expect((await verifyEvaluation(upgraded, id)).problems).toEqual([])
    } finally {
      await upgraded.destroy()
    }
  })
})

describe('columns a migration adds to audited records', () => {
  it('are recorded in each evaluation’s log as the migration runs, so the records still verify, finalised or not', async () => {
    const location = await newTestDatabaseLocation()
    const old = await openDatabase(location)
    // As the previous version of the app left it: lines without cash or price, logged without them
    // (and evaluations without the award record, the optimism bias preset or drafts, which later migrations add;
    // nor plans: this version's log reads every audited table, so an empty plan_version stands in while
    // the evaluations are made, and goes before the upgrade makes the real one).
    await planMigration.down(old)
    await sql`delete from kysely_migration where name = ${PLAN_MIGRATION}`.execute(old)
    await draftsMigration.down(old)
    await optimismBiasMigration.down(old)
    await awardMigration.down(old)
    await cashMigration.down(old)
    await sql`delete from kysely_migration where name in (${CASH_MIGRATION}, ${AWARD_MIGRATION}, ${OPTIMISM_BIAS_MIGRATION}, ${DRAFTS_MIGRATION})`.execute(old)
    await sql`create table plan_version (id integer primary key, evaluation_id integer)`.execute(old)
    const { plan: _plan, tieBreaker: _tieBreaker, ...withoutPlan } = fixture
    // Nothing of what the moderation record adds (no consensus, meetings, excuses or confirmations), and
    // no panel: the declarations migration adds columns to panel members, which this database keeps.
    const bare = { ...withoutPlan, costs: [], benefits: [], scores: [], consensus: [], meetings: undefined, evaluators: [] }
    const open = await importEvaluationFile(old, bare, { actor: TEST_ACTOR })
    const signed = await importEvaluationFile(old, bare, { actor: TEST_ACTOR })
    for (const id of [open, signed]) {
      const option = await old.selectFrom('option').select('id').where('evaluation_id', '=', id).executeTakeFirstOrThrow()
      const line = {
        evaluation_id: id,
        option_id: option.id,
        category: null,
        capital: 0,
        amount: 1000,
        from_year: 0,
        to_year: 2,
        growth: 0,
        optimism_bias: null,
        range_low: null,
        range_high: null,
        notes: null,
      }
      await recordedChange(
        old,
        { evaluationId: id, actor: TEST_ACTOR, kind: 'cost', summary: 'Lines added', reach: { tables: ['money_line'] } },
        async (trx) => {
          await trx
            .insertInto('money_line')
            .values([
              { ...line, kind: 'cost', label: 'Licences', position: 0 },
              { ...line, kind: 'benefit', label: 'Time released', position: 1 },
            ] as never)
            .execute()
        },
      )
    }
    await recordedChange(old, { evaluationId: signed, actor: TEST_ACTOR, kind: 'status', summary: 'Finalised', reach: { tables: ['evaluation'] } }, (trx) =>
      trx
        .updateTable('evaluation')
        .set({ status: 'finalised', finalised_at: '2026-11-26T10:00:00.000Z', finalised_by_name: 'Lena Lead' })
        .where('id', '=', signed)
        .execute(),
    )
    const lines = 2
    // The tables later migrations add were there for the log to read, and empty: they go now, to come back as it is upgraded.
    await sql`drop table plan_version`.execute(old)
    await undoLaterTables(old)
    await old.destroy()

    const upgraded = await openDatabase(location)
    try {
      for (const id of [open, signed]) {
        const last = await upgraded
          .selectFrom('audit_entry')
          .selectAll()
          .where('evaluation_id', '=', id)
          .where('kind', '=', 'cost')
          .orderBy('seq', 'desc')
          .executeTakeFirstOrThrow()
        expect(last).toMatchObject({ actor_name: 'The app (upgrade)', kind: 'cost' })
        // The award record's columns, then the optimism bias preset's, the scores' draft flag and the plan's, added by the next migrations, are recorded after it.
        const later = await upgraded.selectFrom('audit_entry').selectAll().where('evaluation_id', '=', id).where('seq', '>', last.seq).orderBy('seq').execute()
        expect(later.map((entry) => entry.summary).join('\n')).toMatch(
          /award record[\s\S]*optimism bias starts from[\s\S]*evaluation plan is now approved before scoring/,
        )
        expect(later.find((entry) => entry.kind === 'settings')).toMatchObject({ actor_name: 'The app (upgrade)' })
        expect(last.summary).toContain('every line before this was cash, and every cost line part of the price')
        const changes = await upgraded.selectFrom('audit_change').selectAll().where('entry_id', '=', last.id).execute()
        expect(changes).toHaveLength(lines)
        expect(changes.every((c) => c.record_table === 'money_line' && !c.before!.includes('"cash"') && c.after!.includes('"cash":1'))).toBe(true)
        expect((await verifyEvaluation(upgraded, id)).problems).toEqual([])
      }
      const stored = await upgraded.selectFrom('money_line').select(['kind', 'cash', 'price']).where('evaluation_id', '=', open).execute()
      expect(stored.every((l) => l.cash === 1 && l.price === (l.kind === 'cost' ? 1 : 0))).toBe(true)
    } finally {
      await upgraded.destroy()
    }
    // Opened again, nothing more is recorded.
    const again = await openDatabase(location)
    const entries = await again.selectFrom('audit_entry').select('id').where('evaluation_id', '=', open).execute()
    await again.destroy()
    const reopened = await openDatabase(location)
    expect(await reopened.selectFrom('audit_entry').select('id').where('evaluation_id', '=', open).execute()).toEqual(entries)
    await reopened.destroy()
  })
})

describe('a finalised evaluation', () => {
  async function finalised() {
    const { db, id } = await withEvaluation()
    await recordedChange(
      db,
      { evaluationId: id, actor: { accountId: null, name: 'Lena Lead' }, kind: 'status', summary: 'Finalised', reach: { tables: ['evaluation'] } },
      (trx) =>
        trx
          .updateTable('evaluation')
          .set({ status: 'finalised', finalised_at: '2026-11-26T10:00:00.000Z', finalised_by_name: 'Lena Lead' })
          .where('id', '=', id)
          .execute(),
    )
    return { db, id }
  }

  it('refuses every change in the data layer, saying it is finalised and by whom, and writes nothing', async () => {
    const { db, id } = await finalised()
    const entriesBefore = await db.selectFrom('audit_entry').select('id').where('evaluation_id', '=', id).execute()
    const score = await firstScore(db, id)
    const key = { evaluationId: id, memberId: score.panel_member_id, optionId: score.option_id, criterionId: score.criterion_id }
    const attempt = setUp(db, id, (trx) => saveIndividualScore(trx, key, { score: 0, rationale: 'After sign-off', evidence: null }, score.version))
    await expect(attempt).rejects.toThrow(EvaluationFinalisedError)
    await expect(attempt).rejects.toThrow(/was finalised by Lena Lead on 2026-11-26 \(version 1\) and cannot be changed/)
    const criterion = await db.selectFrom('criterion').select('id').where('evaluation_id', '=', id).where('kind', '=', 'criterion').executeTakeFirstOrThrow()
    await expect(setUp(db, id, (trx) => updateCriterionWeight(trx, id, criterion.id, 50))).rejects.toThrow(EvaluationFinalisedError)
    const line = await db.selectFrom('money_line').selectAll().where('evaluation_id', '=', id).executeTakeFirstOrThrow()
    const details = { ...lineFromFile(line.kind, { label: line.label, amount: 1, from: 0 }), kind: line.kind }
    const option = { id: line.option_id, name: 'Option' }
    await expect(editMoneyLine(db, { accountId: null, name: 'Lena Lead' }, id, option, line.id, details)).rejects.toThrow(EvaluationFinalisedError)

    expect(await firstScore(db, id)).toEqual(score)
    expect(await db.selectFrom('audit_entry').select('id').where('evaluation_id', '=', id).execute()).toEqual(entriesBefore)
    expect((await verifyEvaluation(db, id)).problems).toEqual([])
  })
})
