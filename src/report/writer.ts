// The page machinery of the report: A4 pages with a running header and footer, headings that feed
// the contents page and the PDF outline, paragraphs, lists, tables that break across pages with
// their header repeated, and figures. Everything drawn is tagged: headings, paragraphs, lists,
// tables and figures are structure elements in reading order, and what only decorates a page (rules,
// shading, the running header and footer, the DRAFT watermark) is marked as an artifact.

import PDFDocument from 'pdfkit'
import { FONT, sharedFaces, type FontName } from './fonts.js'
import { breakLines, heightOf, type Line, type Run, type TextStyle } from './text-layout.js'

type Doc = PDFKit.PDFDocument
type StructElement = PDFKit.PDFStructureElement

/** A4 in points, and where the report may put text. */
export const PAGE = {
  width: 595.28,
  height: 841.89,
  /** The body of every page lies inside these margins. */
  margin: { top: 70, bottom: 64, left: 56, right: 56 },
  /** The running header and footer lie in the top and bottom margins, no nearer the edge than this. */
  edge: 28,
} as const

export const CONTENT_WIDTH = PAGE.width - PAGE.margin.left - PAGE.margin.right
const BOTTOM = PAGE.height - PAGE.margin.bottom
/** The height of a page's body, between the top and bottom margins. */
export const BODY_HEIGHT = BOTTOM - PAGE.margin.top

export const COLOUR = {
  ink: '#1b1b1b',
  muted: '#505a5f',
  accent: '#1d3557',
  rule: '#b1b4b6',
  faint: '#f2f4f6',
  headerFill: '#dfe5ec',
  draft: '#b3261e',
  good: '#00703c',
  bad: '#b3261e',
} as const

const style = (font: FontName, size: number, leading: number, color: string = COLOUR.ink): TextStyle => ({ font, size, leading, color })

export const STYLE = {
  body: style(FONT.regular, 9.5, 13.5),
  bodyBold: style(FONT.bold, 9.5, 13.5),
  bodyItalic: style(FONT.oblique, 9.5, 13.5),
  small: style(FONT.regular, 8, 11, COLOUR.muted),
  title: style(FONT.bold, 24, 30, COLOUR.accent),
  subtitle: style(FONT.regular, 14, 19, COLOUR.ink),
  h1: style(FONT.bold, 17, 22, COLOUR.accent),
  h2: style(FONT.bold, 12.5, 17, COLOUR.accent),
  h3: style(FONT.bold, 10.5, 14.5),
  h4: style(FONT.bold, 9.5, 13),
  cell: style(FONT.condensed, 8.5, 11),
  cellBold: style(FONT.condensedBold, 8.5, 11),
  cellHeader: style(FONT.condensedBold, 8, 10.5),
  cellNote: style(FONT.condensedOblique, 7.5, 10, COLOUR.muted),
  cellGood: style(FONT.condensedBold, 8.5, 11, COLOUR.good),
  cellBad: style(FONT.condensedBold, 8.5, 11, COLOUR.bad),
  chart: style(FONT.condensed, 7.5, 9.5, COLOUR.ink),
  chartMuted: style(FONT.condensed, 7, 9, COLOUR.muted),
  furniture: style(FONT.condensed, 7.5, 10, COLOUR.muted),
  furnitureStatus: style(FONT.condensedBold, 7.5, 10, COLOUR.draft),
  furnitureFinal: style(FONT.condensedBold, 7.5, 10, COLOUR.accent),
} as const

/** DejaVu's vertical metrics (units of the font size): where the baseline sits in a line of text. */
const ASCENT = 0.928
const GLYPH_BOX = 1.164

export interface ContentsEntry {
  readonly level: 1 | 2
  /** "3" or "3.2"; empty for unnumbered pages such as the contents itself. */
  readonly number: string
  readonly title: string
  readonly page: number
  readonly destination: string
}

export interface TableColumn {
  readonly header: string
  /** Relative width. */
  readonly width: number
  readonly align?: 'left' | 'right'
}

export interface CellSpec {
  readonly runs: readonly Run[]
  readonly align?: 'left' | 'right'
  /** Points to indent the cell's text by (a level in a tree). */
  readonly indent?: number
}

export type TableCell = string | CellSpec

export interface TableRow {
  readonly cells: readonly TableCell[]
  /** A totals row: bold, with a rule above. */
  readonly total?: boolean
}

export interface TableOptions {
  /** The first column names each row (a row header), as in a list of key figures. */
  readonly rowHeaders?: boolean
  /** No header row: a two-column list of facts. */
  readonly noHeader?: boolean
  /** Shade every other row. */
  readonly zebra?: boolean
  /** Where the table starts, from the left margin, and how wide it is. */
  readonly indent?: number
  readonly width?: number
  /** Minimum height of every row (room to sign in). */
  readonly minRowHeight?: number
  readonly summary?: string
}

interface LaidOutCell {
  readonly lines: readonly Line[]
  readonly align: 'left' | 'right'
  readonly indent: number
}

interface LaidOutRow {
  readonly cells: readonly LaidOutCell[]
  readonly height: number
  readonly total: boolean
}

const CELL_PAD_X = 4
const CELL_PAD_Y = 3

