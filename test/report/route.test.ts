import { readFileSync } from 'node:fs'
import { describe, expect, it, vi } from 'vitest'
import { saveConsensusScore } from '../../src/db/scoring.js'
import { setUp } from '../changes.js'
import { parseEvaluationText } from '../../src/appraisal/index.js'
import { createTestApp } from '../helpers.js'
import { completeConsensus } from '../appraisal/factories.js'
import { readPdf } from './pdf.js'

const parsed = parseEvaluationText(readFileSync(new URL('../fixtures/small-evaluation.json', import.meta.url), 'utf8'))
if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
const fixture = parsed.file

describe('downloading the report', () => {
  it('gives the lead the PDF of the evaluation as it stands, marked DRAFT on every page, as an attachment', async () => {
    const t = await createTestApp()
    const id = await t.importFile(completeConsensus(fixture))
    const response = await t.app.request(`/evaluations/${id}/report.pdf`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/pdf')
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="small-worked-example-options-appraisal-draft.pdf"')
    const bytes = new Uint8Array(await response.arrayBuffer())
    expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe('%PDF-')
    const pdf = await readPdf(bytes)
    expect(pdf.pages[0]!.text).toContain('Small worked example')
    expect(pdf.pages.every((page) => page.text.includes('DRAFT'))).toBe(true)
    expect(pdf.text).toContain('Product A is the preferred tender.')
  }, 60_000)

  it('gives the same file twice while the evaluation is unchanged', async () => {
    const t = await createTestApp()
    const id = await t.importFile(completeConsensus(fixture))
    const first = Buffer.from(await (await t.app.request(`/evaluations/${id}/report.pdf`)).arrayBuffer())
    const second = Buffer.from(await (await t.app.request(`/evaluations/${id}/report.pdf`)).arrayBuffer())
    expect(first.equals(second)).toBe(true)
  }, 60_000)

  it('is dated by the evaluation’s last change, a moderated score included', async () => {
    const t = await createTestApp()
    const id = await t.importFile(completeConsensus(fixture))
    const consensus = await t.db.selectFrom('consensus_score').selectAll().where('evaluation_id', '=', id).orderBy('id').limit(1).executeTakeFirstOrThrow()
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      vi.setSystemTime(new Date('2030-01-02T03:04:05.000Z'))
      const key = { evaluationId: id, optionId: consensus.option_id, criterionId: consensus.criterion_id }
      const answer = {
        score: consensus.score,
        rationale: 'Moderated again, later',
        evidence: null,
        acceptedWithinTolerance: false,
        meetingId: consensus.meeting_id,
      }
      await setUp(t.db, id, (trx) => saveConsensusScore(trx, key, answer, consensus.version))
    } finally {
      vi.useRealTimers()
    }
    const pdf = await readPdf(new Uint8Array(await (await t.app.request(`/evaluations/${id}/report.pdf`)).arrayBuffer()))
    expect(pdf.pages[0]!.text).toContain('As at 2 January 2030')
    expect(pdf.info.CreationDate).toBe('D:20300102030405Z')
  }, 60_000)

  it('is offered on the evaluation’s page to those who may see the figures, and refused to an evaluator', async () => {
    const t = await createTestApp()
    const id = await t.importFile(fixture)
    // While moderation is open the lead sees quality only: the report waits, and is not offered (decision 17).
    expect(await (await t.app.request(`/evaluations/${id}`)).text()).not.toContain('report.pdf')
    expect((await t.app.request(`/evaluations/${id}/report.pdf`)).status).toBe(409)
    const evaluator = await t.clientWithRoles(id, ['evaluator'])
    expect((await evaluator.request(`/evaluations/${id}/report.pdf`)).status).toBe(403)
    expect(await (await evaluator.request(`/evaluations/${id}`)).text()).not.toContain('report.pdf')
    // Finance waits for moderation to finish; the fixture is part-way through.
    const finance = await t.clientWithRoles(id, ['finance'])
    expect((await finance.request(`/evaluations/${id}/report.pdf`)).status).toBe(409)
    const moderated = await t.importFile(completeConsensus(fixture))
    expect(await (await t.app.request(`/evaluations/${moderated}`)).text()).toContain(`href="/evaluations/${moderated}/report.pdf"`)
    const financeLater = await t.clientWithRoles(moderated, ['finance'])
    expect((await financeLater.request(`/evaluations/${moderated}/report.pdf`)).status).toBe(200)
  }, 60_000)

  it('answers 404 for an evaluation that does not exist', async () => {
    const t = await createTestApp()
    expect((await t.app.request('/evaluations/999/report.pdf')).status).toBe(404)
  })
})
