import { checkNoteScores, declarationStanding, scoreSpread, suppliersOf } from '../../appraisal/index.js'
import { body, bold, cell, mutedCell, right, strongCell } from '../cells.js'
import type { ReportContext } from '../context.js'
import { listOf } from '../summary.js'
import { STYLE, type ReportWriter, type TableRow } from '../writer.js'

export function renderPanel(w: ReportWriter, ctx: ReportContext): void {
  const { file } = ctx
  if (file.evaluators.length === 0) {
    w.paragraph('No panel members are recorded: the scores in this evaluation are consensus scores only.')
    return
  }
  // Said only as the record shows it: who has still to submit is named, not glossed over.
  const awaiting = ctx.results.options.filter((option) => option.moderation.awaitingSubmission.length > 0)
  w.paragraph(
    `The panel had ${file.evaluators.length} ${file.evaluators.length === 1 ? 'member' : 'members'}, who scored the options independently before moderation` +
      (awaiting.length === 0
        ? '; every member submitted, or was excused from, every option they score.'
        : `. Not yet submitted: ${listOf(awaiting.map((option) => `${option.name} (${listOf(option.moderation.awaitingSubmission.map(nameOf(ctx)))})`))}.`),
  )
  const rows: TableRow[] = file.evaluators.map((evaluator) => ({
    cells: [
      strongCell(ctx.evaluatorCodes.get(evaluator.id) ?? evaluator.id),
      cell(evaluator.name),
      cell(evaluator.role ?? '—'),
      cell(evaluator.criteria === undefined ? 'All criteria' : listOf(evaluator.criteria.map((id) => ctx.criterionName(id)))),
      cell(submittedText(ctx, evaluator.submitted)),
    ],
  }))
  w.table(
    [
      { header: 'Initials', width: 8 },
      { header: 'Name', width: 20 },
      { header: 'Role', width: 22 },
      { header: 'Criteria assigned', width: 25 },
      { header: 'Scores submitted for', width: 25 },
    ],
    rows,
    { zebra: true, summary: 'The panel' },
  )
}

function nameOf(ctx: ReportContext): (id: string) => string {
  return (id) => ctx.file.evaluators.find((evaluator) => evaluator.id === id)?.name ?? id
}

function submittedText(ctx: ReportContext, submitted: readonly string[] | undefined): string {
  if (submitted === undefined) return '—'
  if (ctx.file.options.every((option) => submitted.includes(option.id))) return 'All options'
  return listOf(submitted.map((id) => ctx.optionName(id)))
}

/** A timestamp from the file as a date, or the text as it is when it is not one. */
function dateText(ctx: ReportContext, value: string): string {
  const date = /^\d{4}-\d{2}-\d{2}/.test(value) ? new Date(value) : null
  return date === null || Number.isNaN(date.getTime()) ? value : ctx.f.date(date)
}

const DECISIONS = {
  proceed: 'Proceed: may score every option',
  restrict: 'Restrict: may score only some options',
  remove: 'Remove from the panel',
} as const

export function renderConflicts(w: ReportWriter, ctx: ReportContext): void {
  const { file } = ctx
  w.paragraph(
    'Everyone who can influence the decision declares any interest in the options or their suppliers before working on the tenders, and again when more suppliers are known (Procurement Act 2023, ss. 81–83). The lead records a decision on each interest a panel member declares, and an assessment and mitigation of each declared by anyone else. An interest that is never addressed can undo an award.',
  )
  renderOtherDeclarations(w, ctx)
  if (file.evaluators.length === 0) {
    w.paragraph('No panel members are recorded.')
    return
  }
  const rows: TableRow[] = file.evaluators.map((evaluator) => {
    const declaration = evaluator.declaration
    if (declaration === undefined) {
      return { cells: [cell(evaluator.name), cell('No declaration recorded', { style: STYLE.cellBad }), mutedCell('—'), mutedCell('—')] }
    }
    const declared = declaration.interest
      ? cell(declaration.supplier === undefined ? 'Interest declared' : `Interest in ${declaration.supplier}`, {
          style: STYLE.cellBold,
          note: declaration.details,
        })
      : cell('No interest declared', { note: declaration.details })
    const allowed = declaration.allowedOptions === undefined ? '' : `May score: ${listOf(declaration.allowedOptions.map((id) => ctx.optionName(id)))}.`
    const decision =
      declaration.decision === undefined
        ? declaration.interest
          ? cell('No decision recorded', { style: STYLE.cellBad })
          : mutedCell('None needed')
        : cell(DECISIONS[declaration.decision], { note: [declaration.decisionNote ?? '', allowed].filter((part) => part !== '').join('\n') })
    const dates = [
      declaration.declaredAt ? `Declared ${dateText(ctx, declaration.declaredAt)}` : '',
      declaration.decidedAt ? `Decided ${dateText(ctx, declaration.decidedAt)}` : '',
    ].filter((part) => part !== '')
    return { cells: [cell(evaluator.name), declared, decision, cell(dates.length === 0 ? '—' : dates.join('\n'))] }
  })
  w.table(
    [
      { header: 'Panel member', width: 20 },
      { header: 'Declaration', width: 30 },
      { header: 'Decision', width: 30 },
      { header: 'When', width: 20 },
    ],
    rows,
    { zebra: true, summary: 'Conflict-of-interest register' },
  )
}

