// The one definition of the `options-appraisal/1` evaluation file (docs: docs/evaluation-file.md
// and docs/maths.md). The app's import, export, command line and criteria templates all parse with
// this schema, so a rule added here holds everywhere.

import { z } from 'zod'
import { idSchema } from './ids.js'
import { formatPath, parseWithSchema } from './issue-messages.js'
import { checkTrials, trialsSchema } from './trials-schema.js'
import { INTEREST_DECISIONS, type CriterionKind } from '../vocabulary.js'
import { checkWeighting, weightingSchema } from './weighting.js'
import { holdsScoredLeaf, isGate, isGroup } from './weights.js'

export const FILE_FORMAT = 'options-appraisal/1'

/** A generous ceiling that keeps a typo (years: 20240) from allocating millions of years. */
export const MAX_APPRAISAL_YEARS = 1000

// ---------------------------------------------------------------------------------------------
// Building blocks

/** A reference to an id elsewhere in the file; whether it exists is checked across the file. */
const referenceSchema = z.string().min(1)

const requiredText = z.string().min(1)

const nonNegative = z.number().min(0)

const wholeNumber = z.number().int()

const yearIndex = z.number().int().min(0)

/** Text per scale level, keyed by the level as a whole number ("0", "1", ...). */
const levelTextSchema = z.record(z.string(), z.string())

const LEVEL_KEY = /^-?\d+$/