/**
 * What the report's text path uses of pdfkit (0.20) beyond its typed interface: the current font
 * (its resource name, ascender, reference and glyph encoding) and size, and the current page's font
 * resources. Pinned by the lock file; the report tests read every page back.
 */
interface PdfkitFont {
  readonly id: string
  readonly ascender: number
  ref(): unknown
  encode(text: string): [string[], readonly { readonly xAdvance: number; readonly advanceWidth: number; readonly xOffset: number; readonly yOffset: number }[]]
}

interface PdfkitInternals {
  /** Where the next byte of the file goes (the cross-reference table's offsets come from it). */
  _offset: number
  _write(data: string | Uint8Array): void
  readonly _font: PdfkitFont
  readonly _fontSize: number
  readonly page: { readonly fonts: Record<string, unknown> }
  addContent(data: string): unknown
}

/** A number as pdfkit writes it in content streams (PDFObject.number). */
const pdfNumber = (n: number): number => Math.round(n * 1e6) / 1e6

/**
 * The TJ operator that shows `text` in `font`, kerning included, exactly as pdfkit's own text
 * drawing writes it; null where a glyph is offset (a combining mark), which pdfkit's path handles.
 */
function showTextOperator(font: PdfkitFont, text: string): string | null {
  const [encoded, positions] = font.encode(text)
  const commands: string[] = []
  let last = 0
  const addSegment = (cur: number): void => {
    if (last < cur) {
      const position = positions[cur - 1]!
      commands.push(`<${encoded.slice(last, cur).join('')}> ${pdfNumber(-(position.xAdvance - position.advanceWidth))}`)
    }
    last = cur
  }
  for (let i = 0; i < positions.length; i++) {
    const position = positions[i]!
    if (position.xOffset || position.yOffset) return null
    if (position.xAdvance - position.advanceWidth !== 0) addSegment(i + 1)
  }
  addSegment(positions.length)
  return `[${commands.join(' ')}] TJ`
}

export interface WriterOptions {
  readonly title: string
  readonly author: string | undefined
  readonly subject: string
  readonly keywords: string
  readonly date: Date
  readonly draft: boolean
  /** Left of the running header: the evaluation's title. */
  readonly headerText: string
  /** Right of the running header: the status. */
  readonly statusText: string
  /** Left of the footer: organisation and date. */
  readonly footerText: string
}

export class ReportWriter {
  readonly doc: Doc
  /** Where the next block starts on the current page, from the top. */
  y: number = PAGE.margin.top
  private readonly root: StructElement
  private readonly sections: StructElement[] = []
  private readonly widths = new Map<FontName, Map<string, number>>()
  /** Each page's content-stream operators, in order, until `finish` hands them to pdfkit. */
  private readonly content = new Map<PDFKit.PDFPage, string[]>()
  /** The TJ operator of each string by font (see `show`). */
  private readonly shown = new Map<PdfkitFont, Map<string, string | null>>()
  private readonly chunks: Uint8Array[] = []
  private readonly finished: Promise<Buffer>
  private readonly entries: ContentsEntry[] = []
  private readonly outlineParents: PDFKit.PDFOutline[] = []
  private contentsPages: number[] = []
  private contentsSection: StructElement | null = null
  private blankPage = true

  constructor(private readonly options: WriterOptions) {
    this.doc = new PDFDocument({
      size: 'A4',
      margins: PAGE.margin,
      autoFirstPage: false,
      bufferPages: true,
      pdfVersion: '1.7',
      tagged: true,
      lang: 'en-GB',
      displayTitle: true,
      info: {
        Title: options.title,
        ...(options.author !== undefined ? { Author: options.author } : {}),
        Subject: options.subject,
        Keywords: options.keywords,
        Creator: 'options-appraisal',
        // Fixed by the caller so that the same evaluation gives the same bytes.
        CreationDate: options.date,
        ModDate: options.date,
      },
    })
    for (const [name, face] of sharedFaces()) {
      this.doc.registerFont(name, face.font as Buffer)
      this.doc.font(name)
      ;(this.doc as unknown as { _font: { layoutCache: Record<string, unknown> } })._font.layoutCache = face.layouts
    }
    // pdfkit turns every operator it is given into a small buffer of its own, and keeps every page's
    // until the end (the contents and the page numbers are written last): at 800 pages, millions of
    // them, most of the render's memory and much of its garbage collection. A page's operators are
    // gathered here as strings instead, and handed to pdfkit once per page when the document ends.
    const internals = this.doc as unknown as PdfkitInternals
    internals.addContent = (data: string) => {
      const page = this.doc.page
      let operators = this.content.get(page)
      if (operators === undefined) {
        operators = []
        this.content.set(page, operators)
      }
      operators.push(data)
      return this.doc
    }
    // The same for the file itself: pdfkit makes a buffer of every line it writes (several for each
    // of the 50,000 objects of a large report) and passes each through a stream. They are gathered
    // here as text, pdfkit's byte offsets kept, and made bytes once.
    const head = this.doc.read() as Buffer | null // the header pdfkit has written already
    if (head !== null) this.chunks.push(head)
    let text = ''
    internals._write = (data: string | Uint8Array) => {
      if (data instanceof Uint8Array) {
        if (text !== '') this.chunks.push(Buffer.from(text, 'latin1'))
        text = ''
        this.chunks.push(data)
        internals._offset += data.length
      } else {
        // A line of pdfkit's is a binary string: one character a byte.
        text += `${data}\n`
        internals._offset += data.length + 1
      }
    }
    this.doc.on('data', (chunk: Uint8Array) => this.chunks.push(chunk))
    this.finished = new Promise((resolve, reject) => {
      this.doc.on('end', () => {
        if (text !== '') this.chunks.push(Buffer.from(text, 'latin1'))
        text = ''
        resolve(Buffer.concat(this.chunks))
      })
      this.doc.on('error', reject)
    })
    if (options.draft) this.doc.on('pageAdded', () => this.drawWatermark())
    this.root = this.doc.struct('Document')
    this.doc.addStructure(this.root)
    this.addPage()
  }

