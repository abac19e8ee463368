import type { ColumnType, Generated, Selectable } from 'kysely'
import type { CriterionKind, EvaluationRole, InterestDecision } from '../vocabulary.js'

/**
 * The database, hand-written. Booleans are stored as 0/1 integers and timestamps as ISO-8601 text so
 * that the same columns work on SQLite and PostgreSQL. A file-level `id` (for example an option's
 * "product-a") is stored as `key`; `id` is the database's own surrogate key.
 */
export interface Database {
  evaluation: EvaluationTable
  scale_level: ScaleLevelTable
  option: OptionTable
  criterion: CriterionTable
  criterion_descriptor: CriterionDescriptorTable
  panel_member: PanelMemberTable
  individual_score: IndividualScoreTable
  consensus_score: ConsensusScoreTable
  money_line: MoneyLineTable
  sunk_cost: SunkCostTable
  account: AccountTable
  session: SessionTable
  sign_in_throttle: SignInThrottleTable
  panel_role: PanelRoleTable
  panel_member_option: PanelMemberOptionTable
  panel_assignment: PanelAssignmentTable
  score_submission: ScoreSubmissionTable
  score_excuse: ScoreExcuseTable
  moderation_meeting: ModerationMeetingTable
  consensus_confirmation: ConsensusConfirmationTable
  role_declaration: RoleDeclarationTable
  audit_entry: AuditEntryTable
  audit_change: AuditChangeTable
  finalised_report: FinalisedReportTable
  audit_key: AuditKeyTable
  weighting_round: WeightingRoundTable
  weighting_participant: WeightingParticipantTable
  trial: TrialTable
  trial_task: TrialTaskTable
  trial_session: TrialSessionTable
  plan_version: PlanVersionTable
  tender_document: TenderDocumentTable
  tender_document_content: TenderDocumentContentTable
  tender_response: TenderResponseTable
}

type Timestamp = ColumnType<string, string | undefined, string>

export interface EvaluationTable {
  id: Generated<number>
  title: string
  organisation: string | null
  summary: string | null
  currency: string
  scale_min: number
  scale_max: number
  split_quality: number
  split_cost: number
  price_formula: 'relative-to-lowest' | 'price-per-quality-point'
  base_year: number
  years: number
  /** The discount setting as JSON: "green-book", "green-book-health", "none", {"rate"} or {"schedule"}. */
  discount: string
  optimism_bias_capital: number
  optimism_bias_operating: number
  /** The Green Book supplementary guidance's project type the defaults start from (an OptimismBiasPresetId), or null. */
  optimism_bias_preset: string | null
  /** Why the optimism bias stands where it does, or null. */
  optimism_bias_note: string | null
  archived: number
  /** The shortest rationale an evaluator may save. */
  min_rationale: Generated<number>
  /** The spread of individual scores above which a criterion needs discussion. */
  tolerance: Generated<number>
  created_at: Timestamp
  updated_at: Timestamp
  /** 'finalised' once the lead signs it off: every change is then refused until it is reopened. */
  status: Generated<EvaluationStatus>
  /** Starts at 1; each reopening after sign-off starts the next. */
  version: Generated<number>
  finalised_at: string | null
  finalised_by_account_id: number | null
  finalised_by_name: string | null
  /** What the evaluated price covers, as published (the file's `priceBasis`). */
  price_basis: Generated<string | null>
  /** The award record (the file's `award`), kept by the lead once the evaluation is finalised. */
  award_decision_date: Generated<string | null>
  standstill_start: Generated<string | null>
  standstill_end: Generated<string | null>
  /** JSON: [{ optionId (the option row's id), date, to, method }], or null for none. */
  award_notifications: Generated<string | null>
  award_publish_all: Generated<number>
  /** The version of the evaluation plan in force (plan_version): 0 while the plan is a draft. */
  plan_version: Generated<number>
  /** Part of the plan: what decides between tenders with equal totals. */
  tie_breaker: string | null
  /** The lead's decision applying the tie-breaker, as JSON: { option (its key), reason, at, by }. */
  tie_decision: string | null
}

/**
 * A version of the evaluation plan: version 1 its approval, each later one a change made after it,
 * with its reason. `hash` is SHA-256 over the plan's canonical JSON (src/appraisal/plan.ts) as that
 * version left it; `criteria`, on a change, the JSON list of the criteria (their keys) it touched.
 */
export interface PlanVersionTable {
  id: Generated<number>
  evaluation_id: number
  version: number
  approved_at: string
  approved_by_account_id: number | null
  approved_by_name: string
  reason: string | null
  hash: string
  criteria: string | null
}

export type EvaluationStatus = 'open' | 'finalised'

