// Test databases live as long as the test that made them (or, made in a beforeAll, the file). Only
// PostgreSQL needs this: an in-memory SQLite database goes when nothing refers to it.
import { afterAll, afterEach, beforeEach } from 'vitest'

if (process.env.TEST_DATABASE_URL) {
  const { enterTest, leaveFile, leaveTest } = await import('../database.js')
  beforeEach(() => enterTest())
  afterEach(() => leaveTest())
  afterAll(() => leaveFile())
}
