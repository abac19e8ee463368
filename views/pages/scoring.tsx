import type { Child } from 'hono/jsx'
import type { Evaluation, Option, PanelMember } from '../../src/db/schema.js'
import { Checkbox, ErrorSummary, TextArea, TextField, type FieldErrors, type FormValues } from '../components/form.js'
import { formatScore } from '../../src/format.js'
import { Layout } from '../layout.js'
import { AnswerForm, type AnswerFormProps } from '../partials/answer-form.js'
import { TrialBeside } from '../partials/trial-beside.js'
import type { TrialBeside as TrialBesideData } from '../../src/db/trials.js'
import { GroupLink } from '../components/group-link.js'
import { EvidenceLink, type DocumentLinkView } from '../components/evidence-link.js'

function crumbs(evaluation: Evaluation) {
  return [
    { href: '/evaluations', label: 'Evaluations' },
    { href: `/evaluations/${evaluation.id}`, label: evaluation.title },
  ]
}

export interface DeclarationPageProps {
  evaluation: Evaluation
  /** Where the form posts: the scoring page's for a panel member, the evaluation's for any other role. */
  action: string
  /** What it is made before: scoring for a panel member, the work of their roles for anyone else. */
  before: 'scoring' | 'work'
  /** Set when a declaration was made before these suppliers were known: it must be renewed. */
  newSuppliers?: readonly string[] | undefined
  /** An interest declared before, which a renewal with "no further interest" keeps. */
  earlier?: { supplier: string | null; details: string | null } | null | undefined
  suppliers: readonly string[]
  values: FormValues
  errors: FieldErrors
}

/** A declaration of interest, first or renewed once more suppliers are known: the same form for every role. */
export function DeclarationPage(props: DeclarationPageProps) {
  const { evaluation, values, errors } = props
  const renewing = props.newSuppliers !== undefined && props.newSuppliers.length > 0
  return (
    <Layout title={`Declare any interest – ${evaluation.title}`} crumbs={crumbs(evaluation)}>
      <span class="caption">{evaluation.title}</span>
      <h1>{renewing ? 'Renew your declaration of interest' : 'Declare any conflict of interest'}</h1>
      {renewing && (
        <p class="notice" role="status">
          <strong class="tag tag--yellow">Renew</strong> Your declaration was made before {props.newSuppliers!.join(', ')}{' '}
          {props.newSuppliers!.length === 1 ? 'was' : 'were'} among the suppliers. Say whether you have an interest in any of them before you go on.
        </p>
      )}
      <p>
        {props.before === 'scoring' ? 'Before you see any option’s material' : 'Before you work on this evaluation’s tenders or decision'}, say whether you have
        an interest in any supplier or product: a job, a shareholding, a close relationship, a past role with them, or anything a fair-minded observer might
        think could affect {props.before === 'scoring' ? 'your scoring' : 'your part in the decision'}. A declared interest goes to the lead, who assesses it
        and records what is done about it. The register of declarations is part of the record (Procurement Act 2023, ss. 81–83).
      </p>
      {props.suppliers.length > 0 && <p>The suppliers: {props.suppliers.join('; ')}.</p>}
      {props.earlier != null && (
        <p>
          You declared an interest{props.earlier.supplier === null ? '' : ` in ${props.earlier.supplier}`}
          {props.earlier.details === null ? '' : `: ${props.earlier.details}`}. It stands; a new interest is declared below.
        </p>
      )}
      <ErrorSummary errors={errors} fieldIds={{ interest: 'f-interest-none' }} />
      <form method="post" action={props.action} novalidate>
        <fieldset class={errors.interest !== undefined ? 'fieldset form-group form-group--error' : 'fieldset form-group'}>
          <legend class="fieldset__legend">Your declaration</legend>
          {errors.interest !== undefined && (
            <p class="error-message">
              <span class="visually-hidden">Error:</span> {errors.interest}
            </p>
          )}
          <div class="radio">
            <input type="radio" id="f-interest-none" name="interest" value="none" checked={values.interest === 'none'} />
            <label for="f-interest-none">{props.earlier != null ? 'I have no further interest to declare' : 'I have no interest to declare'}</label>
          </div>
          <div class="radio">
            <input type="radio" id="f-interest-yes" name="interest" value="interest" checked={values.interest === 'interest'} />
            <label for="f-interest-yes">I have an interest to declare</label>
          </div>
        </fieldset>
        <TextField
          name="supplier"
          label="The supplier the interest is in (if you have one)"
          value={values.supplier}
          error={errors.supplier}
          hint="As the options name it."
        />
        <TextArea
          name="details"
          label="The interest (if you have one)"
          value={values.details}
          error={errors.details}
          hint="Who it is with, what it is, and when. The lead and the record will see this."
          rows={4}
        />
        <button class="button" type="submit">
          Make declaration
        </button>
      </form>
    </Layout>
  )
}

