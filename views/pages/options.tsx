import type { Evaluation, Option } from '../../src/db/schema.js'
import { ErrorMessage, ErrorSummary, TextArea, TextField, type FieldErrors, type FormValues } from '../components/form.js'
import { useMay } from '../../src/auth/viewer.js'
import { Layout } from '../layout.js'
import { TendersClosedNotice } from '../components/plan-reason.js'
import { tenderMaterialOpen } from '../../src/db/plan-rules.js'

function crumbs(evaluation: Evaluation) {
  return [
    { href: '/evaluations', label: 'Evaluations' },
    { href: `/evaluations/${evaluation.id}`, label: evaluation.title },
  ]
}

const KIND_CHOICES = [
  { value: 'tender', label: 'A tender', hint: 'A supplier’s bid: scored, priced on what the supplier charges, and ranked.' },
  {
    value: 'baseline',
    label: 'Business as usual (the baseline)',
    hint: 'Carrying on as now, with what that costs. Every other option is appraised against it. Only one option can be business as usual.',
  },
  { value: 'other', label: 'Another option, not a tender', hint: 'A do-minimum or an in-house fix: appraised against business as usual, but not ranked.' },
] as const

/** The kind of an option in words, for lists. */
export function optionKindTag(option: Option) {
  if (option.baseline === 1) return <strong class="tag">Business as usual</strong>
  if (option.tender === 1) return <strong class="tag tag--group">Tender</strong>
  return <strong class="tag tag--group">Not a tender</strong>
}

function OptionFields({ values, errors, planDraft }: { values: FormValues; errors: FieldErrors; planDraft: boolean }) {
  return (
    <>
      <TextField name="name" label="Name" value={values.name} error={errors.name} hint="How the panel and the report will refer to this option." />
      <TextField name="supplier" label="Supplier (optional)" value={values.supplier} error={errors.supplier} />
      <TextField name="product" label="Product (optional)" value={values.product} error={errors.product} />
      <TextArea name="description" label="Description (optional)" value={values.description} error={errors.description} rows={3} />
      <fieldset id="f-kind" class={errors.kind !== undefined ? 'fieldset form-group form-group--error' : 'fieldset form-group'} aria-describedby="f-kind-hint">
        <legend class="fieldset__legend">What kind of option is this?</legend>
        <div class="hint" id="f-kind-hint">
          Only tenders are ranked in the tender evaluation. Every option, tender or not, is appraised against business as usual in the economic appraisal.
        </div>
        <ErrorMessage id="f-kind-error" error={errors.kind} />
        {KIND_CHOICES.map((choice) => (
          <div class="radio">
            <input
              type="radio"
              id={`f-kind-${choice.value}`}
              name="kind"
              value={choice.value}
              checked={(values.kind ?? (planDraft ? 'other' : 'tender')) === choice.value}
            />
            <label for={`f-kind-${choice.value}`}>{choice.label}</label>
            <div class="hint">
              {choice.hint}
              {planDraft && choice.value === 'tender' && ' Not yet: tenders open once the lead approves the evaluation plan (see above).'}
            </div>
          </div>
        ))}
      </fieldset>
    </>
  )
}

