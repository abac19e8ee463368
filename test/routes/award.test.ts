import { readFileSync } from 'node:fs'
import { inflateRawSync } from 'node:zlib'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { computeResults, parseEvaluationText } from '../../src/appraisal/index.js'
import { renderAssessmentSummary } from '../../src/report/assessment-summary.js'
import { crc32 } from '../../src/zip.js'
import { verifyEvaluation } from '../../src/db/verify.js'
import { completeConsensus } from '../appraisal/factories.js'
import { createTestApp, pageText, postForm, type TestApp } from '../helpers.js'
import { readPdf } from '../report/pdf.js'

const parsed = parseEvaluationText(readFileSync(new URL('../fixtures/small-evaluation.json', import.meta.url), 'utf8'))
if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
const moderated = completeConsensus(parsed.file)

/** The entries of a zip archive, read from its local headers, each checked against its CRC-32. */
function unzip(zip: Buffer): { name: string; data: Buffer }[] {
  const entries: { name: string; data: Buffer }[] = []
  let at = 0
  while (zip.readUInt32LE(at) === 0x04034b50) {
    const size = zip.readUInt32LE(at + 18)
    const nameLength = zip.readUInt16LE(at + 26)
    const start = at + 30 + nameLength + zip.readUInt16LE(at + 28)
    const data = inflateRawSync(zip.subarray(start, start + size))
    expect(crc32(data)).toBe(zip.readUInt32LE(at + 14))
    entries.push({ name: zip.subarray(at + 30, at + 30 + nameLength).toString('utf8'), data })
    at = start + size
  }
  return entries
}

async function optionIds(t: TestApp, id: number) {
  const rows = await t.db.selectFrom('option').select(['id', 'key']).where('evaluation_id', '=', id).execute()
  return Object.fromEntries(rows.map((row) => [row.key, row.id]))
}

