import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseEvaluationText } from '../../src/appraisal/index.js'
import { clipped, LOG_TEXT_LIMITS } from '../../src/db/audit.js'
import { reopenEvaluation } from '../../src/db/sign-off.js'
import { completeConsensus } from '../appraisal/factories.js'
import { createTestApp, postForm, type TestApp } from '../helpers.js'

const text = readFileSync(new URL('../fixtures/small-evaluation.json', import.meta.url), 'utf8')
const parsed = parseEvaluationText(text)
if (!parsed.ok) throw new Error(parsed.errors.join('\n'))

/** A file name of 900,000 characters: under the form's 1 MB, far over anything the log should keep. */
const hugeName = `${'costs-'.repeat(150_000)}.csv`

async function entries(t: TestApp, evaluationId: number) {
  return t.db.selectFrom('audit_entry').selectAll().where('evaluation_id', '=', evaluationId).orderBy('seq').execute()
}

describe('text going into the append-only log is bounded', () => {
  it('cuts an evaluation file’s upload name in the import’s entry', async () => {
    const t = await createTestApp()
    const form = new FormData()
    form.set('file', new File([text], hugeName, { type: 'application/json' }))
    const response = await t.app.request('/evaluations/import', { method: 'POST', body: form })
    expect(response.status).toBe(303)
    const id = Number(/\/evaluations\/(\d+)$/.exec(response.headers.get('location') ?? '')?.[1])
    const [entry] = await entries(t, id)
    expect(entry!.summary.length).toBeLessThanOrEqual(LOG_TEXT_LIMITS.summary)
    expect(entry!.summary).toMatch(/^Evaluation “Small worked example” imported from the file costs-costs-.*…$/)
  })

  it('cuts a CSV file name in the cost import’s entry', async () => {
    const t = await createTestApp()
    const id = await t.importFile(parsed.file)
    // Finance models the costs: while the panel moderates, the cost model is sealed from the lead (decision 17).
    const finance = await t.clientWithRoles(id, ['finance'])
    const csv = [
      'option,type,label,category,capital_or_operating,amount,first_year,last_year,growth_percent,optimism_bias_percent,range_low,range_high,notes',
      'product-b,cost,Data cleansing,migration,capital,1200000,2026,2027,2,25,0.9,1.5,Supplier quote',
    ].join('\n')
    const response = await postForm(finance, `/evaluations/${id}/costs/import/confirm`, { csv, fileName: hugeName })
    expect(response.status).toBe(303)
    const last = (await entries(t, id)).at(-1)!
    expect(last.kind).toBe('cost')
    expect(last.summary.length).toBeLessThanOrEqual(LOG_TEXT_LIMITS.summary)
    expect(last.summary).toMatch(/^1 cost, benefit and sunk-cost lines imported from costs-costs-.*…$/)
  })

  it('refuses a reason longer than the log takes, writing nothing, where the form has not refused it first', async () => {
    const t = await createTestApp()
    const id = await t.importFile(completeConsensus(parsed.file))
    expect((await postForm(t.app, `/evaluations/${id}/finalise`, { confirm: 'on' })).status).toBe(303)
    const before = await entries(t, id)
    const reason = 'Because '.repeat(1000)
    expect((await postForm(t.app, `/evaluations/${id}/reopen`, { reason })).status).toBe(422)
    await expect(reopenEvaluation(t.db, id, { accountId: null, name: 'Someone' }, reason)).rejects.toThrow(
      /^The reason is 8,000 characters; the audit log takes at most 5,000\.$/,
    )
    expect(await entries(t, id)).toEqual(before)
    const evaluation = await t.db.selectFrom('evaluation').select('status').where('id', '=', id).executeTakeFirstOrThrow()
    expect(evaluation.status).toBe('finalised')
  })

  it('cuts at a whole character, ending with an ellipsis', () => {
    expect(clipped('short', 10)).toBe('short')
    expect(clipped('abcdefghij', 5)).toBe('abcd…')
    // '😀' is two UTF-16 units: never half of one.
    expect(clipped('abc😀def', 5)).toBe('abc…')
    expect(clipped('a'.repeat(1_000_000), LOG_TEXT_LIMITS.summary)).toHaveLength(LOG_TEXT_LIMITS.summary)
  })
})