  // -------------------------------------------------------------------------------------------
  // Pages

  get pageIndex(): number {
    const range = this.doc.bufferedPageRange()
    return range.start + range.count - 1
  }

  get spaceLeft(): number {
    return BOTTOM - this.y
  }

  private switchToPage(index: number): void {
    this.text = null
    this.doc.switchToPage(index)
  }

  addPage(): void {
    this.text = null
    this.doc.addPage()
    this.y = PAGE.margin.top
    this.blankPage = true
  }

  /** Starts a new page unless at least `height` points are left on this one. */
  ensure(height: number): void {
    if (this.y + height > BOTTOM && !this.blankPage) this.addPage()
  }

  moveDown(points: number): void {
    this.y = Math.min(this.y + points, BOTTOM)
  }

  /** The watermark as drawn on the first page: its operators and the resources they name, for every later page. */
  private watermark: { operators: string[]; fonts: Record<string, unknown>; states: Record<string, unknown> } | null = null

  private drawWatermark(): void {
    const doc = this.doc
    const page = doc.page
    if (this.watermark !== null) {
      Object.assign(page.fonts, this.watermark.fonts)
      Object.assign(page.ext_gstates, this.watermark.states)
      this.content.set(page, [...this.watermark.operators])
      return
    }
    doc.markContent('Artifact', { type: 'Pagination' })
    doc.save()
    doc.fillColor(COLOUR.draft).fillOpacity(0.07)
    doc.font(FONT.bold).fontSize(120)
    const text = 'DRAFT'
    const width = doc.widthOfString(text)
    doc.rotate(-50, { origin: [PAGE.width / 2, PAGE.height / 2] })
    doc.text(text, PAGE.width / 2 - width / 2, PAGE.height / 2 - 60, { lineBreak: false })
    doc.restore()
    doc.endMarkedContent()
    // A new page has nothing else yet: all it holds is the watermark's.
    this.watermark = { operators: [...(this.content.get(page) ?? [])], fonts: { ...page.fonts }, states: { ...page.ext_gstates } }
  }

  // -------------------------------------------------------------------------------------------
  // Structure

  private get parent(): StructElement {
    return this.sections.at(-1) ?? this.root
  }

  /** Opens a section (Sect) that the following headings and blocks belong to. */
  beginSection(): void {
    const section = this.doc.struct('Sect')
    this.parent.add(section)
    this.sections.push(section)
  }

  endSection(): void {
    this.sections.pop()?.end()
  }

  private element(type: string, options: Record<string, unknown> = {}, parent: StructElement = this.parent): StructElement {
    const element = this.doc.struct(type, options as PDFKit.Mixins.StructureElementOptions)
    parent.add(element)
    return element
  }

  /** Draws something that decorates the page (a rule, shading) outside the document's structure. */
  artifact(draw: () => void): void {
    this.doc.markContent('Artifact', { type: 'Layout' })
    draw()
    this.doc.endMarkedContent()
  }

  // -------------------------------------------------------------------------------------------
  // Text

  measure = (text: string, font: FontName): number => {
    let widths = this.widths.get(font)
    if (widths === undefined) {
      widths = new Map()
      this.widths.set(font, widths)
    }
    let width = widths.get(text)
    if (width === undefined) {
      // Measured with the space that follows a word, as pdfkit lays text out word by word with its
      // trailing space: the layout made here is the one drawing reuses from pdfkit's cache.
      const doc = this.doc.font(font).fontSize(100)
      width = (doc.widthOfString(`${text} `) - doc.widthOfString(' ')) / 100
      this.text = null
      widths.set(text, width)
    }
    return width
  }

  /** The font, size and colour text was last drawn in on this page, so that they are set only when they change. */
  private text: { font: FontName; size: number; color: string } | null = null
  private readonly styleIds = new Map<TextStyle, number>()
  /** Broken lines by text, style and width: a large evaluation repeats the same names and notes thousands of times. */
  private readonly layouts = new Map<string, Line[]>()

  private layoutKey(runs: readonly Run[], width: number): string {
    let key = String(width)
    for (const run of runs) {
      let id = this.styleIds.get(run.style)
      if (id === undefined) {
        id = this.styleIds.size
        this.styleIds.set(run.style, id)
      }
      key += `\u0001${id}\u0002${run.text}`
    }
    return key
  }

