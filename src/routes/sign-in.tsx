import { Hono } from 'hono'
import { getCookie } from 'hono/cookie'
import { z } from 'zod'
import type { AppDeps } from '../app.js'
import { accountOf, clearSessionCookie, SESSION_COOKIE, setSessionCookie } from '../auth/guard.js'
import { hashPassword, newPassword, PASSWORD_MAX_LENGTH, verifyPassword } from '../auth/password.js'
import { findAccount, findAccountByEmail, normaliseEmail, updatePasswordHash } from '../db/accounts.js'
import { deleteSession, deleteSessionsOf, startSession } from '../db/sessions.js'
import { ACCOUNT_POLICY, ADDRESS_POLICY, reserveSignInAttempt, signInFailed, signInSucceeded } from '../db/sign-in-throttle.js'
import { ChangePasswordPage, SignInPage as SignInForm } from '../../views/pages/sign-in.js'
import { formValues, parseForm } from './form.js'
import { render } from './render.js'

const signInForm = z.object({
  email: z.string({ error: 'Enter your email address' }).trim().min(1, 'Enter your email address').max(320, 'Enter your email address'),
  password: z.string({ error: 'Enter your password' }).min(1, 'Enter your password').max(PASSWORD_MAX_LENGTH, 'The email address or password is not right'),
})

const changePasswordForm = z
  .object({ current: z.string().min(1, 'Enter your current password'), password: newPassword, confirm: z.string() })
  .refine((f) => f.password === f.confirm, { path: ['confirm'], message: 'The two new passwords are not the same' })

// Control characters (which browsers drop from a URL: '/\t/evil.example' is '//evil.example') and
// backslashes (which they read as '/') have no place in a path of this site.
function unsafeInPath(path: string): boolean {
  for (const character of path) {
    const code = character.codePointAt(0)!
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || character === '\\') return true
  }
  return false
}

/**
 * Only a path on this site: never an open redirect to somewhere else. The path is read as a URL
 * against the app's own origin, as a browser would read the Location header, and kept only if it
 * stays there; what comes back is the parsed path, so what was checked is what is sent.
 */
export function safeNext(next: string | undefined, origin: string): string {
  if (next === undefined || !next.startsWith('/') || unsafeInPath(next)) return ''
  let url: URL
  try {
    url = new URL(next, origin)
  } catch {
    return ''
  }
  const path = `${url.pathname}${url.search}${url.hash}`
  // '/.//evil.example' parses to the path '//evil.example', which a browser reads as another site.
  if (url.origin !== new URL(origin).origin || path.startsWith('//')) return ''
  return path
}

function describeWait(ms: number): string {
  const seconds = Math.ceil(ms / 1000)
  return seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`
}

// Checked against when the email is unknown, so that an unknown email takes as long as a wrong password.
const unknownAccountHash = hashPassword('not a real password')

export function signInRoutes({ db, sso = null, passwordSignIn = true }: AppDeps): Hono {
  const app = new Hono()
  // What every sign-in page offers: single sign-on when configured, passwords unless turned off.
  const options = { sso: sso === null ? null : { name: sso.settings.name }, passwordSignIn }
  const SignInPage = (props: Parameters<typeof SignInForm>[0]) => <SignInForm {...options} {...props} />

  app.get('/sign-in', (c) => {
    const next = safeNext(c.req.query('next'), c.req.url)
    if (c.get('account') !== null) return c.redirect(next || '/evaluations', 302)
    const signedOut = c.req.query('signed-out') !== undefined && sso !== null ? { endSessionUrl: sso.endSessionUrl(), providerName: sso.settings.name } : null
    return render(c, <SignInPage values={{}} errors={{}} next={next} signedOut={signedOut} />)
  })

  app.post('/sign-in', async (c) => {
    const next = safeNext(c.req.query('next'), c.req.url)
    if (!passwordSignIn) {
      const errors = { form: `Password sign-in is turned off on this site: sign in with ${sso?.settings.name ?? 'single sign-on'}.` }
      return render(c, <SignInPage values={{}} errors={errors} next={next} />, 403)
    }
    const body = formValues(await c.req.parseBody())
    const values = { email: body.email } // the password is never sent back to the page
    const parsed = parseForm(signInForm, body)
    if (!parsed.ok) return render(c, <SignInPage values={values} errors={parsed.errors} next={next} />, 422)
    const email = normaliseEmail(parsed.data.email)
    const accountKey = `account:${email}`
    const addressKey = `address:${c.get('client').address}`
    // The attempt is counted before the password is checked, so attempts arriving together cannot
    // all be checked against the same count.
    const wait = await reserveSignInAttempt(db, [
      { key: accountKey, policy: ACCOUNT_POLICY },
      { key: addressKey, policy: ADDRESS_POLICY },
    ])
    if (wait > 0) {
      const errors = { form: `There have been too many failed attempts to sign in. Wait ${describeWait(wait)} and try again.` }
      return render(c, <SignInPage values={values} errors={errors} next={next} />, 429)
    }
    const account = await findAccountByEmail(db, email)
    const matches = await verifyPassword(parsed.data.password, account?.password_hash ?? (await unknownAccountHash))
    if (account === undefined || !matches || account.disabled === 1) {
      await signInFailed(db, [accountKey, addressKey])
      const errors = { form: 'The email address or password is not right' }
      return render(c, <SignInPage values={values} errors={errors} next={next} />, 401)
    }
    await signInSucceeded(db, accountKey, addressKey)
    // Always a new session: a token the browser held before (set by someone else, say) never becomes
    // a signed-in one.
    const previous = getCookie(c, SESSION_COOKIE)
    if (previous !== undefined) await deleteSession(db, previous)
    setSessionCookie(c, (await startSession(db, account.id)).token)
    return c.redirect(next || '/evaluations', 303)
  })

  app.post('/sign-out', async (c) => {
    const token = getCookie(c, SESSION_COOKIE)
    if (token !== undefined) await deleteSession(db, token)
    clearSessionCookie(c)
    // With single sign-on, the sign-in page then offers to end the provider's session too.
    return c.redirect(sso === null ? '/sign-in' : '/sign-in?signed-out', 303)
  })

  app.get('/account/password', (c) => render(c, <ChangePasswordPage errors={{}} changed={false} />))

  app.post('/account/password', async (c) => {
    const parsed = parseForm(changePasswordForm, formValues(await c.req.parseBody()))
    if (!parsed.ok) return render(c, <ChangePasswordPage errors={parsed.errors} changed={false} />, 422)
    const account = await findAccount(db, accountOf(c).id)
    if (account === undefined || !(await verifyPassword(parsed.data.current, account.password_hash))) {
      return render(c, <ChangePasswordPage errors={{ current: 'Your current password is not right' }} changed={false} />, 422)
    }
    const hash = await hashPassword(parsed.data.password)
    // Every session ends, this one too: the page goes on under a new session and CSRF token.
    const session = await db.transaction().execute(async (trx) => {
      await updatePasswordHash(trx, account.id, hash)
      await deleteSessionsOf(trx, account.id)
      return startSession(trx, account.id)
    })
    setSessionCookie(c, session.token)
    c.set('csrfToken', session.csrfToken)
    return render(c, <ChangePasswordPage errors={{}} changed={true} />)
  })

  return app
}
