// Issue 20: a score's evidence can point at one of the option's tender documents and a page in it,
// and the link opens a PDF at that page, in the browser's viewer, sandboxed.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { computeResults, parseEvaluationText, type EvaluationFile } from '../../src/appraisal/index.js'
import { listCriteria } from '../../src/db/criteria.js'
import { addDocument } from '../../src/db/tender.js'
import { createContext } from '../../src/report/context.js'
import { citedDocuments } from '../../src/report/sections/quality.js'
import { TEST_ACTOR } from '../changes.js'
import { createTestApp, pageText, postForm } from '../helpers.js'

const parsed = parseEvaluationText(readFileSync(new URL('../fixtures/small-evaluation.json', import.meta.url), 'utf8'))
if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
const fixture = parsed.file

const PDF = new TextEncoder().encode('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n')
const TEXT = new TextEncoder().encode('Implementation notes\n')
const RATIONALE = 'The demonstration recorded a crime on one screen, as asked.'
const htmx = { 'HX-Request': 'true' }

describe('the evidence of a score in a tender document', () => {
  it('is one of the option’s documents the evaluator may open, checked beside the field, and opens a PDF at its page', async () => {
    const t = await createTestApp()
    const id = await t.importFile(fixture)
    const option = (key: string) => t.db.selectFrom('option').selectAll().where('evaluation_id', '=', id).where('key', '=', key).executeTakeFirstOrThrow()
    const [a, b] = [await option('product-a'), await option('product-b')]
    const [crime, search] = (await listCriteria(t.db, id)).filter((c) => c.kind === 'criterion')
    const add = async (on: typeof a, name: string, bytes: Uint8Array, mediaType: string, commercial = false) => {
      const added = await addDocument(t.db, TEST_ACTOR, on, { name, mediaType, bytes, commercial })
      if ('field' in added) throw new Error(added.message)
      return added
    }
    const bid = await add(a, 'Bid volume 2.pdf', PDF, 'application/pdf')
    const notes = await add(a, 'Notes.txt', TEXT, 'text/plain; charset=utf-8')
    const prices = await add(a, 'Prices.pdf', PDF, 'application/pdf', true)
    const other = await add(b, 'Other bid.pdf', PDF, 'application/pdf')

    // The inline view follows the download's rule: nothing before the evaluator declares.
    const evaluator = await t.clientWithRoles(id, ['evaluator'])
    const view = (documentId: number) => evaluator.request(`/evaluations/${id}/documents/${documentId}/view`)
    expect((await view(bid.id)).status).toBe(403)
    expect((await postForm(evaluator, `/evaluations/${id}/scoring/declaration`, { interest: 'none' })).status).toBe(303)
    const shown = await view(bid.id)
    expect(shown.status).toBe(200)
    expect(shown.headers.get('content-type')).toBe('application/pdf')
    expect(shown.headers.get('content-disposition')).toMatch(/^inline; filename="Bid volume 2.pdf"/)
    expect(shown.headers.get('x-content-type-options')).toBe('nosniff')
    const policy = shown.headers.get('content-security-policy') ?? ''
    expect(policy.split(';').map((d) => d.trim())).toEqual(expect.arrayContaining(['sandbox', "default-src 'none'"]))
    expect(new Uint8Array(await shown.arrayBuffer())).toEqual(PDF)
    // Commercial material stays sealed; a document that is not a PDF is only ever downloaded.
    expect((await view(prices.id)).status).toBe(403)
    const text = await view(notes.id)
    expect(text.status).toBe(302)
    expect(text.headers.get('location')).toBe(`/evaluations/${id}/documents/${notes.id}`)

    const mine = () =>
      t.db.selectFrom('individual_score').selectAll().where('evaluation_id', '=', id).where('option_id', '=', a.id).where('rationale', '=', RATIONALE).execute()
    const save = (criterionId: number, fields: Record<string, string>, headers: Record<string, string> = {}) =>
      postForm(evaluator, `/evaluations/${id}/scoring/${a.id}/${criterionId}`, { score: '4', rationale: RATIONALE, ...fields }, headers)
    const refusals: [Record<string, string>, string, string][] = [
      [{ evidenceDocument: String(bid.id), evidencePage: '0' }, 'evidencePage', 'The page must be a whole number from 1 to 100,000'],
      [{ evidenceDocument: String(bid.id), evidencePage: 'two' }, 'evidencePage', 'The page must be a whole number from 1 to 100,000'],
      [{ evidencePage: '3' }, 'evidencePage', 'Choose the document the page is in'],
      [{ evidenceDocument: String(other.id) }, 'evidenceDocument', 'Choose one of this option’s documents from the list'],
      [{ evidenceDocument: String(prices.id) }, 'evidenceDocument', 'Choose one of this option’s documents from the list'],
    ]
    for (const [fields, field, message] of refusals) {
      const refused = await save(crime!.id, fields, htmx)
      expect(refused.status).toBe(422)
      // Beside the field, in the answer sent back.
      const fragment = await refused.text()
      expect(pageText(fragment.slice(fragment.indexOf(`id="answer-${crime!.id}-${field}-error"`)))).toContain(message)
    }
    expect(await mine()).toEqual([])

    // Offered: the option's documents the evaluator may open, and none of another option's or commercial ones.
    const page = await (await evaluator.request(`/evaluations/${id}/scoring/${a.id}`)).text()
    const select = page.slice(
      page.indexOf(`id="answer-${crime!.id}-evidenceDocument"`),
      page.indexOf('</select>', page.indexOf(`id="answer-${crime!.id}-evidenceDocument"`)),
    )
    expect(pageText(select)).toMatch(/None\s*Bid volume 2\.pdf\s*Notes\.txt/)
    expect(select).not.toContain('Prices.pdf')
    expect(select).not.toContain('Other bid.pdf')

    expect((await save(crime!.id, { evidence: 'Bid vol. 2 §4.3', evidenceDocument: String(bid.id), evidencePage: '14' })).status).toBe(303)
    // A draft keeps them as typed: no score yet.
    expect((await save(search!.id, { score: '', evidenceDocument: String(notes.id), evidencePage: '2' }, htmx)).status).toBe(200)
    expect((await mine()).map((s) => [s.criterion_id, s.draft, s.evidence, s.evidence_document_id, s.evidence_page])).toEqual([
      [crime!.id, 0, 'Bid vol. 2 §4.3', bid.id, 14],
      [search!.id, 1, null, notes.id, 2],
    ])

    // The evaluator's answer, the lead's moderation page and the score's history link to the PDF at the page.
    const href = `href="/evaluations/${id}/documents/${bid.id}/view#page=14"`
    const answer = await (await evaluator.request(`/evaluations/${id}/scoring/${a.id}`)).text()
    expect(answer).toContain(href)
    expect(answer).toContain(`<option value="${bid.id}" selected="">Bid volume 2.pdf</option>`)
    // A document that is not a PDF is a download, and says so; its page is text.
    expect(pageText(answer)).toMatch(/Notes\.txt\s*\(download\)\s*, page 2/)
    const moderation = await (await t.app.request(`/evaluations/${id}/moderation/${a.id}`)).text()
    expect(moderation).toContain(href)
    // Beside it, the download, for a browser whose viewer will not show it.
    expect(moderation).toContain(`href="/evaluations/${id}/documents/${bid.id}"`)
    expect(pageText(moderation)).toMatch(
      new RegExp(
        `In the tender: Bid volume 2\\.pdf, page 14\\s*\\(opens in the browser at that page; or\\s*download\\s*Bid volume 2\\.pdf\\s*\\)\\s*\\(SHA-256 ${bid.sha256.slice(0, 12)}\\s*…\\)`,
      ),
    )
    const history = await (await t.app.request(`/evaluations/${id}/history/scores/${a.id}/${crime!.id}`)).text()
    expect(history).toContain(href)
    const log = pageText(await (await t.app.request(`/evaluations/${id}/history?option=${a.id}`)).text())
    expect(log).toContain(`Evidence document`)
    expect(log).toContain(`“Bid volume 2.pdf” (SHA-256 ${bid.sha256.slice(0, 12)}…)`)

    // A document the record cites stays.
    const clerk = await t.clientWithRoles(id, ['clerk'])
    const removal = await postForm(clerk, `/evaluations/${id}/tender/${a.id}/documents/${bid.id}/delete`, {})
    expect(removal.status).toBe(422)
    expect(pageText(await removal.text())).toContain('“Bid volume 2.pdf” is cited as evidence by a score, so it stays')
    expect(await t.db.selectFrom('tender_document').select('id').where('id', '=', bid.id).executeTakeFirst()).toBeDefined()

    // The file carries the reference by the document's id, and a copy imported from it keeps it.
    const exported = parseEvaluationText(await (await t.app.request(`/evaluations/${id}/export`)).text())
    if (!exported.ok) throw new Error(exported.errors.join('\n'))
    const cited = (file: EvaluationFile) =>
      file.scores.filter((s) => s.evidenceDocument !== undefined).map((s) => [s.criterion, s.evidenceDocument, s.evidencePage])
    expect(cited(exported.file)).toEqual([
      ['crime', bid.key, 14],
      ['search', notes.key, 2],
    ])
    const copy = await t.importFile({ ...exported.file, plan: undefined })
    const again = parseEvaluationText(await (await t.app.request(`/evaluations/${copy}/export`)).text())
    if (!again.ok) throw new Error(again.errors.join('\n'))
    expect(cited(again.file)).toEqual(cited(exported.file))
  })

  it('in a file, names a document the file’s tender lists, of the score’s option, with a page only beside it', () => {
    const document = { option: 'product-a', type: 'application/pdf', size: 10, sha256: 'a'.repeat(64) }
    const file = {
      ...fixture,
      tender: {
        documents: [
          { id: 'bid-a', name: 'Bid A.pdf', ...document },
          { id: 'bid-b', name: 'Bid B.pdf', ...document, option: 'product-b' },
          { id: 'prices-a', name: 'Prices A.pdf', ...document, commercial: true },
        ],
      },
    }
    const check = (scores: Partial<EvaluationFile['scores'][number]>[]) => {
      const result = parseEvaluationText(JSON.stringify({ ...file, scores: scores.map((s, i) => ({ ...fixture.scores[i]!, ...s })) }))
      return result.ok ? [] : result.errors
    }
    // scores[0] is product-a's.
    expect(check([{ evidenceDocument: 'bid-a', evidencePage: 3 }])).toEqual([])
    expect(check([{ evidenceDocument: 'bid-c' }])).toEqual(['scores[0].evidenceDocument: unknown document "bid-c": tender.documents does not list it'])
    expect(check([{ evidenceDocument: 'bid-b' }])).toEqual(['scores[0].evidenceDocument: "bid-b" is a document of another option ("product-b")'])
    expect(check([{ evidenceDocument: 'prices-a' }])).toEqual(['scores[0].evidenceDocument: "prices-a" is commercial, sealed from evaluators'])
    expect(check([{ evidencePage: 3 }])).toEqual(['scores[0].evidencePage: a page needs the document it is in (evidenceDocument)'])
    expect(check([{ evidenceDocument: 'bid-a', evidencePage: 0 }])).toHaveLength(1)
  })

  it('is printed in the report as the document’s name, the pages cited and the start of its SHA-256', () => {
    const sha256 = `9f86d081884c${'0'.repeat(52)}`
    const file: EvaluationFile = {
      ...fixture,
      tender: { documents: [{ id: 'bid-a', option: 'product-a', name: 'Bid A.pdf', type: 'application/pdf', size: 10, sha256 }] },
      scores: fixture.scores.map((score, i) => (i === 0 ? { ...score, evidenceDocument: 'bid-a', evidencePage: 14 } : score)),
    }
    const ctx = createContext(file, computeResults(file), { status: 'draft', generatedAt: new Date('2026-12-03T19:00:00Z') })
    const [first] = fixture.scores
    expect(citedDocuments(ctx, first!.criterion, first!.option)).toBe('Cited by the panel: Bid A.pdf, page 14 (SHA-256 9f86d081884c…)')
    expect(citedDocuments(ctx, first!.criterion, 'product-b')).toBe('')
  })
})
