// Optimism bias presets: the Green Book supplementary guidance's upper and lower bounds by project
// type, so finance starts from a stated, sourced figure rather than a bare number.
//
// Like the discount presets, the figures are named and dated: a new edition of the guidance becomes
// new constants, and an evaluation that names a preset can still be read against the figures it used.

/** Upper and lower bounds of an uplift, as fractions (0.2 is 20%). */
export interface UpliftBounds {
  readonly upper: number
  readonly lower: number
}

export interface OptimismBiasPreset {
  /** The project type, in words. */
  readonly name: string
  /** Bounds for capital expenditure, applied to capital cost lines; absent when the guidance gives none. */
  readonly capital?: UpliftBounds
  /** Bounds for operating expenditure, applied to operating cost lines; absent when the guidance gives none. */
  readonly operating?: UpliftBounds
  /** Bounds for works duration: shown for the record, since the appraisal does not model time overruns. */
  readonly duration?: UpliftBounds
}

export const OPTIMISM_BIAS_SOURCE = {
  name: 'HM Treasury, Green Book supplementary guidance: optimism bias',
  source:
    'HM Treasury, The Green Book supplementary guidance: optimism bias (from Mott MacDonald, Review of large public procurement in the UK, 2002): ' +
    'upper and lower bounds of the uplift by project type. Start from the upper bound and reduce it only as specific risks are managed and evidenced; ' +
    'optimism bias is not contingency.',
  checked: '2026-12-03',
} as const

/** The project types of the supplementary guidance, by the id the evaluation file names them with. */
export const OPTIMISM_BIAS_PRESETS = {
  'standard-buildings': { name: 'Standard buildings', duration: { upper: 0.04, lower: 0.01 }, capital: { upper: 0.24, lower: 0.02 } },
  'non-standard-buildings': { name: 'Non-standard buildings', duration: { upper: 0.39, lower: 0.02 }, capital: { upper: 0.51, lower: 0.04 } },
  'standard-civil-engineering': { name: 'Standard civil engineering', duration: { upper: 0.2, lower: 0.01 }, capital: { upper: 0.44, lower: 0.03 } },
  'non-standard-civil-engineering': {
    name: 'Non-standard civil engineering',
    duration: { upper: 0.25, lower: 0.03 },
    capital: { upper: 0.66, lower: 0.06 },
  },
  'equipment-development': {
    name: 'Equipment and development (the category for IT)',
    duration: { upper: 0.54, lower: 0.1 },
    capital: { upper: 2, lower: 0.1 },
  },
  outsourcing: { name: 'Outsourcing', operating: { upper: 0.41, lower: 0 } },
} as const satisfies Record<string, OptimismBiasPreset>

export type OptimismBiasPresetId = keyof typeof OPTIMISM_BIAS_PRESETS

export const OPTIMISM_BIAS_PRESET_IDS = Object.keys(OPTIMISM_BIAS_PRESETS) as [OptimismBiasPresetId, ...OptimismBiasPresetId[]]

export function optimismBiasPreset(id: OptimismBiasPresetId): OptimismBiasPreset {
  return OPTIMISM_BIAS_PRESETS[id]
}

/** Tolerance on a bound, so that a percentage typed as 200 for 2 is within it. */
const EPSILON = 1e-9

/** Whether an uplift lies within a preset's bounds for its kind of cost (true when the preset gives none). */
export function withinPreset(id: OptimismBiasPresetId, kind: 'capital' | 'operating', uplift: number): boolean {
  const bounds = optimismBiasPreset(id)[kind]
  return bounds === undefined || (uplift >= bounds.lower - EPSILON && uplift <= bounds.upper + EPSILON)
}
