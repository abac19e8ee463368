import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseEvaluationText } from '../../src/appraisal/index.js'
import { readyForConsensus } from '../changes.js'
import { createTestApp, pageText, postForm, textOf, type TestClient } from '../helpers.js'

/** The fixture's plan is approved at import: changing it needs a reason. */
const PLAN_REASON = 'A change to the approved plan, made by the test'

const parsed = parseEvaluationText(readFileSync(new URL('../fixtures/small-evaluation.json', import.meta.url), 'utf8'))
if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
const fixture = parsed.file

const RATIONALE = 'Crime recording worked end to end at the demonstration.'
const SECOND_RATIONALE = 'On reflection the audit trail of crime records was incomplete.'
const CONSENSUS = 'The panel agreed the audit trail needs work but the core recording is sound.'

/** The small worked example, imported by the test lead, with ids by file id. */
async function imported() {
  const t = await createTestApp()
  const id = await t.importFile(fixture)
  const ids = async (table: 'option' | 'criterion') =>
    Object.fromEntries((await t.db.selectFrom(table).select(['id', 'key']).where('evaluation_id', '=', id).execute()).map((r) => [r.key, r.id])) as Record<
      string,
      number
    >
  const lead = await t.db.selectFrom('account').select('name').where('id', '=', t.accountId).executeTakeFirstOrThrow()
  return { t, id, option: await ids('option'), criterion: await ids('criterion'), leadName: lead.name, base: `/evaluations/${id}/history` }
}

/** An evaluator who declared no interest, joining the panel under their account's name. */
async function evaluatorOf(t: Awaited<ReturnType<typeof imported>>['t'], id: number): Promise<{ client: TestClient; name: string; accountId: number }> {
  const client = await t.clientWithRoles(id, ['evaluator'])
  expect((await postForm(client, `/evaluations/${id}/scoring/declaration`, { interest: 'none' })).status).toBe(303)
  const member = await t.db
    .selectFrom('panel_member')
    .select(['name', 'account_id'])
    .where('evaluation_id', '=', id)
    .where('account_id', 'is not', null)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  return { client, name: member.name, accountId: member.account_id! }
}

/**
 * Real changes through the app: an evaluator scores Product A on crime recording twice, the lead
 * records the consensus there and adds a cost line to Product B.
 */
async function withChanges() {
  const s = await imported()
  const { t, id, option, criterion } = s
  const evaluator = await evaluatorOf(t, id)
  // Finance models the costs: while the panel moderates, the cost model is sealed from the lead (decision 17).
  const finance = await t.clientWithRoles(id, ['finance'])
  const financeName = (await t.db.selectFrom('account').select('name').orderBy('id', 'desc').executeTakeFirstOrThrow()).name
  const scoring = `/evaluations/${id}/scoring/${option['product-a']}/${criterion.crime}`
  expect((await postForm(evaluator.client, scoring, { score: '4', rationale: RATIONALE, evidence: 'Demo notes §3', version: '' })).status).toBe(303)
  expect((await postForm(evaluator.client, scoring, { score: '2', rationale: SECOND_RATIONALE, evidence: 'Demo notes §3', version: '1' })).status).toBe(303)
  const meeting = await readyForConsensus(t.db, id, [option['product-a']!])
  const moderation = `/evaluations/${id}/moderation/${option['product-a']}/${criterion.crime}`
  expect((await postForm(t.app, moderation, { score: '3', rationale: CONSENSUS, evidence: '', version: '', meeting: String(meeting) })).status).toBe(303)
  const line = {
    kind: 'cost',
    label: 'Data migration',
    category: 'migration',
    type: 'capital',
    amount: '£250,000',
    from: '2025',
    to: '2025',
    growth: '',
    optimismBias: '',
    rangeLow: '',
    rangeHigh: '',
    notes: '',
  }
  expect((await postForm(finance, `/evaluations/${id}/costs/${option['product-b']}/lines`, line)).status).toBe(303)
  return { ...s, evaluator, financeName }
}

/** The entry headings on a page of the history, in order: "Entry 7: Cost line …". */
function entryTitles(html: string): string[] {
  return [...html.matchAll(/<h2 class="history-entry__title"[^>]*>([\s\S]*?)<\/h2>/g)].map((m) => pageText(m[1]!))
}

async function historyPage(client: TestClient, path: string) {
  const response = await client.request(path)
  expect(response.status, path).toBe(200)
  return response.text()
}