const closedWords = {
  removed: {
    title: 'You are not scoring this evaluation',
    text: 'After your declaration of interest the lead decided that you should not take part in scoring. The decision is in the register of declarations.',
  },
  'awaiting-decision': {
    title: 'Your declaration is with the lead',
    text: 'You declared an interest. The lead will decide whether you score all options, some of them, or none. You will see the options here once they have decided.',
  },
  'plan-draft': {
    title: 'Scoring has not opened yet',
    text: 'Scoring and your declaration of interest open once the lead approves the evaluation plan, so that the criteria, weights and scale are fixed before anyone scores. You can read the plan and the criteria meanwhile.',
  },
  finalised: {
    title: 'Scoring is closed',
    text: 'The evaluation has been finalised, so scores can no longer change. If the lead reopens it, scoring opens again.',
  },
} as const

export function ScoringClosedPage({ evaluation, reason }: { evaluation: Evaluation; reason: keyof typeof closedWords }) {
  const words = closedWords[reason]
  return (
    <Layout title={`Scoring – ${evaluation.title}`} crumbs={crumbs(evaluation)}>
      <span class="caption">{evaluation.title}</span>
      <h1>{words.title}</h1>
      <p>{words.text}</p>
    </Layout>
  )
}

export interface OptionProgress {
  option: Option
  scored: number
  total: number
  submitted: boolean
}