  breakRuns(runs: readonly Run[], width: number): Line[] {
    const key = this.layoutKey(runs, width)
    let lines = this.layouts.get(key)
    if (lines === undefined) {
      lines = breakLines(runs, width, this.measure)
      this.layouts.set(key, lines)
    }
    return lines
  }

  lines(runs: readonly Run[] | string, width: number, textStyle: TextStyle = STYLE.body): Line[] {
    return this.breakRuns(typeof runs === 'string' ? [{ text: runs, style: textStyle }] : runs, width)
  }

  /** Draws one line with its top at `y`. */
  drawLine(line: Line, x: number, y: number, width: number, align: 'left' | 'right' | 'center' = 'left'): void {
    const offset = align === 'right' ? width - line.width : align === 'center' ? (width - line.width) / 2 : 0
    let size = 0
    for (const segment of line.segments) size = Math.max(size, segment.style.size)
    const baseline = y + (line.height - GLYPH_BOX * size) / 2 + ASCENT * size
    const doc = this.doc
    for (const segment of line.segments) {
      // Every segment ends with a space: it keeps words apart in extracted text, and the last
      // word's layout is then the one measured.
      const trailing = segment.text.endsWith(' ') ? '' : ' '
      const { font, size: fontSize, color } = segment.style
      const current = this.text
      if (current === null || current.font !== font) doc.font(font)
      if (current === null || current.size !== fontSize) doc.fontSize(fontSize)
      // Graphics change the fill colour only between save and restore, so the text colour holds.
      if (current === null || current.color !== color) doc.fillColor(color)
      this.text = { font, size: fontSize, color }
      this.show(segment.text + trailing, x + offset + segment.x, baseline - ASCENT * fontSize, segment.width)
    }
  }

  /**
   * Shows one segment of text with its top at (x, y) in the current font, size and colour: the
   * operators pdfkit's `text` writes, without its per-call layout, measuring and graphics state
   * (which were half the time of a large report), each string encoded once. The page's coordinates
   * are pdfkit's, flipped (y down), so the text matrix flips the glyphs back upright.
   */
  private show(text: string, x: number, y: number, width: number): void {
    const internals = this.doc as unknown as PdfkitInternals
    const font = internals._font
    let byText = this.shown.get(font)
    if (byText === undefined) {
      byText = new Map()
      this.shown.set(font, byText)
    }
    let operator = byText.get(text)
    if (operator === undefined) {
      operator = showTextOperator(font, text)
      byText.set(text, operator)
    }
    if (operator === null) {
      this.doc.text(text, x, y, { lineBreak: false, textWidth: width, wordCount: 1 } as PDFKit.Mixins.TextOptions)
      return
    }
    const fonts = internals.page.fonts
    if (fonts[font.id] == null) fonts[font.id] = font.ref()
    const size = internals._fontSize
    internals.addContent(`BT\n1 0 0 -1 ${pdfNumber(x)} ${pdfNumber(y + (font.ascender / 1000) * size)} Tm\n/${font.id} ${pdfNumber(size)} Tf\n${operator}\nET`)
  }

  /**
   * Draws lines as one structure element of type `tag`, breaking to new pages as needed (a short
   * block moves whole to the next page rather than leave an orphan line).
   */
  block(
    lines: readonly Line[],
    options: { tag?: string; x?: number; width?: number; align?: 'left' | 'right' | 'center'; parent?: StructElement; element?: StructElement } = {},
  ): void {
    if (lines.length === 0) return
    const tag = options.tag ?? 'P'
    const x = PAGE.margin.left + (options.x ?? 0)
    const width = options.width ?? CONTENT_WIDTH - (options.x ?? 0)
    const element = options.element ?? this.element(tag, {}, options.parent)
    const total = heightOf(lines)
    if (total > this.spaceLeft && (lines.length <= 3 || heightOf(lines.slice(0, 2)) > this.spaceLeft)) this.ensure(total)
    let i = 0
    while (i < lines.length) {
      if (this.y + (lines[i]?.height ?? 0) > BOTTOM && !this.blankPage) this.addPage()
      const content = this.doc.markStructureContent(tag)
      while (i < lines.length) {
        const line = lines[i]!
        if (this.y + line.height > BOTTOM && !this.blankPage) break
        this.drawLine(line, x, this.y, width, options.align)
        this.y += line.height
        this.blankPage = false
        i++
      }
      this.doc.endMarkedContent()
      element.add(content)
    }
    if (options.element === undefined) element.end()
  }

  /** The height a paragraph of body text would take across the content width, with the space after it. */
  heightOf(text: readonly Run[] | string, after = 6): number {
    return heightOf(this.lines(text, CONTENT_WIDTH, STYLE.body)) + after
  }

  paragraph(
    text: readonly Run[] | string,
    options: { style?: TextStyle; after?: number; x?: number; width?: number; align?: 'left' | 'right' | 'center' } = {},
  ): void {
    const x = options.x ?? 0
    const width = options.width ?? CONTENT_WIDTH - x
    this.block(this.lines(text, width, options.style ?? STYLE.body), { x, width, ...(options.align !== undefined ? { align: options.align } : {}) })
    this.moveDown(options.after ?? 6)
  }