function checkLevelKeys(
  levels: Record<string, string> | undefined,
  min: number,
  max: number,
  addIssue: (path: PropertyKey[], message: string) => void,
): void {
  if (levels === undefined) return
  for (const key of Object.keys(levels)) {
    const level = LEVEL_KEY.test(key) ? Number(key) : NaN
    if (!(level >= min && level <= max)) {
      addIssue([key], `must be a whole-number level between ${min} and ${max}`)
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Scale

const scaleShape = z.strictObject({
  min: wholeNumber.default(0),
  max: wholeNumber.default(5),
  /** Short name per level, e.g. { "0": "Unacceptable", "5": "Excellent" }. */
  labels: levelTextSchema.optional(),
  /** What a response must show to earn each level (extension: the app's per-level descriptors). */
  descriptors: levelTextSchema.optional(),
})

export const scaleSchema = scaleShape.superRefine((scale, ctx) => {
  if (scale.min >= scale.max) {
    ctx.addIssue({ code: 'custom', path: ['max'], message: `must be greater than min (${scale.min})` })
    return
  }
  for (const key of ['labels', 'descriptors'] as const) {
    checkLevelKeys(scale[key], scale.min, scale.max, (path, message) =>
      ctx.addIssue({ code: 'custom', path: [key, ...path], message }),
    )
  }
})

export type Scale = z.output<typeof scaleSchema>

// ---------------------------------------------------------------------------------------------
// Criteria

export interface CriterionNode {
  id: string
  name: string
  /** Relative to siblings; a non-gate criterion without one counts as 1. */
  weight?: number | undefined
  /** Pass/fail: scored 0 or 1 whatever the scale; an option scoring below 1 is not eligible. */
  gate?: boolean | undefined
  guidance?: string | undefined
  /** What a response must show to earn each level (extension), keyed like `scale.labels`. */
  descriptors?: Record<string, string> | undefined
  criteria?: CriterionNode[] | undefined
}

const criterionFields = z.strictObject({
  id: idSchema,
  name: requiredText,
  weight: z.number().min(0).optional(),
  gate: z.boolean().optional(),
  guidance: z.string().optional(),
  descriptors: levelTextSchema.optional(),
  get criteria(): z.ZodOptional<z.ZodType<CriterionNode[], CriterionNode[]>> {
    return criterionListSchema.optional()
  },
})

/** One criterion or group; the rules that need no context outside the node itself. */
export const criterionNodeSchema: z.ZodType<CriterionNode, CriterionNode> = criterionFields.superRefine((node, ctx) => {
  if (node.gate === true && isGroup(node)) {
    ctx.addIssue({ code: 'custom', path: ['gate'], message: 'a group of criteria cannot be a gate; mark one of its criteria as the gate' })
  }
  if (node.gate === true && node.weight !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['weight'], message: 'a gate is pass/fail and carries no weight; remove "weight"' })
  }
  if (node.descriptors !== undefined) {
    for (const key of Object.keys(node.descriptors)) {
      if (!LEVEL_KEY.test(key)) {
        ctx.addIssue({ code: 'custom', path: ['descriptors', key], message: 'must be a whole-number level' })
      }
    }
  }
})

/** Siblings: among those that take a share (not gates), at least one weight must be above zero. */
function checkSiblingWeights(siblings: readonly CriterionNode[], ctx: z.RefinementCtx): void {
  const weighted = siblings.filter(holdsScoredLeaf)
  if (weighted.length > 0 && weighted.every((node) => node.weight === 0)) {
    ctx.addIssue({ code: 'custom', message: 'the weights of these criteria are all zero; at least one must be above zero' })
  }
}

const criterionListSchema: z.ZodType<CriterionNode[], CriterionNode[]> = z.array(criterionNodeSchema).superRefine(checkSiblingWeights)

/** A criteria tree (at least one criterion), as in a file or a criteria template. */
export const criteriaSchema = z.array(criterionNodeSchema).min(1).superRefine(checkSiblingWeights)

// ---------------------------------------------------------------------------------------------
// Discounting

const rateSchema = z.number().gt(-1)

const discountSchema = z.union([
  z.enum(['green-book', 'green-book-health', 'none']),
  z.strictObject({ rate: rateSchema }),
  z.strictObject({
    schedule: z
      .array(z.strictObject({ fromYear: yearIndex, rate: rateSchema }))
      .min(1)
      .superRefine((schedule, ctx) => {
        schedule.forEach((entry, i) => {
          const previous = schedule[i - 1]
          if (previous !== undefined && entry.fromYear <= previous.fromYear) {
            ctx.addIssue({
              code: 'custom',
              path: [i, 'fromYear'],
              message: `must be greater than the previous entry's fromYear (${previous.fromYear})`,
            })
          }
        })
      }),
  }),
])

// ---------------------------------------------------------------------------------------------
// Money

const rangeSchema = z
  .strictObject({ low: z.number(), high: z.number() })
  .superRefine((range, ctx) => {
    if (!(range.low >= 0 && range.low <= 1)) {
      ctx.addIssue({ code: 'custom', path: ['low'], message: 'must be between 0 and 1 (low <= 1 <= high)' })
    }
    if (!(range.high >= 1)) {
      ctx.addIssue({ code: 'custom', path: ['high'], message: 'must be at least 1 (low <= 1 <= high)' })
    }
  })

const lineFields = {
  option: referenceSchema,
  label: requiredText,
  /** Free text; the app suggests a standard list. */
  category: z.string().optional(),
  /** Extension: the analyst's notes on the estimate. */
  notes: z.string().optional(),
  /** Per year, in real base-year prices. */
  amount: nonNegative,
  from: yearIndex,
  to: yearIndex.optional(),
  /** Real change per year. */
  growth: z.number().gt(-1).default(0),
  /** Multipliers for uncertainty, used by the Monte Carlo analysis. */
  range: rangeSchema.optional(),
}

function checkYears(line: { from: number; to?: number | undefined }, ctx: z.RefinementCtx): void {
  if (line.to !== undefined && line.from > line.to) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: `must not be before from (${line.from})` })
  }
}

function withEndYear<Line extends { from: number; to?: number | undefined }>(line: Line): Line & { to: number } {
  return { ...line, to: line.to ?? line.from }
}

