import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { readConfig } from '../../src/config.js'
import { describeLocation, engineOf, runAlone } from '../../src/db/dialect.js'
import { AuditKey } from '../../src/db/audit-key.js'
import { databaseLocation, openDatabase } from '../../src/db/open.js'
import { newTestDatabaseLocation, openAnotherConnection, openTestDatabase, testEngine } from '../database.js'

describe('choosing the database', () => {
  it('uses PostgreSQL when DATABASE_URL is set, and the SQLite file otherwise', () => {
    expect(databaseLocation(readConfig({}))).toBe('data/appraisal.sqlite')
    expect(databaseLocation(readConfig({ APPRAISAL_DB: 'elsewhere.sqlite' }))).toBe('elsewhere.sqlite')
    expect(databaseLocation(readConfig({ APPRAISAL_DB: 'elsewhere.sqlite', DATABASE_URL: 'postgresql://app@db.example.org/appraisal' }))).toBe(
      'postgresql://app@db.example.org/appraisal',
    )
  })

  it('refuses a DATABASE_URL that is not a PostgreSQL address rather than falling back to SQLite', () => {
    for (const url of ['mysql://db.example.org/appraisal', 'db.example.org:5432', 'postgres://db.example.org:99999/appraisal']) {
      expect(() => readConfig({ DATABASE_URL: url }), url).toThrow(
        /^DATABASE_URL: must be a PostgreSQL address, like postgres:\/\/user:password@db.example.org:5432\/appraisal$/,
      )
    }
  })

  it('describes where the data is without ever showing a password', () => {
    expect(describeLocation('postgres://app:s3cret%21@db.example.org:6543/appraisal?sslmode=require')).toBe(
      'PostgreSQL database appraisal on db.example.org:6543 as app',
    )
    expect(describeLocation('postgres://app@db.example.org/appraisal')).toBe('PostgreSQL database appraisal on db.example.org:5432 as app')
    expect(describeLocation('data/appraisal.sqlite')).toBe('SQLite file data/appraisal.sqlite')
  })

  it('stops with one line naming host, port, database and reason when PostgreSQL cannot be reached', async () => {
    await expect(openDatabase('postgres://app:s3cret@127.0.0.1:1/appraisal', { auditKey: AuditKey.generate() })).rejects.toThrow(
      /^Cannot connect to PostgreSQL at 127\.0\.0\.1:1 \(database appraisal, user app\): connection refused \(is PostgreSQL running and listening on that address and port\?\)$/,
    )
  })

  it.runIf(testEngine === 'postgres')('says so when the database named does not exist on the server', async () => {
    const url = new URL(await newTestDatabaseLocation())
    url.pathname = '/no_such_appraisal_database'
    await expect(openDatabase(url.toString())).rejects.toThrow(
      `Cannot connect to PostgreSQL at ${url.hostname}:${url.port} (database no_such_appraisal_database, user ${decodeURIComponent(url.username)}): database "no_such_appraisal_database" does not exist`,
    )
  })
})

describe('queries that read the same on both engines', () => {
  it(`counts as a number on ${testEngine}`, async () => {
    const db = await openTestDatabase()
    expect(engineOf(db)).toBe(testEngine)
    const row = await db
      .selectFrom('account')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(row.n).toBe(0)
    const raw = await sql<{ n: number }>`select count(*) as n from evaluation`.execute(db)
    expect(raw.rows[0]?.n).toBe(0)
  })
})

describe.runIf(testEngine === 'postgres')('running alone', () => {
  it('lets one app process at a time run a piece of work, across connection pools', async () => {
    const location = await newTestDatabaseLocation()
    const [one, two] = [await openAnotherConnection(location), await openAnotherConnection(location)]
    const events: string[] = []
    const work = (name: string) => async () => {
      events.push(`${name} starts`)
      await new Promise((resolve) => setTimeout(resolve, 150))
      events.push(`${name} ends`)
    }
    await Promise.all([runAlone(one, 'test-work', work('one')), runAlone(two, 'test-work', work('two'))])
    expect(events).toHaveLength(4)
    expect(events[1]).toBe(events[0]!.replace('starts', 'ends'))
    expect(events[3]).toBe(events[2]!.replace('starts', 'ends'))
  })
})

describe('the database each test gets (test/database.ts)', () => {
  // Two tests in a row: on PostgreSQL the second is given the first's database, emptied.
  for (const turn of ['first', 'second']) {
    it(`is empty, with ids from 1, for the ${turn} test as for any`, async () => {
      const db = await openTestDatabase()
      expect(await db.selectFrom('account').select('id').execute()).toEqual([])
      const row = await db
        .insertInto('account')
        .values({ email: 'a@example.test', name: 'A', password_hash: 'x', admin: 0, disabled: 0, created_at: new Date().toISOString() })
        .returning('id')
        .executeTakeFirstOrThrow()
      expect(row.id).toBe(1)
      await db.insertInto('sign_in_throttle').values({ key: 'account:a@example.test', failures: 1, last_failure_at: new Date().toISOString() }).execute()
    })
  }
})
