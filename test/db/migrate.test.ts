import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { migrationNames } from '../../src/db/migrate.js'
import { openDatabase } from '../../src/db/open.js'
import { newTestDatabaseLocation, onSqlite, openTestDatabase } from '../database.js'

function tempDb(): string {
  return join(mkdtempSync(join(tmpdir(), 'appraisal-db-')), 'nested', 'appraisal.sqlite')
}

describe('the database', () => {
  it.runIf(onSqlite)('is created with its folder, migrated, in WAL mode with foreign keys on, a busy timeout and every commit synced to disk', async () => {
    const db = await openDatabase(tempDb())
    const journal = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db)
    const keys = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db)
    const timeout = await sql<{ timeout: number }>`pragma busy_timeout`.execute(db)
    const synchronous = await sql<{ synchronous: number }>`pragma synchronous`.execute(db)
    expect(journal.rows[0]?.journal_mode).toBe('wal')
    expect(keys.rows[0]?.foreign_keys).toBe(1)
    expect(timeout.rows[0]?.timeout).toBe(5000)
    // FULL (2): a commit waits for the write-ahead log to reach the disk, so an acknowledged save
    // survives a power cut; NORMAL (1) would not.
    expect(synchronous.rows[0]?.synchronous).toBe(2)
    const tables = (await db.introspection.getTables()).map((t) => t.name)
    expect(tables).toEqual(expect.arrayContaining(['evaluation', 'option', 'criterion', 'individual_score', 'consensus_score', 'money_line', 'sunk_cost']))
    await db.destroy()
  })

  it('is migrated to every table on either engine', async () => {
    const db = await openTestDatabase()
    const tables = (await db.introspection.getTables()).map((t) => t.name)
    expect(tables).toEqual(
      expect.arrayContaining([
        'evaluation',
        'option',
        'criterion',
        'individual_score',
        'consensus_score',
        'money_line',
        'sunk_cost',
        'session',
        'sign_in_throttle',
      ]),
    )
    await db.destroy()
  })

  it('opens again without re-running migrations', async () => {
    const path = await newTestDatabaseLocation()
    await (await openDatabase(path)).destroy()
    const db = await openDatabase(path)
    const rows = (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db)).rows
    expect(rows.map((r) => r.name)).toEqual(migrationNames)
    expect(migrationNames.length).toBeGreaterThan(1)
    await db.destroy()
  })

  it('refuses to start on a database that a newer version has migrated', async () => {
    const path = await newTestDatabaseLocation()
    const db = await openDatabase(path)
    await sql`insert into kysely_migration (name, timestamp) values ('2099-01-01T0000-from-the-future', '2099-01-01')`.execute(db)
    await db.destroy()
    await expect(openDatabase(path)).rejects.toThrow(/updated by a newer version of the app \(migration 2099-01-01T0000-from-the-future is unknown here\)/)
  })

  it('removes an option’s scores and cost lines with it (foreign keys cascade)', async () => {
    const db = await openTestDatabase()
    const stamp = new Date().toISOString()
    const evaluation = await db
      .insertInto('evaluation')
      .values({
        title: 'T',
        organisation: null,
        summary: null,
        currency: 'GBP',
        scale_min: 0,
        scale_max: 5,
        split_quality: 100,
        split_cost: 0,
        price_formula: 'relative-to-lowest',
        base_year: 2025,
        years: 10,
        discount: '"green-book"',
        optimism_bias_capital: 0,
        optimism_bias_operating: 0,
        archived: 0,
        created_at: stamp,
        updated_at: stamp,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const option = await db
      .insertInto('option')
      .values({ evaluation_id: evaluation.id, key: 'a', name: 'A', supplier: null, product: null, description: null, baseline: 0, position: 0 })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db
      .insertInto('money_line')
      .values({
        evaluation_id: evaluation.id,
        option_id: option.id,
        kind: 'cost',
        label: 'L',
        category: null,
        capital: 0,
        cash: 1,
        price: 1,
        amount: 1,
        from_year: 0,
        to_year: 0,
        growth: 0,
        optimism_bias: null,
        range_low: null,
        range_high: null,
        notes: null,
        position: 0,
      })
      .execute()
    await db.deleteFrom('option').where('id', '=', option.id).execute()
    expect(await db.selectFrom('money_line').selectAll().execute()).toEqual([])
    await db.destroy()
  })
})
