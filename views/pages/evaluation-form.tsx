import type { Evaluation } from '../../src/db/schema.js'
import { ErrorSummary, Select, TextArea, TextField, type FieldErrors, type FormValues } from '../components/form.js'
import { PlanReasonField } from '../components/plan-reason.js'
import { Layout } from '../layout.js'

export interface EvaluationFormProps {
  evaluation?: Evaluation | undefined
  values: FormValues
  errors: FieldErrors
  templates?: { id: string; name: string; description: string }[]
}

/** The form to start an evaluation, or to change its title and scale. */
export function EvaluationFormPage({ evaluation, values, errors, templates }: EvaluationFormProps) {
  const isNew = evaluation === undefined
  const title = isNew ? 'Start a new evaluation' : 'Edit evaluation details'
  const min = Number(values.scaleMin ?? 0)
  const max = Number(values.scaleMax ?? 5)
  const levels = Number.isInteger(min) && Number.isInteger(max) && max > min && max - min <= 10 ? Array.from({ length: max - min + 1 }, (_, i) => min + i) : []
  return (
    <Layout
      title={title}
      crumbs={
        isNew
          ? [{ href: '/evaluations', label: 'Evaluations' }]
          : [
              { href: '/evaluations', label: 'Evaluations' },
              { href: `/evaluations/${evaluation.id}`, label: evaluation.title },
            ]
      }>
      <h1>{title}</h1>
      <ErrorSummary errors={errors} />
      <form method="post" action={isNew ? '/evaluations' : `/evaluations/${evaluation.id}`} novalidate>
        <TextField
          name="title"
          label="Title"
          value={values.title}
          error={errors.title}
          hint="For example, ‘Replacement of the force records management system’."
        />
        <TextField name="organisation" label="Organisation (optional)" value={values.organisation} error={errors.organisation} />
        <TextArea
          name="summary"
          label="Background and objectives (optional)"
          value={values.summary}
          error={errors.summary}
          hint="Why this appraisal exists and what the chosen option must achieve. It opens the report."
          rows={6}
        />
        {isNew && templates !== undefined && (
          <Select
            name="template"
            label="Criteria"
            value={values.template}
            error={errors.template}
            hint="Start from a template of criteria and gates, which you can then change, or from an empty list."
            options={[{ value: '', label: 'Start with no criteria' }, ...templates.map((t) => ({ value: t.id, label: t.name }))]}
          />
        )}
        <fieldset class="fieldset">
          <legend class="fieldset__legend">Scoring scale</legend>
          <p class="hint">Whole numbers. Most panels use 0 to 5. The labels and descriptors are shown to evaluators at the point of scoring.</p>
          <div class="inline-fields">
            <TextField name="scaleMin" label="Lowest score" type="number" width="number" value={values.scaleMin} error={errors.scaleMin} />
            <TextField name="scaleMax" label="Highest score" type="number" width="number" value={values.scaleMax} error={errors.scaleMax} />
          </div>
          {levels.length > 0 && (
            <table class="table scale-table">
              <caption>What each score means</caption>
              <thead>
                <tr>
                  <th scope="col">Score</th>
                  <th scope="col">Label</th>
                  <th scope="col">Descriptor</th>
                </tr>
              </thead>
              <tbody>
                {levels.map((level) => (
                  <tr>
                    <th scope="row">{level}</th>
                    <td>
                      <label class="visually-hidden" for={`f-label-${level}`}>
                        Label for {level}
                      </label>
                      <input class="input" id={`f-label-${level}`} name={`label-${level}`} value={values[`label-${level}`] ?? ''} />
                      {errors[`label-${level}`] !== undefined && <p class="error-message">{errors[`label-${level}`]}</p>}
                    </td>
                    <td>
                      <label class="visually-hidden" for={`f-descriptor-${level}`}>
                        Descriptor for {level}
                      </label>
                      <textarea class="textarea" rows={2} id={`f-descriptor-${level}`} name={`descriptor-${level}`}>
                        {values[`descriptor-${level}`] ?? ''}
                      </textarea>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </fieldset>
        {evaluation !== undefined && <PlanReasonField evaluation={evaluation} values={values} errors={errors} />}
        <button class="button" type="submit">
          {isNew ? 'Create evaluation' : 'Save changes'}
        </button>
      </form>
    </Layout>
  )
}
