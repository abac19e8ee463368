import { describe, expect, it } from 'vitest'
import { createEvaluation, createTestApp, pageText, postForm } from '../helpers.js'

/** Each row of the criteria table: the name in its rename field, and the row's text. */
function treeRows(html: string): { name: string; text: string }[] {
  return [...html.matchAll(/<tr id="criterion-\d+"[\s\S]*?<\/tr>/g)].map(([row]) => ({
    name: /name="name" value="([^"]*)"/.exec(row)?.[1] ?? '',
    text: pageText(row),
  }))
}

function rowText(html: string, name: string): string {
  const row = treeRows(html).find((r) => r.name === name)
  if (row === undefined) throw new Error(`no row named ${name}`)
  return row.text
}

type TestDb = Awaited<ReturnType<typeof createTestApp>>['db']

async function criterionId(db: TestDb, evaluationId: number, name: string): Promise<number> {
  const row = await db.selectFrom('criterion').select('id').where('evaluation_id', '=', evaluationId).where('name', '=', name).executeTakeFirstOrThrow()
  return row.id
}

/** Functional (weight 3) holding Crime (2) and Search (1); Usability (1) at the top; one gate. */
async function buildTree(app: Awaited<ReturnType<typeof createTestApp>>['app'], db: TestDb) {
  const id = await createEvaluation(app)
  const base = `/evaluations/${id}/criteria`
  await postForm(app, base, { name: 'Functional', kind: 'group', parent: '', weight: '3' })
  const functional = await criterionId(db, id, 'Functional')
  await postForm(app, base, { name: 'Crime', kind: 'criterion', parent: String(functional), weight: '2', guidance: 'Evidence of NCRS compliance' })
  await postForm(app, base, { name: 'Search', kind: 'criterion', parent: String(functional), weight: '1' })
  await postForm(app, base, { name: 'Usability', kind: 'criterion', parent: '', weight: '1' })
  await postForm(app, base, { name: 'Live elsewhere', kind: 'gate', parent: String(functional), weight: '' })
  return { id, base, functional }
}