/** Declarations by those who do not score (lead, finance, stakeholders, facilitators, approvers), with the lead's assessment. */
function renderOtherDeclarations(w: ReportWriter, ctx: ReportContext): void {
  const declarations = ctx.file.declarations ?? []
  if (declarations.length === 0) return
  const suppliers = suppliersOf(ctx.file.options)
  w.table(
    [
      { header: 'Person', width: 20 },
      { header: 'Declaration', width: 30 },
      { header: 'Assessment and mitigation', width: 30 },
      { header: 'When', width: 20 },
    ],
    declarations.map((d) => {
      const standing = declarationStanding(d, suppliers)
      const declared = d.interest ? cell(`Interest in ${d.supplier ?? 'a supplier'}`, { style: STYLE.cellBold, note: d.details }) : cell('No interest declared')
      const assessed = !d.interest
        ? mutedCell('None needed')
        : d.assessment === undefined
          ? cell('Not assessed', { style: STYLE.cellBad })
          : cell(d.assessment, { note: d.mitigation === undefined ? undefined : `Mitigation: ${d.mitigation}` })
      const dates = [
        d.declaredAt ? `Declared ${dateText(ctx, d.declaredAt)}` : '',
        standing.state === 'renew'
          ? `To renew: made before ${listOf([...standing.newSuppliers])} ${standing.newSuppliers.length === 1 ? 'was' : 'were'} known`
          : '',
        d.assessedAt ? `Assessed ${dateText(ctx, d.assessedAt)}` : '',
      ].filter((part) => part !== '')
      return { cells: [cell(d.name, { note: d.roles.join(', ') }), declared, assessed, cell(dates.length === 0 ? '—' : dates.join('\n'))] }
    }),
    { zebra: true, summary: 'Declarations of interest by those who do not score' },
  )
}

interface ModerationCase {
  readonly criterion: string
  readonly criterionId: string
  readonly option: string
  readonly optionId: string
  readonly spread: number
  readonly needsDiscussion: boolean
  readonly consensus: number | undefined
  readonly note: string
  readonly outsideRange: boolean
}

/** Beyond this many, the pairs that needed discussion are summarised by criterion (each is in section 5.4). */
const MOST_CASES_LISTED = 40

