import { Hono } from 'hono'
import { z } from 'zod'
import type { AppDeps } from '../app.js'
import { accountOf, actorOf, evaluationOf } from '../auth/guard.js'
import { BOUNDS, LIMITS } from '../appraisal/index.js'
import { listCriteria } from '../db/criteria.js'
import { listMoneyLines } from '../db/money-lines.js'
import { archiveEvaluation, createEvaluation, editEvaluationDetails, listEvaluations, listScaleLevels, type EvaluationDetails } from '../db/evaluations.js'
import { countScores } from '../db/scores.js'
import { listOptions } from '../db/options.js'
import { listPanelMembers } from '../db/panel.js'
import { defaultScaleLevels } from '../scale.js'
import { EvaluationFormPage } from '../../views/pages/evaluation-form.js'
import { EvaluationListPage } from '../../views/pages/evaluation-list.js'
import { EvaluationOverviewPage } from '../../views/pages/evaluation-overview.js'
import type { FormValues } from '../../views/components/form.js'
import { formValues, integerField, optionalText, parseForm, requiredText, type FormResult } from './form.js'
import { planReasonOf, unlessPlanRefuses } from './plan-reason.js'
import { planRoutes } from './plan.js'
import { render } from './render.js'
import { criteriaRoutes } from './criteria.js'
import { weightingRoutes } from './weighting.js'
import { trialRoutes } from './trials.js'
import { optionRoutes } from './options.js'
import { panelRoutes } from './panel.js'
import { moderationRoutes } from './moderation.js'
import { scoringRoutes } from './scoring.js'
import { resultRoutes } from './results.js'
import { reportRoutes } from './report.js'
import { sensitivityRoutes } from './sensitivity.js'
import { costRoutes } from './costs.js'
import { settingsRoutes } from './settings.js'
import { historyRoutes } from './history.js'
import { recordCheckRoutes } from './record-check.js'
import { awardRoutes } from './award.js'
import { signOffRoutes } from './sign-off.js'
import { tenderRoutes } from './tender.js'
import { myTasks } from './my-tasks.js'
import { declarationRoutes } from './declarations.js'
import { listFinalisedVersions } from '../db/sign-off.js'

const scaleLevel = (which: string) =>
  z
    .number()
    .min(BOUNDS.scale.min, `The ${which} score must be ${BOUNDS.scale.min} or more`)
    .max(BOUNDS.scale.max, `The ${which} score must be ${BOUNDS.scale.max} or less`)

const detailsForm = z
  .object({
    title: requiredText('Enter a title for the evaluation'),
    organisation: optionalText(200),
    summary: optionalText(10_000),
    scaleMin: integerField({ required: 'Enter the lowest score', invalid: 'The lowest score must be a whole number' }).pipe(scaleLevel('lowest')),
    scaleMax: integerField({ required: 'Enter the highest score', invalid: 'The highest score must be a whole number' }).pipe(scaleLevel('highest')),
    template: z.string().optional(),
  })
  .refine((f) => f.scaleMax > f.scaleMin, { path: ['scaleMax'], message: 'The highest score must be more than the lowest' })
  .refine((f) => f.scaleMax - f.scaleMin < LIMITS.scaleLevels, { path: ['scaleMax'], message: `A scale can have at most ${LIMITS.scaleLevels} levels` })

/** Validates the details form, then the per-level labels and descriptors it carries. */
function parseDetails(values: FormValues): FormResult<EvaluationDetails & { template: string | undefined }> {
  const parsed = parseForm(detailsForm, values)
  if (!parsed.ok) return parsed
  const { scaleMin, scaleMax } = parsed.data
  const levels: EvaluationDetails['levels'] = []
  const errors: Record<string, string> = {}
  for (let level = scaleMin; level <= scaleMax; level++) {
    const label = values[`label-${level}`]?.trim() ?? ''
    const descriptor = values[`descriptor-${level}`]?.trim() ?? ''
    if (label.length > 100) errors[`label-${level}`] = `The label for ${level} must be 100 characters or fewer`
    if (descriptor.length > 2000) errors[`descriptor-${level}`] = `The descriptor for ${level} must be 2000 characters or fewer`
    levels.push({ level, label: label === '' ? null : label, descriptor: descriptor === '' ? null : descriptor })
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors, values }
  return { ok: true, data: { ...parsed.data, levels, template: parsed.data.template || undefined } }
}

function defaultFormValues(): FormValues {
  const values: FormValues = { scaleMin: '0', scaleMax: '5', template: '' }
  for (const [level, words] of Object.entries(defaultScaleLevels)) {
    values[`label-${level}`] = words.label
    values[`descriptor-${level}`] = words.descriptor
  }
  return values
}

