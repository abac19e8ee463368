import type { PanelRoleRow } from '../../src/db/accounts.js'
import type { Account, Criterion, Evaluation, EvaluationRole, PanelMember } from '../../src/db/schema.js'
import { ErrorSummary, fieldId, Select, TextField, type FieldErrors, type FormValues } from '../components/form.js'
import { Layout } from '../layout.js'
import { possessive } from '../../src/format.js'
import { useMay } from '../../src/auth/viewer.js'

export const roleLabels: Record<EvaluationRole, { name: string; description: string }> = {
  lead: { name: 'Lead', description: 'configures the evaluation, manages the panel, moderates and finalises' },
  evaluator: { name: 'Evaluator', description: 'scores the options on the criteria assigned to them' },
  finance: { name: 'Finance', description: 'edits the cost model and the appraisal settings' },
  observer: { name: 'Observer', description: 'reads the results once moderation is complete' },
  facilitator: { name: 'Facilitator', description: 'runs frontline trial sessions: the option, the role, task outcomes and comments' },
  clerk: { name: 'Clerk', description: 'loads each tender’s documents and the supplier’s responses; sees no scores' },
  stakeholder: { name: 'Stakeholder', description: 'compares criteria in pairs in weighting rounds; sees the criteria, nothing of the tenders' },
  approver: { name: 'Approver', description: 'signs off the decision (a senior responsible owner, say); reads the results once moderation is complete' },
}

export interface PanelPageProps {
  evaluation: Evaluation
  roles: PanelRoleRow[]
  members: PanelMember[]
  /** The accounts panel members are linked to, by id. */
  linked: Map<number, { name: string; email: string }>
  /** Every enabled account, for a site administrator only; null for everyone else. */
  directory: Account[] | null
  values: FormValues
  errors: FieldErrors
  /** Top-level groups, which the lead can assign to panel members. */
  groups: Criterion[]
  /** Criterion ids assigned to each panel member; none means all. */
  assignments: Map<number, number[]>
}