/** Individual scores against the consensus: how far apart the panel was, and what it agreed. */
export function renderModeration(w: ReportWriter, ctx: ReportContext): void {
  const { file, f } = ctx
  const tolerance = file.panel.tolerance
  let scored = 0
  let within = 0
  let agreed = 0
  let accepted = 0
  let withoutConsensus = 0
  const cases: ModerationCase[] = []
  const criteria = ctx.weights.nodes.filter((node) => node.role === 'scored' || node.role === 'gate')
  for (const criterion of criteria) {
    for (const option of file.options) {
      const scores = ctx.individualScores(criterion.id, option.id)
      const consensus = ctx.consensus(criterion.id, option.id)
      if (consensus !== undefined) agreed++
      if (consensus?.acceptedWithinTolerance === true) accepted++
      const spread = scoreSpread(
        scores.map((score) => score.score),
        tolerance,
      )
      if (spread === null) continue
      scored++
      if (spread.withinTolerance) within++
      if (consensus === undefined) withoutConsensus++
      const outsideRange = consensus !== undefined && (consensus.score < spread.min || consensus.score > spread.max)
      if (spread.withinTolerance && !outsideRange) continue
      cases.push({
        criterion: criterion.name,
        criterionId: criterion.id,
        option: option.name,
        optionId: option.id,
        spread: spread.range,
        needsDiscussion: !spread.withinTolerance,
        consensus: consensus?.score,
        note: consensus?.rationale?.trim() ?? '',
        outsideRange,
      })
    }
  }
  const pairs = criteria.length * file.options.length
  renderModerationState(w, ctx)
  w.paragraph(
    `The panel scored independently, then agreed one moderated score for each criterion and option with its reasons. Scores more than ${f.scaleScore(tolerance)} ${tolerance === 1 ? 'point' : 'points'} apart (the evaluation’s tolerance) needed discussion. ` +
      'Every individual score, the score used and the moderation note of each pair are in sections 5.3 (gates) and 5.4.',
  )
  w.bullets([
    `Individual scores: ${f.count(scored)} of the ${f.count(pairs)} pairs of criterion and option (gates included). The panel was within the tolerance on ${f.count(within)} of them; ${f.count(scored - within)} needed discussion.`,
    `Moderated consensus scores: ${f.count(agreed)}, of which ${f.count(accepted)} were accepted within tolerance as the rounded median of the submitted scores.`,
    withoutConsensus === 0
      ? 'Every pair with individual scores has a consensus score.'
      : `Individual scores but no consensus: ${f.count(withoutConsensus)} ${withoutConsensus === 1 ? 'pair' : 'pairs'}, where the mean of the individual scores was used.`,
  ])
  w.heading(4, '', 'Scores that needed discussion')
  if (cases.length === 0) {
    w.paragraph('None: every moderated score lies within the tolerance and within the range of the panel’s individual scores.')
    return
  }
  if (cases.length <= MOST_CASES_LISTED) {
    renderCases(w, ctx, cases)
    return
  }
  renderCasesByCriterion(w, ctx, cases)
  const outside = cases.filter((entry) => entry.outsideRange)
  if (outside.length > 0) {
    w.heading(4, '', 'Consensus outside the range of the individual scores')
    renderCases(w, ctx, outside)
  }
}

/**
 * Where moderation stands, from the records: per option who has still to submit, who was excused
 * and why, what is not moderated, who has still to confirm, and each dissent; then the meetings.
 */