describe('criteria tree', () => {
  it('shows each criterion’s share of its group and effective weight as a percentage of the whole', async () => {
    const { app, db } = await createTestApp()
    const { base } = await buildTree(app, db)
    const html = await (await app.request(base)).text()
    // Functional 3/(3+1) = 75%; Crime 75% × 2/3 = 50%; Search 75% × 1/3 = 25%; Usability 25%.
    expect(rowText(html, 'Functional')).toMatch(/^Group .* 75\.0% 75\.0%/)
    expect(rowText(html, 'Crime')).toMatch(/ 66\.7% 50\.0%/)
    expect(rowText(html, 'Search')).toMatch(/ 33\.3% 25\.0%/)
    expect(rowText(html, 'Usability')).toMatch(/ 25\.0% 25\.0%/)
    expect(rowText(html, 'Live elsewhere')).toMatch(/^Gate \(pass\/fail\) .*No weight – –/)
  })

  it('updates every effective weight when one weight changes, returning the tree fragment to htmx', async () => {
    const { app, db } = await createTestApp()
    const { id, base } = await buildTree(app, db)
    const usability = await criterionId(db, id, 'Usability')
    const response = await postForm(app, `${base}/${usability}/weight`, { weight: '3' }, { 'HX-Request': 'true' })
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html.startsWith('<div id="criteria-tree">')).toBe(true)
    // Functional 3/6 = 50%; Crime 50% × 2/3 = 33.3%; Usability 50%.
    expect(rowText(html, 'Crime')).toMatch(/ 66\.7% 33\.3%/)
    expect(rowText(html, 'Usability')).toMatch(/ 50\.0% 50\.0%/)
  })

  it('redirects a plain form post back to the page (works without JavaScript)', async () => {
    const { app, db } = await createTestApp()
    const { id, base } = await buildTree(app, db)
    const usability = await criterionId(db, id, 'Usability')
    const response = await postForm(app, `${base}/${usability}/weight`, { weight: '2' })
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe(`${base}#criterion-${usability}`)
  })

  it('refuses a negative or non-numeric weight beside the field and saves nothing', async () => {
    const { app, db } = await createTestApp()
    const { id, base } = await buildTree(app, db)
    const usability = await criterionId(db, id, 'Usability')
    for (const [weight, message] of [
      ['-1', 'The weight must be 0 or more'],
      ['heavy', 'The weight must be a number'],
    ] as const) {
      const response = await postForm(app, `${base}/${usability}/weight`, { weight }, { 'HX-Request': 'true' })
      expect(response.status).toBe(422)
      const html = await response.text()
      expect(html).toContain(message)
      expect(html).toContain(`id="weight-${usability}-error"`)
    }
    const row = await db.selectFrom('criterion').select('weight').where('id', '=', usability).executeTakeFirstOrThrow()
    expect(row.weight).toBe(1)
  })

  it('refuses to make all the weights in a group zero', async () => {
    const { app, db } = await createTestApp()
    const { id, base } = await buildTree(app, db)
    const crime = await criterionId(db, id, 'Crime')
    const search = await criterionId(db, id, 'Search')
    expect((await postForm(app, `${base}/${search}/weight`, { weight: '0' })).status).toBe(303)
    const response = await postForm(app, `${base}/${crime}/weight`, { weight: '0' })
    expect(response.status).toBe(422)
    expect(await response.text()).toContain('At least one criterion in ‘Functional’ must have a weight above 0')
    const row = await db.selectFrom('criterion').select('weight').where('id', '=', crime).executeTakeFirstOrThrow()
    expect(row.weight).toBe(2)
  })

  it('refuses to add a criterion without a name or into something that is not a group', async () => {
    const { app, db } = await createTestApp()
    const { id, base } = await buildTree(app, db)
    const before = await db.selectFrom('criterion').select('id').where('evaluation_id', '=', id).execute()
    const noName = await postForm(app, base, { name: '', kind: 'criterion', parent: '', weight: '1' })
    expect(noName.status).toBe(422)
    expect(await noName.text()).toContain('Enter a name')
    const crime = await criterionId(db, id, 'Crime')
    const intoLeaf = await postForm(app, base, { name: 'Child', kind: 'criterion', parent: String(crime), weight: '1' })
    expect(intoLeaf.status).toBe(422)
    expect(await intoLeaf.text()).toContain('Choose a group to place it in')
    expect(await db.selectFrom('criterion').select('id').where('evaluation_id', '=', id).execute()).toHaveLength(before.length)
  })

  it('adds a gate without a weight', async () => {
    const { app, db } = await createTestApp()
    const { id } = await buildTree(app, db)
    const gate = await db.selectFrom('criterion').selectAll().where('evaluation_id', '=', id).where('kind', '=', 'gate').executeTakeFirstOrThrow()
    expect(gate.weight).toBeNull()
  })

  it('renames, reweights, adds descriptors and moves a criterion to another group', async () => {
    const { app, db } = await createTestApp()
    const { id, base } = await buildTree(app, db)
    const search = await criterionId(db, id, 'Search')
    const response = await postForm(app, `${base}/${search}`, {
      name: 'Fuzzy search',
      kind: 'criterion',
      parent: '',
      weight: '2',
      guidance: 'Tolerates misspelling',
      'descriptor-5': 'Finds names with two typos',
    })
    expect(response.status).toBe(303)
    const row = await db.selectFrom('criterion').selectAll().where('id', '=', search).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ name: 'Fuzzy search', parent_id: null, weight: 2, guidance: 'Tolerates misspelling' })
    const descriptors = await db.selectFrom('criterion_descriptor').select(['level', 'text']).where('criterion_id', '=', search).execute()
    expect(descriptors).toEqual([{ level: 5, text: 'Finds names with two typos' }])
    expect(await (await app.request(`${base}/${search}/edit`)).text()).toContain('Finds names with two typos')
  })

  it('refuses to place a group inside itself', async () => {
    const { app, db } = await createTestApp()
    const { id, base, functional } = await buildTree(app, db)
    await postForm(app, base, { name: 'Sub', kind: 'group', parent: String(functional), weight: '1' })
    const sub = await criterionId(db, id, 'Sub')
    const response = await postForm(app, `${base}/${functional}`, { name: 'Functional', kind: 'group', parent: String(sub), weight: '3' })
    expect(response.status).toBe(422)
    expect(await response.text()).toContain('A group cannot be placed inside itself')
  })

  it('moves criteria up and down among their siblings', async () => {
    const { app, db } = await createTestApp()
    const { id, base } = await buildTree(app, db)
    const search = await criterionId(db, id, 'Search')
    await postForm(app, `${base}/${search}/move`, { direction: 'up' })
    const names = treeRows(await (await app.request(base)).text()).map((r) => r.name)
    expect(names.indexOf('Search')).toBeLessThan(names.indexOf('Crime'))
  })

  it('deletes a group with everything inside it after confirming', async () => {
    const { app, db } = await createTestApp()
    const { id, base, functional } = await buildTree(app, db)
    const confirm = pageText(await (await app.request(`${base}/${functional}/delete`)).text())
    expect(confirm).toContain('This also deletes the 3 criteria inside it')
    expect((await postForm(app, `${base}/${functional}/delete`, {})).status).toBe(303)
    const left = await db.selectFrom('criterion').select('name').where('evaluation_id', '=', id).execute()
    expect(left.map((c) => c.name)).toEqual(['Usability'])
  })

  it('renames a criterion inline, and refuses a blank name beside the field', async () => {
    const { app, db } = await createTestApp()
    const { id, base } = await buildTree(app, db)
    const crime = await criterionId(db, id, 'Crime')
    const blank = await postForm(app, `${base}/${crime}/name`, { name: ' ' }, { 'HX-Request': 'true' })
    expect(blank.status).toBe(422)
    expect(await blank.text()).toContain(`id="name-${crime}-error"`)
    const renamed = await postForm(app, `${base}/${crime}/name`, { name: 'Crime recording' }, { 'HX-Request': 'true' })
    expect(renamed.status).toBe(200)
    expect(rowText(await renamed.text(), 'Crime recording')).toMatch(/ 66\.7% 50\.0%/)
  })

  it('deletes inline through htmx, returning the refreshed tree', async () => {
    const { app, db } = await createTestApp()
    const { id, base } = await buildTree(app, db)
    const search = await criterionId(db, id, 'Search')
    const response = await postForm(app, `${base}/${search}/delete`, {}, { 'HX-Request': 'true' })
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(treeRows(html).map((r) => r.name)).not.toContain('Search')
    // Crime now holds all of Functional's 75%.
    expect(rowText(html, 'Crime')).toMatch(/ 100\.0% 75\.0%/)
  })

  it('refuses to delete the last weighted criterion of a group, saying why', async () => {
    const { app, db } = await createTestApp()
    const { id, base } = await buildTree(app, db)
    const crime = await criterionId(db, id, 'Crime')
    const search = await criterionId(db, id, 'Search')
    await postForm(app, `${base}/${search}/weight`, { weight: '0' })
    const response = await postForm(app, `${base}/${crime}/delete`, {}, { 'HX-Request': 'true' })
    expect(response.status).toBe(422)
    expect(pageText(await response.text())).toContain('At least one criterion in ‘Functional’ must have a weight above 0')
    expect(await criterionId(db, id, 'Crime')).toBe(crime)
  })

  it('gives 404 for a criterion id that does not belong to the evaluation', async () => {
    const { app, db } = await createTestApp()
    const { base } = await buildTree(app, db)
    expect((await app.request(`${base}/99999/edit`)).status).toBe(404)
    expect((await postForm(app, `${base}/99999/weight`, { weight: '1' })).status).toBe(404)
  })
})