  /** A bulleted list, tagged as a list (L, LI, Lbl, LBody). */
  bullets(items: readonly (readonly Run[] | string)[], options: { style?: TextStyle; after?: number } = {}): void {
    if (items.length === 0) return
    const textStyle = options.style ?? STYLE.body
    const list = this.element('L')
    const indent = 12
    for (const item of items) {
      const lines = this.lines(item, CONTENT_WIDTH - indent, textStyle)
      this.ensure(Math.min(heightOf(lines), 2 * textStyle.leading))
      const listItem = this.element('LI', {}, list)
      const label = this.element('Lbl', {}, listItem)
      const content = this.doc.markStructureContent('Lbl')
      this.drawLine(this.lines('•', indent, textStyle)[0]!, PAGE.margin.left, this.y, indent)
      this.doc.endMarkedContent()
      label.add(content)
      label.end()
      this.block(lines, { tag: 'LBody', x: indent, width: CONTENT_WIDTH - indent, parent: listItem })
      listItem.end()
      this.moveDown(2)
    }
    list.end()
    this.moveDown(options.after ?? 4)
  }

  // -------------------------------------------------------------------------------------------
  // Headings, the contents page and the outline

  /**
   * A numbered heading. Level 1 starts a new page; every heading is kept with what follows it,
   * recorded for the contents page, given a named destination and added to the outline.
   */
  heading(level: 1 | 2 | 3 | 4, number: string, title: string, options: { contents?: boolean; keepWith?: number } = {}): void {
    const textStyle = level === 1 ? STYLE.h1 : level === 2 ? STYLE.h2 : level === 3 ? STYLE.h3 : STYLE.h4
    const text = number === '' ? title : `${number}  ${title}`
    const lines = this.lines(text, CONTENT_WIDTH, textStyle)
    if (level === 1 && !this.blankPage) this.addPage()
    else this.moveDown(level === 2 ? 8 : 4)
    // Keep the heading with the start of what follows (a paragraph, a table's header and first row).
    const keepWith = Math.min(options.keepWith ?? (level === 1 ? 60 : level === 2 ? 80 : 110), BOTTOM - PAGE.margin.top - heightOf(lines) - 40)
    this.ensure(heightOf(lines) + keepWith)
    const top = this.y
    this.block(lines, { tag: `H${level}` })
    this.moveDown(level === 1 ? 8 : level === 4 ? 2 : 4)
    if (level === 3 || level === 4 || options.contents === false) return
    const destination = `section-${number === '' ? title.toLowerCase().replace(/[^a-z0-9]+/g, '-') : number}`
    this.doc.addNamedDestination(destination, 'XYZ', 0, top - 6, null)
    this.entries.push({ level, number, title, page: this.pageIndex, destination })
    const parent = level === 1 ? this.doc.outline : (this.outlineParents.at(-1) ?? this.doc.outline)
    const item = parent.addItem(text, { expanded: true })
    // Point the bookmark at the heading itself, not the page's top left corner.
    ;(item as unknown as { outlineData: Record<string, unknown> }).outlineData.Dest = [this.doc.page.dictionary, 'XYZ', 0, PAGE.height - top + 6, 0]
    if (level === 1) this.outlineParents[0] = item
  }

  /**
   * Reserves pages for the contents here, to be written once every heading's page is known. Its
   * section takes its place in the reading order now and is filled in at the end.
   */
  reserveContents(entries: number): void {
    const perPage = Math.floor((BOTTOM - PAGE.margin.top - 40) / 17)
    const pages = Math.max(1, Math.ceil(entries / perPage))
    this.contentsSection = this.element('Sect')
    for (let i = 0; i < pages; i++) {
      if (!this.blankPage || i > 0) this.addPage()
      this.contentsPages.push(this.pageIndex)
      this.blankPage = false
    }
  }

