import type { Kysely } from 'kysely'
import { recordedChange, type Actor, type Change } from './audit.js'
import type { DiscountSetting, OptimismBiasPresetId, PriceFormula } from '../appraisal/index.js'
import type { Database } from './schema.js'

/** The evaluation's appraisal settings, as the file's `appraisal`, `split`, `priceFormula`, `priceBasis` and `currency` hold them. */
export interface AppraisalSettings {
  currency: string
  baseYear: number
  years: number
  discount: DiscountSetting
  optimismBias: { capital: number; operating: number; preset?: OptimismBiasPresetId; note?: string }
  split: { quality: number; cost: number }
  priceFormula: PriceFormula
  /** What the evaluated price covers, as published; null when not stated. */
  priceBasis: string | null
}

async function updateAppraisalSettings(db: Change, evaluationId: number, settings: AppraisalSettings): Promise<void> {
  await db
    .updateTable('evaluation')
    .set({
      currency: settings.currency,
      base_year: settings.baseYear,
      years: settings.years,
      discount: JSON.stringify(settings.discount),
      optimism_bias_capital: settings.optimismBias.capital,
      optimism_bias_operating: settings.optimismBias.operating,
      optimism_bias_preset: settings.optimismBias.preset ?? null,
      optimism_bias_note: settings.optimismBias.note ?? null,
      split_quality: settings.split.quality,
      split_cost: settings.split.cost,
      price_formula: settings.priceFormula,
      price_basis: settings.priceBasis,
    })
    .where('id', '=', evaluationId)
    .execute()
}

export function saveAppraisalSettings(
  db: Kysely<Database>,
  actor: Actor,
  evaluationId: number,
  settings: AppraisalSettings,
  planReason: string | null = null,
): Promise<void> {
  const request = { evaluationId, actor, kind: 'settings', summary: 'Appraisal settings edited', reach: { tables: ['evaluation'] }, planReason } as const
  return recordedChange(db, request, (trx) => updateAppraisalSettings(trx, evaluationId, settings))
}
