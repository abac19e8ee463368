import { EVALUATION_ROLES, type EvaluationRole } from '../vocabulary.js'

/**
 * Who may use each route: the one table the server enforces (src/auth/guard.ts) and the route test
 * walks. A route missing from the table is refused to everyone, so a new route cannot be left open
 * by accident.
 *
 * - public: anyone, signed in or not (sign-in, static files and the operators' health checks)
 * - signed-in: any account
 * - admin: site administrators, who manage accounts (and see no evaluation for being one)
 * - roles: the roles on the evaluation named in the path (/evaluations/:id/…) that may use it
 */
export type Access = 'public' | 'signed-in' | 'admin' | { roles: readonly EvaluationRole[] }

const LEAD = { roles: ['lead'] } as const
/** Configuration is the lead's; the cost model and appraisal settings are finance's too. */
const COSTS = { roles: ['lead', 'finance'] } as const
/**
 * Results and the figures behind them: not for evaluators, who score blind. Finance, observers and
 * approvers see them once moderation is complete (src/routes/provisional.ts); until then the lead sees
 * the provisional ranking on quality only, price sealed (AFTER_MODERATION).
 */
const FIGURES = { roles: ['lead', 'finance', 'observer', 'approver'] } as const
/** Options and criteria, read-only for those who are not the lead. */
const SETUP = { roles: ['lead', 'evaluator', 'finance'] } as const
/** The criteria and their guidance: stakeholders see these too, and nothing of the tenders. */
const CRITERIA = { roles: ['lead', 'evaluator', 'finance', 'stakeholder'] } as const
/** Weighting rounds: the lead sets them up and sees everyone's figures; a stakeholder sees their own rounds. */
const ROUNDS = { roles: ['lead', 'stakeholder'] } as const
const STAKEHOLDER = { roles: ['stakeholder'] } as const
/** Frontline trials: the lead sets them up and sees the figures; a facilitator runs the sessions. */
const TRIALS = { roles: ['lead', 'facilitator'] } as const
const FACILITATOR = { roles: ['facilitator'] } as const
/**
 * Tender material (src/routes/tender.tsx): the clerk (a procurement officer who loads the tenders and
 * scores nothing) and the lead load each option's documents and the supplier's response to each
 * criterion; finance reads them too. Evaluators read the responses beside each criterion on their
 * scoring pages, and open the documents those link to.
 */
const TENDER = { roles: ['lead', 'clerk'] } as const
const TENDER_READ = { roles: ['lead', 'clerk', 'finance'] } as const
/**
 * A document: those who read tender material, and evaluators. Which one an evaluator may open is the
 * route's rule (src/routes/tender.tsx): one linked from an option they may score, once they have
 * declared, the plan is approved, and never one marked commercial.
 */
const DOCUMENT = { roles: ['lead', 'clerk', 'finance', 'evaluator'] } as const
/**
 * Tender material marked commercial (price schedules) is sealed like prices: only those who see the
 * cost model (the lead and finance) and the clerk who loads it see it. Evaluators score quality blind to
 * price: never shown it, whatever else they hold.
 */
export const COMMERCIAL = { roles: ['lead', 'finance', 'clerk'] } as const
/** Scoring is the evaluators' own. */
const SCORER = { roles: ['evaluator'] } as const
const ANY_ROLE = { roles: EVALUATION_ROLES } as const
/** Those who declare their interests outside the panel: every role that can influence the decision but evaluators and observers. */
const DECLARERS = { roles: ['lead', 'finance', 'stakeholder', 'facilitator', 'clerk', 'approver'] } as const

