// Small builders for the security tests: a minimal valid file to vary, the web import, the command line.

import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseEvaluationFile, type EvaluationFile } from '../../src/appraisal/index.js'
import { appraise, type CliOutcome } from '../appraise.js'
import type { TestClient } from '../helpers.js'

/** The smallest valid file: one option, one criterion; everything else as given. */
export function minimalFile(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    format: 'options-appraisal/1',
    title: 'Limits',
    appraisal: { baseYear: 2025, years: 10 },
    options: [{ id: 'a', name: 'Option A' }],
    criteria: [{ id: 'quality', name: 'Quality' }],
    ...overrides,
  }
}

export function validFile(value: unknown): EvaluationFile {
  const parsed = parseEvaluationFile(value)
  if (!parsed.ok) throw new Error(parsed.errors.slice(0, 5).join('\n'))
  return parsed.file
}

export function errorsOf(value: unknown): string[] {
  const parsed = parseEvaluationFile(value)
  return parsed.ok ? [] : parsed.errors
}

/** Uploads a file's text to the import page, as the browser's form does. */
export function upload(app: TestClient, text: string, name = 'evaluation.json'): Promise<Response> {
  const form = new FormData()
  form.set('file', new File([text], name, { type: 'application/json' }))
  return Promise.resolve(app.request('/evaluations/import', { method: 'POST', body: form }))
}

/** The message shown beside a form field: the error element whose id ends with the field's name. */
export function fieldError(html: string, field: string): string {
  const match = new RegExp(`<p class="error-message" id="[^"]*${field}-error">([\\s\\S]*?)</p>`).exec(html)
  if (match === null) throw new Error(`no error beside ${field}`)
  return (match[1] ?? '')
    .replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^Error: /, '')
}

/** Runs `appraise` on a file written for it (a command that needs no database: results, report). */
export function appraiseFile(args: (file: string) => string[], content: string): Promise<CliOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'appraise-security-'))
  const file = join(dir, 'evaluation.json')
  writeFileSync(file, content)
  return appraise(args(file), join(dir, 'unused.sqlite'))
}
