// Single sign-on against a real OpenID provider (oidc-provider) on a loopback port: the whole flow,
// and each way a sign-in must be refused. The app's database is the engine under test (SQLite, or
// PostgreSQL with TEST_DATABASE_URL).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { Sso, SsoUnavailableError, type SsoSettings } from '../../src/auth/sso.js'
import { readConfig } from '../../src/config.js'
import { findAccountByEmail } from '../../src/db/accounts.js'
import { openTestDatabase } from '../database.js'
import { createTestAccount, pageText, testTemplates } from '../helpers.js'
import { freePort } from '../loopback.js'
import { signInAtProvider, startProvider, type TestProvider } from './oidc-provider.js'

const REDIRECT = 'http://localhost:8089/sign-in/sso/callback'
let provider: TestProvider
let connected: Sso

beforeAll(async () => {
  provider = await startProvider([REDIRECT])
  connected = await Sso.connect(settings())
})
afterAll(() => provider.close())

function settings(overrides: Partial<SsoSettings> = {}): SsoSettings {
  return {
    issuer: provider.issuer,
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
    redirectUrl: REDIRECT,
    trustEmail: false,
    createAccounts: false,
    groupsClaim: 'groups',
    adminGroup: null,
    name: 'Example Police',
    ...overrides,
  }
}

let people = 0
/** Someone the provider knows, with an account here (unless `account` is false). */
async function person(
  db: Awaited<ReturnType<typeof openTestDatabase>>,
  claims: { email_verified?: boolean; groups?: string[] } = { email_verified: true },
  account = true,
) {
  people += 1
  const subject = `subject-${people}`
  const email = `sso-person-${people}-${Math.random().toString(36).slice(2)}@example.test`
  provider.people.set(subject, { email, name: `Person ${people}`, ...claims })
  const accountId = account ? await createTestAccount(db, { email }) : null
  return { subject, email, accountId }
}

async function ssoApp(overrides: Partial<SsoSettings> = {}, options: { passwordSignIn?: boolean } = {}) {
  const db = await openTestDatabase()
  const sso = Object.keys(overrides).length === 0 ? connected : await Sso.connect(settings(overrides))
  return { db, app: createApp({ db, templates: testTemplates(), sso, passwordSignIn: options.passwordSignIn ?? true }) }
}

function cookieFrom(response: Response, name: string): string | null {
  const line = response.headers.getSetCookie().find((c) => c.startsWith(`${name}=`))
  return line === undefined ? null : line.split(';')[0]!
}

/** Leaves for the provider, signs in there as `subject`, and comes back; `tamper` changes the way back. */
async function walk(app: ReturnType<typeof createApp>, subject: string, tamper: (back: URL) => void = () => {}) {
  const start = await app.request('/sign-in/sso?next=%2Fevaluations%2Fnew')
  expect(start.status).toBe(302)
  const authorization = new URL(start.headers.get('location')!)
  const attempt = cookieFrom(start, 'sso_attempt')!
  expect(attempt).not.toBeNull()
  const back = await signInAtProvider(authorization.toString(), subject)
  tamper(back)
  const callback = await app.request(`${back.pathname}${back.search}`, { headers: { cookie: attempt } })
  return { authorization, back, callback, session: cookieFrom(callback, 'session'), text: callback.status === 303 ? '' : pageText(await callback.text()) }
}