function renderModerationState(w: ReportWriter, ctx: ReportContext): void {
  const { file, f } = ctx
  const name = nameOf(ctx)
  const excuses = file.evaluators.flatMap((evaluator) => (evaluator.excused ?? []).map((x) => ({ evaluator, ...x })))
  const responses = file.evaluators.flatMap((evaluator) => (evaluator.confirmations ?? []).map((x) => ({ evaluator, ...x })))
  w.paragraph(
    ctx.results.moderated
      ? 'Moderation is complete: every option has a consensus on every criterion, every panel member submitted or was excused with a reason, and every member confirmed each consensus or recorded a dissent.'
      : 'Moderation is not complete. For each option, what the record still lacks:',
  )
  w.table(
    [
      { header: 'Option', width: 18 },
      { header: 'Not submitted', width: 18 },
      { header: 'Excused', width: 22 },
      { header: 'Not moderated', width: 12, align: 'right' },
      { header: 'Not confirmed', width: 18 },
    ],
    ctx.results.options.map((option) => {
      const state = option.moderation
      const excused = excuses.filter((x) => x.option === option.id)
      return {
        cells: [
          cell(option.name),
          state.awaitingSubmission.length === 0 ? mutedCell('—') : cell(listOf(state.awaitingSubmission.map(name)), { style: STYLE.cellBad }),
          excused.length === 0 ? mutedCell('—') : cell(excused.map((x) => `${x.evaluator.name}: ${x.reason}`).join('\n')),
          state.unmoderated.length === 0 ? right('0') : right(f.count(state.unmoderated.length), { style: STYLE.cellBad }),
          state.awaitingConfirmation.length === 0 ? mutedCell('—') : cell(listOf(state.awaitingConfirmation.map(name))),
        ],
      }
    }),
    { zebra: true, summary: 'Where moderation stands' },
  )
  const dissents = responses.filter((x) => x.dissent !== undefined)
  if (dissents.length > 0) {
    w.heading(4, '', 'Dissents')
    w.bullets(dissents.map((x) => `${x.evaluator.name} dissented from the consensus on ${ctx.optionName(x.option)}: ${x.dissent}`))
  }
  w.heading(4, '', 'Moderation meetings')
  const meetings = file.meetings ?? []
  const unnamed = file.consensus.filter((c) => c.meeting === undefined).length
  if (meetings.length === 0) w.paragraph('No moderation meeting is recorded.')
  else {
    w.table(
      [
        { header: 'Date', width: 12 },
        { header: 'Chair', width: 14 },
        { header: 'Attended', width: 22 },
        { header: 'Discussed', width: 20 },
        { header: 'Notes', width: 32 },
      ],
      meetings.map((meeting) => ({
        cells: [
          cell(meeting.date),
          cell(meeting.chair),
          cell(listOf(meeting.attendees.map(name))),
          cell(listOf([...(meeting.options ?? []).map((id) => ctx.optionName(id)), ...(meeting.criteria ?? []).map((id) => ctx.criterionName(id))]) || '—'),
          meeting.notes === undefined ? mutedCell('—') : cell(meeting.notes),
        ],
      })),
      { zebra: true, summary: 'Moderation meetings' },
    )
  }
  if (unnamed > 0) {
    w.paragraph(`${f.count(unnamed)} consensus ${unnamed === 1 ? 'score names' : 'scores name'} no meeting: recorded before meetings were kept.`)
  }
}

function renderCases(w: ReportWriter, ctx: ReportContext, cases: readonly ModerationCase[]): void {
  const { f } = ctx
  w.paragraph([
    body('Each pair whose individual scores were more than the tolerance apart, or whose consensus lies outside the range of the individual scores ('),
    bold('outside range'),
    body(`), with the moderation note recorded for it. ${ctx.panelScoresKey}`),
  ])
  w.table(
    [
      { header: 'Criterion', width: 18 },
      { header: 'Option', width: 16 },
      { header: 'Panel scores', width: 14 },
      { header: 'Spread', width: 8, align: 'right' },
      { header: 'Consensus', width: 10, align: 'right' },
      { header: 'Moderation note', width: 34 },
    ],
    cases.map((entry) => ({
      cells: [
        cell(entry.criterion),
        cell(entry.option),
        cell(ctx.panelScoresText(entry.criterionId, entry.optionId)),
        right(f.scaleScore(entry.spread)),
        entry.consensus === undefined
          ? right('none', { style: STYLE.cellNote })
          : right(f.scaleScore(entry.consensus), { style: STYLE.cellBold, ...(entry.outsideRange ? { note: 'outside range' } : {}) }),
        entry.note === ''
          ? mutedCell(entry.consensus === undefined ? 'No consensus recorded.' : 'No note recorded.')
          : checkNoteScores(
                entry.note,
                ctx.individualScores(entry.criterionId, entry.optionId).map((s) => s.score),
              ).consistent
            ? cell(entry.note)
            : cell(entry.note, { note: 'The note cites scores the record does not hold: the panel scores beside it are the record.' }),
      ],
    })),
    { summary: 'Moderation record: scores that needed discussion' },
  )
}

