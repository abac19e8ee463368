import type { Context } from 'hono'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { z } from 'zod'
import type { AppDeps } from '../app.js'
import { seesCommercial } from '../auth/access.js'
import { accountOf, actorOf, evaluationOf } from '../auth/guard.js'
import { findCriterion, listCriteria } from '../db/criteria.js'
import { listOptions } from '../db/options.js'
import type { Criterion, Option } from '../db/schema.js'
import {
  addDocument,
  documentBytes,
  documentReader,
  documentsHeld,
  findDocument,
  importResponseTexts,
  listDocuments,
  listResponses,
  mayOpenDocument,
  opensInBrowser,
  removeDocument,
  saveResponse,
} from '../db/tender.js'
import {
  attachmentDisposition,
  DOCUMENT_TYPES_IN_WORDS,
  DOCUMENT_VIEW_POLICY,
  inlineDisposition,
  documentTypeOf,
  MAX_DOCUMENT_BYTES,
  MAX_RESPONSES_CSV_BYTES,
} from '../tender-files.js'
import { readCsv, unguardCell } from '../csv.js'
import { TenderOptionPage, TenderPage } from '../../views/pages/tender.js'
import type { FieldErrors, FormValues } from '../../views/components/form.js'
import { optionInPath, pathId } from './evaluation-context.js'
import { checkboxField, formValues, optionalText, parseForm } from './form.js'
import { render } from './render.js'
import { scoringGroups } from './scoring.js'

const responseForm = z.object({
  text: optionalText(20_000),
  document: z
    .string()
    .optional()
    .transform((v) => (v === undefined || v === '' ? null : Number(v)))
    .refine((v) => v === null || (Number.isInteger(v) && v > 0), 'Choose a document from the list'),
  page: z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? null : Number(v.trim())))
    .refine((v) => v === null || (Number.isInteger(v) && v >= 1 && v <= 100_000), 'The page must be a whole number from 1 to 100,000'),
  commercial: checkboxField,
})