describe('the history of an evaluation', () => {
  it('lists every change newest first, with who made it, what changed and the values before and after', async () => {
    const { t, id, base, financeName, evaluator } = await withChanges()
    const html = await historyPage(t.app, base)
    const titles = entryTitles(html)
    expect(titles[0]).toMatch(/^Entry \d+: Cost line “Data migration” added to “Product B”$/)
    expect(titles[1]).toMatch(/Consensus score for “Product A” on “Crime recording” recorded$/)
    // Before it: the meeting it was agreed in, and the members who had not submitted excused.
    expect(titles[2]).toMatch(/Moderation meeting of 2026-11-19 recorded, chaired by The lead$/)
    expect(titles[3]).toMatch(/excused from scoring “Product A”$/)
    expect(titles[4]).toMatch(/’s score for “Product A” on “Crime recording” saved$/)
    expect(titles[5]).toMatch(/’s score for “Product A” on “Crime recording” saved$/)
    expect(titles.at(-1)).toBe(
      'Entry 1: Evaluation “Small worked example” imported from an evaluation file; its plan treated as approved at import, since the file already carries scores',
    )
    const seqs = titles.map((title) => Number(/^Entry (\d+):/.exec(title)![1]))
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a))

    const entries = await t.db.selectFrom('audit_entry').select(['seq', 'hash', 'summary']).where('evaluation_id', '=', id).orderBy('seq', 'desc').execute()
    const cost = textOf(html, `entry-${entries[0]!.seq}`)
    expect(cost).toContain(`Who ${financeName}`)
    expect(cost).toContain('Kind of change Costs and benefits')
    expect(cost).toContain(`Hash ${entries[0]!.hash.slice(0, 12)}`)
    expect(cost).toMatch(/When \d{1,2} [A-Z][a-z]+ \d{4} at \d\d:\d\d:\d\d/)
    expect(cost).toContain('Cost line “Data migration” of “Product B” Added')
    expect(cost).toContain('Amount — £250,000')
    expect(cost).toContain('Capital — Yes')
    expect(cost).not.toMatch(/Evaluation id|Updated at/)

    // The second save of the evaluator's score: before and after, the noise columns left out.
    const rescored = textOf(html, `entry-${entries[4]!.seq}`)
    expect(rescored).toContain(`Who ${evaluator.name}`)
    expect(rescored).toContain('Kind of change Individual scores')
    expect(rescored).toContain(`Individual score of ${evaluator.name} for “Product A” on “Crime recording” Changed`)
    expect(rescored).toContain('Score 4 2')
    expect(rescored).toContain(`Rationale ${RATIONALE} ${SECOND_RATIONALE}`)
    expect(rescored).not.toContain('Evidence')
    expect(rescored).not.toMatch(/Version 2 3|Updated at/)
    expect(rescored).toContain('History of the scores for “Product A” on “Crime recording”')

    const consensus = textOf(html, `entry-${entries[1]!.seq}`)
    expect(consensus).toContain('Consensus score for “Product A” on “Crime recording” Added')
    expect(consensus).toContain('Score — 3')
    expect(consensus).toContain(`Rationale — ${CONSENSUS}`)
    expect(consensus).toContain('Moderation meeting —')
  })

  it('counts the records of a large entry by kind rather than listing each one', async () => {
    const { t, base } = await withChanges()
    const html = await historyPage(t.app, base)
    const importEntry = textOf(html, 'entry-1')
    const changes = await t.db
      .selectFrom('audit_change')
      .innerJoin('audit_entry', 'audit_entry.id', 'audit_change.entry_id')
      .select('audit_change.record_table')
      .where('audit_entry.seq', '=', 1)
      .execute()
    expect(changes.length).toBeGreaterThan(20)
    expect(importEntry).toContain(`${changes.length} records changed, too many to list`)
    // The fixture's three individual scores, thirteen consensus scores and four option records.
    expect(importEntry).toContain('Individual scores 3 0 0')
    expect(importEntry).toContain(`Consensus scores ${changes.filter((c) => c.record_table === 'consensus_score').length} 0 0`)
    expect(importEntry).toContain('Options 3 0 0')
    expect(importEntry).not.toContain('Field Before After')
  })

  it('narrows to one person, one kind of change or one option, and says when nothing matches', async () => {
    const { t, id, base, option, leadName, financeName, evaluator } = await withChanges()
    const byLead = entryTitles(await historyPage(t.app, `${base}?person=account:${t.accountId}`))
    expect(byLead.map((title) => title.replace(/^Entry \d+: /, ''))).toEqual(['Consensus score for “Product A” on “Crime recording” recorded'])
    // The people offered are those in the log: not someone who has only been given a role.
    await t.clientWithRoles(id, ['observer'])
    const observer = await t.db.selectFrom('account').select('name').orderBy('id', 'desc').executeTakeFirstOrThrow()
    const form = await historyPage(t.app, `${base}?person=account:${evaluator.accountId}`)
    const select = form.slice(form.indexOf('<select class="select" id="history-person"'), form.indexOf('</select>', form.indexOf('id="history-person"')))
    const people = [...select.matchAll(/<option value="[^"]*"[^>]*>([^<]*)<\/option>/g)].map((m) => m[1])
    expect(people.sort()).toEqual(['Everyone', 'Test set-up', leadName, financeName, evaluator.name].sort())
    expect(people).not.toContain(observer.name)
    expect(form).toContain(`<option value="account:${evaluator.accountId}" selected="">${evaluator.name}</option>`)
    const byEvaluator = entryTitles(form)
    expect(byEvaluator.length).toBeGreaterThanOrEqual(3)
    expect(byEvaluator.some((title) => title.includes('Consensus'))).toBe(false)
    const setUp = entryTitles(await historyPage(t.app, `${base}?person=${encodeURIComponent('name:Test set-up')}`))
    expect(setUp.at(-1)).toBe(
      'Entry 1: Evaluation “Small worked example” imported from an evaluation file; its plan treated as approved at import, since the file already carries scores',
    )

    const scores = entryTitles(await historyPage(t.app, `${base}?kind=score`))
    expect(scores).toHaveLength(2)
    for (const title of scores) expect(title).toMatch(/’s score for “Product A” on “Crime recording” saved$/)
    const costs = entryTitles(await historyPage(t.app, `${base}?kind=cost`))
    expect(costs.map((title) => title.replace(/^Entry \d+: /, ''))).toEqual(['Cost line “Data migration” added to “Product B”'])

    // An option matches its own entries and any entry that changed one of its records, as the import did.
    const productB = entryTitles(await historyPage(t.app, `${base}?option=${option['product-b']}`))
    expect(productB.map((title) => title.replace(/^Entry \d+: /, ''))).toEqual([
      'Cost line “Data migration” added to “Product B”',
      'Evaluation “Small worked example” imported from an evaluation file; its plan treated as approved at import, since the file already carries scores',
    ])
    const productA = entryTitles(await historyPage(t.app, `${base}?option=${option['product-a']}`))
    expect(productA.map((title) => title.replace(/^Entry \d+: /, ''))).toEqual([
      'Consensus score for “Product A” on “Crime recording” recorded',
      `${evaluator.name} excused from scoring “Product A”`,
      `${evaluator.name}’s score for “Product A” on “Crime recording” saved`,
      `${evaluator.name}’s score for “Product A” on “Crime recording” saved`,
      'Evaluation “Small worked example” imported from an evaluation file; its plan treated as approved at import, since the file already carries scores',
    ])

    const both = await historyPage(t.app, `${base}?kind=cost&option=${option['product-a']}`)
    expect(entryTitles(both)).toEqual([])
    expect(textOf(both, 'history-count')).toBe('No change matches these filters.')
    expect(pageText(both)).toContain('Clear the filters')
  })

  it('pages the history fifty entries at a time, keeping the filters in the links', async () => {
    const { t, id, base, criterion } = await imported()
    for (let n = 1; n <= 52; n++) {
      const response = await postForm(t.app, `/evaluations/${id}/criteria/${criterion.search}/weight`, { weight: String(n + 1), planReason: PLAN_REASON })
      expect(response.status).toBe(303)
    }
    const first = await historyPage(t.app, `${base}?kind=criteria`)
    expect(entryTitles(first)).toHaveLength(50)
    expect(entryTitles(first)[0]).toMatch(/Weight of “Search” set to 53$/)
    expect(textOf(first, 'history-count')).toBe('Showing entries 1 to 50 of 52 that match, newest first.')
    expect(first).toContain(`href="${base}?kind=criteria&amp;page=2" rel="next"`)
    expect(first).not.toContain('rel="prev"')
    const second = await historyPage(t.app, `${base}?kind=criteria&page=2`)
    expect(entryTitles(second).map((title) => title.replace(/^Entry \d+: /, ''))).toEqual([
      'Change to the approved plan (version 3): Weight of “Search” set to 3',
      'Change to the approved plan (version 2): Weight of “Search” set to 2',
    ])
    expect(second).toContain(`href="${base}?kind=criteria" rel="prev"`)
    expect(second).not.toContain('rel="next"')
    // Entry 2 is the test lead's declaration of no interest; the first weight change is entry 3.
    expect(textOf(second, 'entry-3')).toContain('Weight 1 2')
    // Unfiltered, the import is the 53rd entry: on the second page.
    expect(entryTitles(await historyPage(t.app, `${base}?page=2`)).at(-1)).toBe(
      'Entry 1: Evaluation “Small worked example” imported from an evaluation file; its plan treated as approved at import, since the file already carries scores',
    )
  })

  it('ignores filter values it does not know, saying so, and never fails on them', async () => {
    const { t, base } = await withChanges()
    const all = entryTitles(await historyPage(t.app, base))
    const cases: [string, string][] = [
      ['kind=bogus', 'That kind of change is not one this page knows'],
      ['option=abc', 'The option chosen is not one of this evaluation’s'],
      ['option=99999999999999999999', 'The option chosen is not one of this evaluation’s'],
      ['option=-1', 'The option chosen is not one of this evaluation’s'],
      ['person=nobody', 'The person chosen has made no change to this evaluation'],
      ['person=account:999999', 'The person chosen has made no change to this evaluation'],
      ['page=abc', 'The page number was not understood'],
      ['page=0', 'The page number was not understood'],
      ['page=99999999999999999999', 'The page number was not understood'],
      ['page=2', 'There is only 1 page of changes, so the last is shown'],
    ]
    for (const [query, message] of cases) {
      const html = await historyPage(t.app, `${base}?${query}`)
      expect(textOf(html, 'history-notices'), query).toContain(message)
      expect(entryTitles(html), query).toEqual(all)
    }
    // Several values of one filter, and a good filter beside a bad one.
    const mixed = await historyPage(t.app, `${base}?kind=cost&option=nope&kind=score`)
    expect(entryTitles(mixed).every((title) => /Cost line/.test(title))).toBe(true)
    const blank = await historyPage(t.app, `${base}?person=&kind=&option=&page=`)
    expect(blank).not.toContain('history-notices')
    expect(entryTitles(blank)).toEqual(all)
  })
})

