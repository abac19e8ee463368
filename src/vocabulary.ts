// The closed sets of values the app's records use, each defined once. The types, the forms' z.enums,
// the evaluation file's schema and the access table derive from these lists, so adding a value here
// is the one edit, and the type-checker then points at every place that must say something about it
// (a label, a word for the history, a rule in the access table).

/** The roles a person can hold on an evaluation. */
export const EVALUATION_ROLES = ['lead', 'evaluator', 'finance', 'observer', 'stakeholder', 'facilitator', 'clerk', 'approver'] as const
export type EvaluationRole = (typeof EVALUATION_ROLES)[number]

/** The lead's decision on a panel member's declared interest. */
export const INTEREST_DECISIONS = ['proceed', 'restrict', 'remove'] as const
export type InterestDecision = (typeof INTEREST_DECISIONS)[number]

/** What a node of the criteria tree is: a group of others, a scored criterion, or a pass/fail gate. */
export const CRITERION_KINDS = ['group', 'criterion', 'gate'] as const
export type CriterionKind = (typeof CRITERION_KINDS)[number]
