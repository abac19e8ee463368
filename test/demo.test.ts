import { describe, expect, it } from 'vitest'
import { checkNoteScores, computeResults, computeSensitivity, countedScores, panelStateOfFile } from '../src/appraisal/index.js'
import { buildDemoEvaluation, createDemoAccounts, seedDemoIfEmpty } from '../src/demo/seed.js'
import { lineRisks } from '../src/line-risks.js'
import { createTestApp, pageText, signedInClient, testTemplates } from './helpers.js'

describe('the demo evaluation', () => {
  it('is seeded on first run only', async () => {
    const { db } = await createTestApp()
    const id = await seedDemoIfEmpty(db, testTemplates())
    expect(id).not.toBeNull()
    expect(await seedDemoIfEmpty(db, testTemplates())).toBeNull()
    expect(await db.selectFrom('evaluation').select('id').execute()).toHaveLength(1)
  })

  it('is a fictional force choosing between retaining its system and off-the-shelf products, scored by a panel', () => {
    const demo = buildDemoEvaluation(testTemplates())
    expect(demo.options.filter((o) => o.baseline)).toHaveLength(1)
    expect(demo.options.length).toBeGreaterThanOrEqual(3)
    expect(demo.evaluators.length).toBeGreaterThanOrEqual(2)
    expect(demo.consensus.length).toBeGreaterThan(100)
    expect(demo.costs.length).toBeGreaterThan(10)
    expect(demo.sunkCosts.length).toBeGreaterThan(0)
    expect(demo.split.cost).toBeGreaterThan(0)
  })

  it('sets a do-minimum and three tenders against a true business as usual, keeping cash and price apart', () => {
    const demo = buildDemoEvaluation(testTemplates())
    expect(demo.options.map((o) => [o.id, o.baseline === true, o.tender])).toEqual([
      ['bau', true, false],
      ['retain', false, false],
      ['product-a', false, true],
      ['product-b', false, true],
      ['product-c', false, true],
    ])
    // business as usual carries no remediation, and the overtime the failing system causes as cash
    const bauCosts = demo.costs.filter((c) => c.option === 'bau')
    expect(bauCosts.some((c) => /remediat/i.test(c.label))).toBe(false)
    expect(bauCosts.find((c) => c.label.startsWith('Overtime'))).toMatchObject({ cash: true, price: false })
    // officer and staff time, the productivity dip and users' training time are economic, not cash, never price
    for (const line of [...demo.costs, ...demo.benefits]) {
      if (/(officer|unit|user) time|productivity/i.test(line.label)) expect(line.cash, line.label).toBe(false)
    }
    // a tender's price is what its supplier charges: every tender has price lines, and no price line is non-cash
    for (const id of ['product-a', 'product-b', 'product-c']) expect(demo.costs.some((c) => c.option === id && c.price)).toBe(true)
    expect(demo.costs.filter((c) => c.price && (!c.cash || !['product-a', 'product-b', 'product-c'].includes(c.option)))).toEqual([])
    expect(demo.costs.find((c) => c.option === 'product-b' && c.label === 'Programme team (force)')?.price).toBe(false)
  })

  it('tells both answers honestly: Product B is the preferred tender, and its case rests on officer time, not cash', () => {
    const demo = buildDemoEvaluation(testTemplates())
    const results = computeResults(demo)
    const option = (id: string) => results.options.find((o) => o.id === id)!
    expect(results.preferred).toBe('product-b')
    expect(results.complete).toBe(true)
    // the live system fails the two gates its own rationales say it fails today; remediation passes on release 4.2
    expect(option('bau').failedGates).toEqual(['gate-crime-recording-compliance', 'gate-safeguarding-referral'])
    expect(option('retain').failedGates).toEqual([])
    expect(option('product-c').eligible).toBe(false)
    // the do-minimum is appraised, never priced or ranked, and does not pay for itself against business as usual
    expect(option('retain')).toMatchObject({ tender: false, priceScore: null, total: null, rank: null })
    expect(option('retain').npsv).toBeLessThan(0)
    // Product B: positive NPSV, negative in cash; without the officer time released it is negative
    const b = option('product-b')
    expect(b.npsv).toBeGreaterThan(0)
    expect(b.cashNpsv).toBeLessThan(0)
    const officerTime = demo.benefits.findIndex((l) => l.option === 'product-b' && l.label === 'Officer time released')
    const outcome = computeSensitivity(demo, { iterations: 10 })
    const line = outcome.computed ? outcome.sensitivity.lines.find((l) => l.kind === 'benefit' && l.index === officerTime) : undefined
    expect(line!.pv).toBeGreaterThan(b.npsv)
    expect(line!.switchesAt).toBeCloseTo((-100 * b.npsv) / line!.pv, 9)
    expect(line!.switchesAt).toBeGreaterThan(-100)
    // the largest risks lead: lines whose change would lose a positive case, before what remediation
    // (already below zero) would need to break even, however small that is
    const risks = lineRisks(demo, results, outcome.computed ? outcome.sensitivity.lines : [])
    expect(risks[0]!.sentence).toMatch(/^Officer time released could fall by [\d.]+% before Product A/)
    const firstBreakEven = risks.findIndex((r) => r.line.option === 'retain')
    expect(risks.slice(firstBreakEven).every((r) => r.line.option === 'retain' || r.line.switchesAt === null)).toBe(true)
  })

  it('shows a panel part-way through: one disagreement adjourned, so Product B is neither moderated nor confirmed', async () => {
    const t = await createTestApp()
    const id = await seedDemoIfEmpty(t.db, testTemplates())
    const lead = await t.clientWithRoles(id, ['lead'])
    const dashboard = pageText(await (await lead.request(`/evaluations/${id}/moderation`)).text())
    expect(dashboard).toMatch(/Sam Whitfield (\d+) of \1 Submitted (\d+) of \1 Submitted (\d+) of \1 Submitted (\d+) of \1 Submitted (\d+) of \1 Submitted/)
    expect(dashboard).toMatch(/Product B — cloud-native subscription 53 of 54 1 0 Nobody Helen Marsh, David Oyelaran and Sam Whitfield/)
    expect(dashboard).toContain('Paid consultancy on a data migration for the supplier of Product A')
    expect(dashboard).toContain('2026-11-20 Demo lead Helen Marsh, David Oyelaran and Sam Whitfield')
  })

  it('holds no consensus the rules would refuse, each named to its meeting, with notes citing only the submitted scores', () => {
    const demo = buildDemoEvaluation(testTemplates())
    const state = panelStateOfFile(demo)
    const meetings = new Map((demo.meetings ?? []).map((m) => [m.id, m]))
    const counted = countedScores(demo)
    for (const c of demo.consensus) {
      const where = `${c.option} / ${c.criterion}`
      expect(state.awaiting(c.option, c.criterion), where).toEqual([])
      expect(meetings.get(c.meeting ?? '')?.options, where).toContain(c.option)
      const scores = counted.filter((s) => s.option === c.option && s.criterion === c.criterion).map((s) => s.score)
      const all = /^All three scored (\d)/.exec(c.rationale ?? '')
      if (all !== null) expect(scores, where).toEqual([Number(all[1]), Number(all[1]), Number(all[1])])
      const listed = /^Individual scores (\d), (\d) and (\d)/.exec(c.rationale ?? '')
      if (listed !== null) expect([...scores].sort(), where).toEqual(listed.slice(1).map(Number).sort())
      expect(
        checkNoteScores(
          c.rationale ?? '',
          scores.flatMap((s) => s ?? []),
        ).consistent,
        where,
      ).toBe(true)
    }
  })

  it('has a weighting round applied before the plan was approved, giving the weights the criteria carry, and accounts for its stakeholder and the trial’s facilitator', async () => {
    const demo = buildDemoEvaluation(testTemplates())
    const round = computeResults(demo).weighting![0]!
    expect(round.applied! < demo.plan!.approvedAt!).toBe(true)
    // Two stakeholders who weighed the four commercial criteria in opposite ways: the group's geometric mean is equal weights, as the criteria carry.
    const commercial = demo.criteria.find((c) => c.id === 'commercial')!.criteria!
    const total = commercial.reduce((sum, c) => sum + c.weight!, 0)
    for (const c of commercial) expect(round.group!.weights[c.id]).toBeCloseTo(c.weight! / total, 12)
    expect(round.participants.map((p) => [p.name, p.figures!.cr])).toEqual([
      ['Demo stakeholder', expect.closeTo(0, 12)],
      ['Head of Finance', expect.closeTo(0, 12)],
    ])
    expect(demo.trials!.criteria).toEqual(['usability'])

    const t = await createTestApp()
    const id = (await seedDemoIfEmpty(t.db, testTemplates()))!
    const issued = await createDemoAccounts(t.db, id)
    expect(issued.filter((a) => ['facilitator', 'stakeholder'].includes(a.roles)).map((a) => a.email)).toEqual([
      'facilitator@demo.example',
      'stakeholder@demo.example',
    ])
    const account = async (email: string) => (await t.db.selectFrom('account').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id
    const stakeholder = await signedInClient(t.anonymous, t.db, await account('stakeholder@demo.example'))
    expect(pageText(await (await stakeholder.request(`/evaluations/${id}/weighting`)).text())).toContain('Commercial terms')
    const facilitator = await signedInClient(t.anonymous, t.db, await account('facilitator@demo.example'))
    expect(pageText(await (await facilitator.request(`/evaluations/${id}/trials`)).text())).toContain('Start the session')
  })
})
