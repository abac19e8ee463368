import { checkNoteScores, type ScoreSpread } from '../../src/appraisal/index.js'
import type { Criterion, Evaluation, Option, PanelMember } from '../../src/db/schema.js'
import { ErrorSummary, fieldId, Select, TextArea, TextField, type FieldErrors, type FormValues } from '../components/form.js'
import { formatDate, formatScore, possessive } from '../../src/format.js'
import { INTEREST_DECISIONS } from '../../src/vocabulary.js'
import { PlanReasonField } from '../components/plan-reason.js'
import { Layout } from '../layout.js'
import { GroupLink } from '../components/group-link.js'
import { useMay } from '../../src/auth/viewer.js'
import { EvidenceLink, type DocumentLinkView } from '../components/evidence-link.js'

function crumbs(evaluation: Evaluation) {
  return [
    { href: '/evaluations', label: 'Evaluations' },
    { href: `/evaluations/${evaluation.id}`, label: evaluation.title },
  ]
}

export interface MemberProgress {
  member: PanelMember
  allowedOptionIds: number[] | null
  perOption: Map<number, { scored: number; total: number; submitted: boolean }>
}

export interface OptionModeration {
  option: Option
  criteria: number
  moderated: number
  flagged: number
  awaitingScores: number
  /** Panel members who have neither submitted the option nor been excused from it. */
  awaitingSubmission: string[]
  /** Panel members who have not confirmed (or dissented from) the option's consensus. */
  awaitingConfirmation: string[]
}

export interface MeetingView {
  id: number
  date: string
  chair: string
  attendees: string[]
  options: string[]
  criteria: string[]
  notes: string | null
}

/** A meeting to choose for a consensus. */
export interface MeetingChoice {
  id: number
  date: string
  chair: string
}

function meetingOptions(meetings: MeetingChoice[]) {
  return [{ value: '', label: 'Choose the meeting' }, ...meetings.map((m) => ({ value: String(m.id), label: `${m.date}, chaired by ${m.chair}` }))]
}

/** Names joined as a reader says them: “A, B and C”. */
function listed(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
}

export interface ModerationDashboardProps {
  evaluation: Evaluation
  options: Option[]
  members: MemberProgress[]
  moderation: OptionModeration[]
  /** Moderation is complete, by the one rule (`moderationState`). */
  complete: boolean
  /** Every consensus, submission or excuse, and confirmation: ready to finalise. */
  ready: boolean
  /** The criteria that take a consensus, for the meeting form. */
  criteria: Criterion[]
  meetings: MeetingView[]
  excuses: { member: string; option: string; reason: string }[]
  dissents: { member: string; option: string; reason: string }[]
  values: FormValues
  errors: FieldErrors
}

const decisionLabels = { proceed: 'Proceed: scores every option', restrict: 'Restrict to some options', remove: 'Remove from the panel' } as const

