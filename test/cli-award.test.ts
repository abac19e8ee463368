import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { evaluationFileText } from '../src/appraisal/index.js'
import { appraise } from './appraise.js'
import { FINAL_SHA, finalisedDemo } from './report/finalised-demo.js'
import { readPdf } from './report/pdf.js'

/** The finalised demo as a file, and the same file without `finalised`. */
function files() {
  const dir = mkdtempSync(join(tmpdir(), 'appraise-award-'))
  const file = finalisedDemo()
  const { finalised: _, ...draft } = file
  const final = join(dir, 'final.json')
  const notFinal = join(dir, 'draft.json')
  writeFileSync(final, evaluationFileText(file))
  writeFileSync(notFinal, JSON.stringify(draft))
  return { dir, final, notFinal, db: join(dir, 'db.sqlite') }
}

describe('appraise summary and appraise ocds', () => {
  it('writes a tender’s final summary from a finalised file, a DRAFT from any other, and refuses an option that is not a tender', async () => {
    const { dir, final, notFinal, db } = files()
    const out = join(dir, 'summary.pdf')
    const written = await appraise(['summary', final, '--option', 'product-a', '--out', out], db)
    expect(written.stderr).toBe('')
    expect(written.code).toBe(0)
    expect(written.stdout.trim()).toBe(out)
    const pdf = await readPdf(readFileSync(out))
    expect(pdf.text).toContain(FINAL_SHA)
    expect(pdf.pages.some((page) => page.text.includes('DRAFT'))).toBe(false)

    const draftOut = join(dir, 'draft.pdf')
    expect((await appraise(['summary', notFinal, '--option', 'product-a', '--out', draftOut], db)).code).toBe(0)
    expect((await readPdf(readFileSync(draftOut))).pages.every((page) => page.text.includes('DRAFT'))).toBe(true)

    const refusedOut = join(dir, 'refused.pdf')
    const refused = await appraise(['summary', final, '--option', 'retain', '--out', refusedOut], db)
    expect(refused.code).not.toBe(0)
    expect(refused.stdout).toBe('')
    expect(refused.stderr).toMatch(/^--option: “Retain and remediate the current system” is not a tender/)
    expect(existsSync(refusedOut)).toBe(false)
  }, 90_000)

  it('prints the award as an OCDS release package that meets the schema', async () => {
    const { final, db } = files()
    const outcome = await appraise(['ocds', final], db)
    expect(outcome.stderr).toBe('')
    expect(outcome.code).toBe(0)
    const schema = JSON.parse(readFileSync(new URL('../docs/open-data/release-package.schema.json', import.meta.url), 'utf8'))
    const validate = new Ajv({ allErrors: true }).compile(schema)
    const printed = JSON.parse(outcome.stdout)
    expect(validate(printed), JSON.stringify(validate.errors)).toBe(true)
    expect(printed.releases[0].awards[0].suppliers).toEqual([{ id: 'tenderer-product-b', name: 'Example Cloud Software Ltd' }])
  }, 60_000)
})
