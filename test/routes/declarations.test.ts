import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseEvaluationText } from '../../src/appraisal/index.js'
import { setUp } from '../changes.js'
import { createTestApp, exportedLessImportApproval, pageText, postForm } from '../helpers.js'

const parsed = parseEvaluationText(readFileSync(new URL('../fixtures/small-evaluation.json', import.meta.url), 'utf8'))
if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
const fixture = parsed.file

/** Names a supplier on Product B, which had none: everyone's declaration made before it is to be renewed. */
async function nameSupplier(t: Awaited<ReturnType<typeof createTestApp>>, id: number) {
  await setUp(
    t.db,
    id,
    (trx) => trx.updateTable('option').set({ supplier: 'Example Cloud Software Ltd' }).where('evaluation_id', '=', id).where('key', '=', 'product-b').execute(),
    {
      tables: ['option'],
    },
  )
}

describe('declarations of interest from every role', () => {
  it('holds finance to a declaration before the costs, names the supplier of an interest, and asks again when a supplier is added', async () => {
    const t = await createTestApp()
    const id = await t.importFile(fixture)
    const finance = await t.clientWithRoles(id, ['finance'], { undeclared: true })
    const costs = await finance.request(`/evaluations/${id}/costs`)
    expect(costs.status).toBe(303)
    expect(costs.headers.get('location')).toBe(`/evaluations/${id}/declaration?next=${encodeURIComponent(`/evaluations/${id}/costs`)}`)
    const option = await t.db.selectFrom('option').select('id').where('evaluation_id', '=', id).where('key', '=', 'product-a').executeTakeFirstOrThrow()
    const line = { label: 'Licences', amount: '1000', fromYear: '0', toYear: '1' }
    const refused = await postForm(finance, `/evaluations/${id}/costs/${option.id}/lines`, line)
    expect(refused.status).toBe(409)
    expect(pageText(await refused.text())).toContain('Declare any interest in the suppliers first')
    const unnamed = await postForm(finance, `/evaluations/${id}/declaration`, { interest: 'interest', supplier: '', details: 'A former employer, until 2024.' })
    expect(unnamed.status).toBe(422)
    expect(pageText(await unnamed.text())).toContain('Name the supplier your interest is in')
    expect(await t.db.selectFrom('role_declaration').selectAll().where('evaluation_id', '=', id).execute()).toHaveLength(1)
    const next = encodeURIComponent(`/evaluations/${id}/costs`)
    const declared = await postForm(finance, `/evaluations/${id}/declaration?next=${next}`, {
      interest: 'interest',
      supplier: 'Fictional Systems Ltd',
      details: 'A former employer, until 2024.',
    })
    expect(declared.headers.get('location')).toBe(`/evaluations/${id}/costs`)
    expect((await finance.request(`/evaluations/${id}/costs`)).status).toBe(200)

    // A supplier named after the declaration: the work waits for a renewal, which keeps the earlier interest.
    await nameSupplier(t, id)
    const renew = await finance.request(`/evaluations/${id}/declaration`)
    const text = pageText(await renew.text())
    expect(text).toContain('Your declaration was made before Example Cloud Software Ltd was among the suppliers')
    expect(text).toContain('You declared an interest in Fictional Systems Ltd')
    expect((await postForm(finance, `/evaluations/${id}/costs/${option.id}/lines`, line)).status).toBe(409)
    expect((await postForm(finance, `/evaluations/${id}/declaration`, { interest: 'none' })).status).toBe(303)
    const row = await t.db
      .selectFrom('role_declaration')
      .selectAll()
      .where('evaluation_id', '=', id)
      .where('name', 'like', 'Test Person%')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect([row.interest, row.supplier, JSON.parse(row.suppliers_known!)]).toEqual([
      1,
      'Fictional Systems Ltd',
      ['Fictional Systems Ltd', 'Example Cloud Software Ltd'],
    ])
    expect((await finance.request(`/evaluations/${id}/costs`)).status).toBe(200)
  })

  it('asks an evaluator to renew before scoring once a supplier is added, and holds sign-off for an approver who has not declared', async () => {
    const t = await createTestApp()
    const id = await t.importFile(fixture)
    const evaluator = await t.clientWithRoles(id, ['evaluator'])
    expect((await postForm(evaluator, `/evaluations/${id}/scoring/declaration`, { interest: 'none' })).status).toBe(303)
    expect(pageText(await (await evaluator.request(`/evaluations/${id}/scoring`)).text())).not.toContain('Declare any conflict')
    await nameSupplier(t, id)
    expect(pageText(await (await evaluator.request(`/evaluations/${id}/scoring`)).text())).toContain(
      'Renew your declaration of interest Renew Your declaration was made before Example Cloud Software Ltd was among the suppliers',
    )
    expect((await postForm(evaluator, `/evaluations/${id}/scoring/declaration`, { interest: 'none' })).status).toBe(303)
    expect(pageText(await (await evaluator.request(`/evaluations/${id}/scoring`)).text())).not.toContain('Renew your declaration')

    await t.clientWithRoles(id, ['approver'], { undeclared: true })
    // The test lead declared before the supplier was added: their moderation waits for a renewal too.
    expect((await t.app.request(`/evaluations/${id}/finalise`)).headers.get('location')).toMatch(/\/declaration\?next=/)
    expect((await postForm(t.app, `/evaluations/${id}/declaration`, { interest: 'none' })).status).toBe(303)
    expect(pageText(await (await t.app.request(`/evaluations/${id}/finalise`)).text())).toMatch(
      /Test Person \d+ \(approver\) must declare any interest in the suppliers, or renew their declaration, before the decision is signed off/,
    )
  })
})

