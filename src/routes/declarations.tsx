import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { z } from 'zod'
import type { AppDeps } from '../app.js'
import { accountOf, actorOf, evaluationOf } from '../auth/guard.js'
import { declarationStanding, DECLARING_ROLES, LIMITS } from '../appraisal/index.js'
import { listPanelRoles } from '../db/accounts.js'
import {
  assessDeclaration,
  declareForRoles,
  listRoleDeclarations,
  memberStanding,
  roleDeclarationOf,
  suppliersKnownOf,
  suppliersNow,
} from '../db/declarations.js'
import { listPanelMembers } from '../db/panel.js'
import type { Evaluation, EvaluationRole, PanelMember } from '../db/schema.js'
import { ConflictsPage, type ConflictRow } from '../../views/pages/conflicts.js'
import { roleLabels } from '../../views/pages/panel.js'
import { DeclarationPage } from '../../views/pages/scoring.js'
import type { FieldErrors, FormValues } from '../../views/components/form.js'
import { pathId } from './evaluation-context.js'
import { formValues, optionalText, parseForm } from './form.js'
import { render } from './render.js'

/** A declaration of interest, as every role's form sends it: an interest names its supplier and says what it is. */
export const declarationForm = z
  .object({
    interest: z.enum(['none', 'interest'], { error: 'Say whether you have an interest to declare' }),
    supplier: optionalText(LIMITS.shortText),
    details: optionalText(5000),
  })
  .refine((f) => f.interest === 'none' || f.supplier !== null, { path: ['supplier'], message: 'Name the supplier your interest is in' })
  .refine((f) => f.interest === 'none' || (f.details ?? '').length >= 10, {
    path: ['details'],
    message: 'Describe the interest: who it is with, what it is, and when',
  })

/** The declaration form for a panel member, first or to renew. */
export function memberDeclarationPage(
  evaluation: Evaluation,
  member: PanelMember,
  suppliers: readonly string[],
  values: FormValues = {},
  errors: FieldErrors = {},
) {
  const standing = memberStanding(member, suppliers)
  return (
    <DeclarationPage
      evaluation={evaluation}
      action={`/evaluations/${evaluation.id}/scoring/declaration`}
      before="scoring"
      newSuppliers={standing.state === 'renew' ? standing.newSuppliers : undefined}
      earlier={member.declared_interest === 1 ? { supplier: member.interest_supplier, details: member.declaration_details } : null}
      suppliers={suppliers}
      values={values}
      errors={errors}
    />
  )
}

const assessmentForm = z.object({ assessment: optionalText(5000), mitigation: optionalText(5000) })

