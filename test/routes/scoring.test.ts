import { describe, expect, it } from 'vitest'
import type { EvaluationFileInput } from '../../src/appraisal/index.js'
import { parsed } from '../appraisal/factories.js'
import { createTestApp, pageText, postForm, textOf, type TestClient } from '../helpers.js'

const RATIONALE = 'The demonstration showed it working end to end with our data.'

function panelEvaluation(): EvaluationFileInput {
  return {
    format: 'options-appraisal/1',
    title: 'Scoring test',
    panel: { minRationale: 20, tolerance: 1 },
    appraisal: { baseYear: 2025, years: 1 },
    options: [
      { id: 'a', name: 'Option Alpha' },
      { id: 'b', name: 'Option Beta' },
    ],
    criteria: [
      {
        id: 'fit',
        name: 'Functional fit',
        weight: 2,
        criteria: [
          { id: 'crime', name: 'Crime recording', guidance: 'Look for NCRS compliance in live use' },
          { id: 'search', name: 'Search' },
          { id: 'live', name: 'Live elsewhere', gate: true },
        ],
      },
      { id: 'use', name: 'Usability', weight: 1, criteria: [{ id: 'sus', name: 'SUS score' }] },
    ],
  }
}

async function setUp() {
  const t = await createTestApp()
  const id = await t.importFile(parsed(panelEvaluation()))
  const ids = async (table: 'option' | 'criterion') =>
    new Map((await t.db.selectFrom(table).select(['id', 'key']).where('evaluation_id', '=', id).execute()).map((r) => [r.key, r.id]))
  return { t, id, options: await ids('option'), criteria: await ids('criterion') }
}

async function declareNone(client: TestClient, id: number) {
  const response = await postForm(client, `/evaluations/${id}/scoring/declaration`, { interest: 'none' })
  expect(response.status).toBe(303)
}

function answer(client: TestClient, id: number, option: number, criterion: number, fields: Record<string, string>, htmx = true) {
  return postForm(client, `/evaluations/${id}/scoring/${option}/${criterion}`, { version: '', evidence: '', ...fields }, htmx ? { 'HX-Request': 'true' } : {})
}

describe('declaring interests before scoring', () => {
  it('shows an evaluator no option until they have declared', async () => {
    const { t, id, options } = await setUp()
    const evaluator = await t.clientWithRoles(id, ['evaluator'])
    for (const path of [`/evaluations/${id}/scoring`, `/evaluations/${id}/scoring/${options.get('a')}`]) {
      const html = await (await evaluator.request(path)).text()
      expect(pageText(html)).toContain('Declare any conflict of interest')
      expect(html).not.toContain('Option Alpha')
    }
    await declareNone(evaluator, id)
    expect(pageText(await (await evaluator.request(`/evaluations/${id}/scoring`)).text())).toMatch(/0 of 8 scored .*Option Alpha 0 of 4/)
  })

  it('holds a declared interest for the lead, who can restrict the evaluator to some options', async () => {
    const { t, id, options } = await setUp()
    const evaluator = await t.clientWithRoles(id, ['evaluator'])
    const missing = await postForm(evaluator, `/evaluations/${id}/scoring/declaration`, { interest: 'interest', details: '' })
    expect(missing.status).toBe(422)
    expect(pageText(await missing.text())).toContain('Describe the interest')
    await postForm(evaluator, `/evaluations/${id}/scoring/declaration`, {
      interest: 'interest',
      supplier: 'Beta Ltd',
      details: 'My brother works for the supplier of Beta',
    })
    expect(pageText(await (await evaluator.request(`/evaluations/${id}/scoring`)).text())).toContain('Your declaration is with the lead')
    const register = pageText(await (await t.app.request(`/evaluations/${id}/moderation`)).text())
    expect(register).toContain('My brother works for the supplier of Beta')
    const member = await t.db
      .selectFrom('panel_member')
      .select('id')
      .where('evaluation_id', '=', id)
      .where('declared_interest', '=', 1)
      .executeTakeFirstOrThrow()
    const noReason = await postForm(t.app, `/evaluations/${id}/moderation/declarations/${member.id}`, {
      decision: 'restrict',
      allowedOption: String(options.get('a')),
    })
    expect(noReason.status).toBe(422)
    await postForm(t.app, `/evaluations/${id}/moderation/declarations/${member.id}`, {
      decision: 'restrict',
      allowedOption: String(options.get('a')),
      note: 'Conflict with Beta only',
    })
    const home = pageText(await (await evaluator.request(`/evaluations/${id}/scoring`)).text())
    expect(home).toContain('Option Alpha')
    expect(home).not.toContain('Option Beta')
    expect((await evaluator.request(`/evaluations/${id}/scoring/${options.get('b')}`)).status).toBe(403)
    // Declaring "no interest" now would undo the lead's decision: refused.
    expect((await postForm(evaluator, `/evaluations/${id}/scoring/declaration`, { interest: 'none' })).status).toBe(409)
  })

  it('removes an evaluator from the panel with their scores and role', async () => {
    const { t, id, options, criteria } = await setUp()
    const evaluator = await t.clientWithRoles(id, ['evaluator'])
    await declareNone(evaluator, id)
    await answer(evaluator, id, options.get('a')!, criteria.get('crime')!, { score: '3', rationale: RATIONALE })
    await postForm(evaluator, `/evaluations/${id}/scoring/declaration`, {
      interest: 'interest',
      supplier: 'Alpha Ltd',
      details: 'A new job offer from the supplier of Alpha',
    })
    const member = await t.db
      .selectFrom('panel_member')
      .select('id')
      .where('evaluation_id', '=', id)
      .where('declared_interest', '=', 1)
      .executeTakeFirstOrThrow()
    await postForm(t.app, `/evaluations/${id}/moderation/declarations/${member.id}`, { decision: 'remove', note: 'Offer of employment' })
    expect(await t.db.selectFrom('individual_score').select('id').where('panel_member_id', '=', member.id).execute()).toEqual([])
    expect((await evaluator.request(`/evaluations/${id}/scoring`)).status).toBe(403)
  })
})

