import type { AppraisalResults } from '../../src/appraisal/index.js'
import { ErrorMessage, fieldId, type FieldErrors, type FormValues } from '../components/form.js'
import { formatPercent, formatScore } from '../../src/format.js'

/** One control of the what-if form: a top-level weight, or the quality share of the split. */
export interface WhatIfField {
  /** The form field's name: `weight-<top-level id>` or `quality`. */
  name: string
  label: string
  /** Today's share, percent (0..100). */
  current: number
}

export interface WhatIfOutcomeView {
  /** The results as the evaluation stands. */
  now: AppraisalResults
  /** The results with the weights and split of the form. */
  then: AppraisalResults
  /** Each top-level entry's share of quality under the form's weights (0..1). */
  shares: { name: string; share: number }[]
  /** The quality share of the split used, percent. */
  qualityShare: number
}

export interface WhatIfPanelProps {
  /** Where the form posts (the sensitivity page, with its Monte Carlo settings). */
  action: string
  weightFields: WhatIfField[]
  qualityField: WhatIfField
  values: FormValues
  errors: FieldErrors
  /** Null when the form has errors. */
  outcome: WhatIfOutcomeView | null
}

const ID_PREFIX = 'what-if'
export const WHAT_IF_RESULT_ID = 'what-if-result'
const WHAT_IF_STATUS_ID = 'what-if-status'
/** Error messages for the weights as a whole (all zero) sit above the weight fields. */
export const WEIGHTS_ERROR = 'weights'

/** The value a control starts at: today's share to one decimal (the route treats it as exactly today's share). */
export function startingValue(field: WhatIfField): string {
  return String(Math.round(field.current * 10) / 10)
}

export function whatIfFieldId(name: string): string {
  return fieldId(name, ID_PREFIX)
}

/**
 * The message slot beside a field. It is always there, empty or not, so an htmx update can replace
 * it out of band without touching the inputs a person is dragging or typing in.
 */
function ErrorSlot(props: { name: string; message: string | undefined; outOfBand?: boolean }) {
  return (
    <div
      id={`${whatIfFieldId(props.name)}-error`}
      class={props.message === undefined ? 'what-if__error' : 'what-if__error what-if__error--shown'}
      hx-swap-oob={props.outOfBand === true ? 'true' : undefined}>
      <ErrorMessage error={props.message} />
    </div>
  )
}

function ShareControl(props: { field: WhatIfField; value: string | undefined; error: string | undefined; hint: string }) {
  const { field } = props
  const id = whatIfFieldId(field.name)
  const value = props.value ?? startingValue(field)
  const sliderValue = Number.isFinite(Number(value)) ? value : startingValue(field)
  return (
    <div class="what-if__field">
      <label class="label" for={id}>
        {field.label}
      </label>
      <div class="hint" id={`${id}-hint`}>
        {props.hint}
      </div>
      <ErrorSlot name={field.name} message={props.error} />
      <div class="what-if__controls">
        {/* The slider mirrors the box (app.js keeps them in step); it has no name, so the box's value is the one sent. */}
        <input
          class="what-if__slider"
          type="range"
          id={`${id}-slider`}
          min="0"
          max="100"
          step="0.1"
          value={sliderValue}
          aria-label={`${field.label}, slider`}
          data-mirror={id}
        />
        <input
          class={`input input--number${props.error !== undefined ? ' input--error' : ''}`}
          type="text"
          inputmode="decimal"
          id={id}
          name={field.name}
          value={value}
          data-mirror={`${id}-slider`}
          autocomplete="off"
          aria-describedby={`${id}-hint ${id}-error`}
          aria-invalid={props.error !== undefined ? 'true' : undefined}
        />
        <span aria-hidden="true">%</span>
      </div>
    </div>
  )
}

/** The form: a slider and a box for each top-level weight and for the quality share of the split. */
export function WhatIfForm(props: WhatIfPanelProps) {
  const { values, errors } = props
  return (
    <form
      class="what-if"
      method="post"
      action={props.action}
      novalidate
      hx-post={props.action}
      hx-trigger="input changed delay:200ms, submit"
      hx-target={`#${WHAT_IF_RESULT_ID}`}
      hx-swap="outerHTML">
      {props.weightFields.length > 1 && (
        <fieldset class="fieldset">
          <legend class="fieldset__legend">Weights of the top-level groups</legend>
          <p class="hint">Weights are relative: each group’s share of quality is its weight divided by the sum of them all. They start at today’s shares.</p>
          <ErrorSlot name={WEIGHTS_ERROR} message={errors[WEIGHTS_ERROR]} />
          {props.weightFields.map((field) => (
            <ShareControl field={field} value={values[field.name]} error={errors[field.name]} hint={`Today ${formatPercent(field.current / 100)} of quality`} />
          ))}
        </fieldset>
      )}
      <fieldset class="fieldset">
        <legend class="fieldset__legend">Quality and cost</legend>
        <ShareControl
          field={props.qualityField}
          value={values[props.qualityField.name]}
          error={errors[props.qualityField.name]}
          hint={`Today ${formatPercent(props.qualityField.current / 100)} quality and ${formatPercent(1 - props.qualityField.current / 100)} cost; cost takes whatever quality leaves`}
        />
      </fieldset>
      <div class="button-group">
        <button class="button js-hidden" type="submit">
          Show the ranking
        </button>
        <a href={props.action}>Start again from today’s weights</a>
      </div>
    </form>
  )
}