function rolesInWords(roles: readonly EvaluationRole[]): string {
  const words = roles.map((role, i) => (i === 0 ? roleLabels[role].name : roleLabels[role].name.toLowerCase()))
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`
}

/**
 * Declarations of interest from every role but the panel's (whose declaration is part of scoring),
 * and the lead's conflicts assessment of everyone's.
 */
export function declarationRoutes({ db }: AppDeps): Hono {
  const app = new Hono()

  /** The roles a person declares for here: their roles on the evaluation that declare. */
  const declaringRoles = (roles: readonly EvaluationRole[]) => roles.filter((role) => DECLARING_ROLES.includes(role))

  async function declarationPage(evaluationId: number, accountId: number, values: FormValues = {}, errors: FieldErrors = {}) {
    const [row, suppliers] = await Promise.all([roleDeclarationOf(db, evaluationId, accountId), suppliersNow(db, evaluationId)])
    const standing = declarationStanding(row === undefined ? null : { suppliersKnown: suppliersKnownOf(row) }, suppliers)
    return { row, suppliers, standing, values, errors }
  }

  app.get('/declaration', async (c) => {
    const evaluation = evaluationOf(c)
    const page = await declarationPage(evaluation.id, accountOf(c).id)
    if (page.standing.state === 'current' && c.req.query('renew') === undefined) {
      return c.redirect(c.req.query('next')?.startsWith(`/evaluations/${evaluation.id}`) === true ? c.req.query('next')! : `/evaluations/${evaluation.id}`, 303)
    }
    return render(c, pageOf(evaluation, page, c.req.query('next')))
  })

  function pageOf(evaluation: Evaluation, page: Awaited<ReturnType<typeof declarationPage>>, next: string | undefined) {
    const safeNext = next?.startsWith(`/evaluations/${evaluation.id}`) === true ? next : undefined
    return (
      <DeclarationPage
        evaluation={evaluation}
        action={`/evaluations/${evaluation.id}/declaration${safeNext === undefined ? '' : `?next=${encodeURIComponent(safeNext)}`}`}
        before="work"
        newSuppliers={page.standing.state === 'renew' ? page.standing.newSuppliers : undefined}
        earlier={page.row?.interest === 1 ? { supplier: page.row.supplier, details: page.row.details } : null}
        suppliers={page.suppliers}
        values={page.values}
        errors={page.errors}
      />
    )
  }

  app.post('/declaration', async (c) => {
    const evaluation = evaluationOf(c)
    const account = accountOf(c)
    const values = formValues(await c.req.parseBody())
    const parsed = parseForm(declarationForm, values)
    const next = c.req.query('next')
    if (!parsed.ok) return render(c, pageOf(evaluation, await declarationPage(evaluation.id, account.id, values, parsed.errors), next), 422)
    const refused = await declareForRoles(db, actorOf(c), evaluation.id, account, declaringRoles(c.get('roles')), {
      interest: parsed.data.interest === 'interest',
      supplier: parsed.data.interest === 'interest' ? parsed.data.supplier : null,
      details: parsed.data.interest === 'interest' ? parsed.data.details : null,
    })
    if (refused !== null) {
      return render(c, pageOf(evaluation, await declarationPage(evaluation.id, account.id, values, { [refused.field]: refused.message }), next), 422)
    }
    return c.redirect(next?.startsWith(`/evaluations/${evaluation.id}`) === true ? next : `/evaluations/${evaluation.id}`, 303)
  })

  async function conflictRows(evaluation: Evaluation): Promise<{ rows: ConflictRow[]; suppliers: string[] }> {
    const [roles, members, declarations, suppliers] = await Promise.all([
      listPanelRoles(db, evaluation.id),
      listPanelMembers(db, evaluation.id),
      listRoleDeclarations(db, evaluation.id),
      suppliersNow(db, evaluation.id),
    ])
    const rows: ConflictRow[] = []
    for (const m of members) {
      const standing = memberStanding(m, suppliers)
      rows.push({
        name: m.name,
        roles: m.role === null ? 'Evaluator' : `Evaluator, ${m.role}`,
        state: standing.state === 'missing' ? 'none' : standing.state === 'renew' ? 'renew' : m.declared_interest === 1 ? 'interest' : 'no-interest',
        newSuppliers: standing.state === 'renew' ? standing.newSuppliers : [],
        interest: m.declared_interest === 1 ? { supplier: m.interest_supplier, details: m.declaration_details } : null,
        declaredAt: m.declared_at,
        assess: { kind: 'panel', decision: m.decision, note: m.decision_note, decidedAt: m.decided_at },
      })
    }
    const byAccount = new Map<number, { name: string; roles: EvaluationRole[] }>()
    for (const r of roles) {
      if (!DECLARING_ROLES.includes(r.role) || r.role === 'evaluator') continue
      const entry = byAccount.get(r.accountId) ?? { name: r.name, roles: [] }
      entry.roles.push(r.role)
      byAccount.set(r.accountId, entry)
    }
    const listed = new Set<number>()
    const rowOf = (name: string, roleWords: string, d: (typeof declarations)[number] | undefined): ConflictRow => {
      const standing = declarationStanding(d === undefined ? null : { suppliersKnown: suppliersKnownOf(d) }, suppliers)
      return {
        name,
        roles: roleWords,
        state: standing.state === 'missing' ? 'none' : standing.state === 'renew' ? 'renew' : d!.interest === 1 ? 'interest' : 'no-interest',
        newSuppliers: standing.state === 'renew' ? standing.newSuppliers : [],
        interest: d?.interest === 1 ? { supplier: d.supplier, details: d.details } : null,
        declaredAt: d?.declared_at ?? null,
        assess: d === undefined ? null : { kind: 'role', id: d.id, assessment: d.assessment, mitigation: d.mitigation, assessedAt: d.assessed_at },
      }
    }
    for (const [accountId, person] of byAccount) {
      const d = declarations.find((x) => x.account_id === accountId)
      if (d !== undefined) listed.add(d.id)
      rows.push(rowOf(person.name, rolesInWords(person.roles), d))
    }
    // Declarations from the record whose people hold no role here now (imported, or since removed): still part of it.
    for (const d of declarations.filter((x) => !listed.has(x.id))) {
      rows.push(rowOf(d.name, rolesInWords(JSON.parse(d.roles) as EvaluationRole[]), d))
    }
    return { rows, suppliers }
  }

  app.get('/conflicts', async (c) => {
    const evaluation = evaluationOf(c)
    const { rows, suppliers } = await conflictRows(evaluation)
    return render(c, <ConflictsPage evaluation={evaluation} rows={rows} suppliers={suppliers} canAssess={!c.get('finalised')} />)
  })

  app.post('/conflicts/:declarationId', async (c) => {
    const evaluation = evaluationOf(c)
    const id = pathId(c, 'declarationId')
    const declaration = (await listRoleDeclarations(db, evaluation.id)).find((d) => d.id === id)
    if (declaration === undefined) throw new HTTPException(404)
    const values = formValues(await c.req.parseBody())
    const parsed = parseForm(assessmentForm, values)
    const refused = parsed.ok ? await assessDeclaration(db, actorOf(c), declaration, parsed.data) : null
    if (!parsed.ok || refused !== null) {
      const errors = parsed.ok ? { [refused!.field]: refused!.message } : parsed.errors
      const { rows, suppliers } = await conflictRows(evaluation)
      return render(c, <ConflictsPage evaluation={evaluation} rows={rows} suppliers={suppliers} canAssess failed={{ id, values, errors }} />, 422)
    }
    return c.redirect(`/evaluations/${evaluation.id}/conflicts#conflicts`, 303)
  })

  return app
}