export function ScoringHomePage(props: { evaluation: Evaluation; member: PanelMember; progress: OptionProgress[] }) {
  const { evaluation, progress } = props
  const scored = progress.reduce((sum, p) => sum + p.scored, 0)
  const total = progress.reduce((sum, p) => sum + p.total, 0)
  return (
    <Layout title={`Your scoring – ${evaluation.title}`} crumbs={crumbs(evaluation)}>
      <span class="caption">{evaluation.title}</span>
      <h1>Your scoring</h1>
      <p class="lead">
        {scored} of {total} scored
      </p>
      <p>
        Score each option on your own, from the evidence. You will not see the other panel members’ scores until you submit yours for that option; once
        submitted, your scores for it are locked.
      </p>
      <table class="table">
        <caption class="visually-hidden">Options to score</caption>
        <thead>
          <tr>
            <th scope="col">Option</th>
            <th scope="col" class="numeric">
              Scored
            </th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {progress.map((p) => (
            <tr>
              <th scope="row">
                <a href={`/evaluations/${evaluation.id}/scoring/${p.option.id}`}>{p.option.name}</a>
              </th>
              <td class="numeric">
                {p.scored} of {p.total}
              </td>
              <td>
                {p.submitted ? (
                  <strong class="tag tag--green">Submitted</strong>
                ) : p.scored === p.total ? (
                  <strong class="tag tag--yellow">Ready to submit</strong>
                ) : (
                  <strong class="tag">In progress</strong>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  )
}

export interface PanelView {
  criterionId: number
  scores: { member: string; score: number; rationale: string | null; evidence: string | null; document: DocumentLinkView | null; page: number | null }[]
  consensus: { score: number; rationale: string | null } | null
}

/** The supplier's response to a criterion, shown beside it: its text and/or the document (and page) holding it. */
export interface SupplierResponseView {
  text: string | null
  /** `href` null: the document came by reference in an evaluation file, and this copy does not hold it. */
  document: (DocumentLinkView & { page: number | null }) | null
}

/** One line until opened: the response's text folds away, and the document is one click. */
function SupplierResponse({ view, criterion }: { view: SupplierResponseView; criterion: { id: number; name: string } }): Child {
  const document =
    view.document === null ? null : (
      <span class="supplier-response__document">
        <EvidenceLink document={view.document} page={view.document.page} />
      </span>
    )
  return (
    <div class="supplier-response" id={`supplier-response-${criterion.id}`}>
      {view.text !== null ? (
        <details class="supplier-response__text">
          <summary>
            The supplier’s response<span class="visually-hidden"> to {criterion.name}</span>
          </summary>
          <p class="supplier-response__words">{view.text}</p>
        </details>
      ) : (
        <span class="supplier-response__label">
          The supplier’s response<span class="visually-hidden"> to {criterion.name}</span> is in{' '}
        </span>
      )}
      {document}
    </div>
  )
}

export interface ScoringOptionPageProps {
  evaluation: Evaluation
  option: Option
  /** Every group the member scores on this option, for the contents list. */
  groups: { key: string; name: string; href: string; scored: number; total: number; revisit: number }[]
  /** How many of this member's answers on this option a change to the approved plan flagged to revisit. */
  revisit: number
  /** The group on this page. */
  current: { key: string; name: string | null; answers: AnswerFormProps[]; scored: number; total: number }
  previous: { href: string; name: string } | null
  next: { href: string; name: string } | null
  /** The scale's words, shown once on the page rather than under every answer. */
  scale: { level: number; label: string | null; descriptor: string | null }[]
  scored: number
  total: number
  submitted: boolean
  /** The panel's scores and the consensus: only once this member has submitted for the option. */
  panel: Map<number, PanelView> | null
  /** The supplier's response to each criterion on the page that has one (never commercial material). */
  supplier?: Map<number, SupplierResponseView>
  /**
   * Once every criterion of the option has a consensus: this member's response to it (confirmed, or
   * a dissent with its reason), or 'awaiting'. Undefined while moderation of the option goes on.
   */
  response?: { kind: 'awaiting' } | { kind: 'confirmed' } | { kind: 'dissented'; reason: string } | undefined
  values?: FormValues
  errors: FieldErrors
  /** The option's frontline trial figures, when the lead linked them to a criterion on this page. */
  trial?: TrialBesideData | undefined
}

/** The trial is linked to the page's group itself: its figures go once at the top. */
function groupWide(trial: TrialBesideData, current: ScoringOptionPageProps['current']): boolean {
  return current.answers.every((a) => String(trial.linkedAt.get(a.criterion.id)?.id) === current.key)
}

/** The answer is the first on the page under the criterion its trial figures are linked to. */
function firstUnder(trial: TrialBesideData, answers: readonly AnswerFormProps[], index: number): boolean {
  const at = trial.linkedAt.get(answers[index]!.criterion.id)
  return at !== undefined && answers.slice(0, index).every((a) => trial.linkedAt.get(a.criterion.id)?.id !== at.id)
}

function PanelScores({ view }: { view: PanelView }): Child {
  return (
    <details class="panel-scores">
      <summary>The panel’s scores{view.consensus !== null ? ' and the consensus' : ''}</summary>
      <ul class="list">
        {view.scores.map((s) => (
          <li>
            <strong>
              {s.member}: {formatScore(s.score)}
            </strong>{' '}
            {s.rationale ?? ''} {s.evidence !== null && <span class="hint">({s.evidence})</span>}
            {s.document !== null && (
              <>
                {' '}
                <EvidenceLink document={s.document} page={s.page} />
              </>
            )}
          </li>
        ))}
      </ul>
      {view.consensus !== null && (
        <p>
          <strong>Consensus: {formatScore(view.consensus.score)}</strong> {view.consensus.rationale ?? ''}
        </p>
      )}
    </details>
  )
}

/** Links from the error summary to the answer field a message is about ("12-rationale"). */
function errorTargets(errors: FieldErrors): Record<string, string> {
  const targets: Record<string, string> = { form: 'progress', confirm: 'f-confirm', reason: 'f-reason' }
  for (const key of Object.keys(errors)) {
    const [criterionId, field] = key.split('-')
    if (field === 'rationale' || field === 'evidence' || field === 'evidenceDocument' || field === 'evidencePage')
      targets[key] = `answer-${criterionId}-${field}`
    else if (field !== undefined) targets[key] = `answer-${criterionId}`
  }
  return targets
}

function groupState(g: { scored: number; total: number }): Child {
  if (g.scored === g.total) return <strong class="tag tag--green">Scored</strong>
  if (g.scored === 0) return <strong class="tag tag--group">Not started</strong>
  return <strong class="tag tag--yellow">In progress</strong>
}

function GroupNavigation(props: { previous: ScoringOptionPageProps['previous']; next: ScoringOptionPageProps['next']; label: string }) {
  if (props.previous === null && props.next === null) return null
  return (
    <nav class="group-pager" aria-label={props.label}>
      {props.previous !== null && (
        <a class="group-pager__link" href={props.previous.href} rel="prev">
          Previous group<span class="group-pager__name">{props.previous.name}</span>
        </a>
      )}
      {props.next !== null && (
        <a class="group-pager__link group-pager__link--next" href={props.next.href} rel="next">
          Next group<span class="group-pager__name">{props.next.name}</span>
        </a>
      )}
    </nav>
  )
}

/** The scale's words, once a page: each answer shows only the levels' numbers and labels. */
function ScaleGuide({ scale }: { scale: ScoringOptionPageProps['scale'] }) {
  if (scale.every((l) => l.descriptor === null)) return null
  return (
    <details class="scale-guide">
      <summary>What each score means</summary>
      <dl class="scale-guide__list">
        {scale.map((l) => (
          <>
            <dt>
              {l.level}
              {l.label !== null ? ` ${l.label}` : ''}
            </dt>
            <dd>{l.descriptor ?? ''}</dd>
          </>
        ))}
      </dl>
    </details>
  )
}

export function ScoringOptionPage(props: ScoringOptionPageProps) {
  const { evaluation, option, current } = props
  const heading = current.name ?? (props.groups.length > 1 ? 'Other criteria' : null)
  return (
    <Layout
      title={`Score ${option.name}${heading !== null ? `: ${heading}` : ''} – ${evaluation.title}`}
      crumbs={[...crumbs(evaluation), { href: `/evaluations/${evaluation.id}/scoring`, label: 'Your scoring' }]}>
      <span class="caption">{evaluation.title}</span>
      <h1>{option.name}</h1>
      {option.description !== null && <p>{option.description}</p>}
      <p class="lead" id="progress">
        {props.scored} of {props.total} scored
        {props.revisit > 0 && (
          <>
            {' '}
            <strong class="tag tag--yellow">{props.revisit} to revisit</strong>
          </>
        )}
      </p>
      {props.revisit > 0 && (
        <p class="notice notice--warning" id="revisit-summary">
          {props.revisit === 1 ? 'One answer was' : `${props.revisit} answers were`} saved before a change to the approved evaluation plan touched{' '}
          {props.revisit === 1 ? 'its criterion' : 'their criteria'}: each is marked “To revisit” below, in its group.{' '}
          {props.submitted
            ? 'Your scores are submitted and locked, so the flags stay for moderation.'
            : 'Saving an answer again, changed or not, clears its flag.'}
        </p>
      )}
      {props.submitted && (
        <div class="notice" role="status">
          You submitted your scores for this option. They are locked; the panel’s scores are now shown beside yours.
        </div>
      )}
      <ErrorSummary errors={props.errors} fieldIds={errorTargets(props.errors)} />
      {props.groups.length > 1 && (
        <nav class="group-contents" aria-labelledby="group-contents-title">
          <h2 class="group-contents__title" id="group-contents-title">
            Groups to score
          </h2>
          <ol class="group-contents__list">
            {props.groups.map((g) => (
              <li>
                <GroupLink href={g.href} name={g.name} current={g.key === current.key} />{' '}
                <span class="group-contents__count">
                  {g.scored} of {g.total}
                </span>{' '}
                {groupState(g)}
                {g.revisit > 0 && (
                  <>
                    {' '}
                    <strong class="tag tag--yellow">{g.revisit} to revisit</strong>
                  </>
                )}
              </li>
            ))}
          </ol>
        </nav>
      )}
      <ScaleGuide scale={props.scale} />
      <section class="answer-group" aria-labelledby={heading !== null ? 'group-title' : undefined}>
        {heading !== null && (
          <h2 id="group-title" class="answer-group__title">
            {heading}{' '}
            <span class="answer-group__progress">
              {current.scored} of {current.total} scored
            </span>
          </h2>
        )}
        {props.trial !== undefined && groupWide(props.trial, current) && (
          <TrialBeside result={props.trial.result} tasks={props.trial.tasks} criterion={current.name ?? ''} />
        )}
        {current.answers.map((answer, i) => (
          <div class="answer-block">
            {props.trial !== undefined && !groupWide(props.trial, current) && firstUnder(props.trial, current.answers, i) && (
              <TrialBeside result={props.trial.result} tasks={props.trial.tasks} criterion={props.trial.linkedAt.get(answer.criterion.id)!.name} />
            )}
            {props.supplier?.get(answer.criterion.id) !== undefined && (
              <SupplierResponse view={props.supplier.get(answer.criterion.id)!} criterion={answer.criterion} />
            )}
            <AnswerForm {...answer} />
            {props.panel?.get(answer.criterion.id) !== undefined && <PanelScores view={props.panel.get(answer.criterion.id)!} />}
          </div>
        ))}
      </section>
      <GroupNavigation previous={props.previous} next={props.next} label="Groups" />
      {!props.submitted && (
        <form method="post" action={`/evaluations/${evaluation.id}/scoring/${option.id}/submit`} class="submit-scores" id="submit" novalidate>
          <h2>Submit your scores for {option.name}</h2>
          <p>
            When every criterion in every group has a score and rationale ({props.scored} of {props.total} now), submit. Submitting locks your scores for this
            option: you cannot change them afterwards.
          </p>
          <Checkbox name="confirm" label={`I have finished scoring ${option.name}: lock my scores`} checked={false} error={props.errors.confirm} />
          <button class="button" type="submit">
            Submit and lock scores for {option.name}
          </button>
        </form>
      )}
      {props.response !== undefined && (
        <section class="consensus-response" id="consensus-response">
          <h2>The panel’s consensus on {option.name}</h2>
          {props.response.kind === 'confirmed' && <p>You confirmed that the consensus scores reflect the panel’s discussion.</p>}
          {props.response.kind === 'dissented' && <p>You recorded a dissent: {props.response.reason}</p>}
          <p>Every criterion now has a consensus, shown beside your scores. Confirm that it reflects the discussion, or record your dissent and why.</p>
          <form method="post" action={`/evaluations/${evaluation.id}/scoring/${option.id}/consensus`} novalidate>
            <fieldset class="fieldset">
              <legend>Your response</legend>
              <div class="radio">
                <input type="radio" id="response-confirm" name="response" value="confirm" checked={props.values?.response === 'confirm'} />
                <label for="response-confirm">The consensus reflects the discussion</label>
              </div>
              <div class="radio">
                <input type="radio" id="response-dissent" name="response" value="dissent" checked={props.values?.response === 'dissent'} />
                <label for="response-dissent">I dissent</label>
              </div>
            </fieldset>
            <TextArea name="reason" label="Reason for a dissent" value={props.values?.reason} error={props.errors.reason} rows={2} />
            <button class="button button--secondary" type="submit">
              Record my response
            </button>
          </form>
        </section>
      )}
    </Layout>
  )
}
