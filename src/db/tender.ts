import { memberOfAccount } from './panel.js'
import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import { LIMITS, type EvaluationFile } from '../appraisal/index.js'
import { readsTender, seesCommercial } from '../auth/access.js'
import type { EvaluationRole } from '../vocabulary.js'
import { recordedChange, type Actor, type Change, type Refusal } from './audit.js'
import { makeKey, now, type Db } from './connection.js'
import type { Criterion, Database, Evaluation, Option, TenderDocument, TenderResponse } from './schema.js'
import { optionsOpenTo } from './scoring.js'

/**
 * Tender material (issue 20): each option's documents and the supplier's response to each criterion.
 * A document's record is audited, with its SHA-256; its bytes sit in tender_document_content, which
 * the log leaves out. Every change here is of kind 'tender', which needs an approved plan (src/db/plan.ts).
 */

export async function listDocuments(db: Db, evaluationId: number, optionId?: number): Promise<TenderDocument[]> {
  let query = db.selectFrom('tender_document').selectAll().where('evaluation_id', '=', evaluationId)
  if (optionId !== undefined) query = query.where('option_id', '=', optionId)
  return query.orderBy('position').orderBy('id').execute()
}

export async function findDocument(db: Db, evaluationId: number, documentId: number): Promise<TenderDocument | undefined> {
  return db.selectFrom('tender_document').selectAll().where('evaluation_id', '=', evaluationId).where('id', '=', documentId).executeTakeFirst()
}

/** A document's bytes: undefined for one imported from a file, which carries only its reference. */
export async function documentBytes(db: Db, documentId: number): Promise<Uint8Array | undefined> {
  const row = await db.selectFrom('tender_document_content').select('bytes').where('document_id', '=', documentId).executeTakeFirst()
  return row?.bytes
}

/** The documents (of one option, or all), each saying whether this database holds its bytes (one imported from a file does not). */
export async function listDocumentsHeld(db: Db, evaluationId: number, optionId?: number): Promise<(TenderDocument & { held: boolean })[]> {
  let query = db
    .selectFrom('tender_document')
    .leftJoin('tender_document_content', 'tender_document_content.document_id', 'tender_document.id')
    .selectAll('tender_document')
    .select('tender_document_content.document_id as held_id')
    .where('tender_document.evaluation_id', '=', evaluationId)
  if (optionId !== undefined) query = query.where('tender_document.option_id', '=', optionId)
  const rows = await query.orderBy('tender_document.position').orderBy('tender_document.id').execute()
  return rows.map(({ held_id, ...document }) => ({ ...document, held: held_id !== null }))
}

/** The ids of the documents whose bytes this database holds. */
export async function documentsHeld(db: Db, evaluationId: number): Promise<Set<number>> {
  const rows = await db
    .selectFrom('tender_document_content')
    .innerJoin('tender_document', 'tender_document.id', 'tender_document_content.document_id')
    .select('tender_document.id')
    .where('tender_document.evaluation_id', '=', evaluationId)
    .execute()
  return new Set(rows.map((r) => r.id))
}

// ---------------------------------------------------------------------------------------------
// Who may open a document: the one rule the download, the inline view, the evidence a score points at
// and every link to a document follow

/** What decides which documents someone may open: their roles, whether the plan is approved, and (for an evaluator) the options they may score. */
export interface DocumentReader {
  roles: readonly EvaluationRole[]
  planApproved: boolean
  /** The options the person may score (src/db/scoring.ts, optionsOpenTo): null when none, or before they have declared. */
  openOptions: readonly number[] | null
}

/**
 * Whether this reader may open this document. Commercial material only for those who see it (the
 * access table's COMMERCIAL); anything else for those who read tender material (the lead, the clerk,
 * finance); an evaluator, once the plan is approved and they have declared, a document of an option
 * they may score. The access table lets them reach the routes; this is the per-document rule.
 */
