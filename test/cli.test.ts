import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { computeResults, parseEvaluationText } from '../src/appraisal/index.js'

const run = promisify(execFile)
const fixture = new URL('./fixtures/small-evaluation.json', import.meta.url).pathname

interface CliOutcome {
  code: number
  stdout: string
  stderr: string
}

/** Runs the appraise command as a user would, against its own database file. */
async function appraise(args: string[], db: string): Promise<CliOutcome> {
  try {
    const { stdout, stderr } = await run('node', ['--import', 'tsx', 'src/cli.ts', ...args], {
      env: { ...process.env, APPRAISAL_DB: db },
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'appraise-'))
}

async function countEvaluations(db: string): Promise<number> {
  const { default: SQLite } = await import('better-sqlite3')
  const sqlite = new SQLite(db)
  try {
    return (sqlite.prepare('select count(*) as n from evaluation').get() as { n: number }).n
  } finally {
    sqlite.close()
  }
}

describe('the appraise command', () => {
  it('prints the results JSON for a file, the same figures as the engine', async () => {
    const dir = tempDir()
    const outcome = await appraise(['results', fixture], join(dir, 'db.sqlite'))
    expect(outcome.code).toBe(0)
    expect(outcome.stderr).toBe('')
    const parsed = parseEvaluationText(readFileSync(fixture, 'utf8'))
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
    expect(JSON.parse(outcome.stdout)).toEqual(JSON.parse(JSON.stringify(computeResults(parsed.file))))
  })

  it('refuses an invalid file with one line per problem and its JSON path, printing nothing on stdout', async () => {
    const dir = tempDir()
    const bad = JSON.parse(readFileSync(fixture, 'utf8'))
    bad.scores[2].score = 9
    bad.costs[0].from = 3
    bad.costs[0].to = 1
    const path = join(dir, 'bad.json')
    writeFileSync(path, JSON.stringify(bad))
    const outcome = await appraise(['results', path], join(dir, 'db.sqlite'))
    expect(outcome.code).not.toBe(0)
    expect(outcome.stdout).toBe('')
    const lines = outcome.stderr.trim().split('\n')
    expect(lines).toContain('scores[2].score: must be between 0 and 5')
    expect(lines.some((l) => l.startsWith('costs[0].to:'))).toBe(true)
  })

  it('says when a file is not JSON', async () => {
    const dir = tempDir()
    const path = join(dir, 'not.json')
    writeFileSync(path, '{ "format": ')
    const outcome = await appraise(['results', path], join(dir, 'db.sqlite'))
    expect(outcome.code).not.toBe(0)
    expect(outcome.stdout).toBe('')
    expect(outcome.stderr).toMatch(/^file: is not valid JSON/)
  })

  it('imports a file into the database, printing the new id, and exports an equivalent file', async () => {
    const dir = tempDir()
    const db = join(dir, 'db.sqlite')
    const imported = await appraise(['import', fixture], db)
    expect(imported.code).toBe(0)
    expect(imported.stdout.trim()).toMatch(/^\d+$/)
    const exported = await appraise(['export', imported.stdout.trim()], db)
    expect(exported.code).toBe(0)
    const original = parseEvaluationText(readFileSync(fixture, 'utf8'))
    const roundTrip = parseEvaluationText(exported.stdout)
    expect(roundTrip).toEqual(original)
  })

  it('writes nothing to the database when an imported file is invalid', async () => {
    const dir = tempDir()
    const db = join(dir, 'db.sqlite')
    const bad = JSON.parse(readFileSync(fixture, 'utf8'))
    bad.options.push({ id: 'retain', name: 'Duplicate' })
    const path = join(dir, 'bad.json')
    writeFileSync(path, JSON.stringify(bad))
    await appraise(['import', fixture], db)
    const outcome = await appraise(['import', path], db)
    expect(outcome.code).not.toBe(0)
    expect(outcome.stdout).toBe('')
    expect(outcome.stderr).toContain('options[3].id:')
    expect(await countEvaluations(db)).toBe(1)
  })

  it('refuses an unknown evaluation id on export', async () => {
    const dir = tempDir()
    const outcome = await appraise(['export', '42'], join(dir, 'db.sqlite'))
    expect(outcome.code).not.toBe(0)
    expect(outcome.stdout).toBe('')
    expect(outcome.stderr).toContain('there is no evaluation 42')
  })

  it('refuses iterations outside 1..1,000,000 and a seed that is not a whole number', async () => {
    const dir = tempDir()
    const db = join(dir, 'db.sqlite')
    for (const args of [['--iterations', '0'], ['--iterations', '2000000'], ['--iterations', '1.5'], ['--seed', 'abc']]) {
      const outcome = await appraise(['results', fixture, '--sensitivity', ...args], db)
      expect(outcome.code, args.join(' ')).not.toBe(0)
      expect(outcome.stdout).toBe('')
      expect(outcome.stderr).toMatch(/^--(iterations|seed): must be a whole number/)
    }
  })
})
