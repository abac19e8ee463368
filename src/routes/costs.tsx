import type { Context } from 'hono'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { z } from 'zod'
import type { AppDeps } from '../app.js'
import { BOUNDS, prepareModel, resultsFromModel, type EvaluationFile, type OptionResult } from '../appraisal/index.js'
import { readEvaluationFile } from '../db/evaluation-file.js'
import {
  addMoneyLine,
  addSunkCost,
  editMoneyLine,
  editSunkCost,
  findMoneyLine,
  findSunkCost,
  importMoneyLines,
  listMoneyLines,
  listSunkCosts,
  removeMoneyLine,
  removeSunkCost,
} from '../db/money-lines.js'
import { listOptions } from '../db/options.js'
import type { Evaluation, Option } from '../db/schema.js'
import { toRealPrices } from '../real-prices.js'
import { describeLineWarning, warningLine } from '../../views/components/appraisal-warnings.js'
import type { FieldErrors, FormValues } from '../../views/components/form.js'
import {
  CostImportPage,
  CostsOverviewPage,
  LineEditPage,
  OptionCostsPage,
  RealPricesPage,
  RemoveLinePage,
  SunkCostEditPage,
  type CostImportProps,
} from '../../views/pages/costs.js'
import { CostModel, type CostModelProps, type LineFigures } from '../../views/partials/cost-model.js'
import { RealPricesHelper, type RealPricesProps } from '../../views/partials/real-prices.js'
import { allYearsCsv, csvColumns, MAX_CSV_BYTES, moneyLinesCsv, moneyLinesTemplate, yearTableCsv, type CsvImport } from './cost-lines-csv.js'
import { optionInPath, pathId } from './evaluation-context.js'
import { formValues, numberField, parseForm } from './form.js'
import { runLong } from '../work/long-work.js'
import { looksLikeZip, MAX_XLSX_BYTES, XLSX_TYPE } from '../xlsx.js'
import { costModelWorkbook, workbookResponse } from './cost-workbooks.js'
import { blankFormValues, moneyLineValues, parseMoneyLine, parseSunkCost, sunkCostValues } from '../money-line-fields.js'
import { optionalPercent, readYear } from './typed-numbers.js'
import { isHtmx, render } from './render.js'
import { actorOf, evaluationOf } from '../auth/guard.js'
import { fileSlug } from '../file-slug.js'

const kindField = z.object({ kind: z.enum(['cost', 'benefit']) })

const realPricesForm = z.object({
  nominal: numberField({ required: 'Enter the nominal amount', invalid: 'The amount must be a number, like 1200000 or £1,200,000' }).pipe(
    z.number().refine((v) => Math.abs(v) <= BOUNDS.amount.max, `The amount must be at most ${BOUNDS.amount.max.toLocaleString('en-GB')}`),
  ),
  year: z
    .string({ error: 'Enter the year the figure is priced in' })
    .trim()
    .min(1, 'Enter the year the figure is priced in')
    .transform((v) => readYear(v))
    .refine((v) => v !== null && v >= 1900 && v <= 2200, 'The year must be a year such as 2028'),
  inflation: optionalPercent('Inflation must be a percentage, like 2 for 2%')
    .refine((v) => v !== null, 'Enter the inflation rate, such as 2 for 2%')
    .refine((v) => v === null || (v > -100 && v <= 1000), 'Inflation must be more than −100% and at most 1000%'),
})

function csvResponse(c: Context, body: string, name: string): Response {
  return c.body(body, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"` })
}

/** An upload is read as a workbook when it is one (a zip) or says it is (.xlsx); a file that says so but is not is refused as one. */
function isWorkbookUpload(upload: File, bytes: Uint8Array): boolean {
  return looksLikeZip(bytes) || /\.xlsx$/i.test(upload.name) || upload.type === XLSX_TYPE
}

/** Spreadsheets save CSV as UTF-8 or, in older Excel, as Windows-1252: a £ must survive either. */
function decodeCsv(bytes: ArrayBuffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return new TextDecoder('windows-1252').decode(bytes)
  }
}

