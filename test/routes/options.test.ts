import { describe, expect, it } from 'vitest'
import { createApprovedEvaluation, createTestApp, pageText, postForm } from '../helpers.js'

async function optionRows(db: Awaited<ReturnType<typeof createTestApp>>['db'], evaluationId: number) {
  return db.selectFrom('option').selectAll().where('evaluation_id', '=', evaluationId).orderBy('position').execute()
}

describe('options', () => {
  it('adds options with supplier, product and description', async () => {
    const { app, db } = await createTestApp()
    const id = await createApprovedEvaluation(app, db)
    const response = await postForm(app, `/evaluations/${id}/options`, {
      name: 'Product A',
      supplier: 'Fictional Systems Ltd',
      product: 'Records 9',
      description: 'On-premise',
    })
    expect(response.status).toBe(303)
    const [option] = await optionRows(db, id)
    expect(option).toMatchObject({
      key: 'product-a',
      name: 'Product A',
      supplier: 'Fictional Systems Ltd',
      product: 'Records 9',
      description: 'On-premise',
      baseline: 0,
    })
    expect(pageText(await (await app.request(`/evaluations/${id}/options`)).text())).toContain('Product A Tender Fictional Systems Ltd Records 9')
  })

  it('drops a NUL character from what is typed, which no database would store, and saves the rest', async () => {
    const { app, db } = await createTestApp()
    const id = await createApprovedEvaluation(app, db)
    const response = await postForm(app, `/evaluations/${id}/options`, { name: 'Product\u0000 A', description: 'On\u0000-premise' })
    expect(response.status).toBe(303)
    expect(await optionRows(db, id)).toMatchObject([{ name: 'Product A', description: 'On-premise' }])
  })

  it('keeps exactly one baseline: marking another clears the first', async () => {
    const { app, db } = await createTestApp()
    const id = await createApprovedEvaluation(app, db)
    await postForm(app, `/evaluations/${id}/options`, { name: 'Retain', kind: 'baseline' })
    await postForm(app, `/evaluations/${id}/options`, { name: 'Product A' })
    const [retain, productA] = await optionRows(db, id)
    await postForm(app, `/evaluations/${id}/options/${productA!.id}`, { name: 'Product A', kind: 'baseline' })
    expect((await optionRows(db, id)).map((o) => [o.name, o.baseline])).toEqual([
      ['Retain', 0],
      ['Product A', 1],
    ])
    expect(retain).toBeDefined()
  })

  it('says in words whether an option is a tender, business as usual or another option, and stores it', async () => {
    const { app, db } = await createTestApp()
    const id = await createApprovedEvaluation(app, db)
    await postForm(app, `/evaluations/${id}/options`, { name: 'Keep the current system', kind: 'baseline' })
    await postForm(app, `/evaluations/${id}/options`, { name: 'Remediate', kind: 'other' })
    await postForm(app, `/evaluations/${id}/options`, { name: 'Product A', kind: 'tender' })
    expect((await optionRows(db, id)).map((o) => [o.name, o.baseline, o.tender])).toEqual([
      ['Keep the current system', 1, 0],
      ['Remediate', 0, 0],
      ['Product A', 0, 1],
    ])
    const list = pageText(await (await app.request(`/evaluations/${id}/options`)).text())
    expect(list).toContain('Keep the current system Business as usual')
    expect(list).toContain('Remediate Not a tender')
    expect(list).toContain('Product A Tender')
    const [, remediate] = await optionRows(db, id)
    const form = await (await app.request(`/evaluations/${id}/options/${remediate!.id}/edit`)).text()
    expect(form).toMatch(/<input type="radio" id="f-kind-other" name="kind" value="other" checked/)
    // The file says the same: remediate is appraised but not a tender.
    const exported = JSON.parse(await (await app.request(`/evaluations/${id}/export`)).text())
    expect(exported.options.map((o: { id: string; baseline: boolean; tender: boolean }) => [o.id, o.baseline, o.tender])).toEqual([
      ['keep-the-current-system', true, false],
      ['remediate', false, false],
      ['product-a', false, true],
    ])
  })

  it('refuses a kind it does not know, saving nothing', async () => {
    const { app, db } = await createTestApp()
    const id = await createApprovedEvaluation(app, db)
    const response = await postForm(app, `/evaluations/${id}/options`, { name: 'X', kind: 'bid' })
    expect(response.status).toBe(422)
    expect(pageText(await response.text())).toContain('Choose whether this option is a tender, business as usual or another option')
    expect(await optionRows(db, id)).toEqual([])
  })

  it('refuses an option without a name, keeping the input and saving nothing', async () => {
    const { app, db } = await createTestApp()
    const id = await createApprovedEvaluation(app, db)
    const response = await postForm(app, `/evaluations/${id}/options`, { name: '', supplier: 'Kept supplier' })
    expect(response.status).toBe(422)
    const html = await response.text()
    expect(html).toContain('Enter the option’s name')
    expect(html).toContain('value="Kept supplier"')
    expect(await optionRows(db, id)).toEqual([])
  })

  it('reorders options up and down and ignores a move past either end', async () => {
    const { app, db } = await createTestApp()
    const id = await createApprovedEvaluation(app, db)
    for (const name of ['A', 'B', 'C']) await postForm(app, `/evaluations/${id}/options`, { name })
    const [a, , c] = await optionRows(db, id)
    await postForm(app, `/evaluations/${id}/options/${c!.id}/move`, { direction: 'up' })
    expect((await optionRows(db, id)).map((o) => o.name)).toEqual(['A', 'C', 'B'])
    await postForm(app, `/evaluations/${id}/options/${a!.id}/move`, { direction: 'up' })
    expect((await optionRows(db, id)).map((o) => o.name)).toEqual(['A', 'C', 'B'])
    expect((await postForm(app, `/evaluations/${id}/options/${a!.id}/move`, { direction: 'sideways' })).status).toBe(400)
  })

  it('edits an option and refuses a blank name on edit', async () => {
    const { app, db } = await createTestApp()
    const id = await createApprovedEvaluation(app, db)
    await postForm(app, `/evaluations/${id}/options`, { name: 'Old' })
    const [option] = await optionRows(db, id)
    expect((await postForm(app, `/evaluations/${id}/options/${option!.id}`, { name: '' })).status).toBe(422)
    await postForm(app, `/evaluations/${id}/options/${option!.id}`, { name: 'New', supplier: 'S' })
    expect((await optionRows(db, id))[0]).toMatchObject({ name: 'New', supplier: 'S', key: 'old' })
  })

  it('asks before removing an option, then removes it', async () => {
    const { app, db } = await createTestApp()
    const id = await createApprovedEvaluation(app, db)
    await postForm(app, `/evaluations/${id}/options`, { name: 'Doomed' })
    const [option] = await optionRows(db, id)
    const confirm = pageText(await (await app.request(`/evaluations/${id}/options/${option!.id}/delete`)).text())
    expect(confirm).toContain('Remove ‘Doomed’?')
    expect(confirm).toContain('0 scores')
    await postForm(app, `/evaluations/${id}/options/${option!.id}/delete`, {})
    expect(await optionRows(db, id)).toEqual([])
  })

  it('gives 404 for an option of another evaluation', async () => {
    const { app, db } = await createTestApp()
    const first = await createApprovedEvaluation(app, db)
    const second = await createApprovedEvaluation(app, db)
    await postForm(app, `/evaluations/${first}/options`, { name: 'Mine' })
    const [option] = await optionRows(db, first)
    expect((await app.request(`/evaluations/${second}/options/${option!.id}/edit`)).status).toBe(404)
    expect((await postForm(app, `/evaluations/${second}/options/${option!.id}/delete`, {})).status).toBe(404)
    expect(await optionRows(db, first)).toHaveLength(1)
  })
})
