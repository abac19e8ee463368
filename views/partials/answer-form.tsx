import type { Criterion } from '../../src/db/schema.js'
import { formatDate } from '../../src/format.js'
import { EvidenceLink } from '../components/evidence-link.js'
import { ErrorSummary, type FieldErrors, type FormValues } from '../components/form.js'

/** One score being given: the page and its htmx updates share this partial. */
export interface AnswerFormProps {
  action: string
  criterion: Criterion
  /** The scale to offer; a gate is always fail (0) or pass (1). */
  levels: { level: number; label: string | null; descriptor: string | null }[]
  /** Descriptors written for this criterion, by level, offered on demand instead of the scale's (which the page shows once). */
  descriptors: Map<number, string>
  values: FormValues
  errors: FieldErrors
  version: number | null
  minRationale: number
  locked: boolean
  /** When the answer was last saved (after a save, for the visible saved state). */
  savedAt: string | null
  /** What is saved: a complete score, a draft (counted nowhere), or nothing yet. */
  state: 'scored' | 'draft' | 'none'
  /** The answer was asked to be saved but is incomplete: it is kept as a draft, and its errors say what it lacks. */
  kept?: boolean
  headingLevel?: 3 | 4
  /** Sent alone (htmx), the answer carries its own error summary, which takes the focus. */
  summary?: boolean
  /** A change to the approved plan touched this criterion after the answer was saved (src/db/plan.ts, scoresToRevisit). */
  revisit?: { version: number; at: string; reason: string }
  /**
   * The option's documents this evaluator may open, which the evidence can point at (with a page);
   * none, and no choice is offered.
   */
  documents: readonly EvidenceDocumentChoice[]
}

/** A document the evidence can point at: its link (null when this copy holds only its reference) and whether it opens in the browser. */
export interface EvidenceDocumentChoice {
  id: number
  name: string
  /** The link without a page: a PDF's inline view, or the download. */
  href: string | null
  download?: string | null
  inline: boolean
}

const gateLevels = [
  { level: 0, label: 'Fail', descriptor: null },
  { level: 1, label: 'Pass', descriptor: null },
]

/**
 * Says truthfully what is saved: green only for a complete score with nothing wrong beside it; a
 * draft and "not scored yet" are never green.
 */
function AnswerStatus(props: AnswerFormProps) {
  const failed = Object.keys(props.errors).length > 0
  const at = props.savedAt !== null ? ` at ${props.savedAt}` : ''
  if (props.state === 'scored' && !failed) {
    return (
      <span class="answer__status answer__status--scored" role="status">
        {props.savedAt !== null ? `Scored, saved${at}` : 'Scored'}
      </span>
    )
  }
  const words =
    props.state === 'draft' || props.kept === true
      ? `Draft saved${at}: not scored until it has a score and a rationale of at least ${props.minRationale} characters`
      : failed && props.state === 'scored'
        ? 'Not saved: the score saved before stands'
        : 'Not scored yet'
  return (
    <span class="answer__status answer__status--draft" role="status">
      {words}
    </span>
  )
}