const costLineSchema = z
  .strictObject({
    ...lineFields,
    /** Capital (one-off investment) or operating. */
    capital: z.boolean().default(false),
    /** A cash cost; false for a non-cash economic cost (staff time valued in money, say). */
    cash: z.boolean().default(true),
    /** Part of the evaluated price (what the supplier charges); when absent, the same as `cash`. */
    price: z.boolean().optional(),
    /** Fraction; when absent, appraisal.optimismBias.capital or .operating applies. */
    optimismBias: nonNegative.optional(),
  })
  .superRefine((line, ctx) => {
    checkYears(line, ctx)
    if (line.price === true && !line.cash) {
      ctx.addIssue({ code: 'custom', path: ['price'], message: 'a non-cash cost (cash: false) cannot be part of the tendered price; set cash to true or price to false' })
    }
  })
  .transform((line) => withEndYear({ ...line, price: line.price ?? line.cash }))

const benefitLineSchema = z
  .strictObject({
    ...lineFields,
    /** Cash-releasing (true) or a non-cash benefit such as officer time valued in money (false). */
    cash: z.boolean().default(true),
  })
  .superRefine(checkYears)
  .transform(withEndYear)

const sunkCostSchema = z.strictObject({
  option: referenceSchema,
  label: requiredText,
  category: z.string().optional(),
  notes: z.string().optional(),
  amount: nonNegative,
})

// ---------------------------------------------------------------------------------------------
// People and scores

const optionSchema = z.strictObject({
  id: idSchema,
  name: requiredText,
  /** Business as usual: the benchmark every other option is appraised against. */
  baseline: z.boolean().default(false),
  /**
   * A tender (a supplier's bid): only tenders take part in the price score, the total and the rank.
   * When absent: true, except on the baseline (which cannot be a tender).
   */
  tender: z.boolean().optional(),
  description: z.string().optional(),
  /** Extension: the supplier and product of a bid. */
  supplier: z.string().optional(),
  product: z.string().optional(),
})

/** An optional list where an empty list means the same as none, so files compare equal either way. */
function optionalList<T extends z.ZodType>(item: T) {
  return z.preprocess((list) => (Array.isArray(list) && list.length === 0 ? undefined : list), z.array(item).optional())
}

/** Extension: a panel member's declaration of interest, and the lead's decision on it. */
const declarationSchema = z.strictObject({
  /** True when they declared an interest; false for "no interest". */
  interest: z.boolean(),
  details: z.string().optional(),
  declaredAt: z.string().optional(),
  /** The lead's decision on a declared interest. */
  decision: z.enum(INTEREST_DECISIONS).optional(),
  decisionNote: z.string().optional(),
  decidedAt: z.string().optional(),
  /** With "restrict": the only options this member may score. */
  allowedOptions: optionalList(referenceSchema),
})

const evaluatorSchema = z.strictObject({
  id: idSchema,
  name: requiredText,
  role: z.string().optional(),
  /** Extension: contact for the panel member. */
  email: z.string().optional(),
  /** Extension: the criteria (or groups) assigned to this member; all criteria when absent. */
  criteria: optionalList(referenceSchema),
  /** Extension: the options whose scores this member has submitted (and so can no longer change). */
  submitted: optionalList(referenceSchema),
  declaration: declarationSchema.optional(),
})

const individualScoreSchema = z.strictObject({
  evaluator: referenceSchema,
  option: referenceSchema,
  criterion: referenceSchema,
  score: z.number(),
  rationale: z.string().optional(),
  /** Extension: where in the bid or trial the evidence for this score is. */
  evidence: z.string().optional(),
})

const consensusScoreSchema = z.strictObject({
  option: referenceSchema,
  criterion: referenceSchema,
  score: z.number(),
  rationale: z.string().optional(),
  evidence: z.string().optional(),
  /** Extension: set when the lead accepted the rounded median because the spread was within tolerance. */
  acceptedWithinTolerance: z.preprocess((accepted) => (accepted === false ? undefined : accepted), z.literal(true).optional()),
})

/** Extension: how the panel works. Rules for people typing scores; a file itself need not meet them. */
const panelSchema = z.strictObject({
  /** The shortest rationale an evaluator may save, in characters. */
  minRationale: z.number().int().min(0).max(5000).default(50),
  /** Spread (maximum − minimum of the individual scores) above which a criterion needs discussion. */
  tolerance: nonNegative.default(1),
})

