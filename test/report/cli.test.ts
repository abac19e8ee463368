import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { appraise } from '../appraise.js'
import { readPdf } from './pdf.js'

const fixture = new URL('../fixtures/small-evaluation.json', import.meta.url).pathname

describe('appraise report', () => {
  it('writes the draft PDF of a file to --out, identified by the file’s SHA-256, and prints where', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'appraise-report-'))
    const out = join(dir, 'report.pdf')
    const outcome = await appraise(['report', fixture, '--out', out], join(dir, 'db.sqlite'))
    expect(outcome.stderr).toBe('')
    expect(outcome.code).toBe(0)
    expect(outcome.stdout.trim()).toBe(out)
    const bytes = readFileSync(out)
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-')
    const pdf = await readPdf(bytes)
    expect(pdf.pages[0]!.text).toContain('Small worked example')
    expect(pdf.pages.every((page) => page.text.includes('DRAFT'))).toBe(true)
    expect(pdf.text).toContain(createHash('sha256').update(readFileSync(fixture)).digest('hex'))
    expect(pdf.text).toContain('7.5 Monte Carlo analysis')
    expect(pdf.text).toContain('10,000 runs (seed 1')
  }, 60_000)

  it('refuses an invalid file with the same errors as results, and writes no PDF', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'appraise-report-'))
    const bad = JSON.parse(readFileSync(fixture, 'utf8'))
    bad.scores[2].score = 9
    bad.costs[0].from = 3
    bad.costs[0].to = 1
    const path = join(dir, 'bad.json')
    writeFileSync(path, JSON.stringify(bad))
    const out = join(dir, 'report.pdf')
    const report = await appraise(['report', path, '--out', out], join(dir, 'db.sqlite'))
    const results = await appraise(['results', path], join(dir, 'db.sqlite'))
    expect(report.code).not.toBe(0)
    expect(report.stdout).toBe('')
    expect(report.stderr).toBe(results.stderr)
    expect(report.stderr.trim().split('\n')).toContain('scores[2].score: must be between 0 and 5')
    expect(existsSync(out)).toBe(false)
  }, 60_000)

  it('needs --out, and writes nothing without it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'appraise-report-'))
    const outcome = await appraise(['report', fixture], join(dir, 'db.sqlite'))
    expect(outcome.code).not.toBe(0)
    expect(outcome.stdout).toBe('')
    expect(outcome.stderr).toMatch(/^--out: name the PDF file to write/)
  }, 60_000)
})
