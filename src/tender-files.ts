// What a tender document may be: the types the app takes, told by their content (magic bytes), never
// by the name or the type the browser sends. A document is served as a download of the type found
// here (src/routes/tender.tsx), so nothing uploaded is ever run or shown as a page.

/** The largest document the app takes: a long bid volume of scanned pages fits. */
export const MAX_DOCUMENT_BYTES = 25 * 1024 * 1024

export interface DocumentType {
  /** The media type it is served with. */
  mediaType: string
  /** In words, for pages and messages. */
  words: string
  /** The extension a download's name is given when its own does not say. */
  extension: string
}

export const DOCUMENT_TYPES = {
  pdf: { mediaType: 'application/pdf', words: 'PDF', extension: 'pdf' },
  docx: { mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', words: 'Word document', extension: 'docx' },
  xlsx: { mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', words: 'Excel workbook', extension: 'xlsx' },
  png: { mediaType: 'image/png', words: 'PNG image', extension: 'png' },
  jpeg: { mediaType: 'image/jpeg', words: 'JPEG image', extension: 'jpg' },
  text: { mediaType: 'text/plain; charset=utf-8', words: 'plain text', extension: 'txt' },
} as const satisfies Record<string, DocumentType>

/** The allow-list in words, for the form's hint and the refusal. */
export const DOCUMENT_TYPES_IN_WORDS = 'PDF, Word (.docx), Excel (.xlsx), PNG, JPEG or plain text'

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return signature.every((byte, i) => bytes[i] === byte)
}

/** Whether an Office Open XML package (a zip) holds the part that makes it a document of that kind. */
function zipHolds(bytes: Uint8Array, part: string): boolean {
  // Each entry's name is written in plain bytes in its local header and the central directory.
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return text.includes('[Content_Types].xml') && text.includes(part)
}

const MARKUP = /^\s*<(?:!doctype|html|head|body|script|svg|\?xml|iframe|object)\b/i

/**
 * The type of a document from its bytes, or undefined for anything not on the allow-list: an
 * executable, an HTML page, a zip that is not a Word or Excel file, text that is not UTF-8 or holds
 * NUL bytes. Text that opens as markup is refused too, though it would be served as plain text.
 */
export function documentTypeOf(bytes: Uint8Array): DocumentType | undefined {
  if (bytes.length === 0) return undefined
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return DOCUMENT_TYPES.pdf // %PDF-
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return DOCUMENT_TYPES.png
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return DOCUMENT_TYPES.jpeg
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    if (zipHolds(bytes, 'word/document.xml')) return DOCUMENT_TYPES.docx
    if (zipHolds(bytes, 'xl/workbook.xml')) return DOCUMENT_TYPES.xlsx
    return undefined
  }
  if (bytes.includes(0)) return undefined
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return undefined
  }
  if (MARKUP.test(text.replace(/^\uFEFF/, ''))) return undefined
  return DOCUMENT_TYPES.text
}

/**
 * A Content-Disposition that always downloads, with the name both as plain ASCII (for old clients)
 * and in full (RFC 6266 / 5987), so no name can break out of the header.
 */
export function attachmentDisposition(name: string): string {
  return disposition('attachment', name)
}

/** The same for a PDF shown in the browser (its inline view): saved, it keeps its name. */
export function inlineDisposition(name: string): string {
  return disposition('inline', name)
}

/**
 * The policy a PDF's inline view is served under: a sandbox with nothing allowed (no script, no
 * same origin, no forms, no pop-ups), nothing loaded from anywhere, and no framing, so that nothing
 * in the file can act as this app's origin (decision 19 says what browsers make of it).
 */
export const DOCUMENT_VIEW_POLICY = "sandbox; default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

function disposition(kind: 'attachment' | 'inline', name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/["\\;]/g, '_')
    .trim()
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  return `${kind}; filename="${ascii || 'document'}"; filename*=UTF-8''${encoded}`
}

/** The largest CSV of responses the app takes: 30,000 responses of a paragraph each is well under it. */
export const MAX_RESPONSES_CSV_BYTES = 5 * 1024 * 1024
