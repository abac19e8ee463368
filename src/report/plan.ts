// The evaluation plan as a document: the methodology a tender pack includes, stamped with the plan's
// hash. A pure function from an evaluation file to the bytes of a PDF, like the report, built with
// the same writer (tagged, fonts embedded) and the same method sections; the same file and date give
// the same bytes. The command line (`appraise plan`) and the app both call it.

import { computeResults, planHash, priceWorkedExample, type EvaluationFile } from '../appraisal/index.js'
import { formatMoment } from '../format.js'
import { body, bold, cell, italic, right, strongCell } from './cells.js'
import { createContext, type ReportContext } from './context.js'
import { renderCriteria, renderGates, renderScale, renderSplit } from './sections/method.js'
import { CONTENT_WIDTH, ReportWriter, STYLE } from './writer.js'

export interface PlanDocumentOptions {
  /** The date the document is as at: the plan's approval or last change, or (a draft) the evaluation's last change. */
  readonly generatedAt: Date
}

type Render = (w: ReportWriter, ctx: ReportContext, hash: string) => void

const PARTS: readonly { title: string; render: Render }[] = [
  { title: 'The plan and its approval', render: renderApproval },
  { title: 'Criteria and weights', render: (w, ctx) => renderCriteria(w, ctx) },
  { title: 'Gates', render: (w, ctx) => renderGates(w, ctx) },
  { title: 'Scoring scale and descriptors', render: (w, ctx) => renderScale(w, ctx) },
  { title: 'How price is scored', render: renderPrice },
  { title: 'Moderation and ties', render: renderModerationRules },
]

/**
 * The date an approved plan's document is as at: its last version's (the approval, or the last
 * change), so the plan gives the same document however far the evaluation has gone since; undefined
 * for a draft, or a date the file does not give as one.
 */
export function planDate(file: Pick<EvaluationFile, 'plan'>): Date | undefined {
  const plan = file.plan
  if (plan === undefined) return undefined
  const date = new Date(plan.changes.at(-1)?.at ?? plan.approvedAt)
  return Number.isNaN(date.getTime()) ? undefined : date
}

export async function renderPlanDocument(file: EvaluationFile, options: PlanDocumentOptions): Promise<Buffer> {
  const ctx = createContext(file, computeResults(file), { status: 'draft', generatedAt: options.generatedAt })
  const hash = planHash(file)
  const approved = file.plan !== undefined
  const version = approved ? 1 + file.plan!.changes.length : null
  const status = approved ? `Approved plan — version ${version}` : 'DRAFT PLAN — not approved'
  const writer = new ReportWriter({
    title: `${file.title}: evaluation plan${approved ? '' : ' (draft)'}`,
    author: file.organisation,
    subject: 'The evaluation plan: criteria and weights, scale, gates, how price is scored and moderation rules, fixed before tenders are opened',
    keywords: 'evaluation plan, award criteria, weighting, tender evaluation, Procurement Act 2023',
    date: options.generatedAt,
    draft: !approved,
    headerText: file.title,
    statusText: status,
    footerText: [file.organisation, 'Evaluation plan', `SHA-256 ${hash.slice(0, 16)}…`].filter((part) => part !== undefined && part !== '').join(' · '),
  })
  writer.beginSection()
  writer.moveDown(40)
  if (file.organisation !== undefined && file.organisation !== '') writer.paragraph(file.organisation.toUpperCase(), { style: STYLE.bodyBold, after: 8 })
  writer.block(writer.lines(file.title, CONTENT_WIDTH, STYLE.title), { tag: 'H1' })
  writer.moveDown(8)
  writer.paragraph('Evaluation plan: how tenders will be evaluated', { style: STYLE.subtitle, after: 20 })
  writer.paragraph([bold(status), body(`. SHA-256 of the plan: ${hash}`)], { after: 16 })
  writer.endSection()
  writer.reserveContents(PARTS.length)
  PARTS.forEach((part, i) => {
    writer.beginSection()
    writer.heading(1, String(i + 1), part.title)
    part.render(writer, ctx, hash)
    writer.endSection()
  })
  return writer.finish()
}

