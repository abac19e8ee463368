// The assessment summary a supplier receives before the contract award notice (Procurement Act 2023,
// s. 50; Procurement Regulations 2024, reg. 31): for its tender, the consensus score and reasons on
// every award criterion beside the preferred tender's, the quality, price score, total and rank of
// both, the price basis and formula, and the standstill period. A pure function from the evaluation
// file and the engine's results to the bytes of a PDF, like the report; it names no other tender.

import { fileSlug } from '../file-slug.js'
import type { AppraisalResults, CriterionWeight, EvaluationFile, OptionEntry, OptionResult } from '../appraisal/index.js'
import { body, bold, cell, italic, mutedCell, paragraphsOf, right, strongCell } from './cells.js'
import { createContext, type ReportContext } from './context.js'
import { citedDocuments } from './sections/quality.js'
import { splitInWords } from './summary.js'
import type { Run } from './text-layout.js'
import { ReportWriter, STYLE, type TableRow } from './writer.js'

export interface AssessmentSummaryOptions {
  /** The date a draft is as at (the file's last change); a final summary is dated by its finalising. */
  readonly generatedAt: Date
}

/** Why no summary can be made for this option of this file, in words; null when one can. */
export function assessmentSummaryProblem(file: EvaluationFile, results: AppraisalResults, optionId: string): string | null {
  const option = file.options.find((o) => o.id === optionId)
  if (option === undefined) return `there is no option "${optionId}" in this evaluation`
  if (!option.tender) {
    return `“${option.name}” is not a tender: assessment summaries go to the suppliers who tendered, and ${option.baseline ? 'business as usual' : 'an option that is not a tender'} has no supplier to send one to`
  }
  if (results.preferred === null) {
    return 'there is no single preferred tender (the leading tenders tie, or none is eligible), so there is no award to summarise'
  }
  return null
}

/** How a tender is named to its supplier: the supplier, with the tender's name. */
export function tenderName(option: Pick<OptionEntry, 'name' | 'supplier'>): string {
  return option.supplier === undefined || option.supplier === option.name ? option.name : `${option.supplier} (${option.name})`
}

/** "replacement-of-the-force-records-assessment-summary-product-a-final.pdf" */
export function assessmentSummaryFileName(title: string, optionId: string, final: boolean): string {
  return `${fileSlug(title, 50) || 'evaluation'}-assessment-summary-${fileSlug(optionId, 60) || 'tender'}-${final ? 'final' : 'draft'}.pdf`
}

export class AssessmentSummaryRefusedError extends Error {}

/**
 * Renders the assessment summary for the tender `optionId`. Final when the file carries
 * `finalised`, otherwise a draft marked DRAFT on every page. The same arguments give the same bytes.
 */
export async function renderAssessmentSummary(
  file: EvaluationFile,
  results: AppraisalResults,
  optionId: string,
  options: AssessmentSummaryOptions,
): Promise<Buffer> {
  const problem = assessmentSummaryProblem(file, results, optionId)
  if (problem !== null) throw new AssessmentSummaryRefusedError(problem)
  const ctx = createContext(file, results, { status: file.finalised === undefined ? 'draft' : 'final', generatedAt: options.generatedAt })
  const entry = file.options.find((o) => o.id === optionId)!
  const preferredEntry = file.options.find((o) => o.id === results.preferred)!
  const tender = ctx.option(optionId)
  const preferred = ctx.option(preferredEntry.id)
  const finalised = file.finalised
  const asAt = finalised === undefined ? options.generatedAt : new Date(finalised.at)
  const addressee = tenderName(entry)
  const writer = new ReportWriter({
    title: `${file.title}: assessment summary for ${addressee}${finalised === undefined ? ' (draft)' : ''}`,
    author: file.organisation,
    subject: 'Assessment summary: the scores and reasons for a tender against the award criteria, beside the preferred tender’s',
    keywords: 'assessment summary, Procurement Act 2023, award criteria, standstill',
    date: asAt,
    draft: finalised === undefined,
    headerText: `Assessment summary for ${addressee}`,
    statusText: finalised === undefined ? 'DRAFT — not to be sent' : `FINAL — version ${finalised.version}`,
    footerText: [file.organisation, `Assessment summary: ${file.title}`, `as at ${ctx.f.date(asAt)}`]
      .filter((part) => part !== undefined && part !== '')
      .join(' · '),
  })
  const summary: Summary = { ctx, entry, preferredEntry, tender, preferred, isPreferred: tender.id === preferred.id, asAt }
  renderOpening(writer, summary)
  const sections: [string, (w: ReportWriter, s: Summary) => void][] = [
    ['The outcome', renderOutcome],
    ['How the tenders were assessed', renderMethod],
    ['Scores and reasons by criterion', renderCriteria],
    ['The standstill period', renderStandstill],
  ]
  sections.forEach(([title, render], i) => {
    writer.beginSection()
    writer.heading(2, String(i + 1), title)
    render(writer, summary)
    writer.endSection()
  })
  return writer.finish()
}

