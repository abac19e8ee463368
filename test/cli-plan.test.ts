// appraise plan (issue 19): the evaluation plan as a PDF from a file, stamped with the hash the app
// computes for the same plan; a bad file is refused by JSON path and nothing is written.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { evaluationFileText, parseEvaluationText, planHash, type EvaluationFile } from '../src/appraisal/index.js'
import { readPlanSource } from '../src/db/plan.js'
import { appraise } from './appraise.js'
import { createTestApp } from './helpers.js'
import { readPdf } from './report/pdf.js'

const parsed = parseEvaluationText(readFileSync(new URL('./fixtures/small-evaluation.json', import.meta.url), 'utf8'))
if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
/** The fixture with its plan's approval, as an export carries it. */
const approved: EvaluationFile = {
  ...parsed.file,
  priceBasis: 'Everything the supplier charges over five years, as priced in the tender',
  plan: { approvedAt: '2026-01-12T09:30:00.000Z', approvedBy: 'Lena Lead', changes: [] },
}

describe('appraise plan', () => {
  it('writes the plan as a PDF carrying the hash the app computes for the same file, the same bytes as the app’s, and refuses a bad file by JSON path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'appraise-plan-'))
    const path = join(dir, 'evaluation.json')
    writeFileSync(path, evaluationFileText(approved))
    const out = join(dir, 'plan.pdf')
    const written = await appraise(['plan', path, '--out', out], join(dir, 'db.sqlite'))
    expect(written.stderr).toBe('')
    expect(written.code).toBe(0)
    expect(written.stdout.trim()).toBe(out)

    const t = await createTestApp()
    const id = await t.importFile(approved)
    const hash = planHash(await readPlanSource(t.db, id))
    const bytes = readFileSync(out)
    const pdf = await readPdf(bytes)
    expect(pdf.text).toContain(`SHA-256 of the plan: ${hash}`)
    expect(pdf.pages[0]!.text).toContain('Approved plan — version 1')
    // A stand-alone methodology for the tender pack: what the price covers, and no pointer to a section it lacks.
    const text = pdf.text.replace(/\s+/g, ' ')
    expect(text).toContain(`What the price covers. ${approved.priceBasis}`)
    expect(text).toContain('the evaluation report’s sensitivity analysis checks whether that happens once the tenders are scored')
    expect(text).not.toContain('sensitivity section')
    expect(Buffer.from(await (await t.app.request(`/evaluations/${id}/plan.pdf`)).arrayBuffer()).equals(bytes)).toBe(true)

    const bad = JSON.parse(evaluationFileText(approved))
    bad.criteria[0].criteria[0].weight = -2
    const badPath = join(dir, 'bad.json')
    writeFileSync(badPath, JSON.stringify(bad))
    const badOut = join(dir, 'bad.pdf')
    const refused = await appraise(['plan', badPath, '--out', badOut], join(dir, 'db.sqlite'))
    expect(refused.code).not.toBe(0)
    expect(refused.stdout).toBe('')
    expect(refused.stderr.trim().split('\n')[0]).toMatch(/^criteria\[0\]\.criteria\[0\]\.weight: /)
    expect(existsSync(badOut)).toBe(false)
  }, 90_000)
})