describe('the conflicts assessment', () => {
  it('lists everyone with a role and their declaration, takes the lead’s assessment and mitigation, and keeps them in the file', async () => {
    const t = await createTestApp()
    const id = await t.importFile(fixture)
    const finance = await t.clientWithRoles(id, ['finance'])
    await t.clientWithRoles(id, ['approver'], { undeclared: true })
    await postForm(finance, `/evaluations/${id}/declaration`, {
      interest: 'interest',
      supplier: 'Fictional Systems Ltd',
      details: 'Spouse is an account manager there.',
    })
    const page = pageText(await (await t.app.request(`/evaluations/${id}/conflicts`)).text())
    expect(page).toMatch(/Test Person \d+ Approver No declaration/)
    expect(page).toMatch(
      /Test Person \d+ Finance Interest declared In Fictional Systems Ltd: Spouse is an account manager there\. Declared .+ Not assessed yet/,
    )
    expect(page).toMatch(/Test Person \d+ Lead No interest/)
    const declaration = await t.db
      .selectFrom('role_declaration')
      .selectAll()
      .where('evaluation_id', '=', id)
      .where('interest', '=', 1)
      .executeTakeFirstOrThrow()
    const bare = await postForm(t.app, `/evaluations/${id}/conflicts/${declaration.id}`, { assessment: 'A conflict for costs of Product A.', mitigation: '' })
    expect(bare.status).toBe(422)
    expect(pageText(await bare.text())).toContain('Say what is done about it')
    expect((await t.db.selectFrom('role_declaration').select('assessment').where('id', '=', declaration.id).executeTakeFirstOrThrow()).assessment).toBeNull()
    const fields = { assessment: 'A conflict for the costs of Product A.', mitigation: 'A second finance officer checks Product A’s cost lines.' }
    expect((await postForm(t.app, `/evaluations/${id}/conflicts/${declaration.id}`, fields)).status).toBe(303)
    expect(pageText(await (await t.app.request(`/evaluations/${id}/conflicts`)).text())).toContain(
      'A conflict for the costs of Product A. Mitigation: A second finance officer checks Product A’s cost lines.',
    )
    const history = pageText(await (await t.app.request(`/evaluations/${id}/history`)).text())
    expect(history).toMatch(/Assessment of Test Person \d+’s declared interest in Fictional Systems Ltd/)

    const text = await (await t.app.request(`/evaluations/${id}/export`)).text()
    const exported = JSON.parse(text)
    expect(exported.declarations).toHaveLength(2)
    expect(exported.declarations.find((d: { interest: boolean }) => d.interest)).toMatchObject({
      roles: ['finance'],
      supplier: 'Fictional Systems Ltd',
      suppliersKnown: ['Fictional Systems Ltd'],
      ...fields,
    })
    // Round trip: the file imported gives the same file back.
    const again = exportedLessImportApproval(text)
    if (!again.ok) throw new Error(again.errors.join('\n'))
    const copy = await t.importFile(again.file, { undeclared: true })
    const reexported = exportedLessImportApproval(await (await t.app.request(`/evaluations/${copy}/export`)).text())
    expect(reexported.ok && reexported.file.declarations).toEqual(again.file.declarations)
  })
})