export function OptionsPage(props: { evaluation: Evaluation; options: Option[]; values: FormValues; errors: FieldErrors }) {
  const { evaluation, options } = props
  const base = `/evaluations/${evaluation.id}/options`
  const canEdit = useMay()('POST /evaluations/:id/options')
  return (
    <Layout title={`Options – ${evaluation.title}`} crumbs={crumbs(evaluation)}>
      <h1>Options</h1>
      <p>The short list: business as usual (the baseline), a do-minimum, and the viable alternatives, all on the same footing.</p>
      <ErrorSummary errors={props.errors} />
      {options.length === 0 ? (
        <p>No options yet.</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">Options in order</caption>
          <thead>
            <tr>
              <th scope="col">Option</th>
              <th scope="col">Supplier</th>
              <th scope="col">Product</th>
              {canEdit && (
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {options.map((o, index) => {
              // While the plan is a draft a tender stays as imported, and moving another past it would move it too.
              const open = (option: Option | undefined) => option !== undefined && tenderMaterialOpen(evaluation, option)
              const mayChange = canEdit && open(o)
              return (
                <tr>
                  <td>
                    {mayChange ? <a href={`${base}/${o.id}/edit`}>{o.name}</a> : o.name}
                    {optionKindTag(o)}
                  </td>
                  <td>{o.supplier ?? ''}</td>
                  <td>{o.product ?? ''}</td>
                  {canEdit && (
                    <td class="actions">
                      {mayChange && (
                        <form method="post" action={`${base}/${o.id}/move`} class="inline-form">
                          <input type="hidden" name="direction" value="up" />
                          <button class="button button--small button--secondary" type="submit" disabled={!open(options[index - 1])}>
                            Move up<span class="visually-hidden"> {o.name}</span>
                          </button>
                        </form>
                      )}
                      {mayChange && (
                        <form method="post" action={`${base}/${o.id}/move`} class="inline-form">
                          <input type="hidden" name="direction" value="down" />
                          <button class="button button--small button--secondary" type="submit" disabled={!open(options[index + 1])}>
                            Move down<span class="visually-hidden"> {o.name}</span>
                          </button>
                        </form>
                      )}
                      <a class="button button--small button--secondary" href={`${base}/${o.id}/assessment-summary`}>
                        Assessment summary<span class="visually-hidden"> for {o.name}</span>
                      </a>
                      {mayChange && (
                        <a class="button button--small button--warning" href={`${base}/${o.id}/delete`}>
                          Remove<span class="visually-hidden"> {o.name}</span>
                        </a>
                      )}
                    </td>
                  )}
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
      {canEdit && (
        <>
          <h2 id="add">Add an option</h2>
          <TendersClosedNotice evaluation={evaluation} />
          <form method="post" action={base} novalidate>
            <OptionFields values={props.values} errors={props.errors} planDraft={evaluation.plan_version === 0} />
            <button class="button" type="submit">
              Add option
            </button>
          </form>
        </>
      )}
    </Layout>
  )
}

export function OptionEditPage(props: { evaluation: Evaluation; option: Option; values: FormValues; errors: FieldErrors }) {
  const { evaluation, option } = props
  return (
    <Layout title={`Edit ${option.name}`} crumbs={[...crumbs(evaluation), { href: `/evaluations/${evaluation.id}/options`, label: 'Options' }]}>
      <h1>Edit option</h1>
      <ErrorSummary errors={props.errors} />
      <TendersClosedNotice evaluation={evaluation} />
      <form method="post" action={`/evaluations/${evaluation.id}/options/${option.id}`} novalidate>
        <OptionFields values={props.values} errors={props.errors} planDraft={evaluation.plan_version === 0} />
        <button class="button" type="submit">
          Save option
        </button>
      </form>
    </Layout>
  )
}

export function OptionDeletePage(props: { evaluation: Evaluation; option: Option; scoreCount: number; lineCount: number }) {
  const { evaluation, option } = props
  return (
    <Layout title={`Remove ${option.name}`} crumbs={[...crumbs(evaluation), { href: `/evaluations/${evaluation.id}/options`, label: 'Options' }]}>
      <h1>Remove ‘{option.name}’?</h1>
      <p>
        This also removes its {props.scoreCount} {props.scoreCount === 1 ? 'score' : 'scores'} and {props.lineCount}{' '}
        {props.lineCount === 1 ? 'cost, benefit or sunk cost line' : 'cost, benefit and sunk cost lines'}. It cannot be undone.
      </p>
      <form method="post" action={`/evaluations/${evaluation.id}/options/${option.id}/delete`}>
        <button class="button button--warning" type="submit">
          Remove option
        </button>{' '}
        <a href={`/evaluations/${evaluation.id}/options`}>Cancel</a>
      </form>
    </Layout>
  )
}
