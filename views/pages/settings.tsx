import { OPTIMISM_BIAS_PRESET_IDS, OPTIMISM_BIAS_PRESETS, type OptimismBiasPreset, type UpliftBounds } from '../../src/appraisal/index.js'
import type { Evaluation } from '../../src/db/schema.js'
import { ErrorSummary, Select, TextArea, TextField, type FieldErrors, type FormValues } from '../components/form.js'
import { PlanReasonField } from '../components/plan-reason.js'
import { Layout } from '../layout.js'
import { useMay } from '../../src/auth/viewer.js'

export interface SettingsPageProps {
  evaluation: Evaluation
  values: FormValues
  errors: FieldErrors
  /** Shown after a save: the settings took effect. */
  saved: boolean
  /** How many cost and benefit lines the evaluation has, to say what a change of period does. */
  lineCount: number
}

export const discountChoices = [
  { value: 'green-book', label: 'Green Book: 3.5% for years 1–30, then declining (standard)' },
  { value: 'green-book-health', label: 'Green Book health: 1.5% for years 1–30, then declining' },
  { value: 'none', label: 'None: do not discount' },
  { value: 'rate', label: 'One rate for every year' },
  { value: 'schedule', label: 'A schedule of rates' },
]

const boundsWords = (what: string, bounds: UpliftBounds | undefined) =>
  bounds === undefined ? [] : [`${what} ${Number((bounds.lower * 100).toFixed(4))}% to ${Number((bounds.upper * 100).toFixed(4))}%`]

/** Each project type of the Green Book supplementary guidance, with the bounds it gives. */
export const optimismBiasChoices = [
  { value: '', label: 'None: I enter the figures myself' },
  ...OPTIMISM_BIAS_PRESET_IDS.map((id) => {
    const preset: OptimismBiasPreset = OPTIMISM_BIAS_PRESETS[id]
    const bounds = [...boundsWords('capital', preset.capital), ...boundsWords('operating', preset.operating)]
    return { value: id, label: `${preset.name}: ${bounds.join(', ')}` }
  }),
]

