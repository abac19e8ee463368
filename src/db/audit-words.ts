import { historyWords } from '../money-line-fields.js'
import type { AuditedTable } from './audit.js'
import type {
  ChangeKind,
  ConsensusScoreTable,
  CriterionDescriptorTable,
  CriterionKind,
  CriterionTable,
  EvaluationTable,
  IndividualScoreTable,
  MoneyLineTable,
  OptionTable,
  PanelAssignmentTable,
  PanelMemberOptionTable,
  PanelMemberTable,
  PanelRoleTable,
  ScaleLevelTable,
  PlanVersionTable,
  ScoreSubmissionTable,
  ScoreExcuseTable,
  ModerationMeetingTable,
  ConsensusConfirmationTable,
  RoleDeclarationTable,
  SunkCostTable,
  TenderDocumentTable,
  TenderResponseTable,
  TrialSessionTable,
  TrialTable,
  TrialTaskTable,
  WeightingParticipantTable,
  WeightingRoundTable,
} from './schema.js'

/**
 * The audited records in the users' words, said once for the history page and for `verify`: each
 * table's records, one and many; each field's name and how its value reads; the kinds of change. A
 * column added to an audited table without words here fails the type-check.
 */

/** Columns that are bookkeeping rather than a record's content: never shown, never worded. */
export const BOOKKEEPING_FIELDS = ['id', 'evaluation_id', 'version', 'updated_at'] as const

/**
 * How a field's value reads: a yes or no (stored 0/1), a fraction as a percentage, money in the
 * evaluation's currency, a moment, the discount setting (JSON), a whole number written as it is (a
 * year, a level), the name of the option, criterion, panel member or account it refers to. Without
 * one, a number is written with separators and text as it is.
 */
export type FieldReading =
  | 'yes-no'
  | 'percent'
  | 'money'
  | 'moment'
  | 'discount'
  | 'as-is'
  | 'option'
  | 'criterion'
  | 'panel-member'
  | 'account'
  /** A tender document's record, read as its name and the start of its SHA-256. */
  | 'document'
  /** JSON: a list of criterion ids, read as their names. */
  | 'criteria'
  /** JSON: pairwise judgements [{ a, b, value }] with criterion ids, read as sentences on Saaty's scale. */
  | 'judgements'

export interface FieldWords {
  readonly words: string
  readonly reads?: FieldReading
}

/** Every content column of a table, in the order a reader expects (a score before its rationale). */
export type FieldWordsOf<Table> = { readonly [Column in Exclude<keyof Table & string, (typeof BOOKKEEPING_FIELDS)[number]>]: FieldWords }

const EVALUATION_FIELDS: FieldWordsOf<EvaluationTable> = {
  title: { words: 'Title' },
  organisation: { words: 'Organisation' },
  summary: { words: 'Description' },
  currency: { words: 'Currency' },
  scale_min: { words: 'Lowest score' },
  scale_max: { words: 'Highest score' },
  split_quality: { words: 'Weight of quality' },
  split_cost: { words: 'Weight of cost' },
  price_formula: { words: 'Price formula' },
  base_year: { words: 'Base year', reads: 'as-is' },
  years: { words: 'Appraisal period (years)' },
  discount: { words: 'Discount rate', reads: 'discount' },
  optimism_bias_capital: { words: 'Optimism bias, capital', reads: 'percent' },
  optimism_bias_operating: { words: 'Optimism bias, operating', reads: 'percent' },
  optimism_bias_preset: { words: 'Optimism bias, starting point' },
  optimism_bias_note: { words: 'Optimism bias, reasons' },
  archived: { words: 'Archived', reads: 'yes-no' },
  min_rationale: { words: 'Shortest rationale (characters)' },
  tolerance: { words: 'Tolerance' },
  created_at: { words: 'Created', reads: 'moment' },
  status: { words: 'Status' },
  finalised_at: { words: 'Finalised', reads: 'moment' },
  finalised_by_account_id: { words: 'Finalised by', reads: 'account' },
  finalised_by_name: { words: 'Finalised by (name)' },
  price_basis: { words: 'Basis of the evaluated price' },
  award_decision_date: { words: 'Award decision date' },
  standstill_start: { words: 'Standstill period starts' },
  standstill_end: { words: 'Standstill period ends' },
  award_notifications: { words: 'Suppliers notified' },
  award_publish_all: { words: 'Publish every tender’s figures', reads: 'yes-no' },
  plan_version: { words: 'Version of the plan in force', reads: 'as-is' },
  tie_breaker: { words: 'Tie-breaker' },
  tie_decision: { words: 'Tie-breaker applied' },
}

