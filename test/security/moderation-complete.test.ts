import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { moderationState, parseEvaluationText, type EvaluationFile } from '../../src/appraisal/index.js'
import { moderationComplete } from '../../src/db/scoring.js'
import { completeConsensus } from '../appraisal/factories.js'
import { createTestApp, pageText, postForm, type TestApp } from '../helpers.js'

const parsed = parseEvaluationText(readFileSync(new URL('../fixtures/small-evaluation.json', import.meta.url), 'utf8'))
if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
const moderated: EvaluationFile = completeConsensus(parsed.file)

/**
 * A criterion every option has a consensus on is turned into a group, and an unscored criterion is
 * added under it. The number of consensus rows still equals options × criteria, but the new leaf has
 * no consensus on any option: moderation is not complete.
 */
async function groupWithUnscoredChild(t: TestApp): Promise<number> {
  const id = await t.importFile(moderated)
  expect(await moderationComplete(t.db, id)).toBe(true)
  const leaf = await t.db
    .selectFrom('criterion')
    .innerJoin('consensus_score', 'consensus_score.criterion_id', 'criterion.id')
    .select(['criterion.id', 'criterion.name', 'criterion.parent_id', 'criterion.weight'])
    .where('criterion.evaluation_id', '=', id)
    .where('criterion.kind', '=', 'criterion')
    .executeTakeFirstOrThrow()
  const base = `/evaluations/${id}/criteria`
  const edited = await postForm(t.app, `${base}/${leaf.id}`, {
    name: leaf.name,
    kind: 'group',
    parent: leaf.parent_id === null ? '' : String(leaf.parent_id),
    weight: String(leaf.weight ?? 1),
    planReason: 'The tree changed after moderation, for this test',
  })
  expect(edited.status).toBe(303)
  const added = await postForm(t.app, base, {
    name: 'Added after moderation',
    kind: 'criterion',
    parent: String(leaf.id),
    weight: '1',
    planReason: 'The tree changed after moderation, for this test',
  })
  expect(added.status).toBe(303)
  return id
}

describe('moderation complete is decided from the tree’s leaves and gates', () => {
  it('does not count a consensus on a criterion that has since become a group', () => {
    const tree = [{ id: 'a', criteria: [{ id: 'a1' }] }, { id: 'b' }, { id: 'g', gate: true }]
    const consensus = [
      { option: 'x', criterion: 'a' },
      { option: 'x', criterion: 'b' },
      { option: 'x', criterion: 'g' },
    ]
    const state = moderationState(tree, ['x'], consensus)
    expect(state.needed).toEqual(['a1', 'b', 'g'])
    expect(state.missing.get('x')).toEqual(['a1'])
    expect(state.complete).toBe(false)
    expect(moderationState(tree, ['x'], [...consensus, { option: 'x', criterion: 'a1' }]).complete).toBe(true)
  })

  it('refuses to finalise with a criterion never moderated', async () => {
    const t = await createTestApp()
    const id = await groupWithUnscoredChild(t)
    expect(await moderationComplete(t.db, id)).toBe(false)
    const response = await postForm(t.app, `/evaluations/${id}/finalise`, { confirm: 'on' })
    expect(response.status).toBe(409)
    expect(pageText(await response.text())).toContain('Finish moderation first')
    const evaluation = await t.db.selectFrom('evaluation').select('status').where('id', '=', id).executeTakeFirstOrThrow()
    expect(evaluation.status).toBe('open')
    expect(await t.db.selectFrom('finalised_report').select('id').where('evaluation_id', '=', id).execute()).toEqual([])
  })

  it('keeps the ranking provisional (lead only) for finance and observers, and the moderation page says so', async () => {
    const t = await createTestApp()
    const id = await groupWithUnscoredChild(t)
    for (const role of ['finance', 'observer', 'approver'] as const) {
      const client = await t.clientWithRoles(id, [role])
      expect((await client.request(`/evaluations/${id}/results`)).status, role).toBe(409)
      // …and no page offers them a link that would answer so.
      const overview = await (await client.request(`/evaluations/${id}`)).text()
      for (const path of ['results', 'sensitivity', 'report.pdf', 'history'])
        expect(overview, `${role}: ${path}`).not.toContain(`href="/evaluations/${id}/${path}"`)
    }
    // The lead keeps the quality-only results and the history (the record of moderation); the views
    // that put price beside quality wait, and are not offered (decision 17).
    const lead = await (await t.app.request(`/evaluations/${id}`)).text()
    for (const path of ['results', 'history']) expect(lead, `lead: ${path}`).toContain(`href="/evaluations/${id}/${path}"`)
    for (const path of ['sensitivity', 'report.pdf', 'results/workbook.xlsx']) {
      expect(lead, `lead: ${path}`).not.toContain(`href="/evaluations/${id}/${path}"`)
      expect((await t.app.request(`/evaluations/${id}/${path}`)).status, `lead: ${path}`).toBe(409)
    }
    // Nor the cost model, which shows the tenders' prices; finance goes on modelling costs.
    expect(lead).not.toContain(`href="/evaluations/${id}/costs"`)
    const costs = await t.app.request(`/evaluations/${id}/costs`)
    expect(costs.status).toBe(409)
    expect(pageText(await costs.text())).toContain('Finance goes on modelling costs meanwhile')
    const finance = await t.clientWithRoles(id, ['finance'])
    expect((await finance.request(`/evaluations/${id}/costs`)).status).toBe(200)
    const dashboard = pageText(await (await t.app.request(`/evaluations/${id}/moderation`)).text())
    expect(dashboard).toContain('Until moderation is complete')
  })

  it('opens the cost model and the views with price to the lead once every consensus is recorded', async () => {
    const t = await createTestApp()
    const id = await t.importFile(moderated)
    const overview = await (await t.app.request(`/evaluations/${id}`)).text()
    for (const path of ['costs', 'sensitivity', 'report.pdf']) expect(overview, path).toContain(`href="/evaluations/${id}/${path}"`)
    expect((await t.app.request(`/evaluations/${id}/costs`)).status).toBe(200)
  })
})