/** The appraisal settings: how money is compared across years and options, and how cost weighs against quality. */
export function SettingsPage({ evaluation, values, errors, saved, lineCount }: SettingsPageProps) {
  // Once the evaluation is finalised, the settings are part of its record: shown, not offered for change.
  const mayChange = useMay()('POST /evaluations/:id/settings')
  const fields = (
    <>
      <fieldset class="fieldset">
        <legend class="fieldset__legend">Prices and period</legend>
        <TextField
          name="baseYear"
          label="Base year"
          width="short"
          value={values.baseYear}
          error={errors.baseYear}
          hint="The calendar year of year 0. Enter every amount in this year’s prices (real terms); the cost pages have a helper to convert a figure quoted in later years’ money. Lines keep their place from year 0 if this changes."
        />
        <TextField
          name="years"
          label="Appraisal period, in years"
          width="short"
          value={values.years}
          error={errors.years}
          hint={`How many years are counted, from the base year: 10 covers a typical contract and a hardware refresh. A line’s years beyond the period are left out, with a warning${lineCount > 0 ? ` (the evaluation has ${lineCount} ${lineCount === 1 ? 'line' : 'lines'})` : ''}.`}
        />
        <TextField
          name="currency"
          label="Currency"
          width="short"
          value={values.currency}
          error={errors.currency}
          hint="The three-letter code every amount is in, such as GBP or EUR. It changes how figures are shown, not the figures."
        />
      </fieldset>

      <fieldset class="fieldset">
        <legend class="fieldset__legend">Discounting</legend>
        <Select
          name="discount"
          label="Discount rate"
          value={values.discount}
          error={errors.discount}
          options={discountChoices}
          hint="A pound later is worth less to society than a pound now, so later years count for less. Use the Green Book standard rate unless your organisation says otherwise; the health rate is for health effects. Year 0 is never discounted."
        />
        <TextField
          name="discountRate"
          label="One rate, % a year"
          width="short"
          value={values.discountRate}
          error={errors.discountRate}
          hint="Only with ‘One rate for every year’. A percentage: 3.5 means 3.5% (stored as 0.035)."
        />
        <TextArea
          name="discountSchedule"
          label="Schedule of rates"
          value={values.discountSchedule}
          error={errors.discountSchedule}
          rows={3}
          hint="Only with ‘A schedule of rates’. One band a line: the year it starts (year 1 is the year after the base year), a colon and the rate in percent, such as ‘1: 3.5’ then ‘31: 3’. Years before the first band are not discounted."
        />
      </fieldset>

      <fieldset class="fieldset">
        <legend class="fieldset__legend">Optimism bias</legend>
        <p class="hint">
          Estimates of cost are systematically too low; optimism bias raises them. These defaults apply to every cost line that does not set its own, as
          percentages: 20 means a cost is raised by 20% (stored as 0.2). Choose the project type from the Green Book supplementary guidance to start from a
          stated figure: leave a figure blank to take its upper bound, and reduce it within its bounds only as specific risks are managed and evidenced, saying
          which below. It is not contingency.
        </p>
        <Select
          name="optimismBiasPreset"
          label="Project type (starting point)"
          value={values.optimismBiasPreset}
          error={errors.optimismBiasPreset}
          options={optimismBiasChoices}
          hint="For IT, equipment and development. The guidance gives no operating figure for it: enter one, or use outsourcing’s bounds as a guide for a service bought in."
        />
        <div class="inline-fields">
          <TextField
            name="optimismBiasCapital"
            label="Capital lines, %"
            width="short"
            value={values.optimismBiasCapital}
            error={errors.optimismBiasCapital}
            hint="One-off investment"
          />
          <TextField
            name="optimismBiasOperating"
            label="Operating lines, %"
            width="short"
            value={values.optimismBiasOperating}
            error={errors.optimismBiasOperating}
            hint="Running costs"
          />
        </div>
        <TextArea
          name="optimismBiasNote"
          label="Reasons for these figures (optional)"
          value={values.optimismBiasNote}
          error={errors.optimismBiasNote}
          rows={3}
          hint="Which risks are managed, and the evidence, where a figure is below the upper bound. Printed in the report."
        />
      </fieldset>

      <fieldset class="fieldset">
        <legend class="fieldset__legend">Quality and cost in the total score</legend>
        <p class="hint">
          Relative weights: 60 and 40 mean quality counts for 60% of the total score and the price score for 40%. Set cost to 0 to rank on quality alone.
        </p>
        <div class="inline-fields">
          <TextField name="splitQuality" label="Quality" width="short" value={values.splitQuality} error={errors.splitQuality} />
          <TextField name="splitCost" label="Cost" width="short" value={values.splitCost} error={errors.splitCost} />
        </div>
        <Select
          name="priceFormula"
          label="Price score"
          value={values.priceFormula}
          error={errors.priceFormula}
          options={[
            { value: 'relative-to-lowest', label: 'Relative to the lowest cost' },
            { value: 'price-per-quality-point', label: 'Cost per quality point' },
          ]}
          hint="Relative to the lowest: 100 × the lowest present value of cost ÷ this option’s. Common, but an outlying low bid distorts the others, and adding or removing an option can reorder the rest. Cost per quality point: present value of cost ÷ quality, lowest best. Quality is already inside it, so it is often used with all the weight on cost, and that ranking cannot be reordered by adding or removing an option. The sensitivity page compares both. Publish the choice before bids are scored."
        />
        <TextArea
          name="priceBasis"
          label="Basis of the evaluated price (optional)"
          hint="What the evaluated price covers, as published to the suppliers: it is printed in each assessment summary and in the open data."
          value={values.priceBasis}
          error={errors.priceBasis}
          rows={3}
        />
      </fieldset>
    </>
  )
  return (
    <Layout
      title={`Appraisal settings – ${evaluation.title}`}
      crumbs={[
        { href: '/evaluations', label: 'Evaluations' },
        { href: `/evaluations/${evaluation.id}`, label: evaluation.title },
      ]}>
      <span class="caption">{evaluation.title}</span>
      <h1>Appraisal settings</h1>
      {saved && (
        <div class="notice notice--success" role="status" id="saved">
          The settings are saved. Every figure is worked out again from them.
        </div>
      )}
      <p>
        How every option’s money is compared: the prices and years it is counted in, how later years are discounted, the uplift for optimism bias, and how much
        cost counts against quality in the total score.{' '}
        {mayChange
          ? 'Changing a setting changes the results at once.'
          : 'The evaluation is finalised: these are the settings its final report used, and they change only once the lead reopens it.'}
      </p>
      <ErrorSummary errors={errors} />
      {mayChange ? (
        <form method="post" action={`/evaluations/${evaluation.id}/settings`} novalidate>
          {fields}
          <PlanReasonField evaluation={evaluation} values={values} errors={errors} />
          <button class="button" type="submit">
            Save settings
          </button>
        </form>
      ) : (
        <fieldset class="fieldset" disabled>
          <legend class="visually-hidden">The settings, as they stand</legend>
          {fields}
        </fieldset>
      )}
    </Layout>
  )
}