export function mayOpenDocument(reader: DocumentReader, document: Pick<TenderDocument, 'option_id' | 'commercial'>): boolean {
  if (document.commercial === 1) return seesCommercial(reader.roles)
  if (readsTender(reader.roles)) return true
  return reader.roles.includes('evaluator') && reader.planApproved && reader.openOptions?.includes(document.option_id) === true
}

/** The reader an account is on an evaluation: for an evaluator, their panel member's standing is read (one query, and the declaration's). */
export async function documentReader(
  db: Db,
  evaluation: Pick<Evaluation, 'id' | 'plan_version'>,
  roles: readonly EvaluationRole[],
  accountId: number,
  optionIds: readonly number[],
): Promise<DocumentReader> {
  const planApproved = (evaluation.plan_version ?? 0) > 0
  if (readsTender(roles) || !roles.includes('evaluator') || !planApproved) return { roles, planApproved, openOptions: null }
  const member = await memberOfAccount(db, evaluation.id, accountId)
  return { roles, planApproved, openOptions: member === undefined ? null : await optionsOpenTo(db, member, [...optionIds]) }
}

/** Whether a document's type opens in the browser (its PDF viewer, at a page); any other is downloaded. */
export function opensInBrowser(document: Pick<TenderDocument, 'media_type'>): boolean {
  return document.media_type === 'application/pdf'
}

/**
 * Where a link to a document goes: a PDF to its inline view (a link adds the page, views/components/evidence-link.tsx);
 * any other type to its download.
 */
export function documentHref(evaluationId: number, document: Pick<TenderDocument, 'id' | 'media_type'>): string {
  const base = downloadHref(evaluationId, document)
  return opensInBrowser(document) ? `${base}/view` : base
}

/** A document's download, whatever its type. */
export function downloadHref(evaluationId: number, document: Pick<TenderDocument, 'id'>): string {
  return `/evaluations/${evaluationId}/documents/${document.id}`
}

export async function listResponses(db: Db, evaluationId: number, optionId?: number): Promise<TenderResponse[]> {
  let query = db.selectFrom('tender_response').selectAll().where('evaluation_id', '=', evaluationId)
  if (optionId !== undefined) query = query.where('option_id', '=', optionId)
  return query.orderBy('id').execute()
}

export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

export interface NewDocument {
  name: string
  mediaType: string
  bytes: Uint8Array
  commercial: boolean
}

