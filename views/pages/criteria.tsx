import type { Criterion, Evaluation } from '../../src/db/schema.js'
import { ErrorSummary, Select, TextArea, TextField, type FieldErrors, type FormValues } from '../components/form.js'
import { PlanReasonField } from '../components/plan-reason.js'
import { Layout } from '../layout.js'
import { CriteriaTree, groupChoices, type CriteriaTreeProps } from '../partials/criteria-tree.js'

function crumbs(evaluation: Evaluation) {
  return [
    { href: '/evaluations', label: 'Evaluations' },
    { href: `/evaluations/${evaluation.id}`, label: evaluation.title },
  ]
}

export function CriteriaPage(props: CriteriaTreeProps) {
  return (
    <Layout title={`Criteria – ${props.evaluation.title}`} crumbs={crumbs(props.evaluation)}>
      <h1>Criteria and weights</h1>
      <p>
        Weights are relative among the criteria of one group. A criterion’s effective weight is its share of the whole quality score: the product of the shares
        along its path. Effective weights of all scored criteria add up to 100%.
      </p>
      <ErrorSummary
        errors={props.errors}
        fieldIds={{ name: 'add-name', kind: 'add-kind', parent: 'add-parent', weight: 'add-weight', guidance: 'add-guidance', planReason: 'add-planReason' }}
      />
      <CriteriaTree {...props} />
    </Layout>
  )
}

export interface CriterionEditProps {
  evaluation: Evaluation
  criterion: Criterion
  criteria: Criterion[]
  levels: number[]
  values: FormValues
  errors: FieldErrors
}

export function CriterionEditPage(props: CriterionEditProps) {
  const { evaluation, criterion, criteria } = props
  const base = `/evaluations/${evaluation.id}/criteria`
  const hasChildren = criteria.some((c) => c.parent_id === criterion.id)
  // A group cannot be put inside itself or one of its own groups.
  const parents = groupChoices(criteria).filter((choice) => choice.value !== String(criterion.id))
  return (
    <Layout title={`Edit ${criterion.name}`} crumbs={[...crumbs(evaluation), { href: base, label: 'Criteria' }]}>
      <h1>Edit {criterion.kind === 'group' ? 'group' : criterion.kind === 'gate' ? 'gate' : 'criterion'}</h1>
      <ErrorSummary errors={props.errors} />
      <form method="post" action={`${base}/${criterion.id}`} novalidate>
        <TextField name="name" label="Name" value={props.values.name} error={props.errors.name} />
        {criterion.kind === 'group' ? (
          <input type="hidden" name="kind" value="group" />
        ) : (
          <Select
            name="kind"
            label="Kind"
            value={props.values.kind}
            error={props.errors.kind}
            options={[
              { value: 'criterion', label: 'Criterion (scored)' },
              { value: 'gate', label: 'Gate (pass/fail)' },
            ]}
          />
        )}
        {hasChildren && <p class="hint">This group holds criteria, so it stays a group.</p>}
        <Select name="parent" label="Place it in" value={props.values.parent} error={props.errors.parent} options={parents} />
        <TextField
          name="weight"
          label="Weight"
          type="number"
          width="number"
          value={props.values.weight}
          error={props.errors.weight}
          hint="Relative to the others in the same group. Ignored for a gate."
        />
        <TextArea
          name="guidance"
          label="Guidance for evaluators"
          value={props.values.guidance}
          error={props.errors.guidance}
          rows={4}
          hint="What evidence earns a high score, and what a low one."
        />
        {criterion.kind !== 'group' && (
          <fieldset class="fieldset">
            <legend class="fieldset__legend">What each score means for this criterion (optional)</legend>
            <p class="hint">Leave blank to use the evaluation’s scale descriptors.</p>
            {props.levels.map((level) => (
              <TextArea
                name={`descriptor-${level}`}
                label={`Score ${level}`}
                value={props.values[`descriptor-${level}`]}
                error={props.errors[`descriptor-${level}`]}
                rows={2}
              />
            ))}
          </fieldset>
        )}
        <PlanReasonField evaluation={evaluation} values={props.values} errors={props.errors} />
        <button class="button" type="submit">
          Save
        </button>
      </form>
    </Layout>
  )
}

export function CriterionDeletePage(props: {
  evaluation: Evaluation
  criterion: Criterion
  beneath: number
  scoreCount: number
  values?: FormValues
  errors?: FieldErrors
}) {
  const { evaluation, criterion } = props
  const base = `/evaluations/${evaluation.id}/criteria`
  return (
    <Layout title={`Delete ${criterion.name}`} crumbs={[...crumbs(evaluation), { href: base, label: 'Criteria' }]}>
      <h1>Delete ‘{criterion.name}’?</h1>
      <p>
        {props.beneath > 0 && `This also deletes the ${props.beneath} ${props.beneath === 1 ? 'criterion' : 'criteria'} inside it. `}
        {props.scoreCount > 0 ? `${props.scoreCount} ${props.scoreCount === 1 ? 'score' : 'scores'} given on it will be deleted. ` : ''}
        It cannot be undone.
      </p>
      <ErrorSummary errors={props.errors ?? {}} />
      <form method="post" action={`${base}/${criterion.id}/delete`}>
        <PlanReasonField evaluation={evaluation} values={props.values ?? {}} errors={props.errors ?? {}} />
        <button class="button button--warning" type="submit">
          Delete
        </button>{' '}
        <a href={base}>Cancel</a>
      </form>
    </Layout>
  )
}