interface Summary {
  readonly ctx: ReportContext
  readonly entry: OptionEntry
  readonly preferredEntry: OptionEntry
  readonly tender: OptionResult
  readonly preferred: OptionResult
  readonly isPreferred: boolean
  readonly asAt: Date
}

/** A calendar date of the file ("2026-12-10") in words, read at noon so no time zone moves the day. */
function calendarDate(s: Summary, date: string): string {
  return s.ctx.f.date(new Date(`${date}T12:00:00Z`))
}

function renderOpening(w: ReportWriter, s: Summary): void {
  const { ctx, entry, isPreferred, preferredEntry } = s
  const { file, f } = ctx
  w.beginSection()
  w.heading(1, '', 'Assessment summary', { contents: false })
  w.paragraph(file.title, { style: STYLE.subtitle, after: 10 })
  const finalised = file.finalised
  const facts: [string, string][] = [
    ['To', tenderName(entry)],
    ...(entry.product === undefined ? [] : [['Tender', entry.product] as [string, string]]),
    ...(file.organisation === undefined ? [] : [['From', file.organisation] as [string, string]]),
    ['Date', f.date(s.asAt)],
    [
      'Evaluation',
      finalised === undefined
        ? 'Draft: the evaluation has not been finalised, so this summary is not to be sent'
        : `Version ${finalised.version}, finalised by ${finalised.by} on ${f.date(new Date(finalised.at))}`,
    ],
    ...(finalised === undefined ? [] : [['Final report SHA-256', finalised.reportSha256] as [string, string]]),
  ]
  w.table(
    [
      { header: 'About', width: 24 },
      { header: 'Detail', width: 76 },
    ],
    facts.map(([label, value]) => ({ cells: [strongCell(label), cell(value)] })),
    { noHeader: true, rowHeaders: true, summary: 'Who this summary is for and the evaluation it comes from' },
  )
  w.moveDown(4)
  w.paragraph(
    'This is the assessment summary of your tender (Procurement Act 2023, section 50, and Procurement Regulations 2024, regulation 31). ' +
      'For each award criterion it gives the score the evaluation panel agreed for your tender and the panel’s reasons, by reference to your tender, ' +
      (isPreferred
        ? 'and your tender’s quality score, price score, total score and rank. Your tender is the preferred tender.'
        : `beside the score and reasons for the preferred tender, submitted by ${tenderName(preferredEntry)}; and the quality score, price score, total score and rank of both tenders. ` +
          'It gives no other supplier’s scores or information.'),
  )
  if (finalised !== undefined) {
    w.paragraph(
      `The scores and reasons are those of the finalised evaluation (version ${finalised.version}). The SHA-256 above identifies the final evaluation report they are taken from, so this summary can be matched to the record of the decision.`,
      { style: STYLE.small },
    )
  }
  w.endSection()
}

function figureCells(s: Summary, option: OptionResult, eligibleCount: number): string[] {
  const { f } = s.ctx
  const failed = option.failedGates.map((id) => s.ctx.criterionName(id))
  return [
    f.score(option.quality),
    option.priceScore === null ? '—' : f.score(option.priceScore),
    option.total === null ? '—' : f.score(option.total),
    option.rank === null ? (failed.length > 0 ? 'Not ranked: failed a gate' : 'Not ranked') : `${option.rank} of ${eligibleCount}`,
    failed.length === 0 ? 'All passed' : `Failed: ${failed.join('; ')}`,
  ]
}