  private writeContents(): void {
    const section = this.contentsSection
    if (section === null) return
    const doc = this.doc
    let pageSlot = 0
    this.switchToPage(this.contentsPages[pageSlot]!)
    this.y = PAGE.margin.top
    const heading = this.doc.struct('H1')
    section.add(heading)
    const headingContent = doc.markStructureContent('H1')
    this.drawLine(this.lines('Contents', CONTENT_WIDTH, STYLE.h1)[0]!, PAGE.margin.left, this.y, CONTENT_WIDTH)
    doc.endMarkedContent()
    heading.add(headingContent)
    heading.end()
    this.y += STYLE.h1.leading + 12
    const element = this.doc.struct('TOC')
    section.add(element)
    for (const entry of this.entries) {
      const textStyle = entry.level === 1 ? STYLE.bodyBold : STYLE.body
      const indent = entry.level === 1 ? 0 : 24
      const numberWidth = entry.level === 1 ? 24 : 30
      const pageText = String(entry.page + 1)
      const pageWidth = 36
      const titleWidth = CONTENT_WIDTH - indent - numberWidth - pageWidth - 8
      const titleLines = this.lines(entry.title, titleWidth, textStyle)
      const height = heightOf(titleLines) + (entry.level === 1 ? 5 : 3)
      if (this.y + height > BOTTOM) {
        pageSlot++
        this.switchToPage(this.contentsPages[pageSlot] ?? this.contentsPages.at(-1)!)
        this.y = PAGE.margin.top
      }
      if (entry.level === 1) this.y += 3
      const item = this.doc.struct('TOCI')
      element.add(item)
      const link = this.doc.struct('Link')
      item.add(link)
      const content = doc.markStructureContent('Link')
      const top = this.y
      const left = PAGE.margin.left + indent
      if (entry.number !== '') this.drawLine(this.lines(entry.number, numberWidth, textStyle)[0]!, left, this.y, numberWidth)
      titleLines.forEach((line, i) => {
        this.drawLine(line, left + numberWidth, this.y, titleWidth)
        if (i < titleLines.length - 1) this.y += line.height
      })
      this.drawLine(this.lines(pageText, pageWidth, textStyle)[0]!, PAGE.margin.left + CONTENT_WIDTH - pageWidth, this.y, pageWidth, 'right')
      doc.endMarkedContent()
      link.add(content)
      const lastLine = titleLines.at(-1)
      this.artifact(() => {
        // Dot leaders from the end of the title to the page number.
        const from = left + numberWidth + (lastLine?.width ?? 0) + 6
        const to = PAGE.margin.left + CONTENT_WIDTH - pageWidth + 4
        if (to - from > 8) {
          doc.save().fillColor(COLOUR.rule)
          for (let dot = to - 3; dot > from; dot -= 4) doc.circle(dot, this.y + textStyle.leading * 0.72, 0.5).fill()
          doc.restore()
        }
      })
      doc.goTo(PAGE.margin.left, top, CONTENT_WIDTH, this.y + textStyle.leading - top, entry.destination, { structParent: link } as Record<string, unknown>)
      link.end()
      item.end()
      this.y += textStyle.leading + (entry.level === 1 ? 2 : 0)
    }
    element.end()
    section.end()
  }

  // -------------------------------------------------------------------------------------------
  // Tables

  /**
   * Lines of one cell. A figure (a right-aligned cell) is never broken: when it is wider than its
   * column it is set smaller until it fits.
   */
  private layOutCell(cell: TableCell, width: number, bold: boolean, align: 'left' | 'right'): LaidOutCell {
    const spec: CellSpec = typeof cell === 'string' ? { runs: [{ text: cell, style: STYLE.cell }] } : cell
    const indent = Math.min(spec.indent ?? 0, width / 2)
    const cellAlign = spec.align ?? align
    let runs = bold ? spec.runs.map((run) => (run.style === STYLE.cell ? { ...run, style: STYLE.cellBold } : run)) : spec.runs
    const first = runs[0]
    if (cellAlign === 'right' && first !== undefined && !first.text.includes('\n')) {
      const natural = this.measure(first.text, first.style.font) * first.style.size
      if (natural > width - indent - 1) {
        runs = [{ ...first, style: this.resized(first.style, (first.style.size * (width - indent - 1.5)) / natural) }, ...runs.slice(1)]
      }
    }
    return { lines: this.breakRuns(runs, width - indent), align: cellAlign, indent }
  }