describe('the history of one score', () => {
  it('lists every individual and consensus change for the option and criterion, oldest first, with who and when', async () => {
    const { t, id, option, criterion, leadName, evaluator } = await withChanges()
    const path = `/evaluations/${id}/history/scores/${option['product-a']}/${criterion.crime}`
    const html = await historyPage(t.app, path)
    expect(pageText(html)).toContain('History of the scores for “Product A” on “Crime recording”')
    const rows = [...textOf(html, 'score-history').matchAll(/(?<=^|\s)(\d+) (\d{1,2} [A-Z][a-z]+ \d{4} at \d\d:\d\d:\d\d) /g)].map((m) => Number(m[1]))
    expect(rows).toEqual([...rows].sort((a, b) => a - b))
    const body = html.slice(html.indexOf('<tbody>'), html.indexOf('</tbody>'))
    const lines = [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => pageText(m[1]!).replace(/^\d+ \d{1,2} [A-Z][a-z]+ \d{4} at \d\d:\d\d:\d\d /, ''))
    expect(lines).toEqual([
      // The file's two scores, as imported.
      'Test set-up A. Evaluator new → 4 Demonstrated Evidence: Bid §2.1',
      'Test set-up B. Evaluator new → 2 No rationale',
      `${evaluator.name} ${evaluator.name} new → 4 ${RATIONALE} Evidence: Demo notes §3`,
      `${evaluator.name} ${evaluator.name} 4 → 2 ${SECOND_RATIONALE} Evidence: Demo notes §3`,
      `${leadName} Consensus new → 3 ${CONSENSUS}`,
    ])
  })

  it('is linked from each criterion on the moderation page and from the entries that change a score', async () => {
    const { t, id, option, criterion, base } = await withChanges()
    const path = `/evaluations/${id}/history/scores/${option['product-a']}/${criterion.crime}`
    const moderation = await (await t.app.request(`/evaluations/${id}/moderation/${option['product-a']}?group=all`)).text()
    for (const key of ['crime', 'search', 'live', 'sus']) {
      expect(moderation).toContain(`href="/evaluations/${id}/history/scores/${option['product-a']}/${criterion[key]}"`)
    }
    expect(textOf(moderation, `moderate-${criterion.crime}`)).toContain('History of the scores on Crime recording')
    const history = await historyPage(t.app, `${base}?kind=consensus`)
    expect(history).toContain(`href="${path}"`)
  })

  it('says when a score has no history, and gives 404 for an option or criterion the evaluation never had', async () => {
    const { t, id, option, criterion } = await imported()
    const imported_ = await historyPage(t.app, `/evaluations/${id}/history/scores/${option.retain}/${criterion.search}`)
    expect(textOf(imported_, 'score-history')).toContain('Test set-up Consensus new → 1')
    expect((await postForm(t.app, `/evaluations/${id}/options`, { name: 'Product C' })).status).toBe(303)
    const added = (await t.db.selectFrom('option').select('id').where('evaluation_id', '=', id).where('name', '=', 'Product C').executeTakeFirstOrThrow()).id
    const empty = await historyPage(t.app, `/evaluations/${id}/history/scores/${added}/${criterion.search}`)
    expect(textOf(empty, 'score-history-empty')).toBe('No score has been given for this option on this criterion.')
    expect(empty).not.toContain('id="score-history"')
    const other = await t.importFile({ ...fixture, title: 'Another' })
    const foreign = (await t.db.selectFrom('option').select('id').where('evaluation_id', '=', other).executeTakeFirstOrThrow()).id
    for (const path of [
      `/evaluations/${id}/history/scores/${foreign}/${criterion.crime}`,
      `/evaluations/${id}/history/scores/${option.retain}/${criterion.functional}`,
      `/evaluations/${id}/history/scores/abc/${criterion.crime}`,
      `/evaluations/${id}/history/scores/${option.retain}/99999999999999999999`,
    ]) {
      expect((await t.app.request(path)).status, path).toBe(404)
    }
  })

  it('keeps the history of a score whose criterion was deleted', async () => {
    const { t, id, option, criterion } = await withChanges()
    expect((await postForm(t.app, `/evaluations/${id}/criteria/${criterion.crime}/delete`, { planReason: PLAN_REASON })).status).toBe(303)
    const html = await historyPage(t.app, `/evaluations/${id}/history/scores/${option['product-a']}/${criterion.crime}`)
    expect(pageText(html)).toContain('History of the scores for “Product A” on “Crime recording”')
    expect(pageText(html)).toMatch(/Consensus 3 → removed/)
  })
})

