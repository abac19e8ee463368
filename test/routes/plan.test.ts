// The evaluation plan (issue 19): approval and its hash, the gate on scoring, changes with and without
// reasons, the plan as a PDF and the report's section. Runs on SQLite and, in CI, on PostgreSQL: the
// hash asserted below is the same on both.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { computeResultsWithSensitivity, parseEvaluationText, planHash, type EvaluationFile } from '../../src/appraisal/index.js'
import { findCriterion, listCriteria } from '../../src/db/criteria.js'
import { readEvaluationFile } from '../../src/db/evaluation-file.js'
import { findEvaluation } from '../../src/db/evaluations.js'
import { listPlanVersions, PlanChangeNeedsReasonError, PlanNotApprovedError, readPlanSource, scoresToRevisit } from '../../src/db/plan.js'
import { listPanelMembers } from '../../src/db/panel.js'
import { saveScore } from '../../src/db/scoring.js'
import { listOptions } from '../../src/db/options.js'
import { setCriterionWeight } from '../../src/db/criteria.js'
import { renderReport } from '../../src/report/index.js'
import { TEST_ACTOR } from '../changes.js'
import { approveTestPlan, createEvaluation, createTestApp, pageText, postForm, textOf, type TestApp } from '../helpers.js'
import { readPdf } from '../report/pdf.js'

const text = readFileSync(new URL('../fixtures/small-evaluation.json', import.meta.url), 'utf8')
const parsedFixture = parseEvaluationText(text)
if (!parsedFixture.ok) throw new Error(parsedFixture.errors.join('\n'))
const fixture = parsedFixture.file

/** The fixture's plan hash, computed once by hand from its canonical JSON: the same on every engine. */
const FIXTURE_PLAN_HASH = 'd653c242913d218640ae0efa90f8234cf12bf1269a83443f5e5dcaf7b02dbb53'

/** The fixture before scoring: no scores, no consensus, no plan approval. */
const draftFile: EvaluationFile = { ...fixture, scores: [], consensus: [] }

async function entries(t: TestApp, id: number) {
  return t.db.selectFrom('audit_entry').selectAll().where('evaluation_id', '=', id).orderBy('seq').execute()
}

async function firstScoreTarget(t: TestApp, id: number) {
  const [member] = await listPanelMembers(t.db, id)
  const option = (await listOptions(t.db, id)).find((o) => o.tender === 1)!
  const criterion = (await listCriteria(t.db, id)).find((c) => c.kind === 'criterion')!
  return { member: member!, option, criterion }
}