  /**
   * A table across the content width. A row that does not fit on what is left of the page moves to
   * the next, where the header row is drawn again; a row taller than a whole page is split between
   * lines. The header row is tagged once (THead); its repeats are pagination artifacts.
   */
  table(columns: readonly TableColumn[], rows: readonly TableRow[], options: TableOptions = {}): void {
    const doc = this.doc
    const left = PAGE.margin.left + (options.indent ?? 0)
    const width = options.width ?? CONTENT_WIDTH - (options.indent ?? 0)
    const totalWeight = columns.reduce((sum, column) => sum + column.width, 0)
    const xs: number[] = []
    const ws: number[] = []
    let cursor = left
    for (const column of columns) {
      const columnWidth = (column.width / totalWeight) * width
      xs.push(cursor)
      ws.push(columnWidth)
      cursor += columnWidth
    }
    const inner = (c: number): number => Math.max(4, (ws[c] ?? 0) - 2 * CELL_PAD_X)
    const header: LaidOutRow | null = options.noHeader
      ? null
      : (() => {
          const cells = columns.map((column, c) => ({
            lines: this.lines(column.header, inner(c), this.headerStyle(column.header, inner(c))),
            align: column.align ?? 'left',
            indent: 0,
          }))
          return { cells, height: Math.max(...cells.map((cell) => heightOf(cell.lines))) + 2 * CELL_PAD_Y, total: false }
        })()
    const laidOut: LaidOutRow[] = rows.map((row) => {
      const cells = columns.map((column, c) => this.layOutCell(row.cells[c] ?? '', inner(c), row.total === true, column.align ?? 'left'))
      const height = Math.max(options.minRowHeight ?? 0, Math.max(...cells.map((cell) => heightOf(cell.lines))) + 2 * CELL_PAD_Y)
      return { cells, height, total: row.total === true }
    })

    const table = this.element('Table', options.summary !== undefined ? { title: options.summary } : {})
    const headerHeight = header?.height ?? 0
    const pageRoom = BOTTOM - PAGE.margin.top - headerHeight
    // The header never stands alone: it starts a page with the first row, or its first lines when
    // the row is taller than a page.
    const firstRowHeight = laidOut[0]?.height ?? 0
    this.ensure(headerHeight + (firstRowHeight <= pageRoom ? firstRowHeight : 3 * STYLE.cell.leading + 2 * CELL_PAD_Y))

    const drawHeader = (tagged: boolean): void => {
      if (header === null) return
      const top = this.y
      this.artifact(() => {
        doc.save().rect(left, top, width, header.height).fill(COLOUR.headerFill).restore()
        doc
          .save()
          .moveTo(left, top + header.height)
          .lineTo(left + width, top + header.height)
          .lineWidth(0.8)
          .stroke(COLOUR.accent)
          .restore()
      })
      if (tagged) {
        const head = this.element('THead', {}, table)
        const row = this.element('TR', {}, head)
        header.cells.forEach((cell, c) => {
          const th = this.element('TH', { scope: 'Column' }, row)
          const content = doc.markStructureContent('TH')
          this.drawCellLines(cell, 0, cell.lines.length, xs[c]!, ws[c]!, top)
          doc.endMarkedContent()
          th.add(content)
          th.end()
        })
        row.end()
        head.end()
      } else {
        doc.markContent('Artifact', { type: 'Pagination' })
        header.cells.forEach((cell, c) => {
          this.drawCellLines(cell, 0, cell.lines.length, xs[c]!, ws[c]!, top)
        })
        doc.endMarkedContent()
      }
      this.y = top + header.height
      this.blankPage = false
    }

    const newPage = (): void => {
      this.addPage()
      drawHeader(false)
    }

    drawHeader(true)
    const body = this.element('TBody', {}, table)
    laidOut.forEach((row, r) => {
      if (row.height > this.spaceLeft && row.height <= pageRoom) newPage()
      const tr = this.element('TR', {}, body)
      const cellElements = row.cells.map((_, c) =>
        this.element(options.rowHeaders === true && c === 0 ? 'TH' : 'TD', options.rowHeaders === true && c === 0 ? { scope: 'Row' } : {}, tr),
      )
      const from = row.cells.map(() => 0)
      for (;;) {
        const top = this.y
        const room = BOTTOM - top - 2 * CELL_PAD_Y
        // How many lines of each cell fit on this page.
        const to = row.cells.map((cell, c) => {
          let used = 0
          let i = from[c]!
          while (i < cell.lines.length && used + cell.lines[i]!.height <= room) used += cell.lines[i++]!.height
          return i
        })
        const rest = Math.max(...row.cells.map((cell, c) => heightOf(cell.lines.slice(from[c]!))))
        const continued = from.some((line) => line > 0)
        const done = rest <= room && (continued || row.height <= BOTTOM - top)
        // A row split across pages fills the rest of each page but the last.
        const drawnHeight = !done ? BOTTOM - top : continued ? rest + 2 * CELL_PAD_Y : row.height
        if (!done && to.every((end, c) => end === from[c])) {
          newPage()
          continue
        }
        this.artifact(() => {
          if (options.zebra === true && r % 2 === 1) doc.save().rect(left, top, width, drawnHeight).fill(COLOUR.faint).restore()
          if (row.total)
            doc
              .save()
              .moveTo(left, top)
              .lineTo(left + width, top)
              .lineWidth(0.8)
              .stroke(COLOUR.ink)
              .restore()
          doc
            .save()
            .moveTo(left, top + drawnHeight)
            .lineTo(left + width, top + drawnHeight)
            .lineWidth(0.3)
            .stroke(COLOUR.rule)
            .restore()
        })
        row.cells.forEach((cell, c) => {
          if (to[c] === from[c]) return
          const tag = options.rowHeaders === true && c === 0 ? 'TH' : 'TD'
          const content = doc.markStructureContent(tag)
          this.drawCellLines(cell, from[c]!, to[c]!, xs[c]!, ws[c]!, top)
          doc.endMarkedContent()
          cellElements[c]!.add(content)
        })
        this.y = top + drawnHeight
        this.blankPage = false
        if (done) break
        row.cells.forEach((_, c) => {
          from[c] = to[c]!
        })
        newPage()
      }
      for (const element of cellElements) element.end()
      tr.end()
    })
    body.end()
    table.end()
    this.moveDown(8)
  }

  /** The header style, set smaller when a word of the header is wider than its column: a header word is never broken. */
  private headerStyle(header: string, width: number): TextStyle {
    const style = STYLE.cellHeader
    let widest = 0
    for (const word of header.split(/\s+/)) widest = Math.max(widest, this.measure(word, style.font) * style.size)
    if (widest <= width - 1.5) return style
    return this.resized(style, (style.size * (width - 1.5)) / widest)
  }

  private readonly resizedStyles = new Map<string, TextStyle>()

  /** A style at a smaller size (no smaller than 5 points), the same object for the same size so layouts stay cached. */
  private resized(style: TextStyle, size: number): TextStyle {
    const rounded = Math.max(5, Math.floor(size * 20) / 20)
    const key = `${style.font}|${style.color}|${style.size}|${rounded}`
    let resized = this.resizedStyles.get(key)
    if (resized === undefined) {
      resized = { ...style, size: rounded }
      this.resizedStyles.set(key, resized)
    }
    return resized
  }

