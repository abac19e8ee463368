import type { Child } from 'hono/jsx'

/** Messages by field name, as the routes' form validation returns them. */
export type FieldErrors = Record<string, string>
/** What the person typed, by field name, so a form re-renders with their input. */
export type FormValues = Record<string, string | undefined>

/** `idPrefix` keeps ids unique where a page can hold more than one summary (one per answer, say). */
export function ErrorSummary({ errors, fieldIds, idPrefix }: { errors: FieldErrors; fieldIds?: Record<string, string>; idPrefix?: string }) {
  const entries = Object.entries(errors)
  if (entries.length === 0) return null
  const titleId = idPrefix === undefined ? 'error-summary-title' : `${idPrefix}-error-summary-title`
  return (
    <div class="error-summary" role="alert" tabindex={-1} aria-labelledby={titleId}>
      <h2 id={titleId} class="error-summary__title">
        There is a problem
      </h2>
      <ul class="error-summary__list">
        {entries.map(([field, message]) => (
          <li>
            <a href={`#${fieldIds?.[field] ?? fieldId(field)}`}>{message}</a>
          </li>
        ))}
      </ul>
    </div>
  )
}

export function fieldId(name: string, prefix = 'f'): string {
  return `${prefix}-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`
}

interface FieldProps {
  name: string
  label: Child
  value?: string | number | null | undefined
  error?: string | undefined
  hint?: Child
  type?: 'text' | 'number' | 'email' | 'password' | 'file' | 'date'
  width?: 'full' | 'half' | 'short' | 'number'
  required?: boolean
  step?: string
  min?: string
  max?: string
  idPrefix?: string
  accept?: string
  autocomplete?: string
  /** The id of a <datalist> of suggestions. */
  list?: string
  /** Takes the focus when shown (htmx honours it after a swap). */
  autofocus?: boolean
}

function describedBy(id: string, hint: boolean, error: boolean): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ')
  return ids === '' ? undefined : ids
}

/** The label, hint and error message around a form control, linked to it by id. */
/** An error beside its field (or form), which screen readers announce as an error; nothing when there is none. */
export function ErrorMessage(props: { error: string | undefined; id?: string }) {
  if (props.error === undefined) return null
  return (
    <p class="error-message" id={props.id}>
      <span class="visually-hidden">Error:</span> {props.error}
    </p>
  )
}

function FieldFrame(props: { id: string; label: Child; hint?: Child | undefined; error?: string | undefined; children: Child }) {
  const { id } = props
  return (
    <div class={props.error !== undefined ? 'form-group form-group--error' : 'form-group'}>
      <label class="label" for={id}>
        {props.label}
      </label>
      {props.hint !== undefined && (
        <div class="hint" id={`${id}-hint`}>
          {props.hint}
        </div>
      )}
      <ErrorMessage id={`${id}-error`} error={props.error} />
      {props.children}
    </div>
  )
}

export function TextField(props: FieldProps) {
  const id = fieldId(props.name, props.idPrefix)
  return (
    <FieldFrame id={id} label={props.label} hint={props.hint} error={props.error}>
      <input
        class={`input input--${props.width ?? 'full'}${props.error !== undefined ? ' input--error' : ''}`}
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value === null || props.value === undefined ? '' : String(props.value)}
        aria-describedby={describedBy(id, props.hint !== undefined, props.error !== undefined)}
        aria-invalid={props.error !== undefined ? 'true' : undefined}
        required={props.required}
        step={props.step}
        min={props.min}
        max={props.max}
        inputmode={props.type === 'number' ? 'decimal' : undefined}
        accept={props.accept}
        autocomplete={props.autocomplete}
        list={props.list}
        autofocus={props.autofocus}
      />
    </FieldFrame>
  )
}

export function TextArea(props: Omit<FieldProps, 'type' | 'width'> & { rows?: number }) {
  const id = fieldId(props.name, props.idPrefix)
  return (
    <FieldFrame id={id} label={props.label} hint={props.hint} error={props.error}>
      <textarea
        class={`textarea${props.error !== undefined ? ' input--error' : ''}`}
        id={id}
        name={props.name}
        rows={props.rows ?? 4}
        aria-describedby={describedBy(id, props.hint !== undefined, props.error !== undefined)}
        aria-invalid={props.error !== undefined ? 'true' : undefined}>
        {props.value === null || props.value === undefined ? '' : String(props.value)}
      </textarea>
    </FieldFrame>
  )
}

export function Checkbox(props: { name: string; label: Child; checked: boolean; hint?: Child; idPrefix?: string; error?: string | undefined }) {
  const id = fieldId(props.name, props.idPrefix)
  return (
    <div class={props.error !== undefined ? 'form-group form-group--error checkbox' : 'form-group checkbox'}>
      <ErrorMessage id={`${id}-error`} error={props.error} />
      <input
        class="checkbox__input"
        id={id}
        name={props.name}
        type="checkbox"
        value="on"
        checked={props.checked}
        aria-describedby={describedBy(id, props.hint !== undefined, props.error !== undefined)}
        aria-invalid={props.error !== undefined ? 'true' : undefined}
      />
      <label class="label checkbox__label" for={id}>
        {props.label}
      </label>
      {props.hint !== undefined && (
        <div class="hint checkbox__hint" id={`${id}-hint`}>
          {props.hint}
        </div>
      )}
    </div>
  )
}

export function Select(props: {
  name: string
  label: Child
  options: { value: string; label: string }[]
  value?: string | undefined
  error?: string | undefined
  hint?: Child
  idPrefix?: string
}) {
  const id = fieldId(props.name, props.idPrefix)
  return (
    <FieldFrame id={id} label={props.label} hint={props.hint} error={props.error}>
      <select
        class="select"
        id={id}
        name={props.name}
        aria-describedby={describedBy(id, props.hint !== undefined, props.error !== undefined)}
        aria-invalid={props.error !== undefined ? 'true' : undefined}>
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === props.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  )
}
