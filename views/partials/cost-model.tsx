import type { EvaluationFile, OptionResult } from '../../src/appraisal/index.js'
import { useMay } from '../../src/auth/viewer.js'
import { tenderMaterialOpen } from '../../src/db/plan-rules.js'
import { benefitCategories, costCategories, sunkCostCategories } from '../../src/cost-categories.js'
import type { Evaluation, MoneyLine, Option, SunkCost } from '../../src/db/schema.js'
import { fieldsOf, isYes, type AnyField, type FieldWordsContext } from '../../src/money-line-fields.js'
import { Checkbox, ErrorSummary, fieldId, Select, TextArea, TextField, type FieldErrors, type FormValues } from '../components/form.js'
import { formatFactor, formatMoney, formatPercent } from '../../src/format.js'

/** What the engine makes of one line: its total over the period and its present value. */
export interface LineFigures {
  undiscounted: number
  presentValue: number
  /** The optimism bias the engine applied: the line's own or the appraisal's default (0 for benefits). */
  optimismBias: number
  /** A warning about the line, in words (years outside the period), if any. */
  warning: string | null
}

export interface LineForm {
  values: FormValues
  errors: FieldErrors
}

export interface CostModelProps {
  evaluation: Evaluation
  option: Option
  file: EvaluationFile
  /** The engine's results for this option. */
  result: OptionResult
  /** Σ of the option's yearly benefits before discounting. */
  benefitTotal: number
  lines: MoneyLine[]
  lineFigures: Map<number, LineFigures>
  sunkCosts: SunkCost[]
  forms: { cost: LineForm; benefit: LineForm; sunk: LineForm }
  /** A line or sunk cost being edited in place, with what was typed and any problems. */
  editing: { target: 'line' | 'sunk'; id: number; values: FormValues; errors: FieldErrors } | null
}

export function costPageUrl(evaluation: Evaluation, option: Option): string {
  return `/evaluations/${evaluation.id}/costs/${option.id}`
}

function yearsText(baseYear: number, from: number, to: number): string {
  return from === to ? String(baseYear + from) : `${baseYear + from}–${baseYear + to}`
}

/** The id each field gets with a prefix, so one error summary can link to the field. */
function fieldIds(prefix: string, errors: FieldErrors): Record<string, string> {
  return Object.fromEntries(Object.keys(errors).map((name) => [name, fieldId(name, prefix)]))
}

export function CategoryLists() {
  return (
    <>
      {(
        [
          ['cost-categories', costCategories],
          ['benefit-categories', benefitCategories],
          ['sunk-cost-categories', sunkCostCategories],
        ] as const
      ).map(([id, list]) => (
        <datalist id={id}>
          {list.map((c) => (
            <option value={c.value}>{c.label}</option>
          ))}
        </datalist>
      ))}
    </>
  )
}

/** One field of a line's form, as the field table describes it (src/money-line-fields.ts). */
function LineField(props: {
  field: AnyField
  ctx: FieldWordsContext
  values: FormValues
  errors: FieldErrors
  prefix: string
  autofocus?: boolean | undefined
}) {
  const { field, ctx, values, errors, prefix } = props
  const { name } = field.form
  const label = field.form.label(ctx)
  const hint = field.form.hint?.(ctx)
  switch (field.form.control) {
    case 'textarea':
      return <TextArea name={name} label={label} value={values[name]} error={errors[name]} idPrefix={prefix} rows={2} hint={hint} />
    case 'select':
      return (
        <Select
          name={name}
          label={label}
          value={values[name] ?? field.form.choices?.[0]?.value}
          error={errors[name]}
          idPrefix={prefix}
          hint={hint}
          options={[...(field.form.choices ?? [])]}
        />
      )
    case 'checkbox':
      // The hidden "no" goes when the box is unticked; ticked, the box's value comes after it and counts.
      return (
        <>
          <input type="hidden" name={name} value="no" />
          <Checkbox name={name} label={label} checked={isYes(values[name])} error={errors[name]} idPrefix={prefix} hint={hint} />
        </>
      )
    default:
      return (
        <TextField
          name={name}
          label={label}
          value={values[name]}
          error={errors[name]}
          idPrefix={prefix}
          hint={hint}
          width={field.form.width}
          list={field.form.list?.(ctx)}
          autofocus={props.autofocus}
        />
      )
  }
}