export const routeAccess: Record<string, Access> = {
  'GET /assets/:name': 'public',
  // For the load balancer: process up, and ready to serve (src/routes/operators.ts).
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /sign-in': 'public',
  'POST /sign-in': 'public',
  // Single sign-on (src/routes/sso.tsx), when configured: to the provider and back.
  'GET /sign-in/sso': 'public',
  'GET /sign-in/sso/callback': 'public',
  'POST /sign-out': 'signed-in',
  'GET /account/password': 'signed-in',
  'POST /account/password': 'signed-in',

  'GET /accounts': 'admin',
  'POST /accounts': 'admin',
  'POST /accounts/:accountId': 'admin',

  'GET /': 'signed-in',
  'GET /evaluations': 'signed-in',
  'GET /evaluations/new': 'signed-in',
  'POST /evaluations': 'signed-in',
  'GET /evaluations/import': 'signed-in',
  'POST /evaluations/import': 'signed-in',

  'GET /evaluations/:id': ANY_ROLE,
  'GET /evaluations/:id/edit': LEAD,
  'POST /evaluations/:id': LEAD,
  'POST /evaluations/:id/archive': LEAD,
  'POST /evaluations/:id/restore': LEAD,
  'GET /evaluations/:id/export': LEAD,

  // The evaluation plan: everyone on the evaluation reads it (it is published with the tender); the lead approves and changes it.
  'GET /evaluations/:id/plan': ANY_ROLE,
  'GET /evaluations/:id/plan.pdf': ANY_ROLE,
  'POST /evaluations/:id/plan/approve': LEAD,
  'POST /evaluations/:id/plan/tie-breaker': LEAD,
  'POST /evaluations/:id/plan/tie-decision': LEAD,

  'GET /evaluations/:id/panel': LEAD,
  'POST /evaluations/:id/panel': LEAD,
  'POST /evaluations/:id/panel/remove': LEAD,
  'POST /evaluations/:id/panel/link': LEAD,

  'GET /evaluations/:id/options': SETUP,
  'POST /evaluations/:id/options': LEAD,
  'GET /evaluations/:id/options/:optionId/edit': LEAD,
  'POST /evaluations/:id/options/:optionId': LEAD,
  'POST /evaluations/:id/options/:optionId/move': LEAD,
  'GET /evaluations/:id/options/:optionId/delete': LEAD,
  'POST /evaluations/:id/options/:optionId/delete': LEAD,

  'GET /evaluations/:id/criteria': CRITERIA,
  'POST /evaluations/:id/criteria': LEAD,
  'POST /evaluations/:id/criteria/:criterionId/weight': LEAD,
  'POST /evaluations/:id/criteria/:criterionId/name': LEAD,
  'POST /evaluations/:id/criteria/:criterionId/move': LEAD,
  'GET /evaluations/:id/criteria/:criterionId/edit': LEAD,
  'POST /evaluations/:id/criteria/:criterionId': LEAD,
  'GET /evaluations/:id/criteria/:criterionId/delete': LEAD,
  'POST /evaluations/:id/criteria/:criterionId/delete': LEAD,

  'GET /evaluations/:id/weighting': ROUNDS,
  'POST /evaluations/:id/weighting': LEAD,
  'GET /evaluations/:id/weighting/:roundId': ROUNDS,
  'POST /evaluations/:id/weighting/:roundId/participants': LEAD,
  'POST /evaluations/:id/weighting/:roundId/link': LEAD,
  'POST /evaluations/:id/weighting/:roundId/judgements': STAKEHOLDER,
  'POST /evaluations/:id/weighting/:roundId/apply': LEAD,
  'POST /evaluations/:id/weighting/:roundId/delete': LEAD,

  'GET /evaluations/:id/trials': TRIALS,
  'POST /evaluations/:id/trials/settings': LEAD,
  'POST /evaluations/:id/trials/tasks': LEAD,
  'POST /evaluations/:id/trials/tasks/:taskId': LEAD,
  'POST /evaluations/:id/trials/tasks/:taskId/delete': LEAD,
  'POST /evaluations/:id/trials/criteria': LEAD,
  'POST /evaluations/:id/trials/sessions': FACILITATOR,
  'GET /evaluations/:id/trials/sessions/:sessionId': FACILITATOR,
  'POST /evaluations/:id/trials/sessions/:sessionId': FACILITATOR,
  'POST /evaluations/:id/trials/sessions/:sessionId/code': FACILITATOR,
  'POST /evaluations/:id/trials/sessions/:sessionId/delete': FACILITATOR,
  // A participant answers the questionnaire with a one-time code, without an account.
  'GET /trial': 'public',
  'POST /trial': 'public',
  'GET /trial/:code': 'public',
  'POST /trial/:code': 'public',

  'GET /evaluations/:id/tender': TENDER_READ,
  'GET /evaluations/:id/tender/:optionId': TENDER_READ,
  'POST /evaluations/:id/tender/:optionId/documents': TENDER,
  'POST /evaluations/:id/tender/:optionId/documents/:documentId/delete': TENDER,
  'POST /evaluations/:id/tender/:optionId/responses/:criterionId': TENDER,
  'POST /evaluations/:id/tender/:optionId/responses.csv': TENDER,
  'GET /evaluations/:id/documents/:documentId': DOCUMENT,
  // A PDF in the browser's viewer, for a link to open at a page; the same rule as its download.
  'GET /evaluations/:id/documents/:documentId/view': DOCUMENT,

  'GET /evaluations/:id/scoring': SCORER,
  'POST /evaluations/:id/scoring/declaration': SCORER,
  'GET /evaluations/:id/scoring/:optionId': SCORER,
  'POST /evaluations/:id/scoring/:optionId/submit': SCORER,
  'POST /evaluations/:id/scoring/:optionId/consensus': SCORER,
  'POST /evaluations/:id/scoring/:optionId/:criterionId': SCORER,

  // Declarations of interest from every role that can influence the decision but the panel's (made on
  // the scoring page), and the lead's conflicts assessment (src/routes/declarations.tsx).
  'GET /evaluations/:id/declaration': DECLARERS,
  'POST /evaluations/:id/declaration': DECLARERS,
  'GET /evaluations/:id/conflicts': LEAD,
  'POST /evaluations/:id/conflicts/:declarationId': LEAD,

  'GET /evaluations/:id/moderation': LEAD,
  'POST /evaluations/:id/moderation/rules': LEAD,
  'POST /evaluations/:id/moderation/declarations/:memberId': LEAD,
  'POST /evaluations/:id/moderation/meetings': LEAD,
  'POST /evaluations/:id/moderation/excuse': LEAD,
  'GET /evaluations/:id/moderation/:optionId/accept': LEAD,
  'GET /evaluations/:id/moderation/:optionId': LEAD,
  'POST /evaluations/:id/moderation/:optionId/accept': LEAD,
  'POST /evaluations/:id/moderation/:optionId/:criterionId': LEAD,
  'GET /evaluations/:id/options/:optionId/assessment-summary': LEAD,
  'POST /evaluations/:id/panel/assign': LEAD,

  'GET /evaluations/:id/settings': COSTS,
  'POST /evaluations/:id/settings': COSTS,
  'GET /evaluations/:id/costs': COSTS,
  'GET /evaluations/:id/costs/template.csv': COSTS,
  'GET /evaluations/:id/costs/lines.csv': COSTS,
  'GET /evaluations/:id/costs/years.csv': COSTS,
  'GET /evaluations/:id/costs/workbook.xlsx': COSTS,
  'GET /evaluations/:id/costs/import': COSTS,
  'POST /evaluations/:id/costs/import': COSTS,
  'POST /evaluations/:id/costs/import/confirm': COSTS,
  'GET /evaluations/:id/costs/real-prices': COSTS,
  'GET /evaluations/:id/costs/:optionId': COSTS,
  'GET /evaluations/:id/costs/:optionId/years.csv': COSTS,
  'POST /evaluations/:id/costs/:optionId/lines': COSTS,
  'GET /evaluations/:id/costs/:optionId/lines/:lineId/edit': COSTS,
  'POST /evaluations/:id/costs/:optionId/lines/:lineId': COSTS,
  'GET /evaluations/:id/costs/:optionId/lines/:lineId/delete': COSTS,
  'POST /evaluations/:id/costs/:optionId/lines/:lineId/delete': COSTS,
  'POST /evaluations/:id/costs/:optionId/sunk': COSTS,
  'GET /evaluations/:id/costs/:optionId/sunk/:sunkCostId/edit': COSTS,
  'POST /evaluations/:id/costs/:optionId/sunk/:sunkCostId': COSTS,
  'GET /evaluations/:id/costs/:optionId/sunk/:sunkCostId/delete': COSTS,
  'POST /evaluations/:id/costs/:optionId/sunk/:sunkCostId/delete': COSTS,

  'GET /evaluations/:id/results': FIGURES,
  'GET /evaluations/:id/results/workbook.xlsx': FIGURES,
  'GET /evaluations/:id/sensitivity': FIGURES,
  'POST /evaluations/:id/sensitivity': FIGURES,
  'GET /evaluations/:id/report.pdf': FIGURES,

  // The record: who changed what, whether the records still match it, sign-off and its versions.
  'GET /evaluations/:id/history': FIGURES,
  'GET /evaluations/:id/history/scores/:optionId/:criterionId': FIGURES,
  'GET /evaluations/:id/record-check': FIGURES,
  'GET /evaluations/:id/finalise': LEAD,
  'POST /evaluations/:id/finalise': LEAD,
  'GET /evaluations/:id/reopen': LEAD,
  'POST /evaluations/:id/reopen': LEAD,
  'GET /evaluations/:id/versions/:version/report.pdf': FIGURES,
  // After the decision: the award record, each tender's assessment summary and the open data.
  'GET /evaluations/:id/award': LEAD,
  'POST /evaluations/:id/award': LEAD,
  'POST /evaluations/:id/award/notifications': LEAD,
  'GET /evaluations/:id/award/summaries/:optionId': LEAD,
  'GET /evaluations/:id/award/summaries.zip': LEAD,
  'GET /evaluations/:id/award/ocds.json': LEAD,
  'GET /evaluations/:id/award/evaluation.json': LEAD,
}