export interface ScaleLevelTable {
  id: Generated<number>
  evaluation_id: number
  level: number
  label: string | null
  descriptor: string | null
}

export interface OptionTable {
  id: Generated<number>
  evaluation_id: number
  key: string
  name: string
  supplier: string | null
  product: string | null
  description: string | null
  baseline: number
  /** 1 for a supplier's tender, 0 for business as usual or another option (a do-minimum); only tenders are ranked. */
  tender: Generated<number>
  position: number
}

export type { CriterionKind, EvaluationRole, InterestDecision } from '../vocabulary.js'

export interface CriterionTable {
  id: Generated<number>
  evaluation_id: number
  parent_id: number | null
  key: string
  kind: CriterionKind
  name: string
  /** Null means "not stated": a criterion then weighs 1 among its siblings; a gate never has one. */
  weight: number | null
  guidance: string | null
  position: number
}

export interface CriterionDescriptorTable {
  id: Generated<number>
  criterion_id: number
  level: number
  text: string
}

export interface PanelMemberTable {
  id: Generated<number>
  evaluation_id: number
  key: string
  name: string
  role: string | null
  email: string | null
  position: number
  /** The account this panel member signs in with; null until the lead links one. */
  account_id: number | null
  /** 1 declared an interest, 0 declared none, null not declared yet. */
  declared_interest: number | null
  declaration_details: string | null
  declared_at: string | null
  decision: InterestDecision | null
  decision_note: string | null
  decided_at: string | null
  /** The supplier a declared interest is in, as named. */
  interest_supplier: Generated<string | null>
  /** JSON list of the suppliers' names known when the declaration was made; null for one made before they were kept (taken as current). */
  suppliers_known: Generated<string | null>
}

/**
 * A declaration of interest by someone on the evaluation who is not scoring it (lead, finance,
 * stakeholder, facilitator, approver): one record a person, renewed in place, with the lead's
 * assessment of a declared interest and the mitigation. `roles` is the JSON list of their roles when
 * they declared.
 */
export interface RoleDeclarationTable {
  id: Generated<number>
  evaluation_id: number
  key: string
  account_id: number | null
  name: string
  email: string | null
  roles: string
  interest: number
  supplier: string | null
  details: string | null
  suppliers_known: string | null
  declared_at: string
  assessment: string | null
  mitigation: string | null
  assessed_at: string | null
  position: number
}

/** With a "restrict" decision: the only options the panel member may score. */
export interface PanelMemberOptionTable {
  id: Generated<number>
  panel_member_id: number
  option_id: number
}

/** Criteria (or whole groups) assigned to a panel member; none assigned means all. */
export interface PanelAssignmentTable {
  id: Generated<number>
  panel_member_id: number
  criterion_id: number
}

/** A panel member's scores for an option, submitted: locked, and the blind lifted for them. */
export interface ScoreSubmissionTable {
  id: Generated<number>
  panel_member_id: number
  option_id: number
  submitted_at: string
}

/** The lead excused a panel member from scoring an option: a consensus need not wait for them. */
export interface ScoreExcuseTable {
  id: Generated<number>
  panel_member_id: number
  option_id: number
  reason: string
  excused_at: string
}

/** A moderation meeting; attendees (panel members), options and criteria are JSON lists of ids. */
export interface ModerationMeetingTable {
  id: Generated<number>
  evaluation_id: number
  key: string
  /** YYYY-MM-DD. */
  held_on: string
  chair: string
  attendees: string
  options: string
  criteria: string
  notes: string | null
  position: number
}

/** A panel member's confirmation that an option's consensus reflects the discussion, or (with `dissent`) their dissent. */
export interface ConsensusConfirmationTable {
  id: Generated<number>
  panel_member_id: number
  option_id: number
  dissent: string | null
  confirmed_at: string
}

export interface IndividualScoreTable {
  id: Generated<number>
  evaluation_id: number
  panel_member_id: number
  option_id: number
  criterion_id: number
  /** Null only on a draft whose score is not chosen yet. */
  score: number | null
  rationale: string | null
  evidence: string | null
  /** The tender document (tender_document.id, of the score's option) the evidence is in, and the page: set on a complete score or a draft alike. */
  evidence_document_id: ColumnType<number | null, number | null | undefined, number | null>
  evidence_page: ColumnType<number | null, number | null | undefined, number | null>
  position: number
  updated_at: Timestamp
  /** Rises with every save: a form sent with an older version is refused, never overwrites. */
  version: Generated<number>
  /** 1: an answer kept as it was typed (incomplete, or with a short rationale), counted nowhere. */
  draft: Generated<number>
}