const SCALE_LEVEL_FIELDS: FieldWordsOf<ScaleLevelTable> = {
  level: { words: 'Level', reads: 'as-is' },
  label: { words: 'Label' },
  descriptor: { words: 'Descriptor' },
}

const OPTION_FIELDS: FieldWordsOf<OptionTable> = {
  key: { words: 'Identifier in the file' },
  name: { words: 'Name' },
  supplier: { words: 'Supplier' },
  product: { words: 'Product' },
  description: { words: 'Description' },
  baseline: { words: 'Baseline', reads: 'yes-no' },
  tender: { words: 'A tender', reads: 'yes-no' },
  position: { words: 'Position in the list' },
}

const CRITERION_FIELDS: FieldWordsOf<CriterionTable> = {
  key: { words: 'Identifier in the file' },
  name: { words: 'Name' },
  position: { words: 'Position in the list' },
  parent_id: { words: 'Group', reads: 'criterion' },
  kind: { words: 'Kind' },
  weight: { words: 'Weight' },
  guidance: { words: 'Guidance' },
}

const CRITERION_DESCRIPTOR_FIELDS: FieldWordsOf<CriterionDescriptorTable> = {
  level: { words: 'Level', reads: 'as-is' },
  text: { words: 'Text' },
  criterion_id: { words: 'Criterion', reads: 'criterion' },
}

const PANEL_MEMBER_FIELDS: FieldWordsOf<PanelMemberTable> = {
  key: { words: 'Identifier in the file' },
  name: { words: 'Name' },
  position: { words: 'Position in the list' },
  role: { words: 'Role' },
  email: { words: 'Email' },
  account_id: { words: 'Account', reads: 'account' },
  declared_interest: { words: 'Interest declared', reads: 'yes-no' },
  declaration_details: { words: 'Interest' },
  declared_at: { words: 'Declared', reads: 'moment' },
  decision: { words: 'Decision' },
  decision_note: { words: 'Reason for the decision' },
  decided_at: { words: 'Decided', reads: 'moment' },
  interest_supplier: { words: 'Supplier of the interest' },
  suppliers_known: { words: 'Suppliers known when declared' },
}

const ROLE_DECLARATION_FIELDS: FieldWordsOf<RoleDeclarationTable> = {
  key: { words: 'Id in the evaluation file' },
  name: { words: 'Name' },
  email: { words: 'Email' },
  account_id: { words: 'Account', reads: 'account' },
  roles: { words: 'Roles' },
  interest: { words: 'Interest declared', reads: 'yes-no' },
  supplier: { words: 'Supplier of the interest' },
  details: { words: 'Interest' },
  suppliers_known: { words: 'Suppliers known when declared' },
  declared_at: { words: 'Declared', reads: 'moment' },
  assessment: { words: 'The lead’s assessment' },
  mitigation: { words: 'Mitigation' },
  assessed_at: { words: 'Assessed', reads: 'moment' },
  position: { words: 'Position in the list' },
}

const PANEL_ROLE_FIELDS: FieldWordsOf<PanelRoleTable> = {
  role: { words: 'Role' },
  account_id: { words: 'Account', reads: 'account' },
}

const PANEL_MEMBER_OPTION_FIELDS: FieldWordsOf<PanelMemberOptionTable> = {
  option_id: { words: 'Option', reads: 'option' },
  panel_member_id: { words: 'Panel member', reads: 'panel-member' },
}

const PANEL_ASSIGNMENT_FIELDS: FieldWordsOf<PanelAssignmentTable> = {
  criterion_id: { words: 'Criterion', reads: 'criterion' },
  panel_member_id: { words: 'Panel member', reads: 'panel-member' },
}

