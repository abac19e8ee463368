import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { z } from 'zod'
import type { AppDeps } from '../app.js'
import { accountOf } from '../auth/guard.js'
import { generatePassword, hashPassword } from '../auth/password.js'
import { findAccount, findAccountByEmail, insertAccount, listAccounts, setAccountFlags, updatePasswordHash } from '../db/accounts.js'
import { deleteSessionsOf } from '../db/sessions.js'
import { AccountsPage } from '../../views/pages/accounts.js'
import type { FieldErrors, FormValues } from '../../views/components/form.js'
import { pathId } from './evaluation-context.js'
import { checkboxField, formValues, parseForm, requiredText } from './form.js'
import { render } from './render.js'

export const emailField = z
  .string({ error: 'Enter an email address' })
  .trim()
  .min(1, 'Enter an email address')
  .max(320, 'Enter an email address of 320 characters or fewer')
  .pipe(z.email({ error: 'Enter an email address in the right format, like name@example.org' }))

const accountForm = z.object({ email: emailField, name: requiredText('Enter the person’s name'), admin: checkboxField })
const actionForm = z.object({ action: z.enum(['reset-password', 'disable', 'enable', 'make-admin', 'remove-admin']) })

/** Site administration of accounts: add, reset a password, disable, grant or remove administration. */
export function accountRoutes({ db }: AppDeps): Hono {
  const app = new Hono()

  async function page(selfId: number, values: FormValues, errors: FieldErrors, issued?: { email: string; password: string }) {
    return <AccountsPage accounts={await listAccounts(db)} selfId={selfId} values={values} errors={errors} issued={issued} />
  }

  app.get('/', async (c) => render(c, await page(accountOf(c).id, {}, {})))

  app.post('/', async (c) => {
    const self = accountOf(c)
    const values = formValues(await c.req.parseBody())
    const parsed = parseForm(accountForm, values)
    if (!parsed.ok) return render(c, await page(self.id, values, parsed.errors), 422)
    if ((await findAccountByEmail(db, parsed.data.email)) !== undefined) {
      return render(c, await page(self.id, values, { email: 'There is already an account with this email address' }), 422)
    }
    const password = generatePassword()
    await insertAccount(db, { email: parsed.data.email, name: parsed.data.name, passwordHash: await hashPassword(password), admin: parsed.data.admin })
    return render(c, await page(self.id, {}, {}, { email: parsed.data.email.toLowerCase(), password }))
  })

  app.post('/:accountId', async (c) => {
    const self = accountOf(c)
    const account = await findAccount(db, pathId(c, 'accountId'))
    if (account === undefined) throw new HTTPException(404)
    const parsed = actionForm.safeParse(formValues(await c.req.parseBody()))
    if (!parsed.success) throw new HTTPException(400, { message: 'Choose an action from the page.' })
    const action = parsed.data.action
    if (account.id === self.id) {
      const message = 'You cannot change your own account here: use ‘Change your password’, and ask another administrator for the rest'
      return render(c, await page(self.id, {}, { form: message }), 422)
    }
    if (action === 'reset-password') {
      const password = generatePassword()
      const hash = await hashPassword(password)
      await db.transaction().execute(async (trx) => {
        await updatePasswordHash(trx, account.id, hash)
        await deleteSessionsOf(trx, account.id)
      })
      return render(c, await page(self.id, {}, {}, { email: account.email, password }))
    }
    await db.transaction().execute(async (trx) => {
      if (action === 'disable' || action === 'enable') {
        await setAccountFlags(trx, account.id, { disabled: action === 'disable' })
        if (action === 'disable') await deleteSessionsOf(trx, account.id)
      } else {
        await setAccountFlags(trx, account.id, { admin: action === 'make-admin' })
      }
    })
    return c.redirect('/accounts', 303)
  })

  return app
}