describe('who sees the history', () => {
  it('refuses evaluators, who score blind, and keeps it from finance until moderation is complete', async () => {
    const { t, id, option, criterion, base } = await imported()
    const paths = [base, `${base}?kind=score`, `${base}/scores/${option['product-a']}/${criterion.crime}`]
    const evaluator = await t.clientWithRoles(id, ['evaluator'])
    const finance = await t.clientWithRoles(id, ['finance'])
    const observer = await t.clientWithRoles(id, ['observer'])
    for (const path of paths) {
      expect((await evaluator.request(path)).status, path).toBe(403)
      const waiting = await finance.request(path)
      expect(waiting.status, path).toBe(409)
      expect(pageText(await waiting.text())).toContain('it opens once the lead has finished moderating')
      expect((await observer.request(path)).status, path).toBe(409)
      expect((await t.app.request(path)).status, path).toBe(200)
    }
    // The fixture lacks two consensus scores; recording them completes moderation.
    const meeting = await readyForConsensus(t.db, id)
    for (const [o, c] of [
      ['product-a', 'crime'],
      ['product-b', 'sus'],
    ] as const) {
      const response = await postForm(t.app, `/evaluations/${id}/moderation/${option[o]}/${criterion[c]}`, {
        score: '3',
        rationale: CONSENSUS,
        evidence: '',
        version: '',
        meeting: String(meeting),
      })
      expect(response.status).toBe(303)
    }
    for (const path of paths) {
      expect((await finance.request(path)).status, path).toBe(200)
      expect((await observer.request(path)).status, path).toBe(200)
      expect((await evaluator.request(path)).status, path).toBe(403)
    }
    expect(pageText(await (await finance.request(`${base}/scores/${option['product-a']}/${criterion.crime}`)).text())).toContain(
      `Consensus new → 3 ${CONSENSUS}`,
    )
  })

  it('gives 404 for an evaluation that does not exist', async () => {
    const { app } = await createTestApp()
    expect((await app.request('/evaluations/999/history')).status).toBe(404)
    expect((await app.request('/evaluations/999/history/scores/1/1')).status).toBe(404)
  })
})