export function ModerationDashboardPage(props: ModerationDashboardProps) {
  const { evaluation, options, members } = props
  const base = `/evaluations/${evaluation.id}/moderation`
  const complete = props.complete
  // Once the evaluation is finalised the record stands: the page shows it, and offers no change.
  const may = useMay()
  return (
    <Layout title={`Moderation – ${evaluation.title}`} crumbs={crumbs(evaluation)}>
      <span class="caption">{evaluation.title}</span>
      <h1>Panel progress and moderation</h1>
      <ErrorSummary errors={props.errors} />
      {!complete && (
        <p>
          Until moderation is complete, the <a href={`/evaluations/${evaluation.id}/results`}>provisional ranking</a> uses the mean of the individual scores
          wherever there is no consensus yet. Only you, as lead, can see it.
        </p>
      )}

      <h2>Declarations of interest</h2>
      <table class="table" id="declarations">
        <caption class="visually-hidden">Register of declarations</caption>
        <thead>
          <tr>
            <th scope="col">Panel member</th>
            <th scope="col">Declaration</th>
            <th scope="col">Decision</th>
          </tr>
        </thead>
        <tbody>
          {members.map(({ member: m, allowedOptionIds }) => (
            <tr>
              <th scope="row">{m.name}</th>
              <td>
                {m.declared_interest === null ? (
                  <strong class="tag tag--yellow">Not declared yet</strong>
                ) : m.declared_interest === 0 ? (
                  'No interest'
                ) : (
                  <>
                    <strong class="tag tag--red">Interest declared</strong> {m.declaration_details}
                  </>
                )}
              </td>
              <td>
                {m.declared_interest === 1 && !may('POST /evaluations/:id/moderation/declarations/:memberId') && m.decision !== null && (
                  <>
                    {decisionLabels[m.decision]}
                    {m.decision_note !== null && `: ${m.decision_note}`}
                  </>
                )}
                {m.declared_interest === 1 && may('POST /evaluations/:id/moderation/declarations/:memberId') && (
                  <form method="post" action={`${base}/declarations/${m.id}`} class="decision-form" novalidate>
                    <fieldset class="fieldset">
                      <legend class="visually-hidden">Decision on {possessive(m.name)} declaration</legend>
                      {INTEREST_DECISIONS.map((d) => (
                        <div class="radio">
                          <input type="radio" id={`decision-${m.id}-${d}`} name="decision" value={d} checked={m.decision === d} />
                          <label for={`decision-${m.id}-${d}`}>{decisionLabels[d]}</label>
                        </div>
                      ))}
                      <p class="hint">With ‘Restrict’, the options they may score:</p>
                      {options.map((o) => (
                        <div class="checkbox-small">
                          <input
                            type="checkbox"
                            id={`allowed-${m.id}-${o.id}`}
                            name="allowedOption"
                            value={String(o.id)}
                            checked={allowedOptionIds?.includes(o.id) ?? false}
                          />
                          <label for={`allowed-${m.id}-${o.id}`}>{o.name}</label>
                        </div>
                      ))}
                    </fieldset>
                    <TextArea
                      name="note"
                      idPrefix={`decision-${m.id}`}
                      label="Reason for the decision"
                      value={m.decision_note ?? undefined}
                      rows={2}
                      error={props.errors[`note-${m.id}`]}
                    />
                    <button class="button button--small" type="submit">
                      Record decision<span class="visually-hidden"> on {m.name}</span>
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2 id="meetings">Moderation meetings</h2>
      <p>
        Every consensus names the meeting it was agreed in.
        {may('POST /evaluations/:id/moderation/meetings') &&
          ' Record the meeting first: when, who chaired, which panel members attended, and what was discussed.'}
      </p>
      {props.meetings.length === 0 ? (
        <p>No meeting recorded yet.</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">Moderation meetings</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Chair</th>
              <th scope="col">Attended</th>
              <th scope="col">Discussed</th>
              <th scope="col">Notes</th>
            </tr>
          </thead>
          <tbody>
            {props.meetings.map((m) => (
              <tr>
                <th scope="row">{m.date}</th>
                <td>{m.chair}</td>
                <td>{listed(m.attendees)}</td>
                <td>{listed([...m.options, ...m.criteria])}</td>
                <td>{m.notes ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {may('POST /evaluations/:id/moderation/meetings') && (
        <form method="post" action={`${base}/meetings`} novalidate class="meeting-form">
          <h3>Record a meeting</h3>
          <TextField name="date" label="Date (YYYY-MM-DD)" width="short" value={props.values.date} error={props.errors.date} />
          <TextField name="chair" label="Chair" value={props.values.chair} error={props.errors.chair} />
          <fieldset class={props.errors.attendees !== undefined ? 'fieldset form-group form-group--error' : 'fieldset'} id="f-attendees">
            <legend>Panel members who attended</legend>
            {props.errors.attendees !== undefined && (
              <p class="error-message" id="f-attendees-error">
                <span class="visually-hidden">Error:</span> {props.errors.attendees}
              </p>
            )}
            {members.map(({ member: m }) => (
              <div class="checkbox-small">
                <input type="checkbox" id={`attendee-${m.id}`} name="attendee" value={String(m.id)} />
                <label for={`attendee-${m.id}`}>{m.name}</label>
              </div>
            ))}
          </fieldset>
          <fieldset class="fieldset">
            <legend>Options discussed</legend>
            {options.map((o) => (
              <div class="checkbox-small">
                <input type="checkbox" id={`discussed-option-${o.id}`} name="discussedOption" value={String(o.id)} />
                <label for={`discussed-option-${o.id}`}>{o.name}</label>
              </div>
            ))}
          </fieldset>
          <details>
            <summary>Criteria discussed (optional)</summary>
            {props.criteria.map((criterion) => (
              <div class="checkbox-small">
                <input type="checkbox" id={`discussed-criterion-${criterion.id}`} name="discussedCriterion" value={String(criterion.id)} />
                <label for={`discussed-criterion-${criterion.id}`}>{criterion.name}</label>
              </div>
            ))}
          </details>
          <TextArea name="notes" label="Notes of the discussion" value={props.values.notes} error={props.errors.notes} rows={3} />
          <button class="button button--secondary" type="submit">
            Record meeting
          </button>
        </form>
      )}

      <h2 id="excuses">Excused from scoring</h2>
      <p>A consensus waits until every panel member assigned to a criterion has submitted the option, or you have excused them from it with a reason.</p>
      {props.excuses.length > 0 && (
        <ul class="list">
          {props.excuses.map((x) => (
            <li>
              {x.member}, from {x.option}: {x.reason}
            </li>
          ))}
        </ul>
      )}
      {may('POST /evaluations/:id/moderation/excuse') && (
        <form method="post" action={`${base}/excuse`} novalidate>
          <Select
            name="member"
            idPrefix="excuse"
            label="Panel member"
            options={[{ value: '', label: 'Choose a panel member' }, ...members.map(({ member: m }) => ({ value: String(m.id), label: m.name }))]}
            value={props.values['excuse-member']}
            error={props.errors['excuse-member']}
          />
          <Select
            name="option"
            idPrefix="excuse"
            label="Option"
            options={[{ value: '', label: 'Choose an option' }, ...options.map((o) => ({ value: String(o.id), label: o.name }))]}
            value={props.values['excuse-option']}
            error={props.errors['excuse-option']}
          />
          <TextArea
            name="reason"
            idPrefix="excuse"
            label="Reason"
            value={props.values['excuse-reason']}
            error={props.errors['excuse-reason'] ?? props.errors['excuse-form']}
            rows={2}
          />
          <button class="button button--secondary" type="submit">
            Excuse from this option
          </button>
        </form>
      )}

      <h2>Scoring progress</h2>
      <table class="table" id="progress">
        <caption class="visually-hidden">Scores given by each panel member for each option</caption>
        <thead>
          <tr>
            <th scope="col">Panel member</th>
            {options.map((o) => (
              <th scope="col" class="numeric">
                {o.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {members.map(({ member, perOption }) => (
            <tr>
              <th scope="row">{member.name}</th>
              {options.map((o) => {
                const p = perOption.get(o.id)
                return (
                  <td class="numeric">
                    {p === undefined ? '–' : `${p.scored} of ${p.total}`} {p?.submitted === true && <strong class="tag tag--green">Submitted</strong>}
                  </td>
                )
              })}
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Moderation</h2>
      <table class="table" id="moderation">
        <caption class="visually-hidden">What is left to moderate for each option</caption>
        <thead>
          <tr>
            <th scope="col">Option</th>
            <th scope="col" class="numeric">
              Moderated
            </th>
            <th scope="col" class="numeric">
              Outside tolerance
            </th>
            <th scope="col" class="numeric">
              Not scored yet
            </th>
            <th scope="col">Still to submit</th>
            <th scope="col">Still to confirm</th>
          </tr>
        </thead>
        <tbody>
          {props.moderation.map((m) => (
            <tr>
              <th scope="row">
                <a href={`${base}/${m.option.id}`}>{m.option.name}</a>
              </th>
              <td class="numeric">
                {m.moderated} of {m.criteria}
              </td>
              <td class="numeric">{m.flagged > 0 ? <strong class="tag tag--red">{m.flagged}</strong> : '0'}</td>
              <td class="numeric">{m.awaitingScores}</td>
              <td>{m.awaitingSubmission.length === 0 ? 'Nobody' : listed(m.awaitingSubmission)}</td>
              <td>{m.awaitingConfirmation.length === 0 ? 'Nobody' : listed(m.awaitingConfirmation)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      {props.dissents.length > 0 && (
        <>
          <h2>Dissents</h2>
          <ul class="list">
            {props.dissents.map((x) => (
              <li>
                {x.member} dissented from the consensus on {x.option}: {x.reason}
              </li>
            ))}
          </ul>
        </>
      )}
      <p>
        {props.ready
          ? 'Every consensus is recorded, every panel member has submitted or been excused, and every one has confirmed: the evaluation can be finalised.'
          : 'Finalising needs every consensus, every submission (or excuse) and every confirmation.'}
      </p>

      <h2>Panel rules</h2>
      {!may('POST /evaluations/:id/moderation/rules') && (
        <p>
          The shortest rationale an evaluator may save is {evaluation.min_rationale} characters; scores at most {formatScore(evaluation.tolerance)}{' '}
          {evaluation.tolerance === 1 ? 'point' : 'points'} apart can be accepted within tolerance.
        </p>
      )}
      {may('POST /evaluations/:id/moderation/rules') && (
        <form method="post" action={`${base}/rules`} novalidate>
          <TextField
            name="minRationale"
            label="Shortest rationale an evaluator may save (characters)"
            type="number"
            width="number"
            value={props.values.minRationale ?? String(evaluation.min_rationale)}
            error={props.errors.minRationale}
            hint="Courts have set aside awards for ‘extremely brief’ reasons. 50 characters is the least; most panels write more."
          />
          <TextField
            name="tolerance"
            label="Tolerance (points)"
            type="number"
            width="number"
            step="0.5"
            value={props.values.tolerance ?? String(evaluation.tolerance)}
            error={props.errors.tolerance}
            hint="Where the panel’s scores are at most this far apart, you can accept the rounded median without discussion."
          />
          <PlanReasonField evaluation={evaluation} values={props.values} errors={props.errors} />
          <button class="button button--secondary" type="submit">
            Save rules
          </button>
        </form>
      )}
    </Layout>
  )
}

export interface CriterionModeration {
  criterion: Criterion
  scores: {
    member: string
    score: number
    rationale: string | null
    evidence: string | null
    /** The tender document the evidence is in, and the page. */
    document: DocumentLinkView | null
    page: number | null
    submitted: boolean
    /** The change to the approved plan that touched this criterion after the score (src/db/plan.ts, scoresToRevisit): its version, date and reason; null when none. */
    revisit: { version: number; at: string; reason: string } | null
  }[]
  /** The spread of the submitted scores only. */
  spread: ScoreSpread | null
  /** Panel members a consensus waits for: not submitted, not excused. */
  awaiting: string[]
  consensus: {
    score: number
    rationale: string | null
    evidence: string | null
    version: number
    acceptedWithinTolerance: boolean
    /** The date of the meeting it was agreed in; null for one recorded before meetings were kept. */
    meeting: string | null
  } | null
  values?: FormValues
  errors?: FieldErrors
}

export interface ModerationOptionProps {
  evaluation: Evaluation
  option: Option
  rows: CriterionModeration[]
  acceptable: number
  meetings: MeetingChoice[]
  notice: string | null
  /** The option's criteria by group, for the contents list. */
  groups: { key: string; name: string; href: string; total: number; moderated: number; outside: number }[]
  /** What the page shows: one group (or all) and which of its criteria. */
  filter: { group: string; groupName: string | null; show: 'all' | 'to-moderate' | 'outside'; inGroup: number }
}

const showLabels = { all: 'All criteria', 'to-moderate': 'Not yet moderated', outside: 'Outside tolerance, not yet moderated' } as const

function ModerationFilter({ base, groups, filter }: { base: string; groups: ModerationOptionProps['groups']; filter: ModerationOptionProps['filter'] }) {
  return (
    <form method="get" action={base} class="moderation-filter">
      <div class="form-group">
        <label class="label" for="filter-group">
          Group
        </label>
        <select class="select" id="filter-group" name="group">
          <option value="all" selected={filter.group === 'all'}>
            All groups
          </option>
          {groups.map((g) => (
            <option value={g.key} selected={filter.group === g.key}>
              {g.name}
            </option>
          ))}
        </select>
      </div>
      <div class="form-group">
        <label class="label" for="filter-show">
          Show
        </label>
        <select class="select" id="filter-show" name="show">
          {Object.entries(showLabels).map(([value, label]) => (
            <option value={value} selected={filter.show === value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <button class="button button--secondary" type="submit">
        Show
      </button>
    </form>
  )
}

export function ModerationOptionPage({ evaluation, option, rows, acceptable, meetings, notice, groups, filter }: ModerationOptionProps) {
  const base = `/evaluations/${evaluation.id}/moderation/${option.id}`
  // Once the evaluation is finalised each consensus stands: the page shows them, and offers no change.
  const may = useMay()
  const mayModerate = may('POST /evaluations/:id/moderation/:optionId/:criterionId')
  // A consensus that was not recorded: its problems are summarised at the top, each linked to its field.
  const failed = rows.find((row) => row.errors !== undefined && Object.keys(row.errors).length > 0)
  const summary: FieldErrors = {}
  const summaryTargets: Record<string, string> = {}
  for (const [field, message] of Object.entries(failed?.errors ?? {})) {
    summary[field] = `${failed!.criterion.name}: ${message}`
    summaryTargets[field] = field === 'form' ? `moderate-${failed!.criterion.id}` : fieldId(field, `moderate-${failed!.criterion.id}`)
  }
  return (
    <Layout title={`Moderate ${option.name}`} crumbs={[...crumbs(evaluation), { href: `/evaluations/${evaluation.id}/moderation`, label: 'Moderation' }]}>
      <span class="caption">{evaluation.title}</span>
      <h1>Moderate {option.name}</h1>
      {notice !== null && (
        <div class="notice" role="status">
          {notice}
        </div>
      )}
      <ErrorSummary errors={summary} fieldIds={summaryTargets} />
      <p>
        A consensus comes after independent scoring: only once every panel member assigned to a criterion has submitted this option, or been excused from it.
        Where at least two submitted scores are at most {formatScore(evaluation.tolerance)} {evaluation.tolerance === 1 ? 'point' : 'points'} apart they can be
        accepted together: the consensus becomes the rounded median, recorded as accepted within tolerance. The others need a consensus score and a rationale
        that fairly summarises the discussion. Individual scores are kept beside the consensus.
      </p>
      {!may('POST /evaluations/:id/moderation/:optionId/accept') ? null : acceptable > 0 ? (
        <p>
          <a class="button" href={`${base}/accept`}>
            Review {acceptable} {acceptable === 1 ? 'criterion' : 'criteria'} to accept within tolerance
          </a>
        </p>
      ) : (
        <p>No criterion can be accepted within tolerance now.</p>
      )}
      {meetings.length === 0 && mayModerate && (
        <p>
          <strong class="tag tag--yellow">No meeting yet</strong> Record the moderation meeting on the{' '}
          <a href={`/evaluations/${evaluation.id}/moderation#meetings`}>moderation page</a> before recording a consensus.
        </p>
      )}
      {groups.length > 1 && (
        <nav class="group-contents" aria-labelledby="group-contents-title">
          <h2 class="group-contents__title" id="group-contents-title">
            Groups
          </h2>
          <ol class="group-contents__list">
            {groups.map((g) => (
              <li>
                <GroupLink href={g.href} name={g.name} current={g.key === filter.group} />{' '}
                <span class="group-contents__count">
                  {g.moderated} of {g.total} moderated
                </span>
                {g.outside > 0 && <strong class="tag tag--red">{g.outside} outside tolerance</strong>}
              </li>
            ))}
          </ol>
        </nav>
      )}
      <ModerationFilter base={base} groups={groups} filter={filter} />
      <h2 id="shown-title">
        {filter.groupName ?? 'All groups'}: {showLabels[filter.show].toLowerCase()}{' '}
        <span class="answer-group__progress">
          {rows.length} of {filter.inGroup} shown
        </span>
      </h2>
      <h3>Still to moderate</h3>
      {rows.every((r) => r.consensus !== null) ? (
        <p>Every criterion shown has a consensus.</p>
      ) : (
        <ul class="list" id="to-moderate">
          {[...rows]
            .filter((r) => r.consensus === null)
            .sort((a, b) => Number(a.spread?.withinTolerance ?? true) - Number(b.spread?.withinTolerance ?? true))
            .map((r) => (
              <li>
                <a href={`#moderate-${r.criterion.id}`}>{r.criterion.name}</a>{' '}
                {r.awaiting.length > 0 ? (
                  `(waiting for ${listed(r.awaiting)} to submit)`
                ) : r.spread === null ? (
                  '(no submitted scores yet)'
                ) : r.spread.withinTolerance ? (
                  '(within tolerance)'
                ) : (
                  <strong class="tag tag--red">Outside tolerance</strong>
                )}
              </li>
            ))}
        </ul>
      )}
      {rows.map((row) => {
        const c = row.criterion
        const id = `moderate-${c.id}`
        const values = row.values ?? {
          score: row.consensus === null ? (row.spread === null ? '' : String(row.spread.roundedMedian)) : String(row.consensus.score),
          rationale: row.consensus?.rationale ?? '',
          evidence: row.consensus?.evidence ?? '',
        }
        const errors = row.errors ?? {}
        const consensusForm = !mayModerate ? null : row.awaiting.length > 0 && errors.form === undefined ? (
          <p>
            <strong class="tag tag--yellow">Waiting</strong> A consensus waits for {listed(row.awaiting)} to submit this option, or to be excused from it with a
            reason.
          </p>
        ) : (
          <form method="post" action={`${base}/${c.id}`} novalidate class="consensus-form">
            <input type="hidden" name="version" value={row.consensus === null ? '' : String(row.consensus.version)} />
            {errors.form !== undefined && (
              <p class="error-message" role="alert">
                {errors.form}
              </p>
            )}
            <Select
              name="meeting"
              idPrefix={id}
              label="Agreed at the meeting of"
              options={meetingOptions(meetings)}
              value={values.meeting ?? (meetings.length === 1 ? String(meetings[0]!.id) : '')}
              error={errors.meeting}
            />
            <TextField
              name="score"
              idPrefix={id}
              label={c.kind === 'gate' ? 'Consensus (1 pass, 0 fail)' : `Consensus score (${evaluation.scale_min} to ${evaluation.scale_max})`}
              type="number"
              width="number"
              value={values.score}
              error={errors.score}
            />
            <TextArea
              name="rationale"
              idPrefix={id}
              label="Consensus rationale"
              value={values.rationale}
              error={errors.rationale}
              rows={3}
              hint="A fair summary of the discussion: what the panel agreed the evidence showed, and why any view was set aside."
            />
            <TextField name="evidence" idPrefix={id} label="Evidence reference (optional)" value={values.evidence} error={errors.evidence} />
            <button class="button button--secondary" type="submit">
              Record consensus<span class="visually-hidden"> for {c.name}</span>
            </button>
          </form>
        )
        const scoresTable =
          row.scores.length === 0 ? (
            <p>No individual scores yet.</p>
          ) : (
            <table class="table">
              <caption class="visually-hidden">Individual scores on {c.name}</caption>
              <thead>
                <tr>
                  <th scope="col">Panel member</th>
                  <th scope="col" class="numeric">
                    Score
                  </th>
                  <th scope="col">Rationale and evidence</th>
                </tr>
              </thead>
              <tbody>
                {row.scores.map((s) => (
                  <tr>
                    <th scope="row">
                      {s.member}
                      {!s.submitted && <span class="hint"> (not submitted)</span>}
                      {s.revisit !== null && (
                        <>
                          {' '}
                          <strong class="tag tag--yellow" title={`Given before version ${s.revisit.version} of the plan changed this criterion`}>
                            To revisit
                          </strong>
                        </>
                      )}
                    </th>
                    <td class="numeric">{formatScore(s.score)}</td>
                    <td>
                      {s.rationale ?? ''}
                      {s.evidence !== null && <span class="moderation-evidence">Evidence: {s.evidence}</span>}
                      {s.document !== null && (
                        <span class="moderation-evidence">
                          In the tender: <EvidenceLink document={s.document} page={s.page} />
                        </span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        // A moderated criterion shows its consensus; the individual scores and the form to change it open on demand.
        const settled = row.consensus !== null && Object.keys(errors).length === 0
        // The latest change to the plan that flagged a score here: its version, date and reason.
        const revisit = row.scores.reduce<CriterionModeration['scores'][number]['revisit']>(
          (latest, x) => (x.revisit !== null && (latest === null || x.revisit.version > latest.version) ? x.revisit : latest),
          null,
        )
        return (
          <section class="moderation-row" id={id}>
            <h3 class="moderation-row__title">
              {c.kind === 'gate' && <strong class="tag tag--gate">Gate</strong>} {c.name}{' '}
              {row.spread !== null && !row.spread.withinTolerance && <strong class="tag tag--red">Outside tolerance</strong>}
              {row.consensus !== null && <strong class="tag tag--green">Moderated</strong>}
              {revisit !== null && <strong class="tag tag--yellow">Scores to revisit</strong>}
            </h3>
            {revisit !== null && (
              <p class="notice notice--warning">
                {row.scores
                  .filter((x) => x.revisit !== null)
                  .map((x) => x.member)
                  .join(', ')}{' '}
                scored this before a change to the approved plan touched it: version {revisit.version}, on {formatDate(revisit.at)}, for this reason: “
                {revisit.reason}”. A score is no longer flagged once its evaluator saves it again; a submitted score stays flagged, for the panel to weigh here.
              </p>
            )}
            {!settled && scoresTable}
            <p class="spread">
              {row.spread !== null && (
                <>
                  Lowest {formatScore(row.spread.min)}, highest {formatScore(row.spread.max)}, range {formatScore(row.spread.range)}; mean{' '}
                  {formatScore(row.spread.mean)}, median {formatScore(row.spread.median)}.
                  {row.consensus !== null &&
                    ` Consensus ${formatScore(row.consensus.score)}, ${formatScore(row.consensus.score - row.spread.mean)} from the mean.`}
                  {row.consensus?.acceptedWithinTolerance === true && ' Accepted within tolerance.'}{' '}
                </>
              )}
              <a href={`/evaluations/${evaluation.id}/history/scores/${option.id}/${c.id}`}>
                History<span class="visually-hidden"> of the scores on {c.name}</span>
              </a>
            </p>
            {row.consensus !== null && (
              <p class="hint">
                Agreed {row.consensus.meeting === null ? 'before meetings were recorded (no meeting named)' : `at the meeting of ${row.consensus.meeting}`}.
              </p>
            )}
            {settled && row.consensus !== null ? (
              <>
                <p class="consensus-recorded">
                  <strong>Consensus {formatScore(row.consensus.score)}.</strong> {row.consensus.rationale ?? ''}
                </p>
                <RecordedBeside rationale={row.consensus.rationale} scores={row.scores} />
                <details class="consensus-change">
                  <summary>
                    Individual scores{mayModerate && ', and change the consensus'}
                    <span class="visually-hidden"> for {c.name}</span>
                  </summary>
                  {scoresTable}
                  {consensusForm}
                </details>
              </>
            ) : (
              consensusForm
            )}
          </section>
        )
      })}
    </Layout>
  )
}

/**
 * The scores recorded for a criterion, beside its consensus note, and a warning when the note cites
 * figures (or a number of scorers) the record does not hold: the check is the engine's.
 */
function RecordedBeside({ rationale, scores }: { rationale: string | null; scores: CriterionModeration['scores'] }) {
  const counted = scores.filter((s) => s.submitted)
  const check = checkNoteScores(
    rationale ?? '',
    counted.map((s) => s.score),
  )
  return (
    <>
      <p class="hint recorded-scores">
        Recorded scores: {counted.length === 0 ? 'none submitted' : counted.map((s) => `${s.member} ${formatScore(s.score)}`).join(', ')}.
      </p>
      {!check.consistent && (
        <p class="note-warning">
          <strong class="tag tag--red">Check the note</strong>{' '}
          {check.notRecorded.length > 0 &&
            `It cites ${check.notRecorded.length === 1 ? 'a score' : 'scores'} the record does not hold (${check.notRecorded.map(formatScore).join(', ')}). `}
          {check.claimedCount !== null &&
            check.claimedCount !== counted.length &&
            `It speaks of ${check.claimedCount} scorers, and ${counted.length} ${counted.length === 1 ? 'score is' : 'scores are'} recorded. `}
          Change the consensus to correct it.
        </p>
      )}
    </>
  )
}

export interface BulkAcceptanceProps {
  evaluation: Evaluation
  option: Option
  rows: { criterionId: number; criterion: string; scores: readonly number[]; consensus: number }[]
  meetings: MeetingChoice[]
  values: FormValues
  errors: FieldErrors
}

/** The list bulk acceptance will record, shown before it does, with the meeting and the tender reference it asks for. */
export function BulkAcceptancePage({ evaluation, option, rows, meetings, values, errors }: BulkAcceptanceProps) {
  const base = `/evaluations/${evaluation.id}/moderation/${option.id}`
  return (
    <Layout
      title={`Accept within tolerance – ${option.name}`}
      crumbs={[...crumbs(evaluation), { href: `/evaluations/${evaluation.id}/moderation`, label: 'Moderation' }, { href: base, label: option.name }]}>
      <span class="caption">{evaluation.title}</span>
      <h1>Accept within tolerance: {option.name}</h1>
      <ErrorSummary errors={errors} />
      {rows.length === 0 ? (
        <p>
          No criterion can be accepted within tolerance now: each needs every assigned member’s submission (or excuse) and at least two submitted scores within{' '}
          {formatScore(evaluation.tolerance)}. <a href={base}>Back to {option.name}</a>
        </p>
      ) : (
        <form method="post" action={`${base}/accept`} novalidate>
          <p>These consensus scores will be recorded, each the rounded median of the submitted scores shown:</p>
          <table class="table" id="acceptance">
            <caption class="visually-hidden">What will be accepted</caption>
            <thead>
              <tr>
                <th scope="col">Criterion</th>
                <th scope="col">Submitted scores</th>
                <th scope="col" class="numeric">
                  Consensus
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <th scope="row">
                    {r.criterion}
                    <input type="hidden" name="criterion" value={String(r.criterionId)} />
                  </th>
                  <td>{r.scores.map((x) => formatScore(x)).join(', ')}</td>
                  <td class="numeric">{formatScore(r.consensus)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Select name="meeting" label="Agreed at the meeting of" options={meetingOptions(meetings)} value={values.meeting} error={errors.meeting} />
          <TextField
            name="reference"
            label="Tender reference the accepted scores rest on"
            hint="Where in the tender the panel found the evidence: a volume and section, a clarification response."
            value={values.reference}
            error={errors.reference}
          />
          {errors.form !== undefined && (
            <p class="error-message" role="alert">
              {errors.form}
            </p>
          )}
          <button class="button" type="submit">
            Accept {rows.length} {rows.length === 1 ? 'criterion' : 'criteria'}
          </button>
        </form>
      )}
    </Layout>
  )
}