function renderOutcome(w: ReportWriter, s: Summary): void {
  const { ctx, tender, preferred, isPreferred, preferredEntry } = s
  const { f } = ctx
  const eligibleCount = ctx.results.options.filter((option) => option.rank !== null).length
  const labels = [
    'Quality score (out of 100)',
    'Price score (out of 100)',
    'Total score (out of 100)',
    'Rank among the eligible tenders',
    'Gates (pass or fail)',
  ]
  const yours = figureCells(s, tender, eligibleCount)
  const theirs = figureCells(s, preferred, eligibleCount)
  if (isPreferred) {
    w.paragraph([
      bold('Your tender is the preferred tender: '),
      body(`it ranks first of ${eligibleCount} eligible ${eligibleCount === 1 ? 'tender' : 'tenders'}.`),
    ])
  } else if (tender.rank === null) {
    w.paragraph([
      bold('Your tender is not the preferred tender. '),
      body(
        tender.failedGates.length > 0
          ? 'It did not pass every gate (a pass or fail requirement), so it was not eligible for a price score, a total score or a rank.'
          : 'It was not eligible for a price score, a total score or a rank.',
      ),
    ])
  } else {
    w.paragraph([
      bold('Your tender is not the preferred tender. '),
      body(`It ranks ${tender.rank} of ${eligibleCount} eligible tenders; the preferred tender, submitted by ${tenderName(preferredEntry)}, ranks first.`),
    ])
  }
  const columns = isPreferred
    ? [
        { header: 'Figure', width: 40 },
        { header: 'Your tender', width: 60, align: 'right' as const },
      ]
    : [
        { header: 'Figure', width: 34 },
        { header: 'Your tender', width: 33, align: 'right' as const },
        { header: 'Preferred tender', width: 33, align: 'right' as const },
      ]
  const rows: TableRow[] = labels.map((label, i) => ({
    cells: isPreferred ? [strongCell(label), right(yours[i]!)] : [strongCell(label), right(yours[i]!), right(theirs[i]!)],
  }))
  w.table(columns, rows, {
    rowHeaders: true,
    summary: isPreferred ? 'Your tender’s scores and rank' : 'Your tender’s scores and rank beside the preferred tender’s',
  })
  if (tender.tender && tender.eligible) {
    w.paragraph(
      `Your evaluated price, on which the price score is based, is ${f.moneyInWords(tender.pvPrice)}: the present value of the prices in your tender over the ${ctx.file.appraisal.years}-year evaluation period (section 2).`,
      { style: STYLE.small },
    )
  }
}

function renderMethod(w: ReportWriter, s: Summary): void {
  const { ctx } = s
  const { file, f, weights } = ctx
  const { quality, cost } = file.split
  const scale = file.scale
  const labels = Object.entries(scale.labels ?? {})
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([level, label]) => `${level} ${label}`)
  w.paragraph(
    `Each award criterion was scored from ${scale.min} to ${scale.max}${labels.length > 0 ? ` (${labels.join(', ')})` : ''} by each member of the panel on their own, then agreed at moderation: the scores and reasons below are the agreed (consensus) ones. ` +
      'Gates are pass or fail: a tender that fails one is not eligible. A criterion’s weight is its share of the quality score.',
  )
  if (file.priceFormula === 'relative-to-lowest') {
    w.paragraph([
      bold('Total score. '),
      body(`Quality and price are weighed ${quality} : ${cost} (${splitInWords(ctx)}): `),
      italic(`total = (${quality} × quality + ${cost} × price score) ÷ ${quality + cost}`),
      body('.'),
    ])
    w.paragraph([bold('Price score. '), italic('price score = 100 × the lowest evaluated price among the eligible tenders ÷ your evaluated price'), body('.')])
  } else {
    w.paragraph([
      bold('Total score. '),
      body('The total is the price score, which already weighs price against quality: '),
      italic(
        'price per quality point = evaluated price ÷ quality score; price score = 100 × the lowest price per quality point among the eligible tenders ÷ yours',
      ),
      body('.'),
    ])
  }
  w.paragraph([
    bold('Evaluated price. '),
    body(
      'The present value of the prices in the tender over the evaluation period, discounted at the rates published for the evaluation and without any uplift. ' +
        (file.priceBasis === undefined ? '' : 'What it covers: '),
    ),
    ...(file.priceBasis === undefined ? [] : [body(file.priceBasis)]),
  ])
  const rows: TableRow[] = weights.nodes.map((node) => {
    const group = node.role === 'group' || node.role === 'unscored-group'
    const name = cell(node.name, { ...(group ? { style: STYLE.cellBold } : {}), indent: 10 * node.depth })
    if (node.role === 'gate') return { cells: [name, right('Gate (pass or fail)')] }
    if (node.role === 'unscored-group') return { cells: [name, mutedCell('—')] }
    return { cells: [name, right(f.fraction(node.effectiveWeight, 2), group ? { style: STYLE.cellBold } : {})] }
  })
  w.table(
    [
      { header: 'Award criterion', width: 75 },
      { header: 'Weight (share of quality)', width: 25, align: 'right' },
    ],
    rows,
    { zebra: true, summary: 'The award criteria and their weights' },
  )
}

/** A score on the scale, or a gate's outcome, or a dash where the panel has agreed none. */
function scoreText(s: Summary, node: CriterionWeight, optionId: string): string {
  const consensus = s.ctx.consensus(node.id, optionId)
  if (consensus === undefined) return '—'
  if (node.role === 'gate') return consensus.score >= 1 ? 'Pass' : 'Fail'
  return `${s.ctx.f.scaleScore(consensus.score)} of ${s.ctx.file.scale.max}`
}

