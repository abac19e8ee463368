import { describe, expect, it } from 'vitest'
import type { KyselyPlugin, OperationNode, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely'
import { createApp } from '../../src/app.js'
import { createEvaluation, createTestApp, postForm, signedInClient, testTemplates } from '../helpers.js'

/** Counts the queries that read from the evaluation table (its row, not the records under it). */
class EvaluationReads implements KyselyPlugin {
  count = 0

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (args.node.kind === 'SelectQueryNode' && readsEvaluation(args.node)) this.count++
    return args.node
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result
  }
}

function readsEvaluation(node: OperationNode): boolean {
  const from = (node as { from?: { froms: OperationNode[] } }).from?.froms ?? []
  return from.some((table) => (table as { table?: { identifier?: { name?: string } } }).table?.identifier?.name === 'evaluation')
}

describe('the guard hands over what it loaded', () => {
  it('reads an evaluation once per request: the guard reads it, the pages take it from there', async () => {
    const { app: lead, db, accountId } = await createTestApp()
    const id = await createEvaluation(lead)
    await postForm(lead, `/evaluations/${id}/options`, { name: 'Retain and remediate', kind: 'other' })
    const reads = new EvaluationReads()
    const client = await signedInClient(createApp({ db: db.withPlugin(reads), templates: testTemplates() }), db, accountId)

    for (const page of ['', '/edit', '/options', '/criteria', '/panel', '/moderation', '/settings', '/history']) {
      reads.count = 0
      const response = await client.request(`/evaluations/${id}${page}`)
      expect(response.status, page).toBe(200)
      expect(reads.count, `GET /evaluations/${id}${page}`).toBe(1)
    }

    // A change reads it once, in the guard: the change claims it in its transaction with an update
    // that returns the row (src/db/audit.ts), not a second read.
    reads.count = 0
    expect((await postForm(client, `/evaluations/${id}/options`, { name: 'In-house fix', kind: 'other' })).status).toBe(303)
    expect(reads.count).toBe(1)
  })

  it('still answers 404 for an evaluation that does not exist, and the page for one that does', async () => {
    const { app, db } = await createTestApp()
    const id = await createEvaluation(app)
    expect((await app.request(`/evaluations/${id + 1}/options`)).status).toBe(404)
    expect((await postForm(app, `/evaluations/${id + 1}/options`, { name: 'Product A' })).status).toBe(404)
    expect(await db.selectFrom('option').selectAll().execute()).toEqual([])
    expect((await app.request(`/evaluations/${id}/options`)).status).toBe(200)
  })
})
