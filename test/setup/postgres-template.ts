// With TEST_DATABASE_URL set, the suite runs on PostgreSQL: this migrates one template database for
// the run, which every test database is copied from (test/database.ts), and drops them all at the end.
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { AuditKey } from '../../src/db/audit-key.js'
import { openDatabase } from '../../src/db/open.js'

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const url = process.env.TEST_DATABASE_URL || undefined
  if (url === undefined) {
    project.provide('postgresTemplate', '')
    return undefined
  }
  const template = `appraisal_test_${Date.now().toString(36)}`
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  await client.query(`create database "${template}"`)
  const location = new URL(url)
  location.pathname = `/${template}`
  // Migrated with a throwaway audit key whose fingerprint is then removed: each test database copied
  // from the template records the key of the test that first opens it (test/database.ts).
  const db = await openDatabase(location.toString(), { auditKey: AuditKey.generate() })
  await db.deleteFrom('audit_key').execute()
  await db.destroy()
  project.provide('postgresTemplate', template)
  return async () => {
    const { rows } = await client.query<{ datname: string }>('select datname from pg_database where starts_with(datname, $1) order by datname desc', [template])
    for (const { datname } of rows) await client.query(`drop database if exists "${datname}" with (force)`)
    await client.end()
  }
}