function renderApproval(w: ReportWriter, ctx: ReportContext, hash: string): void {
  const { plan } = ctx.file
  w.paragraph(
    'This plan sets out how the tenders will be evaluated: the award criteria and their weights, the scale and what each score means, the gates, how price is scored, and how the panel’s scores are moderated. ' +
      'It is fixed before tenders are opened. Its fingerprint is a SHA-256 over the plan’s fields written as canonical JSON (RFC 8785), so that anyone holding the evaluation file can check that the plan evaluated is the plan published.',
  )
  const facts: [string, string][] = [['SHA-256 of this plan', hash]]
  if (plan === undefined) {
    facts.push(['Status', 'Draft: not yet approved by the lead. It may still change, and scoring has not begun.'])
  } else {
    facts.push(['Approved', `${formatMoment(plan.approvedAt)} by ${plan.approvedBy}`])
    facts.push(['Version', `${1 + plan.changes.length}${plan.changes.length === 0 ? ' (no change since approval)' : ''}`])
  }
  w.table(
    [
      { header: 'Item', width: 1 },
      { header: 'Detail', width: 3 },
    ],
    facts.map(([label, value]) => ({ cells: [strongCell(label), cell(value)] })),
    { noHeader: true, rowHeaders: true, summary: 'The plan’s status and fingerprint' },
  )
  if (plan !== undefined && plan.changes.length > 0) {
    w.paragraph('Changes made after approval, each starting a new version of the plan:')
    w.table(
      [
        { header: 'Version', width: 10 },
        { header: 'When and by whom', width: 25 },
        { header: 'Reason', width: 65 },
      ],
      plan.changes.map((change, i) => ({
        cells: [cell(String(i + 2)), cell(`${formatMoment(change.at)}, ${change.by}`), cell(change.reason, { note: `SHA-256 ${change.hash}` })],
      })),
      { zebra: true, summary: 'Changes to the plan after its approval' },
    )
  }
}

function renderPrice(w: ReportWriter, ctx: ReportContext): void {
  renderSplit(w, ctx, 'plan')
  const { file, f } = ctx
  const rows = priceWorkedExample(file)
  w.paragraph([
    bold('Worked example. '),
    body(
      `Three made-up tenders, priced and scored for quality as below, would score under this plan as follows (figures rounded for display; prices are the present value of each tender’s price lines in ${file.currency}).`,
    ),
  ])
  w.table(
    [
      { header: 'Tender', width: 22 },
      { header: 'Price', width: 20, align: 'right' },
      { header: 'Quality', width: 14, align: 'right' },
      { header: 'Price score', width: 16, align: 'right' },
      { header: 'Total', width: 14, align: 'right' },
      { header: 'Rank', width: 14, align: 'right' },
    ],
    rows.map((row) => ({
      cells: [
        strongCell(row.name),
        right(f.money(row.price)),
        right(f.score(row.quality)),
        right(f.score(row.priceScore)),
        right(f.score(row.total)),
        right(String(row.rank)),
      ],
    })),
    { zebra: true, summary: 'A worked example of the price formula' },
  )
  const lowest = rows.reduce((a, b) => (b.price < a.price ? b : a))
  const other = rows.find((row) => row !== lowest)!
  w.paragraph(
    file.priceFormula === 'relative-to-lowest'
      ? [
          body(`For ${other.name}: `),
          italic(`price score = 100 × ${f.money(lowest.price)} ÷ ${f.money(other.price)} = ${f.score(other.priceScore)}`),
          body('; '),
          italic(
            `total = (${file.split.quality} × ${f.score(other.quality)} + ${file.split.cost} × ${f.score(other.priceScore)}) ÷ ${file.split.quality + file.split.cost} = ${f.score(other.total)}`,
          ),
          body('.'),
        ]
      : [
          body(`For ${other.name}: price per quality point = ${f.money(other.price)} ÷ ${f.score(other.quality)}; `),
          italic(`price score = 100 × the lowest price per quality point ÷ its own = ${f.score(other.priceScore)}`),
          body(', which is its total.'),
        ],
  )
}

function renderModerationRules(w: ReportWriter, ctx: ReportContext): void {
  const { file, f } = ctx
  w.bullets([
    `Each evaluator scores each tender on each criterion they are assigned, on their own, with a rationale of at least ${file.panel.minRationale} characters citing the evidence in the tender. Evaluators do not see each other’s scores until they submit.`,
    `Where the individual scores for a criterion are at most ${f.scaleScore(file.panel.tolerance)} ${file.panel.tolerance === 1 ? 'point' : 'points'} apart, the lead may accept the rounded median as the consensus; otherwise the panel discusses the criterion and the lead records a consensus score with its rationale.`,
    'The consensus scores, not the individual ones, give each tender’s quality score. Every score, consensus and change is kept in the audit log.',
    'Panel members declare any interest in a named supplier before they see tender material; the lead decides whether each may proceed, be restricted to some tenders, or be removed.',
  ])
  w.paragraph([
    bold('Ties. '),
    body(
      file.tieBreaker === undefined
        ? 'The plan names no tie-breaker: tenders with equal totals share a rank, and the evaluation cannot be finalised while the preferred tender is tied until a tie-breaker is added to the plan and applied.'
        : `Tenders with equal totals share a rank. Where the preferred tender is tied, the lead applies the plan’s tie-breaker, as a recorded decision: “${file.tieBreaker.trim()}”${/[.!?]$/.test(file.tieBreaker.trim()) ? '' : '.'}`,
    ),
  ])
}
