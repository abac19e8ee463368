/** The shortest reason a change to an approved plan takes, in characters. */
export const PLAN_REASON_MIN = 20

/** Why tenders cannot be added or changed yet, for the pages that say so before anyone tries (src/db/plan.ts refuses them). */
export const TENDERS_AFTER_APPROVAL =
  'Tenders open once the lead approves the evaluation plan, so that the criteria, weights and price formula are fixed before any tender is read: until then only business as usual and options that are not tenders (a do-minimum, an in-house fix) can be added or changed, with the organisation’s own cost estimates.'

/**
 * Whether an option's own records (the option itself, its cost lines, trial sessions and tender
 * material) may change: a tender's only once the plan is approved. Pages ask it before offering such
 * a change; src/db/plan.ts (refuseTenderMaterial) refuses the change whatever the way in.
 */
export function tenderMaterialOpen(evaluation: { plan_version: number | null }, option: { tender: number }): boolean {
  return (evaluation.plan_version ?? 0) > 0 || option.tender !== 1
}