describe('the award record, the assessment summaries and the open data', () => {
  it('are refused until the evaluation is finalised, and write nothing', async () => {
    const t = await createTestApp()
    const id = await t.importFile(moderated)
    const options = await optionIds(t, id)
    expect(pageText(await (await t.app.request(`/evaluations/${id}/award`)).text())).toContain('Finalise the evaluation first')
    expect((await t.app.request(`/evaluations/${id}/award/summaries/${options['product-a']}`)).status).toBe(409)
    expect((await t.app.request(`/evaluations/${id}/award/ocds.json`)).status).toBe(409)
    expect((await postForm(t.app, `/evaluations/${id}/award`, { decisionDate: '2026-12-04' })).status).toBe(409)
    const row = await t.db.selectFrom('evaluation').select('award_decision_date').where('id', '=', id).executeTakeFirstOrThrow()
    expect(row.award_decision_date).toBeNull()
  })

  it('records the dates and notifications of a finalised version, and gives each tender its final summary, all as one zip, and the OCDS package', async () => {
    const t = await createTestApp()
    const id = await t.importFile(moderated)
    const options = await optionIds(t, id)
    expect((await postForm(t.app, `/evaluations/${id}/finalise`, { confirm: 'on' })).status).toBe(303)
    const report = await t.db.selectFrom('finalised_report').select(['pdf_sha256']).where('evaluation_id', '=', id).executeTakeFirstOrThrow()

    // A standstill period that ends before it begins is refused beside its field, and nothing is saved.
    const bad = await postForm(t.app, `/evaluations/${id}/award`, { decisionDate: '2026-12-04', standstillStart: '2026-12-07', standstillEnd: '2026-12-05' })
    expect(bad.status).toBe(422)
    expect(await bad.text()).toContain('id="f-standstillEnd-error"')
    expect((await t.db.selectFrom('evaluation').select('award_decision_date').where('id', '=', id).executeTakeFirstOrThrow()).award_decision_date).toBeNull()
    // Every tender's figures only after the standstill period.
    const early = await postForm(t.app, `/evaluations/${id}/award`, { standstillEnd: '2999-01-01', publishAllFigures: 'on' })
    expect(early.status).toBe(422)

    const dates = { decisionDate: '2026-12-04', standstillStart: '2026-12-07', standstillEnd: '2026-12-16' }
    expect((await postForm(t.app, `/evaluations/${id}/award`, dates)).status).toBe(303)
    const notice = { option: String(options['product-a']), date: '2026-12-04', to: 'bids@fictional.example', method: 'email' }
    expect((await postForm(t.app, `/evaluations/${id}/award/notifications`, notice)).status).toBe(303)
    expect((await postForm(t.app, `/evaluations/${id}/award/notifications`, { ...notice, option: String(options.retain) })).status).toBe(422)
    const page = pageText(await (await t.app.request(`/evaluations/${id}/award`)).text())
    expect(page).toContain('Fictional Systems Ltd 4 December 2026 bids@fictional.example email')
    const entries = await t.db.selectFrom('audit_entry').select(['kind', 'summary']).where('evaluation_id', '=', id).where('kind', '=', 'award').execute()
    expect(entries.map((e) => e.summary)).toEqual([
      'Award record: decision date and standstill period saved',
      'Award record: Fictional Systems Ltd notified on 2026-12-04',
    ])
    expect((await verifyEvaluation(t.db, id)).problems).toEqual([])
    const exported = await (await t.app.request(`/evaluations/${id}/export`)).text()
    expect(JSON.parse(exported).award).toEqual({
      ...dates,
      notifications: [{ option: 'product-a', date: '2026-12-04', to: 'bids@fictional.example', method: 'email' }],
    })

    const summary = await t.app.request(`/evaluations/${id}/award/summaries/${options['product-a']}`)
    expect(summary.status).toBe(200)
    expect(summary.headers.get('content-type')).toBe('application/pdf')
    const bytes = Buffer.from(await summary.arrayBuffer())
    const pdf = await readPdf(bytes)
    expect(pdf.text).toContain(report.pdf_sha256)
    expect(pdf.text).toContain('Standstill period ends 16 December 2026')
    expect(pdf.pages.some((p) => p.text.includes('DRAFT'))).toBe(false)
    expect((await t.app.request(`/evaluations/${id}/award/summaries/${options.retain}`)).status).toBe(409)

    const zip = await t.app.request(`/evaluations/${id}/award/summaries.zip`)
    expect(zip.headers.get('content-type')).toBe('application/zip')
    const files = unzip(Buffer.from(await zip.arrayBuffer()))
    expect(files.map((f) => f.name)).toEqual([
      'small-worked-example-assessment-summary-product-a-final.pdf',
      'small-worked-example-assessment-summary-product-b-final.pdf',
    ])
    expect(files[0]!.data.equals(bytes)).toBe(true)

    const ocds = (await (await t.app.request(`/evaluations/${id}/award/ocds.json`)).json()) as { releases: { id: string }[] }
    const schema = JSON.parse(readFileSync(new URL('../../docs/open-data/release-package.schema.json', import.meta.url), 'utf8'))
    const validate = new Ajv({ allErrors: true }).compile(schema)
    expect(validate(ocds), JSON.stringify(validate.errors)).toBe(true)
    expect(ocds.releases[0]!.id).toMatch(/-award-v1$/)

    // The finalised version as a file: what appraise summary reads to give the same final summary.
    const finalisedFile = parseEvaluationText(await (await t.app.request(`/evaluations/${id}/award/evaluation.json`)).text())
    if (!finalisedFile.ok) throw new Error(finalisedFile.errors.join('\n'))
    expect(finalisedFile.file.finalised).toMatchObject({ version: 1, reportSha256: report.pdf_sha256 })
    expect(finalisedFile.file.award?.standstillEnd).toBe('2026-12-16')
    // From that file, the command line's renderer gives the app's summary byte for byte.
    const again = await renderAssessmentSummary(finalisedFile.file, computeResults(finalisedFile.file), 'product-a', { generatedAt: new Date() })
    expect(again.equals(bytes)).toBe(true)
  }, 120_000)
})