const emptyForms = (): CostModelProps['forms'] => ({
  cost: { values: blankFormValues('cost'), errors: {} },
  benefit: { values: blankFormValues('benefit'), errors: {} },
  sunk: { values: blankFormValues('sunk'), errors: {} },
})

/**
 * The cost model: each option's cost, benefit and sunk cost lines, the year-by-year table, CSV in
 * and out, and the nominal-to-real helper. Every figure is the engine's, computed on each request
 * from the evaluation file read from the database.
 */
export function costRoutes({ db }: AppDeps): Hono {
  const app = new Hono()

  async function appraise(evaluation: Evaluation) {
    const file = await readEvaluationFile(db, evaluation.id)
    if (file === undefined) throw new HTTPException(404)
    const model = prepareModel(file)
    return { file, model, results: resultsFromModel(model) }
  }

  function helperProps(
    evaluation: Evaluation,
    file: EvaluationFile,
    values: FormValues = {},
    errors: FieldErrors = {},
    answer: RealPricesProps['answer'] = null,
  ): RealPricesProps {
    return { action: `/evaluations/${evaluation.id}/costs/real-prices`, baseYear: file.appraisal.baseYear, currency: file.currency, values, errors, answer }
  }

  function benefitTotal(result: OptionResult): number {
    return result.years.reduce((sum, year) => sum + year.benefit, 0)
  }

  /** Everything the cost model of one option shows, from the engine. */
  async function modelProps(evaluation: Evaluation, option: Option, state: Partial<Pick<CostModelProps, 'forms' | 'editing'>> = {}): Promise<CostModelProps> {
    const { file, model, results } = await appraise(evaluation)
    const [lines, sunkCosts] = await Promise.all([listMoneyLines(db, evaluation.id), listSunkCosts(db, evaluation.id, option.id)])
    const result = results.options.find((o) => o.id === option.key)
    if (result === undefined) throw new HTTPException(404)
    // The file lists costs, then benefits, each in the stored order; line i of a kind is the engine's line i.
    const lineFigures = new Map<number, LineFigures>()
    const idsByList = { costs: [] as number[], benefits: [] as number[] }
    for (const [list, kind, prepared] of [
      ['costs', 'cost', model.costLines],
      ['benefits', 'benefit', model.benefitLines],
    ] as const) {
      const stored = lines.filter((l) => l.kind === kind)
      stored.forEach((line, i) => {
        idsByList[list].push(line.id)
        const figures = prepared[i]
        if (figures !== undefined && file[list][i]?.label === line.label) {
          lineFigures.set(line.id, {
            undiscounted: figures.undiscounted,
            presentValue: figures.presentValue,
            optimismBias: figures.optimismBias,
            warning: null,
          })
        }
      })
    }
    for (const warning of model.warnings) {
      const place = warningLine(warning)
      const id = place === null ? undefined : idsByList[place.list][place.index]
      const figures = id === undefined ? undefined : lineFigures.get(id)
      if (figures !== undefined) figures.warning = describeLineWarning(warning, file)
    }
    return {
      evaluation,
      option,
      file,
      result,
      benefitTotal: benefitTotal(result),
      lines: lines.filter((l) => l.option_id === option.id),
      lineFigures,
      sunkCosts,
      forms: state.forms ?? emptyForms(),
      editing: state.editing ?? null,
    }
  }

  /** The option's page, or for htmx its cost model alone. */
  async function showModel(
    c: Context,
    evaluation: Evaluation,
    option: Option,
    state: Partial<Pick<CostModelProps, 'forms' | 'editing'>> = {},
    status: 200 | 422 = 200,
  ) {
    const props = await modelProps(evaluation, option, state)
    if (isHtmx(c)) return render(c, <CostModel {...props} />, status)
    const options = await listOptions(db, evaluation.id)
    return render(c, <OptionCostsPage {...props} options={options} helper={helperProps(evaluation, props.file)} />, status)
  }

  /** After a change: htmx gets the refreshed cost model; a plain form post goes back to the page. */
  async function afterChange(c: Context, evaluation: Evaluation, option: Option, anchor: string) {
    if (isHtmx(c)) return showModel(c, evaluation, option)
    return c.redirect(`/evaluations/${evaluation.id}/costs/${option.id}${anchor}`, 303)
  }

  // ------------------------------------------------------------------------------------------
  // The whole evaluation: overview, CSV and the helper (registered before /:optionId)

  app.get('/', async (c) => {
    const evaluation = evaluationOf(c)
    const { file, results } = await appraise(evaluation)
    const [options, lines, sunk] = await Promise.all([listOptions(db, evaluation.id), listMoneyLines(db, evaluation.id), listSunkCosts(db, evaluation.id)])
    const rows = options.map((option) => ({
      option,
      costs: lines.filter((l) => l.option_id === option.id && l.kind === 'cost').length,
      benefits: lines.filter((l) => l.option_id === option.id && l.kind === 'benefit').length,
      sunk: sunk.filter((s) => s.option_id === option.id).length,
    }))
    const imported = Number(c.req.query('imported') ?? '')
    return render(
      c,
      <CostsOverviewPage
        evaluation={evaluation}
        file={file}
        results={results}
        options={rows}
        helper={helperProps(evaluation, file)}
        imported={Number.isInteger(imported) && imported > 0 ? imported : null}
      />,
    )
  })

  app.get('/template.csv', async (c) => {
    const evaluation = evaluationOf(c)
    return csvResponse(c, moneyLinesTemplate(await listOptions(db, evaluation.id), evaluation.base_year), 'cost-lines-template.csv')
  })

  app.get('/lines.csv', async (c) => {
    const evaluation = evaluationOf(c)
    const [options, lines, sunk] = await Promise.all([listOptions(db, evaluation.id), listMoneyLines(db, evaluation.id), listSunkCosts(db, evaluation.id)])
    return csvResponse(c, moneyLinesCsv(lines, sunk, options, evaluation.base_year), `${fileSlug(evaluation.title) || 'option'}-lines.csv`)
  })

  app.get('/years.csv', async (c) => {
    const evaluation = evaluationOf(c)
    const { results } = await appraise(evaluation)
    return csvResponse(c, allYearsCsv(results.options), `${fileSlug(evaluation.title) || 'option'}-years.csv`)
  })

  // The cost model and every option's year-by-year table as a workbook whose totals are formulas.
  app.get('/workbook.xlsx', async (c) => {
    const evaluation = evaluationOf(c)
    const { file, results } = await appraise(evaluation)
    const [options, lines, sunkCosts] = await Promise.all([listOptions(db, evaluation.id), listMoneyLines(db, evaluation.id), listSunkCosts(db, evaluation.id)])
    const bytes = await costModelWorkbook(results, { lines, sunkCosts, options }, evaluation.base_year, file.currency)
    return workbookResponse(c, bytes, `${fileSlug(evaluation.title) || 'option'}-cost-model.xlsx`)
  })

  function importProps(evaluation: Evaluation, file: EvaluationFile, props: Partial<CostImportProps> = {}): CostImportProps {
    return {
      evaluation,
      file,
      errors: {},
      fileName: null,
      csv: null,
      workbook: null,
      replace: false,
      preview: null,
      replacing: [],
      columns: csvColumns,
      ...props,
    }
  }

  /** Reads the CSV or workbook against the options; with "replace", says how many lines each named option has now. */
  async function previewImport(
    c: Context,
    evaluation: Evaluation,
    upload: { text: string } | { bytes: Uint8Array },
    replace: boolean,
  ): Promise<{ preview: CsvImport; replacing: CostImportProps['replacing'] }> {
    const options = await listOptions(db, evaluation.id)
    // Read and checked in a worker thread: a file of thousands of rows does not hold up other requests.
    const baseYear = evaluation.base_year
    const preview =
      'text' in upload
        ? await runLong(c, 'readMoneyLinesCsv', { text: upload.text, options, baseYear })
        : await runLong(c, 'readMoneyLinesXlsx', { bytes: upload.bytes, options, baseYear })
    if (!replace || preview.problems.length > 0) return { preview, replacing: [] }
    const named = [...new Map(preview.lines.map((l) => [l.option.id, l.option])).values()]
    const [lines, sunk] = await Promise.all([listMoneyLines(db, evaluation.id), listSunkCosts(db, evaluation.id)])
    const replacing = named
      .map((option) => ({ option, count: lines.filter((l) => l.option_id === option.id).length + sunk.filter((s) => s.option_id === option.id).length }))
      .filter((r) => r.count > 0)
    return { preview, replacing }
  }

  app.get('/import', async (c) => {
    const evaluation = evaluationOf(c)
    const { file } = await appraise(evaluation)
    return render(c, <CostImportPage {...importProps(evaluation, file)} />)
  })

  // Step 1: the file is read and every line shown, or every problem listed. Nothing is saved.
  app.post('/import', async (c) => {
    const evaluation = evaluationOf(c)
    const { file } = await appraise(evaluation)
    const body = await c.req.parseBody()
    const upload = body.file
    const replace = body.replace === 'on'
    if (!(upload instanceof File) || upload.size === 0) {
      return render(
        c,
        <CostImportPage {...importProps(evaluation, file, { replace, errors: { file: 'Choose a CSV file or an Excel workbook to import' } })} />,
        422,
      )
    }
    if (upload.size > Math.max(MAX_CSV_BYTES, MAX_XLSX_BYTES)) {
      return render(
        c,
        <CostImportPage {...importProps(evaluation, file, { replace, fileName: upload.name, errors: { file: 'The file is larger than 2 MB' } })} />,
        422,
      )
    }
    const bytes = new Uint8Array(await upload.arrayBuffer())
    if (isWorkbookUpload(upload, bytes)) {
      const { preview, replacing } = await previewImport(c, evaluation, { bytes }, replace)
      const status = preview.problems.length > 0 ? 422 : 200
      const workbook = Buffer.from(bytes).toString('base64')
      return render(c, <CostImportPage {...importProps(evaluation, file, { replace, fileName: upload.name, workbook, preview, replacing })} />, status)
    }
    const text = decodeCsv(bytes.buffer)
    const { preview, replacing } = await previewImport(c, evaluation, { text }, replace)
    const status = preview.problems.length > 0 ? 422 : 200
    return render(c, <CostImportPage {...importProps(evaluation, file, { replace, fileName: upload.name, csv: text, preview, replacing })} />, status)
  })

  // Step 2: the same text (or workbook), read and checked again, then saved in one transaction.
  app.post('/import/confirm', async (c) => {
    const evaluation = evaluationOf(c)
    const values = formValues(await c.req.parseBody())
    const text = values.csv ?? ''
    const workbook = values.workbook ?? ''
    const replace = values.replace === 'on'
    const fileName = values.fileName?.trim() || null
    if (text.trim() === '' && workbook.trim() === '') {
      const { file } = await appraise(evaluation)
      return render(c, <CostImportPage {...importProps(evaluation, file, { errors: { file: 'Choose a CSV file or an Excel workbook to import' } })} />, 422)
    }
    const upload = workbook.trim() !== '' ? { bytes: new Uint8Array(Buffer.from(workbook, 'base64')) } : { text }
    const carried = 'bytes' in upload ? { workbook } : { csv: text }
    const { preview, replacing } = await previewImport(c, evaluation, upload, replace)
    if (preview.problems.length > 0) {
      const { file } = await appraise(evaluation)
      return render(c, <CostImportPage {...importProps(evaluation, file, { replace, fileName, ...carried, preview, replacing })} />, 422)
    }
    const refused = await importMoneyLines(db, actorOf(c), evaluation.id, {
      lines: preview.lines.flatMap((l) => (l.kind === 'sunk' ? [] : [{ optionId: l.option.id, line: l.details }])),
      sunkCosts: preview.lines.flatMap((l) => (l.kind === 'sunk' ? [{ optionId: l.option.id, sunkCost: l.details }] : [])),
      replace,
      fileName,
    })
    if (refused !== null) {
      const { file } = await appraise(evaluation)
      return render(c, <CostImportPage {...importProps(evaluation, file, { replace, fileName, ...carried, errors: { file: refused.message } })} />, 422)
    }
    return c.redirect(`/evaluations/${evaluation.id}/costs?imported=${preview.lines.length}`, 303)
  })

  // The nominal-to-real helper: a question, never saved.
  app.get('/real-prices', async (c) => {
    const evaluation = evaluationOf(c)
    const { file } = await appraise(evaluation)
    const values: FormValues = { nominal: c.req.query('nominal'), year: c.req.query('year'), inflation: c.req.query('inflation') }
    const asked = Object.values(values).some((v) => v !== undefined)
    let props = helperProps(evaluation, file, asked ? values : {})
    if (asked) {
      const parsed = parseForm(realPricesForm, values)
      if (parsed.ok) {
        const { nominal, year, inflation } = parsed.data as { nominal: number; year: number; inflation: number }
        const { real, divisor } = toRealPrices(nominal, inflation / 100, year - file.appraisal.baseYear)
        props = helperProps(evaluation, file, values, {}, { nominal, inflation: inflation / 100, year, real, divisor })
      } else {
        props = helperProps(evaluation, file, values, parsed.errors)
      }
    }
    const status = Object.keys(props.errors).length > 0 ? 422 : 200
    return render(c, isHtmx(c) ? <RealPricesHelper {...props} /> : <RealPricesPage evaluation={evaluation} helper={props} />, status)
  })

  // ------------------------------------------------------------------------------------------
  // One option's cost model

  app.get('/:optionId', async (c) => {
    const { evaluation, option } = await optionInPath(c, db)
    return showModel(c, evaluation, option)
  })

  app.get('/:optionId/years.csv', async (c) => {
    const { evaluation, option } = await optionInPath(c, db)
    const { results } = await appraise(evaluation)
    const result = results.options.find((o) => o.id === option.key)
    if (result === undefined) throw new HTTPException(404)
    return csvResponse(c, yearTableCsv(result, benefitTotal(result)), `${fileSlug(option.name) || 'option'}-years.csv`)
  })

  app.post('/:optionId/lines', async (c) => {
    const { evaluation, option } = await optionInPath(c, db)
    const values = formValues(await c.req.parseBody())
    const kind = kindField.safeParse(values)
    if (!kind.success) throw new HTTPException(400, { message: 'Say whether the line is a cost or a benefit.' })
    const parsed = parseMoneyLine(kind.data.kind, evaluation.base_year, values)
    if (!parsed.ok) {
      const forms = { ...emptyForms(), [kind.data.kind]: { values, errors: parsed.errors } }
      return showModel(c, evaluation, option, { forms }, 422)
    }
    const refused = await addMoneyLine(db, actorOf(c), evaluation.id, option, parsed.data)
    if (refused !== null)
      return showModel(c, evaluation, option, { forms: { ...emptyForms(), [kind.data.kind]: { values, errors: { [refused.field]: refused.message } } } }, 422)
    return afterChange(c, evaluation, option, kind.data.kind === 'cost' ? '#costs' : '#benefits')
  })

  async function loadLine(c: Context) {
    const { evaluation, option } = await optionInPath(c, db)
    const line = await findMoneyLine(db, evaluation.id, option.id, pathId(c, 'lineId'))
    if (line === undefined) throw new HTTPException(404)
    return { evaluation, option, line }
  }

  app.get('/:optionId/lines/:lineId/edit', async (c) => {
    const { evaluation, option, line } = await loadLine(c)
    const values = moneyLineValues(line, evaluation.base_year)
    if (isHtmx(c)) return showModel(c, evaluation, option, { editing: { target: 'line', id: line.id, values, errors: {} } })
    const { file } = await appraise(evaluation)
    return render(c, <LineEditPage evaluation={evaluation} option={option} file={file} lineId={line.id} kind={line.kind} values={values} errors={{}} />)
  })

  app.post('/:optionId/lines/:lineId', async (c) => {
    const { evaluation, option, line } = await loadLine(c)
    const values = formValues(await c.req.parseBody())
    const parsed = parseMoneyLine(line.kind, evaluation.base_year, values)
    if (!parsed.ok) {
      if (isHtmx(c)) return showModel(c, evaluation, option, { editing: { target: 'line', id: line.id, values, errors: parsed.errors } }, 422)
      const { file } = await appraise(evaluation)
      return render(
        c,
        <LineEditPage evaluation={evaluation} option={option} file={file} lineId={line.id} kind={line.kind} values={values} errors={parsed.errors} />,
        422,
      )
    }
    await editMoneyLine(db, actorOf(c), evaluation.id, option, line.id, parsed.data)
    return afterChange(c, evaluation, option, `#line-${line.id}`)
  })

  app.get('/:optionId/lines/:lineId/delete', async (c) => {
    const { evaluation, option, line } = await loadLine(c)
    const action = `/evaluations/${evaluation.id}/costs/${option.id}/lines/${line.id}/delete`
    return render(c, <RemoveLinePage evaluation={evaluation} option={option} what={`${line.kind} line`} label={line.label} action={action} />)
  })

  app.post('/:optionId/lines/:lineId/delete', async (c) => {
    const { evaluation, option, line } = await loadLine(c)
    await removeMoneyLine(db, actorOf(c), evaluation.id, option, line)
    return afterChange(c, evaluation, option, line.kind === 'cost' ? '#costs' : '#benefits')
  })

  app.post('/:optionId/sunk', async (c) => {
    const { evaluation, option } = await optionInPath(c, db)
    const values = formValues(await c.req.parseBody())
    const parsed = parseSunkCost(values)
    if (!parsed.ok) return showModel(c, evaluation, option, { forms: { ...emptyForms(), sunk: { values, errors: parsed.errors } } }, 422)
    const refused = await addSunkCost(db, actorOf(c), evaluation.id, option, parsed.data)
    if (refused !== null)
      return showModel(c, evaluation, option, { forms: { ...emptyForms(), sunk: { values, errors: { [refused.field]: refused.message } } } }, 422)
    return afterChange(c, evaluation, option, '#sunk')
  })

  async function loadSunkCost(c: Context) {
    const { evaluation, option } = await optionInPath(c, db)
    const sunkCost = await findSunkCost(db, evaluation.id, option.id, pathId(c, 'sunkCostId'))
    if (sunkCost === undefined) throw new HTTPException(404)
    return { evaluation, option, sunkCost }
  }

  app.get('/:optionId/sunk/:sunkCostId/edit', async (c) => {
    const { evaluation, option, sunkCost } = await loadSunkCost(c)
    const values = sunkCostValues(sunkCost)
    if (isHtmx(c)) return showModel(c, evaluation, option, { editing: { target: 'sunk', id: sunkCost.id, values, errors: {} } })
    return render(
      c,
      <SunkCostEditPage evaluation={evaluation} option={option} currency={evaluation.currency} sunkCostId={sunkCost.id} values={values} errors={{}} />,
    )
  })

  app.post('/:optionId/sunk/:sunkCostId', async (c) => {
    const { evaluation, option, sunkCost } = await loadSunkCost(c)
    const values = formValues(await c.req.parseBody())
    const parsed = parseSunkCost(values)
    if (!parsed.ok) {
      if (isHtmx(c)) return showModel(c, evaluation, option, { editing: { target: 'sunk', id: sunkCost.id, values, errors: parsed.errors } }, 422)
      return render(
        c,
        <SunkCostEditPage
          evaluation={evaluation}
          option={option}
          currency={evaluation.currency}
          sunkCostId={sunkCost.id}
          values={values}
          errors={parsed.errors}
        />,
        422,
      )
    }
    await editSunkCost(db, actorOf(c), evaluation.id, option, sunkCost.id, parsed.data)
    return afterChange(c, evaluation, option, `#sunk-${sunkCost.id}`)
  })

  app.get('/:optionId/sunk/:sunkCostId/delete', async (c) => {
    const { evaluation, option, sunkCost } = await loadSunkCost(c)
    const action = `/evaluations/${evaluation.id}/costs/${option.id}/sunk/${sunkCost.id}/delete`
    return render(c, <RemoveLinePage evaluation={evaluation} option={option} what="sunk cost" label={sunkCost.label} action={action} />)
  })

  app.post('/:optionId/sunk/:sunkCostId/delete', async (c) => {
    const { evaluation, option, sunkCost } = await loadSunkCost(c)
    await removeSunkCost(db, actorOf(c), evaluation.id, option, sunkCost)
    return afterChange(c, evaluation, option, '#sunk')
  })

  return app
}