// ---------------------------------------------------------------------------------------------
// The file

const appraisalSchema = z.strictObject({
  /** Calendar year of year index 0. */
  baseYear: wholeNumber,
  /** The appraisal period N: year indexes 0 .. N-1. */
  years: z.number().int().min(1).max(MAX_APPRAISAL_YEARS),
  discount: discountSchema.default('green-book'),
  optimismBias: z
    .strictObject({ capital: nonNegative.default(0), operating: nonNegative.default(0) })
    .prefault({}),
})

const splitSchema = z
  .strictObject({ quality: nonNegative, cost: nonNegative })
  .superRefine((split, ctx) => {
    if (split.quality + split.cost <= 0) {
      ctx.addIssue({ code: 'custom', message: 'quality and cost cannot both be zero' })
    }
  })

const fileShape = z.strictObject({
  format: z.literal(FILE_FORMAT),
  title: requiredText,
  organisation: z.string().optional(),
  summary: z.string().optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, { error: 'must be a three-letter ISO 4217 code in capitals, such as "GBP"' })
    .default('GBP'),
  scale: scaleSchema.prefault({}),
  split: splitSchema.default({ quality: 100, cost: 0 }),
  priceFormula: z.enum(['relative-to-lowest', 'price-per-quality-point']).default('relative-to-lowest'),
  panel: panelSchema.prefault({}),
  appraisal: appraisalSchema,
  options: z.array(optionSchema.transform((option) => ({ ...option, tender: option.tender ?? !option.baseline }))).min(1),
  criteria: criteriaSchema,
  evaluators: z.array(evaluatorSchema).default([]),
  scores: z.array(individualScoreSchema).default([]),
  consensus: z.array(consensusScoreSchema).default([]),
  costs: z.array(costLineSchema).default([]),
  benefits: z.array(benefitLineSchema).default([]),
  sunkCosts: z.array(sunkCostSchema).default([]),
  /** Extension: pairwise weighting rounds (weighting.ts). */
  weighting: weightingSchema.optional(),
  /** Extension: frontline trials (trials-schema.ts). */
  trials: trialsSchema.optional(),
})

export const evaluationFileSchema = fileShape.superRefine(checkReferences)

export type EvaluationFile = z.output<typeof evaluationFileSchema>
export type EvaluationFileInput = z.input<typeof evaluationFileSchema>
export type OptionEntry = EvaluationFile['options'][number]
export type Evaluator = EvaluationFile['evaluators'][number]
export type IndividualScore = EvaluationFile['scores'][number]
export type ConsensusScore = EvaluationFile['consensus'][number]
export type CostLine = EvaluationFile['costs'][number]
export type BenefitLine = EvaluationFile['benefits'][number]
export type SunkCost = EvaluationFile['sunkCosts'][number]
export type PriceFormula = EvaluationFile['priceFormula']
export type DiscountSetting = EvaluationFile['appraisal']['discount']

// ---------------------------------------------------------------------------------------------
// Rules across the file: ids, references, scores against the scale

type AddIssue = (path: PropertyKey[], message: string) => void

function checkReferences(file: z.output<typeof fileShape>, ctx: z.RefinementCtx): void {
  const add: AddIssue = (path, message) => ctx.addIssue({ code: 'custom', path, message })
  const options = checkUniqueIds(file.options, 'options', add)
  checkSingleBaseline(file.options, add)
  const criteria = checkCriteriaTree(file.criteria, file.scale, add)
  const evaluators = checkUniqueIds(file.evaluators, 'evaluators', add)
  checkIndividualScores(file, { options, criteria, evaluators }, add)
  checkPanelReferences(file, { options, criteria }, add)
  checkConsensusScores(file, { options, criteria }, add)
  for (const list of ['costs', 'benefits', 'sunkCosts'] as const) {
    file[list].forEach((line, i) => {
      checkOption(line.option, options, [list, i, 'option'], add)
    })
  }
  if (file.weighting !== undefined) checkWeighting(file.weighting, file.criteria, add)
  if (file.trials !== undefined) checkTrials(file.trials, options, add)
}