/** The consensus reasons (and, for the supplier's own tender, where in its tender the evidence is). */
function reasonsCell(s: Summary, node: CriterionWeight, optionId: string, own: boolean) {
  const consensus = s.ctx.consensus(node.id, optionId)
  if (consensus === undefined) return mutedCell('The panel has not agreed a score for this criterion yet.')
  const reasons = paragraphsOf(consensus.rationale ?? '').join('\n')
  // Only the supplier's own tender: where in it the evidence is, and the documents of it the panel cited.
  const notes = own ? [consensus.evidence === undefined ? '' : `In your tender: ${consensus.evidence}`, citedDocuments(s.ctx, node.id, optionId)] : []
  const note = notes.filter((n) => n !== '').join('\n')
  return cell(reasons === '' ? 'No reasons recorded.' : reasons, note === '' ? {} : { note })
}

function renderCriteria(w: ReportWriter, s: Summary): void {
  const { ctx, tender, preferred, isPreferred } = s
  w.paragraph(
    isPreferred
      ? 'For each award criterion: its weight, the score agreed for your tender and the panel’s reasons.'
      : 'For each award criterion: its weight, the score agreed for your tender and the panel’s reasons, then the same for the preferred tender.',
  )
  const groups = new Map(tender.groups.map((group) => [group.id, group]))
  const preferredGroups = new Map(preferred.groups.map((group) => [group.id, group]))
  for (const node of ctx.weights.nodes) {
    if (node.role === 'group' || node.role === 'unscored-group') {
      const group = groups.get(node.id)
      const theirs = preferredGroups.get(node.id)
      w.heading(node.depth === 0 ? 3 : 4, '', node.name)
      if (group !== undefined && group.score !== null && node.role === 'group') {
        const runs: Run[] = [
          body(`Weight ${ctx.f.fraction(node.effectiveWeight, 1)} of quality. Score for the group, out of 100: your tender ${ctx.f.score(group.score)}`),
        ]
        if (!isPreferred && theirs !== undefined && theirs.score !== null) runs.push(body(`, the preferred tender ${ctx.f.score(theirs.score)}`))
        runs.push(body('.'))
        w.paragraph(runs, { style: STYLE.small, after: 3 })
      }
      continue
    }
    w.heading(4, '', node.name)
    w.paragraph(node.role === 'gate' ? 'Gate: pass or fail.' : `Weight ${ctx.f.fraction(node.effectiveWeight, 2)} of quality.`, {
      style: STYLE.small,
      after: 3,
    })
    const rows: TableRow[] = [{ cells: [strongCell('Your tender'), right(scoreText(s, node, tender.id)), reasonsCell(s, node, tender.id, true)] }]
    if (!isPreferred) rows.push({ cells: [strongCell('Preferred tender'), right(scoreText(s, node, preferred.id)), reasonsCell(s, node, preferred.id, false)] })
    w.table(
      [
        { header: 'Tender', width: 17 },
        { header: 'Score', width: 11, align: 'right' },
        { header: 'Reasons', width: 72 },
      ],
      rows,
      { rowHeaders: true, summary: `Scores and reasons for ${node.name}` },
    )
  }
}

function renderStandstill(w: ReportWriter, s: Summary): void {
  const { ctx, preferredEntry, isPreferred } = s
  const award = ctx.file.award
  const rows: [string, string][] = [
    ['Award decision', award?.decisionDate === undefined ? 'Not yet recorded' : calendarDate(s, award.decisionDate)],
    ['Standstill period begins', award?.standstillStart === undefined ? 'Not yet set' : calendarDate(s, award.standstillStart)],
    ['Standstill period ends', award?.standstillEnd === undefined ? 'Not yet set' : `${calendarDate(s, award.standstillEnd)}, at midnight`],
  ]
  w.paragraph(
    `The contracting authority intends to award the contract to ${isPreferred ? 'you' : tenderName(preferredEntry)}. ` +
      'It will not enter into the contract before the end of the standstill period (Procurement Act 2023, section 51), which begins on the day the contract award notice is published.',
  )
  w.table(
    [
      { header: 'Date', width: 40 },
      { header: 'When', width: 60 },
    ],
    rows.map(([label, value]) => ({ cells: [strongCell(label), cell(value)] })),
    { noHeader: true, rowHeaders: true, summary: 'The award decision and the standstill period' },
  )
  if (award?.standstillEnd === undefined) {
    w.paragraph('The standstill dates will be confirmed with the contract award notice.', { style: STYLE.small })
  }
}
