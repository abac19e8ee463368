import { PlanChangeNeedsReasonError } from '../db/plan.js'
import type { FormValues } from '../../views/components/form.js'

/** The reason typed for a change to the approved plan (views/components/plan-reason.tsx); null when none. */
export function planReasonOf(values: FormValues): string | null {
  const reason = values.planReason?.trim() ?? ''
  return reason === '' ? null : reason
}

/**
 * Runs a change that may alter the approved plan. One refused for want of a reason (which changed
 * nothing) comes back as the message for the form's `planReason` field.
 */
export async function unlessPlanRefuses<T>(work: () => Promise<T>): Promise<{ refused: string } | { refused: null; result: T }> {
  try {
    return { refused: null, result: await work() }
  } catch (error) {
    if (error instanceof PlanChangeNeedsReasonError) return { refused: error.message }
    throw error
  }
}
