import { configDefaults, defineConfig, mergeConfig } from 'vitest/config'
import suite from './vitest.config.js'

/**
 * The tests that start processes of their own: the appraise command, the server, the saver the
 * crash and backup tests load it with. Each costs seconds; `npm run test:unit` leaves them out.
 */
export const PROCESS_TESTS = [
  'test/cli.test.ts',
  'test/cli-verify.test.ts',
  'test/cli-ahp.test.ts',
  'test/cli-trials.test.ts',
  'test/cli-award.test.ts',
  'test/cli-plan.test.ts',
  'test/report/cli.test.ts',
  'test/server.test.ts',
  'test/crash.test.ts',
  'test/backup.test.ts',
  'test/security/keyed-chain.test.ts',
]

/** `npm run test:unit`: the suite without the browser tests (test/e2e) and without PROCESS_TESTS. */
export default mergeConfig(suite, defineConfig({ test: { exclude: [...configDefaults.exclude, 'test/e2e/**', ...PROCESS_TESTS] } }))
