// The one definition of the `options-appraisal/1` evaluation file (docs: docs/evaluation-file.md
// and docs/maths.md). The app's import, export, command line and criteria templates all parse with
// this schema, so a rule added here holds everywhere.

import { z } from 'zod'
import { ID_MAX_LENGTH, idSchema } from './ids.js'
import { formatPath, parseWithSchema } from './issue-messages.js'
import { checkTrials, trialsSchema } from './trials-schema.js'
import { EVALUATION_ROLES, INTEREST_DECISIONS, type CriterionKind } from '../vocabulary.js'
import { checkWeighting, weightingSchema } from './weighting.js'
import { planHash } from './plan.js'
import { holdsScoredLeaf, isGate, isGroup } from './weights.js'
import { OPTIMISM_BIAS_PRESET_IDS, OPTIMISM_BIAS_PRESETS, withinPreset, type OptimismBiasPreset, type UpliftBounds } from './optimism-bias.js'

export const FILE_FORMAT = 'options-appraisal/1'

/** A generous ceiling that keeps a typo (years: 20240) from allocating millions of years. */
export const MAX_APPRAISAL_YEARS = 1000

// ---------------------------------------------------------------------------------------------
// Limits (docs/evaluation-file.md#limits). One home for each: the file's schema below, the forms and
// the command line all read them. Sizes are set well above the largest real evaluation (the
// benchmark's 20 options × 300 criteria × 15 evaluators) so no honest file meets them, and low enough
// that no one file can hold the server for long. Number ranges are what an analyst could mean; with
// them every figure the engine makes stays finite but for freak cases, which it refuses by name.

export const LIMITS = {
  options: 100,
  /** Criteria and groups, counted over the whole tree. */
  criteria: 2000,
  /** Levels of the criteria tree: top-level criteria are level 1. */
  criteriaDepth: 10,
  /** Options × criteria that take a score (scored criteria and gates): the cells a panel fills. */
  cells: 30_000,
  evaluators: 100,
  scores: 300_000,
  consensus: 30_000,
  /** Moderation meetings. */
  meetings: 1000,
  /** Tender documents, over all options. */
  documents: 5000,
  /** The largest tender document, in bytes (the app's upload limit; src/tender-files.ts). */
  documentBytes: 25 * 1024 * 1024,
  /** The highest page a response may point at. */
  documentPage: 100_000,
  costs: 5000,
  benefits: 5000,
  sunkCosts: 1000,
  /** Entries of a discount schedule. */
  discountBands: 100,
  /** Levels of the scale, max − min + 1. */
  scaleLevels: 101,
  /** An id, such as "product-a". */
  idLength: ID_MAX_LENGTH,
  /** A name, title, label or other line of text. */
  shortText: 1000,
  /** A rationale, description, guidance, notes or other paragraph. */
  longText: 20_000,
} as const

/** The ranges of numbers, as fractions where the file holds fractions (0.02 is 2%). */
export const BOUNDS = {
  /** An amount of money per year, a sunk cost. */
  amount: { min: 0, max: 1e15 },
  /** Real growth a year. */
  growth: { min: -0.99, max: 1 },
  optimismBias: { min: 0, max: 3 },
  /** The low and high multipliers of a cost line's range (low ≤ 1 ≤ high). */
  rangeLow: { min: 0, max: 1 },
  rangeHigh: { min: 1, max: 10 },
  /** A discount rate, a year. */
  discountRate: { min: -0.1, max: 1 },
  /** A criterion's weight, the quality and cost weights of the split. */
  weight: { min: 0, max: 1e6 },
  /** The lowest and highest levels a scale may have. */
  scale: { min: -1000, max: 1000 },
  baseYear: { min: 1900, max: 2200 },
} as const

/** A number between the bounds, with the message the file gives when it is not. */
function bounded({ min, max }: { readonly min: number; readonly max: number }) {
  return z.number().min(min).max(max)
}

/** Text of at most `max` characters. */
function textUpTo(max: number) {
  return z.string().max(max)
}

// ---------------------------------------------------------------------------------------------
// Building blocks

/** A reference to an id elsewhere in the file; whether it exists is checked across the file. */
const referenceSchema = z.string().min(1).max(LIMITS.idLength)

const requiredText = z.string().min(1).max(LIMITS.shortText)

/** A line of text: a category, a role, a supplier's name. */
const shortText = textUpTo(LIMITS.shortText)

/** A paragraph: a rationale, guidance, notes. */
const longText = textUpTo(LIMITS.longText)

const wholeNumber = z.number().int()

const yearIndex = z
  .number()
  .int()
  .min(0)
  .max(MAX_APPRAISAL_YEARS - 1)

/** Text per scale level, keyed by the level as a whole number ("0", "1", ...). */
const levelTextSchema = z.record(z.string(), longText)

