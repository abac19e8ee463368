import { describe, expect, it } from 'vitest'
import { buildDemoEvaluation, seedDemoIfEmpty } from '../src/demo/seed.js'
import { createTestApp, pageText, testTemplates } from './helpers.js'

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

  it('shows a panel part-way through: one evaluator still scoring a product, one disagreement flagged', async () => {
    const t = await createTestApp()
    const id = await seedDemoIfEmpty(t.db, testTemplates())
    const lead = await t.clientWithRoles(id, ['lead'])
    const dashboard = pageText(await (await lead.request(`/evaluations/${id}/moderation`)).text())
    expect(dashboard).toMatch(/Sam Whitfield (\d+) of \1 Submitted (\d+) of \1 Submitted 52 of 54 (\d+) of \1 Submitted/)
    expect(dashboard).toMatch(/Product B — cloud-native subscription 53 of 54 1 0/)
    expect(dashboard).toContain('Paid consultancy on a data migration for the supplier of Product A')
  })
})
