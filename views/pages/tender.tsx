import type { Criterion, Evaluation, Option, TenderDocument, TenderResponse } from '../../src/db/schema.js'
import { useMay } from '../../src/auth/viewer.js'
import { formatCount } from '../../src/format.js'
import { DOCUMENT_TYPES, DOCUMENT_TYPES_IN_WORDS, MAX_DOCUMENT_BYTES } from '../../src/tender-files.js'
import { Checkbox, ErrorSummary, Select, TextArea, TextField, type FieldErrors, type FormValues } from '../components/form.js'
import { Layout } from '../layout.js'
import { GroupLink } from '../components/group-link.js'

function crumbs(evaluation: Evaluation) {
  return [
    { href: '/evaluations', label: 'Evaluations' },
    { href: `/evaluations/${evaluation.id}`, label: evaluation.title },
  ]
}

/** A size in words: "2.4 MB", "18 KB". */
export function sizeInWords(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`
  return `${bytes} bytes`
}

function typeInWords(mediaType: string): string {
  return Object.values(DOCUMENT_TYPES).find((t) => t.mediaType === mediaType)?.words ?? mediaType
}

function PlanNotice({ evaluation }: { evaluation: Evaluation }) {
  if ((evaluation.plan_version ?? 0) > 0) return null
  return (
    <div class="notice notice--warning" role="status">
      The evaluation plan is not approved yet. Tender material is loaded once the lead approves it, as the plan is published with the tender.
    </div>
  )
}

export function TenderPage(props: { evaluation: Evaluation; counts: { option: Option; documents: number; responses: number }[] }) {
  const { evaluation } = props
  const base = `/evaluations/${evaluation.id}/tender`
  return (
    <Layout title={`Tender documents and responses – ${evaluation.title}`} crumbs={crumbs(evaluation)}>
      <span class="caption">{evaluation.title}</span>
      <h1>Tender documents and responses</h1>
      <PlanNotice evaluation={evaluation} />
      <p>
        Each option’s documents, and the supplier’s response to each criterion. Evaluators see the responses beside the criteria they score, with a link to the
        document. Material marked commercial (a price schedule) is never shown to them.
      </p>
      <ul class="list tender-options">
        {props.counts.map((c) => (
          <li>
            <a href={`${base}/${c.option.id}`}>{c.option.name}</a>
            {c.option.supplier !== null && <span class="hint"> ({c.option.supplier})</span>}: {formatCount(c.documents)}{' '}
            {c.documents === 1 ? 'document' : 'documents'}, {formatCount(c.responses)} {c.responses === 1 ? 'response' : 'responses'}
          </li>
        ))}
      </ul>
    </Layout>
  )
}

export interface TenderOptionPageProps {
  evaluation: Evaluation
  option: Option
  criteria: Criterion[]
  /** The criteria of the group on this page. */
  leaves: Criterion[]
  /** Every group of the tree, for the contents list: responses are entered one group a page. */
  groups: { key: string; name: string; href: string; answered: number; total: number; current: boolean }[]
  documents: (TenderDocument & { held: boolean })[]
  responses: TenderResponse[]
  errors: FieldErrors
  /** A form re-shown with what was typed: the upload (criterionId null) or one criterion's response. */
  failed?: { criterionId: number | null; values: FormValues } | undefined
}

export function TenderOptionPage(props: TenderOptionPageProps) {
  const { evaluation, option, errors } = props
  const may = useMay()
  const manage = may('POST /evaluations/:id/tender/:optionId/documents')
  const base = `/evaluations/${evaluation.id}/tender/${option.id}`
  const byCriterion = new Map(props.responses.map((r) => [r.criterion_id, r]))
  const leaves = props.leaves
  const groupName = new Map(props.criteria.filter((c) => c.kind === 'group').map((c) => [c.id, c.name]))
  const documentOptions = [{ value: '', label: 'No document' }, ...props.documents.map((d) => ({ value: String(d.id), label: d.name }))]
  const uploadValues = props.failed?.criterionId === null ? props.failed.values : {}
  return (
    <Layout
      title={`${option.name}: tender – ${evaluation.title}`}
      crumbs={[...crumbs(evaluation), { href: `/evaluations/${evaluation.id}/tender`, label: 'Tender' }]}>
      <span class="caption">{evaluation.title}</span>
      <h1>{option.name}: documents and responses</h1>
      <PlanNotice evaluation={evaluation} />
      <ErrorSummary errors={errors} fieldIds={Object.fromEntries(Object.keys(errors).map((key) => [key, `f-${key}`]))} />
      <section aria-labelledby="documents" class="tender-documents">
        <h2 id="documents">Documents</h2>
        {props.documents.length === 0 ? (
          <p>No document yet.</p>
        ) : (
          <ul class="list document-list">
            {props.documents.map((d) => (
              <li class="document-list__item">
                {d.held ? <a href={`/evaluations/${evaluation.id}/documents/${d.id}`}>{d.name}</a> : <span>{d.name}</span>}{' '}
                {d.commercial === 1 && <strong class="tag tag--yellow">Commercial</strong>}
                <span class="hint document-list__facts">
                  {typeInWords(d.media_type)}, {sizeInWords(d.size)}
                  {!d.held && ', reference only (imported from a file)'}; SHA-256 <code class="hash">{d.sha256}</code>
                </span>
                {manage && (
                  <form method="post" action={`${base}/documents/${d.id}/delete`} class="inline-form">
                    <button class="button button--secondary button--small" type="submit">
                      Remove<span class="visually-hidden"> {d.name}</span>
                    </button>
                  </form>
                )}
              </li>
            ))}
          </ul>
        )}
        {manage && (
          <form method="post" action={`${base}/documents`} enctype="multipart/form-data" novalidate class="upload-form">
            <TextField
              name="file"
              type="file"
              label="Upload a document"
              hint={`${DOCUMENT_TYPES_IN_WORDS}, up to ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB. It is stored here, and its SHA-256 goes in the record.`}
              error={errors.file}
              accept=".pdf,.docx,.xlsx,.png,.jpg,.jpeg,.txt"
            />
            <Checkbox name="commercial" label="Commercial (a price schedule): never shown to evaluators" checked={uploadValues.commercial === 'on'} />
            <button class="button" type="submit">
              Upload
            </button>
          </form>
        )}
      </section>
      <section aria-labelledby="responses">
        <h2 id="responses">Responses to the criteria</h2>
        <p>The supplier’s answer to each criterion: its text, the document and page that hold it, or both. One group of criteria a page.</p>
        {manage && (
          <form method="post" action={`${base}/responses.csv`} enctype="multipart/form-data" novalidate class="upload-form">
            <TextField
              name="csv"
              type="file"
              label="Import responses from a CSV file"
              hint="Two columns headed “criterion” and “response”: each criterion by its id in the evaluation file or its exact name. It sets those responses’ text and keeps their documents and pages."
              error={errors.csv}
              accept=".csv,text/csv"
            />
            <button class="button button--secondary" type="submit">
              Import responses
            </button>
          </form>
        )}
        {props.groups.length > 1 && (
          <nav class="group-contents" aria-label="Groups of criteria">
            <ol class="group-contents__list">
              {props.groups.map((g) => (
                <li>
                  <GroupLink href={g.href} name={g.name} current={g.current} />{' '}
                  <span class="group-contents__count">
                    {g.answered} of {g.total} answered
                  </span>
                </li>
              ))}
            </ol>
          </nav>
        )}
        {leaves.map((criterion) => {
          const response = byCriterion.get(criterion.id)
          const failed = props.failed?.criterionId === criterion.id ? props.failed.values : undefined
          const values: FormValues = failed ?? {
            text: response?.text ?? '',
            document: response?.document_id === null || response === undefined ? '' : String(response.document_id),
            page: response?.page === null || response === undefined ? '' : String(response.page),
            commercial: response?.commercial === 1 ? 'on' : undefined,
          }
          const prefix = `f-${criterion.id}`
          const group = criterion.parent_id === null ? undefined : groupName.get(criterion.parent_id)
          if (!manage) {
            return (
              <div class="tender-response" id={`response-${criterion.id}`}>
                <h3 class="tender-response__title">
                  {group !== undefined && <span class="caption">{group}</span>}
                  {criterion.name}
                </h3>
                <p>{response?.text ?? 'No response entered.'}</p>
              </div>
            )
          }
          return (
            <form method="post" action={`${base}/responses/${criterion.id}`} class="tender-response" id={`response-${criterion.id}`} novalidate>
              <h3 class="tender-response__title">
                {group !== undefined && <span class="caption">{group}</span>}
                {criterion.name}
              </h3>
              <TextArea name="text" idPrefix={prefix} label="Response" value={values.text} error={errors[`${criterion.id}-text`]} rows={3} />
              <div class="tender-response__where">
                <Select
                  name="document"
                  idPrefix={prefix}
                  label="Document"
                  options={documentOptions}
                  value={values.document}
                  error={errors[`${criterion.id}-document`]}
                />
                <TextField name="page" idPrefix={prefix} label="Page" width="number" value={values.page} error={errors[`${criterion.id}-page`]} />
              </div>
              <Checkbox name="commercial" idPrefix={prefix} label="Commercial: never shown to evaluators" checked={values.commercial === 'on'} />
              <button class="button button--secondary" type="submit">
                Save<span class="visually-hidden"> the response to {criterion.name}</span>
              </button>
            </form>
          )
        })}
      </section>
    </Layout>
  )
}
