// The appraise command run as an operator runs it: src/cli.ts in a child process through tsx, from
// the repository's root, against the database at a location (a SQLite file or a PostgreSQL URL).
// Every test that calls the command goes through here.

import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { serverDatabaseEnv } from './database.js'
import { REPO_ROOT } from './loopback.js'

const run = promisify(execFile)

export interface CliOutcome {
  code: number
  stdout: string
  stderr: string
}

/** Runs `appraise ARGS` against the database at `location`, with any further environment; never throws for a failing exit. */
export async function appraise(args: readonly string[], location: string, env: Record<string, string> = {}): Promise<CliOutcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...serverDatabaseEnv(location), ...env },
      maxBuffer: 16 * 1024 * 1024,
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string }
    // A command that could not start at all (no exit code) is the test's failure, not the command's.
    if (typeof e.code !== 'number') throw error
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }
  }
}