/**
 * The changes a finalised evaluation still takes, all audited: reopening it; its award record; filing it in the archive
 * and back; who may see it (roles are access, not part of the record); and the what-if panel, which
 * saves nothing. Everything else is refused until it is reopened: by the guard before the form is
 * read (closedWhenFinalised), and by the data layer (src/db/audit.ts) whatever the way in; pages do not offer it.
 */
export const OPEN_WHEN_FINALISED: ReadonlySet<string> = new Set([
  'POST /evaluations/:id/reopen',
  'POST /evaluations/:id/archive',
  'POST /evaluations/:id/restore',
  'POST /evaluations/:id/panel',
  'POST /evaluations/:id/panel/remove',
  'POST /evaluations/:id/sensitivity',
  'POST /evaluations/:id/award',
  'POST /evaluations/:id/award/notifications',
])

/**
 * The pages that only show the form of a change a finalised evaluation refuses: the edit and delete
 * pages, the cost import and a trial session's outcomes. Nothing links to them once it is finalised; typed, each answers as the
 * change would, with who finalised it, rather than show a form whose posting is refused.
 */
const CHANGE_PAGES: ReadonlySet<string> = new Set([
  'GET /evaluations/:id/edit',
  'GET /evaluations/:id/options/:optionId/edit',
  'GET /evaluations/:id/options/:optionId/delete',
  'GET /evaluations/:id/criteria/:criterionId/edit',
  'GET /evaluations/:id/criteria/:criterionId/delete',
  'GET /evaluations/:id/costs/import',
  'GET /evaluations/:id/costs/:optionId/lines/:lineId/edit',
  'GET /evaluations/:id/costs/:optionId/lines/:lineId/delete',
  'GET /evaluations/:id/costs/:optionId/sunk/:sunkCostId/edit',
  'GET /evaluations/:id/costs/:optionId/sunk/:sunkCostId/delete',
  'GET /evaluations/:id/trials/sessions/:sessionId',
])

