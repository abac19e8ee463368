import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseEvaluationText, type EvaluationFile } from '../../src/appraisal/index.js'
import { verifyEvaluation } from '../../src/db/verify.js'
import { completeConsensus } from '../appraisal/factories.js'
import { createTestApp, pageText, postForm, type TestApp } from '../helpers.js'
import { readPdf } from '../report/pdf.js'

const parsed = parseEvaluationText(readFileSync(new URL('../fixtures/small-evaluation.json', import.meta.url), 'utf8'))
if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
/** The fixture is part-way through moderation; this one is complete, so it can be finalised. */
const moderated: EvaluationFile = completeConsensus(parsed.file)
const partWay = parsed.file

async function pdfOf(response: Response) {
  expect(response.headers.get('content-type')).toBe('application/pdf')
  return readPdf(new Uint8Array(await response.arrayBuffer()))
}

async function leadName(t: TestApp): Promise<string> {
  return (await t.db.selectFrom('account').select('name').where('id', '=', t.accountId).executeTakeFirstOrThrow()).name
}

async function finalise(t: TestApp, id: number) {
  return postForm(t.app, `/evaluations/${id}/finalise`, { confirm: 'on' })
}

describe('finalising an evaluation', () => {
  it('is refused until every score is moderated, and says why', async () => {
    const t = await createTestApp()
    const id = await t.importFile(partWay)
    const page = pageText(await (await t.app.request(`/evaluations/${id}/finalise`)).text())
    // What is missing, option by option: submissions (or excuses), consensus, confirmations.
    expect(page).toContain('Product B: B. Evaluator must submit their scores or be excused.')
    expect(page).toContain('Product A: 1 criterion has no consensus yet.')
    const response = await finalise(t, id)
    expect(response.status).toBe(409)
    expect(pageText(await response.text())).toContain('Finish moderation first')
    const evaluation = await t.db.selectFrom('evaluation').select('status').where('id', '=', id).executeTakeFirstOrThrow()
    expect(evaluation.status).toBe('open')
  })

  it('needs the lead to confirm, and shows the message beside the box and in the summary', async () => {
    const t = await createTestApp()
    const id = await t.importFile(moderated)
    const response = await postForm(t.app, `/evaluations/${id}/finalise`, {})
    expect(response.status).toBe(422)
    const html = await response.text()
    expect(html).toContain('class="error-summary"')
    expect(html).toContain('href="#f-confirm"')
    expect(html).toContain('id="f-confirm-error"')
    expect((await t.db.selectFrom('finalised_report').select('id').execute()).length).toBe(0)
  })

  it('stores the final report, locks every change with a message naming who finalised it, and keeps the record verifiable', async () => {
    const t = await createTestApp()
    const id = await t.importFile(moderated)
    const response = await finalise(t, id)
    expect(response.status).toBe(303)

    const overview = pageText(await (await t.app.request(`/evaluations/${id}`)).text())
    expect(overview).toContain('Version 1 is finalised')
    const lead = await leadName(t)
    expect(overview).toContain(`Finalised by ${lead}`)

    // The report is the stored one: FINAL, with the fingerprints, the same bytes every time.
    const live = await t.app.request(`/evaluations/${id}/report.pdf`)
    const stored = await t.app.request(`/evaluations/${id}/versions/1/report.pdf`)
    const liveBytes = Buffer.from(await live.clone().arrayBuffer())
    expect(liveBytes.equals(Buffer.from(await stored.clone().arrayBuffer()))).toBe(true)
    const pdf = await pdfOf(stored)
    expect(pdf.text).toContain('FINAL — version 1')
    expect(pdf.text).not.toContain('DRAFT')
    expect(pdf.text).toContain(`By ${lead} on`)
    expect(pdf.text).toMatch(/Audit chain head\s*[0-9a-f]{64} \(entry \d+\)/)
    // The file fingerprint it prints is that of the evaluation file anyone can download.
    const exported = Buffer.from(await (await t.app.request(`/evaluations/${id}/export`)).arrayBuffer())
    expect(pdf.text).toContain(createHash('sha256').update(exported).digest('hex'))

    // Every change is refused, whoever asks and however: here a score, a weight, an option, a cost line.
    const option = await t.db.selectFrom('option').selectAll().where('evaluation_id', '=', id).orderBy('position').executeTakeFirstOrThrow()
    const criterion = await t.db.selectFrom('criterion').selectAll().where('evaluation_id', '=', id).where('kind', '=', 'criterion').executeTakeFirstOrThrow()
    const before = await t.db.selectFrom('audit_entry').select('id').where('evaluation_id', '=', id).execute()
    const attempts = [
      postForm(t.app, `/evaluations/${id}/criteria/${criterion.id}/weight`, { weight: '7' }),
      postForm(t.app, `/evaluations/${id}/options`, { name: 'A late entry' }),
      postForm(t.app, `/evaluations/${id}/moderation/${option.id}/${criterion.id}`, { score: '1', rationale: 'x'.repeat(60), version: '1' }),
      postForm(t.app, `/evaluations/${id}/costs/${option.id}/lines`, {
        kind: 'cost',
        label: 'Late cost',
        type: 'capital',
        amount: '100',
        from: '2026',
        to: '2026',
        growth: '',
        optimismBias: '',
      }),
      postForm(t.app, `/evaluations/${id}/settings`, {
        currency: 'GBP',
        baseYear: '2025',
        years: '12',
        discount: 'green-book',
        discountRate: '',
        discountSchedule: '',
        optimismBiasCapital: '0',
        optimismBiasOperating: '0',
        splitQuality: '60',
        splitCost: '40',
        priceFormula: 'relative-to-lowest',
      }),
    ]
    for (const attempt of await Promise.all(attempts)) {
      const text = pageText(await attempt.text())
      expect(attempt.status).toBe(409)
      expect(text).toContain(`was finalised by ${lead}`)
      expect(text).toContain('cannot be changed')
    }
    expect(await t.db.selectFrom('audit_entry').select('id').where('evaluation_id', '=', id).execute()).toEqual(before)
    expect((await verifyEvaluation(t.db, id)).problems).toEqual([])

    // The pages offer no change it would refuse.
    const criteriaPage = await (await t.app.request(`/evaluations/${id}/criteria`)).text()
    expect(criteriaPage).not.toContain(`action="/evaluations/${id}/criteria/${criterion.id}/weight"`)
    expect(pageText(await (await t.app.request(`/evaluations/${id}/finalise`)).text())).not.toContain('Finalise version 1')
  })

  it('refuses an htmx save with a reload, so the page shows the evaluation is finalised', async () => {
    const t = await createTestApp()
    const id = await t.importFile(moderated)
    await finalise(t, id)
    const criterion = await t.db.selectFrom('criterion').selectAll().where('evaluation_id', '=', id).where('kind', '=', 'criterion').executeTakeFirstOrThrow()
    const response = await postForm(t.app, `/evaluations/${id}/criteria/${criterion.id}/weight`, { weight: '7' }, { 'HX-Request': 'true' })
    expect(response.status).toBe(409)
    expect(response.headers.get('HX-Refresh')).toBe('true')
  })
})