  private drawCellLines(cell: LaidOutCell, from: number, to: number, x: number, width: number, top: number): void {
    let y = top + CELL_PAD_Y
    for (let i = from; i < to; i++) {
      const line = cell.lines[i]!
      this.drawLine(line, x + CELL_PAD_X + cell.indent, y, width - 2 * CELL_PAD_X - cell.indent, cell.align)
      y += line.height
    }
  }

  // -------------------------------------------------------------------------------------------
  // Figures

  /** A figure of a known height, drawn by `draw` at (x, y) across the content width; `alt` says in words what it shows. */
  figure(height: number, alt: string, draw: (x: number, y: number, width: number) => void): void {
    this.ensure(height)
    const top = this.y
    const element = this.element('Figure', { alt, bbox: [PAGE.margin.left, top, PAGE.margin.left + CONTENT_WIDTH, top + height], placement: 'Block' })
    const content = this.doc.markStructureContent('Figure')
    draw(PAGE.margin.left, top, CONTENT_WIDTH)
    this.doc.endMarkedContent()
    element.add(content)
    element.end()
    this.y = top + height
    this.blankPage = false
    this.moveDown(10)
  }

  /** Draws lines inside a figure (already within its marked content); the caller has sized them. Returns their height. */
  figureText(lines: readonly Line[], x: number, y: number, width: number, align: 'left' | 'right' | 'center' = 'left'): number {
    let top = y
    for (const line of lines) {
      this.drawLine(line, x, top, width, align)
      top += line.height
    }
    return top - y
  }

  // -------------------------------------------------------------------------------------------
  // The end

  /** Writes the contents, the running header and footer on every page, and the file. */
  async finish(): Promise<Buffer> {
    this.writeContents()
    const doc = this.doc
    const range = doc.bufferedPageRange()
    for (let i = range.start; i < range.start + range.count; i++) {
      this.switchToPage(i)
      doc.markContent('Artifact', { type: 'Pagination' })
      if (i > range.start) {
        const statusLines = this.lines(this.options.statusText, 200, this.options.draft ? STYLE.furnitureStatus : STYLE.furnitureFinal)
        const statusWidth = Math.max(...statusLines.map((line) => line.width))
        const headerWidth = CONTENT_WIDTH - statusWidth - 16
        const header = this.lines(this.options.headerText, headerWidth, STYLE.furniture)
        const shown = header.length > 1 ? this.lines(ellipsis(this.options.headerText, headerWidth, this.measure), headerWidth, STYLE.furniture) : header
        this.drawLine(shown[0]!, PAGE.margin.left, PAGE.edge + 6, headerWidth)
        this.drawLine(statusLines[0]!, PAGE.margin.left + CONTENT_WIDTH - statusWidth, PAGE.edge + 6, statusWidth)
        doc
          .save()
          .moveTo(PAGE.margin.left, PAGE.edge + 20)
          .lineTo(PAGE.margin.left + CONTENT_WIDTH, PAGE.edge + 20)
          .lineWidth(0.4)
          .stroke(COLOUR.rule)
          .restore()
      }
      const footerY = PAGE.height - PAGE.edge - 14
      doc
        .save()
        .moveTo(PAGE.margin.left, footerY - 4)
        .lineTo(PAGE.margin.left + CONTENT_WIDTH, footerY - 4)
        .lineWidth(0.4)
        .stroke(COLOUR.rule)
        .restore()
      const pageText = `Page ${i - range.start + 1} of ${range.count}`
      const pageLine = this.lines(pageText, 120, STYLE.furniture)[0]!
      let footerLeft = PAGE.margin.left
      let footerWidth = CONTENT_WIDTH - pageLine.width - 16
      if (this.options.draft) {
        // The status at the foot of every page too, where a photocopied page keeps it.
        const draftLine = this.lines('DRAFT', 60, STYLE.furnitureStatus)[0]!
        this.drawLine(draftLine, footerLeft, footerY, draftLine.width)
        footerLeft += draftLine.width + 8
        footerWidth -= draftLine.width + 8
      }
      const footer = this.lines(ellipsis(this.options.footerText, footerWidth, this.measure), footerWidth, STYLE.furniture)
      this.drawLine(footer[0]!, footerLeft, footerY, footerWidth)
      this.drawLine(pageLine, PAGE.margin.left + CONTENT_WIDTH - pageLine.width, footerY, pageLine.width)
      doc.endMarkedContent()
    }
    this.root.end()
    for (const [page, operators] of this.content) page.write(Buffer.from(`${operators.join('\n')}\n`, 'latin1'))
    this.content.clear()
    doc.end()
    return this.finished
  }
}

/** Cuts text to fit one line of the furniture style, ending with an ellipsis. */
function ellipsis(text: string, width: number, measure: (text: string, font: FontName) => number): string {
  const size = STYLE.furniture.size
  const fits = (candidate: string): boolean => measure(candidate, STYLE.furniture.font) * size <= width - 2
  if (fits(text)) return text
  let low = 0
  let high = text.length
  while (low < high) {
    const middle = Math.ceil((low + high) / 2)
    if (fits(`${text.slice(0, middle).trimEnd()}…`)) low = middle
    else high = middle - 1
  }
  return `${text.slice(0, low).trimEnd()}…`
}
