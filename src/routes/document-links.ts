import type { Db } from '../db/connection.js'
import { documentHref, downloadHref, listDocumentsHeld, mayOpenDocument, opensInBrowser, type DocumentReader } from '../db/tender.js'
import type { DocumentLinkView } from '../../views/components/evidence-link.js'
import type { EvidenceDocumentChoice } from '../../views/partials/answer-form.js'

export interface DocumentLinks {
  /** The documents this reader may open, in their order: those a score's evidence can point at. */
  choices: EvidenceDocumentChoice[]
  /**
   * A document as a link shows it, with the start of its SHA-256: no href for one this reader may not
   * open (src/db/tender.ts, mayOpenDocument) or whose bytes this copy does not hold; null for no document.
   */
  link(id: number | null): DocumentLinkView | null
}

/** Links to an option's documents (or, without one, all the evaluation's) for this reader. */
export async function documentLinks(db: Db, evaluationId: number, reader: DocumentReader, optionId?: number): Promise<DocumentLinks> {
  const documents = await listDocumentsHeld(db, evaluationId, optionId)
  const choices: EvidenceDocumentChoice[] = []
  const views = new Map<number, DocumentLinkView>()
  for (const d of documents) {
    const opens = mayOpenDocument(reader, d)
    const reachable = opens && d.held
    const view = {
      name: d.name,
      href: reachable ? documentHref(evaluationId, d) : null,
      download: reachable ? downloadHref(evaluationId, d) : null,
      inline: opensInBrowser(d),
      sha256: d.sha256,
    }
    views.set(d.id, view)
    if (opens) choices.push({ id: d.id, ...view })
  }
  return { choices, link: (id) => (id === null ? null : (views.get(id) ?? null)) }
}
