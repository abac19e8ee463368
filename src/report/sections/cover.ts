import type { ReportContext } from '../context.js'
import { cell, strongCell } from '../cells.js'
import { COLOUR, CONTENT_WIDTH, PAGE, STYLE, type ReportWriter } from '../writer.js'
import { heightOf } from '../text-layout.js'

/** The cover: title, organisation, status, version and date. */
export function renderCover(w: ReportWriter, ctx: ReportContext): void {
  const { file, options, f } = ctx
  const draft = options.status === 'draft'
  w.beginSection()
  w.moveDown(70)
  if (file.organisation !== undefined && file.organisation !== '')
    w.paragraph(file.organisation.toUpperCase(), { style: { ...STYLE.bodyBold, color: COLOUR.muted }, after: 10 })
  w.block(w.lines(file.title, CONTENT_WIDTH, STYLE.title), { tag: 'H1' })
  w.moveDown(8)
  w.paragraph('Options appraisal report', { style: STYLE.subtitle, after: 30 })

  // The status, in a box that cannot be missed.
  const statusTitle = draft ? 'DRAFT — not for decision' : `FINAL${options.version !== undefined ? ` — version ${options.version}` : ''}`
  const statusText = draft
    ? `This report shows the evaluation as it stood on ${f.date(options.generatedAt)}. Its figures will change until the evaluation is finalised. Do not sign it or rely on it for a decision.`
    : `This is the final report of the evaluation as it stood on ${f.date(options.generatedAt)}. The sign-off page identifies the evaluation file it was made from.`
  const inner = CONTENT_WIDTH - 24
  const titleLines = w.lines(statusTitle, inner, { ...STYLE.h2, color: draft ? COLOUR.draft : COLOUR.accent })
  const textLines = w.lines(statusText, inner, STYLE.body)
  const boxHeight = heightOf(titleLines) + heightOf(textLines) + 22
  const top = w.y
  w.artifact(() => {
    w.doc
      .save()
      .lineWidth(1.5)
      .rect(PAGE.margin.left, top, CONTENT_WIDTH, boxHeight)
      .stroke(draft ? COLOUR.draft : COLOUR.accent)
      .restore()
  })
  w.y = top + 10
  w.block(titleLines, { x: 12, width: inner })
  w.moveDown(2)
  w.block(textLines, { x: 12, width: inner })
  w.y = top + boxHeight + 30

  const facts: [string, string][] = [
    ['Organisation', file.organisation !== undefined && file.organisation !== '' ? file.organisation : 'Not recorded'],
    ['Status', draft ? 'Draft' : 'Final'],
    ['Version', options.version !== undefined ? String(options.version) : draft ? 'Draft (not versioned)' : 'Not recorded'],
    ['As at', f.date(options.generatedAt)],
    [
      'Appraisal period',
      `${file.appraisal.years} years, ${file.appraisal.baseYear} to ${file.appraisal.baseYear + file.appraisal.years - 1}, in real ${file.appraisal.baseYear} prices`,
    ],
    ['Options appraised', `${file.options.length}, against ${ctx.weights.scoredLeaves.length} scored criteria and ${ctx.weights.gates.length} gates`],
  ]
  w.table(
    [
      { header: 'Item', width: 1 },
      { header: 'Detail', width: 3 },
    ],
    facts.map(([label, value]) => ({ cells: [strongCell(label), cell(value)] })),
    { noHeader: true, rowHeaders: true, summary: 'About this report' },
  )
  w.moveDown(20)
  w.paragraph(
    'Prepared with options-appraisal, open-source software. Every figure in this report is computed from the evaluation file by the method in section 4, and can be checked by hand.',
    { style: STYLE.small },
  )
  w.endSection()
}
