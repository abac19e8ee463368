import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The database each test gets, on SQLite or (with TEST_DATABASE_URL) PostgreSQL: test/database.ts.
    globalSetup: ['test/setup/postgres-template.ts'],
    setupFiles: ['test/setup/database-scope.ts'],
  },
})
