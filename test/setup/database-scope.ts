// Test databases live as long as the test that made them (or, made in a beforeAll, the file). Only
// PostgreSQL needs this: an in-memory SQLite database goes when nothing refers to it. Before a test's
// databases go, the records of every app it made are checked against their audit logs.
import { afterAll, afterEach, beforeEach } from 'vitest'
import { closeSharedLongWork } from '../../src/work/pool.js'
import { checkRecordsAfterTest } from '../changes.js'

const postgres = process.env.TEST_DATABASE_URL ? await import('../database.js') : undefined

beforeEach(() => postgres?.enterTest())
afterEach(async (context) => {
  try {
    await checkRecordsAfterTest(context.task.result?.state !== 'fail')
  } finally {
    await postgres?.leaveTest()
  }
})
afterAll(() => postgres?.leaveFile())
// The worker threads of the apps the file made (src/work/pool.ts), if any long work started them.
afterAll(() => closeSharedLongWork())
