import { CHANGE_KINDS, type ChangeCount, type FieldChange, type HistoryEntry, type ScoreChange } from '../../src/db/audit-history.js'
import type { CriterionKind, Evaluation, Option } from '../../src/db/schema.js'
import { AUDITED_TABLES, type AuditedTable } from '../../src/db/audit.js'
import { CHANGE_KIND_WORDS, criterionKindWords, fieldInWords, fieldPosition, recordsInWords } from '../../src/db/audit-words.js'
import { Select } from '../components/form.js'
import { formatCount, formatMoment, formatMoneyAsRecorded, formatNumber, formatPercentAsRecorded, possessive } from '../../src/format.js'
import { Layout } from '../layout.js'
import { judgementSentence } from './weighting.js'
import { EvidenceLink } from '../components/evidence-link.js'
import type { DocumentLinks } from '../../src/routes/document-links.js'

function recordOrder(table: string): number {
  const index = AUDITED_TABLES.indexOf(table as AuditedTable)
  return index === -1 ? AUDITED_TABLES.length : index
}

export interface HistoryNames {
  options: Map<number, string>
  criteria: Map<number, string>
  criterionKinds: Map<number, CriterionKind>
  members: Map<number, string>
  accounts: Map<number, string>
  /** Tender documents a record points at, as links for this reader (src/routes/document-links.ts). */
  documents: DocumentLinks
}

export interface RecordChangeView {
  table: string
  recordId: number
  optionId: number | null
  criterionId: number | null
  memberId: number | null
  status: 'added' | 'changed' | 'removed'
  /** The record's values after the change, or before it if removed. */
  values: Record<string, unknown>
  fields: FieldChange[]
}

export interface HistoryEntryView {
  entry: HistoryEntry
  /** How many records it changed. */
  total: number
  /** Each record it changed; null when there are too many to list, and `counts` stands for them. */
  changes: RecordChangeView[] | null
  counts: ChangeCount[]
}

export interface HistoryPageProps {
  evaluation: Evaluation
  crumbs: { href: string; label: string }[]
  people: { value: string; label: string }[]
  options: Option[]
  /** The filters in force, as form values. */
  chosen: { person?: string; kind?: string; option?: number }
  /** Filters that were not understood and were left out. */
  notices: string[]
  entries: HistoryEntryView[]
  names: HistoryNames
  total: number
  page: number
  pages: number
  pageSize: number
}

function Moment({ iso }: { iso: string }) {
  return <time datetime={iso}>{formatMoment(iso)}</time>
}

function nameOf(names: Map<number, string>, id: unknown, what: string): string {
  return typeof id === 'number' ? (names.get(id) ?? `${what} ${id}`) : what
}

/** One value of a record, in words: a blank, a yes or no, money, a percentage, a name, a moment. */
function formatValue(table: string, column: string, value: unknown, names: HistoryNames, currency: string): string {
  if (value === undefined) return '—'
  if (value === null || value === '') return '(blank)'
  const reads = fieldInWords(table, column).reads
  if (typeof value === 'number') {
    switch (reads) {
      case 'yes-no':
        return value === 1 ? 'Yes' : value === 0 ? 'No' : String(value)
      case 'percent':
        return formatPercentAsRecorded(value)
      case 'money':
        return formatMoneyAsRecorded(value, currency)
      case 'criterion':
        return `“${nameOf(names.criteria, value, 'criterion')}”`
      case 'option':
        return `“${nameOf(names.options, value, 'option')}”`
      case 'panel-member':
        return nameOf(names.members, value, 'panel member')
      case 'account':
        return nameOf(names.accounts, value, 'account')
      case 'document': {
        const document = names.documents.link(value)
        return document === null ? `document ${value}` : `“${document.name}” (SHA-256 ${document.sha256?.slice(0, 12) ?? ''}…)`
      }
      case 'as-is':
        return String(value)
      default:
        return formatNumber(value, 6)
    }
  }
  if (typeof value === 'string') {
    if (reads === 'moment') return formatMoment(value)
    if (reads === 'criteria' || reads === 'judgements') return listInWords(reads, value, names)
    if (reads === 'discount') {
      try {
        const parsed: unknown = JSON.parse(value)
        return typeof parsed === 'string' ? parsed : value
      } catch {
        return value
      }
    }
    return value
  }
  return JSON.stringify(value)
}