/** Whether a finalised evaluation refuses the change behind a route, or the page of its form (the guard, before any form is read; pages hide it). */
export function closedWhenFinalised(method: string, path: string): boolean {
  if (method === 'GET' || method === 'HEAD') return CHANGE_PAGES.has(`GET ${path}`)
  return method === 'POST' && path.startsWith('/evaluations/:id') && !OPEN_WHEN_FINALISED.has(`${method} ${path}`)
}

/** Whether someone with these roles sees tender material marked commercial (see COMMERCIAL). */
export function seesCommercial(roles: readonly EvaluationRole[]): boolean {
  return allows(COMMERCIAL, { signedIn: true, admin: false, roles })
}

/** Whether someone with these roles reads all tender material that is not commercial (see TENDER_READ), rather than an evaluator's part of it. */
export function readsTender(roles: readonly EvaluationRole[]): boolean {
  return allows(TENDER_READ, { signedIn: true, admin: false, roles })
}

/**
 * The work a declaration of interest gates, once the plan is approved: the roles named for a route
 * must have declared, and renewed since the last supplier was named (src/appraisal/conflicts.ts),
 * before they use it. A page asks for the declaration first; a change is refused (409). Evaluators'
 * scoring is gated the same way on the scoring pages, and sign-off waits for every approver's
 * declaration (src/routes/sign-off.tsx).
 */
