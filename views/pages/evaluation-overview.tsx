import type { Criterion, Evaluation, Option, ScaleLevel } from '../../src/db/schema.js'
import type { FinalisedVersion } from '../../src/db/sign-off.js'
import { useMay } from '../../src/auth/viewer.js'
import { formatDateTime } from '../../src/format.js'
import { CHECK_ON_OPEN_LIMIT } from '../partials/record-check.js'
import { Layout } from '../layout.js'

export interface EvaluationOverviewProps {
  evaluation: Evaluation
  options: Option[]
  criteria: Criterion[]
  levels: ScaleLevel[]
  panelSize: number
  scoreCount: number
  consensusCount: number
  /** The versions signed off so far, oldest first, each with its final report. */
  versions: FinalisedVersion[]
  /** Some tender (a supplier's option, ranked on price) has a cost line. */
  tenderCosts: boolean
}

export function EvaluationOverviewPage(props: EvaluationOverviewProps) {
  const { evaluation, options, criteria } = props
  const base = `/evaluations/${evaluation.id}`
  const scored = criteria.filter((c) => c.kind === 'criterion').length
  const gates = criteria.filter((c) => c.kind === 'gate').length
  const may = useMay()
  return (
    <Layout title={evaluation.title} crumbs={[{ href: '/evaluations', label: 'Evaluations' }]}>
      {evaluation.archived === 1 && (
        <div class="notice" role="status">
          This evaluation is archived. It is kept for the record and can be restored.
        </div>
      )}
      {evaluation.status === 'finalised' && (
        <div class="notice notice--success" role="status" id="finalised">
          <h2 class="notice__title">Version {evaluation.version} is finalised</h2>
          <p>
            Finalised by {evaluation.finalised_by_name ?? 'its lead'}
            {evaluation.finalised_at !== null && ` on ${formatDateTime(evaluation.finalised_at)}`}. It takes no changes: scores, consensus, weights, options,
            costs and settings are locked.{' '}
            {may('POST /evaluations/:id/reopen') ? 'You can reopen it, giving a reason, as' : 'The lead can reopen it, giving a reason, as'} version{' '}
            {evaluation.version + 1}.
          </p>
        </div>
      )}
      <span class="caption">{evaluation.organisation ?? 'Evaluation'}</span>
      <h1>{evaluation.title}</h1>
      {evaluation.summary !== null && <p class="summary">{evaluation.summary}</p>}
      {splitNeverSet(evaluation, props.tenderCosts) && may('POST /evaluations/:id/settings') && (
        <div class="notice notice--warning" id="split-unset">
          <h2 class="notice__title">The quality/cost split is still 100/0</h2>
          <p>
            Tenders have costs, but the total score counts quality alone until the split is set. Agree the split before tenders open and{' '}
            <a href={`${base}/settings#f-splitQuality`}>set it in the appraisal settings</a>.
          </p>
        </div>
      )}
      <nav aria-label="This evaluation" class="task-list">
        <ul>
          {may('GET /evaluations/:id/scoring') && (
            <li>
              <a href={`${base}/scoring`}>Your scoring</a>
              <span class="task-list__status">Declare any interest, then score each option</span>
            </li>
          )}
          {may('GET /evaluations/:id/moderation') && (
            <li>
              <a href={`${base}/moderation`}>Panel progress and moderation</a>
              <span class="task-list__status">Declarations, who has scored what, and consensus</span>
            </li>
          )}
          {may('GET /evaluations/:id/options') && (
            <li>
              <a href={`${base}/options`}>Options</a>
              <span class="task-list__status">
                {options.length} {options.length === 1 ? 'option' : 'options'}
                {options.some((o) => o.baseline === 1) ? ', baseline set' : ', no baseline'}
              </span>
            </li>
          )}
          {may('GET /evaluations/:id/tender') && (
            <li>
              <a href={`${base}/tender`}>Tender documents and responses</a>
              <span class="task-list__status">Each option’s documents and the supplier’s response to each criterion, shown to evaluators beside it</span>
            </li>
          )}
          {may('GET /evaluations/:id/criteria') && (
            <li>
              <a href={`${base}/criteria`}>Criteria and weights</a>
              <span class="task-list__status">
                {scored} scored {scored === 1 ? 'criterion' : 'criteria'}, {gates} {gates === 1 ? 'gate' : 'gates'}
              </span>
            </li>
          )}
          {may('GET /evaluations/:id/weighting') && (
            <li>
              <a href={`${base}/weighting`}>Weighting rounds</a>
              <span class="task-list__status">Stakeholders compare criteria in pairs; the group’s weights can be applied</span>
            </li>
          )}
          {may('GET /evaluations/:id/trials') && (
            <li>
              <a href={`${base}/trials`}>Frontline trials</a>
              <span class="task-list__status">Tasks, sessions with a one-time code for each participant, SUS and task figures per option and role</span>
            </li>
          )}
          {may('GET /evaluations/:id/settings') && (
            <li>
              <a href={`${base}/settings`}>Appraisal settings</a>
              <span class="task-list__status">
                Real {evaluation.base_year} prices over {evaluation.years} years; discounting, optimism bias, quality/cost split
              </span>
            </li>
          )}
          {may('GET /evaluations/:id/costs') && (
            <li>
              <a href={`${base}/costs`}>Costs and benefits</a>
              <span class="task-list__status">Whole-life cost of each option, sunk costs, CSV import and export</span>
            </li>
          )}
          {may('GET /evaluations/:id/results') && (
            <li>
              <a href={`${base}/results`}>Results</a>
              <span class="task-list__status">
                {props.scoreCount} individual scores from {props.panelSize} panel members; {props.consensusCount} consensus scores
              </span>
            </li>
          )}
          {may('GET /evaluations/:id/sensitivity') && (
            <li>
              <a href={`${base}/sensitivity`}>Sensitivity</a>
              <span class="task-list__status">How far weights and costs can move before the preferred option changes</span>
            </li>
          )}
          {may('GET /evaluations/:id/panel') && (
            <li>
              <a href={`${base}/panel`}>Panel and roles</a>
              <span class="task-list__status">Who leads, scores, models costs and observes</span>
            </li>
          )}
        </ul>
      </nav>
      {/* Stakeholders see the criteria and nothing of the tenders. */}
      {may('GET /evaluations/:id/options') && <h2>Options</h2>}
      {!may('GET /evaluations/:id/options') ? null : options.length === 0 ? (
        <p>
          No options yet. <a href={`${base}/options`}>Add the options</a>, the current system (business as usual) first.
        </p>
      ) : (
        <ul class="list">
          {options.map((o) => (
            <li>
              {o.name}
              {o.baseline === 1 && <strong class="tag">Baseline</strong>}
            </li>
          ))}
        </ul>
      )}
      <h2>Scoring scale</h2>
      <p>
        From {evaluation.scale_min} to {evaluation.scale_max}.
      </p>
      {props.levels.length > 0 && (
        <dl class="summary-list">
          {props.levels.map((l) => (
            <div class="summary-list__row">
              <dt>
                {l.level}
                {l.label !== null ? ` – ${l.label}` : ''}
              </dt>
              <dd>{l.descriptor ?? ''}</dd>
            </div>
          ))}
        </dl>
      )}
      <h2>The record</h2>
      <p>
        Version {evaluation.version}, {evaluation.status === 'finalised' ? 'finalised' : 'open for changes'}. Every change is kept in a tamper-evident audit
        log: who made it, when, and the values before and after.
      </p>
      {may('GET /evaluations/:id/record-check') && (
        // Checked as the page opens, unless the evaluation is so large that the check takes seconds
        // of the server's time: then it is run when asked for.
        <div
          id="record-check"
          {...(props.scoreCount + props.consensusCount <= CHECK_ON_OPEN_LIMIT
            ? { 'hx-get': `${base}/record-check`, 'hx-trigger': 'load', 'hx-swap': 'innerHTML' }
            : {})}>
          <p>
            <a href={`${base}/record-check`}>Check that the records match the audit log</a>
          </p>
        </div>
      )}
      <ul class="button-group">
        {may('GET /evaluations/:id/history') && (
          <li>
            <a class="button button--secondary" href={`${base}/history`}>
              History of changes
            </a>
          </li>
        )}
        {evaluation.status === 'open' && may('POST /evaluations/:id/finalise') && (
          <li>
            <a class="button" href={`${base}/finalise`}>
              Finalise version {evaluation.version}
            </a>
          </li>
        )}
        {evaluation.status === 'finalised' && may('GET /evaluations/:id/award') && (
          <li>
            <a class="button" href={`${base}/award`}>
              Award record and assessment summaries
            </a>
          </li>
        )}
        {evaluation.status === 'finalised' && may('POST /evaluations/:id/reopen') && (
          <li>
            <a class="button button--secondary" href={`${base}/reopen`}>
              Reopen as version {evaluation.version + 1}
            </a>
          </li>
        )}
      </ul>
      {props.versions.length > 0 && (
        <div class="table-scroll">
          <table class="table">
            <caption>Final reports, as signed off</caption>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Finalised</th>
                <th scope="col">SHA-256 of the PDF</th>
                <th scope="col">
                  <span class="visually-hidden">Download</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {props.versions.map((v) => (
                <tr>
                  <th scope="row">{v.version}</th>
                  <td>
                    {formatDateTime(v.finalisedAt)} by {v.finalisedBy}
                  </td>
                  <td>
                    <code class="hash">{v.pdfSha256.slice(0, 16)}…</code>
                  </td>
                  <td>
                    {may('GET /evaluations/:id/versions/:version/report.pdf') && (
                      <a href={`${base}/versions/${v.version}/report.pdf`} download>
                        Download version {v.version} (PDF, {Math.max(1, Math.round(v.bytes / 1024))} KB)
                      </a>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>Manage</h2>
      <ul class="button-group">
        {may('POST /evaluations/:id') && (
          <li>
            <a class="button button--secondary" href={`${base}/edit`}>
              Edit details and scale
            </a>
          </li>
        )}
        {may('GET /evaluations/:id/export') && (
          <li>
            <a class="button button--secondary" href={`${base}/export`} download>
              Download evaluation file (JSON)
            </a>
          </li>
        )}
        {may('GET /evaluations/:id/plan') && (
          <li>
            <a class="button button--secondary" href={`${base}/plan`}>
              Evaluation plan ({evaluation.plan_version === 0 ? 'draft, not approved' : `approved, version ${evaluation.plan_version}`})
            </a>
          </li>
        )}
        {may('GET /evaluations/:id/plan.pdf') && (
          <li>
            <a class="button button--secondary" href={`${base}/plan.pdf`} download>
              Download evaluation plan (PDF)
            </a>
          </li>
        )}
        {may('GET /evaluations/:id/report.pdf') && (
          <li>
            <a class="button button--secondary" href={`${base}/report.pdf`} download>
              {evaluation.status === 'finalised' ? `Download the final report (PDF, version ${evaluation.version})` : 'Download report (PDF, draft)'}
            </a>
          </li>
        )}
        {may('POST /evaluations/:id/archive') && (
          <li>
            <form method="post" action={`${base}/${evaluation.archived === 1 ? 'restore' : 'archive'}`}>
              <button class="button button--secondary" type="submit">
                {evaluation.archived === 1 ? 'Restore from archive' : 'Archive'}
              </button>
            </form>
          </li>
        )}
      </ul>
    </Layout>
  )
}

/** The split is still the default 100/0 while tenders have costs: nobody has set it, and cost counts for nothing. */
function splitNeverSet(evaluation: Evaluation, tenderCosts: boolean): boolean {
  return tenderCosts && evaluation.status !== 'finalised' && evaluation.split_quality === 100 && evaluation.split_cost === 0
}
