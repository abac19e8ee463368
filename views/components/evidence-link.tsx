/** A tender document as a link shows it: where it opens (null when this copy holds only its reference) and whether in the browser. */
export interface DocumentLinkView {
  name: string
  /** A PDF's inline view, or the download; without a page. */
  href: string | null
  /** The download, offered beside a PDF's view too (a browser whose viewer will not show a sandboxed PDF can still save it). */
  download?: string | null
  /** A PDF, shown in the browser's own viewer, which opens at `#page=N`; any other type is downloaded. */
  inline: boolean
  /** Given, its first 12 hex digits are shown, so that the document can be traced. */
  sha256?: string
}

/**
 * A link to a document at a page: a PDF opens in the browser at that page; any other type is a
 * download, and says so, with the page as text. Without the document's bytes, its name and page as text.
 */
export function EvidenceLink({ document, page }: { document: DocumentLinkView; page: number | null }) {
  const at = page === null ? '' : `, page ${page}`
  const hash =
    document.sha256 === undefined ? null : (
      <span class="hint">
        {' '}
        (SHA-256 <code class="hash">{document.sha256.slice(0, 12)}</code>…)
      </span>
    )
  if (document.href === null) {
    return (
      <span class="evidence-link">
        {document.name}
        {at}
        <span class="hint"> (this copy holds its reference, not the document)</span>
        {hash}
      </span>
    )
  }
  if (document.inline) {
    return (
      <span class="evidence-link">
        <a href={page === null ? document.href : `${document.href}#page=${page}`}>
          {document.name}
          {at}
        </a>
        <span class="hint">
          {' '}
          (opens in the browser{page === null ? '' : ' at that page'}
          {document.download != null && (
            <>
              ; or{' '}
              <a href={document.download}>
                download<span class="visually-hidden"> {document.name}</span>
              </a>
            </>
          )}
          )
        </span>
        {hash}
      </span>
    )
  }
  return (
    <span class="evidence-link">
      <a href={document.href} download="">
        {document.name}
      </a>
      <span class="hint"> (download)</span>
      {at}
      {hash}
    </span>
  )
}
