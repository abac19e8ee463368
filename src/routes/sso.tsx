import { randomBytes } from 'node:crypto'
import { Hono, type Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { HTTPException } from 'hono/http-exception'
import { z } from 'zod'
import type { AppDeps } from '../app.js'
import { SESSION_COOKIE, setSessionCookie } from '../auth/guard.js'
import { hashPassword } from '../auth/password.js'
import { SsoRefusal, SsoUnavailableError, type Sso, type SsoAttempt } from '../auth/sso.js'
import { findAccountByEmail, insertAccount, normaliseEmail, setAccountFlags } from '../db/accounts.js'
import { deleteSession, startSession } from '../db/sessions.js'
import { SignInPage } from '../../views/pages/sign-in.js'
import { render } from './render.js'
import { safeNext } from './sign-in.js'

/** Holds the attempt (state, nonce, PKCE verifier, where to go next) for the ten minutes a sign-in may take. */
const ATTEMPT_COOKIE = 'sso_attempt'
const ATTEMPT_PATH = '/sign-in/sso'
const ATTEMPT_SECONDS = 600

const attemptShape = z.object({ state: z.string().min(1), nonce: z.string().min(1), verifier: z.string().min(43), next: z.string() })

function readAttempt(c: Context): SsoAttempt | null {
  const cookie = getCookie(c, ATTEMPT_COOKIE)
  if (cookie === undefined) return null
  try {
    const parsed = attemptShape.safeParse(JSON.parse(Buffer.from(cookie, 'base64url').toString('utf8')))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

/**
 * Signing in through the organisation's identity provider (src/auth/sso.ts). Both routes are public
 * in the access table: the person has no session yet. A site without single sign-on answers 404.
 */
export function ssoRoutes({ db, sso: configured = null, passwordSignIn = true }: AppDeps): Hono {
  const app = new Hono()
  if (configured === null) {
    app.get('/sign-in/sso', () => {
      throw new HTTPException(404)
    })
    app.get('/sign-in/sso/callback', () => {
      throw new HTTPException(404)
    })
    return app
  }
  const sso = configured
  const unusablePassword = () => hashPassword(randomBytes(32).toString('base64url'))

  const refuse = (c: Context, message: string, status: 400 | 401 | 403 | 503) =>
    render(c, <SignInPage values={{}} errors={{ form: message }} next="" sso={{ name: sso.settings.name }} passwordSignIn={passwordSignIn} />, status)

  app.get('/sign-in/sso', async (c) => {
    const next = safeNext(c.req.query('next'), c.req.url)
    const { url, attempt } = await sso.begin(next)
    setCookie(c, ATTEMPT_COOKIE, Buffer.from(JSON.stringify(attempt)).toString('base64url'), {
      httpOnly: true,
      // Lax: sent when the provider sends the browser back here (a top-level GET), not on other sites' requests.
      sameSite: 'Lax',
      secure: c.get('client').https,
      path: ATTEMPT_PATH,
      maxAge: ATTEMPT_SECONDS,
    })
    return c.redirect(url.toString(), 302)
  })

  app.get('/sign-in/sso/callback', async (c) => {
    const attempt = readAttempt(c)
    // One use: whatever happens next, this attempt is over.
    deleteCookie(c, ATTEMPT_COOKIE, { path: ATTEMPT_PATH })
    const log = c.get('log')
    let identity: Awaited<ReturnType<Sso['finish']>>
    try {
      identity = await sso.finish(new URL(c.req.url).searchParams, attempt)
    } catch (error) {
      if (error instanceof SsoRefusal) {
        log.warn({ reason: error.reason }, 'single sign-on refused')
        return refuse(c, error.message, error.status)
      }
      if (error instanceof SsoUnavailableError) {
        log.error({ reason: error.message }, 'single sign-on unavailable')
        return refuse(c, 'Single sign-on is unavailable just now. Tell the site administrator; nothing has been changed.', 503)
      }
      throw error
    }

    let account = await findAccountByEmail(db, normaliseEmail(identity.email))
    let created = false
    if (account === undefined) {
      if (!sso.settings.createAccounts) {
        log.warn({ reason: 'no account for the email' }, 'single sign-on refused')
        return refuse(c, 'There is no account here for the email address your identity provider gave. Ask a site administrator to create one.', 403)
      }
      const id = await insertAccount(db, {
        email: identity.email,
        name: identity.name ?? identity.email,
        passwordHash: await unusablePassword(),
        admin: identity.admin ?? false,
      })
      account = (await findAccountByEmail(db, normaliseEmail(identity.email)))!
      created = id === account.id
    }
    if (account.disabled === 1) {
      log.warn({ accountId: account.id, reason: 'account disabled' }, 'single sign-on refused')
      return refuse(c, 'Your account here has been disabled. Ask a site administrator.', 403)
    }
    // The provider's group decides, when one is configured: added and removed with membership.
    if (identity.admin !== null && identity.admin !== (account.admin === 1)) await setAccountFlags(db, account.id, { admin: identity.admin })
    const previous = getCookie(c, SESSION_COOKIE)
    if (previous !== undefined) await deleteSession(db, previous)
    setSessionCookie(c, (await startSession(db, account.id)).token)
    log.info({ accountId: account.id, created, admin: identity.admin }, 'signed in with single sign-on')
    return c.redirect(attempt?.next || '/evaluations', 303)
  })

  return app
}
