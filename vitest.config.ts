import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 30_000,
    // Two test files at a time at least: much of the suite waits on Chromium, PostgreSQL and child
    // processes, so on CI's two cores one file at a time (Vitest's default there) left a core idle, and
    // the two engines' runs took 1,366 s of CI's 30 minutes.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    hookTimeout: 60_000,
    // The database each test gets, on SQLite or (with TEST_DATABASE_URL) PostgreSQL: test/database.ts.
    globalSetup: ['test/setup/postgres-template.ts'],
    setupFiles: ['test/setup/database-scope.ts'],
  },
})