/** The clerk's and the lead's pages for each option's documents and responses, and the download every reader uses. */
export function tenderRoutes({ db }: AppDeps): Hono {
  const app = new Hono()

  app.get('/tender', async (c) => {
    const evaluation = evaluationOf(c)
    const [options, documents, responses] = await Promise.all([
      listOptions(db, evaluation.id),
      listDocuments(db, evaluation.id),
      listResponses(db, evaluation.id),
    ])
    const commercial = seesCommercial(c.get('roles'))
    const counts = options.map((option) => ({
      option,
      documents: documents.filter((d) => d.option_id === option.id && (commercial || d.commercial === 0)).length,
      responses: responses.filter((r) => r.option_id === option.id && (commercial || r.commercial === 0)).length,
    }))
    return render(c, <TenderPage evaluation={evaluation} counts={counts} />)
  })

  async function showOption(c: Context, option: Option, errors: FieldErrors = {}, failed?: { criterionId: number | null; values: FormValues }) {
    const evaluation = evaluationOf(c)
    const commercial = seesCommercial(c.get('roles'))
    const [criteria, documents, responses, held] = await Promise.all([
      listCriteria(db, evaluation.id),
      listDocuments(db, evaluation.id, option.id),
      listResponses(db, evaluation.id, option.id),
      documentsHeld(db, evaluation.id),
    ])
    // One group of the tree a page, as the scoring pages: the group asked for, else the one holding a form re-shown.
    const groups = scoringGroups(
      criteria,
      criteria.filter((c) => c.kind !== 'group'),
    )
    const asked = failed?.criterionId != null ? groups.find((g) => g.leaves.some((l) => l.id === failed.criterionId))?.key : c.req.query('group')
    const current = groups.find((g) => g.key === asked) ?? groups[0]
    const answered = new Set(responses.filter((r) => commercial || r.commercial === 0).map((r) => r.criterion_id))
    const base = `/evaluations/${evaluation.id}/tender/${option.id}`
    const page = (
      <TenderOptionPage
        evaluation={evaluation}
        option={option}
        criteria={criteria}
        leaves={current?.leaves ?? []}
        groups={groups.map((g) => ({
          key: g.key,
          name: g.name ?? 'Other criteria',
          href: `${base}?group=${g.key}#responses`,
          answered: g.leaves.filter((l) => answered.has(l.id)).length,
          total: g.leaves.length,
          current: g === current,
        }))}
        documents={documents.filter((d) => commercial || d.commercial === 0).map((d) => ({ ...d, held: held.has(d.id) }))}
        responses={responses.filter((r) => commercial || r.commercial === 0)}
        errors={errors}
        failed={failed}
      />
    )
    return render(c, page, Object.keys(errors).length > 0 ? 422 : 200)
  }

  app.get('/tender/:optionId', async (c) => showOption(c, (await optionInPath(c, db)).option))

  app.post('/tender/:optionId/documents', async (c) => {
    const option = (await optionInPath(c, db)).option
    const body = await c.req.parseBody()
    const upload = body.file
    const values = formValues(body)
    const refuse = (message: string) => showOption(c, option, { file: message }, { criterionId: null, values })
    if (!(upload instanceof File) || upload.size === 0) return refuse('Choose a document to upload')
    if (upload.size > MAX_DOCUMENT_BYTES)
      return refuse(`The document is larger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB, the most this app takes. Nothing was saved.`)
    const bytes = new Uint8Array(await upload.arrayBuffer())
    const type = documentTypeOf(bytes)
    if (type === undefined) return refuse(`“${upload.name}” is not a document this app takes: upload a ${DOCUMENT_TYPES_IN_WORDS} file. Nothing was saved.`)
    const name = upload.name.replaceAll('\u0000', '').trim().slice(0, 200) || `document.${type.extension}`
    const commercial = values.commercial === 'on' || values.commercial === 'true'
    const added = await addDocument(db, actorOf(c), option, { name, mediaType: type.mediaType, bytes, commercial })
    if ('field' in added) return refuse(added.message)
    return c.redirect(`/evaluations/${option.evaluation_id}/tender/${option.id}#documents`, 303)
  })

  app.post('/tender/:optionId/documents/:documentId/delete', async (c) => {
    const option = (await optionInPath(c, db)).option
    const document = await findDocument(db, option.evaluation_id, pathId(c, 'documentId'))
    if (document === undefined || document.option_id !== option.id) throw new HTTPException(404)
    const refused = await removeDocument(db, actorOf(c), option, document)
    if (refused !== null) return showOption(c, option, { [refused.field]: refused.message }, { criterionId: null, values: {} })
    return c.redirect(`/evaluations/${option.evaluation_id}/tender/${option.id}#documents`, 303)
  })

  app.post('/tender/:optionId/responses/:criterionId', async (c) => {
    const option = (await optionInPath(c, db)).option
    const criterion = await findCriterion(db, option.evaluation_id, pathId(c, 'criterionId'))
    if (criterion === undefined || criterion.kind === 'group') throw new HTTPException(404)
    const values = formValues(await c.req.parseBody())
    const parsed = parseForm(responseForm, values)
    const prefixed = (errors: FieldErrors) => Object.fromEntries(Object.entries(errors).map(([field, message]) => [`${criterion.id}-${field}`, message]))
    if (!parsed.ok) return showOption(c, option, prefixed(parsed.errors), { criterionId: criterion.id, values })
    const { text, document: documentId, page, commercial } = parsed.data
    if (documentId !== null) {
      const document = await findDocument(db, option.evaluation_id, documentId)
      if (document === undefined || document.option_id !== option.id) {
        return showOption(c, option, prefixed({ document: 'Choose a document of this option from the list' }), { criterionId: criterion.id, values })
      }
    }
    if (page !== null && documentId === null) {
      return showOption(c, option, prefixed({ page: 'Choose the document the page is in' }), { criterionId: criterion.id, values })
    }
    await saveResponse(db, actorOf(c), option, criterion, { text, documentId, page, commercial })
    const group = scoringGroups(await listCriteria(db, option.evaluation_id), [criterion])[0]
    return c.redirect(`/evaluations/${option.evaluation_id}/tender/${option.id}?group=${group?.key ?? ''}#response-${criterion.id}`, 303)
  })

  /**
   * Response texts from a CSV of two columns, `criterion` (its id in the evaluation file, or its exact
   * name) and `response`: all saved in one change, or none, with each bad row's line beside the field.
   */
  app.post('/tender/:optionId/responses.csv', async (c) => {
    const option = (await optionInPath(c, db)).option
    const body = await c.req.parseBody()
    const upload = body.csv
    const refuse = (message: string) => showOption(c, option, { csv: message })
    if (!(upload instanceof File) || upload.size === 0) return refuse('Choose a CSV file of responses to import')
    if (upload.size > MAX_RESPONSES_CSV_BYTES) return refuse(`The file is larger than ${MAX_RESPONSES_CSV_BYTES / 1024 / 1024} MB. Nothing was imported.`)
    let text: string
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(await upload.arrayBuffer())
    } catch {
      return refuse('The file is not UTF-8 text: save it from the spreadsheet as “CSV UTF-8”. Nothing was imported.')
    }
    const read = readCsv(text.replaceAll('\u0000', ''))
    if (!read.ok) return refuse(`Line ${read.line}: ${read.message}. Nothing was imported.`)
    const [header, ...records] = read.records.filter((r) => r.fields.some((f) => f.trim() !== ''))
    const heading = header?.fields.map((f) => f.trim().toLowerCase())
    if (heading === undefined || heading[0] !== 'criterion' || heading[1] !== 'response' || heading.length !== 2) {
      return refuse('The first row must be the two headings “criterion” and “response”. Nothing was imported.')
    }
    const leaves = (await listCriteria(db, option.evaluation_id)).filter((x) => x.kind !== 'group')
    const problems: string[] = []
    const rows: { criterion: Criterion; text: string }[] = []
    const seen = new Map<number, number>()
    for (const record of records) {
      const [named = '', response = ''] = record.fields.map((f) => unguardCell(f).trim())
      const criterion = leaves.find((x) => x.key === named) ?? leaves.find((x) => x.name === named)
      if (record.fields.slice(2).some((f) => f.trim() !== '')) problems.push(`line ${record.line}: has more than the two columns`)
      else if (criterion === undefined) problems.push(`line ${record.line}: “${named.slice(0, 100)}” is not a criterion or gate of this evaluation`)
      else if (seen.has(criterion.id)) problems.push(`line ${record.line}: “${criterion.name}” is answered already, on line ${seen.get(criterion.id)}`)
      else if (response === '') problems.push(`line ${record.line}: the response to “${criterion.name}” is empty`)
      else if (response.length > 20_000) problems.push(`line ${record.line}: the response to “${criterion.name}” is longer than 20,000 characters`)
      else {
        seen.set(criterion.id, record.line)
        rows.push({ criterion, text: response })
      }
    }
    if (problems.length > 0)
      return refuse(`Nothing was imported: ${problems.slice(0, 10).join('; ')}${problems.length > 10 ? `; and ${problems.length - 10} more` : ''}.`)
    if (rows.length === 0) return refuse('The file has no responses under its headings. Nothing was imported.')
    await importResponseTexts(db, actorOf(c), option, rows, upload.name.slice(0, 200))
    return c.redirect(`/evaluations/${option.evaluation_id}/tender/${option.id}#responses`, 303)
  })

  /**
   * A document, if this person may open it (src/db/tender.ts, mayOpenDocument: the one rule) and this
   * copy of the evaluation holds its bytes: 404 for one not of the evaluation or held only by reference,
   * 403 for one not open to them.
   */
  async function openDocument(c: Context) {
    const evaluation = evaluationOf(c)
    const document = await findDocument(db, evaluation.id, pathId(c, 'documentId'))
    if (document === undefined) throw new HTTPException(404)
    const reader = await documentReader(db, evaluation, c.get('roles'), accountOf(c).id, [document.option_id])
    if (!mayOpenDocument(reader, document)) throw new HTTPException(403, { message: 'This document is not open to you.' })
    const bytes = await documentBytes(db, document.id)
    if (bytes === undefined) {
      throw new HTTPException(404, {
        message: `This copy of the evaluation holds the reference to “${document.name}” (its SHA-256 is ${document.sha256}) but not the document: it came from an evaluation file, which carries no documents.`,
      })
    }
    return { document, bytes }
  }

  app.get('/documents/:documentId', async (c) => {
    const { document, bytes } = await openDocument(c)
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': document.media_type,
      'Content-Disposition': attachmentDisposition(document.name),
      'Content-Length': String(bytes.byteLength),
      'X-Content-Type-Options': 'nosniff',
    })
  })

  /**
   * A PDF shown in the browser's own PDF viewer, so that a link can open it at a page (`#page=N`).
   * Served as a PDF (its type was read from its content) and never sniffed, in a sandbox with nothing
   * allowed: nothing in the file can run as a page of this app's origin. Any other type is only ever
   * downloaded: its view is the download.
   */
  app.get('/documents/:documentId/view', async (c) => {
    const { document, bytes } = await openDocument(c)
    if (!opensInBrowser(document)) return c.redirect(`/evaluations/${document.evaluation_id}/documents/${document.id}`, 302)
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': 'application/pdf',
      'Content-Disposition': inlineDisposition(document.name),
      'Content-Length': String(bytes.byteLength),
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': DOCUMENT_VIEW_POLICY,
    })
  })

  return app
}
