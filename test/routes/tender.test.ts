// Tender material (issue 20): the clerk loads each option's documents and the supplier's response to
// each criterion; an evaluator reads the response beside the criterion, never commercial material.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseEvaluationText } from '../../src/appraisal/index.js'
import { listCriteria } from '../../src/db/criteria.js'
import { documentTypeOf, MAX_DOCUMENT_BYTES } from '../../src/tender-files.js'
import { createTestApp, pageText, postForm, type TestClient } from '../helpers.js'

const parsed = parseEvaluationText(readFileSync(new URL('../fixtures/small-evaluation.json', import.meta.url), 'utf8'))
if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
const fixture = parsed.file

const PDF = new TextEncoder().encode('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n')
const PRICES = new TextEncoder().encode('Licences: 1,000 a year\nSupport: 250 a year\n')

function upload(client: TestClient, path: string, name: string, bytes: Uint8Array, fields: Record<string, string> = {}) {
  const form = new FormData()
  form.set('file', new File([bytes], name, { type: 'application/octet-stream' }))
  for (const [key, value] of Object.entries(fields)) form.set(key, value)
  return client.request(path, { method: 'POST', body: form })
}

async function optionAndCriteria(t: Awaited<ReturnType<typeof createTestApp>>, id: number) {
  const option = await t.db.selectFrom('option').selectAll().where('evaluation_id', '=', id).where('key', '=', 'product-a').executeTakeFirstOrThrow()
  const leaves = (await listCriteria(t.db, id)).filter((c) => c.kind === 'criterion')
  return { option, first: leaves[0]!, second: leaves[1]! }
}

