import { readFileSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PROCESS_TESTS } from '../vitest.unit.config.js'
import { REPO_ROOT } from './loopback.js'

/** Every test file under test/, as a path from the repository's root. */
function testFiles(dir = join(REPO_ROOT, 'test')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return testFiles(path)
    return /\.test\.tsx?$/.test(entry.name) ? [relative(REPO_ROOT, path)] : []
  })
}

// What a test file imports to start a process: node's own module, the appraise runner, the crash
// harness or the benchmark's child processes.
const STARTS_PROCESSES = /from '(node:child_process|[./]*appraise\.js|[./]*crash\/harness\.js|[./]*bench\/child-processes\.js)'/

describe('npm run test:unit', () => {
  it('leaves out every test file outside test/e2e that starts processes, and only those', () => {
    const starting = testFiles()
      .filter((path) => !path.startsWith('test/e2e/'))
      .filter((path) => STARTS_PROCESSES.test(readFileSync(join(REPO_ROOT, path), 'utf8')))
    expect(starting.sort()).toEqual([...PROCESS_TESTS].sort())
  })
})