/** Returns each id with the path of its first use. */
function checkUniqueIds(entries: readonly { id: string }[], list: string, add: AddIssue): Map<string, string> {
  const seen = new Map<string, string>()
  entries.forEach((entry, i) => {
    const first = seen.get(entry.id)
    if (first !== undefined) add([list, i, 'id'], `duplicate id "${entry.id}" (also used by ${first})`)
    else seen.set(entry.id, formatPath([list, i]))
  })
  return seen
}

function checkSingleBaseline(options: readonly { baseline: boolean; tender: boolean }[], add: AddIssue): void {
  let first: number | null = null
  options.forEach((option, i) => {
    if (!option.baseline) return
    if (option.tender) add(['options', i, 'tender'], 'business as usual (the baseline) cannot be a tender; remove "tender" or set it to false')
    if (first === null) first = i
    else add(['options', i, 'baseline'], `only one option can be the baseline (options[${first}] already is)`)
  })
}

function checkCriteriaTree(criteria: readonly CriterionNode[], scale: Scale, add: AddIssue): Map<string, CriterionKind> {
  const kinds = new Map<string, CriterionKind>()
  const firstUse = new Map<string, string>()
  const visit = (nodes: readonly CriterionNode[], path: PropertyKey[]): void => {
    nodes.forEach((node, i) => {
      const here = [...path, i]
      const first = firstUse.get(node.id)
      if (first !== undefined) add([...here, 'id'], `duplicate id "${node.id}" (also used by ${first})`)
      else {
        firstUse.set(node.id, formatPath(here))
        kinds.set(node.id, isGroup(node) ? 'group' : isGate(node) ? 'gate' : 'criterion')
      }
      // Keys that are not whole numbers at all were reported with the node itself.
      const levels = Object.fromEntries(Object.entries(node.descriptors ?? {}).filter(([key]) => LEVEL_KEY.test(key)))
      const [min, max] = isGate(node) ? [0, 1] : [scale.min, scale.max]
      checkLevelKeys(levels, min, max, (keyPath, message) => add([...here, 'descriptors', ...keyPath], message))
      if (node.criteria !== undefined) visit(node.criteria, [...here, 'criteria'])
    })
  }
  visit(criteria, ['criteria'])
  return kinds
}

interface KnownIds {
  options: ReadonlyMap<string, string>
  criteria: ReadonlyMap<string, CriterionKind>
  evaluators?: ReadonlyMap<string, string>
}

function checkIndividualScores(file: z.output<typeof fileShape>, known: KnownIds, add: AddIssue): void {
  const seen = new Map<string, number>()
  file.scores.forEach((score, i) => {
    const path = ['scores', i]
    const evaluatorKnown = known.evaluators?.has(score.evaluator) ?? false
    if (!evaluatorKnown) add([...path, 'evaluator'], `unknown evaluator "${score.evaluator}"`)
    const optionKnown = checkOption(score.option, known.options, [...path, 'option'], add)
    const kind = checkScoredCriterion(score.criterion, known.criteria, [...path, 'criterion'], add)
    if (kind !== null) checkScoreValue(score.score, kind, file.scale, [...path, 'score'], add)
    if (!evaluatorKnown || !optionKnown || kind === null) return
    const key = JSON.stringify([score.evaluator, score.option, score.criterion])
    const first = seen.get(key)
    if (first !== undefined) {
      add(path, `duplicate score by "${score.evaluator}" for "${score.option}" on "${score.criterion}" (also scores[${first}])`)
    } else seen.set(key, i)
  })
}

