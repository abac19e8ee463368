import type { AppraisalResults, EvaluationFile } from '../../src/appraisal/index.js'
import { useMay } from '../../src/auth/viewer.js'
import type { MoneyLineDetails, SunkCostDetails } from '../../src/money-line-fields.js'
import type { Evaluation, Option } from '../../src/db/schema.js'
import { AppraisalWarnings } from '../components/appraisal-warnings.js'
import { TendersClosedNotice } from '../components/plan-reason.js'
import { ErrorMessage, ErrorSummary, fieldId, type FieldErrors, type FormValues } from '../components/form.js'
import { formatMoney, formatPercent, possessive } from '../../src/format.js'
import { Layout } from '../layout.js'
import { CategoryLists, CostModel, costPageUrl, MoneyLineFields, SunkCostFields, type CostModelProps } from '../partials/cost-model.js'
import { RealPricesHelper, type RealPricesProps } from '../partials/real-prices.js'
import { describeDiscount } from './results.js'

function crumbs(evaluation: Evaluation, more: { href: string; label: string }[] = []) {
  return [{ href: '/evaluations', label: 'Evaluations' }, { href: `/evaluations/${evaluation.id}`, label: evaluation.title }, ...more]
}

function costsCrumbs(evaluation: Evaluation, option?: Option) {
  const base = `/evaluations/${evaluation.id}/costs`
  return crumbs(evaluation, [
    { href: base, label: 'Costs and benefits' },
    ...(option === undefined ? [] : [{ href: `${base}/${option.id}`, label: option.name }]),
  ])
}

function SettingsSummary({ evaluation, file }: { evaluation: Evaluation; file: EvaluationFile }) {
  const { baseYear, years, optimismBias } = file.appraisal
  const canChange = useMay()('POST /evaluations/:id/settings')
  return (
    <dl class="summary-list" id="appraisal-settings">
      <div class="summary-list__row">
        <dt>Prices and period</dt>
        <dd>
          Real {baseYear} prices, {years} years ({baseYear}–{baseYear + years - 1}), in {file.currency}
        </dd>
      </div>
      <div class="summary-list__row">
        <dt>Discounting</dt>
        <dd>{describeDiscount(file.appraisal.discount)}</dd>
      </div>
      <div class="summary-list__row">
        <dt>Optimism bias by default</dt>
        <dd>
          {formatPercent(optimismBias.capital, 0)} on capital lines, {formatPercent(optimismBias.operating, 0)} on operating lines
        </dd>
      </div>
      {canChange && (
        <div class="summary-list__row">
          <dt></dt>
          <dd>
            <a href={`/evaluations/${evaluation.id}/settings`}>Change the appraisal settings</a>
          </dd>
        </div>
      )}
    </dl>
  )
}

export interface CostsOverviewProps {
  evaluation: Evaluation
  file: EvaluationFile
  results: AppraisalResults
  options: { option: Option; costs: number; benefits: number; sunk: number }[]
  helper: RealPricesProps
  /** After a CSV import: how many lines it added. */
  imported: number | null
}

