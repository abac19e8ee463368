import type { Evaluation } from '../../src/db/schema.js'
import { PLAN_REASON_MIN, TENDERS_AFTER_APPROVAL } from '../../src/db/plan-rules.js'
import { TextArea, type FieldErrors, type FormValues } from './form.js'

/**
 * The reason a change to the approved plan needs, on every form that can change it; nothing while the
 * plan is a draft. A change that leaves the plan as it was needs none.
 */
export function PlanReasonField(props: { evaluation: Pick<Evaluation, 'plan_version'>; values: FormValues; errors: FieldErrors; idPrefix?: string }) {
  if (props.evaluation.plan_version === 0) return null
  return (
    <TextArea
      name="planReason"
      label="Reason for changing the approved plan"
      hint={`The evaluation plan is approved (version ${props.evaluation.plan_version}). If this changes it, say why, in at least ${PLAN_REASON_MIN} characters: the change starts a new version of the plan, is marked in the history and listed in the report, and scores already given against a changed criterion are flagged for the panel to revisit.`}
      value={props.values.planReason}
      error={props.errors.planReason}
      rows={3}
      {...(props.idPrefix === undefined ? {} : { idPrefix: props.idPrefix })}
    />
  )
}

/** While the plan is a draft, why tenders and their cost lines cannot be added or changed yet; nothing once it is approved. */
export function TendersClosedNotice(props: { evaluation: Pick<Evaluation, 'id' | 'plan_version'> }) {
  if (props.evaluation.plan_version !== 0) return null
  return (
    <div class="notice" role="status" id="tenders-closed">
      <h2 class="notice__title">The evaluation plan is a draft</h2>
      <p>{TENDERS_AFTER_APPROVAL}</p>
      <p>
        <a href={`/evaluations/${props.evaluation.id}/plan`}>The evaluation plan</a>
      </p>
    </div>
  )
}
