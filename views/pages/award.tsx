import type { AwardRecord } from '../../src/db/award.js'
import type { Evaluation, Option } from '../../src/db/schema.js'
import { formatDate } from '../../src/format.js'
import { Checkbox, ErrorSummary, Select, TextField, type FieldErrors, type FormValues } from '../components/form.js'
import { Layout } from '../layout.js'

export interface AwardPageProps {
  evaluation: Evaluation
  award: AwardRecord | undefined
  /** The evaluation's tenders, in order. */
  tenders: Option[]
  /** The preferred tender's key in the finalised version, or null. */
  preferredKey: string | null
  errors: FieldErrors
  values?: FormValues | undefined
}

const day = (date: string) => formatDate(new Date(`${date}T12:00:00Z`))

/**
 * The award record of a finalised evaluation: the award decision and the standstill period, who was
 * notified when, each tender's assessment summary, and the award as open data.
 */
export function AwardPage({ evaluation, award, tenders, preferredKey, errors, values }: AwardPageProps) {
  const base = `/evaluations/${evaluation.id}/award`
  const finalised = evaluation.status === 'finalised'
  const value = (name: string, stored: string | undefined) => (values?.[name] !== undefined ? values[name] : (stored ?? ''))
  const nameOf = (key: string) => {
    const option = tenders.find((o) => o.key === key)
    return option === undefined ? key : (option.supplier ?? option.name)
  }
  return (
    <Layout
      title={`Award record, ${evaluation.title}`}
      crumbs={[
        { href: '/evaluations', label: 'Evaluations' },
        { href: `/evaluations/${evaluation.id}`, label: evaluation.title },
      ]}>
      <ErrorSummary errors={errors} />
      <span class="caption">{evaluation.title}</span>
      <h1>Award record</h1>
      {!finalised ? (
        <div class="notice notice--warning" role="status">
          <h2 class="notice__title">Finalise the evaluation first</h2>
          <p>
            The award record, the assessment summaries and the open data come from a finalised version, so that every supplier is told exactly what the
            signed-off record says.
          </p>
        </div>
      ) : (
        <>
          <p>
            Version {evaluation.version} is finalised. Record the award decision and the standstill period, send each supplier its assessment summary, and
            record when each was notified. Every change here is kept in the history of changes.
          </p>
          <h2>Assessment summaries</h2>
          {preferredKey === null ? (
            <p>There is no single preferred tender in this version (the leading tenders tie, or none is eligible), so there are no summaries to send.</p>
          ) : (
            <>
              <p>
                Each summary gives the supplier its tender’s consensus scores and reasons beside the preferred tender’s ({nameOf(preferredKey)}), both tenders’
                totals and ranks, the price basis and formula, and the dates below. It names no other supplier.
              </p>
              <ul class="list">
                {tenders.map((o) => (
                  <li>
                    <a href={`${base}/summaries/${o.id}`} download>
                      Assessment summary for {o.supplier ?? o.name} (PDF)
                    </a>
                    {o.key === preferredKey && ' — the preferred tender'}
                  </li>
                ))}
              </ul>
              <p>
                <a class="button button--secondary" href={`${base}/summaries.zip`} download>
                  Download every summary (zip)
                </a>{' '}
                <a class="button button--secondary" href={`${base}/ocds.json`} download>
                  Download the award as open data (OCDS JSON)
                </a>
              </p>
              <p>
                <a href={`${base}/evaluation.json`} download>
                  Download this finalised version as an evaluation file
                </a>
                , with its award record and version, for <code>appraise summary</code> on the command line.
              </p>
            </>
          )}
          <h2>Award decision and standstill period</h2>
          <form method="post" action={base} novalidate>
            <TextField
              name="decisionDate"
              type="date"
              width="short"
              label="Award decision date"
              value={value('decisionDate', award?.decisionDate)}
              error={errors.decisionDate}
            />
            <TextField
              name="standstillStart"
              type="date"
              width="short"
              label="Standstill period begins"
              hint="The day the contract award notice is published"
              value={value('standstillStart', award?.standstillStart)}
              error={errors.standstillStart}
            />
            <TextField
              name="standstillEnd"
              type="date"
              width="short"
              label="Standstill period ends"
              hint="At midnight at the end of this day; at least eight working days after it begins"
              value={value('standstillEnd', award?.standstillEnd)}
              error={errors.standstillEnd}
            />
            <Checkbox
              name="publishAllFigures"
              checked={values === undefined ? award?.publishAllFigures === true : values.publishAllFigures === 'on'}
              error={errors.publishAllFigures}
              label="Publish every tender’s figures in the open data"
              hint="Only once the standstill period has ended. Until then the open data gives the winning tender’s figures only."
            />
            <button class="button" type="submit">
              Save the dates
            </button>
          </form>
          <h2>Suppliers notified</h2>
          {(award?.notifications ?? []).length === 0 ? (
            <p>No supplier has been recorded as notified yet.</p>
          ) : (
            <div class="table-scroll">
              <table class="table">
                <caption class="visually-hidden">Suppliers notified of the outcome</caption>
                <thead>
                  <tr>
                    <th scope="col">Supplier</th>
                    <th scope="col">Date</th>
                    <th scope="col">To</th>
                    <th scope="col">How</th>
                  </tr>
                </thead>
                <tbody>
                  {(award?.notifications ?? []).map((n) => (
                    <tr>
                      <th scope="row">{nameOf(n.option)}</th>
                      <td>{day(n.date)}</td>
                      <td>{n.to ?? '—'}</td>
                      <td>{n.method ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <form method="post" action={`${base}/notifications`} novalidate>
            <h3>Record a notification</h3>
            <Select
              name="option"
              label="Supplier"
              options={[{ value: '', label: 'Choose a supplier' }, ...tenders.map((o) => ({ value: String(o.id), label: o.supplier ?? o.name }))]}
              value={values?.option}
              error={errors.option}
            />
            <TextField name="date" type="date" width="short" label="Date notified" value={values?.date ?? ''} error={errors.date} />
            <TextField name="to" label="Who was told" hint="Optional: a name or email address" value={values?.to ?? ''} error={errors.to} />
            <TextField name="method" label="How" hint="Optional: email, the procurement portal, letter" value={values?.method ?? ''} error={errors.method} />
            <button class="button button--secondary" type="submit">
              Record the notification
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
