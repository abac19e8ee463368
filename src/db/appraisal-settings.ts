import type { Change } from './audit.js'
import type { DiscountSetting, PriceFormula } from '../appraisal/index.js'

/** The evaluation's appraisal settings, as the file's `appraisal`, `split`, `priceFormula` and `currency` hold them. */
export interface AppraisalSettings {
  currency: string
  baseYear: number
  years: number
  discount: DiscountSetting
  optimismBias: { capital: number; operating: number }
  split: { quality: number; cost: number }
  priceFormula: PriceFormula
}

export async function updateAppraisalSettings(db: Change, evaluationId: number, settings: AppraisalSettings): Promise<void> {
  await db
    .updateTable('evaluation')
    .set({
      currency: settings.currency,
      base_year: settings.baseYear,
      years: settings.years,
      discount: JSON.stringify(settings.discount),
      optimism_bias_capital: settings.optimismBias.capital,
      optimism_bias_operating: settings.optimismBias.operating,
      split_quality: settings.split.quality,
      split_cost: settings.split.cost,
      price_formula: settings.priceFormula,
    })
    .where('id', '=', evaluationId)
    .execute()
}
