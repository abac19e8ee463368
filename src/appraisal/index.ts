// The appraisal: the evaluation file, and everything computed from it. No database, no HTTP, no
// PDF; the rest of the app calls these functions.

export {
  FILE_FORMAT,
  MAX_APPRAISAL_YEARS,
  LIMITS,
  BOUNDS,
  evaluationFileSchema,
  criterionNodeSchema,
  criteriaSchema,
  scaleSchema,
  parseEvaluationFile,
  parseEvaluationText,
  evaluationFileText,
  type EvaluationFile,
  type EvaluationFileInput,
  type CriterionNode,
  type Scale,
  type OptionEntry,
  type Evaluator,
  type RoleDeclarationEntry,
  type IndividualScore,
  type ConsensusScore,
  type CostLine,
  type BenefitLine,
  type SunkCost,
  type PriceFormula,
  type DiscountSetting,
  type ParseResult,
} from './file-schema.js'
export { parseWithSchema, formatPath } from './issue-messages.js'
export { canonicalize } from './canonical-json.js'
export {
  PLAN_FORMAT,
  approvalAgainstScoring,
  changedCriteria,
  planHash,
  planOf,
  planText,
  priceWorkedExample,
  tiedFirst,
  type ApprovalAgainstScoring,
  type PanelRecord,
  type Plan,
  type PlanCriterion,
  type PlanSource,
  type WorkedExampleRow,
} from './plan.js'
export {
  GREEN_BOOK_2022_STPR,
  GREEN_BOOK_2022_HEALTH,
  DISCOUNT_PRESETS,
  discountFactors,
  rateBands,
  type Discount,
  type DiscountPreset,
  type DiscountPresetName,
  type RateBand,
} from './discount.js'
export {
  OPTIMISM_BIAS_PRESETS,
  OPTIMISM_BIAS_PRESET_IDS,
  OPTIMISM_BIAS_SOURCE,
  optimismBiasPreset,
  withinPreset,
  type OptimismBiasPreset,
  type OptimismBiasPresetId,
  type UpliftBounds,
} from './optimism-bias.js'
export {
  DEFAULT_CRITERION_WEIGHT,
  weighCriteria,
  holdsScoredLeaf,
  enteredWeight,
  isGate,
  isGroup,
  type CriterionNodeLike,
  type CriterionRole,
  type CriterionWeight,
  type CriteriaWeights,
} from './weights.js'
export { spreadLine, type SpreadLine, type LineYears } from './cost-lines.js'
export {
  prepareModel,
  qualityOf,
  topLevelScores,
  gateFails,
  type PreparedModel,
  type PreparedLine,
  type CellTotal,
  type ScoreTable,
  type TopLevelEntry,
} from './model.js'
export { TIE_TOLERANCE, priceScoresInto, totalScore, ranksOf, rankOptions, type Ranking, type RankingInput, type Split } from './scoring.js'
export {
  RESULTS_FORMAT,
  NPSV_TOLERANCE,
  computeResults,
  computeResultsFromTotals,
  resultsFromModel,
  highestNpsvOf,
  type AppraisalResults,
  type OptionResult,
  type GroupResult,
  type YearResult,
} from './compute.js'
export {
  DEFAULT_ITERATIONS,
  DEFAULT_SEED,
  MAX_ITERATIONS,
  computeSensitivity,
  computeResultsWithSensitivity,
  resultsWithSensitivityFromModel,
  sensitivityFromModel,
  type Sensitivity,
  type SensitivityNotComputed,
  type SensitivityOutcome,
  type SensitivityOptions,
  type ResultsWithSensitivity,
  type WeightSwitch,
  type CostSwitch,
  type IrrelevantAlternative,
  type LineSwitch,
} from './sensitivity.js'
export { runMonteCarlo, type MonteCarloResult, type MonteCarloRun, type CostPercentiles } from './monte-carlo.js'
export { seededRandom, triangular, percentileInc } from './random.js'
export {
  whatIf,
  compareRankings,
  type WhatIfChange,
  type WhatIfOutcome,
  type PriceFormulaComparison,
  type FormulaRanking,
  type FormulaRankingEntry,
} from './what-if.js'
export {
  moderationState,
  panelState,
  panelStateOfFile,
  countedScores,
  submittedOptions,
  recordsSubmissions,
  answerComplete,
  savedUnsubmitted,
  scoresOption,
  scoreSpread,
  checkNoteScores,
  type NoteScoreCheck,
  type ModerationState,
  type PanelState,
  type PanelInput,
  type PanelMemberLike,
  type OptionPanelState,
  type ScoreSpread,
} from './moderation.js'
export {
  ACCEPTABLE_CR,
  MAX_PAIRWISE_ITEMS,
  RANDOM_INDEX,
  geometricMeanMatrix,
  groupWeights,
  isJudgementValue,
  matrixFromJudgements,
  matrixProblems,
  nearestSaatyValue,
  pairwiseWeights,
  type Inconsistency,
  type PairJudgement,
  type PairwiseMatrix,
  type PairwiseWeights,
} from './ahp.js'
export {
  weightingSchema,
  weightingResults,
  itemWeights,
  type Weighting,
  type WeightingRound,
  type ItemWeights,
  type RoundResult,
  type ParticipantResult,
} from './weighting.js'
export { pairwiseInputSchema, weighPairwiseInput, type PairwiseInput, type PairwiseOutput } from './pairwise-input.js'
export { lnGamma, regularisedBeta, studentTCdf, studentTQuantile } from './student-t.js'
export {
  SUS_AVERAGE,
  SUS_ITEMS,
  SUS_STATEMENTS,
  Z_95,
  describeSus,
  median,
  susMean,
  susScore,
  trialResult,
  wilsonInterval,
  type MeanInterval,
  type Proportion,
  type TaskResult,
  type TrialFigures,
  type TrialResult,
} from './trials.js'
export { trialsSchema, type Trials } from './trials-schema.js'
export { FigureOutOfRangeError, requireFinite } from './finite.js'
export { DECLARING_ROLES, declares, declarationStanding, suppliersOf, type DeclarationStanding } from './conflicts.js'