const SCORE_SUBMISSION_FIELDS: FieldWordsOf<ScoreSubmissionTable> = {
  submitted_at: { words: 'Submitted', reads: 'moment' },
  option_id: { words: 'Option', reads: 'option' },
  panel_member_id: { words: 'Panel member', reads: 'panel-member' },
}

const SCORE_EXCUSE_FIELDS: FieldWordsOf<ScoreExcuseTable> = {
  reason: { words: 'Reason' },
  excused_at: { words: 'Excused', reads: 'moment' },
  option_id: { words: 'Option', reads: 'option' },
  panel_member_id: { words: 'Panel member', reads: 'panel-member' },
}

const MODERATION_MEETING_FIELDS: FieldWordsOf<ModerationMeetingTable> = {
  key: { words: 'Id in the evaluation file' },
  held_on: { words: 'Date' },
  chair: { words: 'Chair' },
  attendees: { words: 'Attendees (panel members)' },
  options: { words: 'Options discussed' },
  criteria: { words: 'Criteria discussed', reads: 'criteria' },
  notes: { words: 'Notes' },
  position: { words: 'Position in the list' },
}

const CONSENSUS_CONFIRMATION_FIELDS: FieldWordsOf<ConsensusConfirmationTable> = {
  dissent: { words: 'Dissent' },
  confirmed_at: { words: 'Responded', reads: 'moment' },
  option_id: { words: 'Option', reads: 'option' },
  panel_member_id: { words: 'Panel member', reads: 'panel-member' },
}

const INDIVIDUAL_SCORE_FIELDS: FieldWordsOf<IndividualScoreTable> = {
  position: { words: 'Position in the list' },
  score: { words: 'Score' },
  rationale: { words: 'Rationale' },
  evidence: { words: 'Evidence' },
  evidence_document_id: { words: 'Evidence document', reads: 'document' },
  evidence_page: { words: 'Evidence page', reads: 'as-is' },
  draft: { words: 'Draft', reads: 'yes-no' },
  option_id: { words: 'Option', reads: 'option' },
  criterion_id: { words: 'Criterion', reads: 'criterion' },
  panel_member_id: { words: 'Panel member', reads: 'panel-member' },
}

const CONSENSUS_SCORE_FIELDS: FieldWordsOf<ConsensusScoreTable> = {
  position: { words: 'Position in the list' },
  score: { words: 'Score' },
  rationale: { words: 'Rationale' },
  evidence: { words: 'Evidence' },
  accepted_within_tolerance: { words: 'Accepted within tolerance', reads: 'yes-no' },
  meeting_id: { words: 'Moderation meeting' },
  option_id: { words: 'Option', reads: 'option' },
  criterion_id: { words: 'Criterion', reads: 'criterion' },
}

// The fields of cost, benefit and sunk cost lines come from their own field table. The cast gives up the
// check that every column is worded: the field table's columns are checked against the table instead.
const MONEY_LINE_FIELDS = {
  label: { words: 'Label' },
  position: { words: 'Position in the list' },
  kind: { words: 'Kind' },
  ...historyWords('line'),
  option_id: { words: 'Option', reads: 'option' },
} as FieldWordsOf<MoneyLineTable>

const SUNK_COST_FIELDS = {
  label: { words: 'Label' },
  position: { words: 'Position in the list' },
  ...historyWords('sunk'),
  option_id: { words: 'Option', reads: 'option' },
} as FieldWordsOf<SunkCostTable>

const WEIGHTING_ROUND_FIELDS: FieldWordsOf<WeightingRoundTable> = {
  key: { words: 'Identifier in the file' },
  parent_id: { words: 'Group compared', reads: 'criterion' },
  items: { words: 'Criteria compared', reads: 'criteria' },
  position: { words: 'Position in the list' },
  applied_at: { words: 'Weights applied', reads: 'moment' },
}

const WEIGHTING_PARTICIPANT_FIELDS: FieldWordsOf<WeightingParticipantTable> = {
  name: { words: 'Name' },
  account_id: { words: 'Account', reads: 'account' },
  round_id: { words: 'Round' },
  position: { words: 'Position in the list' },
  judgements: { words: 'Judgements', reads: 'judgements' },
}