export function outcomeSentence(outcome: WhatIfOutcomeView): string {
  const name = (id: string | null) => outcome.then.options.find((o) => o.id === id)?.name ?? id ?? ''
  const before = outcome.now.preferred
  const after = outcome.then.preferred
  if (after === null) {
    return outcome.then.options.some((o) => o.eligible)
      ? 'With these weights, no single option would be preferred: the highest totals tie.'
      : 'No option passes every gate, so none is ranked.'
  }
  if (after === before) return `With these weights, ${name(after)} stays the preferred option.`
  return before === null
    ? `With these weights, ${name(after)} would be preferred.`
    : `With these weights, ${name(after)} would be preferred instead of ${name(before)}.`
}

/** The what-if ranking: the page shows it under the form, and htmx swaps it in place as the form changes. */
export function WhatIfResult(props: { outcome: WhatIfOutcomeView | null; errors: FieldErrors }) {
  const { outcome } = props
  if (outcome === null) {
    return (
      <div id={WHAT_IF_RESULT_ID} class="what-if-result">
        <p class="error-message">
          The ranking is not shown until the weights are corrected:{' '}
          {Object.keys(props.errors).length === 1 ? 'see the message beside the field' : 'see the messages beside the fields'}.
        </p>
      </div>
    )
  }
  const now = new Map(outcome.now.options.map((o) => [o.id, o]))
  const ranked = [...outcome.then.options].sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity))
  return (
    <div id={WHAT_IF_RESULT_ID} class="what-if-result">
      <p class="what-if-result__summary">
        <strong>{outcomeSentence(outcome)}</strong>
      </p>
      <p class="hint">
        Quality {formatPercent(outcome.qualityShare / 100)}, cost {formatPercent(1 - outcome.qualityShare / 100)}
        {outcome.shares.length > 1 && `; within quality: ${outcome.shares.map((s) => `${s.name} ${formatPercent(s.share)}`).join(', ')}`}. Nothing is saved.
      </p>
      <table class="table" id="what-if-ranking">
        <caption class="visually-hidden">The ranking with the weights above, beside the ranking today</caption>
        <thead>
          <tr>
            <th scope="col" class="numeric">
              Rank
            </th>
            <th scope="col">Option</th>
            <th scope="col" class="numeric">
              Quality
            </th>
            <th scope="col" class="numeric">
              Price score
            </th>
            <th scope="col" class="numeric">
              Total
            </th>
            <th scope="col" class="numeric">
              Rank today
            </th>
            <th scope="col" class="numeric">
              Total today
            </th>
          </tr>
        </thead>
        <tbody>
          {ranked.map((o) => (
            <tr data-option={o.id}>
              <td class="numeric">{o.rank ?? '–'}</td>
              <th scope="row">
                {o.name}
                {!o.tender ? <strong class="tag tag--group">Not a tender</strong> : !o.eligible && <strong class="tag tag--red">Fails a gate</strong>}
              </th>
              <td class="numeric">{formatScore(o.quality)}</td>
              <td class="numeric">{formatScore(o.priceScore)}</td>
              <td class="numeric">
                <strong>{formatScore(o.total)}</strong>
              </td>
              <td class="numeric">{now.get(o.id)?.rank ?? '–'}</td>
              <td class="numeric">{formatScore(now.get(o.id)?.total ?? null)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/**
 * The htmx answer to a change of the form: the ranking, and every message slot out of band so
 * messages appear and clear beside their fields while the inputs themselves are left alone.
 */
export function WhatIfUpdate(props: WhatIfPanelProps) {
  return (
    <>
      <WhatIfResult outcome={props.outcome} errors={props.errors} />
      <div id={WHAT_IF_STATUS_ID} hx-swap-oob="innerHTML">
        {props.outcome === null ? 'The weights need correcting.' : outcomeSentence(props.outcome)}
      </div>
      {props.weightFields.length > 1 && <ErrorSlot name={WEIGHTS_ERROR} message={props.errors[WEIGHTS_ERROR]} outOfBand />}
      {[...(props.weightFields.length > 1 ? props.weightFields : []), props.qualityField].map((field) => (
        <ErrorSlot name={field.name} message={props.errors[field.name]} outOfBand />
      ))}
    </>
  )
}

/** The what-if panel of the page: the form and the ranking it gives. */
export function WhatIfPanel(props: WhatIfPanelProps) {
  return (
    <div class="what-if-panel">
      {/* The ranking sits above the controls so it stays in view while a slider moves. */}
      <WhatIfResult outcome={props.outcome} errors={props.errors} />
      {/* Screen readers hear the one-sentence outcome of each change, not the whole table. */}
      <div aria-live="polite" class="visually-hidden" id={WHAT_IF_STATUS_ID}></div>
      <WhatIfForm {...props} />
    </div>
  )
}