describe('reopening a finalised evaluation', () => {
  it('needs a reason, records it, starts the next version and keeps the first version’s report', async () => {
    const t = await createTestApp()
    const id = await t.importFile(moderated)
    await finalise(t, id)
    const first = Buffer.from(await (await t.app.request(`/evaluations/${id}/versions/1/report.pdf`)).arrayBuffer())

    const noReason = await postForm(t.app, `/evaluations/${id}/reopen`, { reason: 'because' })
    expect(noReason.status).toBe(422)
    expect(pageText(await noReason.text())).toContain('in at least 20 characters')
    expect((await t.db.selectFrom('evaluation').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('finalised')

    const reason = 'The chief finance officer asked for the licence costs to be revalidated'
    expect((await postForm(t.app, `/evaluations/${id}/reopen`, { reason })).status).toBe(303)
    const evaluation = await t.db.selectFrom('evaluation').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(evaluation).toMatchObject({ status: 'open', version: 2, finalised_by_name: null })
    const entry = await t.db.selectFrom('audit_entry').selectAll().where('evaluation_id', '=', id).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow()
    expect(entry).toMatchObject({ kind: 'status', reason, actor_name: await leadName(t), evaluation_version: 2 })

    // Changes are taken again, as version 2; version 1's report is unchanged and still offered.
    const option = await t.db.selectFrom('option').selectAll().where('evaluation_id', '=', id).executeTakeFirstOrThrow()
    expect((await postForm(t.app, `/evaluations/${id}/options/${option.id}`, { name: `${option.name} (revalidated)` })).status).toBe(303)
    const again = Buffer.from(await (await t.app.request(`/evaluations/${id}/versions/1/report.pdf`)).arrayBuffer())
    expect(again.equals(first)).toBe(true)
    const overview = await (await t.app.request(`/evaluations/${id}`)).text()
    expect(overview).toContain(`/evaluations/${id}/versions/1/report.pdf`)
    const draft = await pdfOf(await t.app.request(`/evaluations/${id}/report.pdf`))
    expect(draft.text).toContain('DRAFT')

    // Finalised again: version 2 has its own report, and both stay.
    expect((await finalise(t, id)).status).toBe(303)
    const second = await pdfOf(await t.app.request(`/evaluations/${id}/versions/2/report.pdf`))
    expect(second.text).toContain('FINAL — version 2')
    expect(second.text).toContain('(revalidated)')
    expect((await t.app.request(`/evaluations/${id}/versions/1/report.pdf`)).status).toBe(200)
    expect((await t.app.request(`/evaluations/${id}/versions/3/report.pdf`)).status).toBe(404)
    expect((await verifyEvaluation(t.db, id)).problems).toEqual([])
  })

  it('is the lead’s alone, and only of a finalised evaluation', async () => {
    const t = await createTestApp()
    const id = await t.importFile(moderated)
    const reason = 'Reopening something that was never finalised'
    expect((await postForm(t.app, `/evaluations/${id}/reopen`, { reason })).status).toBe(409)
    await finalise(t, id)
    const observer = await t.clientWithRoles(id, ['observer'])
    expect((await postForm(observer, `/evaluations/${id}/reopen`, { reason })).status).toBe(403)
    expect((await observer.request(`/evaluations/${id}/versions/1/report.pdf`)).status).toBe(200)
    const evaluator = await t.clientWithRoles(id, ['evaluator'])
    expect((await evaluator.request(`/evaluations/${id}/versions/1/report.pdf`)).status).toBe(403)
  })
})

/** The moderated fixture with Product B's consensus and price lines made Product A's: the two tenders tie first. */
const tied: EvaluationFile = {
  ...moderated,
  consensus: [
    ...moderated.consensus.filter((c) => c.option !== 'product-b'),
    ...moderated.consensus.filter((c) => c.option === 'product-a').map((c) => ({ ...c, option: 'product-b' })),
  ],
  costs: [
    ...moderated.costs.filter((l) => l.option !== 'product-b'),
    ...moderated.costs.filter((l) => l.option === 'product-a').map((l) => ({ ...l, option: 'product-b' })),
  ],
}

describe('a tie for first place', () => {
  it('refuses to finalise while the preferred tender is tied, naming the plan’s tie-breaker, until the lead applies it as a recorded decision', async () => {
    const t = await createTestApp()
    const id = await t.importFile(tied)
    const refused = await finalise(t, id)
    expect(refused.status).toBe(409)
    const message = `Product A and Product B are tied as the preferred tender. Apply the plan’s tie-breaker (“${tied.tieBreaker}”) on the evaluation plan page`
    expect(pageText(await refused.text())).toContain(message)
    expect((await t.db.selectFrom('evaluation').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('open')
    const plan = pageText(await (await t.app.request(`/evaluations/${id}/plan`)).text())
    expect(plan).toContain('Product A')

    // Only a tender tied first, and with a reason of 20 characters: refused beside the field, nothing recorded.
    const reason = 'Equal totals; Product B has the higher quality score, as the plan’s tie-breaker says'
    const notTied = await postForm(t.app, `/evaluations/${id}/plan/tie-decision`, { tieDecisionOption: 'retain', tieDecisionReason: reason })
    expect(notTied.status).toBe(422)
    expect(pageText(await notTied.text())).toContain('Choose one of the tenders tied first')
    expect(
      (await postForm(t.app, `/evaluations/${id}/plan/tie-decision`, { tieDecisionOption: 'product-b', tieDecisionReason: 'Higher quality' })).status,
    ).toBe(422)
    expect((await t.db.selectFrom('evaluation').select('tie_decision').where('id', '=', id).executeTakeFirstOrThrow()).tie_decision).toBeNull()

    expect((await postForm(t.app, `/evaluations/${id}/plan/tie-decision`, { tieDecisionOption: 'product-b', tieDecisionReason: reason })).status).toBe(303)
    const entry = await t.db.selectFrom('audit_entry').selectAll().where('evaluation_id', '=', id).orderBy('seq', 'desc').executeTakeFirstOrThrow()
    expect(entry).toMatchObject({ kind: 'plan', reason, summary: 'Tie-breaker applied: “Product B” preferred among the tenders tied first' })
    const exported = JSON.parse(await (await t.app.request(`/evaluations/${id}/export`)).text()) as EvaluationFile
    expect(exported.tieDecision).toMatchObject({ option: 'product-b', reason, by: await leadName(t) })

    expect((await finalise(t, id)).status).toBe(303)
    const pdf = await pdfOf(await t.app.request(`/evaluations/${id}/versions/1/report.pdf`))
    expect(pdf.text).toContain('Tie-breaker applied.')
    expect(pdf.text).toMatch(/applied it in favour of\s+Product B/)
  })
})
