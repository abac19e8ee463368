import type { Context } from 'hono'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { z } from 'zod'
import type { AppDeps } from '../app.js'
import { evaluationOf } from '../auth/guard.js'
import { accountsById, findAccount, findAccountByEmail, grantRole, listAccounts, listPanelRoles, revokeRole } from '../db/accounts.js'
import { listCriteria } from '../db/criteria.js'
import { linkPanelMember, listPanelMembers } from '../db/panel.js'
import { assignedCriterionIds, replaceAssignments } from '../db/scoring.js'
import type { Evaluation } from '../db/schema.js'
import { PanelPage } from '../../views/pages/panel.js'
import type { FieldErrors, FormValues } from '../../views/components/form.js'
import { emailField } from './accounts.js'
import { formValues, parseForm } from './form.js'
import { render } from './render.js'
import { changeEvaluation } from './change.js'

const roleField = z.enum(['lead', 'evaluator', 'finance', 'observer'], { error: 'Choose a role from the list' })
const grantForm = z.object({ email: emailField, role: roleField })
const removeForm = z.object({ accountId: z.coerce.number().int().positive(), role: roleField })
const linkForm = z.object({ memberId: z.coerce.number().int().positive() })

const NO_ACCOUNT = 'There is no account with this email address: ask a site administrator to create one'

/** The lead's page: who holds which role, and which account each panel member in the record is. */
const ROLES = { tables: ['panel_role'] } as const

export function panelRoutes({ db }: AppDeps): Hono {
  const app = new Hono()

  async function show(c: Context, evaluation: Evaluation, values: FormValues = {}, errors: FieldErrors = {}) {
    // Accounts are found by typing an exact email; only a site administrator sees them all.
    const [roles, members, criteria] = await Promise.all([listPanelRoles(db, evaluation.id), listPanelMembers(db, evaluation.id), listCriteria(db, evaluation.id)])
    const linked = await accountsById(db, members.flatMap((m) => (m.account_id === null ? [] : [m.account_id])))
    const directory = c.get('account')?.admin === 1 ? (await listAccounts(db)).filter((a) => a.disabled === 0) : null
    const assignments = new Map<number, number[]>()
    for (const m of members) assignments.set(m.id, await assignedCriterionIds(db, m.id))
    const groups = criteria.filter((x) => x.parent_id === null && x.kind === 'group')
    const page = (
      <PanelPage evaluation={evaluation} roles={roles} members={members} linked={linked} directory={directory} values={values} errors={errors}
        groups={groups} assignments={assignments} />
    )
    return render(c, page, Object.keys(errors).length > 0 ? 422 : 200)
  }

  app.get('/', async (c) => show(c, evaluationOf(c)))

  app.post('/', async (c) => {
    const evaluation = evaluationOf(c)
    const values = formValues(await c.req.parseBody())
    const parsed = parseForm(grantForm, values)
    if (!parsed.ok) return show(c, evaluation, values, parsed.errors)
    const account = await findAccountByEmail(db, parsed.data.email)
    if (account === undefined || account.disabled === 1) {
      return show(c, evaluation, values, { email: NO_ACCOUNT })
    }
    const summary = `${account.name} (${account.email}) given the ${parsed.data.role} role`
    // Who may see an evaluation is not part of its record: roles can change after sign-off.
    await changeEvaluation(db, c, evaluation, { kind: 'panel', summary, reach: ROLES, whileFinalised: true }, (trx) =>
      grantRole(trx, evaluation.id, account.id, parsed.data.role),
    )
    return c.redirect(`/evaluations/${evaluation.id}/panel`, 303)
  })

  app.post('/remove', async (c) => {
    const evaluation = evaluationOf(c)
    const parsed = removeForm.safeParse(formValues(await c.req.parseBody()))
    if (!parsed.success) throw new HTTPException(400, { message: 'Choose a role to remove from the page.' })
    const { accountId, role } = parsed.data
    if (role === 'lead') {
      const leads = (await listPanelRoles(db, evaluation.id)).filter((r) => r.role === 'lead')
      if (leads.length === 1 && leads[0]!.accountId === accountId) {
        return show(c, evaluation, {}, { form: 'An evaluation needs a lead: give someone else the lead role first' })
      }
    }
    const account = await findAccount(db, accountId)
    const summary = `${account?.name ?? `Account ${accountId}`} no longer has the ${role} role`
    await changeEvaluation(db, c, evaluation, { kind: 'panel', summary, reach: ROLES, whileFinalised: true }, (trx) => revokeRole(trx, evaluation.id, accountId, role))
    return c.redirect(`/evaluations/${evaluation.id}/panel`, 303)
  })

  app.post('/assign', async (c) => {
    const evaluation = evaluationOf(c)
    const body = await c.req.parseBody({ all: true })
    const memberId = z.coerce.number().int().positive().safeParse(formValues(body).memberId)
    if (!memberId.success) throw new HTTPException(400, { message: 'Choose a panel member from the page.' })
    const member = (await listPanelMembers(db, evaluation.id)).find((m) => m.id === memberId.data)
    if (member === undefined) throw new HTTPException(404)
    const criteria = new Set((await listCriteria(db, evaluation.id)).map((x) => x.id))
    const raw = body.criterion
    const chosen = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(Number).filter((id) => criteria.has(id))
    const summary = `Criteria assigned to ${member.name}: ${chosen.length === 0 ? 'all (none chosen)' : `${chosen.length} chosen`}`
    const reach = { tables: ['panel_assignment'], memberId: member.id } as const
    await changeEvaluation(db, c, evaluation, { kind: 'panel', summary, reach }, (trx) => replaceAssignments(trx, member.id, chosen))
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
    const account = email === null ? null : await findAccountByEmail(db, email.data)
    if (account === undefined || account?.disabled === 1) return show(c, evaluation, { [field]: values.email }, { [field]: NO_ACCOUNT })
    const accountId = account?.id ?? null
    const summary = accountId === null ? `${member.name} unlinked from their account` : `${member.name} linked to an account, as an evaluator`
    const reach = { tables: ['panel_member', 'panel_role'], memberId: member.id } as const
    await changeEvaluation(db, c, evaluation, { kind: 'panel', summary, reach }, async (trx) => {
      await linkPanelMember(trx, member.id, accountId)
      // A linked panel member scores: they need the evaluator role.
      if (accountId !== null) await grantRole(trx, evaluation.id, accountId, 'evaluator')
    })
    return c.redirect(`/evaluations/${evaluation.id}/panel`, 303)
  })

  return app
}
