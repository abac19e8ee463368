import type { Context } from 'hono'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { z } from 'zod'
import type { AppDeps } from '../app.js'
import { actorOf, evaluationOf } from '../auth/guard.js'
import { BOUNDS, weighCriteria } from '../appraisal/index.js'
import {
  addCriterion,
  buildCriteriaTree,
  descendantIds,
  editCriterion,
  findCriterion,
  listCriteria,
  listCriterionDescriptors,
  moveCriterion,
  removeCriterion,
  renameCriterion,
  setCriterionWeight,
} from '../db/criteria.js'
import type { Db } from '../db/connection.js'
import type { Criterion, Evaluation } from '../db/schema.js'
import { CRITERION_KINDS } from '../vocabulary.js'
import { CriteriaPage, CriterionDeletePage, CriterionEditPage } from '../../views/pages/criteria.js'
import { CriteriaTree, type CriterionWeighting } from '../../views/partials/criteria-tree.js'
import type { FieldErrors, FormValues } from '../../views/components/form.js'
import { pathId } from './evaluation-context.js'
import { formValues, numberField, optionalText, parseForm, requiredText } from './form.js'
import { planReasonOf, unlessPlanRefuses } from './plan-reason.js'
import { isHtmx, render } from './render.js'

const weightField = numberField({ required: 'Enter a weight', invalid: 'The weight must be a number, like 2 or 0.5' }).pipe(
  z
    .number()
    .min(0, 'The weight must be 0 or more')
    .max(BOUNDS.weight.max, `The weight must be ${BOUNDS.weight.max.toLocaleString('en-GB')} or less`),
)

const parentField = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v === '' ? null : Number(v)))
  .refine((v) => v === null || (Number.isInteger(v) && v > 0), 'Choose where to place it from the list')

const criterionForm = z.object({
  name: requiredText('Enter a name'),
  kind: z.enum(CRITERION_KINDS, { error: 'Choose a group, a criterion or a gate' }),
  parent: parentField,
  weight: z.string().optional(),
  guidance: optionalText(5000),
})

type CriterionForm = z.infer<typeof criterionForm> & { weightValue: number | null }

/** Checks the weight, which a gate does not need. */
function parseCriterionForm(values: FormValues): { ok: true; data: CriterionForm } | { ok: false; errors: FieldErrors } {
  const parsed = parseForm(criterionForm, values)
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors }
  let weightValue: number | null = null
  if (values.kind !== 'gate') {
    const weight = weightField.safeParse(values.weight ?? '')
    if (weight.success) weightValue = weight.data
    else errors.weight = weight.error.issues[0]?.message ?? 'Enter a weight'
  }
  if (!parsed.ok || Object.keys(errors).length > 0) return { ok: false, errors }
  return { ok: true, data: { ...parsed.data, weightValue } }
}

async function weighStoredCriteria(db: Db, evaluationId: number, criteria: Criterion[]): Promise<Map<number, CriterionWeighting>> {
  const tree = buildCriteriaTree(criteria, await listCriterionDescriptors(db, evaluationId))
  const byKey = weighCriteria(tree)
  const result = new Map<number, CriterionWeighting>()
  for (const c of criteria) {
    const w = byKey.byId.get(c.key)
    if (w !== undefined) result.set(c.id, { share: w.share, effectiveWeight: w.effectiveWeight })
  }
  return result
}

/** The tree's one-field forms have no room for a reason: a change to the approved plan is made on the criterion's own page. */
function inlinePlanChange(message: string): string {
  return `${message} Use the criterion’s Edit page (or Delete page) to give it.`
}

