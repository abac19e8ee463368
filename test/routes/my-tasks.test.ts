// "My tasks" (issue 20): anyone with a role lands on what is waiting for them, each task one click from the work.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseEvaluationText } from '../../src/appraisal/index.js'
import { createTestApp, pageText, postForm, type TestClient } from '../helpers.js'

const parsed = parseEvaluationText(readFileSync(new URL('../fixtures/small-evaluation.json', import.meta.url), 'utf8'))
if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
const fixture = parsed.file

/** The tasks' links on the landing page, as [text, href]. */
async function tasksOf(client: TestClient): Promise<[string, string][]> {
  const html = await (await client.request('/evaluations')).text()
  const list = [...html.matchAll(/<ul class="my-tasks__list">([\s\S]*?)<\/ul>/g)].map((m) => m[1]!).join('')
  return [...list.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => [pageText(m[2]!), m[1]!.replaceAll('&amp;', '&')])
}

describe('my tasks', () => {
  it('lists what is left for each role, each a link that opens the work', async () => {
    const t = await createTestApp()
    const draft = await t.importFile({ ...fixture, title: 'Draft plan', scores: [], consensus: [], evaluators: [] }, { draft: true })
    const id = await t.importFile({ ...fixture, scores: [], consensus: [], evaluators: [], costs: fixture.costs.filter((c) => c.option !== 'product-b') })
    const option = async (key: string) =>
      (await t.db.selectFrom('option').select('id').where('evaluation_id', '=', id).where('key', '=', key).executeTakeFirstOrThrow()).id

    // The lead: the draft plan to approve; the main button is no longer "Start a new evaluation".
    expect(await tasksOf(t.app)).toContainEqual(['Approve the evaluation plan: scoring opens once it is approved', `/evaluations/${draft}/plan`])
    const landing = await (await t.app.request('/evaluations')).text()
    expect(landing).toContain('<h1 id="my-tasks">My tasks</h1>')
    expect(landing).toContain('<a class="button button--secondary" href="/evaluations/new">')

    // An evaluator: declare first, then each option to score, at the first group with work left.
    const evaluator = await t.clientWithRoles(id, ['evaluator'])
    expect(await tasksOf(evaluator)).toEqual([['Declare any interest, before you see the tenders', `/evaluations/${id}/scoring`]])
    await postForm(evaluator, `/evaluations/${id}/scoring/declaration`, { interest: 'none' })
    const scoring = await tasksOf(evaluator)
    const productA = await option('product-a')
    const group = (await t.db.selectFrom('criterion').select('id').where('evaluation_id', '=', id).where('key', '=', 'functional').executeTakeFirstOrThrow()).id
    expect(scoring).toContainEqual(['Score Product A: 2 groups left, 0 of 4 scored', `/evaluations/${id}/scoring/${productA}?group=${group}`])
    expect(scoring).toHaveLength(3)
    const opened = await evaluator.request(scoring[1]![1])
    expect(opened.status).toBe(200)
    expect(pageText(await opened.text())).toContain('Functional fit 0 of 3 scored')

    // Finance: the option without costs. The clerk: tenders not yet loaded (not business as usual).
    const finance = await t.clientWithRoles(id, ['finance'])
    expect(await tasksOf(finance)).toEqual([['Enter the costs of Product B', `/evaluations/${id}/costs/${await option('product-b')}`]])
    const clerk = await t.clientWithRoles(id, ['clerk'])
    expect((await tasksOf(clerk)).map(([text]) => text)).toEqual([
      'Load the tender of Product A: its documents and responses',
      'Load the tender of Product B: its documents and responses',
    ])

    // An account with no role keeps the plain list, with its main button.
    const nobody = await t.clientWithRoles(null, [])
    const plain = await (await nobody.request('/evaluations')).text()
    expect(plain).not.toContain('My tasks')
    expect(plain).toContain('<a class="button" href="/evaluations/new">')
  })
})