const MODERATING = ['lead'] as const
const COSTING = ['lead', 'finance'] as const
export const DECLARED_WORK: Readonly<Record<string, readonly EvaluationRole[]>> = {
  'GET /evaluations/:id/moderation': MODERATING,
  'POST /evaluations/:id/moderation/rules': MODERATING,
  'POST /evaluations/:id/moderation/declarations/:memberId': MODERATING,
  'POST /evaluations/:id/moderation/meetings': MODERATING,
  'POST /evaluations/:id/moderation/excuse': MODERATING,
  'GET /evaluations/:id/moderation/:optionId/accept': MODERATING,
  'GET /evaluations/:id/moderation/:optionId': MODERATING,
  'POST /evaluations/:id/moderation/:optionId/accept': MODERATING,
  'POST /evaluations/:id/moderation/:optionId/:criterionId': MODERATING,
  'POST /evaluations/:id/conflicts/:declarationId': MODERATING,
  'GET /evaluations/:id/finalise': MODERATING,
  'POST /evaluations/:id/finalise': MODERATING,
  'GET /evaluations/:id/costs': COSTING,
  'GET /evaluations/:id/costs/:optionId': COSTING,
  'POST /evaluations/:id/costs/:optionId/lines': COSTING,
  'POST /evaluations/:id/costs/:optionId/lines/:lineId': COSTING,
  'POST /evaluations/:id/costs/:optionId/lines/:lineId/delete': COSTING,
  'POST /evaluations/:id/costs/:optionId/sunk': COSTING,
  'POST /evaluations/:id/costs/:optionId/sunk/:sunkCostId': COSTING,
  'POST /evaluations/:id/costs/:optionId/sunk/:sunkCostId/delete': COSTING,
  'POST /evaluations/:id/costs/import': COSTING,
  'POST /evaluations/:id/costs/import/confirm': COSTING,
  // A page whose work is gated is gated too, so that it never offers a form that would answer 409.
  'GET /evaluations/:id/tender/:optionId': ['clerk'],
  'POST /evaluations/:id/tender/:optionId/documents': ['clerk'],
  'POST /evaluations/:id/tender/:optionId/documents/:documentId/delete': ['clerk'],
  'POST /evaluations/:id/tender/:optionId/responses/:criterionId': ['clerk'],
  'POST /evaluations/:id/tender/:optionId/responses.csv': ['clerk'],
  'GET /evaluations/:id/trials': ['facilitator'],
  'GET /evaluations/:id/trials/sessions/:sessionId': ['facilitator'],
  'POST /evaluations/:id/trials/sessions': ['facilitator'],
  'POST /evaluations/:id/trials/sessions/:sessionId': ['facilitator'],
  'POST /evaluations/:id/trials/sessions/:sessionId/code': ['facilitator'],
}

