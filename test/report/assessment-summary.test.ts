import { beforeAll, describe, expect, it } from 'vitest'
import { computeResults, weighCriteria, type AppraisalResults, type EvaluationFile } from '../../src/appraisal/index.js'
import { assessmentSummaryProblem, AssessmentSummaryRefusedError, renderAssessmentSummary } from '../../src/report/assessment-summary.js'
import { PAGE } from '../../src/report/index.js'
import { FINAL_SHA, finalisedDemo } from './finalised-demo.js'
import { readPdf, textOutsideMargins, type ReadPdf } from './pdf.js'

const AS_AT = new Date('2026-12-01T09:30:00Z')

const squash = (text: string) => text.replace(/\s+/g, ' ').trim()

/** Every name by which an option could be recognised. */
const namesOf = (file: EvaluationFile, id: string) => {
  const option = file.options.find((o) => o.id === id)!
  return [option.name, option.supplier, option.product].filter((name): name is string => name !== undefined)
}

describe('the assessment summary of each tender in the finalised demo', () => {
  let file: EvaluationFile
  let results: AppraisalResults
  const pdfs = new Map<string, { bytes: Buffer; pdf: ReadPdf; text: string }>()

  beforeAll(async () => {
    file = finalisedDemo()
    results = computeResults(file)
    for (const option of file.options.filter((o) => o.tender)) {
      const bytes = await renderAssessmentSummary(file, results, option.id, { generatedAt: AS_AT })
      const pdf = await readPdf(bytes, { structure: true })
      pdfs.set(option.id, { bytes, pdf, text: squash(pdf.text) })
    }
  }, 60_000)

  it('is made for every tender, and refused for business as usual, which did not tender', () => {
    expect([...pdfs.keys()]).toEqual(['product-a', 'product-b', 'product-c'])
    expect(assessmentSummaryProblem(file, results, 'retain')).toMatch(/is not a tender/)
    expect(assessmentSummaryProblem(file, results, 'nothing')).toMatch(/there is no option "nothing"/)
    return expect(renderAssessmentSummary(file, results, 'retain', { generatedAt: AS_AT })).rejects.toBeInstanceOf(AssessmentSummaryRefusedError)
  })

  it('gives every criterion with the consensus score and reasons of the tender and of the preferred tender', () => {
    const weights = weighCriteria(file.criteria)
    const consensus = new Map(file.consensus.map((score) => [`${score.option}|${score.criterion}`, score]))
    const preferred = results.preferred!
    for (const [id, { text }] of pdfs) {
      for (const node of weights.nodes) expect(text, `${id}: ${node.name}`).toContain(squash(node.name))
      for (const leaf of [...weights.scoredLeaves, ...weights.gates]) {
        const shown = (option: string) => {
          const agreed = consensus.get(`${option}|${leaf.id}`)!
          const score = leaf.role === 'gate' ? (agreed.score >= 1 ? 'Pass' : 'Fail') : `${agreed.score} of ${file.scale.max}`
          return `${score} ${squash(agreed.rationale ?? '')}`
        }
        expect(text, `${id} on ${leaf.id}`).toContain(`Your tender ${shown(id)}`)
        if (id !== preferred) expect(text, `${id}: the preferred tender on ${leaf.id}`).toContain(`Preferred tender ${shown(preferred)}`)
      }
    }
  })

  it('gives its own and the preferred tender’s quality, price score, total and rank, and names no other tenderer', () => {
    const preferred = results.options.find((o) => o.id === results.preferred)!
    const one = (value: number | null) => (value === null ? '—' : value.toFixed(1))
    for (const [id, { text }] of pdfs) {
      const own = results.options.find((o) => o.id === id)!
      const row = (label: string, pick: (o: typeof own) => number | null) =>
        id === preferred.id ? `${label} ${one(pick(own))}` : `${label} ${one(pick(own))} ${one(pick(preferred))}`
      expect(text).toContain(row('Quality score (out of 100)', (o) => o.quality))
      expect(text).toContain(row('Price score (out of 100)', (o) => o.priceScore))
      expect(text).toContain(row('Total score (out of 100)', (o) => o.total))
      for (const other of file.options.filter((o) => o.id !== id && o.id !== preferred.id)) {
        for (const name of namesOf(file, other.id)) expect(text, `${id} names ${other.id}`).not.toContain(name)
        const figures = results.options.find((o) => o.id === other.id)!
        for (const figure of [figures.quality, figures.total])
          if (figure !== null) expect(text, `${id} gives a figure of ${other.id}`).not.toContain(` ${figure.toFixed(1)} `)
      }
    }
    expect(pdfs.get('product-c')!.text).toContain('Not ranked: failed a gate')
    expect(pdfs.get(preferred.id)!.text).toContain('Your tender is the preferred tender')
  })

  it('gives the price basis and formula, the standstill dates, the version and the final report’s SHA-256, final on every page', () => {
    for (const { pdf, text } of pdfs.values()) {
      expect(text).toContain('Every charge for licences, hosting, support and implementation over ten years')
      expect(text).toContain('price score = 100 × the lowest evaluated price among the eligible tenders ÷ your evaluated price')
      expect(text).toContain('Award decision 4 December 2026 Standstill period begins 7 December 2026 Standstill period ends 16 December 2026')
      expect(text).toContain(`Version 2, finalised by Priya Shah on 3 December 2026 Final report SHA-256 ${FINAL_SHA}`)
      expect(pdf.pages.some((page) => page.text.includes('DRAFT'))).toBe(false)
      expect(pdf.pages.slice(1).every((page) => page.text.includes('FINAL — version 2'))).toBe(true)
    }
  })

  it('is tagged, embeds its fonts, keeps its text inside the margins and gives the same bytes again', async () => {
    const { bytes, pdf } = pdfs.get('product-a')!
    expect(pdf.marked).toBe(true)
    expect(pdf.roles).toEqual(expect.arrayContaining(['Document', 'H1', 'H2', 'Table', 'TH', 'TD', 'P']))
    expect(bytes.includes('/FontFile2')).toBe(true)
    expect(bytes.includes('/Helvetica')).toBe(false)
    expect(textOutsideMargins(pdf, PAGE)).toEqual([])
    const again = await renderAssessmentSummary(file, results, 'product-a', { generatedAt: new Date('2030-01-01T00:00:00Z') })
    expect(again.equals(bytes)).toBe(true)
  })

  it('is a draft, marked DRAFT on every page, from a file that is not finalised', async () => {
    const { finalised: _, ...draft } = file
    const bytes = await renderAssessmentSummary(draft, results, 'product-a', { generatedAt: AS_AT })
    const pdf = await readPdf(bytes)
    expect(pdf.pages.every((page) => page.text.includes('DRAFT'))).toBe(true)
    expect(squash(pdf.text)).not.toContain(FINAL_SHA)
    expect(pdf.info.CreationDate).toBe('D:20261201093000Z')
  })
})
