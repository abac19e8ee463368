import { describe, expect, it } from 'vitest'
import { computeResultsWithSensitivity, parseEvaluationFile } from '../../src/appraisal/index.js'
import { PAGE, renderReport } from '../../src/report/index.js'
import { largeEvaluation } from '../appraisal/large-evaluation.js'
import { readPdf, textOutsideMargins } from './pdf.js'

// Speed is measured by the benchmark, not here: this is about layout at scale.
describe('the report of a large evaluation (20 options, 300 criteria, 15 panel members)', () => {
  it('keeps every line of text inside the page margins on every page, with every page numbered', async () => {
    const parsed = parseEvaluationFile(largeEvaluation({ options: 20, criteria: 300, evaluators: 15 }))
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
    const file = parsed.file
    const results = computeResultsWithSensitivity(file, { iterations: 200 })
    const bytes = await renderReport(file, results, { status: 'draft', generatedAt: new Date('2026-11-25T00:00:00Z') })
    const pdf = await readPdf(bytes)
    expect(pdf.pages.length).toBeGreaterThan(300)
    expect(textOutsideMargins(pdf, PAGE)).toEqual([])
    const last = pdf.pages.length
    expect(pdf.pages.at(-1)!.text).toContain(`Page ${last} of ${last}`)
    // Every criterion has its table of scores.
    expect(pdf.text).toContain('Criterion 9.29')
    expect(pdf.text).toContain('option-19')
  }, 120_000)
})
