import type { Child } from 'hono/jsx'
import type { Criterion, Evaluation } from '../../src/db/schema.js'
import { ErrorMessage, Select, TextArea, TextField, type FieldErrors, type FormValues } from '../components/form.js'
import { PlanReasonField } from '../components/plan-reason.js'
import { formatPercent } from '../../src/format.js'
import { useMay } from '../../src/auth/viewer.js'

/** A criterion's place in the whole: its share among its siblings and its effective weight. */
export interface CriterionWeighting {
  share: number
  effectiveWeight: number
}

export interface CriteriaTreeProps {
  evaluation: Evaluation
  criteria: Criterion[]
  weighting: Map<number, CriterionWeighting>
  addValues: FormValues
  errors: FieldErrors
}

const kindLabels = { group: 'Group', criterion: 'Criterion', gate: 'Gate (pass/fail)' } as const

/** Depth-first order with each criterion's depth, as the table lists them. */
export function inTreeOrder(criteria: Criterion[]): { criterion: Criterion; depth: number }[] {
  const children = new Map<number | null, Criterion[]>()
  for (const c of criteria) children.set(c.parent_id, [...(children.get(c.parent_id) ?? []), c])
  const ordered: { criterion: Criterion; depth: number }[] = []
  const visit = (parentId: number | null, depth: number) => {
    for (const c of children.get(parentId) ?? []) {
      ordered.push({ criterion: c, depth })
      visit(c.id, depth + 1)
    }
  }
  visit(null, 0)
  return ordered
}

export function groupChoices(criteria: Criterion[]): { value: string; label: string }[] {
  return [
    { value: '', label: 'Top level' },
    ...inTreeOrder(criteria)
      .filter(({ criterion }) => criterion.kind === 'group')
      .map(({ criterion, depth }) => ({ value: String(criterion.id), label: `${'— '.repeat(depth)}${criterion.name}` })),
  ]
}