export function AnswerForm(props: AnswerFormProps) {
  const { criterion: c, values, errors } = props
  const id = `answer-${c.id}`
  const levels = c.kind === 'gate' ? gateLevels : props.levels
  const scoreError = errors.score
  const rationaleError = errors.rationale
  return (
    <form
      method="post"
      action={props.action}
      id={id}
      class={`answer${props.locked ? ' answer--locked' : ''}`}
      hx-post={props.action}
      hx-target={`#${id}`}
      hx-swap="outerHTML"
      hx-trigger="change, input delay:1s, submit"
      hx-sync="this:queue last"
      data-autosave="as-typed"
      novalidate>
      <input type="hidden" name="version" value={props.version === null ? '' : String(props.version)} />
      {props.summary === true && (
        <ErrorSummary
          errors={errors}
          idPrefix={id}
          fieldIds={{
            form: id,
            score: `${id}-score-${levels[0]?.level ?? 0}`,
            rationale: `${id}-rationale`,
            evidence: `${id}-evidence`,
            evidenceDocument: `${id}-evidenceDocument`,
            evidencePage: `${id}-evidencePage`,
          }}
        />
      )}
      <fieldset
        class={scoreError !== undefined ? 'fieldset form-group form-group--error answer__choice' : 'fieldset form-group answer__choice'}
        aria-describedby={
          [c.guidance !== null ? `${id}-guidance` : '', scoreError !== undefined ? `${id}-score-error` : ''].filter(Boolean).join(' ') || undefined
        }>
        <legend class="fieldset__legend answer__title">
          {c.kind === 'gate' && <strong class="tag tag--gate">Gate (pass/fail)</strong>} {c.name}
        </legend>
        {c.guidance !== null && (
          <p class="hint" id={`${id}-guidance`}>
            {c.guidance}
          </p>
        )}
        {props.revisit !== undefined && (
          <p class="notice notice--warning answer__revisit" id={`${id}-revisit`}>
            <strong>To revisit:</strong> version {props.revisit.version} of the evaluation plan, on {formatDate(props.revisit.at)}, changed this criterion after
            you answered it, for this reason: “{props.revisit.reason}”.{' '}
            {props.locked
              ? 'Your scores for this option are submitted and locked, so this stays flagged for the panel to weigh in moderation.'
              : 'Check your answer against the criterion as it is now and save it again, changed or not: saving clears this flag.'}
          </p>
        )}
        {errors.form !== undefined && (
          <p class="error-message" role="alert">
            {errors.form}
          </p>
        )}
        {scoreError !== undefined && (
          <p class="error-message" id={`${id}-score-error`}>
            <span class="visually-hidden">Error:</span> {scoreError}
          </p>
        )}
        {c.kind !== 'gate' && props.descriptors.size > 0 && (
          <details class="answer__descriptors">
            <summary>What each score means for this criterion</summary>
            <dl class="scale-guide__list">
              {levels.map((l) => (
                <>
                  <dt>
                    {l.level}
                    {l.label !== null ? ` ${l.label}` : ''}
                  </dt>
                  <dd>{props.descriptors.get(l.level) ?? l.descriptor ?? ''}</dd>
                </>
              ))}
            </dl>
          </details>
        )}
        <div class="scale-choices">
          {levels.map((l) => (
            <div class="scale-choice">
              <input
                class="scale-choice__input"
                type="radio"
                id={`${id}-score-${l.level}`}
                name="score"
                value={String(l.level)}
                checked={values.score === String(l.level)}
                disabled={props.locked}
              />
              <label class="scale-choice__label" for={`${id}-score-${l.level}`}>
                <strong>
                  {l.level}
                  {l.label !== null ? ` ${l.label}` : ''}
                </strong>
              </label>
            </div>
          ))}
        </div>
      </fieldset>
      <div class={rationaleError !== undefined ? 'form-group form-group--error answer__rationale' : 'form-group answer__rationale'}>
        <label class="label" for={`${id}-rationale`}>
          Rationale
        </label>
        <div class="hint" id={`${id}-rationale-hint`}>
          What the evidence showed: at least {props.minRationale} characters.
        </div>
        {rationaleError !== undefined && (
          <p class="error-message" id={`${id}-rationale-error`}>
            <span class="visually-hidden">Error:</span> {rationaleError}
          </p>
        )}
        <textarea
          class="textarea"
          id={`${id}-rationale`}
          name="rationale"
          rows={3}
          disabled={props.locked}
          minlength={props.minRationale}
          aria-describedby={`${id}-rationale-hint${rationaleError !== undefined ? ` ${id}-rationale-error` : ''}`}>
          {values.rationale ?? ''}
        </textarea>
      </div>
      <div class="answer__evidence">
        <div class={errors.evidence !== undefined ? 'form-group form-group--error' : 'form-group'}>
          <label class="label" for={`${id}-evidence`}>
            Evidence reference (optional)
          </label>
          <div class="hint" id={`${id}-evidence-hint`}>
            Such as ‘Bid vol. 2 §4.3; trial day 2’.
          </div>
          {errors.evidence !== undefined && (
            <p class="error-message">
              <span class="visually-hidden">Error:</span> {errors.evidence}
            </p>
          )}
          <input
            class="input"
            id={`${id}-evidence`}
            name="evidence"
            value={values.evidence ?? ''}
            disabled={props.locked}
            aria-describedby={`${id}-evidence-hint`}
          />
        </div>
        {props.documents.length > 0 && <EvidenceDocumentFields {...props} />}
      </div>
      {!props.locked && (
        <p class="answer__actions">
          <button class="button button--secondary" type="submit" name="save" value="1" id={`${id}-save`}>
            Save<span class="visually-hidden"> {c.name}</span>
          </button>
          <AnswerStatus {...props} />
        </p>
      )}
    </form>
  )
}

/** The document the evidence is in (one of the option's that this evaluator may open) and the page, with a link that opens it there. */
function EvidenceDocumentFields(props: AnswerFormProps) {
  const { values, errors } = props
  const id = `answer-${props.criterion.id}`
  const chosen = props.documents.find((d) => String(d.id) === values.evidenceDocument)
  const page = /^[1-9][0-9]{0,5}$/.test(values.evidencePage ?? '') ? Number(values.evidencePage) : null
  const field = (name: 'evidenceDocument' | 'evidencePage') =>
    errors[name] !== undefined ? 'form-group form-group--error answer__where-field' : 'form-group answer__where-field'
  return (
    <>
      <div class="answer__where">
        <div class={field('evidenceDocument')}>
          <label class="label" for={`${id}-evidenceDocument`}>
            In the document
          </label>
          {errors.evidenceDocument !== undefined && (
            <p class="error-message" id={`${id}-evidenceDocument-error`}>
              <span class="visually-hidden">Error:</span> {errors.evidenceDocument}
            </p>
          )}
          <select
            class="select"
            id={`${id}-evidenceDocument`}
            name="evidenceDocument"
            disabled={props.locked}
            aria-invalid={errors.evidenceDocument !== undefined ? 'true' : undefined}
            aria-describedby={errors.evidenceDocument !== undefined ? `${id}-evidenceDocument-error` : undefined}>
            <option value="" selected={chosen === undefined}>
              None
            </option>
            {props.documents.map((d) => (
              <option value={String(d.id)} selected={chosen === d}>
                {d.name}
              </option>
            ))}
          </select>
        </div>
        <div class={field('evidencePage')}>
          <label class="label" for={`${id}-evidencePage`}>
            Page
          </label>
          {errors.evidencePage !== undefined && (
            <p class="error-message" id={`${id}-evidencePage-error`}>
              <span class="visually-hidden">Error:</span> {errors.evidencePage}
            </p>
          )}
          <input
            class={`input input--number${errors.evidencePage !== undefined ? ' input--error' : ''}`}
            id={`${id}-evidencePage`}
            name="evidencePage"
            inputmode="numeric"
            value={values.evidencePage ?? ''}
            disabled={props.locked}
            aria-invalid={errors.evidencePage !== undefined ? 'true' : undefined}
            aria-describedby={errors.evidencePage !== undefined ? `${id}-evidencePage-error` : undefined}
          />
        </div>
      </div>
      {chosen !== undefined && (
        <p class="answer__evidence-link">
          <EvidenceLink document={{ name: chosen.name, href: chosen.href, download: chosen.download ?? null, inline: chosen.inline }} page={page} />
        </p>
      )}
    </>
  )
}