/** The fields of a line of a kind, in the table's order: the add forms, the edit-in-place row and the edit pages share them. */
function LineFieldList(props: {
  kind: 'cost' | 'benefit' | 'sunk'
  file: Pick<EvaluationFile, 'currency' | 'appraisal'>
  values: FormValues
  errors: FieldErrors
  prefix: string
  autofocus?: boolean | undefined
}) {
  const { baseYear, years, optimismBias } = props.file.appraisal
  const ctx: FieldWordsContext = {
    kind: props.kind,
    baseYear,
    lastYear: baseYear + years - 1,
    currency: props.file.currency,
    optimismBias,
    percent: (f) => formatPercent(f, 0),
  }
  return (
    <div class="line-fields">
      {fieldsOf(props.kind).map((field, i) => {
        const control = (
          <LineField
            field={field}
            ctx={ctx}
            values={props.values}
            errors={props.errors}
            prefix={props.prefix}
            autofocus={i === 0 ? props.autofocus : undefined}
          />
        )
        return field.form.wide === true ? <div class="line-fields__wide">{control}</div> : control
      })}
    </div>
  )
}

export function MoneyLineFields(props: {
  kind: 'cost' | 'benefit'
  file: EvaluationFile
  values: FormValues
  errors: FieldErrors
  prefix: string
  autofocus?: boolean
}) {
  return <LineFieldList {...props} />
}

export function SunkCostFields(props: { values: FormValues; errors: FieldErrors; prefix: string; currency: string; autofocus?: boolean }) {
  // A sunk cost's words need no appraisal settings.
  const file = { currency: props.currency, appraisal: { baseYear: 0, years: 1, optimismBias: { capital: 0, operating: 0 } } } as Pick<
    EvaluationFile,
    'currency' | 'appraisal'
  >
  return <LineFieldList kind="sunk" file={file} values={props.values} errors={props.errors} prefix={props.prefix} autofocus={props.autofocus} />
}

function htmx(url: string, method: 'get' | 'post' = 'post') {
  return method === 'get'
    ? { 'hx-get': url, 'hx-target': '#cost-model', 'hx-swap': 'outerHTML' }
    : { 'hx-post': url, 'hx-target': '#cost-model', 'hx-swap': 'outerHTML' }
}

