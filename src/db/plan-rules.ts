/** The shortest reason a change to an approved plan takes, in characters. */
export const PLAN_REASON_MIN = 20
