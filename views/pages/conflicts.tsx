import type { Evaluation } from '../../src/db/schema.js'
import { ErrorSummary, TextArea, type FieldErrors, type FormValues } from '../components/form.js'
import { formatDateTime } from '../../src/format.js'
import { Layout } from '../layout.js'

/** One person with a role on the evaluation, as the conflicts assessment lists them. */
export interface ConflictRow {
  name: string
  /** Their roles, in words: "Lead", "Evaluator", "Finance and approver". */
  roles: string
  /** none: never declared; renew: declared before these suppliers were known; no-interest; interest. */
  state: 'none' | 'renew' | 'no-interest' | 'interest'
  newSuppliers: readonly string[]
  /** Kept through a renewal: whether they declared an interest, in what, and the details. */
  interest: { supplier: string | null; details: string | null } | null
  declaredAt: string | null
  /** A role declaration the lead assesses here (its id), or a panel member's, decided on the moderation page. */
  assess:
    | { kind: 'role'; id: number; assessment: string | null; mitigation: string | null; assessedAt: string | null }
    | { kind: 'panel'; decision: string | null; note: string | null; decidedAt: string | null }
    | null
}

export interface ConflictsPageProps {
  evaluation: Evaluation
  rows: ConflictRow[]
  suppliers: readonly string[]
  /** The form that failed, by declaration id, with what was typed. */
  failed?: { id: number; values: FormValues; errors: FieldErrors } | undefined
  /** Whether the lead may change the record (not once finalised). */
  canAssess: boolean
}

const STATE_WORDS = { none: 'No declaration', renew: 'To renew', 'no-interest': 'No interest', interest: 'Interest declared' } as const

/**
 * The conflicts assessment: everyone with a role on the evaluation, their declaration against the
 * suppliers known now, and the lead's assessment and mitigation of each declared interest.
 */
export function ConflictsPage({ evaluation, rows, suppliers, failed, canAssess }: ConflictsPageProps) {
  const base = `/evaluations/${evaluation.id}/conflicts`
  const missing = rows.filter((r) => r.state === 'none' || r.state === 'renew').length
  return (
    <Layout
      title={`Conflicts of interest – ${evaluation.title}`}
      crumbs={[
        { href: '/evaluations', label: 'Evaluations' },
        { href: `/evaluations/${evaluation.id}`, label: evaluation.title },
      ]}>
      <span class="caption">{evaluation.title}</span>
      <h1>Conflicts of interest</h1>
      <p>
        Everyone who can influence the decision declares any interest in a supplier before working on the tenders, and again when more suppliers are known
        (Procurement Act 2023, ss. 81–83). For each declared interest, record your assessment and what is done about it; this page is the conflicts assessment
        the record keeps, and the report prints it. A panel member’s interest is decided on the{' '}
        <a href={`/evaluations/${evaluation.id}/moderation#declarations`}>moderation page</a>.
      </p>
      <p>
        {suppliers.length === 0 ? 'No supplier is named on the options yet.' : `The suppliers known now: ${suppliers.join('; ')}.`}{' '}
        {missing === 0 ? 'Every declaration is current.' : `${missing} ${missing === 1 ? 'person has' : 'people have'} still to declare or renew.`}
      </p>
      {failed !== undefined && <ErrorSummary errors={failed.errors} />}
      <table class="table" id="conflicts">
        <caption class="visually-hidden">Declarations and their assessment</caption>
        <thead>
          <tr>
            <th scope="col">Person</th>
            <th scope="col">Declaration</th>
            <th scope="col">Assessment and mitigation</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr>
              <th scope="row">
                {row.name}
                <span class="hint"> {row.roles}</span>
              </th>
              <td>
                <strong class={`tag ${row.state === 'interest' ? 'tag--yellow' : row.state === 'no-interest' ? 'tag--green' : 'tag--red'}`}>
                  {STATE_WORDS[row.state]}
                </strong>
                {row.state === 'renew' && ` Declared before ${row.newSuppliers.join(', ')} ${row.newSuppliers.length === 1 ? 'was' : 'were'} known.`}
                {row.interest !== null && (
                  <>
                    {' '}
                    In {row.interest.supplier ?? 'a supplier not named'}
                    {row.interest.details === null ? '.' : `: ${row.interest.details}`}
                  </>
                )}
                {row.declaredAt !== null && <span class="hint"> Declared {formatDateTime(row.declaredAt)}.</span>}
              </td>
              <td>
                <Assessment row={row} base={base} failed={failed} canAssess={canAssess} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  )
}

function Assessment({ row, base, failed, canAssess }: { row: ConflictRow; base: string; failed: ConflictsPageProps['failed']; canAssess: boolean }) {
  const assess = row.assess
  if (row.interest === null || assess === null) return <span class="hint">—</span>
  if (assess.kind === 'panel') {
    return assess.decision === null ? (
      <strong class="tag tag--red">No decision yet</strong>
    ) : (
      <>
        Decision: {assess.decision}.{assess.note === null ? '' : ` ${assess.note}`}
        {assess.decidedAt !== null && <span class="hint"> Decided {formatDateTime(assess.decidedAt)}.</span>}
      </>
    )
  }
  const mine = failed?.id === assess.id ? failed : undefined
  const values = mine?.values ?? { assessment: assess.assessment ?? '', mitigation: assess.mitigation ?? '' }
  const errors = mine?.errors ?? {}
  const recorded =
    assess.assessment === null ? (
      <strong class="tag tag--red">Not assessed yet</strong>
    ) : (
      <p>
        {assess.assessment} <strong>Mitigation:</strong> {assess.mitigation}
        {assess.assessedAt !== null && <span class="hint"> Assessed {formatDateTime(assess.assessedAt)}.</span>}
      </p>
    )
  if (!canAssess) return recorded
  return (
    <>
      {recorded}
      <form method="post" action={`${base}/${assess.id}`} novalidate>
        <TextArea name="assessment" idPrefix={`c${assess.id}`} label="Your assessment" value={values.assessment} error={errors.assessment} rows={2} />
        <TextArea name="mitigation" idPrefix={`c${assess.id}`} label="Mitigation" value={values.mitigation} error={errors.mitigation} rows={2} />
        <button class="button button--secondary" type="submit">
          Record assessment<span class="visually-hidden"> of {row.name}’s interest</span>
        </button>
      </form>
    </>
  )
}
