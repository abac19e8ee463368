import { useMay } from '../../src/auth/viewer.js'
import type { Evaluation, Option, PlanVersion } from '../../src/db/schema.js'
import { formatMoment } from '../../src/format.js'
import { Checkbox, ErrorSummary, Select, TextArea, type FieldErrors, type FormValues } from '../components/form.js'
import { PlanReasonField } from '../components/plan-reason.js'
import { Layout } from '../layout.js'

export interface PlanPageProps {
  evaluation: Evaluation
  versions: PlanVersion[]
  /** SHA-256 of the plan as the records hold it now. */
  hash: string
  /** Scores given before a change to their criterion, for the panel to revisit: "Helen Marsh on “Crime recording” for “Product A”". */
  revisit: string[]
  /** The tenders tied first, when the preferred tender is a tie. */
  tied: Pick<Option, 'key' | 'name'>[]
  values: FormValues
  errors: FieldErrors
}

/** The evaluation plan: its status and hash, the lead's approval, the tie-breaker, and every version since. */
export function PlanPage(props: PlanPageProps) {
  const { evaluation, versions, errors, values } = props
  const may = useMay()
  const base = `/evaluations/${evaluation.id}`
  const latest = versions.at(-1)
  return (
    <Layout
      title={`Evaluation plan – ${evaluation.title}`}
      crumbs={[
        { href: '/evaluations', label: 'Evaluations' },
        { href: base, label: evaluation.title },
      ]}>
      <h1>Evaluation plan</h1>
      <ErrorSummary errors={errors} fieldIds={{ criteria: 'plan-status', form: 'plan-status', tieDecisionOption: 'f-tieDecisionOption' }} />
      <p>
        The plan is how tenders will be evaluated: the criteria and weights, the scale and its descriptors, the gates, the quality/cost split, the price
        formula, the panel’s rules and the tie-breaker. It is fixed before tenders are opened: scoring and declarations of interest open once the lead approves
        it.
      </p>
      <div id="plan-status" class={latest === undefined ? 'notice notice--warning' : 'notice'} role="status">
        {latest === undefined ? (
          <p>
            <strong>Draft: not approved yet.</strong> Scoring and declarations of interest open once the lead approves it.
          </p>
        ) : (
          <p>
            <strong>Approved{versions.length > 1 ? `, version ${latest.version}` : ''}.</strong> Approved on {formatMoment(versions[0]!.approved_at)} by{' '}
            {versions[0]!.approved_by_name}
            {versions.length > 1 ? `; last changed on ${formatMoment(latest.approved_at)} by ${latest.approved_by_name}` : ''}.
          </p>
        )}
        <p>
          SHA-256 of the plan: <code>{props.hash}</code>
        </p>
        {errors.criteria !== undefined && <p class="error-message">{errors.criteria}</p>}
        {errors.form !== undefined && <p class="error-message">{errors.form}</p>}
      </div>
      {may('GET /evaluations/:id/plan.pdf') && (
        <p>
          <a class="button button--secondary" href={`${base}/plan.pdf`} download>
            Download evaluation plan (PDF)
          </a>
        </p>
      )}
      {latest === undefined && may('POST /evaluations/:id/plan/approve') && (
        <form method="post" action={`${base}/plan/approve`} novalidate>
          <h2>Approve the plan</h2>
          <p>
            Check the <a href={`${base}/criteria`}>criteria and weights</a>, the <a href={`${base}/edit`}>scale</a>, the{' '}
            <a href={`${base}/settings`}>split and price formula</a> and the <a href={`${base}/moderation`}>panel’s rules</a> first. After approval, each change
            needs a reason and starts a new version of the plan.
          </p>
          {errors.confirmNoCostWeight !== undefined && (
            <Checkbox
              name="confirmNoCostWeight"
              label="Cost has no weight on purpose: price will not affect the result"
              checked={values.confirmNoCostWeight === 'on'}
              error={errors.confirmNoCostWeight}
            />
          )}
          <button class="button" type="submit">
            Approve the plan
          </button>
        </form>
      )}
      {may('POST /evaluations/:id/plan/tie-breaker') && evaluation.status !== 'finalised' && (
        <form method="post" action={`${base}/plan/tie-breaker`} novalidate>
          <h2>Tie-breaker</h2>
          <TextArea
            name="tieBreaker"
            label="What decides between tenders with equal totals"
            hint="For example: the higher quality score; if still equal, the lower tendered price. It is part of the plan."
            value={values.tieBreaker ?? evaluation.tie_breaker ?? ''}
            error={errors.tieBreaker}
            rows={3}
          />
          <PlanReasonField evaluation={evaluation} values={values} errors={errors} />
          <button class="button button--secondary" type="submit">
            Save the tie-breaker
          </button>
        </form>
      )}
      {props.tied.length > 1 && may('POST /evaluations/:id/plan/tie-decision') && (
        <form method="post" action={`${base}/plan/tie-decision`} novalidate>
          <h2>Apply the tie-breaker</h2>
          <p>
            {props.tied.map((o) => o.name).join(' and ')} are tied first. The plan’s tie-breaker:{' '}
            {evaluation.tie_breaker ?? 'none is named yet: add one above first'}.
          </p>
          <Select
            name="tieDecisionOption"
            label="The tender the tie-breaker favours"
            value={values.tieDecisionOption ?? ''}
            error={errors.tieDecisionOption}
            options={[{ value: '', label: 'Choose a tender' }, ...props.tied.map((o) => ({ value: o.key, label: o.name }))]}
          />
          <TextArea
            name="tieDecisionReason"
            label="How the tie-breaker decides it"
            value={values.tieDecisionReason}
            error={errors.tieDecisionReason}
            rows={3}
          />
          <button class="button" type="submit">
            Record the decision
          </button>
        </form>
      )}
      {versions.length > 0 && (
        <>
          <h2>Versions of the plan</h2>
          <table class="table">
            <caption class="visually-hidden">Each version of the plan</caption>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">When and by whom</th>
                <th scope="col">What</th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr>
                  <td>{v.version}</td>
                  <td>
                    {formatMoment(v.approved_at)}, {v.approved_by_name}
                  </td>
                  <td>
                    {v.reason === null ? 'Approved' : `Changed after approval: ${v.reason}`}
                    <br />
                    <span class="hint">SHA-256 {v.hash}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {props.revisit.length > 0 && (
        <>
          <h2>Scores to revisit</h2>
          <p>
            These scores were given before a change to their criterion: the panel should look at them again. Each evaluator sees theirs flagged beside the
            answer on their scoring page, and clears a flag by saving the answer again, changed or not. A score already submitted is locked, so its flag stays,
            shown on the moderation page for the panel to weigh in the consensus.
          </p>
          <ul>
            {props.revisit.map((line) => (
              <li>{line}</li>
            ))}
          </ul>
        </>
      )}
    </Layout>
  )
}
