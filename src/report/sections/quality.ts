import type { CriterionWeight, OptionResult } from '../../appraisal/index.js'
import { qualityByGroupCharts } from '../charts.js'
import { cell, mutedCell, right, strongCell } from '../cells.js'
import type { ReportContext } from '../context.js'
import { listOf } from '../summary.js'
import { STYLE, type ReportWriter, type TableColumn, type TableRow } from '../writer.js'
import { optionCell } from './summary.js'

/** Columns of options, a few to a table, so that names keep room to wrap. */
const OPTIONS_PER_TABLE = 5

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** What the tender evaluation asks, before its figures. */
export function renderTenderIntro(w: ReportWriter, ctx: ReportContext): void {
  const others = ctx.results.options.filter((option) => !option.tender)
  w.paragraph(
    'Which tender is the most advantageous on the criteria and price basis published in advance (Procurement Act 2023). Only tenders take part, each priced on what the supplier charges.' +
      (others.length === 0
        ? ''
        : ` ${listOf(others.map((option) => option.name))} ${others.length === 1 ? 'is not a tender and is' : 'are not tenders and are'} appraised in the economic case, not ranked here.`),
  )
}

export function renderRanking(w: ReportWriter, ctx: ReportContext): void {
  const { f, results } = ctx
  const rows: TableRow[] = ctx.ranked.map((option) => ({
    cells: [
      option.rank === null ? cell('—') : strongCell(String(option.rank)),
      optionCell(ctx, option),
      right(f.score(option.quality)),
      right(option.priceScore === null ? '—' : f.score(option.priceScore)),
      option.total === null ? right('not ranked', { style: STYLE.cellNote }) : right(f.score(option.total), { style: STYLE.cellBold }),
    ],
  }))
  w.table(
    [
      { header: 'Rank', width: 6 },
      { header: 'Option', width: 52 },
      { header: 'Quality', width: 12, align: 'right' },
      { header: 'Price score', width: 12, align: 'right' },
      { header: 'Total', width: 12, align: 'right' },
    ],
    rows,
    { zebra: true, summary: 'Ranking of the options by total score' },
  )
  const ineligible = results.options.filter((option) => option.tender && !option.eligible)
  if (ineligible.length > 0) {
    w.paragraph(
      `${listOf(ineligible.map((option) => option.name))} ${ineligible.length === 1 ? 'failed a gate and is' : 'failed gates and are'} not ranked; quality is shown for the record.`,
    )
  }
}

const QUALITY_CHART_TEXT =
  'Each bar is an option’s quality out of 100, divided into what each group of criteria contributes (its score times its share of quality). The tables give each group’s own score out of 100.'

/** The height the heading of 5.2 keeps with: its paragraph and the chart. */
export function qualityByGroupLead(w: ReportWriter, ctx: ReportContext): number {
  return w.heightOf(QUALITY_CHART_TEXT) + (qualityByGroupCharts(w, ctx)[0]?.height ?? 0)
}

export function renderQualityByGroup(w: ReportWriter, ctx: ReportContext): void {
  const { f } = ctx
  w.paragraph(QUALITY_CHART_TEXT)
  for (const chart of qualityByGroupCharts(w, ctx)) w.figure(chart.height, chart.alt, chart.draw)
  const groups = ctx.model.topLevel
  for (const options of chunks(ctx.ranked, OPTIONS_PER_TABLE)) {
    const columns: TableColumn[] = [
      { header: 'Group', width: 30 },
      { header: 'Share of quality', width: 10, align: 'right' },
      ...options.map((option) => ({ header: option.name, width: 60 / OPTIONS_PER_TABLE, align: 'right' as const })),
    ]
    const rows: TableRow[] = groups.map((group, g) => ({
      cells: [
        cell(group.name),
        right(f.fraction(group.share, 1)),
        ...options.map((option) => {
          const score = option.groups[g]?.score ?? null
          return score === null ? right('—') : right(f.score(score))
        }),
      ],
    }))
    rows.push({ cells: [cell('Quality (weighted)'), right('100%'), ...options.map((option) => right(f.score(option.quality)))], total: true })
    w.table(columns, rows, { zebra: true, summary: 'Score of each group of criteria, out of 100, for each option' })
  }
}