/** The roles of this person whose declaration the route needs: none when it gates nothing of theirs. */
export function declarationNeeded(method: string, path: string, roles: readonly EvaluationRole[]): EvaluationRole[] {
  const gated = DECLARED_WORK[`${method === 'HEAD' ? 'GET' : method} ${path}`] ?? []
  return roles.filter((role) => gated.includes(role))
}

/**
 * Figures that wait for moderation to be complete (src/routes/provisional.ts): until then the ranking
 * is provisional; finance, observers and approvers are neither served them nor offered a link to them.
 */
export const AFTER_MODERATION: ReadonlySet<string> = new Set([
  'GET /evaluations/:id/results',
  'GET /evaluations/:id/results/workbook.xlsx',
  'GET /evaluations/:id/sensitivity',
  'POST /evaluations/:id/sensitivity',
  'GET /evaluations/:id/report.pdf',
  'GET /evaluations/:id/history',
  'GET /evaluations/:id/history/scores/:optionId/:criterionId',
])

/**
 * Of those, the views that put price beside quality, sealed from the lead too while they moderate
 * quality (decision 17): the lead's results page shows quality only (sealedResults), and these are
 * refused. The history stays the lead's (it is the record of moderation), and so does the evaluation
 * file (the record, for its keeping; it shows no ranking).
 */
const PRICED_VIEWS: ReadonlySet<string> = new Set([
  'GET /evaluations/:id/results/workbook.xlsx',
  'GET /evaluations/:id/sensitivity',
  'POST /evaluations/:id/sensitivity',
  'GET /evaluations/:id/report.pdf',
])

/**
 * The cost model's pages, which show the tenders' prices: nobody who moderates quality sees them
 * until every consensus is recorded, so they are sealed from the lead from the plan's approval until
 * moderation is complete (decision 17). Finance goes on modelling costs meanwhile.
 */
export const COST_MODEL: ReadonlySet<string> = new Set(Object.keys(routeAccess).filter((key) => key.includes(' /evaluations/:id/costs')))

/** Whether a route is closed to these roles while moderation is open: the one rule the guard and pages both apply. */
export function closedWhileModerating(roles: readonly EvaluationRole[], method: string, path: string, planDraft = false): boolean {
  const route = `${method === 'HEAD' ? 'GET' : method} ${path}`
  // While the plan is a draft no tender has a price yet: the lead models the other options' costs.
  if (roles.includes('lead')) return PRICED_VIEWS.has(route) || (COST_MODEL.has(route) && !planDraft)
  return AFTER_MODERATION.has(route)
}

/** Whether the results page shows quality only to these roles while moderation is open: the lead's provisional view (decision 17). */
export function sealedResults(roles: readonly EvaluationRole[], moderating: boolean): boolean {
  return moderating && roles.includes('lead')
}

/**
 * Whether moderation being open changes anything these roles may do: whether their roles reach a
 * figure closed to them while it is open. Pages ask it before working out whether moderation is open,
 * which reads every score (an evaluator's save renders no such figure).
 */
export function moderationMatters(roles: readonly EvaluationRole[]): boolean {
  return [...AFTER_MODERATION, ...COST_MODEL].some((key) => {
    const [method = '', path = ''] = key.split(' ')
    const access = routeAccess[key]
    return access !== undefined && closedWhileModerating(roles, method, path) && allows(access, { signedIn: true, admin: false, roles })
  })
}

/**
 * Changes that wait for the evaluation plan's approval (src/db/plan.ts, KINDS_AFTER_APPROVAL): the
 * panel's scores and everyone's declarations of interest, and the tender material, which arrives
 * only once the plan is published. While the plan is a draft the guard refuses them (409) before the
 * form is read, the data layer refuses them whatever the way in, and pages do not offer them. A
 * tender's own records (its cost lines, trial sessions, the option itself) wait too: which option a
 * change touches is the data layer's to see (refuseTenderMaterial), and pages ask
 * `tenderMaterialOpen` (src/db/plan-rules.ts).
 */
