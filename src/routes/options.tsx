import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { z } from 'zod'
import type { AppDeps } from '../app.js'
import { actorOf, evaluationOf } from '../auth/guard.js'
import { computeResults, weighCriteria } from '../appraisal/index.js'
import { readEvaluationFile } from '../db/evaluation-file.js'
import { countOptionRecords } from '../db/option-records.js'
import { addOption, editOption, listOptions, moveOption, removeOption, type OptionDetails } from '../db/options.js'
import type { Refusal } from '../db/audit.js'
import { TenderBeforeApprovalError } from '../db/plan.js'
import type { Option } from '../db/schema.js'
import { AssessmentSummaryPage } from '../../views/pages/assessment-summary.js'
import { OptionDeletePage, OptionEditPage, OptionsPage } from '../../views/pages/options.js'
import type { FormValues } from '../../views/components/form.js'
import { optionInPath } from './evaluation-context.js'
import { formValues, optionalText, parseForm, requiredText } from './form.js'
import { render } from './render.js'

/** What kind of option it is, in words: business as usual (the baseline), a tender, or another option. */
export const OPTION_KINDS = ['tender', 'baseline', 'other'] as const

const optionForm: z.ZodType<OptionDetails, Record<string, unknown>> = z
  .object({
    name: requiredText('Enter the option’s name'),
    supplier: optionalText(200),
    product: optionalText(200),
    description: optionalText(5000),
    kind: z.enum(OPTION_KINDS, { error: 'Choose whether this option is a tender, business as usual or another option' }).default('tender'),
  })
  .transform(({ kind, ...details }) => ({ ...details, baseline: kind === 'baseline', tender: kind === 'tender' }))

const moveForm = z.object({ direction: z.enum(['up', 'down']) })

function optionValues(option: Option): FormValues {
  return {
    name: option.name,
    supplier: option.supplier ?? '',
    product: option.product ?? '',
    description: option.description ?? '',
    kind: option.baseline === 1 ? 'baseline' : option.tender === 1 ? 'tender' : 'other',
  }
}

/** Runs an option's change; a tender refused while the plan is a draft (nothing changed) comes back as the kind field's message. */
async function tenderRefusal(work: () => Promise<Refusal | null>): Promise<Refusal | null> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof TenderBeforeApprovalError) return { field: error.field, message: error.message }
    throw error
  }
}

export function optionRoutes({ db }: AppDeps): Hono {
  const app = new Hono()

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
    const refused = await tenderRefusal(() => addOption(db, actorOf(c), evaluation.id, parsed.data))
    if (refused !== null) {
      const options = await listOptions(db, evaluation.id)
      return render(c, <OptionsPage evaluation={evaluation} options={options} values={values} errors={{ [refused.field]: refused.message }} />, 422)
    }
    return c.redirect(`/evaluations/${evaluation.id}/options`, 303)
  })

  app.get('/:optionId/edit', async (c) => {
    const { evaluation, option } = await optionInPath(c, db)
    return render(c, <OptionEditPage evaluation={evaluation} option={option} values={optionValues(option)} errors={{}} />)
  })

  app.post('/:optionId', async (c) => {
    const { evaluation, option } = await optionInPath(c, db)
    const values = formValues(await c.req.parseBody())
    const parsed = parseForm(optionForm, values)
    if (!parsed.ok) {
      return render(c, <OptionEditPage evaluation={evaluation} option={option} values={values} errors={parsed.errors} />, 422)
    }
    const refused = await tenderRefusal(async () => {
      await editOption(db, actorOf(c), option, parsed.data)
      return null
    })
    if (refused !== null) {
      return render(c, <OptionEditPage evaluation={evaluation} option={option} values={values} errors={{ [refused.field]: refused.message }} />, 422)
    }
    return c.redirect(`/evaluations/${evaluation.id}/options`, 303)
  })

  app.post('/:optionId/move', async (c) => {
    const { evaluation, option } = await optionInPath(c, db)
    const parsed = moveForm.safeParse(formValues(await c.req.parseBody()))
    if (!parsed.success) throw new HTTPException(400, { message: 'Choose to move the option up or down.' })
    await moveOption(db, actorOf(c), option, parsed.data.direction)
    return c.redirect(`/evaluations/${evaluation.id}/options`, 303)
  })

  app.get('/:optionId/assessment-summary', async (c) => {
    const { evaluation, option } = await optionInPath(c, db)
    const file = await readEvaluationFile(db, evaluation.id)
    if (file === undefined) throw new HTTPException(404)
    const page = (
      <AssessmentSummaryPage
        evaluation={evaluation}
        file={file}
        results={computeResults(file)}
        optionId={option.key}
        criteria={weighCriteria(file.criteria).nodes}
      />
    )
    return render(c, page)
  })

  app.get('/:optionId/delete', async (c) => {
    const { evaluation, option } = await optionInPath(c, db)
    const counts = await countOptionRecords(db, option.id)
    return render(c, <OptionDeletePage evaluation={evaluation} option={option} scoreCount={counts.scores} lineCount={counts.lines} />)
  })

  app.post('/:optionId/delete', async (c) => {
    const { evaluation, option } = await optionInPath(c, db)
    await removeOption(db, actorOf(c), option)
    return c.redirect(`/evaluations/${evaluation.id}/options`, 303)
  })

  return app
}