function panelScores(ctx: ReportContext, criterion: string, option: string): string {
  return ctx.panelScoresText(criterion, option)
}

/**
 * The tender documents the panel's scores cite as evidence, as text that traces each: its name, the
 * pages cited, and the start of its SHA-256 ("Cited: Bid volume 2.pdf, pages 4 and 14 (SHA-256 9f86d081884c…)").
 */
export function citedDocuments(ctx: ReportContext, criterion: string, option: string): string {
  const pages = new Map<string, Set<number>>()
  for (const score of ctx.individualScores(criterion, option)) {
    if (score.evidenceDocument === undefined) continue
    const cited = pages.get(score.evidenceDocument) ?? new Set<number>()
    if (score.evidencePage !== undefined) cited.add(score.evidencePage)
    pages.set(score.evidenceDocument, cited)
  }
  if (pages.size === 0) return ''
  const documents = new Map((ctx.file.tender?.documents ?? []).map((d) => [d.id, d]))
  const each = [...pages].map(([id, cited]) => {
    const document = documents.get(id)
    const numbers = [...cited].sort((a, b) => a - b).map(String)
    const where = numbers.length === 0 ? '' : `, ${numbers.length === 1 ? 'page' : 'pages'} ${listOf(numbers)}`
    return `${document?.name ?? id}${where} (SHA-256 ${document?.sha256.slice(0, 12) ?? '?'}…)`
  })
  return `Cited by the panel: ${each.join('; ')}`
}

function rationaleCell(ctx: ReportContext, criterion: string, option: string) {
  const consensus = ctx.consensus(criterion, option)
  const cited = citedDocuments(ctx, criterion, option)
  if (consensus === undefined) {
    if (ctx.individualScores(criterion, option).length === 0) return mutedCell('Not scored.')
    return cited === '' ? mutedCell('No consensus recorded.') : cell('No consensus recorded.', { style: STYLE.cellNote, note: cited })
  }
  const rationale = consensus.rationale?.trim() ?? ''
  const notes = [
    consensus.evidence ? `Evidence: ${consensus.evidence}` : '',
    cited,
    consensus.acceptedWithinTolerance ? 'Accepted within tolerance (rounded median of the panel’s scores).' : '',
  ]
    .filter((note) => note !== '')
    .join('\n')
  return cell(rationale === '' ? 'No rationale recorded.' : rationale, { ...(rationale === '' ? { style: STYLE.cellNote } : {}), note: notes })
}

export function renderGateOutcomes(w: ReportWriter, ctx: ReportContext): void {
  const gates = ctx.weights.gates
  if (gates.length === 0) {
    w.paragraph('This evaluation has no gates, so every option is eligible.')
    return
  }
  const { model } = ctx
  const failed = ctx.results.options.filter((option) => option.failedGates.length > 0)
  w.paragraph(
    (failed.length === 0
      ? 'Every option passed every gate that was scored. '
      : `${listOf(failed.map((option) => option.name))} failed at least one gate and ${failed.length === 1 ? 'is' : 'are'} not eligible. `) +
      ctx.panelScoresKey,
  )
  gates.forEach((gate, g) => {
    w.heading(4, '', gate.name)
    const rows: TableRow[] = ctx.results.options.map((option, o) => {
      const resolved = model.gateScores.resolved[o * gates.length + g]!
      const outcome = option.failedGates.includes(gate.id)
        ? cell('Fail', { style: STYLE.cellBad })
        : !Number.isNaN(resolved)
          ? cell('Pass', { style: STYLE.cellGood })
          : cell('Not scored', { style: STYLE.cellNote, note: 'Not applied' })
      return { cells: [cell(option.name), outcome, cell(panelScores(ctx, gate.id, option.id)), rationaleCell(ctx, gate.id, option.id)] }
    })
    w.table(
      [
        { header: 'Option', width: 24 },
        { header: 'Outcome', width: 11 },
        { header: 'Panel scores', width: 15 },
        { header: 'Consensus rationale', width: 50 },
      ],
      rows,
      { summary: `Outcome of the gate ${gate.name} for each option` },
    )
  })
}