function checkConsensusScores(file: z.output<typeof fileShape>, known: KnownIds, add: AddIssue): void {
  const seen = new Map<string, number>()
  file.consensus.forEach((score, i) => {
    const path = ['consensus', i]
    const optionKnown = checkOption(score.option, known.options, [...path, 'option'], add)
    const kind = checkScoredCriterion(score.criterion, known.criteria, [...path, 'criterion'], add)
    if (kind !== null) checkScoreValue(score.score, kind, file.scale, [...path, 'score'], add)
    if (!optionKnown || kind === null) return
    const key = JSON.stringify([score.option, score.criterion])
    const first = seen.get(key)
    if (first !== undefined) {
      add(path, `duplicate consensus for "${score.option}" on "${score.criterion}" (also consensus[${first}])`)
    } else seen.set(key, i)
  })
}

function checkPanelReferences(file: z.output<typeof fileShape>, known: KnownIds, add: AddIssue): void {
  file.evaluators.forEach((evaluator, i) => {
    evaluator.criteria?.forEach((id, j) => {
      if (!known.criteria.has(id)) add(['evaluators', i, 'criteria', j], `unknown criterion "${id}"`)
    })
    evaluator.submitted?.forEach((id, j) => {
      checkOption(id, known.options, ['evaluators', i, 'submitted', j], add)
    })
    evaluator.declaration?.allowedOptions?.forEach((id, j) => {
      checkOption(id, known.options, ['evaluators', i, 'declaration', 'allowedOptions', j], add)
    })
  })
}

function checkOption(id: string, options: ReadonlyMap<string, string>, path: PropertyKey[], add: AddIssue): boolean {
  if (options.has(id)) return true
  add(path, `unknown option "${id}"`)
  return false
}

/** The kind of a criterion a score may name, or null (after reporting why) when it may not. */
function checkScoredCriterion(
  id: string,
  criteria: ReadonlyMap<string, CriterionKind>,
  path: PropertyKey[],
  add: AddIssue,
): Exclude<CriterionKind, 'group'> | null {
  const kind = criteria.get(id)
  if (kind === undefined) {
    add(path, `unknown criterion "${id}"`)
    return null
  }
  if (kind === 'group') {
    add(path, `"${id}" is a group; score the criteria inside it`)
    return null
  }
  return kind
}

function checkScoreValue(score: number, kind: Exclude<CriterionKind, 'group'>, scale: Scale, path: PropertyKey[], add: AddIssue): void {
  if (kind === 'gate') {
    if (score !== 0 && score !== 1) add(path, 'must be 0 (fail) or 1 (pass) for a gate')
  } else if (score < scale.min || score > scale.max) {
    add(path, `must be between ${scale.min} and ${scale.max}`)
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing with messages for people

export type ParseResult = { ok: true; file: EvaluationFile } | { ok: false; errors: string[] }

export function parseEvaluationFile(value: unknown): ParseResult {
  const controls = nulCharacters(value, [])
  if (controls.length > 0) return { ok: false, errors: controls }
  const result = parseWithSchema(evaluationFileSchema, value)
  return result.ok ? { ok: true, file: result.value } : result
}

/** Text holding a NUL character cannot be stored (PostgreSQL refuses it) and is never meant: say where. */
function nulCharacters(value: unknown, path: PropertyKey[]): string[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [`${formatPath(path)}: contains a NUL character (\\u0000), which cannot be stored`] : []
  if (Array.isArray(value)) return value.flatMap((item, i) => nulCharacters(item, [...path, i]))
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => [
      ...(key.includes('\u0000') ? [`${formatPath(path)}: has a key with a NUL character (\\u0000), which cannot be stored`] : []),
      ...nulCharacters(item, [...path, key]),
    ])
  }
  return []
}

/**
 * An evaluation file as text, as every export writes it (download, `appraise export`, and the file a
 * final report records): so a downloaded export gives the SHA-256 the final report prints.
 */
export function evaluationFileText(file: EvaluationFile): string {
  return `${JSON.stringify(file, null, 2)}\n`
}

export function parseEvaluationText(text: string): ParseResult {
  let value: unknown
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    return { ok: false, errors: [`file: is not valid JSON (${reason})`] }
  }
  return parseEvaluationFile(value)
}