describe('the evaluation plan', () => {
  it('hashes the same plan to the same SHA-256 from the file and from the database, on this engine as on the other', async () => {
    const t = await createTestApp()
    const id = await t.importFile(fixture)
    expect(planHash(fixture)).toBe(FIXTURE_PLAN_HASH)
    expect(planHash(await readPlanSource(t.db, id))).toBe(FIXTURE_PLAN_HASH)
    // The fixture carries scores and no plan, so it was approved at import, as it stood.
    const [approval] = await listPlanVersions(t.db, id)
    expect(approval).toMatchObject({ version: 1, hash: FIXTURE_PLAN_HASH, reason: null })
    expect((await entries(t, id))[0]!.summary).toContain('its plan treated as approved at import')
    expect((await readEvaluationFile(t.db, id))?.plan).toMatchObject({ hash: FIXTURE_PLAN_HASH, changes: [] })
  })

  it('keeps scoring and declarations closed until the lead approves the plan, then records the approval with its hash', async () => {
    const t = await createTestApp()
    const id = await t.importFile(draftFile, { draft: true })
    const { member, option, criterion } = await firstScoreTarget(t, id)
    const answer = { score: 3, rationale: 'A rationale long enough for the panel’s rule of fifty characters.', evidence: null }
    await expect(saveScore(t.db, TEST_ACTOR, member, option, criterion, answer, null)).rejects.toThrow(PlanNotApprovedError)
    const evaluator = await t.clientWithRoles(id, ['evaluator'])
    const declared = await postForm(evaluator, `/evaluations/${id}/scoring/declaration`, { interest: 'none' })
    expect(declared.status).toBe(409)
    expect(pageText(await declared.text())).toContain('The evaluation plan has not been approved yet')

    const page = pageText(await (await t.app.request(`/evaluations/${id}/plan`)).text())
    expect(page).toContain('Draft: not approved yet')
    expect(page).toContain(FIXTURE_PLAN_HASH)
    const approved = await postForm(t.app, `/evaluations/${id}/plan/approve`, {})
    expect(approved.status).toBe(303)
    expect(await listPlanVersions(t.db, id)).toMatchObject([{ version: 1, hash: FIXTURE_PLAN_HASH, approved_by_name: expect.stringContaining('Test Person') }])
    const last = (await entries(t, id)).at(-1)!
    expect(last).toMatchObject({ kind: 'plan', summary: `Evaluation plan approved (version 1): SHA-256 ${FIXTURE_PLAN_HASH}` })
    expect(await saveScore(t.db, TEST_ACTOR, member, option, criterion, answer, null)).toMatchObject({ score: answer.score, version: 1 })
    // Approving twice is refused, beside the plan's status.
    const again = await postForm(t.app, `/evaluations/${id}/plan/approve`, {})
    expect(again.status).toBe(422)
    expect(pageText(await again.text())).toContain('The plan was approved on')
  })

  it('opens tenders and their cost lines only once the plan is approved, saying why beside the field; business as usual, other options and their lines before', async () => {
    const t = await createTestApp()
    const id = await createEvaluation(t.app, { template: 'police-records-management' })
    const page = pageText(await (await t.app.request(`/evaluations/${id}/options`)).text())
    expect(page).toContain('The evaluation plan is a draft Tenders open once the lead approves the evaluation plan')
    const before = (await entries(t, id)).length
    const tender = await postForm(t.app, `/evaluations/${id}/options`, { name: 'Product A', kind: 'tender' })
    expect(tender.status).toBe(422)
    expect(await tender.text()).toMatch(/id="f-kind-error">[\s\S]*“Product A” is a tender, and the evaluation plan has not been approved yet/)
    expect(await listOptions(t.db, id)).toEqual([])
    expect(await entries(t, id)).toHaveLength(before)
    expect((await postForm(t.app, `/evaluations/${id}/options`, { name: 'Retain', kind: 'baseline' })).status).toBe(303)
    expect((await postForm(t.app, `/evaluations/${id}/options`, { name: 'Remediate', kind: 'other' })).status).toBe(303)
    const [retain, remediate] = await listOptions(t.db, id)
    // The organisation's own estimates for options that are not tenders go in before approval.
    const line = { kind: 'cost', label: 'Remediation work', amount: '1000', from: String(new Date().getUTCFullYear()), price: 'no' }
    expect((await postForm(t.app, `/evaluations/${id}/costs/${remediate!.id}/lines`, line)).status).toBe(303)
    // Nor can an option be made a tender: refused beside the field, the option as it was.
    const made = await postForm(t.app, `/evaluations/${id}/options/${retain!.id}`, { name: 'Retain', kind: 'tender' })
    expect(made.status).toBe(422)
    expect(pageText(await made.text())).toContain('“Retain” is a tender, and the evaluation plan has not been approved yet')
    expect((await listOptions(t.db, id)).map((o) => [o.name, o.baseline, o.tender])).toEqual([
      ['Retain', 1, 0],
      ['Remediate', 0, 0],
    ])
    expect((await postForm(t.app, `/evaluations/${id}/plan/approve`, {})).status).toBe(303)
    expect(pageText(await (await t.app.request(`/evaluations/${id}/options`)).text())).not.toContain('The evaluation plan is a draft')
    expect((await postForm(t.app, `/evaluations/${id}/options`, { name: 'Product A', kind: 'tender' })).status).toBe(303)
  })

  it('imports a draft file with tenders as a draft whose tenders stay closed until approval, and says so in the log', async () => {
    const t = await createTestApp()
    const id = await t.importFile(draftFile, { draft: true })
    expect((await entries(t, id))[0]!.summary).toContain('its plan is a draft, so its tenders stay closed to changes until the lead approves it')
    const productA = (await listOptions(t.db, id)).find((o) => o.key === 'product-a')!
    const costs = pageText(await (await t.app.request(`/evaluations/${id}/costs/${productA.id}`)).text())
    expect(costs).toContain('The evaluation plan is a draft')
    const lines = async () => t.db.selectFrom('money_line').selectAll().where('option_id', '=', productA.id).orderBy('id').execute()
    const kept = await lines()
    const line = { kind: 'cost', label: 'Licences', amount: '1000', from: '2025' }
    const refused = await postForm(t.app, `/evaluations/${id}/costs/${productA.id}/lines`, line)
    expect(refused.status).toBe(409)
    expect(pageText(await refused.text())).toContain('“Product A” is a tender, and the evaluation plan has not been approved yet')
    expect(await lines()).toEqual(kept)
    await approveTestPlan(t.db, id)
    // Once approved, the tenders' costs are finance's while the panel moderates (decision 17), and
    // finance declares before working on them (the test client declares for its roles).
    const finance = await t.clientWithRoles(id, ['finance'])
    expect((await postForm(finance, `/evaluations/${id}/costs/${productA.id}/lines`, line)).status).toBe(303)
  })

  it('refuses to approve a plan with no scored criterion, and asks to confirm a split that gives cost no weight when tenders have price lines', async () => {
    const t = await createTestApp()
    const gatesOnly = { ...draftFile, criteria: [{ id: 'live', name: 'Live elsewhere', gate: true }], evaluators: [], sunkCosts: [] }
    const id = await t.importFile(gatesOnly, { draft: true })
    const refused = await postForm(t.app, `/evaluations/${id}/plan/approve`, {})
    expect(refused.status).toBe(422)
    expect(pageText(await refused.text())).toContain('The plan needs at least one scored criterion')
    expect(await listPlanVersions(t.db, id)).toEqual([])

    const noCost = await t.importFile({ ...draftFile, split: { quality: 100, cost: 0 } }, { draft: true })
    const unconfirmed = await postForm(t.app, `/evaluations/${noCost}/plan/approve`, {})
    expect(unconfirmed.status).toBe(422)
    expect(pageText(await unconfirmed.text())).toContain('The split gives cost no weight while tenders have price lines')
    expect(await listPlanVersions(t.db, noCost)).toEqual([])
    expect((await postForm(t.app, `/evaluations/${noCost}/plan/approve`, { confirmNoCostWeight: 'on' })).status).toBe(303)
  })

  it('refuses a change to the approved plan without a reason of 20 characters, changing nothing, and with one starts version 2 and flags the scores to revisit', async () => {
    const t = await createTestApp()
    const id = await t.importFile(fixture)
    const scored = fixture.scores[0]!
    const criterion = (await listCriteria(t.db, id)).find((c) => c.key === scored.criterion)!
    const before = (await entries(t, id)).length

    const withoutReason = await postForm(t.app, `/evaluations/${id}/criteria/${criterion.id}`, {
      name: criterion.name,
      kind: criterion.kind,
      parent: criterion.parent_id === null ? '' : String(criterion.parent_id),
      weight: '7',
      guidance: '',
    })
    expect(withoutReason.status).toBe(422)
    expect(pageText(await withoutReason.text())).toContain('give the reason for the change, at least 20 characters')
    await expect(setCriterionWeight(t.db, TEST_ACTOR, criterion, 7, 'too short')).rejects.toThrow(PlanChangeNeedsReasonError)
    expect((await findCriterion(t.db, id, criterion.id))?.weight).toBe(criterion.weight)
    expect(await entries(t, id)).toHaveLength(before)
    expect(await listPlanVersions(t.db, id)).toHaveLength(1)

    const reason = 'The clarification notice of 3 March raised this weight for every bidder'
    const changed = await postForm(t.app, `/evaluations/${id}/criteria/${criterion.id}`, {
      name: criterion.name,
      kind: criterion.kind,
      parent: criterion.parent_id === null ? '' : String(criterion.parent_id),
      weight: '7',
      guidance: '',
      planReason: reason,
    })
    expect(changed.status).toBe(303)
    const versions = await listPlanVersions(t.db, id)
    expect(versions).toHaveLength(2)
    const source = await readPlanSource(t.db, id)
    expect(versions[1]).toMatchObject({ version: 2, reason, hash: planHash(source), criteria: JSON.stringify([criterion.key]) })
    expect(versions[1]!.hash).not.toBe(FIXTURE_PLAN_HASH)
    expect((await findEvaluation(t.db, id))?.plan_version).toBe(2)
    const last = (await entries(t, id)).at(-1)!
    expect(last.summary).toMatch(/^Change to the approved plan \(version 2\): /)
    expect(last.reason).toBe(reason)
    const revisit = await scoresToRevisit(t.db, id)
    expect(revisit.length).toBe(fixture.scores.filter((s) => s.criterion === scored.criterion).length)
    expect(revisit[0]).toMatchObject({ criterion: criterion.name, version: 2 })
    // A change that leaves the plan as it was (the discount rate, say) needs no reason.
    expect((await postForm(t.app, `/evaluations/${id}/criteria/${criterion.id}/weight`, { weight: '7' })).status).toBe(303)
    // The export keeps the change, and imports again as the same plan.
    const exported = (await readEvaluationFile(t.db, id))!
    expect(exported.plan?.changes).toMatchObject([{ reason, hash: versions[1]!.hash, criteria: [criterion.key] }])
    const again = await t.importFile(exported)
    expect((await listPlanVersions(t.db, again)).map((v) => v.hash)).toEqual(versions.map((v) => v.hash))
  })

  it('flags a score given before a change to its criterion beside the answer, in the group contents, in moderation and in the file, until the evaluator saves it again', async () => {
    const t = await createTestApp()
    const id = await t.importFile(draftFile)
    const evaluator = await t.clientWithRoles(id, ['evaluator'])
    expect((await postForm(evaluator, `/evaluations/${id}/scoring/declaration`, { interest: 'none' })).status).toBe(303)
    const option = (await listOptions(t.db, id)).find((o) => o.key === 'product-a')!
    const crime = (await listCriteria(t.db, id)).find((c) => c.key === 'crime')!
    const answer = { score: '3', rationale: 'Crime recording shown in the demonstration, compliant with the counting rules.', evidence: '' }
    const save = (version: string) =>
      postForm(evaluator, `/evaluations/${id}/scoring/${option.id}/${crime.id}`, { ...answer, version }, { 'HX-Request': 'true' })
    expect((await save('')).status).toBe(200)
    const reason = 'The clarification notice of 3 March raised this weight for every bidder'
    const changed = await postForm(t.app, `/evaluations/${id}/criteria/${crime.id}`, {
      name: crime.name,
      kind: crime.kind,
      parent: String(crime.parent_id),
      weight: '7',
      guidance: '',
      planReason: reason,
    })
    expect(changed.status).toBe(303)

    const page = await (await evaluator.request(`/evaluations/${id}/scoring/${option.id}`)).text()
    expect(pageText(page)).toMatch(
      /To revisit: version 2 of the evaluation plan, on \d+ \w+ \d{4}, changed this criterion after you answered it, for this reason: “The clarification notice of 3 March raised this weight for every bidder”\. Check your answer/,
    )
    expect(page).toContain(`id="answer-${crime.id}-revisit"`)
    expect(pageText(page.slice(page.indexOf('class="group-contents"')))).toMatch(/Functional fit 1 of 3 .*1 to revisit/)
    expect(pageText(textOf(page, 'progress'))).toContain('1 to revisit')
    const moderation = pageText(await (await t.app.request(`/evaluations/${id}/moderation/${option.id}?group=all`)).text())
    expect(moderation).toContain('Crime recording Scores to revisit')
    expect(moderation).toMatch(
      /scored this before a change to the approved plan touched it: version 2, on \d+ \w+ \d{4}, for this reason: “The clarification notice of 3 March/,
    )

    // The file keeps the flag, and an import of it flags the same score.
    const exported = (await readEvaluationFile(t.db, id))!
    expect(exported.scores).toMatchObject([{ option: 'product-a', criterion: 'crime', revisit: 2 }])
    const again = await t.importFile(exported)
    expect((await scoresToRevisit(t.db, again)).map((r) => [r.option, r.criterion, r.version])).toEqual([['Product A', 'Crime recording', 2]])
    const bad = { ...exported, scores: exported.scores.map((x) => ({ ...x, revisit: 3 })) }
    expect(parseEvaluationText(JSON.stringify(bad))).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/^scores\[0\]\.revisit: names version 3 of the plan/)],
    })

    // Saving it again, unchanged, clears the flag.
    const { version } = await t.db.selectFrom('individual_score').select('version').where('evaluation_id', '=', id).executeTakeFirstOrThrow()
    expect((await save(String(version))).status).toBe(200)
    expect(await scoresToRevisit(t.db, id)).toEqual([])
    expect(pageText(await (await evaluator.request(`/evaluations/${id}/scoring/${option.id}`)).text())).not.toContain('To revisit')
    expect((await readEvaluationFile(t.db, id))!.scores[0]!.revisit).toBeUndefined()
  })

  it('gives the plan as a PDF stamped with its hash, with the weights, the worked example of the price formula and the tie-breaker', async () => {
    const t = await createTestApp()
    const id = await t.importFile(fixture)
    const response = await t.app.request(`/evaluations/${id}/plan.pdf`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/pdf')
    const bytes = new Uint8Array(await response.arrayBuffer())
    const pdf = await readPdf(bytes)
    expect(pdf.text).toContain(FIXTURE_PLAN_HASH)
    expect(pdf.text).toContain('Effective weight')
    expect(pdf.text).toContain('Worked example')
    expect(pdf.text).toContain(fixture.tieBreaker!)
    expect(pdf.pages[0]!.text).toContain('Approved plan — version 1')
    // The same plan gives the same bytes.
    expect(new Uint8Array(await (await t.app.request(`/evaluations/${id}/plan.pdf`)).arrayBuffer())).toEqual(bytes)
  })

  it('has the report say when the plan was approved, by whom and its hash, and that there were no changes', async () => {
    const file: EvaluationFile = { ...fixture, plan: { approvedAt: '2026-01-12T09:30:00.000Z', approvedBy: 'Lena Lead', hash: FIXTURE_PLAN_HASH, changes: [] } }
    const pdf = await readPdf(
      await renderReport(file, computeResultsWithSensitivity(file, { iterations: 100 }), { status: 'draft', generatedAt: new Date('2026-02-01') }),
    )
    expect(pdf.text).toContain('The evaluation plan and its approval')
    expect(pdf.text).toContain('The evaluation plan was approved on 12 January 2026')
    expect(pdf.text).toContain('Lena Lead')
    expect(pdf.text).toContain('There were no changes to the plan after its approval.')
    // The fixture's first declaration of interest, on 1 November 2026, came after the approval.
    expect(pdf.text.replace(/\s+/g, ' ')).toContain(
      'The plan was approved before scoring began: the first dated step of the panel’s scoring, A. Evaluator’s declaration of interest on 1 November 2026 at 09:00:00, came after its approval.',
    )
  })
})