describe('tender documents and responses', () => {
  it('a clerk loads documents and responses; the evaluator reads the response beside the criterion and never commercial material', async () => {
    const t = await createTestApp()
    const id = await t.importFile(fixture)
    const { option, first, second } = await optionAndCriteria(t, id)
    const clerk = await t.clientWithRoles(id, ['clerk'])
    const base = `/evaluations/${id}/tender/${option.id}`
    expect((await upload(clerk, `${base}/documents`, 'Bid volume 2.pdf', PDF)).status).toBe(303)
    expect((await upload(clerk, `${base}/documents`, 'Price schedule.txt', PRICES, { commercial: 'on' })).status).toBe(303)
    const [bid, schedule] = await t.db.selectFrom('tender_document').selectAll().where('evaluation_id', '=', id).orderBy('id').execute()
    expect(bid).toMatchObject({ media_type: 'application/pdf', size: PDF.length, commercial: 0 })
    expect(schedule).toMatchObject({ media_type: 'text/plain; charset=utf-8', commercial: 1 })
    // The SHA-256 is in the log, in the upload's entry.
    const sha256 = createHash('sha256').update(PDF).digest('hex')
    expect(bid!.sha256).toBe(sha256)
    const entries = await t.db.selectFrom('audit_entry').select(['kind', 'detail']).where('evaluation_id', '=', id).where('kind', '=', 'tender').execute()
    expect(entries.some((e) => e.detail?.includes(sha256) === true)).toBe(true)

    const saved = await postForm(clerk, `${base}/responses/${first.id}`, { text: 'Crimes are recorded on one screen.', document: String(bid!.id), page: '14' })
    expect(saved.status).toBe(303)
    await postForm(clerk, `${base}/responses/${second.id}`, { text: 'A discount of 12% on licences.', commercial: 'on' })
    const badPage = await postForm(clerk, `${base}/responses/${second.id}`, { text: 'x', page: '3' })
    expect(badPage.status).toBe(422)
    expect(pageText(await badPage.text())).toContain('Choose the document the page is in')

    // An evaluator sees no document before declaring, then the response beside the criterion.
    const evaluator = await t.clientWithRoles(id, ['evaluator'])
    expect((await evaluator.request(`/evaluations/${id}/documents/${bid!.id}`)).status).toBe(403)
    expect((await postForm(evaluator, `/evaluations/${id}/scoring/declaration`, { interest: 'none' })).status).toBe(303)
    const page = await (await evaluator.request(`/evaluations/${id}/scoring/${option.id}`)).text()
    const text = pageText(page)
    expect(text).toContain('Crimes are recorded on one screen.')
    expect(text).toMatch(/Bid volume 2\.pdf\s*, page 14/)
    expect(page).toContain(`href="/evaluations/${id}/documents/${bid!.id}/view#page=14"`)
    for (const sealed of ['A discount of 12%', 'Price schedule']) expect(text).not.toContain(sealed)

    const download = await evaluator.request(`/evaluations/${id}/documents/${bid!.id}`)
    expect(download.status).toBe(200)
    expect(download.headers.get('content-type')).toBe('application/pdf')
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="Bid volume 2.pdf"/)
    expect(download.headers.get('x-content-type-options')).toBe('nosniff')
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(PDF)
    expect((await evaluator.request(`/evaluations/${id}/documents/${schedule!.id}`)).status).toBe(403)
    const finance = await t.clientWithRoles(id, ['finance'])
    expect((await finance.request(`/evaluations/${id}/documents/${schedule!.id}`)).status).toBe(200)

    // The file carries references and hashes, not bytes; imported, a reference opens to a clear 404.
    const exported = parseEvaluationText(await (await t.app.request(`/evaluations/${id}/export`)).text())
    if (!exported.ok) throw new Error(exported.errors.join('\n'))
    expect(exported.file.tender?.documents?.[0]).toEqual({
      id: bid!.key,
      option: 'product-a',
      name: 'Bid volume 2.pdf',
      type: 'application/pdf',
      size: PDF.length,
      sha256,
      uploadedAt: bid!.uploaded_at,
    })
    expect(exported.file.tender?.responses).toContainEqual({
      option: 'product-a',
      criterion: first.key,
      text: 'Crimes are recorded on one screen.',
      document: bid!.key,
      page: 14,
    })
    const copy = await t.importFile({ ...exported.file, plan: undefined })
    const copied = await t.db.selectFrom('tender_document').select('id').where('evaluation_id', '=', copy).where('key', '=', bid!.key).executeTakeFirstOrThrow()
    const missing = await t.app.request(`/evaluations/${copy}/documents/${copied.id}`)
    expect(missing.status).toBe(404)
    expect(pageText(await missing.text())).toContain(sha256)

    // Removing a document clears the page it gave a response, and keeps the response's text.
    expect((await postForm(clerk, `${base}/documents/${bid!.id}/delete`, {})).status).toBe(303)
    const kept = await t.db.selectFrom('tender_response').selectAll().where('criterion_id', '=', first.id).executeTakeFirstOrThrow()
    expect(kept).toMatchObject({ text: 'Crimes are recorded on one screen.', document_id: null, page: null })
  })

  it('refuses a document too large before reading it, one of a type not on the list, and any before the plan is approved', async () => {
    const t = await createTestApp()
    const id = await t.importFile(fixture)
    const { option } = await optionAndCriteria(t, id)
    const base = `/evaluations/${id}/tender/${option.id}`
    const stored = async () => (await t.db.selectFrom('tender_document').select('id').execute()).length

    let read = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        read += 65_536
        controller.enqueue(new Uint8Array(65_536))
      },
    })
    const tooLarge = await t.app.request(`${base}/documents`, {
      method: 'POST',
      body,
      duplex: 'half',
      headers: { 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(MAX_DOCUMENT_BYTES + 1024 * 1024) },
    } as RequestInit)
    expect(tooLarge.status).toBe(413)
    expect(pageText(await tooLarge.text())).toContain('The document is larger than 25 MB')
    expect(read).toBeLessThan(1024 * 1024)

    const html = new TextEncoder().encode('<!DOCTYPE html><script>alert(1)</script>')
    const exe = new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03])
    const zip = new TextEncoder().encode('PK\u0003\u0004 not an office document')
    for (const [name, bytes] of [
      ['bid.pdf', html],
      ['setup.pdf', exe],
      ['archive.docx', zip],
    ] as const) {
      const refused = await upload(t.app, `${base}/documents`, name, bytes)
      expect(refused.status, name).toBe(422)
      expect(pageText(await refused.text())).toContain(`“${name}” is not a document this app takes`)
    }
    expect(await stored()).toBe(0)

    const draft = await t.importFile({ ...fixture, scores: [], consensus: [], evaluators: [] }, { draft: true })
    const draftOption = await t.db.selectFrom('option').select('id').where('evaluation_id', '=', draft).executeTakeFirstOrThrow()
    expect((await upload(t.app, `/evaluations/${draft}/tender/${draftOption.id}/documents`, 'bid.pdf', PDF)).status).toBe(409)
    expect(await stored()).toBe(0)
  })

  it('imports response texts from a CSV all at once, or none with each bad line named', async () => {
    const t = await createTestApp()
    const id = await t.importFile(fixture)
    const { option, first, second } = await optionAndCriteria(t, id)
    const csv = (text: string) => {
      const form = new FormData()
      form.set('csv', new File([text], 'responses.csv', { type: 'text/csv' }))
      return t.app.request(`/evaluations/${id}/tender/${option.id}/responses.csv`, { method: 'POST', body: form })
    }
    const bad = await csv(`criterion,response\r\n${first.key},"Recorded, on one screen."\r\nno-such,Anything\r\n${first.key},Again\r\n`)
    expect(bad.status).toBe(422)
    const problems = pageText(await bad.text())
    expect(problems).toContain('line 3: “no-such” is not a criterion or gate of this evaluation')
    expect(problems).toContain(`line 4: “${first.name}” is answered already, on line 2`)
    expect(await t.db.selectFrom('tender_response').select('id').execute()).toEqual([])
    expect((await csv(`\uFEFFCriterion,Response\n${first.key},"Recorded, on one screen."\n${second.name},"Searches by soundex"\n`)).status).toBe(303)
    const saved = await t.db.selectFrom('tender_response').select(['criterion_id', 'text']).orderBy('criterion_id').execute()
    expect(saved).toEqual([
      { criterion_id: first.id, text: 'Recorded, on one screen.' },
      { criterion_id: second.id, text: 'Searches by soundex' },
    ])
  })

  it('tells documents by their content', () => {
    const office = (part: string) => new TextEncoder().encode(`PK\u0003\u0004....[Content_Types].xml....${part}....`)
    expect(documentTypeOf(office('word/document.xml'))?.extension).toBe('docx')
    expect(documentTypeOf(office('xl/workbook.xml'))?.extension).toBe('xlsx')
    expect(documentTypeOf(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))?.extension).toBe('png')
    expect(documentTypeOf(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))?.extension).toBe('jpg')
    expect(documentTypeOf(new Uint8Array([0x61, 0xff, 0xfe]))).toBeUndefined() // not UTF-8
    expect(documentTypeOf(new TextEncoder().encode('  <svg onload="x()">'))).toBeUndefined()
  })
})