function scoreUsedCell(ctx: ReportContext, leaf: number, o: number, criterion: string, option: string) {
  const resolved = ctx.model.leafScores.resolved[o * ctx.model.leafIds.length + leaf]!
  if (Number.isNaN(resolved)) return right(ctx.f.scaleScore(ctx.file.scale.min), { style: STYLE.cellBad, note: 'not scored' })
  const source = ctx.consensus(criterion, option) !== undefined ? 'consensus' : 'mean (no consensus)'
  return right(ctx.f.scaleScore(resolved), { style: STYLE.cellBold, note: source })
}

/** Each scored criterion: every panel member's score, the score used, and the consensus rationale. */
export function renderScoresByCriterion(w: ReportWriter, ctx: ReportContext): void {
  const { weights, f } = ctx
  w.paragraph(
    'For each scored criterion: each panel member’s individual score, the score used (the moderated consensus, or the mean of the individual scores where there is none) and the consensus rationale. ' +
      ctx.panelScoresKey,
  )
  const leafIndex = new Map(ctx.model.leafIds.map((id, i) => [id, i]))
  const options: readonly OptionResult[] = ctx.results.options
  let currentTop: string | null = null
  for (const node of weights.nodes) {
    if (node.role !== 'scored') continue
    if (node.topLevelId !== currentTop) {
      currentTop = node.topLevelId
      const top = weights.byId.get(node.topLevelId)
      if (top !== undefined && top.id !== node.id) w.heading(3, '', `${top.name} (${f.fraction(top.effectiveWeight, 1)} of quality)`)
    }
    w.heading(4, '', criterionTitle(ctx, node))
    w.paragraph(weightSentence(ctx, node), { style: STYLE.small, after: 3 })
    const leaf = leafIndex.get(node.id)!
    const rows: TableRow[] = options.map((option, o) => ({
      cells: [
        cell(option.name),
        cell(panelScores(ctx, node.id, option.id)),
        scoreUsedCell(ctx, leaf, o, node.id, option.id),
        rationaleCell(ctx, node.id, option.id),
      ],
    }))
    w.table(
      [
        { header: 'Option', width: 21 },
        { header: 'Panel scores', width: 15 },
        { header: 'Score used', width: 11, align: 'right' },
        { header: 'Consensus rationale', width: 53 },
      ],
      rows,
      { summary: `Scores for ${node.name}` },
    )
  }
}

/** The criterion's name, with the groups between it and its top-level group. */
function criterionTitle(ctx: ReportContext, node: CriterionWeight): string {
  const path: string[] = [node.name]
  let parent = node.parentId === null ? undefined : ctx.weights.byId.get(node.parentId)
  while (parent !== undefined && parent.depth > 0) {
    path.unshift(parent.name)
    parent = parent.parentId === null ? undefined : ctx.weights.byId.get(parent.parentId)
  }
  return path.join(' › ')
}

function weightSentence(ctx: ReportContext, node: CriterionWeight): string {
  const { f } = ctx
  const parent = node.parentId === null ? null : (ctx.weights.byId.get(node.parentId) ?? null)
  return `Effective weight ${f.fraction(node.effectiveWeight, 2)} of quality${parent === null ? '.' : ` (${f.fraction(node.share, 1)} of ${parent.name}).`}`
}