/** A list of criteria as their names, or pairwise judgements as sentences; the stored text if it is not what it should be. */
function listInWords(reads: 'criteria' | 'judgements', value: string, names: HistoryNames): string {
  const criterion = (id: unknown) => nameOf(names.criteria, id, 'criterion')
  try {
    const parsed: unknown = JSON.parse(value)
    if (!Array.isArray(parsed)) return value
    if (parsed.length === 0) return '(none)'
    if (reads === 'criteria') return parsed.map((id) => `“${criterion(id)}”`).join(', ')
    return (parsed as { a?: unknown; b?: unknown; value?: unknown }[])
      .map((j) => (typeof j.value === 'number' && j.value > 0 ? `${judgementSentence(criterion(j.a), criterion(j.b), j.value)}.` : JSON.stringify(j)))
      .join(' ')
  } catch {
    return value
  }
}

/** The ids of criteria a list or judgements field refers to, for their names. */
export function criterionIdsIn(reads: 'criteria' | 'judgements', value: unknown): unknown[] {
  if (typeof value !== 'string') return []
  try {
    const parsed: unknown = JSON.parse(value)
    if (!Array.isArray(parsed)) return []
    return reads === 'criteria' ? parsed : (parsed as { a?: unknown; b?: unknown }[]).flatMap((j) => [j?.a, j?.b])
  } catch {
    return []
  }
}

/** The record a change touched, in words: "Individual score of Ann Lee on “Product A”, “Search”". */
export function describeRecord(
  change: Pick<RecordChangeView, 'table' | 'recordId' | 'optionId' | 'criterionId' | 'memberId' | 'values'>,
  names: HistoryNames,
): string {
  const v = change.values
  const option = `“${nameOf(names.options, change.optionId, 'option')}”`
  const criterion = `“${nameOf(names.criteria, change.criterionId, 'criterion')}”`
  const member = nameOf(names.members, change.memberId, 'panel member')
  const text = (key: string) => (typeof v[key] === 'string' ? (v[key] as string) : '')
  switch (change.table) {
    case 'evaluation':
      return 'The evaluation'
    case 'scale_level':
      return `Scale level ${String(v.level ?? change.recordId)}`
    case 'option':
      return `Option ${option}`
    case 'criterion':
      return `${criterionKindWords[text('kind') as CriterionKind] ?? 'Criterion'} ${criterion}`
    case 'criterion_descriptor':
      return `Descriptor of level ${String(v.level ?? '?')} for ${criterion}`
    case 'panel_member':
      return `Panel member ${member}`
    case 'panel_role':
      return `Role “${text('role')}” of ${nameOf(names.accounts, v.account_id, 'account')}`
    case 'panel_member_option':
      return `${member} may score ${option}`
    case 'panel_assignment':
      return `${criterion} assigned to ${member}`
    case 'score_submission':
      return `${possessive(member)} scores for ${option} submitted`
    case 'individual_score':
      return `Individual score of ${member} for ${option} on ${criterion}`
    case 'consensus_score':
      return `Consensus score for ${option} on ${criterion}`
    case 'money_line':
      return `${text('kind') === 'benefit' ? 'Benefit' : 'Cost'} line “${text('label')}” of ${option}`
    case 'sunk_cost':
      return `Sunk cost “${text('label')}” of ${option}`
    case 'score_excuse':
      return `${member} excused from ${option}`
    case 'moderation_meeting':
      return `Moderation meeting of ${text('held_on')}`
    case 'consensus_confirmation':
      return `${member}’s response to the consensus for ${option}`
    case 'weighting_round':
      return `Weighting round of ${v.parent_id === null || v.parent_id === undefined ? 'the top level' : `“${nameOf(names.criteria, v.parent_id, 'criterion')}”`}`
    case 'weighting_participant':
      return `${text('name')} in a weighting round`
    case 'trial':
      return 'The frontline trial'
    case 'trial_task':
      return `Trial task “${text('name')}”`
    case 'trial_session':
      return `Trial session of a ${text('role')} trying ${option}`
    default:
      return `${change.table} ${change.recordId}`
  }
}