describe('scoring', () => {
  it('saves each answer as it is given, showing the saved state, and counts progress', async () => {
    const { t, id, options, criteria } = await setUp()
    const evaluator = await t.clientWithRoles(id, ['evaluator'])
    await declareNone(evaluator, id)
    const response = await answer(evaluator, id, options.get('a')!, criteria.get('crime')!, { score: '4', rationale: RATIONALE, evidence: 'Bid §2' })
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html.startsWith(`<form method="post" action="/evaluations/${id}/scoring/${options.get('a')}/${criteria.get('crime')}"`)).toBe(true)
    expect(pageText(html)).toMatch(/Scored, saved at \d\d:\d\d/)
    const row = await t.db.selectFrom('individual_score').selectAll().executeTakeFirstOrThrow()
    expect([row.score, row.rationale, row.evidence, row.version]).toEqual([4, RATIONALE, 'Bid §2', 1])
    const page = pageText(await (await evaluator.request(`/evaluations/${id}/scoring/${options.get('a')}`)).text())
    expect(page).toContain('1 of 4 scored')
    expect(page).toContain('Look for NCRS compliance in live use')
  })

  it('works as a plain form post too', async () => {
    const { t, id, options, criteria } = await setUp()
    const evaluator = await t.clientWithRoles(id, ['evaluator'])
    await declareNone(evaluator, id)
    const response = await answer(evaluator, id, options.get('a')!, criteria.get('crime')!, { score: '2', rationale: RATIONALE }, false)
    expect(response.status).toBe(303)
    const bad = await answer(evaluator, id, options.get('a')!, criteria.get('search')!, { score: '2', rationale: 'Too short', save: '1' }, false)
    expect(bad.status).toBe(422)
    const text = pageText(await bad.text())
    expect(text).toContain('There is a problem')
    expect(text).toContain('Search: Give a rationale of at least 20 characters')
    expect(textOf(await (await evaluator.request(`/evaluations/${id}/scoring/${options.get('a')}`)).text(), `answer-${criteria.get('search')}`)).toContain(
      'Draft saved: not scored until it has a score and a rationale of at least 20 characters',
    )
  })

  it('refuses a score off the scale and a gate score other than pass or fail, saving nothing', async () => {
    const { t, id, options, criteria } = await setUp()
    const evaluator = await t.clientWithRoles(id, ['evaluator'])
    await declareNone(evaluator, id)
    const cases = [
      [criteria.get('crime')!, { score: '6', rationale: RATIONALE }, 'Choose a score from 0 to 5'],
      [criteria.get('live')!, { score: '3', rationale: RATIONALE }, 'Choose pass or fail'],
      [criteria.get('crime')!, { score: '3', rationale: 'x'.repeat(5001) }, 'The rationale must be 5,000 characters or fewer'],
    ] as const
    for (const [criterion, fields, message] of cases) {
      const response = await answer(evaluator, id, options.get('a')!, criterion, fields)
      expect(response.status).toBe(422)
      expect(pageText(await response.text())).toContain(message)
    }
    expect(await t.db.selectFrom('individual_score').select('id').execute()).toEqual([])
  })

  it('keeps an incomplete answer as a draft that counts nowhere, and says what it lacks when asked to save it', async () => {
    const { t, id, options, criteria } = await setUp()
    const evaluator = await t.clientWithRoles(id, ['evaluator'])
    await declareNone(evaluator, id)
    const [a, crime, search] = [options.get('a')!, criteria.get('crime')!, criteria.get('search')!]
    // Saved as it is typed: a rationale with no score yet, then a score with a short rationale.
    const typed = await answer(evaluator, id, a, crime, { score: '', rationale: 'The demo showed' })
    expect(typed.status).toBe(200)
    expect(pageText(await typed.text())).toMatch(/Draft saved at \d\d:\d\d: not scored until/)
    const version = String((await t.db.selectFrom('individual_score').select('version').executeTakeFirstOrThrow()).version)
    const short = await answer(evaluator, id, a, crime, { score: '3', rationale: 'Fine.', version, save: '1' })
    expect(short.status).toBe(422)
    const html = await short.text()
    expect(pageText(html)).toContain('Give a rationale of at least 20 characters')
    expect(textOf(html, `answer-${crime}`)).not.toContain('Scored')
    expect(html).not.toContain('answer__status--scored')
    const row = await t.db.selectFrom('individual_score').selectAll().executeTakeFirstOrThrow()
    expect([row.score, row.rationale, row.draft]).toEqual([3, 'Fine.', 1])
    // A draft is not scored: progress, submission and the file's figures leave it out; the file keeps it.
    expect(pageText(await (await evaluator.request(`/evaluations/${id}/scoring`)).text())).toMatch(/^.*0 of 8 scored/)
    expect((await answer(evaluator, id, a, search, { score: '', rationale: '' })).status).toBe(200)
    expect(await t.db.selectFrom('individual_score').select('id').execute()).toHaveLength(1)
    const file = (await (await t.app.request(`/evaluations/${id}/export`)).json()) as { scores: Record<string, unknown>[] }
    expect(file.scores).toEqual([{ evaluator: expect.any(String), option: 'a', criterion: 'crime', score: 3, draft: true, rationale: 'Fine.' }])
    const completed = await answer(evaluator, id, a, crime, { score: '3', rationale: RATIONALE, version: String(row.version) })
    expect(pageText(await completed.text())).toMatch(/Scored, saved at/)
    expect((await t.db.selectFrom('individual_score').select('draft').executeTakeFirstOrThrow()).draft).toBe(0)
  })

  it('refuses a stale form rather than overwrite a newer save', async () => {
    const { t, id, options, criteria } = await setUp()
    const evaluator = await t.clientWithRoles(id, ['evaluator'])
    await declareNone(evaluator, id)
    await answer(evaluator, id, options.get('a')!, criteria.get('crime')!, { score: '3', rationale: RATIONALE })
    // Two windows opened at version 1: the first saves, the second is stale.
    expect(
      (await answer(evaluator, id, options.get('a')!, criteria.get('crime')!, { score: '4', rationale: `${RATIONALE} First window.`, version: '1' })).status,
    ).toBe(200)
    const stale = await answer(evaluator, id, options.get('a')!, criteria.get('crime')!, { score: '1', rationale: `${RATIONALE} Second window.`, version: '1' })
    expect(stale.status).toBe(409)
    expect(pageText(await stale.text())).toContain('changed in another window')
    const row = await t.db.selectFrom('individual_score').selectAll().executeTakeFirstOrThrow()
    expect([row.score, row.rationale, row.version]).toEqual([4, `${RATIONALE} First window.`, 2])
  })

  it('keeps each evaluator blind to the others until they submit, then locks their scores', async () => {
    const { t, id, options, criteria } = await setUp()
    const ann = await t.clientWithRoles(id, ['evaluator'])
    const ben = await t.clientWithRoles(id, ['evaluator'])
    await declareNone(ann, id)
    await declareNone(ben, id)
    const secret = 'Ben thinks the audit trail is incomplete in places'
    await answer(ben, id, options.get('a')!, criteria.get('crime')!, { score: '1', rationale: secret })
    const a = options.get('a')!
    const annPage = await (await ann.request(`/evaluations/${id}/scoring/${a}`)).text()
    const annFragment = await (await answer(ann, id, a, criteria.get('crime')!, { score: '5', rationale: RATIONALE })).text()
    for (const html of [annPage, annFragment]) expect(html).not.toContain(secret)
    const early = await postForm(ann, `/evaluations/${id}/scoring/${a}/submit`, { confirm: 'on' })
    expect(early.status).toBe(422)
    expect(pageText(await early.text())).toContain('Score every criterion before submitting: 3 have no score yet')
    for (const key of ['search', 'sus']) await answer(ann, id, a, criteria.get(key)!, { score: '4', rationale: RATIONALE })
    await answer(ann, id, a, criteria.get('live')!, { score: '1', rationale: RATIONALE })
    expect((await postForm(ann, `/evaluations/${id}/scoring/${a}/submit`, { confirm: 'on' })).status).toBe(303)
    const after = pageText(await (await ann.request(`/evaluations/${id}/scoring/${a}`)).text())
    expect(after).toContain(secret)
    expect(after).toContain('You submitted your scores for this option')
    const locked = await answer(ann, id, a, criteria.get('crime')!, { score: '0', rationale: RATIONALE, version: '1' })
    expect(locked.status).toBe(409)
    expect(pageText(await locked.text())).toContain('locked')
    const row = await t.db
      .selectFrom('individual_score')
      .select('score')
      .where('criterion_id', '=', criteria.get('crime')!)
      .where('rationale', '=', RATIONALE)
      .executeTakeFirstOrThrow()
    expect(row.score).toBe(5)
    // Ben has not submitted: still blind to Ann.
    expect(await (await ben.request(`/evaluations/${id}/scoring/${a}`)).text()).not.toContain(RATIONALE)
  })
})