describe('single sign-on', () => {
  it('walks the authorisation code flow with PKCE, state and nonce, and signs the matching account in', async () => {
    const { db, app } = await ssoApp()
    const someone = await person(db)
    const { authorization, callback, session } = await walk(app, someone.subject)
    expect(authorization.origin).toBe(provider.issuer)
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256')
    for (const name of ['code_challenge', 'state', 'nonce']) expect(authorization.searchParams.get(name)?.length).toBeGreaterThanOrEqual(20)
    expect(callback.status).toBe(303)
    expect(callback.headers.get('location')).toBe('/evaluations/new')
    expect(session).not.toBeNull()
    const page = await app.request('/evaluations', { headers: { cookie: session! } })
    expect(page.status).toBe(200)
    expect(pageText(await page.text())).toContain(`Person`)
  })

  it('refuses a forged state, a way back from another browser, an expired code and an ID token for another audience', async () => {
    const { db, app } = await ssoApp()
    const someone = await person(db)
    const forged = await walk(app, someone.subject, (back) => back.searchParams.set('state', 'forged-by-someone-else-0123456789'))
    expect(forged.callback.status).toBe(400)
    expect(forged.text).toContain('This sign-in did not start in this browser')
    expect(forged.session).toBeNull()

    const start = await app.request('/sign-in/sso')
    const back = await signInAtProvider(start.headers.get('location')!, someone.subject)
    const elsewhere = await app.request(`${back.pathname}${back.search}`)
    expect(elsewhere.status).toBe(400)
    expect(cookieFrom(elsewhere, 'session')).toBeNull()

    provider.misbehave.expiredCodes = true
    try {
      const expired = await walk(app, someone.subject)
      expect(expired.callback.status).toBe(400)
      expect(expired.text).toContain('would not complete this sign-in (the code may have expired or been used)')
      expect(expired.session).toBeNull()
    } finally {
      provider.misbehave.expiredCodes = false
    }

    provider.misbehave.wrongAudience = true
    try {
      const wrong = await walk(app, someone.subject)
      expect(wrong.callback.status).toBe(401)
      expect(wrong.text).toContain('could not be verified, so you were not signed in')
      expect(wrong.session).toBeNull()
    } finally {
      provider.misbehave.wrongAudience = false
    }
  })

  it('refuses an email the provider has not verified, unless the site trusts that provider’s email claim', async () => {
    const { db, app } = await ssoApp()
    const unverified = await person(db, { email_verified: false })
    const refused = await walk(app, unverified.subject)
    expect(refused.callback.status).toBe(403)
    expect(refused.text).toContain('has not confirmed your email address')
    expect(refused.session).toBeNull()

    // A provider that never says (Microsoft Entra ID): refused, unless trusted; trusted, a "false" still refuses.
    const silent = await person(db, {})
    expect((await walk(app, silent.subject)).callback.status).toBe(403)
    const trusting = createApp({ db, templates: testTemplates(), sso: await Sso.connect(settings({ trustEmail: true })) })
    expect((await walk(trusting, silent.subject)).callback.status).toBe(303)
    expect((await walk(trusting, unverified.subject)).callback.status).toBe(403)
  })

  it('creates no account on first sign-in unless the site says so, and takes site administrators from the group claim', async () => {
    const { db, app } = await ssoApp()
    const newcomer = await person(db, { email_verified: true, groups: ['appraisal-admins'] }, false)
    const refused = await walk(app, newcomer.subject)
    expect(refused.callback.status).toBe(403)
    expect(refused.text).toContain('There is no account here')
    expect(await findAccountByEmail(db, newcomer.email)).toBeUndefined()

    const creating = createApp({ db, templates: testTemplates(), sso: await Sso.connect(settings({ createAccounts: true, adminGroup: 'appraisal-admins' })) })
    expect((await walk(creating, newcomer.subject)).callback.status).toBe(303)
    expect(await findAccountByEmail(db, newcomer.email)).toMatchObject({ name: `Person ${people}`, admin: 1, disabled: 0 })
    // Out of the group at the provider: no longer an administrator here at the next sign-in.
    provider.people.set(newcomer.subject, { ...provider.people.get(newcomer.subject)!, groups: [] })
    expect((await walk(creating, newcomer.subject)).callback.status).toBe(303)
    expect((await findAccountByEmail(db, newcomer.email))!.admin).toBe(0)
  })

  it('says single sign-on is unavailable when the provider refuses the app’s secret, and stops start-up when the provider cannot be reached', async () => {
    const { db, app } = await ssoApp({ clientSecret: 'not-the-secret' })
    const someone = await person(db)
    const refused = await walk(app, someone.subject)
    expect(refused.callback.status).toBe(503)
    expect(refused.text).toContain('Single sign-on is unavailable')
    expect(refused.session).toBeNull()

    const port = await freePort()
    const unreachable = Sso.connect(settings({ issuer: `http://127.0.0.1:${port}` }))
    await expect(unreachable).rejects.toBeInstanceOf(SsoUnavailableError)
    await expect(unreachable).rejects.toThrow(new RegExp(`^Single sign-on: could not use the provider at http://127\\.0\\.0\\.1:${port} \\(.+\\)$`))
  })

  it('can turn password sign-in off, and offers the provider’s end-session address after signing out', async () => {
    const { db, app } = await ssoApp({}, { passwordSignIn: false })
    const page = await app.request('/sign-in')
    const html = await page.text()
    expect(html).toContain('Sign in with Example Police')
    expect(html).not.toContain('name="password"')
    const someone = await person(db)
    const posted = await app.request('/sign-in', {
      method: 'POST',
      body: new URLSearchParams({ email: someone.email, password: 'correct horse battery staple' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(posted.status).toBe(403)
    expect(cookieFrom(posted, 'session')).toBeNull()

    const { session } = await walk(app, someone.subject)
    const home = await (await app.request('/evaluations', { headers: { cookie: session! } })).text()
    const csrf = /name="_csrf" value="([^"]+)"/.exec(home)![1]!
    const out = await app.request('/sign-out', {
      method: 'POST',
      body: new URLSearchParams({ _csrf: csrf }),
      headers: { cookie: session!, 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(out.headers.get('location')).toBe('/sign-in?signed-out')
    expect((await app.request('/evaluations', { headers: { cookie: session! } })).status).toBe(302)
    const signedOut = await (await app.request('/sign-in?signed-out')).text()
    const end = /href="([^"]+)">Also sign out of Example Police/.exec(signedOut)
    expect(end).not.toBeNull()
    const endUrl = new URL(end![1]!.replace(/&amp;/g, '&'))
    expect(`${endUrl.origin}${endUrl.pathname}`).toBe(`${provider.issuer}/session/end`)
    expect(endUrl.searchParams.get('post_logout_redirect_uri')).toBe('http://localhost:8089/sign-in')
  })

  it('reads its settings from the environment, refusing half a configuration', () => {
    expect(() => readConfig({ PASSWORD_SIGN_IN: 'off' })).toThrow('PASSWORD_SIGN_IN: can be off only with single sign-on (OIDC_ISSUER) set')
    expect(() => readConfig({ OIDC_ISSUER: 'https://login.example.org' })).toThrow('OIDC_CLIENT_ID: is needed with OIDC_ISSUER')
    expect(() =>
      readConfig({ OIDC_ISSUER: 'https://login.example.org', OIDC_CLIENT_ID: 'a', OIDC_CLIENT_SECRET: 'b', OIDC_REDIRECT_URL: 'https://x.example/elsewhere' }),
    ).toThrow('OIDC_REDIRECT_URL must end in /sign-in/sso/callback')
    const config = readConfig({
      OIDC_ISSUER: 'https://login.example.org',
      OIDC_CLIENT_ID: 'a',
      OIDC_CLIENT_SECRET: 'b',
      OIDC_REDIRECT_URL: REDIRECT,
      OIDC_TRUST_EMAIL: 'yes',
    })
    expect(config).toMatchObject({ OIDC_TRUST_EMAIL: true, OIDC_CREATE_ACCOUNTS: false, PASSWORD_SIGN_IN: 'on', OIDC_GROUPS_CLAIM: 'groups' })
  })
})