/** Where the panel disagreed, criterion by criterion, when there are too many pairs to list one by one. */
function renderCasesByCriterion(w: ReportWriter, ctx: ReportContext, cases: readonly ModerationCase[]): void {
  const { f } = ctx
  const byCriterion = new Map<string, ModerationCase[]>()
  for (const entry of cases) {
    const list = byCriterion.get(entry.criterionId)
    if (list === undefined) byCriterion.set(entry.criterionId, [entry])
    else list.push(entry)
  }
  w.paragraph(
    `${f.count(cases.length)} pairs needed discussion or have a consensus outside the range of the individual scores: too many to list one by one here. For each criterion, the number of options whose scores needed discussion, the widest spread, and the consensus scores outside the panel’s range.`,
  )
  w.table(
    [
      { header: 'Criterion', width: 46 },
      { header: 'Options needing discussion', width: 18, align: 'right' },
      { header: 'Widest spread', width: 14, align: 'right' },
      { header: 'Consensus outside range', width: 18, align: 'right' },
    ],
    [...byCriterion.values()].map((entries) => ({
      cells: [
        cell(entries[0]!.criterion),
        right(f.count(entries.filter((entry) => entry.needsDiscussion).length)),
        right(f.scaleScore(Math.max(...entries.map((entry) => entry.spread)))),
        right(f.count(entries.filter((entry) => entry.outsideRange).length)),
      ],
    })),
    { zebra: true, summary: 'Moderation record by criterion' },
  )
}

export function renderSignOff(w: ReportWriter, ctx: ReportContext): void {
  const { options, file, f } = ctx
  const draft = options.status === 'draft'
  w.paragraph(
    draft
      ? 'This report is a draft and is not for signature. The final report carries the SHA-256 fingerprint of the evaluation file it was made from, so the signed document can be matched to the exact record.'
      : 'By signing, each person confirms that the evaluation was carried out as this report describes, and that its figures are those computed from the evaluation file identified below.',
    draft ? { style: STYLE.bodyBold } : {},
  )
  const rows: TableRow[] = [
    { cells: [strongCell('Senior responsible owner'), '', '', ''] },
    { cells: [strongCell('Chief finance officer'), '', '', ''] },
    { cells: [strongCell('Evaluation lead'), '', '', ''] },
    ...file.evaluators.map((evaluator) => ({ cells: [strongCell('Panel member', { note: evaluator.role }), cell(evaluator.name), '', ''] })),
  ]
  w.table(
    [
      { header: 'Role', width: 26 },
      { header: 'Name', width: 26 },
      { header: 'Signature', width: 30 },
      { header: 'Date', width: 18 },
    ],
    rows,
    { rowHeaders: true, minRowHeight: 34, summary: 'Sign-off' },
  )
  const record: [string, string][] = [
    ['Report status', draft ? 'Draft' : `Final${options.version !== undefined ? `, version ${options.version}` : ''}`],
    ['Evaluation as at', f.date(options.generatedAt)],
    ...(options.finalised === undefined ? [] : [['Finalised', `By ${options.finalised.by} on ${f.date(options.finalised.at)}`] as [string, string]]),
    ['Evaluation file SHA-256', options.fileSha256 ?? (draft ? 'Given in the final report' : 'Not recorded')],
    ['Audit chain head', options.auditChainHead ?? (draft ? 'Given in the final report' : 'Not recorded')],
    ...awardRecordRows(ctx),
  ]
  w.table(
    [
      { header: 'Record', width: 26 },
      { header: 'Value', width: 74 },
    ],
    record.map(([label, value]) => ({ cells: [strongCell(label), cell(value)] })),
    { noHeader: true, rowHeaders: true, summary: 'What this report was made from' },
  )
}

/** The award record, when the file has one: the decision, the standstill period and who was told when. */
function awardRecordRows(ctx: ReportContext): [string, string][] {
  const award = ctx.file.award
  if (award === undefined) return []
  const day = (date: string) => ctx.f.date(new Date(`${date}T12:00:00Z`))
  const rows: [string, string][] = []
  if (award.decisionDate !== undefined) rows.push(['Award decision', day(award.decisionDate)])
  if (award.standstillStart !== undefined || award.standstillEnd !== undefined) {
    rows.push([
      'Standstill period',
      `${award.standstillStart === undefined ? 'Start not set' : day(award.standstillStart)} to ${award.standstillEnd === undefined ? 'end not set' : day(award.standstillEnd)}`,
    ])
  }
  for (const notice of award.notifications ?? []) {
    const option = ctx.file.options.find((o) => o.id === notice.option)
    const how = [notice.to, notice.method].filter((part) => part !== undefined).join(', ')
    rows.push([`Notified: ${option?.supplier ?? option?.name ?? notice.option}`, `${day(notice.date)}${how === '' ? '' : ` (${how})`}`])
  }
  return rows
}
