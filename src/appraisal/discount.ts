// Discount factors for the appraisal period.
//
// Discount rates change between editions of HM Treasury guidance, so each preset is a named,
// dated constant with its source, and the file's `"green-book"` / `"green-book-health"` names point
// at one of them. A new edition becomes a new constant; old evaluations can still be reproduced.

export interface RateBand {
  /** First year index the rate applies to. */
  readonly fromYear: number
  readonly rate: number
}

export interface DiscountPreset {
  readonly name: string
  readonly source: string
  /** The date the preset was last checked against its source. */
  readonly checked: string
  readonly bands: readonly RateBand[]
}

/** The standard Social Time Preference Rate, unchanged from the 2003 edition to the 2022 edition. */
export const GREEN_BOOK_2022_STPR: DiscountPreset = {
  name: 'HM Treasury Green Book (2022): standard Social Time Preference Rate',
  source:
    'HM Treasury, The Green Book: appraisal and evaluation in central government (2022), discounting annex: ' +
    '3.5% for years 1-30, 3.0% for 31-75, 2.5% for 76-125, 2.0% for 126-200, 1.5% for 201-300, 1.0% after. ' +
    'A discount-rate review was reported in 2026; check before relying on this preset for a new appraisal.',
  checked: '2025-11-25',
  bands: [
    { fromYear: 1, rate: 0.035 },
    { fromYear: 31, rate: 0.03 },
    { fromYear: 76, rate: 0.025 },
    { fromYear: 126, rate: 0.02 },
    { fromYear: 201, rate: 0.015 },
    { fromYear: 301, rate: 0.01 },
  ],
}

/** The Green Book rate for health effects (the STPR without the wealth effect), same bands. */
export const GREEN_BOOK_2022_HEALTH: DiscountPreset = {
  name: 'HM Treasury Green Book (2022): discount rate for health effects',
  source:
    'HM Treasury, The Green Book (2022), discounting annex: 1.5% for years 1-30, 1.29% for 31-75, 1.07% for 76-125, ' +
    '0.86% for 126-200, 0.64% for 201-300, 0.43% after.',
  checked: '2025-11-25',
  bands: [
    { fromYear: 1, rate: 0.015 },
    { fromYear: 31, rate: 0.0129 },
    { fromYear: 76, rate: 0.0107 },
    { fromYear: 126, rate: 0.0086 },
    { fromYear: 201, rate: 0.0064 },
    { fromYear: 301, rate: 0.0043 },
  ],
}

/** What each preset name in the file means today. */
export const DISCOUNT_PRESETS = {
  'green-book': GREEN_BOOK_2022_STPR,
  'green-book-health': GREEN_BOOK_2022_HEALTH,
} as const satisfies Record<string, DiscountPreset>

export type DiscountPresetName = keyof typeof DISCOUNT_PRESETS

export type Discount = DiscountPresetName | 'none' | { readonly rate: number } | { readonly schedule: readonly RateBand[] }

/** The rate bands a discount setting stands for; an empty list means no discounting. */
export function rateBands(discount: Discount): readonly RateBand[] {
  if (discount === 'none') return []
  if (typeof discount === 'string') return DISCOUNT_PRESETS[discount].bands
  if ('rate' in discount) return [{ fromYear: 1, rate: discount.rate }]
  return discount.schedule
}

/**
 * DF(0) = 1 and DF(t) = DF(t-1) / (1 + r(t)), where r(t) is the rate of the last band whose
 * `fromYear` <= t. Years before the first band are not discounted (rate 0).
 * Returns DF(0) .. DF(years - 1).
 */
export function discountFactors(discount: Discount, years: number): number[] {
  const bands = rateBands(discount)
  const factors: number[] = []
  let factor = 1
  let band = -1
  for (let t = 0; t < years; t++) {
    while (band + 1 < bands.length && (bands[band + 1]?.fromYear ?? Infinity) <= t) band++
    if (t > 0) factor /= 1 + (bands[band]?.rate ?? 0)
    factors.push(factor)
  }
  return factors
}

/**
 * The first year index that no band covers, when a custom schedule starts after year 1, so the
 * results can say those years were not discounted. Null when every year from 1 is covered.
 */
export function undiscountedYears(discount: Discount, years: number): { from: number; to: number } | null {
  if (discount === 'none' || typeof discount === 'string' || 'rate' in discount) return null
  const first = discount.schedule[0]?.fromYear ?? Infinity
  if (first <= 1 || years <= 1) return null
  return { from: 1, to: Math.min(first, years) - 1 }
}