/** Every option's whole-life cost at a glance, with the ways in and out (CSV) and the settings behind it. */
export function CostsOverviewPage(props: CostsOverviewProps) {
  const { evaluation, file, results } = props
  const base = `/evaluations/${evaluation.id}/costs`
  const currency = file.currency
  const byKey = new Map(results.options.map((o) => [o.id, o]))
  const may = useMay()
  return (
    <Layout title={`Costs and benefits – ${evaluation.title}`} crumbs={crumbs(evaluation)}>
      <span class="caption">{evaluation.title}</span>
      <h1>Costs and benefits</h1>
      {props.imported !== null && (
        <div class="notice notice--success" role="status" id="imported">
          {props.imported} {props.imported === 1 ? 'line was' : 'lines were'} imported. Every figure below includes them.
        </div>
      )}
      <p>
        Each option’s whole-life cost: the cost and benefit lines over the appraisal period in real prices, with optimism bias, discounted to present values.
        Money already spent (sunk cost) is recorded beside it and kept out of the comparison.
      </p>
      <SettingsSummary evaluation={evaluation} file={file} />
      <AppraisalWarnings warnings={results.warnings.filter((w) => /^(costs|benefits|appraisal)/.test(w))} file={file} />
      {props.options.length === 0 ? (
        <p>
          No options yet. <a href={`/evaluations/${evaluation.id}/options`}>Add the options</a> first.
        </p>
      ) : (
        <table class="table" id="option-costs">
          <caption class="visually-hidden">Whole-life cost of each option</caption>
          <thead>
            <tr>
              <th scope="col">Option</th>
              <th scope="col" class="numeric">
                Lines
              </th>
              <th scope="col" class="numeric">
                Cost before discounting
              </th>
              <th scope="col" class="numeric">
                PV cost
              </th>
              <th scope="col" class="numeric">
                PV benefit
              </th>
              <th scope="col" class="numeric">
                Sunk cost (excluded)
              </th>
            </tr>
          </thead>
          <tbody>
            {props.options.map(({ option, costs, benefits, sunk }) => {
              const result = byKey.get(option.key)
              return (
                <tr data-option={option.key}>
                  <th scope="row">
                    <a href={`${base}/${option.id}`}>{option.name}</a>
                    {option.baseline === 1 && <strong class="tag">Baseline</strong>}
                  </th>
                  <td class="numeric">
                    {costs} {costs === 1 ? 'cost' : 'costs'}, {benefits} {benefits === 1 ? 'benefit' : 'benefits'}
                    {sunk > 0 && `, ${sunk} sunk`}
                  </td>
                  <td class="numeric">{result === undefined ? '–' : formatMoney(result.undiscountedCost, currency)}</td>
                  <td class="numeric">{result === undefined ? '–' : formatMoney(result.pvCost, currency)}</td>
                  <td class="numeric">{result === undefined ? '–' : formatMoney(result.pvBenefit, currency)}</td>
                  <td class="numeric">{result === undefined ? '–' : formatMoney(result.sunkCost, currency)}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}

      <h2 id="csv">Spreadsheets (CSV)</h2>
      <ul class="list">
        {may('POST /evaluations/:id/costs/import') && (
          <li>
            <a href={`${base}/import`}>Import cost, benefit and sunk cost lines from a CSV file or an Excel workbook</a> (you see every line, and every problem,
            before anything is saved)
          </li>
        )}
        <li>
          <a href={`${base}/template.csv`} download>
            Download the CSV template
          </a>
        </li>
        <li>
          <a href={`${base}/lines.csv`} download>
            Download every line as CSV
          </a>{' '}
          (the template’s columns: edit it and import it again)
        </li>
        <li>
          <a href={`${base}/years.csv`} download>
            Download every option’s year-by-year figures as CSV
          </a>
        </li>
        <li>
          <a href={`${base}/workbook.xlsx`} download>
            Download the cost model as an Excel workbook
          </a>{' '}
          (a sheet a year-by-year table for each option, a summary whose totals are formulas, and every line ready to import again)
        </li>
      </ul>
      <RealPricesHelper {...props.helper} />
    </Layout>
  )
}

export interface OptionCostsProps extends CostModelProps {
  options: Option[]
  helper: RealPricesProps
}

export function OptionCostsPage(props: OptionCostsProps) {
  const { evaluation, option, options, file } = props
  const base = `/evaluations/${evaluation.id}/costs`
  return (
    <Layout title={`Costs – ${option.name} – ${evaluation.title}`} crumbs={costsCrumbs(evaluation)}>
      <span class="caption">Costs and benefits</span>
      <h1>
        {option.name}
        {option.baseline === 1 && <strong class="tag">Baseline</strong>}
      </h1>
      {option.tender === 1 && <TendersClosedNotice evaluation={evaluation} />}
      {options.length > 1 && (
        <nav aria-label="Other options" class="option-switcher">
          <span class="hint">Options:</span>
          <ul>
            {options.map((o) => (
              <li>{o.id === option.id ? <strong aria-current="page">{o.name}</strong> : <a href={`${base}/${o.id}`}>{o.name}</a>}</li>
            ))}
          </ul>
        </nav>
      )}
      <p class="hint">
        Real {file.appraisal.baseYear} prices over {file.appraisal.years} years. Discounting: {describeDiscount(file.appraisal.discount)}.
      </p>
      <CategoryLists />
      <CostModel {...props} />
      <RealPricesHelper {...props.helper} />
    </Layout>
  )
}

/** Editing a line on a page of its own: the way without JavaScript. */
export function LineEditPage(props: {
  evaluation: Evaluation
  option: Option
  file: EvaluationFile
  lineId: number
  kind: 'cost' | 'benefit'
  values: FormValues
  errors: FieldErrors
}) {
  const { evaluation, option, kind } = props
  const action = `${costPageUrl(evaluation, option)}/lines/${props.lineId}`
  const prefix = 'line'
  return (
    <Layout title={`Edit ${kind} line – ${option.name}`} crumbs={costsCrumbs(evaluation, option)}>
      <span class="caption">{option.name}</span>
      <h1>Edit {kind} line</h1>
      <ErrorSummary errors={props.errors} fieldIds={Object.fromEntries(Object.keys(props.errors).map((n) => [n, fieldId(n, prefix)]))} />
      <CategoryLists />
      <form method="post" action={action} novalidate>
        <MoneyLineFields kind={kind} file={props.file} values={props.values} errors={props.errors} prefix={prefix} />
        <button class="button" type="submit">
          Save {kind} line
        </button>{' '}
        <a href={costPageUrl(evaluation, option)}>Cancel</a>
      </form>
    </Layout>
  )
}

export function SunkCostEditPage(props: {
  evaluation: Evaluation
  option: Option
  currency: string
  sunkCostId: number
  values: FormValues
  errors: FieldErrors
}) {
  const { evaluation, option } = props
  const prefix = 'sunk'
  return (
    <Layout title={`Edit sunk cost – ${option.name}`} crumbs={costsCrumbs(evaluation, option)}>
      <span class="caption">{option.name}</span>
      <h1>Edit sunk cost</h1>
      <p class="hint">Sunk costs are reported and excluded from the appraisal.</p>
      <ErrorSummary errors={props.errors} fieldIds={Object.fromEntries(Object.keys(props.errors).map((n) => [n, fieldId(n, prefix)]))} />
      <CategoryLists />
      <form method="post" action={`${costPageUrl(evaluation, option)}/sunk/${props.sunkCostId}`} novalidate>
        <SunkCostFields values={props.values} errors={props.errors} prefix={prefix} currency={props.currency} />
        <button class="button" type="submit">
          Save sunk cost
        </button>{' '}
        <a href={costPageUrl(evaluation, option)}>Cancel</a>
      </form>
    </Layout>
  )
}

/** Asks before a line goes, for those without JavaScript (htmx asks with a dialogue). */
export function RemoveLinePage(props: { evaluation: Evaluation; option: Option; what: string; label: string; action: string }) {
  const { evaluation, option } = props
  return (
    <Layout title={`Remove ${props.label}`} crumbs={costsCrumbs(evaluation, option)}>
      <h1>
        Remove the {props.what} ‘{props.label}’?
      </h1>
      <p>It is removed from {possessive(option.name)} cost model and every figure is worked out again. It cannot be undone.</p>
      <form method="post" action={props.action}>
        <button class="button button--warning" type="submit">
          Remove {props.what}
        </button>{' '}
        <a href={costPageUrl(evaluation, option)}>Cancel</a>
      </form>
    </Layout>
  )
}

export interface ImportPreviewLine {
  line: number
  option: Option
  kind: 'cost' | 'benefit' | 'sunk'
  details: MoneyLineDetails | SunkCostDetails
}

export interface CostImportProps {
  evaluation: Evaluation
  file: EvaluationFile
  /** Problems with the upload itself (no file, too large), by field. */
  errors: FieldErrors
  fileName: string | null
  /** The CSV as read, carried to the confirmation so the same text is saved. */
  csv: string | null
  /** Or the workbook, in base64, carried the same way and read again. */
  workbook: string | null
  replace: boolean
  preview: { lines: ImportPreviewLine[]; problems: { line: number; label: string | null; reasons: string[] }[] } | null
  /** With "replace": how many lines each named option has now. */
  replacing: { option: Option; count: number }[]
  /** The columns the import reads, with what each means. */
  columns: readonly { name: string; meaning: string }[]
}

function ImportPreview(props: CostImportProps) {
  const { preview, file, evaluation } = props
  if (preview === null) return null
  const base = `/evaluations/${evaluation.id}/costs`
  const currency = file.currency
  const { baseYear } = file.appraisal
  // A workbook's rows are numbered as Excel shows them; a CSV's lines as a text editor does.
  const Line = props.workbook !== null ? 'Row' : 'Line'
  const line = Line.toLowerCase()
  if (preview.problems.length > 0) {
    const rows = preview.problems.length
    return (
      <div class="error-summary" role="alert" tabindex={-1} aria-labelledby="error-summary-title" id="import-problems">
        <h2 id="error-summary-title" class="error-summary__title">
          {props.fileName ?? 'The file'} was not imported
        </h2>
        <p>
          {rows === 1 ? `1 ${line} has a problem` : `${rows} ${line}s have problems`}. Nothing was saved: correct the file and choose it again.
          {preview.lines.length > 0 && ` The other ${preview.lines.length} ${preview.lines.length === 1 ? 'line is' : 'lines are'} fine.`}
        </p>
        <ul class="error-summary__list import-problems">
          {preview.problems.slice(0, 1000).map((p) => (
            <li>
              {p.label === null ? (
                <strong>
                  {Line} {p.line}:
                </strong>
              ) : (
                <>
                  <strong>
                    {Line} {p.line}
                  </strong>{' '}
                  (‘{p.label}’):
                </>
              )}{' '}
              {p.reasons.join('; ')}
            </li>
          ))}
        </ul>
        {rows > 1000 && <p>…and {rows - 1000} more.</p>}
      </div>
    )
  }
  const count = preview.lines.length
  return (
    <section id="import-preview" aria-labelledby="import-preview-title">
      <h2 id="import-preview-title">
        Check the {count} {count === 1 ? 'line' : 'lines'} before importing
      </h2>
      <p>Nothing has been saved yet.</p>
      <div class="table-scroll">
        <table class="table">
          <caption class="visually-hidden">The lines in the file</caption>
          <thead>
            <tr>
              <th scope="col" class="numeric">
                {props.workbook !== null ? 'Row' : 'File line'}
              </th>
              <th scope="col">Option</th>
              <th scope="col">Type</th>
              <th scope="col">Label</th>
              <th scope="col" class="numeric">
                Amount
              </th>
              <th scope="col">Years</th>
              <th scope="col" class="numeric">
                Growth
              </th>
              <th scope="col" class="numeric">
                Optimism bias
              </th>
              <th scope="col" class="numeric">
                Range
              </th>
            </tr>
          </thead>
          <tbody>
            {preview.lines.map((l) => {
              const money = l.kind === 'sunk' ? null : (l.details as MoneyLineDetails)
              return (
                <tr>
                  <td class="numeric">{l.line}</td>
                  <td>{l.option.name}</td>
                  <td>{l.kind === 'sunk' ? 'Sunk cost (excluded)' : l.kind === 'benefit' ? 'Benefit' : money?.capital ? 'Capital cost' : 'Operating cost'}</td>
                  <th scope="row">{l.details.label}</th>
                  <td class="numeric">{formatMoney(l.details.amount, currency)}</td>
                  <td>
                    {money === null
                      ? '–'
                      : money.fromYear === money.toYear
                        ? baseYear + money.fromYear
                        : `${baseYear + money.fromYear}–${baseYear + money.toYear}`}
                  </td>
                  <td class="numeric">{money === null || money.growth === 0 ? '–' : formatPercent(money.growth)}</td>
                  <td class="numeric">
                    {money === null || money.kind === 'benefit' ? '–' : money.optimismBias === null ? 'default' : formatPercent(money.optimismBias, 0)}
                  </td>
                  <td class="numeric">{money === null || money.rangeLow === null ? '–' : `${money.rangeLow}–${money.rangeHigh}`}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
      {props.replace && props.replacing.length > 0 && (
        <div class="notice notice--warning">
          <p>
            Importing replaces every existing cost, benefit and sunk cost line of{' '}
            {props.replacing.map((r, i) => (
              <>
                {i > 0 && (i === props.replacing.length - 1 ? ' and ' : ', ')}
                {r.option.name} ({r.count} {r.count === 1 ? 'line' : 'lines'})
              </>
            ))}
            .
          </p>
        </div>
      )}
      <form method="post" action={`${base}/import/confirm`}>
        {props.workbook !== null ? <input type="hidden" name="workbook" value={props.workbook} /> : <input type="hidden" name="csv" value={props.csv ?? ''} />}
        {props.fileName !== null && <input type="hidden" name="fileName" value={props.fileName} />}
        {props.replace && <input type="hidden" name="replace" value="on" />}
        <button class="button" type="submit">
          Import {count} {count === 1 ? 'line' : 'lines'}
        </button>{' '}
        <a href={`${base}/import`} class="cancel-link">
          Choose another file
        </a>
      </form>
    </section>
  )
}

export function CostImportPage(props: CostImportProps) {
  const { evaluation } = props
  const base = `/evaluations/${evaluation.id}/costs`
  const hasError = Object.keys(props.errors).length > 0
  return (
    <Layout title={`Import lines from CSV or Excel – ${evaluation.title}`} crumbs={costsCrumbs(evaluation)}>
      <span class="caption">Costs and benefits</span>
      <h1>Import lines from a CSV file or an Excel workbook</h1>
      <ErrorSummary errors={props.errors} fieldIds={{ file: 'f-file', csv: 'f-file' }} />
      <ImportPreview {...props} />
      <p>
        One line per row, for any of the options, with a header row naming the columns.{' '}
        <a href={`${base}/template.csv`} download>
          Download the template
        </a>{' '}
        to start from. An Excel workbook (.xlsx) is read from its sheet named Lines, or else its first sheet; a CSV from Excel is saved as “CSV UTF-8”. £ signs,
        thousands separators and quoted text are fine. If any row has a problem, nothing is imported and every problem is listed with its row (in a workbook, as
        Excel numbers it) or line number.
      </p>
      <details class="data">
        <summary>The columns</summary>
        <dl class="summary-list" id="csv-columns">
          {props.columns.map(({ name, meaning }) => (
            <div class="summary-list__row">
              <dt>
                <code>{name}</code>
              </dt>
              <dd>{meaning}</dd>
            </div>
          ))}
        </dl>
      </details>
      <form method="post" action={`${base}/import`} enctype="multipart/form-data" novalidate>
        <div class={hasError ? 'form-group form-group--error' : 'form-group'}>
          <label class="label" for="f-file">
            CSV file or Excel workbook
          </label>
          <div class="hint" id="f-file-hint">
            A .csv or .xlsx file of at most 2 MB.
          </div>
          <ErrorMessage id="f-file-error" error={props.errors.file} />
          <input
            class="input"
            id="f-file"
            name="file"
            type="file"
            accept=".csv,text/csv,.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            aria-describedby={props.errors.file !== undefined ? 'f-file-hint f-file-error' : 'f-file-hint'}
          />
        </div>
        <div class="form-group checkbox">
          <input class="checkbox__input" id="f-replace" name="replace" type="checkbox" value="on" checked={props.replace} aria-describedby="f-replace-hint" />
          <label class="label checkbox__label" for="f-replace">
            Replace the existing lines of the options in the file
          </label>
          <div class="hint checkbox__hint" id="f-replace-hint">
            For a revised spreadsheet: every cost, benefit and sunk cost line of each option the file names is removed first. Options the file does not name
            keep theirs. Without this, the lines are added to those already there.
          </div>
        </div>
        <button class="button" type="submit">
          Check the file
        </button>
      </form>
    </Layout>
  )
}

export function RealPricesPage(props: { evaluation: Evaluation; helper: RealPricesProps }) {
  return (
    <Layout title={`Nominal to real prices – ${props.evaluation.title}`} crumbs={costsCrumbs(props.evaluation)}>
      <span class="caption">Costs and benefits</span>
      <RealPricesHelper {...props.helper} />
    </Layout>
  )
}
