// The report's typefaces: DejaVu Sans from the dejavu-fonts-ttf package (Bitstream Vera licence
// with DejaVu changes in the public domain; see docs/decisions/0005-pdf-report.md). One family
// covers £, €, accented Latin, Greek, Cyrillic and every dash, so no name typed into an evaluation
// falls back to a missing glyph. The condensed cut sets tables and charts.

import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

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