export interface ConsensusScoreTable {
  id: Generated<number>
  evaluation_id: number
  option_id: number
  criterion_id: number
  score: number
  rationale: string | null
  evidence: string | null
  position: number
  updated_at: Timestamp
  version: Generated<number>
  accepted_within_tolerance: Generated<number>
  /** The moderation meeting it was agreed in; null for one recorded before meetings were kept. */
  meeting_id: number | null
}

/** A cost line or a benefit line: the evaluation file gives both the same shape. */
export interface MoneyLineTable {
  id: Generated<number>
  evaluation_id: number
  option_id: number
  kind: 'cost' | 'benefit'
  label: string
  category: string | null
  capital: number
  /** 1: a cash cost, or a cash-releasing benefit; 0: an economic value that is not cash (staff time, say). */
  cash: number
  /** 1: part of the tendered price (cost lines only; never without cash). */
  price: number
  amount: number
  from_year: number
  to_year: number
  growth: number
  /** Null means the appraisal's default for capital or operating lines applies. */
  optimism_bias: number | null
  range_low: number | null
  range_high: number | null
  notes: string | null
  position: number
}

export interface SunkCostTable {
  id: Generated<number>
  evaluation_id: number
  option_id: number
  label: string
  amount: number
  category: string | null
  notes: string | null
  position: number
}

export interface AccountTable {
  id: Generated<number>
  email: string
  name: string
  /** scrypt$N$r$p$salt$hash, all base64 but the numbers. */
  password_hash: string
  admin: number
  disabled: number
  created_at: string
}

export interface SessionTable {
  /** SHA-256 of the token in the cookie: a stolen database does not give working sessions. */
  token_hash: string
  account_id: number
  csrf_token: string
  created_at: string
  last_seen_at: string
}

/** Failed sign-ins per account ("account:<email>") and per address ("address:<ip>"). */
export interface SignInThrottleTable {
  key: string
  failures: number
  last_failure_at: string
}

export interface PanelRoleTable {
  id: Generated<number>
  evaluation_id: number
  account_id: number
  role: EvaluationRole
}

/**
 * One change a person made to an evaluation, in the hash chain of that evaluation's log. The table
 * refuses UPDATE and DELETE (triggers); `hash` covers `prev_hash` and a canonical form of the entry
 * and its record changes, so an edit with the triggers dropped still shows.
 */
export interface AuditEntryTable {
  id: Generated<number>
  evaluation_id: number
  /** 1, 2, 3… within the evaluation. */
  seq: number
  at: string
  /** Null for the command line and the app's own first-run set-up. */
  actor_account_id: number | null
  actor_name: string
  kind: ChangeKind
  summary: string
  reason: string | null
  option_id: number | null
  criterion_id: number | null
  evaluation_version: number
  /** Further facts as canonical JSON (a finalised PDF's SHA-256, for one). */
  detail: string | null
  prev_hash: string
  hash: string
}

export type ChangeKind =
  | 'evaluation'
  | 'plan'
  | 'settings'
  | 'option'
  | 'criteria'
  | 'weighting'
  | 'panel'
  | 'declaration'
  | 'score'
  | 'consensus'
  | 'cost'
  | 'status'
  | 'award'
  | 'trial'
  | 'tender'

/** A weighting round: stakeholders compare the criteria `items` (under `parent_id`) in pairs. */
export interface WeightingRoundTable {
  id: Generated<number>
  evaluation_id: number
  /** The round's id in the evaluation file. */
  key: string
  /** The group whose criteria are compared; null for the top level. */
  parent_id: number | null
  /** JSON: the criterion ids compared, in the round's order. */
  items: string
  position: number
  /** When the lead applied the group's weights to the criteria; null until then. */
  applied_at: string | null
}

/** Someone taking part in a round: an account (a stakeholder), or a name alone for one imported from a file. */
export interface WeightingParticipantTable {
  id: Generated<number>
  evaluation_id: number
  round_id: number
  account_id: number | null
  name: string
  position: number
  /** JSON: [{ a, b, value }] with criterion ids: a matters value times as much as b. */
  judgements: string
}

/** An evaluation's frontline trial: the roles taking part and the questionnaire's wording. */
export interface TrialTable {
  id: Generated<number>
  evaluation_id: number
  /** JSON: the roles, as the lead wrote them. */
  roles: string
  /** JSON: the ten statements new questionnaires use; null for the app's own wording. */
  statements: string | null
  /** JSON: the criterion ids the trial's figures sit beside (evaluators see them there); null for none. */
  criteria: string | null
  /** How many hours a one-time code lasts; null for the default (CODE_HOURS). */
  code_hours: number | null
}