describe('moderation', () => {
  const submit = (client: TestClient, id: number, option: number) => postForm(client, `/evaluations/${id}/scoring/${option}/submit`, { confirm: 'on' })

  /** Ann and Ben score Option Alpha; `submitted` says who submits it. Cat joins, drafts a 0 on crime recording, and never submits. */
  async function scored(submitted: { ann: boolean; ben: boolean } = { ann: true, ben: true }) {
    const s = await setUp()
    const [ann, ben, cat] = [
      await s.t.clientWithRoles(s.id, ['evaluator']),
      await s.t.clientWithRoles(s.id, ['evaluator']),
      await s.t.clientWithRoles(s.id, ['evaluator']),
    ]
    for (const client of [ann, ben, cat]) await declareNone(client, s.id)
    const a = s.options.get('a')!
    // crime 4 and 5 (within a tolerance of 1); search 1 and 4 (outside); sus 3 and 3; the gate passed by both.
    for (const [client, crime, search, sus] of [
      [ann, '4', '1', '3'],
      [ben, '5', '4', '3'],
    ] as const) {
      await answer(client, s.id, a, s.criteria.get('crime')!, { score: crime, rationale: RATIONALE })
      await answer(client, s.id, a, s.criteria.get('search')!, { score: search, rationale: RATIONALE })
      await answer(client, s.id, a, s.criteria.get('sus')!, { score: sus, rationale: RATIONALE })
      await answer(client, s.id, a, s.criteria.get('live')!, { score: '1', rationale: RATIONALE })
    }
    await answer(cat, s.id, a, s.criteria.get('crime')!, { score: '0', rationale: RATIONALE })
    if (submitted.ann) expect((await submit(ann, s.id, a)).status).toBe(303)
    if (submitted.ben) expect((await submit(ben, s.id, a)).status).toBe(303)
    const members = new Map(
      (await s.t.db.selectFrom('panel_member').select(['id', 'account_id']).where('evaluation_id', '=', s.id).orderBy('id').execute()).map((m, i) => [
        ['ann', 'ben', 'cat'][i]!,
        m.id,
      ]),
    )
    return { ...s, a, ann, ben, cat, members }
  }

  async function meeting(t: Awaited<ReturnType<typeof setUp>>['t'], id: number, attendees: number[]) {
    const fields: Record<string, string> = { date: '2026-11-19', chair: 'Lena Lead', notes: 'Search discussed at length.' }
    const body = new URLSearchParams(fields)
    for (const attendee of attendees) body.append('attendee', String(attendee))
    const response = await postForm(t.app, `/evaluations/${id}/moderation/meetings`, Object.fromEntries(body))
    const row = await t.db.selectFrom('moderation_meeting').select('id').where('evaluation_id', '=', id).orderBy('id', 'desc').executeTakeFirst()
    return { response, id: row?.id }
  }

  const excuse = (t: Awaited<ReturnType<typeof setUp>>['t'], id: number, member: number, option: number, reason: string) =>
    postForm(t.app, `/evaluations/${id}/moderation/excuse`, { member: String(member), option: String(option), reason })

  it('asks before Submit locks the scores', async () => {
    const { id, a, ann } = await scored({ ann: false, ben: false })
    const page = pageText(await (await ann.request(`/evaluations/${id}/scoring/${a}`)).text())
    expect(page).toContain('Submitting locks your scores for this option')
    const unticked = await postForm(ann, `/evaluations/${id}/scoring/${a}/submit`, {})
    expect(unticked.status).toBe(422)
    expect(await unticked.text()).toMatch(/id="f-confirm-error"[^>]*>.*Tick the box to confirm you have finished/s)
    expect(pageText(await (await ann.request(`/evaluations/${id}/scoring/${a}`)).text())).not.toContain('You submitted your scores')
  })

  it('refuses a consensus until every assigned member has submitted or been excused with a reason, and a meeting with no attendees', async () => {
    const { t, id, a, criteria, members } = await scored({ ann: true, ben: false })
    const crime = criteria.get('crime')!
    const noOne = await meeting(t, id, [])
    expect(noOne.response.status).toBe(422)
    expect(pageText(await noOne.response.text())).toContain('a meeting needs at least one')
    expect(noOne.id).toBeUndefined()
    const held = await meeting(t, id, [members.get('ann')!, members.get('ben')!])
    expect(held.response.status).toBe(303)
    const page = pageText(await (await t.app.request(`/evaluations/${id}/moderation/${a}`)).text())
    expect(page).toMatch(/A consensus waits for .+ and .+ to submit this option, or to be excused from it with a reason/)
    const consensus = { score: '4', rationale: 'The panel agreed crime recording works end to end.', version: '', meeting: String(held.id) }
    const early = await postForm(t.app, `/evaluations/${id}/moderation/${a}/${crime}`, consensus)
    expect(early.status).toBe(422)
    expect(pageText(await early.text())).toMatch(/A consensus comes after independent scoring: .+ have not submitted this option yet/)
    const noReason = await excuse(t, id, members.get('cat')!, a, '')
    expect(noReason.status).toBe(422)
    expect(pageText(await noReason.text())).toContain('Give the reason for excusing them')
    expect(await t.db.selectFrom('score_excuse').selectAll().execute()).toEqual([])
    expect((await excuse(t, id, members.get('cat')!, a, 'Joined the panel after the demonstrations')).status).toBe(303)
    expect((await postForm(t.app, `/evaluations/${id}/moderation/${a}/${crime}`, consensus)).status).toBe(422)
    expect((await excuse(t, id, members.get('ben')!, a, 'On leave for the moderation of Alpha')).status).toBe(303)
    expect((await postForm(t.app, `/evaluations/${id}/moderation/${a}/${crime}`, { ...consensus, meeting: '' })).status).toBe(422)
    expect((await postForm(t.app, `/evaluations/${id}/moderation/${a}/${crime}`, consensus)).status).toBe(303)
    const row = await t.db.selectFrom('consensus_score').selectAll().where('criterion_id', '=', crime).executeTakeFirstOrThrow()
    expect([row.score, row.meeting_id]).toEqual([4, held.id])
    const exported = JSON.parse(await (await t.app.request(`/evaluations/${id}/export`)).text())
    expect(exported.evaluators.map((e: { excused?: unknown }) => e.excused ?? null)).toEqual([
      null,
      [{ option: 'a', reason: 'On leave for the moderation of Alpha' }],
      [{ option: 'a', reason: 'Joined the panel after the demonstrations' }],
    ])
    expect(exported.consensus[0].meeting).toBe(exported.meetings[0].id)
  })

  it('shows the submitted scores with their spread, drafts apart, and flags those outside tolerance', async () => {
    const { t, id, a, members } = await scored()
    expect((await excuse(t, id, members.get('cat')!, a, 'Joined the panel after the demonstrations')).status).toBe(303)
    const html = await (await t.app.request(`/evaluations/${id}/moderation/${a}`)).text()
    const text = pageText(html)
    expect(text).toMatch(/Search Outside tolerance/)
    expect(text).toContain('Lowest 1.0, highest 4.0, range 3.0; mean 2.5, median 2.5.')
    // Cat's unsubmitted 0 is shown as such and left out of the spread.
    expect(text).toContain('(not submitted)')
    expect(text).toContain('Lowest 4.0, highest 5.0, range 1.0; mean 4.5, median 4.5.')
    expect(text).toContain('Review 3 criteria to accept within tolerance')
    expect(textOf(html, 'to-moderate')).toMatch(/^Search Outside tolerance/)
  })

  it('previews bulk acceptance of the submitted scores, asks for the meeting and the tender reference, then records them', async () => {
    const { t, id, a, criteria, members } = await scored()
    expect((await excuse(t, id, members.get('cat')!, a, 'Joined the panel after the demonstrations')).status).toBe(303)
    const held = await meeting(t, id, [members.get('ann')!, members.get('ben')!])
    const preview = await (await t.app.request(`/evaluations/${id}/moderation/${a}/accept`)).text()
    expect(textOf(preview, 'acceptance')).toContain('Crime recording 4.0, 5.0 5.0')
    expect(textOf(preview, 'acceptance')).not.toContain('Search')
    const ids = [criteria.get('crime')!, criteria.get('live')!, criteria.get('sus')!]
    const body = (fields: Record<string, string>) => {
      const form = new URLSearchParams(fields)
      for (const c of ids) form.append('criterion', String(c))
      return form
    }
    const post = (fields: Record<string, string>) =>
      t.app.request(`/evaluations/${id}/moderation/${a}/accept`, {
        method: 'POST',
        body: body(fields),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      })
    const noReference = await post({ meeting: String(held.id), reference: '' })
    expect(noReference.status).toBe(422)
    expect(pageText(await noReference.text())).toContain('Give the tender reference the accepted scores rest on')
    expect(await t.db.selectFrom('consensus_score').selectAll().execute()).toEqual([])
    const done = await post({ meeting: String(held.id), reference: 'Bid vol. 2 §4' })
    expect(pageText(await done.text())).toContain('3 criteria were accepted within tolerance')
    const consensus = await t.db.selectFrom('consensus_score').selectAll().where('option_id', '=', a).orderBy('criterion_id').execute()
    // crime: median of the submitted 4 and 5 is 4.5, rounded half up to 5 (Cat's draft 0 is not counted).
    const expected = [
      [criteria.get('crime'), 5],
      [criteria.get('live'), 1],
      [criteria.get('sus'), 3],
    ].sort((x, y) => Number(x[0]) - Number(y[0]))
    expect(consensus.map((c) => [c.criterion_id, c.score, c.accepted_within_tolerance, c.meeting_id, c.evidence])).toEqual(
      expected.map(([criterion, score]) => [criterion, score, 1, held.id, 'Bid vol. 2 §4']),
    )
    expect(consensus.find((c) => c.criterion_id === criteria.get('crime'))!.rationale).toContain('the panel’s submitted scores were 4, 5')
  })

  it('takes each member’s confirmation or dissent once the option is moderated, and finalising waits for them', async () => {
    const { t, id, a, criteria, members, ann, ben, cat } = await scored()
    expect((await excuse(t, id, members.get('cat')!, a, 'Joined the panel after the demonstrations')).status).toBe(303)
    const held = await meeting(t, id, [members.get('ann')!, members.get('ben')!])
    for (const key of ['crime', 'search', 'sus', 'live']) {
      const fields = {
        score: key === 'live' ? '1' : '3',
        rationale: 'The panel agreed this after discussion of the evidence.',
        version: '',
        meeting: String(held.id),
      }
      expect((await postForm(t.app, `/evaluations/${id}/moderation/${a}/${criteria.get(key)!}`, fields)).status).toBe(303)
    }
    expect(pageText(await (await ann.request(`/evaluations/${id}/scoring/${a}`)).text())).toContain('Confirm that it reflects the discussion')
    const excused = await postForm(cat, `/evaluations/${id}/scoring/${a}/consensus`, { response: 'confirm' })
    expect(excused.status).toBe(422)
    expect(pageText(await excused.text())).toContain('You are not on the panel for “Option Alpha”, or were excused from it')
    expect((await postForm(ann, `/evaluations/${id}/scoring/${a}/consensus`, { response: 'confirm' })).status).toBe(303)
    const bare = await postForm(ben, `/evaluations/${id}/scoring/${a}/consensus`, { response: 'dissent', reason: '' })
    expect(bare.status).toBe(422)
    expect(pageText(await bare.text())).toContain('Give the reason for your dissent')
    const finance = await t.clientWithRoles(id, ['finance'])
    expect((await postForm(finance, `/evaluations/${id}/scoring/${a}/consensus`, { response: 'confirm' })).status).toBe(403)
    const blockers = pageText(await (await t.app.request(`/evaluations/${id}/finalise`)).text())
    expect(blockers).toMatch(/Option Alpha: .+ must confirm the consensus, or record a dissent/)
    expect(
      (
        await postForm(ben, `/evaluations/${id}/scoring/${a}/consensus`, {
          response: 'dissent',
          reason: 'Search should have been 2: fuzzy matching is off by default.',
        })
      ).status,
    ).toBe(303)
    expect(pageText(await (await t.app.request(`/evaluations/${id}/moderation`)).text())).toContain(
      'dissented from the consensus on Option Alpha: Search should have been 2',
    )
    const exported = JSON.parse(await (await t.app.request(`/evaluations/${id}/export`)).text())
    expect(exported.evaluators[1].confirmations[0]).toMatchObject({ option: 'a', dissent: 'Search should have been 2: fuzzy matching is off by default.' })
    // A consensus changed afterwards: the confirmations of the option no longer stand.
    // Its note cites a score none gave (1 and 4 were submitted): the page shows the recorded scores beside it, and flags it.
    const fields = { score: '2', rationale: 'Individual scores 1, 4 and 2: fuzzy matching is off by default, so 2.', version: '1', meeting: String(held.id) }
    expect((await postForm(t.app, `/evaluations/${id}/moderation/${a}/${criteria.get('search')!}`, fields)).status).toBe(303)
    expect(await t.db.selectFrom('consensus_confirmation').selectAll().execute()).toEqual([])
    const flagged = pageText(await (await t.app.request(`/evaluations/${id}/moderation/${a}`)).text())
    expect(flagged).toMatch(
      /Consensus 2\.0\. Individual scores 1, 4 and 2.+ Recorded scores: \S.+ 1\.0, .+ 4\.0\. Check the note It cites a score the record does not hold \(2\.0\)/,
    )
    expect(flagged.match(/Check the note/g)).toHaveLength(1)
  })

  it('exports an assessment summary of an option beside the preferred option', async () => {
    const { t, id, a, criteria } = await scored()
    expect(criteria.size).toBeGreaterThan(0)
    const text = pageText(await (await t.app.request(`/evaluations/${id}/options/${a}/assessment-summary`)).text())
    expect(text).toContain('Assessment summary: Option Alpha')
  })
})
