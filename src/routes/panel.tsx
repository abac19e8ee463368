import type { Context } from 'hono'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { z } from 'zod'
import type { AppDeps } from '../app.js'
import { accountOf, actorOf, evaluationOf } from '../auth/guard.js'
import { accountsById, listAccounts, listPanelRoles } from '../db/accounts.js'
import { listCriteria } from '../db/criteria.js'
import { assignCriteria, giveRole, linkMemberToAccount, listPanelMembers, takeRole } from '../db/panel.js'
import { assignedCriterionIds } from '../db/scoring.js'
import type { Evaluation } from '../db/schema.js'
import { EVALUATION_ROLES } from '../vocabulary.js'
import { PanelPage } from '../../views/pages/panel.js'
import type { FieldErrors, FormValues } from '../../views/components/form.js'
import { emailField } from './accounts.js'
import { formValues, parseForm } from './form.js'
import { render } from './render.js'

const roleField = z.enum(EVALUATION_ROLES, { error: 'Choose a role from the list' })
const grantForm = z.object({ email: emailField, role: roleField })
const removeForm = z.object({ accountId: z.coerce.number().int().positive(), role: roleField })
const linkForm = z.object({ memberId: z.coerce.number().int().positive() })

/** The lead's page: who holds which role, and which account each panel member in the record is. */
export function panelRoutes({ db }: AppDeps): Hono {
  const app = new Hono()

  async function show(c: Context, evaluation: Evaluation, values: FormValues = {}, errors: FieldErrors = {}) {
    // Accounts are found by typing an exact email; only a site administrator sees them all.
    const [roles, members, criteria] = await Promise.all([
      listPanelRoles(db, evaluation.id),
      listPanelMembers(db, evaluation.id),
      listCriteria(db, evaluation.id),
    ])
    const linked = await accountsById(
      db,
      members.flatMap((m) => (m.account_id === null ? [] : [m.account_id])),
    )
    const directory = accountOf(c).admin === 1 ? (await listAccounts(db)).filter((a) => a.disabled === 0) : null
    const assignments = new Map<number, number[]>()
    for (const m of members) assignments.set(m.id, await assignedCriterionIds(db, m.id))
    const groups = criteria.filter((x) => x.parent_id === null && x.kind === 'group')
    const page = (
      <PanelPage
        evaluation={evaluation}
        roles={roles}
        members={members}
        linked={linked}
        directory={directory}
        values={values}
        errors={errors}
        groups={groups}
        assignments={assignments}
      />
    )
    return render(c, page, Object.keys(errors).length > 0 ? 422 : 200)
  }

  app.get('/', async (c) => show(c, evaluationOf(c)))

  app.post('/', async (c) => {
    const evaluation = evaluationOf(c)
    const values = formValues(await c.req.parseBody())
    const parsed = parseForm(grantForm, values)
    if (!parsed.ok) return show(c, evaluation, values, parsed.errors)
    const refused = await giveRole(db, actorOf(c), evaluation.id, parsed.data.email, parsed.data.role)
    if (refused !== null) return show(c, evaluation, values, { [refused.field]: refused.message })
    return c.redirect(`/evaluations/${evaluation.id}/panel`, 303)
  })

  app.post('/remove', async (c) => {
    const evaluation = evaluationOf(c)
    const parsed = removeForm.safeParse(formValues(await c.req.parseBody()))
    if (!parsed.success) throw new HTTPException(400, { message: 'Choose a role to remove from the page.' })
    const refused = await takeRole(db, actorOf(c), evaluation.id, parsed.data.accountId, parsed.data.role)
    if (refused !== null) return show(c, evaluation, {}, { [refused.field]: refused.message })
    return c.redirect(`/evaluations/${evaluation.id}/panel`, 303)
  })

  app.post('/assign', async (c) => {
    const evaluation = evaluationOf(c)
    const body = await c.req.parseBody({ all: true })
    const memberId = z.coerce.number().int().positive().safeParse(formValues(body).memberId)
    if (!memberId.success) throw new HTTPException(400, { message: 'Choose a panel member from the page.' })
    const member = (await listPanelMembers(db, evaluation.id)).find((m) => m.id === memberId.data)
    if (member === undefined) throw new HTTPException(404)
    const raw = body.criterion
    await assignCriteria(db, actorOf(c), member, (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(Number))
    return c.redirect(`/evaluations/${evaluation.id}/panel#member-${member.id}`, 303)
  })

  app.post('/link', async (c) => {
    const evaluation = evaluationOf(c)
    const values = formValues(await c.req.parseBody())
    const parsed = linkForm.safeParse(values)
    if (!parsed.success) throw new HTTPException(400, { message: 'Choose a panel member from the page.' })
    const member = (await listPanelMembers(db, evaluation.id)).find((m) => m.id === parsed.data.memberId)
    if (member === undefined) throw new HTTPException(404)
    const field = `link-${member.id}`
    // The account's exact email, or blank to unlink.
    const email = (values.email ?? '').trim() === '' ? null : emailField.safeParse(values.email)
    if (email?.success === false) return show(c, evaluation, { [field]: values.email }, { [field]: email.error.issues[0]!.message })
    const refused = await linkMemberToAccount(db, actorOf(c), member, email === null ? null : email.data)
    if (refused !== null) return show(c, evaluation, { [field]: values.email }, { [field]: refused.message })
    return c.redirect(`/evaluations/${evaluation.id}/panel`, 303)
  })

  return app
}
