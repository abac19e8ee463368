// Small builders for runs of text and table cells, so sections read as content, not styling.

import type { Run, TextStyle } from './text-layout.js'
import { STYLE, type CellSpec } from './writer.js'

export const body = (text: string): Run => ({ text, style: STYLE.body })
export const bold = (text: string): Run => ({ text, style: STYLE.bodyBold })
export const italic = (text: string): Run => ({ text, style: STYLE.bodyItalic })

export interface CellOptions {
  readonly style?: TextStyle
  /** Smaller, muted lines under the main text (guidance, a source, a status). */
  readonly note?: string | undefined
  readonly noteStyle?: TextStyle
  readonly align?: 'left' | 'right'
  readonly indent?: number
}

export function cell(text: string, options: CellOptions = {}): CellSpec {
  const runs: Run[] = [{ text, style: options.style ?? STYLE.cell }]
  if (options.note !== undefined && options.note !== '') {
    runs.push({ text: `\n${options.note}`, style: options.noteStyle ?? STYLE.cellNote })
  }
  return {
    runs,
    ...(options.align !== undefined ? { align: options.align } : {}),
    ...(options.indent !== undefined ? { indent: options.indent } : {}),
  }
}

export const right = (text: string, options: Omit<CellOptions, 'align'> = {}): CellSpec => cell(text, { ...options, align: 'right' })
export const strongCell = (text: string, options: Omit<CellOptions, 'style'> = {}): CellSpec => cell(text, { ...options, style: STYLE.cellBold })
export const mutedCell = (text: string): CellSpec => cell(text, { style: STYLE.cellNote })

/** Splits free text into paragraphs at blank lines (single newlines stay within a paragraph). */
export function paragraphsOf(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '')
}