const TRIAL_FIELDS: FieldWordsOf<TrialTable> = {
  roles: { words: 'Roles taking part' },
  statements: { words: 'Questionnaire wording' },
  criteria: { words: 'Criteria the figures are shown beside', reads: 'criteria' },
  code_hours: { words: 'Hours a one-time code lasts (blank: 4)' },
}

const TRIAL_TASK_FIELDS: FieldWordsOf<TrialTaskTable> = {
  key: { words: 'Identifier in the file' },
  name: { words: 'Task' },
  position: { words: 'Position in the list' },
}

const TRIAL_SESSION_FIELDS: FieldWordsOf<TrialSessionTable> = {
  option_id: { words: 'Option', reads: 'option' },
  role: { words: 'Role' },
  sus: { words: 'Questionnaire answers' },
  outcomes: { words: 'Task outcomes' },
  comment: { words: 'Comment' },
  statements: { words: 'Questionnaire wording used' },
  position: { words: 'Position in the list' },
  code_hash: { words: 'One-time code (its SHA-256)' },
  code_expires_at: { words: 'Code expires', reads: 'moment' },
  code_used_at: { words: 'Code used', reads: 'moment' },
}

const PLAN_VERSION_FIELDS: FieldWordsOf<PlanVersionTable> = {
  approved_at: { words: 'Approved', reads: 'moment' },
  approved_by_account_id: { words: 'Approved by', reads: 'account' },
  approved_by_name: { words: 'Approved by (name)' },
  reason: { words: 'Reason for the change' },
  hash: { words: 'SHA-256 of the plan' },
  criteria: { words: 'Criteria it changed' },
}

const TENDER_DOCUMENT_FIELDS: FieldWordsOf<TenderDocumentTable> = {
  option_id: { words: 'Option', reads: 'option' },
  key: { words: 'Identifier in the file' },
  name: { words: 'File name' },
  media_type: { words: 'Type' },
  size: { words: 'Size in bytes' },
  sha256: { words: 'SHA-256 of the document' },
  commercial: { words: 'Commercial (sealed from evaluators)', reads: 'yes-no' },
  uploaded_at: { words: 'Uploaded', reads: 'moment' },
  position: { words: 'Position in the list' },
}

const TENDER_RESPONSE_FIELDS: FieldWordsOf<TenderResponseTable> = {
  option_id: { words: 'Option', reads: 'option' },
  criterion_id: { words: 'Criterion', reads: 'criterion' },
  text: { words: 'Supplier’s response' },
  document_id: { words: 'Document', reads: 'document' },
  page: { words: 'Page', reads: 'as-is' },
  commercial: { words: 'Commercial (sealed from evaluators)', reads: 'yes-no' },
}

export interface TableWords {
  /** One record: "Individual score 17 (…)". */
  readonly one: string
  /** Records of the table, for counts: "Individual scores: 3 added". */
  readonly many: string
  readonly fields: Readonly<Record<string, FieldWords>>
}