export interface TrialTaskTable {
  id: Generated<number>
  evaluation_id: number
  key: string
  name: string
  position: number
}

/** One participant trying one option; never their name. */
export interface TrialSessionTable {
  id: Generated<number>
  evaluation_id: number
  option_id: number
  role: string
  /** JSON: the ten answers 1–5, or null until the questionnaire is filled in. */
  sus: string | null
  /** JSON: [{ task (trial_task id), completed, seconds?, errors? }]. */
  outcomes: string
  comment: string | null
  /** JSON: the statements the questionnaire used, when not the app's own; null otherwise. */
  statements: string | null
  position: number
  /** SHA-256 of the one-time code the participant uses; null once replaced or for an imported session. */
  code_hash: string | null
  code_expires_at: string | null
  code_used_at: string | null
}

/** A record an audit entry changed: canonical JSON of its values before and after (null: absent). */
export interface AuditChangeTable {
  id: Generated<number>
  entry_id: number
  evaluation_id: number
  ordinal: number
  record_table: string
  record_id: number
  option_id: number | null
  criterion_id: number | null
  panel_member_id: number | null
  before: string | null
  after: string | null
}

/**
 * The one row saying which key seals the audit log (src/db/audit-key.ts): the key's fingerprint,
 * never the key, and the entries hashed before there was a key, sealed with it.
 */
export interface AuditKeyTable {
  id: number
  fingerprint: string
  /** Canonical JSON: [{ evaluationId, seq, hash }], each evaluation's last entry hashed without the key. */
  legacy: string
  /** HMAC of `legacy` with the key. */
  seal: string
  created_at: string
}

/** The PDF a version was finalised with, byte for byte. Append-only, as the log is. */
export interface FinalisedReportTable {
  id: Generated<number>
  evaluation_id: number
  version: number
  finalised_at: string
  finalised_by_name: string
  file_json: string
  pdf: Uint8Array
  pdf_sha256: string
}

/**
 * A tender document an option's supplier sent, as uploaded by the clerk or the lead: its record. The
 * bytes are in tender_document_content (none for a document imported from a file, which carries only
 * the reference). `commercial` (a price schedule) seals it from evaluators, as prices are.
 */
export interface TenderDocumentTable {
  id: Generated<number>
  evaluation_id: number
  option_id: number
  /** The document's id in the evaluation file. */
  key: string
  /** The file name it was uploaded with. */
  name: string
  /** The type its content was found to be (src/tender-files.ts), never the one the browser claimed. */
  media_type: string
  size: number
  /** SHA-256 of the bytes, in hex. */
  sha256: string
  commercial: Generated<number>
  uploaded_at: string | null
  position: number
}

/** A document's bytes: kept out of the audit log, which records their SHA-256. */
export interface TenderDocumentContentTable {
  document_id: number
  bytes: Uint8Array
}

/** The supplier's response to one criterion: text, and/or a document (and page) it points at. */
export interface TenderResponseTable {
  id: Generated<number>
  evaluation_id: number
  option_id: number
  criterion_id: number
  text: string | null
  document_id: number | null
  page: number | null
  commercial: Generated<number>
}

export type TenderDocument = Selectable<TenderDocumentTable>
export type TenderResponse = Selectable<TenderResponseTable>
export type Account = Selectable<AccountTable>
export type Evaluation = Selectable<EvaluationTable>
export type ScaleLevel = Selectable<ScaleLevelTable>
export type Option = Selectable<OptionTable>
export type Criterion = Selectable<CriterionTable>
export type CriterionDescriptor = Selectable<CriterionDescriptorTable>
export type PanelMember = Selectable<PanelMemberTable>
export type IndividualScore = Selectable<IndividualScoreTable>
export type ConsensusScore = Selectable<ConsensusScoreTable>
export type MoneyLine = Selectable<MoneyLineTable>
export type AuditEntry = Selectable<AuditEntryTable>
export type AuditChange = Selectable<AuditChangeTable>
export type SunkCost = Selectable<SunkCostTable>
export type WeightingRound = Selectable<WeightingRoundTable>
export type WeightingParticipant = Selectable<WeightingParticipantTable>
export type Trial = Selectable<TrialTable>
export type TrialTask = Selectable<TrialTaskTable>
export type TrialSession = Selectable<TrialSessionTable>
export type PlanVersion = Selectable<PlanVersionTable>
export type ModerationMeeting = Selectable<ModerationMeetingTable>
export type ScoreExcuse = Selectable<ScoreExcuseTable>
export type ConsensusConfirmation = Selectable<ConsensusConfirmationTable>
export type RoleDeclaration = Selectable<RoleDeclarationTable>