export function criteriaRoutes({ db }: AppDeps): Hono {
  const app = new Hono()

  /** The whole page, or for htmx the tree partial alone, with any errors beside their fields. */
  async function showTree(c: Context, evaluation: Evaluation, addValues: FormValues = {}, errors: FieldErrors = {}) {
    const criteria = await listCriteria(db, evaluation.id)
    const props = { evaluation, criteria, weighting: await weighStoredCriteria(db, evaluation.id, criteria), addValues, errors }
    const status = Object.keys(errors).length > 0 ? 422 : 200
    return render(c, isHtmx(c) ? <CriteriaTree {...props} /> : <CriteriaPage {...props} />, status)
  }

  /** After a change: htmx gets the refreshed tree; a plain form post is redirected back to the page. */
  async function afterChange(c: Context, evaluation: Evaluation, anchor = '') {
    if (isHtmx(c)) return showTree(c, evaluation)
    return c.redirect(`/evaluations/${evaluation.id}/criteria${anchor}`, 303)
  }

  async function loadCriterion(c: Context) {
    const evaluation = evaluationOf(c)
    const criterion = await findCriterion(db, evaluation.id, pathId(c, 'criterionId'))
    if (criterion === undefined) throw new HTTPException(404)
    return { evaluation, criterion }
  }

  app.get('/', async (c) => showTree(c, evaluationOf(c)))

  app.post('/', async (c) => {
    const evaluation = evaluationOf(c)
    const values = formValues(await c.req.parseBody())
    const parsed = parseCriterionForm(values)
    if (!parsed.ok) return showTree(c, evaluation, values, parsed.errors)
    const { data } = parsed
    const details = { name: data.name, kind: data.kind, weight: data.weightValue, guidance: data.guidance, parentId: data.parent }
    const change = await unlessPlanRefuses(() => addCriterion(db, actorOf(c), evaluation.id, details, planReasonOf(values)))
    if (change.refused !== null) return showTree(c, evaluation, values, { planReason: change.refused })
    const refused = change.result
    if (refused !== null) return showTree(c, evaluation, values, { [refused.field]: refused.message })
    return afterChange(c, evaluation, '#add')
  })

  app.post('/:criterionId/weight', async (c) => {
    const { evaluation, criterion } = await loadCriterion(c)
    const values = formValues(await c.req.parseBody())
    const field = `weight-${criterion.id}`
    const weight = weightField.safeParse(values.weight ?? '')
    if (!weight.success) {
      return showTree(c, evaluation, { [field]: values.weight }, { [field]: weight.error.issues[0]?.message ?? 'Enter a weight' })
    }
    const change = await unlessPlanRefuses(() => setCriterionWeight(db, actorOf(c), criterion, weight.data, planReasonOf(values)))
    if (change.refused !== null) return showTree(c, evaluation, { [field]: values.weight }, { [field]: inlinePlanChange(change.refused) })
    const refused = change.result
    if (refused !== null) return showTree(c, evaluation, { [field]: values.weight }, { [field]: refused.message })
    return afterChange(c, evaluation, `#criterion-${criterion.id}`)
  })

  app.post('/:criterionId/name', async (c) => {
    const { evaluation, criterion } = await loadCriterion(c)
    const values = formValues(await c.req.parseBody())
    const field = `name-${criterion.id}`
    const name = requiredText('Enter a name').safeParse(values.name ?? '')
    if (!name.success) {
      return showTree(c, evaluation, { [field]: values.name }, { [field]: name.error.issues[0]?.message ?? 'Enter a name' })
    }
    const change = await unlessPlanRefuses(() => renameCriterion(db, actorOf(c), criterion, name.data, planReasonOf(values)))
    if (change.refused !== null) return showTree(c, evaluation, { [field]: values.name }, { [field]: inlinePlanChange(change.refused) })
    return afterChange(c, evaluation, `#criterion-${criterion.id}`)
  })

  app.post('/:criterionId/move', async (c) => {
    const { evaluation, criterion } = await loadCriterion(c)
    const direction = z.enum(['up', 'down']).safeParse(formValues(await c.req.parseBody()).direction)
    if (!direction.success) throw new HTTPException(400, { message: 'Choose to move the criterion up or down.' })
    const change = await unlessPlanRefuses(() => moveCriterion(db, actorOf(c), criterion, direction.data))
    if (change.refused !== null) return showTree(c, evaluation, {}, { form: inlinePlanChange(change.refused) })
    return afterChange(c, evaluation, `#criterion-${criterion.id}`)
  })

  app.get('/:criterionId/edit', async (c) => {
    const { evaluation, criterion } = await loadCriterion(c)
    const values: FormValues = {
      name: criterion.name,
      kind: criterion.kind,
      parent: criterion.parent_id === null ? '' : String(criterion.parent_id),
      weight: criterion.weight === null ? (criterion.kind === 'gate' ? '' : '1') : String(criterion.weight),
      guidance: criterion.guidance ?? '',
    }
    for (const d of await listCriterionDescriptors(db, evaluation.id)) {
      if (d.criterion_id === criterion.id) values[`descriptor-${d.level}`] = d.text
    }
    return render(c, <CriterionEditPage {...(await editProps(evaluation, criterion))} values={values} errors={{}} />)
  })

  async function editProps(evaluation: Evaluation, criterion: Criterion) {
    const criteria = await listCriteria(db, evaluation.id)
    const levels = Array.from({ length: evaluation.scale_max - evaluation.scale_min + 1 }, (_, i) => evaluation.scale_min + i)
    return { evaluation, criterion, criteria, levels }
  }

  app.post('/:criterionId', async (c) => {
    const { evaluation, criterion } = await loadCriterion(c)
    const values = formValues(await c.req.parseBody())
    const props = await editProps(evaluation, criterion)
    const fail = (errors: FieldErrors) => render(c, <CriterionEditPage {...props} values={values} errors={errors} />, 422)
    const parsed = parseCriterionForm(values)
    if (!parsed.ok) return fail(parsed.errors)
    const { data } = parsed
    const descriptors: { level: number; text: string }[] = []
    for (const level of props.levels) {
      const text = values[`descriptor-${level}`]?.trim() ?? ''
      if (text !== '') descriptors.push({ level, text })
    }
    const details = { name: data.name, kind: data.kind, weight: data.weightValue, guidance: data.guidance, parentId: data.parent, descriptors }
    const change = await unlessPlanRefuses(() => editCriterion(db, actorOf(c), criterion, details, planReasonOf(values)))
    if (change.refused !== null) return fail({ planReason: change.refused })
    const refused = change.result
    if (refused !== null) return fail({ [refused.field]: refused.message })
    return c.redirect(`/evaluations/${evaluation.id}/criteria#criterion-${criterion.id}`, 303)
  })

  async function deletePage(c: Context, evaluation: Evaluation, criterion: Criterion, values: FormValues = {}, errors: FieldErrors = {}) {
    const criteria = await listCriteria(db, evaluation.id)
    const ids = [...descendantIds(criteria, criterion.id)]
    const count = async (table: 'individual_score' | 'consensus_score') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('criterion_id', 'in', ids)
            .executeTakeFirstOrThrow()
        ).n,
      )
    const scoreCount = (await count('individual_score')) + (await count('consensus_score'))
    const page = (
      <CriterionDeletePage evaluation={evaluation} criterion={criterion} beneath={ids.length - 1} scoreCount={scoreCount} values={values} errors={errors} />
    )
    return render(c, page, Object.keys(errors).length > 0 ? 422 : 200)
  }

  app.get('/:criterionId/delete', async (c) => {
    const { evaluation, criterion } = await loadCriterion(c)
    return deletePage(c, evaluation, criterion)
  })

  app.post('/:criterionId/delete', async (c) => {
    const { evaluation, criterion } = await loadCriterion(c)
    const values = formValues(await c.req.parseBody())
    const change = await unlessPlanRefuses(() => removeCriterion(db, actorOf(c), criterion, planReasonOf(values)))
    if (change.refused !== null) {
      if (isHtmx(c)) return showTree(c, evaluation, {}, { form: inlinePlanChange(change.refused) })
      return deletePage(c, evaluation, criterion, values, { planReason: change.refused })
    }
    const refused = change.result
    if (refused !== null) {
      if (isHtmx(c)) return showTree(c, evaluation, {}, { form: refused.message })
      throw new HTTPException(422, { message: refused.message })
    }
    return afterChange(c, evaluation)
  })

  return app
}
