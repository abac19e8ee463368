// A real OpenID provider (oidc-provider) listening on a loopback port, for the single sign-on tests
// and the browser journey: its people are whoever a test adds, and its sign-in page (oidc-provider's
// development interactions) signs in whoever is named, with no consent step for this app.
import { randomBytes } from 'node:crypto'
import type { Server } from 'node:http'
import Provider, { type Configuration } from 'oidc-provider'
import { freePort, HOST } from '../loopback.js'

export interface ProviderPerson {
  email: string
  email_verified?: boolean
  name?: string
  groups?: string[]
}

export interface TestProvider {
  issuer: string
  clientId: string
  clientSecret: string
  /** The people who can sign in, by subject; a test adds its own. */
  people: Map<string, ProviderPerson>
  /** What the provider does next: issue codes that have already expired, or ID tokens for another audience. */
  misbehave: { expiredCodes: boolean; wrongAudience: boolean }
  close(): Promise<void>
}

export async function startProvider(redirectUris: string[]): Promise<TestProvider> {
  const port = await freePort()
  const issuer = `http://${HOST}:${port}`
  const people = new Map<string, ProviderPerson>()
  const misbehave = { expiredCodes: false, wrongAudience: false }
  const clientId = 'options-appraisal'
  const clientSecret = 'a-test-client-secret-of-enough-length'
  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: redirectUris,
        post_logout_redirect_uris: redirectUris.map((u) => new URL('/sign-in', u).toString()),
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    pkce: { required: () => true },
    // Groups come with the profile, as a Keycloak mapper or Entra ID's group claim sends them.
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
    ttl: { AuthorizationCode: 60, Session: 3600, Interaction: 600, Grant: 3600, AccessToken: 600, IdToken: 600 },
    renderError: async (ctx, out) => {
      ctx.type = 'text'
      ctx.body = `${out.error}: ${out.error_description ?? ''}`
    },
    async findAccount(_ctx, sub) {
      const person = people.get(sub)
      if (person === undefined) return undefined
      return { accountId: sub, claims: async () => ({ sub, ...person }) }
    },
    // This app is the organisation's own: no consent page.
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId })
      grant.addOIDCScope('openid email profile')
      await grant.save()
      return grant
    },
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  }
  // Its warnings are about what a test provider is meant to be (in memory, its own keys, a sign-in
  // page for development): kept out of the test output.
  const warn = console.warn
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).startsWith('oidc-provider WARNING')) warn(...args)
  }
  let provider: Provider
  try {
    provider = new Provider(issuer, { ...configuration, cookies: { keys: [randomBytes(32).toString('hex')] } })
  } finally {
    console.warn = warn
  }
  // An ID token for another audience: the provider signs it properly, for someone else.
  const IdToken = provider.IdToken.prototype as unknown as { issue: (...args: unknown[]) => Promise<string>; client: { clientId: string } }
  const issue = IdToken.issue
  IdToken.issue = async function (this: { client: object }, ...args: unknown[]) {
    if (misbehave.wrongAudience) {
      const client = this.client
      Object.defineProperty(this, 'client', {
        value: new Proxy(client, { get: (t, p) => (p === 'clientId' ? 'another-app' : Reflect.get(t, p)) }),
        configurable: true,
      })
    }
    return issue.apply(this, args)
  }
  // A code past its lifetime when it is redeemed: the provider's own expiry check says so, with no waiting.
  const AuthorizationCode = provider.AuthorizationCode.prototype as unknown as { exp: number }
  let expired: PropertyDescriptor | undefined
  for (let proto: object | null = AuthorizationCode; proto !== null && expired === undefined; proto = Object.getPrototypeOf(proto)) {
    expired = Object.getOwnPropertyDescriptor(proto, 'isExpired')
  }
  if (expired?.get === undefined) throw new Error('oidc-provider no longer has isExpired where the test expects it')
  Object.defineProperty(AuthorizationCode, 'isExpired', {
    get(this: unknown) {
      return misbehave.expiredCodes || expired.get!.call(this)
    },
  })
  const server: Server = await new Promise((resolve) => {
    const s = provider.listen(port, HOST, () => resolve(s))
  })
  return {
    issuer,
    clientId,
    clientSecret,
    people,
    misbehave,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

/** A browser's cookie jar for the provider's pages. */
function jar() {
  const cookies = new Map<string, string>()
  return {
    header: () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    take(response: Response) {
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';')
        const at = pair!.indexOf('=')
        cookies.set(pair!.slice(0, at), pair!.slice(at + 1))
      }
    },
  }
}

/**
 * Follows the provider's pages from the authorisation address to the redirect back to the app, signing
 * in as `subject` on its sign-in page; returns the address it sends the browser back to.
 */
export async function signInAtProvider(authorizationUrl: string, subject: string): Promise<URL> {
  const cookies = jar()
  let url = authorizationUrl
  let init: RequestInit = {}
  for (let hop = 0; hop < 10; hop++) {
    const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers ?? {}), cookie: cookies.header() } })
    cookies.take(response)
    const location = response.headers.get('location')
    if (location !== null) {
      const next = new URL(location, url)
      if (next.origin !== new URL(authorizationUrl).origin) return next
      url = next.toString()
      init = {}
      continue
    }
    const html = await response.text()
    const form = /<form[^>]*action="([^"]+)"[^>]*>/.exec(html)
    if (response.status !== 200 || form === null) throw new Error(`the provider answered ${response.status}:\n${html.slice(0, 500)}`)
    url = new URL(form[1]!, url).toString()
    init = {
      method: 'POST',
      body: new URLSearchParams({ prompt: 'login', login: subject, password: 'any' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    }
  }
  throw new Error('the provider never sent the browser back')
}