/** Each audited table's records in words, in the order of AUDITED_TABLES. */
export const TABLE_WORDS: Readonly<Record<AuditedTable, TableWords>> = {
  evaluation: { one: 'The evaluation’s settings', many: 'The evaluation’s details and settings', fields: EVALUATION_FIELDS },
  scale_level: { one: 'Scale level', many: 'Scale levels', fields: SCALE_LEVEL_FIELDS },
  option: { one: 'Option', many: 'Options', fields: OPTION_FIELDS },
  criterion: { one: 'Criterion', many: 'Criteria', fields: CRITERION_FIELDS },
  criterion_descriptor: { one: 'Criterion descriptor', many: 'Criterion descriptors', fields: CRITERION_DESCRIPTOR_FIELDS },
  panel_member: { one: 'Panel member', many: 'Panel members', fields: PANEL_MEMBER_FIELDS },
  panel_role: { one: 'Panel role', many: 'Panel roles', fields: PANEL_ROLE_FIELDS },
  panel_member_option: { one: 'Option a panel member may score', many: 'Options a panel member may score', fields: PANEL_MEMBER_OPTION_FIELDS },
  panel_assignment: { one: 'Criterion assigned to a panel member', many: 'Criteria assigned to panel members', fields: PANEL_ASSIGNMENT_FIELDS },
  score_submission: { one: 'Submission of scores', many: 'Submissions of scores', fields: SCORE_SUBMISSION_FIELDS },
  individual_score: { one: 'Individual score', many: 'Individual scores', fields: INDIVIDUAL_SCORE_FIELDS },
  consensus_score: { one: 'Consensus score', many: 'Consensus scores', fields: CONSENSUS_SCORE_FIELDS },
  money_line: { one: 'Cost or benefit line', many: 'Cost and benefit lines', fields: MONEY_LINE_FIELDS },
  sunk_cost: { one: 'Sunk cost', many: 'Sunk costs', fields: SUNK_COST_FIELDS },
  weighting_round: { one: 'Weighting round', many: 'Weighting rounds', fields: WEIGHTING_ROUND_FIELDS },
  weighting_participant: { one: 'Weighting round participant', many: 'Weighting round participants', fields: WEIGHTING_PARTICIPANT_FIELDS },
  trial: { one: 'Frontline trial', many: 'Frontline trial settings', fields: TRIAL_FIELDS },
  trial_task: { one: 'Trial task', many: 'Trial tasks', fields: TRIAL_TASK_FIELDS },
  trial_session: { one: 'Trial session', many: 'Trial sessions', fields: TRIAL_SESSION_FIELDS },
  plan_version: { one: 'Version of the evaluation plan', many: 'Versions of the evaluation plan', fields: PLAN_VERSION_FIELDS },
  score_excuse: { one: 'Panel member excused from an option', many: 'Panel members excused from options', fields: SCORE_EXCUSE_FIELDS },
  moderation_meeting: { one: 'Moderation meeting', many: 'Moderation meetings', fields: MODERATION_MEETING_FIELDS },
  consensus_confirmation: {
    one: 'Confirmation of a consensus',
    many: 'Confirmations of consensus',
    fields: CONSENSUS_CONFIRMATION_FIELDS,
  },
  tender_document: { one: 'Tender document', many: 'Tender documents', fields: TENDER_DOCUMENT_FIELDS },
  tender_response: { one: 'Supplier’s response to a criterion', many: 'Suppliers’ responses to criteria', fields: TENDER_RESPONSE_FIELDS },
  role_declaration: { one: 'Declaration of interest', many: 'Declarations of interest', fields: ROLE_DECLARATION_FIELDS },
}

function wordsOfTable(table: string): TableWords | undefined {
  return Object.hasOwn(TABLE_WORDS, table) ? TABLE_WORDS[table as AuditedTable] : undefined
}

/** Records of a table in words, for counts; a table the log does not know by its own name. */
export function recordsInWords(table: string): string {
  return wordsOfTable(table)?.many ?? table
}

/** A field of a table's records in words; one not worded (a column since dropped) by its own name. */
export function fieldInWords(table: string, column: string): FieldWords {
  const fields = wordsOfTable(table)?.fields
  return (
    (fields !== undefined && Object.hasOwn(fields, column) ? fields[column] : undefined) ?? {
      words: column.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase()),
    }
  )
}

/** Where a field comes in its table's order; fields not worded come last. */
export function fieldPosition(table: string, column: string): number {
  const columns = Object.keys(wordsOfTable(table)?.fields ?? {})
  const index = columns.indexOf(column)
  return index === -1 ? columns.length : index
}

/** What a row of the criteria tree is, in a word: the log's summaries and the history say it the same way. */
export const criterionKindWords = { group: 'Group', criterion: 'Criterion', gate: 'Gate' } as const satisfies Record<CriterionKind, string>

/** Kinds of change in the words of a panel. */
export const CHANGE_KIND_WORDS: Readonly<Record<ChangeKind, string>> = {
  score: 'Individual scores',
  consensus: 'Consensus scores',
  cost: 'Costs and benefits',
  option: 'Options',
  criteria: 'Criteria and weights',
  weighting: 'Weighting rounds',
  trial: 'Frontline trials',
  tender: 'Tender documents and responses',
  panel: 'Panel and roles',
  declaration: 'Declarations of interest',
  plan: 'Evaluation plan',
  settings: 'Settings',
  status: 'Sign-off and status',
  award: 'Award record',
  evaluation: 'Evaluation created or imported',
}
