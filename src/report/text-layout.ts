// Line breaking for the report. pdfkit can wrap text itself, but it adds pages on its own when text
// runs past the bottom margin; the report breaks lines here instead, so that it decides where every
// page ends, can split a long table row across pages, repeats the header, and knows every line's
// width: nothing it draws can run past a margin.

import type { FontName } from './fonts.js'

export interface TextStyle {
  readonly font: FontName
  readonly size: number
  /** Height of a line, in points. */
  readonly leading: number
  readonly color: string
}

/** A piece of text in one style; a paragraph or a cell is a list of runs. */
export interface Run {
  readonly text: string
  readonly style: TextStyle
}

export interface Segment {
  /** The text to draw, with the space that follows it on the line, so extracted text keeps its words apart. */
  readonly text: string
  readonly style: TextStyle
  /** Offset from the start of the line. */
  readonly x: number
  /** Width of the segment's ink (without its trailing space). */
  readonly width: number
}

export interface Line {
  readonly segments: readonly Segment[]
  /** The width the line's ink takes, from its start. */
  readonly width: number
  readonly height: number
}

/** Width of `text` at size 1 in a font. */
export type Measure = (text: string, font: FontName) => number

interface Token {
  readonly text: string
  readonly style: TextStyle
  /** Whitespace came before it. */
  readonly space: boolean
  readonly newline: boolean
}

function tokenise(runs: readonly Run[]): Token[] {
  const tokens: Token[] = []
  let space = false
  for (const run of runs) {
    const text = run.text.replace(/\r\n?/g, '\n')
    for (const match of text.matchAll(/\n|[^\s]+|[^\S\n]+/g)) {
      const piece = match[0]
      if (piece === '\n') {
        tokens.push({ text: '', style: run.style, space: false, newline: true })
        space = false
      } else if (/^\s+$/.test(piece)) {
        space = true
      } else {
        tokens.push({ text: piece, style: run.style, space, newline: false })
        space = false
      }
    }
  }
  return tokens
}

/** Whatever the kerning of a line as drawn, it stays this far inside the width it was broken for. */
const SLACK = 1

/**
 * Breaks runs into lines no wider than `width`: at spaces, at explicit newlines, and inside a word
 * only when the word alone is wider than the line.
 */
export function breakLines(runs: readonly Run[], width: number, measure: Measure): Line[] {
  const tokens = tokenise(runs)
  if (tokens.length === 0) return []
  const limit = Math.max(1, width - SLACK)
  const lines: Line[] = []
  let segments: { text: string; style: TextStyle; x: number; width: number }[] = []
  let x = 0
  let height = 0

  const finish = (style: TextStyle): void => {
    lines.push({ segments, width: x, height: segments.length === 0 ? style.leading : height })
    segments = []
    x = 0
    height = 0
  }
  const place = (text: string, style: TextStyle, space: boolean, textWidth: number): void => {
    const last = segments.at(-1)
    const gap = last !== undefined && space ? measure(' ', last.style.font) * last.style.size : 0
    if (last !== undefined && gap > 0) last.text += ' '
    if (last !== undefined && last.style === style) {
      last.text += text
      last.width += gap + textWidth
    } else {
      segments.push({ text, style, x: x + gap, width: textWidth })
    }
    x += gap + textWidth
    height = Math.max(height, style.leading)
  }

  for (const token of tokens) {
    if (token.newline) {
      finish(token.style)
      continue
    }
    const { style } = token
    const wordWidth = measure(token.text, style.font) * style.size
    const last = segments.at(-1)
    const gap = last !== undefined && token.space ? measure(' ', last.style.font) * last.style.size : 0
    if (last !== undefined && x + gap + wordWidth > limit) finish(style)
    if (wordWidth <= limit) {
      place(token.text, style, segments.length > 0 && token.space, wordWidth)
      continue
    }
    // A word wider than the line (a long reference or URL): break it between characters.
    let chunk = ''
    let chunkWidth = 0
    for (const character of token.text) {
      const characterWidth = measure(character, style.font) * style.size
      if (chunk !== '' && x + chunkWidth + characterWidth > limit) {
        place(chunk, style, false, chunkWidth)
        finish(style)
        chunk = ''
        chunkWidth = 0
      }
      chunk += character
      chunkWidth += characterWidth
    }
    if (chunk !== '') place(chunk, style, segments.length > 0 && token.space, chunkWidth)
  }
  if (segments.length > 0 || tokens.at(-1)?.newline === true) finish(tokens.at(-1)!.style)
  return lines
}

/** The total height of some lines. */
export function heightOf(lines: readonly Line[]): number {
  let height = 0
  for (const line of lines) height += line.height
  return height
}
