import type { Context } from 'hono'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { z } from 'zod'
import type { AppDeps } from '../app.js'
import { evaluationOf } from '../auth/guard.js'
import { computeResults, weighCriteria } from '../appraisal/index.js'
import { readEvaluationFile } from '../db/evaluation-file.js'
import { countOptionRecords } from '../db/option-records.js'
import { deleteOption, findOption, insertOption, listOptions, moveOption, updateOption, type OptionDetails } from '../db/options.js'
import type { Option } from '../db/schema.js'
import { AssessmentSummaryPage } from '../../views/pages/assessment-summary.js'
import { OptionDeletePage, OptionEditPage, OptionsPage } from '../../views/pages/options.js'
import type { FormValues } from '../../views/components/form.js'
import { pathId } from './evaluation-context.js'
import { checkboxField, formValues, optionalText, parseForm, requiredText } from './form.js'
import { render } from './render.js'
import { changeEvaluation } from './change.js'

const optionForm: z.ZodType<OptionDetails> = z.object({
  name: requiredText('Enter the option’s name'),
  supplier: optionalText(200),
  product: optionalText(200),
  description: optionalText(5000),
  baseline: checkboxField,
})

/** Everything that belongs to an option, and goes with it. */
const OPTION_RECORDS = ['option', 'individual_score', 'consensus_score', 'score_submission', 'panel_member_option', 'money_line', 'sunk_cost'] as const

const moveForm = z.object({ direction: z.enum(['up', 'down']) })

function optionValues(option: Option): FormValues {
  return {
    name: option.name,
    supplier: option.supplier ?? '',
    product: option.product ?? '',
    description: option.description ?? '',
    baseline: option.baseline === 1 ? 'on' : '',
  }
}

export function optionRoutes({ db }: AppDeps): Hono {
  const app = new Hono()

  async function loadOption(c: Context) {
    const evaluation = evaluationOf(c)
    const option = await findOption(db, evaluation.id, pathId(c, 'optionId'))
    if (option === undefined) throw new HTTPException(404)
    return { evaluation, option }
  }

  app.get('/', async (c) => {
    const evaluation = evaluationOf(c)
    return render(c, <OptionsPage evaluation={evaluation} options={await listOptions(db, evaluation.id)} values={{}} errors={{}} />)
  })

  app.post('/', async (c) => {
    const evaluation = evaluationOf(c)
    const values = formValues(await c.req.parseBody())
    const parsed = parseForm(optionForm, values)
    if (!parsed.ok) {
      const options = await listOptions(db, evaluation.id)
      return render(c, <OptionsPage evaluation={evaluation} options={options} values={values} errors={parsed.errors} />, 422)
    }
    await changeEvaluation(db, c, evaluation, { kind: 'option', summary: `Option “${parsed.data.name}” added`, reach: { tables: ['option'] } }, (trx) =>
      insertOption(trx, evaluation.id, parsed.data),
    )
    return c.redirect(`/evaluations/${evaluation.id}/options`, 303)
  })

  app.get('/:optionId/edit', async (c) => {
    const { evaluation, option } = await loadOption(c)
    return render(c, <OptionEditPage evaluation={evaluation} option={option} values={optionValues(option)} errors={{}} />)
  })

  app.post('/:optionId', async (c) => {
    const { evaluation, option } = await loadOption(c)
    const values = formValues(await c.req.parseBody())
    const parsed = parseForm(optionForm, values)
    if (!parsed.ok) {
      return render(c, <OptionEditPage evaluation={evaluation} option={option} values={values} errors={parsed.errors} />, 422)
    }
    await changeEvaluation(db, c, evaluation, { kind: 'option', summary: `Option “${parsed.data.name}” edited`, optionId: option.id, reach: { tables: ['option'] } }, (trx) =>
      updateOption(trx, evaluation.id, option.id, parsed.data),
    )
    return c.redirect(`/evaluations/${evaluation.id}/options`, 303)
  })

  app.post('/:optionId/move', async (c) => {
    const { evaluation, option } = await loadOption(c)
    const parsed = moveForm.safeParse(formValues(await c.req.parseBody()))
    if (!parsed.success) throw new HTTPException(400, { message: 'Choose to move the option up or down.' })
    await changeEvaluation(db, c, evaluation, { kind: 'option', summary: `Option “${option.name}” moved ${parsed.data.direction}`, optionId: option.id, reach: { tables: ['option'] } }, (trx) =>
      moveOption(trx, evaluation.id, option.id, parsed.data.direction),
    )
    return c.redirect(`/evaluations/${evaluation.id}/options`, 303)
  })

  app.get('/:optionId/assessment-summary', async (c) => {
    const { evaluation, option } = await loadOption(c)
    const file = await readEvaluationFile(db, evaluation.id)
    if (file === undefined) throw new HTTPException(404)
    const page = (
      <AssessmentSummaryPage evaluation={evaluation} file={file} results={computeResults(file)} optionId={option.key} criteria={weighCriteria(file.criteria).nodes} />
    )
    return render(c, page)
  })

  app.get('/:optionId/delete', async (c) => {
    const { evaluation, option } = await loadOption(c)
    const counts = await countOptionRecords(db, option.id)
    return render(c, <OptionDeletePage evaluation={evaluation} option={option} scoreCount={counts.scores} lineCount={counts.lines} />)
  })

  app.post('/:optionId/delete', async (c) => {
    const { evaluation, option } = await loadOption(c)
    const reach = { tables: OPTION_RECORDS, optionId: option.id }
    await changeEvaluation(db, c, evaluation, { kind: 'option', summary: `Option “${option.name}” removed, with its scores and costs`, optionId: option.id, reach }, (trx) =>
      deleteOption(trx, evaluation.id, option.id),
    )
    return c.redirect(`/evaluations/${evaluation.id}/options`, 303)
  })

  return app
}
