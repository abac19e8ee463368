import { ErrorSummary, fieldId, TextField, type FieldErrors, type FormValues } from '../components/form.js'
import { formatFactor, formatMoney, formatPercent } from '../../src/format.js'

export interface RealPricesAnswer {
  nominal: number
  /** Fraction, such as 0.02. */
  inflation: number
  year: number
  real: number
  /** (1 + inflation)^(year − base year). */
  divisor: number
}

export interface RealPricesProps {
  action: string
  baseYear: number
  currency: string
  values: FormValues
  errors: FieldErrors
  answer: RealPricesAnswer | null
}

/** The nominal-to-real helper: a question, never saved. The cost pages and its own page share it. */
export function RealPricesHelper(props: RealPricesProps) {
  const { answer, baseYear, currency } = props
  const prefix = 'real'
  const ids = Object.fromEntries(Object.keys(props.errors).map((name) => [name, fieldId(name, prefix)]))
  return (
    <section id="real-prices" class="helper" aria-labelledby="real-prices-title">
      <h2 id="real-prices-title">Convert a nominal figure to real {baseYear} prices</h2>
      <p class="hint">
        Enter every amount in real {baseYear} prices. A quote in the money of a later year includes inflation: real = nominal ÷ (1 + inflation)
        <sup>years after {baseYear}</sup>. Contract indexation above inflation is real growth: enter it on the line instead.
      </p>
      <form method="get" action={props.action} hx-get={props.action} hx-target="#real-prices" hx-swap="outerHTML" novalidate>
        <ErrorSummary errors={props.errors} fieldIds={ids} />
        <div class="inline-fields">
          <TextField
            name="nominal"
            label={`Nominal amount (${currency})`}
            value={props.values.nominal}
            error={props.errors.nominal}
            idPrefix={prefix}
            width="half"
            hint="As quoted, such as £1,200,000"
          />
          <TextField
            name="year"
            label="Prices of year"
            value={props.values.year}
            error={props.errors.year}
            idPrefix={prefix}
            width="short"
            hint="The calendar year the figure is priced in"
          />
          <TextField
            name="inflation"
            label="Inflation a year, %"
            value={props.values.inflation}
            error={props.errors.inflation}
            idPrefix={prefix}
            width="short"
            hint="Such as the GDP deflator: 2 means 2%"
          />
        </div>
        <button class="button button--secondary" type="submit">
          Convert to real prices
        </button>
      </form>
      {answer !== null && (
        <p class="helper__answer" role="status" id="real-prices-answer">
          {formatMoney(answer.nominal, currency)} in {answer.year} prices is <strong>{formatMoney(answer.real, currency)}</strong> in real {baseYear} prices at{' '}
          {formatPercent(answer.inflation)} inflation a year.{' '}
          <span class="hint">
            That is the nominal figure ÷ {formatFactor(answer.divisor)}, which is (1 + {formatPercent(answer.inflation)})<sup>{answer.year - baseYear}</sup>.
          </span>
        </p>
      )}
    </section>
  )
}
