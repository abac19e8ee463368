// Every list of criteria follows the tree: a group's criteria together, in the tree's depth-first
// order. Walked with the police records template (54 answers in nested groups), created through the app.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { inTreeOrder } from '../../src/db/criteria.js'
import { seedDemoIfEmpty } from '../../src/demo/seed.js'
import { createEvaluation, createTestApp, declareNoInterest, postForm, testTemplates } from '../helpers.js'

interface TemplateNode {
  id: string
  criteria?: TemplateNode[]
}

const template = JSON.parse(readFileSync(new URL('../../criteria/police-records-management.json', import.meta.url), 'utf8')) as { criteria: TemplateNode[] }

/** The template's answers (leaves and gates) in depth-first order, each with its top-level group. */
function templateLeaves(nodes: TemplateNode[], top: string | null = null): { key: string; top: string | null }[] {
  return nodes.flatMap((node) => (node.criteria === undefined ? [{ key: node.id, top }] : templateLeaves(node.criteria, top ?? node.id)))
}

/** Every id captured by the pattern, in the page's order. */
function idsIn(html: string, pattern: RegExp): number[] {
  return [...html.matchAll(pattern)].map((m) => Number(m[1]))
}

/** Each top-level group's answers are one unbroken run. */
function groupsTogether(tops: (string | null)[]): boolean {
  const finished = new Set<string | null>()
  for (const [i, top] of tops.entries()) {
    if (finished.has(top)) return false
    if (tops[i + 1] !== top) finished.add(top)
  }
  return true
}

describe('the tree’s order on every page and in the export', () => {
  const expected = templateLeaves(template.criteria)

  it('keeps every group’s criteria together and in tree order for scoring, moderation and the file', async () => {
    const t = await createTestApp()
    const id = await createEvaluation(t.app, { template: 'police-records-management' })
    expect((await postForm(t.app, `/evaluations/${id}/plan/approve`, {})).status).toBe(303)
    expect((await postForm(t.app, `/evaluations/${id}/options`, { name: 'Option Alpha' })).status).toBe(303)
    const option = await t.db.selectFrom('option').select('id').where('evaluation_id', '=', id).executeTakeFirstOrThrow()
    // The lead declares, as anyone working on the decision does once the plan is approved.
    await declareNoInterest(t.db, id, t.accountId, ['lead'])
    const rows = await t.db.selectFrom('criterion').select(['id', 'key']).where('evaluation_id', '=', id).execute()
    const keyOf = new Map(rows.map((r) => [r.id, r.key]))
    const keys = (ids: number[]) => ids.map((x) => keyOf.get(x))
    expect(expected.length).toBe(54)
    expect(groupsTogether(expected.map((l) => l.top))).toBe(true)

    const evaluator = await t.clientWithRoles(id, ['evaluator'])
    expect((await postForm(evaluator, `/evaluations/${id}/scoring/declaration`, { interest: 'none' })).status).toBe(303)
    // Scored a group at a time: the contents list names every group in the tree's order, and its
    // pages, one after another, give every answer in the tree's order, each group under one heading.
    const first = await (await evaluator.request(`/evaluations/${id}/scoring/${option.id}`)).text()
    const contents = first.slice(first.indexOf('class="group-contents"'), first.indexOf('</nav>', first.indexOf('class="group-contents"')))
    const groupPages = idsIn(contents, new RegExp(`href="/evaluations/${id}/scoring/${option.id}\\?group=(\\d+)"`, 'g'))
    expect(keys(groupPages)).toEqual(template.criteria.map((g) => g.id))
    const scored: number[] = []
    for (const group of groupPages) {
      const page = await (await evaluator.request(`/evaluations/${id}/scoring/${option.id}?group=${group}`)).text()
      expect([...page.matchAll(/<h2 id="group-title"/g)].length).toBe(1)
      scored.push(...idsIn(page, new RegExp(`action="/evaluations/${id}/scoring/${option.id}/(\\d+)"`, 'g')))
    }
    expect(keys(scored)).toEqual(expected.map((l) => l.key))

    const moderation = await (await t.app.request(`/evaluations/${id}/moderation/${option.id}?group=all`)).text()
    expect(keys(idsIn(moderation, /<section class="moderation-row" id="moderate-(\d+)"/g))).toEqual(expected.map((l) => l.key))
    const toModerate = moderation.slice(moderation.indexOf('id="to-moderate"'))
    expect(keys(idsIn(toModerate.slice(0, toModerate.indexOf('</ul>')), /href="#moderate-(\d+)"/g))).toEqual(expected.map((l) => l.key))

    const summary = await (await t.app.request(`/evaluations/${id}/options/${option.id}/assessment-summary`)).text()
    const names = new Map((await t.db.selectFrom('criterion').select(['key', 'name']).where('evaluation_id', '=', id).execute()).map((r) => [r.key, r.name]))
    const escaped = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
    const positions = expected.map((l) => summary.indexOf(escaped(names.get(l.key)!)))
    expect(positions.every((p) => p >= 0)).toBe(true)
    expect([...positions].sort((a, b) => a - b)).toEqual(positions)

    const exported = (await (await t.app.request(`/evaluations/${id}/export`)).json()) as { criteria: TemplateNode[] }
    expect(templateLeaves(exported.criteria)).toEqual(expected)
  })
})

describe('the demo', () => {
  it('moderates each option in the tree’s order, a group’s criteria together', async () => {
    const t = await createTestApp()
    const id = (await seedDemoIfEmpty(t.db, testTemplates()))!
    const all = await t.db.selectFrom('criterion').selectAll().where('evaluation_id', '=', id).execute()
    const parentOf = new Map(all.map((r) => [r.id, r.parent_id]))
    const topOf = (criterion: number): number => (parentOf.get(criterion) === null ? criterion : topOf(parentOf.get(criterion)!))
    const lead = await t.clientWithRoles(id, ['lead'])
    for (const option of await t.db.selectFrom('option').select('id').where('evaluation_id', '=', id).execute()) {
      const page = await (await lead.request(`/evaluations/${id}/moderation/${option.id}?group=all`)).text()
      const shown = idsIn(page, /<section class="moderation-row" id="moderate-(\d+)"/g)
      expect(shown.length).toBe(54)
      expect(groupsTogether(shown.map((x) => String(topOf(x))))).toBe(true)
      expect(shown).toEqual(
        inTreeOrder(all)
          .filter((c) => c.kind !== 'group')
          .map((c) => c.id),
      )
    }
  })
})

describe('inTreeOrder', () => {
  it('puts each group’s descendants straight after it, siblings by position then id', () => {
    const rows = [
      { id: 1, parent_id: null, position: 0 },
      { id: 2, parent_id: null, position: 1 },
      { id: 3, parent_id: 1, position: 0 },
      { id: 4, parent_id: 2, position: 0 },
      { id: 5, parent_id: 1, position: 1 },
      { id: 6, parent_id: 3, position: 0 },
      { id: 7, parent_id: 2, position: 0 },
    ]
    expect(inTreeOrder(rows).map((r) => r.id)).toEqual([1, 3, 6, 5, 2, 4, 7])
  })
})
