// The report's typefaces: DejaVu Sans from the dejavu-fonts-ttf package (Bitstream Vera licence
// with DejaVu changes in the public domain; see docs/decisions/0005-pdf-report.md). One family
// covers £, €, accented Latin, Greek, Cyrillic and every dash, so no name typed into an evaluation
// falls back to a missing glyph. The condensed cut sets tables and charts.

import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import PDFDocument from 'pdfkit'

export const FONT = {
  regular: 'DejaVuSans',
  bold: 'DejaVuSans-Bold',
  oblique: 'DejaVuSans-Oblique',
  condensed: 'DejaVuSansCondensed',
  condensedBold: 'DejaVuSansCondensed-Bold',
  condensedOblique: 'DejaVuSansCondensed-Oblique',
} as const

export type FontName = (typeof FONT)[keyof typeof FONT]

let files: ReadonlyMap<FontName, Buffer> | undefined

/** The font files, read once per process. */
export function fontFiles(): ReadonlyMap<FontName, Buffer> {
  if (files === undefined) {
    const require = createRequire(import.meta.url)
    files = new Map(Object.values(FONT).map((name) => [name, readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${name}.ttf`))]))
  }
  return files
}

/**
 * A typeface as pdfkit's fontkit parsed it, with the glyph layout of each word set in it so far.
 * Parsing a face and shaping a word (its glyphs and kerning) are slow in fontkit (a few tenths of a
 * millisecond a word, the first time): parsed once per thread and shared by every document, a word
 * is shaped once, not once per report. A word's layout depends on the face alone, so sharing it
 * changes no byte of any report.
 */
export interface SharedFace {
  /** The fontkit font, as pdfkit takes it in place of a file. */
  readonly font: unknown
  /** pdfkit's layout cache (word → glyph run) for every document set in this face. */
  layouts: Record<string, unknown>
}

/** Beyond this many words a face's layouts start afresh, so that a thread's memory stays bounded. */
const MOST_WORDS_KEPT = 20_000

let faces: ReadonlyMap<FontName, SharedFace> | undefined

/** The faces of this thread, their layouts emptied if they have grown past the bound. */
export function sharedFaces(): ReadonlyMap<FontName, SharedFace> {
  if (faces === undefined) {
    // pdfkit parses a font file with its own fontkit: a document that is never written does it here.
    const parser = new PDFDocument({ autoFirstPage: false })
    faces = new Map(
      [...fontFiles()].map(([name, data]) => {
        parser.registerFont(name, data)
        parser.font(name)
        return [name, { font: (parser as unknown as { _font: { font: unknown } })._font.font, layouts: Object.create(null) }]
      }),
    )
  }
  for (const face of faces.values()) if (Object.keys(face.layouts).length > MOST_WORDS_KEPT) face.layouts = Object.create(null)
  return faces
}