/** Stores an uploaded document for an option, recording its SHA-256 in the log. */
export async function addDocument(db: Kysely<Database>, actor: Actor, option: Option, document: NewDocument): Promise<Refusal<'file'> | TenderDocument> {
  const sha256 = sha256Of(document.bytes)
  const request = {
    evaluationId: option.evaluation_id,
    actor,
    kind: 'tender',
    summary: `Document “${document.name}” uploaded for ${option.name}${document.commercial ? ' (commercial)' : ''}`,
    optionId: option.id,
    reach: { tables: ['tender_document'], optionId: option.id },
    detail: { document: document.name, type: document.mediaType, size: document.bytes.byteLength, sha256 },
  } as const
  return recordedChange(db, request, async (trx) => {
    const existing = await trx.selectFrom('tender_document').select(['key', 'position']).where('evaluation_id', '=', option.evaluation_id).execute()
    if (existing.length >= LIMITS.documents) {
      return { field: 'file' as const, message: `This evaluation already holds ${LIMITS.documents.toLocaleString('en-GB')} documents, the most it takes.` }
    }
    const row = await trx
      .insertInto('tender_document')
      .values({
        evaluation_id: option.evaluation_id,
        option_id: option.id,
        key: makeKey(
          `${option.key} ${document.name.replace(/\.[A-Za-z0-9]+$/, '')}`,
          existing.map((d) => d.key),
        ),
        name: document.name,
        media_type: document.mediaType,
        size: document.bytes.byteLength,
        sha256,
        commercial: document.commercial ? 1 : 0,
        uploaded_at: now(),
        position: existing.reduce((max, d) => Math.max(max, d.position + 1), 0),
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await trx.insertInto('tender_document_content').values({ document_id: row.id, bytes: document.bytes }).execute()
    return row
  })
}

/**
 * Removes a document, and its place in any response that pointed at it. Refused while a score (or a
 * draft) cites it as evidence: the record keeps what the panel pointed at.
 */
export async function removeDocument(db: Kysely<Database>, actor: Actor, option: Option, document: TenderDocument): Promise<Refusal<'file'> | null> {
  const request = {
    evaluationId: option.evaluation_id,
    actor,
    kind: 'tender',
    summary: `Document “${document.name}” removed from ${option.name}`,
    optionId: option.id,
    reach: { tables: ['tender_document', 'tender_response'], optionId: option.id },
    detail: { document: document.name, sha256: document.sha256 },
  } as const
  return recordedChange(db, request, async (trx) => {
    const cited = await trx
      .selectFrom('individual_score')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('evaluation_id', '=', option.evaluation_id)
      .where('evidence_document_id', '=', document.id)
      .executeTakeFirstOrThrow()
    const scores = Number(cited.n)
    if (scores > 0) {
      return {
        field: 'file' as const,
        message: `“${document.name}” is cited as evidence by ${scores === 1 ? 'a score' : `${scores.toLocaleString('en-GB')} scores`}, so it stays: the record keeps what the panel pointed at.`,
      }
    }
    await trx.updateTable('tender_response').set({ document_id: null, page: null }).where('document_id', '=', document.id).execute()
    await trx.deleteFrom('tender_response').where('document_id', 'is', null).where('text', 'is', null).where('option_id', '=', option.id).execute()
    await trx.deleteFrom('tender_document').where('id', '=', document.id).execute()
    return null
  })
}

export interface ResponseDetails {
  text: string | null
  documentId: number | null
  page: number | null
  commercial: boolean
}

/** Sets (or, with neither text nor document, clears) the supplier's response to one criterion. */
export async function saveResponse(db: Kysely<Database>, actor: Actor, option: Option, criterion: Criterion, details: ResponseDetails): Promise<void> {
  const empty = details.text === null && details.documentId === null
  const request = {
    evaluationId: option.evaluation_id,
    actor,
    kind: 'tender',
    summary: `Response of ${option.name} to “${criterion.name}” ${empty ? 'cleared' : 'saved'}`,
    optionId: option.id,
    criterionId: criterion.id,
    reach: { tables: ['tender_response'], optionId: option.id, criterionIds: [criterion.id] },
  } as const
  await recordedChange(db, request, async (trx) => {
    await trx.deleteFrom('tender_response').where('option_id', '=', option.id).where('criterion_id', '=', criterion.id).execute()
    if (empty) return
    await trx
      .insertInto('tender_response')
      .values({
        evaluation_id: option.evaluation_id,
        option_id: option.id,
        criterion_id: criterion.id,
        text: details.text,
        document_id: details.documentId,
        page: details.documentId === null ? null : details.page,
        commercial: details.commercial ? 1 : 0,
      })
      .execute()
  })
}

/**
 * Sets the text of many responses of one option at once (a CSV import), in one recorded change: each
 * keeps the document, page and commercial mark it had.
 */
export async function importResponseTexts(
  db: Kysely<Database>,
  actor: Actor,
  option: Option,
  rows: readonly { criterion: Criterion; text: string }[],
  fileName: string,
): Promise<void> {
  const request = {
    evaluationId: option.evaluation_id,
    actor,
    kind: 'tender',
    summary: `${rows.length} ${rows.length === 1 ? 'response' : 'responses'} of ${option.name} imported from ${fileName}`,
    optionId: option.id,
    reach: { tables: ['tender_response'], optionId: option.id },
  } as const
  await recordedChange(db, request, async (trx) => {
    for (const { criterion, text } of rows) {
      const updated = await trx
        .updateTable('tender_response')
        .set({ text })
        .where('option_id', '=', option.id)
        .where('criterion_id', '=', criterion.id)
        .executeTakeFirst()
      if (Number(updated.numUpdatedRows) > 0) continue
      await trx
        .insertInto('tender_response')
        .values({ evaluation_id: option.evaluation_id, option_id: option.id, criterion_id: criterion.id, text, document_id: null, page: null, commercial: 0 })
        .execute()
    }
  })
}

// ---------------------------------------------------------------------------------------------
// The evaluation file's `tender`

type TenderPart = NonNullable<EvaluationFile['tender']>

export async function readTenderPart(db: Db, evaluationId: number): Promise<{ documents: TenderDocument[]; responses: TenderResponse[] }> {
  const [documents, responses] = await Promise.all([listDocuments(db, evaluationId), listResponses(db, evaluationId)])
  return { documents, responses }
}

/** The documents (by reference: name, type, size, SHA-256) and responses as the file holds them; undefined for none. */
export function tenderAsFile(
  part: { documents: readonly TenderDocument[]; responses: readonly TenderResponse[] },
  optionKey: ReadonlyMap<number, string>,
  criterionKey: ReadonlyMap<number, string>,
): TenderPart | undefined {
  if (part.documents.length === 0 && part.responses.length === 0) return undefined
  const documentKey = new Map(part.documents.map((d) => [d.id, d.key]))
  const documents = part.documents.map((d) => ({
    id: d.key,
    option: optionKey.get(d.option_id)!,
    name: d.name,
    type: d.media_type,
    size: d.size,
    sha256: d.sha256,
    ...(d.commercial === 1 ? { commercial: true as const } : {}),
    ...(d.uploaded_at === null ? {} : { uploadedAt: d.uploaded_at }),
  }))
  const responses = part.responses.map((r) => ({
    option: optionKey.get(r.option_id)!,
    criterion: criterionKey.get(r.criterion_id)!,
    ...(r.text === null ? {} : { text: r.text }),
    ...(r.document_id === null ? {} : { document: documentKey.get(r.document_id)! }),
    ...(r.page === null ? {} : { page: r.page }),
    ...(r.commercial === 1 ? { commercial: true as const } : {}),
  }))
  return { ...(documents.length > 0 ? { documents } : {}), ...(responses.length > 0 ? { responses } : {}) }
}

/** Stores a file's tender part at import: the documents' records (without bytes) and the responses. */
export async function insertTender(
  trx: Change,
  evaluationId: number,
  tender: TenderPart,
  optionIds: ReadonlyMap<string, number>,
  criterionIds: ReadonlyMap<string, number>,
): Promise<Map<string, number>> {
  const documentIds = new Map<string, number>()
  for (const [position, d] of (tender.documents ?? []).entries()) {
    const row = await trx
      .insertInto('tender_document')
      .values({
        evaluation_id: evaluationId,
        option_id: optionIds.get(d.option)!,
        key: d.id,
        name: d.name,
        media_type: d.type,
        size: d.size,
        sha256: d.sha256,
        commercial: d.commercial === true ? 1 : 0,
        uploaded_at: d.uploadedAt ?? null,
        position,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    documentIds.set(d.id, row.id)
  }
  const responses = (tender.responses ?? []).map((r) => ({
    evaluation_id: evaluationId,
    option_id: optionIds.get(r.option)!,
    criterion_id: criterionIds.get(r.criterion)!,
    text: r.text ?? null,
    document_id: r.document === undefined ? null : documentIds.get(r.document)!,
    page: r.page ?? null,
    commercial: r.commercial === true ? 1 : 0,
  }))
  for (let start = 0; start < responses.length; start += 400) {
    await trx
      .insertInto('tender_response')
      .values(responses.slice(start, start + 400))
      .execute()
  }
  return documentIds
}