export const AFTER_APPROVAL: ReadonlySet<string> = new Set([
  'POST /evaluations/:id/scoring/declaration',
  'POST /evaluations/:id/scoring/:optionId/submit',
  'POST /evaluations/:id/scoring/:optionId/:criterionId',
  'POST /evaluations/:id/declaration',
  'POST /evaluations/:id/conflicts/:declarationId',
  'POST /evaluations/:id/moderation/declarations/:memberId',
  'POST /evaluations/:id/tender/:optionId/documents',
  'POST /evaluations/:id/tender/:optionId/documents/:documentId/delete',
  'POST /evaluations/:id/tender/:optionId/responses/:criterionId',
  'POST /evaluations/:id/tender/:optionId/responses.csv',
])

/** Whether a route is closed while the evaluation plan is a draft: the one rule pages and the guard both apply. */
export function closedWhilePlanDraft(method: string, path: string): boolean {
  return AFTER_APPROVAL.has(`${method} ${path}`)
}

/**
 * Changes closed once the evaluation plan is approved (src/db/plan.ts, KINDS_WHILE_DRAFT): weighting
 * rounds (issue 25) settle the plan's weights, so they are set up, answered, applied and removed only
 * while it is a draft; afterwards a round is read, not changed, and a weight changes on the criteria
 * page as a change to the approved plan, with its reason. The guard refuses these once the plan is
 * approved (409) before the form is read, the data layer refuses them whatever the way in, and `may`
 * hides them. Linking an imported participant to an account changes no weight, so it stays open.
 */
export const WHILE_PLAN_DRAFT: ReadonlySet<string> = new Set([
  'POST /evaluations/:id/weighting',
  'POST /evaluations/:id/weighting/:roundId/participants',
  'POST /evaluations/:id/weighting/:roundId/judgements',
  'POST /evaluations/:id/weighting/:roundId/apply',
  'POST /evaluations/:id/weighting/:roundId/delete',
])

/** Whether a route is closed once the evaluation plan is approved: the one rule pages and the guard both apply. */
export function closedOncePlanApproved(method: string, path: string): boolean {
  return WHILE_PLAN_DRAFT.has(`${method} ${path}`)
}

/** Whether someone with these roles runs weighting rounds: sees every round and its figures, rather than their own part in one. */
export function runsRounds(roles: readonly EvaluationRole[]): boolean {
  return allows(LEAD, { signedIn: true, admin: false, roles })
}

/** Looks up a route's rule; HEAD is answered like GET. */
export function accessFor(method: string, path: string): Access | undefined {
  return routeAccess[`${method === 'HEAD' ? 'GET' : method} ${path}`]
}

export function allows(access: Access, who: { signedIn: boolean; admin: boolean; roles: readonly EvaluationRole[] }): boolean {
  if (access === 'public') return true
  if (!who.signedIn) return false
  if (access === 'signed-in') return true
  if (access === 'admin') return who.admin
  return access.roles.some((role) => who.roles.includes(role))
}

/**
 * Whether someone with these roles may take the action behind a route: views use it to hide what is
 * not theirs, (on a finalised evaluation) the changes it would refuse, (while moderation is open)
 * the figures that wait for it, (while the plan is a draft) the changes that wait for its approval,
 * and (once it is approved, or outside an evaluation: `planDraft` false) the changes it closes.
 */
export function may(
  roles: readonly EvaluationRole[],
  method: string,
  path: string,
  admin = false,
  finalised = false,
  moderating = false,
  planDraft = false,
): boolean {
  const access = accessFor(method, path)
  if (finalised && closedWhenFinalised(method, path)) return false
  if (planDraft && closedWhilePlanDraft(method, path)) return false
  if (!planDraft && closedOncePlanApproved(method, path)) return false
  if (moderating && closedWhileModerating(roles, method, path, planDraft)) return false
  return access !== undefined && allows(access, { signedIn: true, admin, roles })
}