export function PanelPage({ evaluation, roles, members, linked, directory, values, errors, groups, assignments }: PanelPageProps) {
  const list = directory === null ? undefined : 'account-directory'
  const base = `/evaluations/${evaluation.id}/panel`
  // Roles are access, not the record, so they change after sign-off too; the panel's accounts and criteria are the record's.
  const may = useMay()
  const mayLink = may('POST /evaluations/:id/panel/link')
  const mayAssign = may('POST /evaluations/:id/panel/assign')
  const people = new Map<number, { name: string; email: string; roles: EvaluationRole[] }>()
  for (const r of roles) {
    const person = people.get(r.accountId) ?? { name: r.name, email: r.email, roles: [] }
    person.roles.push(r.role)
    people.set(r.accountId, person)
  }
  return (
    <Layout
      title={`Panel – ${evaluation.title}`}
      crumbs={[
        { href: '/evaluations', label: 'Evaluations' },
        { href: `/evaluations/${evaluation.id}`, label: evaluation.title },
      ]}>
      <h1>Panel and roles</h1>
      <dl class="summary-list">
        {Object.entries(roleLabels).map(([, label]) => (
          <div class="summary-list__row">
            <dt>{label.name}</dt>
            <dd>{label.description}</dd>
          </div>
        ))}
      </dl>
      <ErrorSummary errors={errors} fieldIds={Object.fromEntries(members.map((m) => [`link-${m.id}`, fieldId('email', `member-${m.id}`)]))} />
      {directory !== null && (
        <datalist id="account-directory">
          {directory.map((a) => (
            <option value={a.email}>{a.name}</option>
          ))}
        </datalist>
      )}
      <table class="table">
        <caption class="visually-hidden">People and their roles on this evaluation</caption>
        <thead>
          <tr>
            <th scope="col">Person</th>
            <th scope="col">Roles</th>
          </tr>
        </thead>
        <tbody>
          {[...people.entries()].map(([accountId, person]) => (
            <tr>
              <th scope="row">
                {person.name} <span class="hint">{person.email}</span>
              </th>
              <td>
                {person.roles.map((role) => (
                  <form method="post" action={`${base}/remove`} class="inline-form role-chip">
                    <input type="hidden" name="accountId" value={String(accountId)} />
                    <input type="hidden" name="role" value={role} />
                    <strong class="tag">{roleLabels[role].name}</strong>
                    <button class="link-button" type="submit">
                      Remove
                      <span class="visually-hidden">
                        {' '}
                        {roleLabels[role].name} role from {person.name}
                      </span>
                    </button>
                  </form>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Give someone a role</h2>
      <form method="post" action={base} novalidate>
        <TextField
          name="email"
          label="Their account’s email address"
          type="email"
          value={values.email}
          error={errors.email}
          hint="Type it exactly. They need an account first: a site administrator creates it."
          list={list}
          autocomplete="off"
        />
        <Select
          name="role"
          label="Role"
          value={values.role}
          error={errors.role}
          options={[
            { value: '', label: 'Choose a role' },
            ...Object.entries(roleLabels).map(([value, label]) => ({ value, label: `${label.name}: ${label.description}` })),
          ]}
        />
        <button class="button" type="submit">
          Give role
        </button>
      </form>
      {members.length > 0 && (
        <>
          <h2>Panel members in the record</h2>
          <p>
            Scores in an imported evaluation belong to panel members.
            {mayLink && ' Link each to the account of the person, by its email address, so their scoring and the record are theirs. Leave it blank to unlink.'}
          </p>
          <table class="table">
            <caption class="visually-hidden">Panel members and their accounts</caption>
            <thead>
              <tr>
                <th scope="col">Panel member</th>
                <th scope="col">Account</th>
                <th scope="col">Criteria to score</th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr>
                  <th scope="row">
                    {m.name}
                    {m.role !== null && <span class="hint"> {m.role}</span>}
                  </th>
                  <td>
                    {!mayLink &&
                      (m.account_id === null ? 'Not linked' : `${linked.get(m.account_id)?.name ?? 'An account'} (${linked.get(m.account_id)?.email ?? ''})`)}
                    {mayLink && (
                      <form method="post" action={`${base}/link`} class="link-member">
                        <input type="hidden" name="memberId" value={String(m.id)} />
                        <TextField
                          name="email"
                          type="email"
                          idPrefix={`member-${m.id}`}
                          label={<span class="visually-hidden">Email of {possessive(m.name)} account</span>}
                          value={values[`link-${m.id}`] ?? (m.account_id === null ? '' : linked.get(m.account_id)?.email)}
                          error={errors[`link-${m.id}`]}
                          hint={m.account_id === null ? 'Not linked' : `Linked to ${linked.get(m.account_id)?.name ?? 'an account'}`}
                          list={list}
                          autocomplete="off"
                        />
                        <button class="button button--small button--secondary" type="submit">
                          Save<span class="visually-hidden"> link for {m.name}</span>
                        </button>
                      </form>
                    )}
                  </td>
                  <td id={`member-${m.id}`}>
                    {!mayAssign &&
                      (groups
                        .filter((g) => assignments.get(m.id)?.includes(g.id))
                        .map((g) => g.name)
                        .join(', ') ||
                        'Every criterion')}
                    {mayAssign && (
                      <form method="post" action={`${base}/assign`}>
                        <input type="hidden" name="memberId" value={String(m.id)} />
                        <fieldset class="fieldset">
                          <legend class="hint">Leave all unticked for every criterion.</legend>
                          {groups.map((g) => (
                            <div class="checkbox-small">
                              <input
                                type="checkbox"
                                id={`assign-${m.id}-${g.id}`}
                                name="criterion"
                                value={String(g.id)}
                                checked={assignments.get(m.id)?.includes(g.id) ?? false}
                              />
                              <label for={`assign-${m.id}-${g.id}`}>{g.name}</label>
                            </div>
                          ))}
                        </fieldset>
                        <button class="button button--small button--secondary" type="submit">
                          Save<span class="visually-hidden"> criteria for {m.name}</span>
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Layout>
  )
}