export function evaluationRoutes({ db, templates }: AppDeps): Hono {
  const app = new Hono()

  app.get('/', async (c) => {
    const archived = c.req.query('archived') === '1'
    const accountId = accountOf(c).id
    const [evaluations, tasks] = await Promise.all([listEvaluations(db, { archived, accountId }), archived ? [] : myTasks(db, accountId)])
    return render(c, <EvaluationListPage evaluations={evaluations} archived={archived} tasks={tasks} />)
  })

  app.get('/new', (c) => render(c, <EvaluationFormPage values={defaultFormValues()} errors={{}} templates={templates} />))

  app.post('/', async (c) => {
    const values = formValues(await c.req.parseBody())
    const parsed = parseDetails(values)
    const template = parsed.ok ? templates.find((t) => t.id === parsed.data.template) : undefined
    if (!parsed.ok || (parsed.data.template !== undefined && template === undefined)) {
      const errors = parsed.ok ? { template: 'Choose a template from the list' } : parsed.errors
      return render(c, <EvaluationFormPage values={values} errors={errors} templates={templates} />, 422)
    }
    const { template: _, ...details } = parsed.data
    const id = await createEvaluation(db, actorOf(c), details, { leadAccountId: accountOf(c).id, template })
    return c.redirect(`/evaluations/${id}`, 303)
  })

  app.get('/:id', async (c) => {
    const evaluation = evaluationOf(c)
    const [options, criteria, levels, panel, counts, versions, lines] = await Promise.all([
      listOptions(db, evaluation.id),
      listCriteria(db, evaluation.id),
      listScaleLevels(db, evaluation.id),
      listPanelMembers(db, evaluation.id),
      countScores(db, evaluation.id),
      listFinalisedVersions(db, evaluation.id),
      listMoneyLines(db, evaluation.id),
    ])
    const tenders = new Set(options.filter((o) => o.tender === 1).map((o) => o.id))
    const tenderCosts = lines.some((l) => l.kind === 'cost' && tenders.has(l.option_id))
    return render(
      c,
      <EvaluationOverviewPage
        evaluation={evaluation}
        options={options}
        criteria={criteria}
        levels={levels}
        panelSize={panel.length}
        scoreCount={counts.individual}
        consensusCount={counts.consensus}
        versions={versions}
        tenderCosts={tenderCosts}
      />,
    )
  })

  app.get('/:id/edit', async (c) => {
    const evaluation = evaluationOf(c)
    const values: FormValues = {
      title: evaluation.title,
      organisation: evaluation.organisation ?? '',
      summary: evaluation.summary ?? '',
      scaleMin: String(evaluation.scale_min),
      scaleMax: String(evaluation.scale_max),
    }
    for (const level of await listScaleLevels(db, evaluation.id)) {
      values[`label-${level.level}`] = level.label ?? ''
      values[`descriptor-${level.level}`] = level.descriptor ?? ''
    }
    return render(c, <EvaluationFormPage evaluation={evaluation} values={values} errors={{}} />)
  })

  app.post('/:id', async (c) => {
    const evaluation = evaluationOf(c)
    const values = formValues(await c.req.parseBody())
    const parsed = parseDetails(values)
    const change = parsed.ok ? await unlessPlanRefuses(() => editEvaluationDetails(db, actorOf(c), evaluation.id, parsed.data, planReasonOf(values))) : null
    if (change?.refused != null) return render(c, <EvaluationFormPage evaluation={evaluation} values={values} errors={{ planReason: change.refused }} />, 422)
    const refused = change?.refused === null ? change.result : null
    if (!parsed.ok || refused !== null) {
      const errors = parsed.ok ? { [refused!.field]: refused!.message } : parsed.errors
      return render(c, <EvaluationFormPage evaluation={evaluation} values={values} errors={errors} />, 422)
    }
    return c.redirect(`/evaluations/${evaluation.id}`, 303)
  })

  app.post('/:id/archive', async (c) => {
    const evaluation = evaluationOf(c)
    await archiveEvaluation(db, actorOf(c), evaluation.id, true)
    return c.redirect(`/evaluations/${evaluation.id}`, 303)
  })

  app.post('/:id/restore', async (c) => {
    const evaluation = evaluationOf(c)
    await archiveEvaluation(db, actorOf(c), evaluation.id, false)
    return c.redirect(`/evaluations/${evaluation.id}`, 303)
  })

  app.route('/:id/panel', panelRoutes({ db, templates }))
  app.route('/:id', signOffRoutes({ db, templates }))
  app.route('/:id/award', awardRoutes({ db, templates }))
  app.route('/:id', planRoutes({ db, templates }))
  app.route('/:id', tenderRoutes({ db, templates }))
  app.route('/:id/scoring', scoringRoutes({ db, templates }))
  app.route('/:id', declarationRoutes({ db, templates }))
  app.route('/:id/moderation', moderationRoutes({ db, templates }))
  app.route('/:id/options', optionRoutes({ db, templates }))
  app.route('/:id/criteria', criteriaRoutes({ db, templates }))
  app.route('/:id/weighting', weightingRoutes({ db, templates }))
  app.route('/:id/trials', trialRoutes({ db, templates }))
  app.route('/:id/results', resultRoutes({ db, templates }))
  app.route('/:id/sensitivity', sensitivityRoutes({ db, templates }))
  app.route('/:id/report.pdf', reportRoutes({ db, templates }))
  app.route('/:id/settings', settingsRoutes({ db, templates }))
  app.route('/:id/costs', costRoutes({ db, templates }))
  app.route('/:id/history', historyRoutes({ db, templates }))
  app.route('/:id/record-check', recordCheckRoutes({ db, templates }))
  return app
}
