import type { Evaluation } from '../../src/db/schema.js'
import { formatDate } from '../../src/format.js'
import { Checkbox, ErrorSummary, TextArea, type FieldErrors, type FormValues } from '../components/form.js'
import { Layout } from '../layout.js'

const crumbs = (evaluation: Evaluation) => [
  { href: '/evaluations', label: 'Evaluations' },
  { href: `/evaluations/${evaluation.id}`, label: evaluation.title },
]

export interface FinalisePageProps {
  evaluation: Evaluation
  /** Why it cannot be finalised yet (nothing: it can). */
  blockers: string[]
  /** The engine's warnings on the results, for the lead to read first. */
  warnings: string[]
  entries: number
  preferred: string | null
  errors: FieldErrors
}

/** One thing on the page: finalising this version, after reading what it means. */
export function FinalisePage({ evaluation, blockers, warnings, entries, preferred, errors }: FinalisePageProps) {
  return (
    <Layout title={`Finalise version ${evaluation.version}`} crumbs={crumbs(evaluation)}>
      <ErrorSummary errors={errors} />
      <span class="caption">{evaluation.title}</span>
      <h1>Finalise version {evaluation.version}</h1>
      {blockers.length > 0 ? (
        <div class="notice notice--warning" role="status">
          <h2 class="notice__title">It cannot be finalised yet</h2>
          <ul>
            {blockers.map((b) => (
              <li>{b}</li>
            ))}
          </ul>
        </div>
      ) : (
        <>
          <p>Finalising signs off the evaluation as it stands now:</p>
          <ul class="list">
            <li>
              the final report (PDF) is made and kept exactly as it is, with the fingerprints (SHA-256) of the evaluation file and of the audit log ({entries}{' '}
              {entries === 1 ? 'entry' : 'entries'}) it was made from;
            </li>
            <li>every change is then refused: scores, consensus, weights, options, costs and settings;</li>
            <li>
              to change anything afterwards you reopen it, giving a reason. That is recorded, and starts version {evaluation.version + 1}; this version’s final
              report stays available.
            </li>
          </ul>
          <p>{preferred === null ? 'No single option is preferred on the current figures.' : `The preferred option on the current figures is ${preferred}.`}</p>
          {warnings.length > 0 && (
            <div class="notice notice--warning">
              <h2 class="notice__title">Read these warnings first</h2>
              <ul>
                {warnings.map((w) => (
                  <li>{w}</li>
                ))}
              </ul>
            </div>
          )}
          <form method="post" action={`/evaluations/${evaluation.id}/finalise`} novalidate>
            <Checkbox
              name="confirm"
              checked={false}
              error={errors.confirm}
              label={`I have read the results, the sensitivity analysis and the warnings, and version ${evaluation.version} is ready for decision`}
            />
            <button class="button" type="submit">
              Finalise version {evaluation.version}
            </button>
          </form>
        </>
      )}
      <p>
        <a href={`/evaluations/${evaluation.id}`}>Back to the evaluation</a>
      </p>
    </Layout>
  )
}

export function ReopenPage({ evaluation, values, errors }: { evaluation: Evaluation; values: FormValues; errors: FieldErrors }) {
  return (
    <Layout title={`Reopen version ${evaluation.version}`} crumbs={crumbs(evaluation)}>
      <ErrorSummary errors={errors} />
      <span class="caption">{evaluation.title}</span>
      <h1>Reopen the evaluation</h1>
      <p>
        Version {evaluation.version} was finalised by {evaluation.finalised_by_name ?? 'its lead'}
        {evaluation.finalised_at !== null && ` on ${formatDate(evaluation.finalised_at)}`}. Reopening lets the panel make changes again, as version{' '}
        {evaluation.version + 1}. Version {evaluation.version}’s final report stays available as it was signed off.
      </p>
      <form method="post" action={`/evaluations/${evaluation.id}/reopen`} novalidate>
        <TextArea
          name="reason"
          label="Why is it being reopened?"
          hint="This is recorded in the audit log and shown with the history. Say what needs to change and who asked for it."
          value={values.reason}
          error={errors.reason}
          rows={5}
        />
        <button class="button button--warning" type="submit">
          Reopen as version {evaluation.version + 1}
        </button>
      </form>
      <p>
        <a href={`/evaluations/${evaluation.id}`}>Back to the evaluation</a>
      </p>
    </Layout>
  )
}
