import type { Account } from '../../src/db/schema.js'
import { Checkbox, ErrorSummary, TextField, type FieldErrors, type FormValues } from '../components/form.js'
import { Layout } from '../layout.js'

export interface AccountsPageProps {
  accounts: Account[]
  selfId: number
  values: FormValues
  errors: FieldErrors
  /** A password just set, shown once so the administrator can pass it on. */
  issued?: { email: string; password: string } | undefined
}

function AccountAction({ account, action, label }: { account: Account; action: string; label: string }) {
  return (
    <form method="post" action={`/accounts/${account.id}`} class="inline-form">
      <input type="hidden" name="action" value={action} />
      <button class="link-button" type="submit">
        {label}
        <span class="visually-hidden"> for {account.name}</span>
      </button>
    </form>
  )
}

export function AccountsPage({ accounts, selfId, values, errors, issued }: AccountsPageProps) {
  return (
    <Layout title="Accounts">
      <h1>Accounts</h1>
      {issued !== undefined && (
        <div class="notice" role="status">
          <p>
            The password for <strong>{issued.email}</strong> is <code class="password">{issued.password}</code>
          </p>
          <p>It is shown only this once. Give it to them in person or by a secure route; they can change it after signing in.</p>
        </div>
      )}
      <ErrorSummary errors={errors} />
      <table class="table">
        <caption class="visually-hidden">Accounts</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {accounts.map((a) => (
            <tr>
              <th scope="row">{a.name}</th>
              <td>{a.email}</td>
              <td>
                {a.admin === 1 && <strong class="tag">Administrator</strong>}
                {a.disabled === 1 && <strong class="tag tag--red">Disabled</strong>}
              </td>
              <td class="actions">
                {a.id !== selfId && (
                  <>
                    <AccountAction account={a} action="reset-password" label="Reset password" />
                    <AccountAction account={a} action={a.disabled === 1 ? 'enable' : 'disable'} label={a.disabled === 1 ? 'Enable' : 'Disable'} />
                    <AccountAction
                      account={a}
                      action={a.admin === 1 ? 'remove-admin' : 'make-admin'}
                      label={a.admin === 1 ? 'Remove administrator' : 'Make administrator'}
                    />
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Add an account</h2>
      <p>A password is generated and shown once. Give each person their own account: the record shows who did what.</p>
      <form method="post" action="/accounts" novalidate>
        <TextField name="email" label="Email address" type="email" value={values.email} error={errors.email} />
        <TextField name="name" label="Name" value={values.name} error={errors.name} hint="As it should appear in the record, for example ‘DI Sam Patel’." />
        <Checkbox name="admin" label="Site administrator (manages accounts)" checked={values.admin === 'on'} />
        <button class="button" type="submit">
          Add account
        </button>
      </form>
    </Layout>
  )
}