/** The criteria table and the add form; the page and its htmx updates share this one partial. */
export function CriteriaTree(props: CriteriaTreeProps) {
  const { evaluation, criteria, weighting, errors } = props
  const base = `/evaluations/${evaluation.id}/criteria`
  const rows = inTreeOrder(criteria)
  // Only the lead changes criteria; everyone else on the panel reads them.
  const canEdit = useMay()('POST /evaluations/:id/criteria')
  return (
    <div id="criteria-tree">
      {rows.length === 0 ? (
        <p>No criteria yet. Add groups (such as ‘Functional fit’) and the criteria within them below.</p>
      ) : (
        <table class="table criteria-table">
          <caption class="visually-hidden">Criteria, their weights and effective weights</caption>
          <thead>
            <tr>
              <th scope="col">Criterion</th>
              <th scope="col" class="numeric">
                Weight
              </th>
              <th scope="col" class="numeric">
                Share of its group
              </th>
              <th scope="col" class="numeric">
                Effective weight
              </th>
              {canEdit && (
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {rows.map(({ criterion: c, depth }) => {
              const w = weighting.get(c.id)
              const weightError = errors[`weight-${c.id}`]
              const nameError = errors[`name-${c.id}`]
              return (
                <tr id={`criterion-${c.id}`} class={`depth-${Math.min(depth, 5)} kind-${c.kind}`}>
                  <th scope="row" class="criterion-name">
                    <span class={`indent indent-${Math.min(depth, 5)}`}>
                      {c.kind !== 'criterion' && <strong class={`tag tag--${c.kind}`}>{kindLabels[c.kind]}</strong>}
                      {canEdit ? (
                        <CriterionFieldForm
                          base={base}
                          criterion={c}
                          field="name"
                          formClass="name-form inline-form"
                          label={<>Name of {c.kind === 'group' ? 'group' : c.kind === 'gate' ? 'gate' : 'criterion'}</>}
                          inputClass="input--name"
                          value={props.addValues[`name-${c.id}`] ?? c.name}
                          error={nameError}
                          button="Rename"
                        />
                      ) : (
                        c.name
                      )}
                    </span>
                  </th>
                  <td class="numeric">
                    {c.kind === 'gate' ? (
                      <span class="hint">No weight</span>
                    ) : !canEdit ? (
                      c.weight === null ? (
                        '1'
                      ) : (
                        String(c.weight)
                      )
                    ) : (
                      <CriterionFieldForm
                        base={base}
                        criterion={c}
                        field="weight"
                        formClass="weight-form"
                        label={<>Weight of {c.name}</>}
                        inputClass="input--number"
                        inputmode="decimal"
                        value={props.addValues[`weight-${c.id}`] ?? (c.weight === null ? '1' : String(c.weight))}
                        error={weightError}
                        button={
                          <>
                            Save<span class="visually-hidden"> weight of {c.name}</span>
                          </>
                        }
                      />
                    )}
                  </td>
                  <td class="numeric">{w === undefined || c.kind === 'gate' ? '–' : formatPercent(w.share)}</td>
                  <td class="numeric">
                    <strong>{w === undefined || c.kind === 'gate' ? '–' : formatPercent(w.effectiveWeight)}</strong>
                  </td>
                  {canEdit && (
                    <td class="actions">
                      <a href={`${base}/${c.id}/edit`}>
                        Edit<span class="visually-hidden"> {c.name}</span>
                      </a>
                      <MoveForm base={base} criterion={c} direction="up" />
                      <MoveForm base={base} criterion={c} direction="down" />
                      <a
                        href={`${base}/${c.id}/delete`}
                        hx-post={`${base}/${c.id}/delete`}
                        hx-target="#criteria-tree"
                        hx-swap="outerHTML"
                        hx-confirm={
                          c.kind === 'group'
                            ? `Delete ‘${c.name}’ and everything inside it, with any scores given on them?`
                            : `Delete ‘${c.name}’ and any scores given on it?`
                        }>
                        Delete<span class="visually-hidden"> {c.name}</span>
                      </a>
                    </td>
                  )}
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
      {canEdit && (
        <form method="post" action={base} hx-post={base} hx-target="#criteria-tree" hx-swap="outerHTML" class="add-criterion" novalidate>
          <h2 id="add">Add a group, criterion or gate</h2>
          {errors.form !== undefined && (
            <p class="error-message" role="alert">
              {errors.form}
            </p>
          )}
          <TextField name="name" label="Name" value={props.addValues.name} error={errors.name} idPrefix="add" />
          <Select
            name="kind"
            label="Kind"
            value={props.addValues.kind ?? 'criterion'}
            error={errors.kind}
            idPrefix="add"
            hint="A group holds criteria. A criterion is scored on the scale. A gate is pass or fail, before scoring: an option that fails a gate is not ranked."
            options={[
              { value: 'criterion', label: 'Criterion (scored)' },
              { value: 'group', label: 'Group' },
              { value: 'gate', label: 'Gate (pass/fail)' },
            ]}
          />
          <Select
            name="parent"
            label="Place it in"
            value={props.addValues.parent ?? ''}
            error={errors.parent}
            idPrefix="add"
            options={groupChoices(criteria)}
          />
          <TextField
            name="weight"
            label="Weight"
            type="number"
            width="number"
            value={props.addValues.weight ?? '1'}
            error={errors.weight}
            idPrefix="add"
            hint="Relative to the others in the same group: 2 counts twice as much as 1. Gates take no weight."
          />
          <TextArea
            name="guidance"
            label="Guidance for evaluators (optional)"
            value={props.addValues.guidance}
            error={errors.guidance}
            idPrefix="add"
            rows={3}
            hint="What evidence earns a high score, and what a low one."
          />
          <PlanReasonField evaluation={props.evaluation} values={props.addValues} errors={errors} idPrefix="add" />
          <button class="button" type="submit">
            Add
          </button>
        </form>
      )}
    </div>
  )
}

/** A criterion's name or weight, changed in its own row: saved on change by htmx, or by the button without JavaScript. */
function CriterionFieldForm(props: {
  base: string
  criterion: Criterion
  field: 'name' | 'weight'
  formClass: string
  label: Child
  inputClass: string
  inputmode?: 'decimal'
  value: string
  error: string | undefined
  button: Child
}) {
  const { base, criterion: c, field, error } = props
  const id = `${field}-${c.id}`
  return (
    <form
      method="post"
      action={`${base}/${c.id}/${field}`}
      class={props.formClass}
      hx-post={`${base}/${c.id}/${field}`}
      hx-target="#criteria-tree"
      hx-swap="outerHTML"
      hx-trigger="change, submit">
      <label class="visually-hidden" for={id}>
        {props.label}
      </label>
      <input
        class={`input ${props.inputClass}${error !== undefined ? ' input--error' : ''}`}
        id={id}
        name={field}
        inputmode={props.inputmode}
        value={props.value}
        aria-invalid={error !== undefined ? 'true' : undefined}
        aria-describedby={error !== undefined ? `${id}-error` : undefined}
      />
      <button class="button button--small button--secondary js-hidden" type="submit">
        {props.button}
      </button>
      <ErrorMessage id={`${id}-error`} error={error} />
    </form>
  )
}

/** Moves a criterion one place up or down among its siblings. */
function MoveForm(props: { base: string; criterion: Criterion; direction: 'up' | 'down' }) {
  const { base, criterion: c } = props
  return (
    <form method="post" action={`${base}/${c.id}/move`} class="inline-form" hx-post={`${base}/${c.id}/move`} hx-target="#criteria-tree" hx-swap="outerHTML">
      <input type="hidden" name="direction" value={props.direction} />
      <button class="link-button" type="submit">
        {props.direction === 'up' ? 'Up' : 'Down'}
        <span class="visually-hidden"> {c.name}</span>
      </button>
    </form>
  )
}