const STATUS_TAGS = {
  added: <strong class="tag tag--green">Added</strong>,
  changed: <strong class="tag">Changed</strong>,
  removed: <strong class="tag tag--red">Removed</strong>,
}

function scoreHistoryHref(evaluationId: number, optionId: number, criterionId: number): string {
  return `/evaluations/${evaluationId}/history/scores/${optionId}/${criterionId}`
}

function RecordChanges({ change, names, currency, id }: { change: RecordChangeView; names: HistoryNames; currency: string; id: string }) {
  const title = describeRecord(change, names)
  if (change.fields.length === 0) {
    return (
      <p class="history-change" id={id}>
        {title} {STATUS_TAGS[change.status]}
        {change.status === 'changed' && <span class="hint"> saved again, with no change to what it says</span>}
      </p>
    )
  }
  const fields = [...change.fields].sort((x, y) => fieldPosition(change.table, x.column) - fieldPosition(change.table, y.column))
  return (
    <table class="table history-change" id={id}>
      <caption>
        {title} {STATUS_TAGS[change.status]}
      </caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {fields.map((field) => (
          <tr>
            <th scope="row">{fieldInWords(change.table, field.column).words}</th>
            <td>{formatValue(change.table, field.column, field.before, names, currency)}</td>
            <td>{formatValue(change.table, field.column, field.after, names, currency)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function ChangeCounts({ view, id }: { view: HistoryEntryView; id: string }) {
  return (
    <table class="table history-change" id={id}>
      <caption>{formatCount(view.total)} records changed, too many to list: how many of each kind</caption>
      <thead>
        <tr>
          <th scope="col">Kind of record</th>
          <th scope="col" class="numeric">
            Added
          </th>
          <th scope="col" class="numeric">
            Changed
          </th>
          <th scope="col" class="numeric">
            Removed
          </th>
        </tr>
      </thead>
      <tbody>
        {[...view.counts]
          .sort((x, y) => recordOrder(x.table) - recordOrder(y.table))
          .map((count) => (
            <tr>
              <th scope="row">{recordsInWords(count.table)}</th>
              <td class="numeric">{formatCount(count.added)}</td>
              <td class="numeric">{formatCount(count.changed)}</td>
              <td class="numeric">{formatCount(count.removed)}</td>
            </tr>
          ))}
      </tbody>
    </table>
  )
}

/** The scores an entry touched, each (option, criterion) once, to link to their histories. */
function scoresTouched(view: HistoryEntryView): { optionId: number; criterionId: number }[] {
  const pairs = new Map<string, { optionId: number; criterionId: number }>()
  const { entry } = view
  if ((entry.kind === 'score' || entry.kind === 'consensus') && entry.option_id !== null && entry.criterion_id !== null) {
    pairs.set(`${entry.option_id}:${entry.criterion_id}`, { optionId: entry.option_id, criterionId: entry.criterion_id })
  }
  for (const change of view.changes ?? []) {
    if ((change.table === 'individual_score' || change.table === 'consensus_score') && change.optionId !== null && change.criterionId !== null) {
      pairs.set(`${change.optionId}:${change.criterionId}`, { optionId: change.optionId, criterionId: change.criterionId })
    }
  }
  return [...pairs.values()]
}

function Entry({ view, evaluation, names }: { view: HistoryEntryView; evaluation: Evaluation; names: HistoryNames }) {
  const { entry } = view
  const id = `entry-${entry.seq}`
  const scores = scoresTouched(view)
  return (
    <section class="history-entry" id={id} aria-labelledby={`${id}-title`}>
      <h2 class="history-entry__title" id={`${id}-title`}>
        <span class="history-entry__seq">Entry {entry.seq}:</span> {entry.summary}
      </h2>
      <dl class="summary-list history-entry__facts">
        <div class="summary-list__row">
          <dt>When</dt>
          <dd>
            <Moment iso={entry.at} />
          </dd>
        </div>
        <div class="summary-list__row">
          <dt>Who</dt>
          <dd>{entry.actor_name}</dd>
        </div>
        <div class="summary-list__row">
          <dt>Kind of change</dt>
          <dd>{CHANGE_KIND_WORDS[entry.kind] ?? entry.kind}</dd>
        </div>
        {entry.reason !== null && (
          <div class="summary-list__row">
            <dt>Reason</dt>
            <dd>{entry.reason}</dd>
          </div>
        )}
        <div class="summary-list__row">
          <dt>Version</dt>
          <dd>{entry.evaluation_version}</dd>
        </div>
        <div class="summary-list__row">
          <dt>Hash</dt>
          <dd>
            <code class="history-hash" title={entry.hash}>
              {entry.hash.slice(0, 12)}
            </code>
          </dd>
        </div>
      </dl>
      {view.changes === null ? (
        <ChangeCounts view={view} id={`${id}-counts`} />
      ) : view.changes.length === 0 ? (
        <p class="hint">No record changed: this entry records the event itself.</p>
      ) : (
        view.changes.map((change, index) => <RecordChanges change={change} names={names} currency={evaluation.currency} id={`${id}-change-${index + 1}`} />)
      )}
      {scores.length > 0 && (
        <ul class="list history-entry__links">
          {scores.map((s) => (
            <li>
              <a href={scoreHistoryHref(evaluation.id, s.optionId, s.criterionId)}>
                History of the scores for “{nameOf(names.options, s.optionId, 'option')}” on “{nameOf(names.criteria, s.criterionId, 'criterion')}”
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

function historyHref(evaluationId: number, chosen: HistoryPageProps['chosen'], page: number): string {
  const query = new URLSearchParams()
  if (chosen.person !== undefined) query.set('person', chosen.person)
  if (chosen.kind !== undefined) query.set('kind', chosen.kind)
  if (chosen.option !== undefined) query.set('option', String(chosen.option))
  if (page > 1) query.set('page', String(page))
  const text = query.toString()
  return `/evaluations/${evaluationId}/history${text === '' ? '' : `?${text}`}`
}

export function HistoryPage(props: HistoryPageProps) {
  const { evaluation, chosen, page, pages, total, pageSize } = props
  const filtered = chosen.person !== undefined || chosen.kind !== undefined || chosen.option !== undefined
  const first = (page - 1) * pageSize + 1
  const last = first + props.entries.length - 1
  return (
    <Layout title={`History – ${evaluation.title}`} crumbs={props.crumbs}>
      <span class="caption">{evaluation.title}</span>
      <h1>History of changes</h1>
      <p>
        Every change made to this evaluation, newest first: who made it, when, and each record before and after. Each entry is chained to the one before by its
        hash; the first 12 characters are shown here to compare with a printed report.
      </p>
      {props.notices.length > 0 && (
        <div class="notice notice--warning" role="status" id="history-notices">
          {props.notices.map((notice) => (
            <p>{notice}</p>
          ))}
        </div>
      )}

      <form method="get" action={`/evaluations/${evaluation.id}/history`} class="history-filters" id="history-filters">
        <fieldset class="fieldset">
          <legend class="fieldset__legend">Show only</legend>
          <div class="inline-fields">
            <Select name="person" idPrefix="history" label="Person" value={chosen.person ?? ''} options={[{ value: '', label: 'Everyone' }, ...props.people]} />
            <Select
              name="kind"
              idPrefix="history"
              label="Kind of change"
              value={chosen.kind ?? ''}
              options={[{ value: '', label: 'Every kind' }, ...CHANGE_KINDS.map((kind) => ({ value: kind, label: CHANGE_KIND_WORDS[kind] }))]}
            />
            <Select
              name="option"
              idPrefix="history"
              label="Option"
              value={chosen.option === undefined ? '' : String(chosen.option)}
              options={[{ value: '', label: 'Every option' }, ...props.options.map((o) => ({ value: String(o.id), label: o.name }))]}
            />
          </div>
          <div class="button-group">
            <button class="button button--secondary" type="submit">
              Show changes
            </button>
            {filtered && <a href={`/evaluations/${evaluation.id}/history`}>Clear the filters</a>}
          </div>
        </fieldset>
      </form>

      <p id="history-count" role="status">
        {total === 0
          ? filtered
            ? 'No change matches these filters.'
            : 'No change has been recorded yet.'
          : `Showing ${total === 1 ? 'the only entry' : `entries ${formatCount(first)} to ${formatCount(last)} of ${formatCount(total)}`}${filtered ? ' that match' : ''}, newest first.`}
      </p>

      <div id="history-entries">
        {props.entries.map((view) => (
          <Entry view={view} evaluation={evaluation} names={props.names} />
        ))}
      </div>

      {pages > 1 && (
        <nav class="history-pages" aria-label="Pages of the history">
          <ul class="button-group">
            {page > 1 && (
              <li>
                <a href={historyHref(evaluation.id, chosen, page - 1)} rel="prev">
                  Newer changes<span class="visually-hidden"> (page {page - 1})</span>
                </a>
              </li>
            )}
            <li>
              Page {page} of {pages}
            </li>
            {page < pages && (
              <li>
                <a href={historyHref(evaluation.id, chosen, page + 1)} rel="next">
                  Older changes<span class="visually-hidden"> (page {page + 1})</span>
                </a>
              </li>
            )}
          </ul>
        </nav>
      )}
    </Layout>
  )
}

export interface ScoreHistoryPageProps {
  evaluation: Evaluation
  crumbs: { href: string; label: string }[]
  optionId: number
  optionName: string
  criterionName: string
  gate: boolean
  changes: ScoreChange[]
  names: HistoryNames
}

function scoreWords(value: unknown, gate: boolean): string {
  if (typeof value !== 'number') return '—'
  if (gate) return value === 1 ? 'Pass' : value === 0 ? 'Fail' : formatNumber(value, 6)
  return formatNumber(value, 6)
}

export function ScoreHistoryPage(props: ScoreHistoryPageProps) {
  const { evaluation, optionName, criterionName, changes, names, gate } = props
  return (
    <Layout
      title={`History of the scores for ${optionName} on ${criterionName}`}
      crumbs={[...props.crumbs, { href: `/evaluations/${evaluation.id}/history`, label: 'History' }]}>
      <span class="caption">{evaluation.title}</span>
      <h1>
        History of the scores for “{optionName}” on “{criterionName}”
      </h1>
      <p>
        Every change to each panel member’s score and to the consensus, oldest first, with who made it and when.{' '}
        <a href={`/evaluations/${evaluation.id}/history?option=${props.optionId}`}>All changes to “{optionName}”</a>
      </p>
      {changes.length === 0 ? (
        <p id="score-history-empty">No score has been given for this option on this criterion.</p>
      ) : (
        <table class="table" id="score-history">
          <caption>Changes to the scores, oldest first</caption>
          <thead>
            <tr>
              <th scope="col" class="numeric">
                Entry
              </th>
              <th scope="col">When</th>
              <th scope="col">Changed by</th>
              <th scope="col">Score of</th>
              <th scope="col">Score before → after</th>
              <th scope="col">Rationale and evidence</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((change) => {
              const was = change.before === null ? {} : (JSON.parse(change.before) as Record<string, unknown>)
              const is = change.after === null ? {} : (JSON.parse(change.after) as Record<string, unknown>)
              const now = change.after === null ? was : is
              const whose = change.table === 'consensus_score' ? 'Consensus' : nameOf(names.members, change.memberId, 'panel member')
              const rationale = typeof now.rationale === 'string' ? now.rationale : null
              const evidence = typeof now.evidence === 'string' ? now.evidence : null
              const document = typeof now.evidence_document_id === 'number' ? names.documents.link(now.evidence_document_id) : null
              const page = typeof now.evidence_page === 'number' ? now.evidence_page : null
              return (
                <tr>
                  <td class="numeric">{change.seq}</td>
                  <td>
                    <Moment iso={change.at} />
                  </td>
                  <td>{change.actorName}</td>
                  <th scope="row">{whose}</th>
                  <td>
                    {change.before === null ? 'new' : scoreWords(was.score, gate)} → {change.after === null ? 'removed' : scoreWords(is.score, gate)}
                    {change.after !== null && is.accepted_within_tolerance === 1 && <span class="hint"> (accepted within tolerance)</span>}
                  </td>
                  <td>
                    {change.after === null && <span class="hint">Removed: </span>}
                    {rationale ?? <span class="hint">No rationale</span>}
                    {evidence !== null && <span class="history-evidence"> Evidence: {evidence}</span>}
                    {document !== null && (
                      <span class="history-evidence">
                        {' '}
                        In the tender: <EvidenceLink document={document} page={page} />
                      </span>
                    )}
                    {change.reason !== null && <span class="history-evidence"> Reason for the change: {change.reason}</span>}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
    </Layout>
  )
}