function LineTable(props: CostModelProps & { kind: 'cost' | 'benefit'; canEdit: boolean }) {
  const { kind, file, result, evaluation, option, canEdit } = props
  const base = costPageUrl(evaluation, option)
  const lines = props.lines.filter((l) => l.kind === kind)
  const { baseYear } = file.appraisal
  const currency = file.currency
  const columns = (kind === 'cost' ? 9 : 7) + (canEdit ? 1 : 0)
  const noun = kind === 'cost' ? 'cost line' : 'benefit line'
  if (lines.length === 0) return <p class="hint">No {noun}s yet.</p>
  return (
    <div class="table-scroll">
      <table class="table line-table" id={`${kind}-lines`}>
        <caption class="visually-hidden">
          {kind === 'cost' ? 'Cost lines' : 'Benefit lines'} of {option.name}
        </caption>
        <thead>
          <tr>
            <th scope="col">Line</th>
            {kind === 'cost' && <th scope="col">Type</th>}
            <th scope="col" class="numeric">
              A year
            </th>
            <th scope="col">Years</th>
            <th scope="col" class="numeric">
              Real growth
            </th>
            {kind === 'cost' && (
              <th scope="col" class="numeric">
                Optimism bias
              </th>
            )}
            <th scope="col" class="numeric">
              Range
            </th>
            <th scope="col" class="numeric">
              Total{kind === 'cost' ? ' with bias' : ''}
            </th>
            <th scope="col" class="numeric">
              Present value
            </th>
            {canEdit && (
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {lines.map((line) => {
            const editing = props.editing?.target === 'line' && props.editing.id === line.id ? props.editing : null
            if (editing !== null) {
              const prefix = `edit-${line.id}`
              return (
                <tr id={`line-${line.id}`} class="editing-row">
                  <td colspan={columns}>
                    <form method="post" action={`${base}/lines/${line.id}`} {...htmx(`${base}/lines/${line.id}`)} novalidate>
                      <h3 class="editing-row__title">Edit ‘{line.label}’</h3>
                      <ErrorSummary errors={editing.errors} fieldIds={fieldIds(prefix, editing.errors)} />
                      <MoneyLineFields
                        kind={kind}
                        file={file}
                        values={editing.values}
                        errors={editing.errors}
                        prefix={prefix}
                        autofocus={Object.keys(editing.errors).length === 0}
                      />
                      <button class="button" type="submit">
                        Save {noun}
                      </button>{' '}
                      <a href={base} {...htmx(base, 'get')} class="cancel-link">
                        Cancel
                      </a>
                    </form>
                  </td>
                </tr>
              )
            }
            const figures = props.lineFigures.get(line.id)
            return (
              <tr id={`line-${line.id}`}>
                <th scope="row">
                  {line.label}
                  {line.category !== null && <span class="tag tag--group">{line.category}</span>}
                  {line.notes !== null && <div class="hint line-notes">{line.notes}</div>}
                  {figures?.warning != null && <p class="error-message line-warning">{figures.warning}</p>}
                </th>
                {kind === 'cost' && <td>{line.capital === 1 ? 'Capital' : 'Operating'}</td>}
                <td class="numeric">{formatMoney(line.amount, currency)}</td>
                <td>{yearsText(baseYear, line.from_year, line.to_year)}</td>
                <td class="numeric">{line.growth === 0 ? '–' : formatPercent(line.growth)}</td>
                {kind === 'cost' && (
                  <td class="numeric">
                    {figures === undefined ? '–' : formatPercent(figures.optimismBias, 0)}
                    {line.optimism_bias === null && <span class="hint"> default</span>}
                  </td>
                )}
                <td class="numeric">{line.range_low === null || line.range_high === null ? '–' : `${line.range_low}–${line.range_high}`}</td>
                <td class="numeric">{figures === undefined ? '–' : formatMoney(figures.undiscounted, currency)}</td>
                <td class="numeric">{figures === undefined ? '–' : formatMoney(figures.presentValue, currency)}</td>
                {canEdit && (
                  <td class="actions">
                    <a href={`${base}/lines/${line.id}/edit`} {...htmx(`${base}/lines/${line.id}/edit`, 'get')}>
                      Edit<span class="visually-hidden"> {line.label}</span>
                    </a>
                    <a href={`${base}/lines/${line.id}/delete`} {...htmx(`${base}/lines/${line.id}/delete`)} hx-confirm={`Remove the ${noun} ‘${line.label}’?`}>
                      Remove<span class="visually-hidden"> {line.label}</span>
                    </a>
                  </td>
                )}
              </tr>
            )
          })}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colspan={kind === 'cost' ? 7 : 5}>
              Total over the appraisal period
            </th>
            <td class="numeric">{formatMoney(kind === 'cost' ? result.undiscountedCost : props.benefitTotal, currency)}</td>
            <td class="numeric">{formatMoney(kind === 'cost' ? result.pvCost : result.pvBenefit, currency)}</td>
            {canEdit && <td></td>}
          </tr>
        </tfoot>
      </table>
    </div>
  )
}

function AddLineForm(props: { kind: 'cost' | 'benefit' | 'sunk'; base: string; form: LineForm; file: EvaluationFile }) {
  const { kind, form } = props
  const prefix = `add-${kind}`
  const action = kind === 'sunk' ? `${props.base}/sunk` : `${props.base}/lines`
  const failed = Object.keys(form.errors).length > 0
  const title = kind === 'cost' ? 'Add a cost line' : kind === 'benefit' ? 'Add a benefit line' : 'Add a sunk cost'
  return (
    <details class="add-line" id={`${prefix}`} open={failed}>
      <summary class="add-line__summary">{title}</summary>
      {/* Without JavaScript the page comes back at the form, problems and all. */}
      <form method="post" action={`${action}#${prefix}`} {...htmx(action)} novalidate>
        <ErrorSummary errors={form.errors} fieldIds={fieldIds(prefix, form.errors)} />
        {kind === 'sunk' ? (
          <SunkCostFields values={form.values} errors={form.errors} prefix={prefix} currency={props.file.currency} />
        ) : (
          <>
            <input type="hidden" name="kind" value={kind} />
            <MoneyLineFields kind={kind} file={props.file} values={form.values} errors={form.errors} prefix={prefix} />
          </>
        )}
        <button class="button" type="submit">
          {title}
        </button>
      </form>
    </details>
  )
}

function SunkCostTable(props: CostModelProps & { canEdit: boolean }) {
  const { evaluation, option, file, canEdit } = props
  const base = costPageUrl(evaluation, option)
  if (props.sunkCosts.length === 0) return <p class="hint">No sunk costs recorded.</p>
  return (
    <table class="table line-table" id="sunk-costs">
      <caption class="visually-hidden">Sunk costs of {option.name}: excluded from the appraisal</caption>
      <thead>
        <tr>
          <th scope="col">Sunk cost</th>
          <th scope="col" class="numeric">
            Amount
          </th>
          {canEdit && (
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {props.sunkCosts.map((sunk) => {
          if (props.editing?.target === 'sunk' && props.editing.id === sunk.id) {
            const prefix = `edit-sunk-${sunk.id}`
            return (
              <tr id={`sunk-${sunk.id}`} class="editing-row">
                <td colspan={canEdit ? 3 : 2}>
                  <form method="post" action={`${base}/sunk/${sunk.id}`} {...htmx(`${base}/sunk/${sunk.id}`)} novalidate>
                    <h3 class="editing-row__title">Edit ‘{sunk.label}’</h3>
                    <ErrorSummary errors={props.editing.errors} fieldIds={fieldIds(prefix, props.editing.errors)} />
                    <SunkCostFields
                      values={props.editing.values}
                      errors={props.editing.errors}
                      prefix={prefix}
                      currency={file.currency}
                      autofocus={Object.keys(props.editing.errors).length === 0}
                    />
                    <button class="button" type="submit">
                      Save sunk cost
                    </button>{' '}
                    <a href={base} {...htmx(base, 'get')} class="cancel-link">
                      Cancel
                    </a>
                  </form>
                </td>
              </tr>
            )
          }
          return (
            <tr id={`sunk-${sunk.id}`}>
              <th scope="row">
                {sunk.label}
                {sunk.category !== null && <span class="tag tag--group">{sunk.category}</span>}
                {sunk.notes !== null && <div class="hint line-notes">{sunk.notes}</div>}
              </th>
              <td class="numeric">{formatMoney(sunk.amount, file.currency)}</td>
              {canEdit && (
                <td class="actions">
                  <a href={`${base}/sunk/${sunk.id}/edit`} {...htmx(`${base}/sunk/${sunk.id}/edit`, 'get')}>
                    Edit<span class="visually-hidden"> {sunk.label}</span>
                  </a>
                  <a href={`${base}/sunk/${sunk.id}/delete`} {...htmx(`${base}/sunk/${sunk.id}/delete`)} hx-confirm={`Remove the sunk cost ‘${sunk.label}’?`}>
                    Remove<span class="visually-hidden"> {sunk.label}</span>
                  </a>
                </td>
              )}
            </tr>
          )
        })}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">Total sunk cost (excluded)</th>
          <td class="numeric">{formatMoney(props.result.sunkCost, file.currency)}</td>
          {canEdit && <td></td>}
        </tr>
      </tfoot>
    </table>
  )
}

/** The year-by-year table, as the spreadsheet it replaces laid it out, with the engine's figures. */
export function YearTable({ result, currency, benefitTotal, csvUrl }: { result: OptionResult; currency: string; benefitTotal: number; csvUrl: string }) {
  return (
    <>
      <div class="table-scroll">
        <table class="table year-table" id="year-table">
          <caption class="visually-hidden">Year by year: cost, discount factor and present value of {result.name}</caption>
          <thead>
            <tr>
              <th scope="col">Year</th>
              <th scope="col" class="numeric">
                Cost
              </th>
              <th scope="col" class="numeric">
                Discount factor
              </th>
              <th scope="col" class="numeric">
                PV of cost
              </th>
              <th scope="col" class="numeric">
                Benefit
              </th>
              <th scope="col" class="numeric">
                PV of benefit
              </th>
            </tr>
          </thead>
          <tbody>
            {result.years.map((y) => (
              <tr>
                <th scope="row">
                  {y.calendarYear} <span class="hint">(year {y.year})</span>
                </th>
                <td class="numeric">{formatMoney(y.cost, currency)}</td>
                <td class="numeric">{formatFactor(y.discountFactor)}</td>
                <td class="numeric">{formatMoney(y.pvCost, currency)}</td>
                <td class="numeric">{formatMoney(y.benefit, currency)}</td>
                <td class="numeric">{formatMoney(y.pvBenefit, currency)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              <td class="numeric">{formatMoney(result.undiscountedCost, currency)}</td>
              <td></td>
              <td class="numeric">{formatMoney(result.pvCost, currency)}</td>
              <td class="numeric">{formatMoney(benefitTotal, currency)}</td>
              <td class="numeric">{formatMoney(result.pvBenefit, currency)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
      <p>
        <a href={csvUrl} download>
          Download this table (CSV)
        </a>{' '}
        <span class="hint">— figures at full precision, for a spreadsheet.</span>
      </p>
    </>
  )
}

/** An option's cost model: figures, lines, sunk costs and the year-by-year table. The page and htmx share it. */
export function CostModel(props: CostModelProps) {
  const { evaluation, option, file, result } = props
  const currency = file.currency
  const base = costPageUrl(evaluation, option)
  // A tender's lines wait for the plan's approval, like the rest of its material.
  const canEdit = useMay()('POST /evaluations/:id/costs/:optionId/lines') && tenderMaterialOpen(evaluation, option)
  return (
    <div id="cost-model">
      <div class="key-figures" id="cost-figures">
        <div class="key-figure">
          Present value of cost<strong>{formatMoney(result.pvCost, currency)}</strong>
          <span>{formatMoney(result.undiscountedCost, currency)} before discounting</span>
        </div>
        <div class="key-figure">
          Present value of benefit<strong>{formatMoney(result.pvBenefit, currency)}</strong>
        </div>
        <div class="key-figure">
          Equivalent annual cost<strong>{formatMoney(result.eac, currency)}</strong>
          <span>a year over {file.appraisal.years} years</span>
        </div>
        <div class="key-figure key-figure--muted">
          Sunk cost (excluded)<strong>{formatMoney(result.sunkCost, currency)}</strong>
          <span>already spent: not in these figures</span>
        </div>
      </div>

      <h2 id="costs">Cost lines</h2>
      <LineTable {...props} kind="cost" canEdit={canEdit} />
      {canEdit && <AddLineForm kind="cost" base={base} form={props.forms.cost} file={file} />}

      <h2 id="benefits">Benefit lines</h2>
      <p class="hint">Benefits this option brings (such as staff time released), in the same real prices. No optimism bias applies.</p>
      <LineTable {...props} kind="benefit" canEdit={canEdit} />
      {canEdit && <AddLineForm kind="benefit" base={base} form={props.forms.benefit} file={file} />}

      <h2 id="sunk">Sunk costs: excluded from the appraisal</h2>
      <p class="hint">
        Money already spent, which no choice can recover. It is recorded and reported, and never counted in the present value, NPSV, BCR or price score (Green
        Book).
      </p>
      <SunkCostTable {...props} canEdit={canEdit} />
      {canEdit && <AddLineForm kind="sunk" base={base} form={props.forms.sunk} file={file} />}

      <h2 id="years">Year by year</h2>
      <p class="hint">
        Real {file.appraisal.baseYear} prices, with optimism bias, discounted from year 0. Each year’s present value = its cost × its discount factor.
      </p>
      <YearTable result={result} currency={currency} benefitTotal={props.benefitTotal} csvUrl={`${base}/years.csv`} />
    </div>
  )
}