const LEVEL_KEY = /^-?\d+$/

function checkLevelKeys(levels: Record<string, string> | undefined, min: number, max: number, addIssue: (path: PropertyKey[], message: string) => void): void {
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

const scaleLevel = wholeNumber.min(BOUNDS.scale.min).max(BOUNDS.scale.max)

const scaleShape = z.strictObject({
  min: scaleLevel.default(0),
  max: scaleLevel.default(5),
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
  const within = scale.min >= BOUNDS.scale.min && scale.max <= BOUNDS.scale.max
  if (within && scale.max - scale.min + 1 > LIMITS.scaleLevels) {
    ctx.addIssue({
      code: 'custom',
      path: ['max'],
      message: `must be at most ${scale.min + LIMITS.scaleLevels - 1}: a scale has at most ${LIMITS.scaleLevels} levels`,
    })
    return
  }
  for (const key of ['labels', 'descriptors'] as const) {
    checkLevelKeys(scale[key], scale.min, scale.max, (path, message) => ctx.addIssue({ code: 'custom', path: [key, ...path], message }))
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
  weight: bounded(BOUNDS.weight).optional(),
  gate: z.boolean().optional(),
  guidance: longText.optional(),
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

const criterionListSchema: z.ZodType<CriterionNode[], CriterionNode[]> = z.array(criterionNodeSchema).max(LIMITS.criteria).superRefine(checkSiblingWeights)

/** A criteria tree (at least one criterion), as in a file or a criteria template. */
export const criteriaSchema = z.array(criterionNodeSchema).min(1).max(LIMITS.criteria).superRefine(checkSiblingWeights)

// ---------------------------------------------------------------------------------------------
// Discounting

const rateSchema = bounded(BOUNDS.discountRate)

const discountSchema = z.union([
  z.enum(['green-book', 'green-book-health', 'none']),
  z.strictObject({ rate: rateSchema }),
  z.strictObject({
    schedule: z
      .array(z.strictObject({ fromYear: yearIndex, rate: rateSchema }))
      .min(1)
      .max(LIMITS.discountBands)
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

const rangeSchema = z.strictObject({ low: z.number(), high: z.number() }).superRefine((range, ctx) => {
  if (!(range.low >= 0 && range.low <= 1)) {
    ctx.addIssue({ code: 'custom', path: ['low'], message: 'must be between 0 and 1 (low <= 1 <= high)' })
  }
  if (!(range.high >= 1)) {
    ctx.addIssue({ code: 'custom', path: ['high'], message: 'must be at least 1 (low <= 1 <= high)' })
  } else if (range.high > BOUNDS.rangeHigh.max) {
    ctx.addIssue({ code: 'custom', path: ['high'], message: `must be at most ${BOUNDS.rangeHigh.max}` })
  }
})

const lineFields = {
  option: referenceSchema,
  label: requiredText,
  /** Free text; the app suggests a standard list. */
  category: shortText.optional(),
  /** Extension: the analyst's notes on the estimate. */
  notes: longText.optional(),
  /** Per year, in real base-year prices. */
  amount: bounded(BOUNDS.amount),
  from: yearIndex,
  to: yearIndex.optional(),
  /** Real change per year. */
  growth: bounded(BOUNDS.growth).default(0),
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
    optimismBias: bounded(BOUNDS.optimismBias).optional(),
  })
  .superRefine((line, ctx) => {
    checkYears(line, ctx)
    if (line.price === true && !line.cash) {
      ctx.addIssue({
        code: 'custom',
        path: ['price'],
        message: 'a non-cash cost (cash: false) cannot be part of the tendered price; set cash to true or price to false',
      })
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
  category: shortText.optional(),
  notes: longText.optional(),
  amount: bounded(BOUNDS.amount),
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
  description: longText.optional(),
  /** Extension: the supplier and product of a bid. */
  supplier: shortText.optional(),
  product: shortText.optional(),
})

/** An optional list where an empty list means the same as none, so files compare equal either way. */
function optionalList<T extends z.ZodType>(item: T, max: number) {
  return z.preprocess((list) => (Array.isArray(list) && list.length === 0 ? undefined : list), z.array(item).max(max).optional())
}

/** Extension: a panel member's declaration of interest, and the lead's decision on it. */
const declarationSchema = z.strictObject({
  /** True when they declared an interest; false for "no interest". */
  interest: z.boolean(),
  details: longText.optional(),
  declaredAt: shortText.optional(),
  /** The lead's decision on a declared interest. */
  decision: z.enum(INTEREST_DECISIONS).optional(),
  decisionNote: longText.optional(),
  decidedAt: shortText.optional(),
  /** With "restrict": the only options this member may score. */
  allowedOptions: optionalList(referenceSchema, LIMITS.options),
  /** The supplier a declared interest is in, as named. */
  supplier: shortText.optional(),
  /**
   * The suppliers' names known when the declaration was made. A declaration that lacks one of the
   * options' suppliers must be renewed (src/appraisal/conflicts.ts); an empty list says none was known
   * yet. One without the list was made before it was kept, and stands.
   */
  suppliersKnown: z.array(shortText).max(LIMITS.options).optional(),
})

/**
 * Extension: a declaration of interest by someone on the evaluation who does not score it (the lead,
 * finance, a stakeholder, a facilitator, an approver who signs the decision off), and the lead's
 * assessment of a declared interest with its mitigation (Procurement Act 2023, ss. 81–83).
 */
const roleDeclarationSchema = z.strictObject({
  id: idSchema,
  name: requiredText,
  /** Matches an account on import, so the person need not declare again. */
  email: shortText.optional(),
  /** Their roles on the evaluation when they declared. */
  roles: z.array(z.enum(EVALUATION_ROLES)).min(1, 'name at least one role').max(EVALUATION_ROLES.length),
  interest: z.boolean(),
  supplier: shortText.optional(),
  details: longText.optional(),
  declaredAt: shortText.optional(),
  suppliersKnown: z.array(shortText).max(LIMITS.options).optional(),
  /** The lead's assessment of a declared interest: whether it is a conflict, and why. */
  assessment: longText.optional(),
  /** What was done about it (excluded from a part of the work, a second reviewer, none needed). */
  mitigation: longText.optional(),
  assessedAt: shortText.optional(),
})

const evaluatorSchema = z.strictObject({
  id: idSchema,
  name: requiredText,
  role: shortText.optional(),
  /** Extension: contact for the panel member. */
  email: shortText.optional(),
  /** Extension: the criteria (or groups) assigned to this member; all criteria when absent. */
  criteria: optionalList(referenceSchema, LIMITS.criteria),
  /** Extension: the options whose scores this member has submitted (and so can no longer change). */
  submitted: optionalList(referenceSchema, LIMITS.options),
  declaration: declarationSchema.optional(),
  /** Extension: the options the lead excused this member from scoring, each with the reason. */
  excused: optionalList(
    z.strictObject({ option: referenceSchema, reason: z.string().trim().min(1, 'give the reason the member was excused').max(LIMITS.longText) }),
    LIMITS.options,
  ),
  /**
   * Extension: the options whose consensus this member has confirmed reflects the panel's discussion,
   * or dissented from (`dissent`: the reason; a dissent is recorded and reported).
   */
  confirmations: optionalList(z.strictObject({ option: referenceSchema, at: shortText.optional(), dissent: longText.optional() }), LIMITS.options),
})

const individualScoreSchema = z.strictObject({
  evaluator: referenceSchema,
  option: referenceSchema,
  criterion: referenceSchema,
  /** Required, except on a draft whose score is not chosen yet. */
  score: z.number().optional(),
  /** An unfinished answer (incomplete, its rationale short, or its option not yet submitted): kept, counted in no figure. */
  draft: z.preprocess((draft) => (draft === false ? undefined : draft), z.literal(true).optional()),
  rationale: longText.optional(),
  /** Extension: where in the bid or trial the evidence for this score is. */
  evidence: longText.optional(),
  /** Extension: the tender document (its id in `tender.documents`, of the score's option) the evidence is in. */
  evidenceDocument: referenceSchema.optional(),
  /** Extension: the page of `evidenceDocument` the evidence is on. */
  evidencePage: z.number().int().min(1).max(LIMITS.documentPage).optional(),
  /**
   * Extension: the version of the plan (2, 3, …: `plan.changes[revisit - 2]`) whose change touched
   * this score's criterion after the score was given, the last that did; the panel is to revisit it.
   * Saving the score again clears it.
   */
  revisit: z.number().int().min(2).optional(),
})

const consensusScoreSchema = z.strictObject({
  option: referenceSchema,
  criterion: referenceSchema,
  score: z.number(),
  rationale: longText.optional(),
  evidence: longText.optional(),
  /** Extension: set when the lead accepted the rounded median because the spread was within tolerance. */
  acceptedWithinTolerance: z.preprocess((accepted) => (accepted === false ? undefined : accepted), z.literal(true).optional()),
  /** Extension: the moderation meeting (its id in `meetings`) the consensus was agreed in. */
  meeting: referenceSchema.optional(),
})

/** Extension: a moderation meeting: when, who attended and chaired, what was discussed. */
const meetingSchema = z.strictObject({
  id: idSchema,
  /** The day it was held, YYYY-MM-DD. */
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date as YYYY-MM-DD' }),
  chair: requiredText,
  /** The panel members (evaluator ids) who attended: at least one. */
  attendees: z.array(referenceSchema).min(1, 'a meeting needs at least one attendee from the panel').max(LIMITS.evaluators),
  options: optionalList(referenceSchema, LIMITS.options),
  criteria: optionalList(referenceSchema, LIMITS.criteria),
  notes: longText.optional(),
})

/** Extension: how the panel works. Rules for people typing scores; a file itself need not meet them. */
const panelSchema = z.strictObject({
  /** The shortest rationale an evaluator may save, in characters. */
  minRationale: z.number().int().min(0).max(5000).default(50),
  /** Spread (maximum − minimum of the individual scores) above which a criterion needs discussion. */
  tolerance: z
    .number()
    .min(0)
    .max(LIMITS.scaleLevels - 1)
    .default(1),
})

/** A SHA-256 in hex, as the plan's hash is written. */
const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, { error: 'must be a SHA-256: 64 hexadecimal digits in lower case' })

/** `true` or absent (false is read as absent, so files compare equal either way). */
const flag = z.preprocess((value) => (value === false ? undefined : value), z.literal(true).optional())

/**
 * Extension: a tender document, by reference: its name, type, size and SHA-256, never its bytes (the
 * file is not an archive). `commercial` (a price schedule) is sealed from evaluators.
 */
const tenderDocumentSchema = z.strictObject({
  id: idSchema,
  option: referenceSchema,
  name: requiredText,
  /** The media type its content was found to be, such as "application/pdf". */
  type: requiredText,
  size: z.number().int().min(0).max(LIMITS.documentBytes),
  sha256: sha256Schema,
  commercial: flag,
  uploadedAt: shortText.optional(),
})

/** Extension: the supplier's response to one criterion: its text, and/or the document (and page) that holds it. */
const tenderResponseSchema = z
  .strictObject({
    option: referenceSchema,
    criterion: referenceSchema,
    text: longText.optional(),
    document: referenceSchema.optional(),
    page: z.number().int().min(1).max(LIMITS.documentPage).optional(),
    commercial: flag,
  })
  .superRefine((response, ctx) => {
    if (response.text === undefined && response.document === undefined)
      ctx.addIssue({ code: 'custom', message: "give the response's text, its document, or both" })
    if (response.page !== undefined && response.document === undefined)
      ctx.addIssue({ code: 'custom', path: ['page'], message: 'a page needs the document it is in' })
  })

/** Extension: the tenders' material, by option. */
const tenderSchema = z.strictObject({
  documents: optionalList(tenderDocumentSchema, LIMITS.documents),
  responses: optionalList(tenderResponseSchema, LIMITS.cells),
})

/** Extension: a change made to the plan after its approval, which started the next version. */
const planChangeSchema = z.strictObject({
  at: requiredText,
  by: requiredText,
  reason: z.string().min(1).max(LIMITS.longText),
  /** The hash of the plan as this change left it. */
  hash: sha256Schema,
  /** The criteria it touched, whose scores were flagged for the panel to revisit. */
  criteria: optionalList(referenceSchema, LIMITS.criteria),
})

/**
 * Extension: the plan's approval (version 1) and each change after it (versions 2, 3, …). The last
 * version's hash must be the hash of the plan this file holds; the approval's may be left out when
 * nothing changed since, and is then computed.
 */
const planSchema = z.strictObject({
  approvedAt: requiredText,
  approvedBy: requiredText,
  hash: sha256Schema.optional(),
  changes: z.array(planChangeSchema).max(1000).default([]),
})

/** Extension: the lead's decision applying the plan's tie-breaker to tenders tied first. */
const tieDecisionSchema = z.strictObject({
  option: referenceSchema,
  reason: z.string().min(1).max(LIMITS.longText),
  at: requiredText,
  by: requiredText,
})

// ---------------------------------------------------------------------------------------------
// The award: what happens after the decision, and the version it rests on

/** Whether text is a date in the calendar written as YYYY-MM-DD. */
function isCalendarDate(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`)
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text)
}

/** A calendar date, "2026-12-03". */
const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date written as YYYY-MM-DD, such as "2026-12-03"' })
  .refine((text) => !/^\d{4}-\d{2}-\d{2}$/.test(text) || isCalendarDate(text), 'is not a date in the calendar')

/** Extension: a supplier told of the outcome (its assessment summary sent), by whom and how. */
const awardNoticeSchema = z.strictObject({
  option: referenceSchema,
  date: calendarDate,
  /** Who at the supplier was told, and how (an email address, the procurement portal). */
  to: shortText.optional(),
  method: shortText.optional(),
})

/**
 * Extension: the award record the lead keeps once the evaluation is finalised: the award decision,
 * the standstill period and who was notified when; and whether the open data may carry every
 * tender's figures (only once the standstill period has ended).
 */
const awardSchema = z
  .strictObject({
    decisionDate: calendarDate.optional(),
    standstillStart: calendarDate.optional(),
    standstillEnd: calendarDate.optional(),
    notifications: optionalList(awardNoticeSchema, LIMITS.options),
    publishAllFigures: z.preprocess((publish) => (publish === false ? undefined : publish), z.literal(true).optional()),
  })
  .superRefine((award, ctx) => {
    // Dates that are not in the calendar were reported on their own: they are not compared.
    const known = (date: string | undefined) => (date !== undefined && isCalendarDate(date) ? date : undefined)
    const [decisionDate, standstillStart, standstillEnd] = [known(award.decisionDate), known(award.standstillStart), known(award.standstillEnd)]
    if (standstillStart !== undefined && decisionDate !== undefined && standstillStart < decisionDate) {
      ctx.addIssue({ code: 'custom', path: ['standstillStart'], message: 'must be on or after the award decision date' })
    }
    if (standstillEnd !== undefined && standstillStart !== undefined && standstillEnd <= standstillStart) {
      ctx.addIssue({ code: 'custom', path: ['standstillEnd'], message: 'must be after the start of the standstill period' })
    }
    if (standstillEnd !== undefined && decisionDate !== undefined && standstillEnd <= decisionDate) {
      ctx.addIssue({ code: 'custom', path: ['standstillEnd'], message: 'must be after the award decision date' })
    }
    if (award.publishAllFigures === true && standstillEnd === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['publishAllFigures'],
        message: 'every tender’s figures can be published only once the standstill period has ended: set standstillEnd',
      })
    }
  })

/**
 * Extension: the finalised version this file is (as the app signs it off): the version, when and by
 * whom it was finalised, and the SHA-256 of its final report. A file with it gives final assessment
 * summaries; without it, drafts.
 */
const finalisedSchema = z.strictObject({
  version: z.number().int().min(1),
  at: z.iso.datetime({ offset: true, error: 'must be a date and time such as "2026-12-03T12:40:00Z"' }),
  by: requiredText,
  reportSha256: z.string().regex(/^[0-9a-f]{64}$/, { error: 'must be a SHA-256, 64 lower-case hexadecimal digits' }),
})

// ---------------------------------------------------------------------------------------------
// The file

/** A fraction as a percentage in a message: 2 → "200%". */
const percentWords = (fraction: number) => `${Number((fraction * 100).toFixed(6))}%`

const optimismBiasSchema = z
  .strictObject({
    capital: bounded(BOUNDS.optimismBias).default(0),
    operating: bounded(BOUNDS.optimismBias).default(0),
    /** The Green Book supplementary guidance's project type the defaults start from (src/appraisal/optimism-bias.ts). */
    preset: z.enum(OPTIMISM_BIAS_PRESET_IDS).optional(),
    /** Why the uplifts stand where they do, such as the risks managed that reduced them from the upper bound. */
    note: longText.optional(),
  })
  .superRefine((bias, ctx) => {
    if (bias.preset === undefined) return
    const preset = OPTIMISM_BIAS_PRESETS[bias.preset]
    for (const kind of ['capital', 'operating'] as const) {
      const bounds: UpliftBounds | undefined = (preset as OptimismBiasPreset)[kind]
      if (bounds === undefined || withinPreset(bias.preset, kind, bias[kind])) continue
      ctx.addIssue({
        code: 'custom',
        path: [kind],
        message: `must be between ${percentWords(bounds.lower)} and ${percentWords(bounds.upper)} under the preset "${bias.preset}"; remove "preset" to use another figure`,
      })
    }
  })

const appraisalSchema = z.strictObject({
  /** Calendar year of year index 0. */
  baseYear: wholeNumber.min(BOUNDS.baseYear.min).max(BOUNDS.baseYear.max),
  /** The appraisal period N: year indexes 0 .. N-1. */
  years: z.number().int().min(1).max(MAX_APPRAISAL_YEARS),
  discount: discountSchema.default('green-book'),
  optimismBias: optimismBiasSchema.prefault({}),
})

const splitSchema = z.strictObject({ quality: bounded(BOUNDS.weight), cost: bounded(BOUNDS.weight) }).superRefine((split, ctx) => {
  if (split.quality + split.cost <= 0) {
    ctx.addIssue({ code: 'custom', message: 'quality and cost cannot both be zero' })
  }
})

const fileShape = z.strictObject({
  format: z.literal(FILE_FORMAT),
  title: requiredText,
  organisation: shortText.optional(),
  summary: longText.optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, { error: 'must be a three-letter ISO 4217 code in capitals, such as "GBP"' })
    .default('GBP'),
  scale: scaleSchema.prefault({}),
  split: splitSchema.default({ quality: 100, cost: 0 }),
  priceFormula: z.enum(['relative-to-lowest', 'price-per-quality-point']).default('relative-to-lowest'),
  /** What the evaluated price covers, as published to the suppliers. */
  priceBasis: longText.optional(),
  panel: panelSchema.prefault({}),
  appraisal: appraisalSchema,
  options: z
    .array(optionSchema.transform((option) => ({ ...option, tender: option.tender ?? !option.baseline })))
    .min(1)
    .max(LIMITS.options),
  criteria: criteriaSchema,
  evaluators: z.array(evaluatorSchema).max(LIMITS.evaluators).default([]),
  scores: z.array(individualScoreSchema).max(LIMITS.scores).default([]),
  consensus: z.array(consensusScoreSchema).max(LIMITS.consensus).default([]),
  meetings: optionalList(meetingSchema, LIMITS.meetings),
  /** Extension: declarations of interest by those on the evaluation who do not score it (above). */
  declarations: optionalList(roleDeclarationSchema, LIMITS.evaluators),
  costs: z.array(costLineSchema).max(LIMITS.costs).default([]),
  benefits: z.array(benefitLineSchema).max(LIMITS.benefits).default([]),
  sunkCosts: z.array(sunkCostSchema).max(LIMITS.sunkCosts).default([]),
  /** Extension: what decides between tenders with equal totals; part of the plan. */
  tieBreaker: longText.optional(),
  /** Extension: the plan's approval and the changes made to it since. */
  plan: planSchema.optional(),
  /** Extension: the tie-breaker as the lead applied it. */
  tieDecision: tieDecisionSchema.optional(),
  /** Extension: pairwise weighting rounds (weighting.ts). */
  weighting: weightingSchema.optional(),
  /** Extension: frontline trials (trials-schema.ts). */
  trials: trialsSchema.optional(),
  /** Extension: the tenders' documents (by reference) and the suppliers' responses to each criterion (above). */
  tender: tenderSchema.optional(),
  /** Extension: the award record (above). */
  award: awardSchema.optional(),
  /** Extension: the finalised version this file is (above). */
  finalised: finalisedSchema.optional(),
})

export const evaluationFileSchema = fileShape.superRefine(checkReferences)

export type EvaluationFile = z.output<typeof evaluationFileSchema>
export type EvaluationFileInput = z.input<typeof evaluationFileSchema>
export type OptionEntry = EvaluationFile['options'][number]
export type Evaluator = EvaluationFile['evaluators'][number]
export type RoleDeclarationEntry = NonNullable<EvaluationFile['declarations']>[number]
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
  checkCells(file.options.length, criteria, add)
  const evaluators = checkUniqueIds(file.evaluators, 'evaluators', add)
  checkIndividualScores(file, { options, criteria, evaluators }, add)
  checkPanelReferences(file, { options, criteria }, add)
  checkConsensusScores(file, { options, criteria }, add)
  checkMeetings(file, { options, criteria, evaluators }, add)
  checkUniqueIds(file.declarations ?? [], 'declarations', add)
  for (const list of ['costs', 'benefits', 'sunkCosts'] as const) {
    file[list].forEach((line, i) => {
      checkOption(line.option, options, [list, i, 'option'], add)
    })
  }
  if (file.weighting !== undefined) checkWeighting(file.weighting, file.criteria, add)
  if (file.tieDecision !== undefined) checkOption(file.tieDecision.option, options, ['tieDecision', 'option'], add)
  if (file.plan !== undefined) checkPlan(file, add)
  checkRevisits(file, add)
  if (file.trials !== undefined) checkTrials(file.trials, options, criteria, add)
  if (file.award !== undefined) checkAward(file.award, file.options, add)
  if (file.tender !== undefined) checkTender(file.tender, { options, criteria }, add)
  checkEvidenceDocuments(file, add)
}

/**
 * A score's `evidenceDocument` names a document `tender` lists, of the score's own option, and not
 * one marked commercial (sealed from evaluators); an `evidencePage` needs the document.
 */
function checkEvidenceDocuments(file: z.output<typeof fileShape>, add: AddIssue): void {
  const documents = new Map((file.tender?.documents ?? []).map((d) => [d.id, d]))
  file.scores.forEach((score, i) => {
    const path = ['scores', i]
    if (score.evidencePage !== undefined && score.evidenceDocument === undefined)
      add([...path, 'evidencePage'], 'a page needs the document it is in (evidenceDocument)')
    if (score.evidenceDocument === undefined) return
    const document = documents.get(score.evidenceDocument)
    if (document === undefined) add([...path, 'evidenceDocument'], `unknown document "${score.evidenceDocument}": tender.documents does not list it`)
    else if (document.option !== score.option)
      add([...path, 'evidenceDocument'], `"${score.evidenceDocument}" is a document of another option ("${document.option}")`)
    else if (document.commercial === true) add([...path, 'evidenceDocument'], `"${score.evidenceDocument}" is commercial, sealed from evaluators`)
  })
}

function checkTender(tender: NonNullable<z.output<typeof fileShape>['tender']>, known: KnownIds, add: AddIssue): void {
  const documents = checkUniqueIds(tender.documents ?? [], 'tender.documents', add)
  const optionOf = new Map((tender.documents ?? []).map((d) => [d.id, d.option]))
  tender.documents?.forEach((document, i) => {
    checkOption(document.option, known.options, ['tender', 'documents', i, 'option'], add)
  })
  const seen = new Map<string, number>()
  tender.responses?.forEach((response, i) => {
    const path = ['tender', 'responses', i]
    const optionKnown = checkOption(response.option, known.options, [...path, 'option'], add)
    const kind = known.criteria.get(response.criterion)
    if (kind === undefined) add([...path, 'criterion'], `unknown criterion "${response.criterion}"`)
    else if (kind === 'group') add([...path, 'criterion'], `"${response.criterion}" is a group; a response answers a criterion or gate inside it`)
    if (response.document !== undefined) {
      if (!documents.has(response.document)) add([...path, 'document'], `unknown document "${response.document}"`)
      else if (optionOf.get(response.document) !== response.option) add([...path, 'document'], `"${response.document}" is a document of another option`)
    }
    if (!optionKnown || kind === undefined) return
    const key = JSON.stringify([response.option, response.criterion])
    const first = seen.get(key)
    if (first !== undefined) add(path, `duplicate response for "${response.option}" on "${response.criterion}" (also tender.responses[${first}])`)
    else seen.set(key, i)
  })
}

function checkAward(award: NonNullable<z.output<typeof fileShape>['award']>, options: readonly OptionEntry[], add: AddIssue): void {
  const tenders = new Map(options.map((option) => [option.id, option.tender]))
  award.notifications?.forEach((notice, i) => {
    const tender = tenders.get(notice.option)
    if (tender === undefined) add(['award', 'notifications', i, 'option'], `unknown option "${notice.option}"`)
    else if (!tender) add(['award', 'notifications', i, 'option'], `"${notice.option}" is not a tender, so its supplier is not notified of the award`)
  })
}

/** The plan's last version must be the plan this file holds; the approval needs its hash once the plan has changed. */
function checkPlan(file: z.output<typeof fileShape>, add: AddIssue): void {
  const plan = file.plan!
  const last = plan.changes.length
  if (last > 0 && plan.hash === undefined) add(['plan', 'hash'], 'is required once the plan has changes: the hash of the plan as approved')
  const given = last === 0 ? plan.hash : plan.changes[last - 1]!.hash
  const held = planHash(file)
  if (given !== undefined && given !== held) {
    add(last === 0 ? ['plan', 'hash'] : ['plan', 'changes', last - 1, 'hash'], `is not the hash of the plan this file holds (${held})`)
  }
}

/** A score's `revisit` names a change to the plan that touched its criterion, and the last that did. */
function checkRevisits(file: z.output<typeof fileShape>, add: AddIssue): void {
  const changes = file.plan?.changes ?? []
  file.scores.forEach((score, i) => {
    if (score.revisit === undefined) return
    const change = changes[score.revisit - 2]
    if (change === undefined) {
      add(
        ['scores', i, 'revisit'],
        `names version ${score.revisit} of the plan, which ${changes.length === 0 ? 'has no changes' : `has versions 2 to ${changes.length + 1} after its approval`}`,
      )
      return
    }
    if (Number.isNaN(Date.parse(change.at))) add(['scores', i, 'revisit'], `names a change whose date (plan.changes[${score.revisit - 2}].at) is not a date`)
    const touched = (c: { criteria?: readonly string[] | undefined }) => (c.criteria ?? []).includes(score.criterion)
    if (!touched(change)) add(['scores', i, 'revisit'], `names version ${score.revisit} of the plan, whose change did not touch criterion "${score.criterion}"`)
    else if (changes.slice(score.revisit - 1).some(touched)) add(['scores', i, 'revisit'], 'must name the last change to the plan that touched the criterion')
  })
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
  if (firstUse.size > LIMITS.criteria) add(['criteria'], `holds ${firstUse.size} criteria and groups; the limit is ${LIMITS.criteria}`)
  return kinds
}

/** The cells a panel fills (options × criteria that take a score) bound the work of every analysis. */
function checkCells(options: number, criteria: ReadonlyMap<string, CriterionKind>, add: AddIssue): void {
  let leaves = 0
  for (const kind of criteria.values()) if (kind !== 'group') leaves++
  if (options * leaves > LIMITS.cells) {
    add(['criteria'], `${options} options × ${leaves} scored criteria make ${options * leaves} scores per evaluator; the limit is ${LIMITS.cells}`)
  }
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
    if (score.score === undefined) {
      if (score.draft !== true) add([...path, 'score'], 'required: only a draft ("draft": true) may leave its score out')
    } else if (kind !== null) checkScoreValue(score.score, kind, file.scale, [...path, 'score'], add)
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
    for (const list of ['excused', 'confirmations'] as const) {
      const seen = new Set<string>()
      evaluator[list]?.forEach((entry, j) => {
        if (!checkOption(entry.option, known.options, ['evaluators', i, list, j, 'option'], add)) return
        if (seen.has(entry.option)) add(['evaluators', i, list, j, 'option'], `"${entry.option}" is listed twice`)
        seen.add(entry.option)
        if (list === 'excused' && evaluator.submitted?.includes(entry.option) === true) {
          add(['evaluators', i, list, j, 'option'], `"${evaluator.id}" submitted "${entry.option}", so cannot also be excused from it`)
        }
      })
    }
  })
  const submitted = new Set(file.evaluators.flatMap((e) => (e.submitted ?? []).map((option) => JSON.stringify([e.id, option]))))
  file.scores.forEach((score, i) => {
    if (score.draft === true && submitted.has(JSON.stringify([score.evaluator, score.option]))) {
      add(['scores', i, 'draft'], `"${score.evaluator}" submitted "${score.option}", so its scores are not drafts`)
    }
  })
}

function checkMeetings(file: z.output<typeof fileShape>, known: KnownIds, add: AddIssue): void {
  const meetings = checkUniqueIds(file.meetings ?? [], 'meetings', add)
  file.meetings?.forEach((meeting, i) => {
    meeting.attendees.forEach((id, j) => {
      if (!(known.evaluators?.has(id) ?? false)) add(['meetings', i, 'attendees', j], `unknown evaluator "${id}"`)
    })
    meeting.options?.forEach((id, j) => {
      checkOption(id, known.options, ['meetings', i, 'options', j], add)
    })
    meeting.criteria?.forEach((id, j) => {
      if (!known.criteria.has(id)) add(['meetings', i, 'criteria', j], `unknown criterion "${id}"`)
    })
  })
  file.consensus.forEach((score, i) => {
    if (score.meeting !== undefined && !meetings.has(score.meeting)) add(['consensus', i, 'meeting'], `unknown meeting "${score.meeting}"`)
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
  const problems = rawProblems(value)
  if (problems.length > 0) return { ok: false, errors: problems }
  const result = parseWithSchema(evaluationFileSchema, value)
  return result.ok ? { ok: true, file: result.value } : result
}

/** How deep JSON may nest: the deepest criterion's descriptors, and no deeper. */
const MAX_NESTING = 2 * LIMITS.criteriaDepth + 2

/**
 * What must be refused before the schema runs, found without recursion so no file can overflow the
 * stack: a criteria tree nested too deep (the schema, the weights and the report all recurse over
 * it), JSON nested too deep anywhere else, and NUL characters, which text cannot hold (PostgreSQL
 * refuses them) and are never meant. The first depth problem stops the walk.
 */
function rawProblems(value: unknown): string[] {
  const problems: string[] = []
  // `level`: the criteria tree level of a criterion object, 0 for anything outside the tree.
  const stack: { value: unknown; path: PropertyKey[]; level: number }[] = [{ value, path: [], level: 0 }]
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const { value: here, path, level } = entry
    if (typeof here === 'string') {
      if (here.includes('\u0000')) problems.push(`${formatPath(path)}: contains a NUL character (\\u0000), which cannot be stored`)
      continue
    }
    if (here === null || typeof here !== 'object') continue
    if (level > LIMITS.criteriaDepth) {
      return [`${formatPath(path)}: criteria are nested more than ${LIMITS.criteriaDepth} levels deep; the limit is ${LIMITS.criteriaDepth}`]
    }
    if (path.length > MAX_NESTING) return [`${formatPath(path)}: is nested more than ${MAX_NESTING} levels deep`]
    if (Array.isArray(here)) {
      // A list of criteria: the file's own, or a criterion's children.
      const inTree = path.length === 1 ? path[0] === 'criteria' : level > 0 && path.at(-1) === 'criteria'
      for (let i = here.length - 1; i >= 0; i--) stack.push({ value: here[i], path: [...path, i], level: inTree ? level + 1 : 0 })
      continue
    }
    const entries = Object.entries(here)
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, item] = entries[i] as [string, unknown]
      if (key.includes('\u0000')) problems.push(`${formatPath(path)}: has a key with a NUL character (\\u0000), which cannot be stored`)
      stack.push({ value: item, path: [...path, key], level: key === 'criteria' ? level : 0 })
    }
  }
  return problems
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
