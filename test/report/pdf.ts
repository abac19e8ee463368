// Reads a rendered report back with pdf.js (its legacy build runs in Node): the text of every page
// with each item's position, the outline, the metadata and the structure tree.

import { getDocument, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs'
import type { TextItem } from 'pdfjs-dist/types/src/display/api.js'

export interface PlacedText {
  readonly str: string
  /** Left of the text and its baseline, from the bottom left corner of the page, in points. */
  readonly x: number
  readonly y: number
  readonly width: number
  readonly size: number
  /** False for rotated text (the DRAFT watermark). */
  readonly upright: boolean
}

export interface PdfPage {
  readonly width: number
  readonly height: number
  readonly items: readonly PlacedText[]
  /** The page's text with whitespace collapsed. */
  readonly text: string
}

export interface OutlineEntry {
  readonly title: string
  /** 0-based index of the page the entry goes to. */
  readonly page: number
  readonly children: readonly OutlineEntry[]
}

export interface ReadPdf {
  readonly pages: readonly PdfPage[]
  readonly info: Record<string, unknown>
  readonly marked: boolean
  readonly outline: readonly OutlineEntry[]
  /** Every structure role used, in reading order, depth first. */
  readonly roles: readonly string[]
  /** The alternative text of every figure. */
  readonly figureAlts: readonly string[]
  /** All the text of the document, pages joined. */
  readonly text: string
}

function isTextItem(item: unknown): item is TextItem {
  return typeof item === 'object' && item !== null && 'str' in item && 'transform' in item
}

async function outlineOf(doc: PDFDocumentProxy): Promise<OutlineEntry[]> {
  const resolve = async (items: Awaited<ReturnType<PDFDocumentProxy['getOutline']>>): Promise<OutlineEntry[]> => {
    const entries: OutlineEntry[] = []
    for (const item of items ?? []) {
      const dest = typeof item.dest === 'string' ? await doc.getDestination(item.dest) : item.dest
      const ref = dest?.[0]
      const page = ref === undefined ? -1 : await doc.getPageIndex(ref as Parameters<PDFDocumentProxy['getPageIndex']>[0])
      entries.push({ title: item.title, page, children: await resolve(item.items) })
    }
    return entries
  }
  return resolve(await doc.getOutline())
}

function collectRoles(node: unknown, into: string[], alts: string[]): void {
  if (typeof node !== 'object' || node === null) return
  const { role, alt, children } = node as { role?: string; alt?: string; children?: unknown[] }
  if (role !== undefined) into.push(role)
  if (role === 'Figure' && alt !== undefined) alts.push(alt)
  for (const child of children ?? []) collectRoles(child, into, alts)
}

export async function readPdf(bytes: Uint8Array, options: { structure?: boolean } = {}): Promise<ReadPdf> {
  // pdf.js takes ownership of the buffer it is given: hand it a copy.
  const doc = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, useSystemFonts: false, verbosity: 0 }).promise
  try {
    const pages: PdfPage[] = []
    const roles: string[] = []
    const figureAlts: string[] = []
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n)
      const [, , width, height] = page.view as [number, number, number, number]
      const content = await page.getTextContent()
      const items = content.items.filter(isTextItem).filter((item) => item.str.trim() !== '')
      const placed = items.map((item) => {
        const [a, b, c, , e, f] = item.transform as number[]
        return { str: item.str, x: e!, y: f!, width: item.width, size: item.height, upright: b === 0 && c === 0 && a! > 0 }
      })
      pages.push({
        width,
        height,
        items: placed,
        text: content.items
          .filter(isTextItem)
          .map((item) => item.str)
          .join(' ')
          .replace(/\s+/g, ' ')
          .trim(),
      })
      if (options.structure === true) collectRoles(await page.getStructTree(), roles, figureAlts)
      page.cleanup()
    }
    const metadata = await doc.getMetadata()
    const markInfo = await doc.getMarkInfo()
    return {
      pages,
      info: metadata.info as Record<string, unknown>,
      marked: markInfo?.Marked === true,
      outline: await outlineOf(doc),
      roles,
      figureAlts,
      text: pages.map((page) => page.text).join(' '),
    }
  } finally {
    await doc.destroy()
  }
}

export interface Margins {
  readonly width: number
  readonly height: number
  readonly margin: { readonly top: number; readonly bottom: number; readonly left: number; readonly right: number }
  /** The running header and footer lie in the top and bottom margins, no nearer the edge than this. */
  readonly edge: number
}

/**
 * Every upright text item that runs past the left or right margin, or sits in the top or bottom
 * margin other than in the running header or footer band, or nearer the edge than those bands.
 * Glyphs are taken to reach 0.93 of their size above the baseline and 0.24 below it (DejaVu Sans).
 */
export function textOutsideMargins(pdf: ReadPdf, page: Margins, tolerance = 0.5): string[] {
  const problems: string[] = []
  pdf.pages.forEach((p, index) => {
    for (const item of p.items) {
      if (!item.upright) continue
      const left = item.x
      const right = item.x + item.width
      const top = p.height - item.y - 0.93 * item.size
      const bottom = p.height - item.y + 0.24 * item.size
      const where = `page ${index + 1}: "${item.str.slice(0, 40)}" at x ${left.toFixed(1)}–${right.toFixed(1)}, y ${top.toFixed(1)}–${bottom.toFixed(1)}`
      if (left < page.margin.left - tolerance || right > page.width - page.margin.right + tolerance) problems.push(`${where}: past a side margin`)
      const inBody = top >= page.margin.top - tolerance && bottom <= page.height - page.margin.bottom + tolerance
      const inHeader = top >= page.edge - tolerance && bottom <= page.margin.top + tolerance
      const inFooter = top >= page.height - page.margin.bottom - tolerance && bottom <= page.height - page.edge + tolerance
      if (!inBody && !inHeader && !inFooter) problems.push(`${where}: outside the body, header and footer`)
    }
  })
  return problems
}
