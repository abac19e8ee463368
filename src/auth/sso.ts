// Single sign-on with OpenID Connect, by openid-client: the authorisation code flow with PKCE, state
// and nonce, and the ID token validated (signature, issuer, audience, expiry, nonce) by the library.
// Who the person is here is decided by this file: an account matched by a verified email address,
// created on first sign-in only when the site says so, and a site administrator when the provider
// puts them in the configured group. See docs/decisions/0014-estate-libraries.md.

import * as oidc from 'openid-client'
import type { Config } from '../config.js'

export interface SsoSettings {
  issuer: string
  clientId: string
  clientSecret: string
  redirectUrl: string
  /** Take the email claim as verified when the provider sends no email_verified (Microsoft Entra ID). */
  trustEmail: boolean
  createAccounts: boolean
  groupsClaim: string
  /** Members of this group are site administrators, and others are not; unset, the app decides. */
  adminGroup: string | null
  /** The provider's name on the sign-in button. */
  name: string
}

export function ssoSettings(config: Config): SsoSettings | null {
  if (config.OIDC_ISSUER === undefined) return null
  return {
    issuer: config.OIDC_ISSUER,
    clientId: config.OIDC_CLIENT_ID!,
    clientSecret: config.OIDC_CLIENT_SECRET!,
    redirectUrl: config.OIDC_REDIRECT_URL!,
    trustEmail: config.OIDC_TRUST_EMAIL,
    createAccounts: config.OIDC_CREATE_ACCOUNTS,
    groupsClaim: config.OIDC_GROUPS_CLAIM,
    adminGroup: config.OIDC_ADMIN_GROUP ?? null,
    name: config.OIDC_NAME,
  }
}

/** The provider could not be used: start-up stops with this one line, and a sign-in says SSO is unavailable. */
export class SsoUnavailableError extends Error {}

/** What is kept in the browser between leaving for the provider and coming back: all random, all checked. */
export interface SsoAttempt {
  state: string
  nonce: string
  verifier: string
  next: string
}

/** Who the provider says signed in, checked. */
export interface SsoIdentity {
  subject: string
  email: string
  name: string | null
  /** null: no admin group is configured, so the app's own flag stands. */
  admin: boolean | null
}

/** A sign-in the app refuses: the page says why (status 400 or 401), the log says more. */
export class SsoRefusal extends Error {
  constructor(
    message: string,
    readonly status: 400 | 401 | 403,
    readonly reason: string,
  ) {
    super(message)
  }
}

function isLoopback(url: URL): boolean {
  return url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]'
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause
    const detail = cause instanceof Error && cause.message !== error.message ? `: ${cause.message}` : ''
    return `${error.message}${detail}`
  }
  return String(error)
}

export class Sso {
  private constructor(
    readonly settings: SsoSettings,
    private readonly config: oidc.Configuration,
  ) {}

  /**
   * Discovers the provider (its endpoints and keys) at start-up. An issuer that does not answer, or
   * whose document names another issuer, throws SsoUnavailableError with one line saying so.
   * Plain http is allowed for an issuer on this machine only (tests, a local provider).
   */
  static async connect(settings: SsoSettings): Promise<Sso> {
    const issuer = new URL(settings.issuer)
    try {
      const config = await oidc.discovery(issuer, settings.clientId, { client_secret: settings.clientSecret }, oidc.ClientSecretBasic(settings.clientSecret), {
        execute: isLoopback(issuer) && issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
        timeout: 10,
      })
      return new Sso(settings, config)
    } catch (error) {
      throw new SsoUnavailableError(`Single sign-on: could not use the provider at ${settings.issuer} (${describe(error)})`)
    }
  }

  /** Where to send the browser, and what to keep for its return. */
  async begin(next: string): Promise<{ url: URL; attempt: SsoAttempt }> {
    const attempt = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier(), next }
    const url = oidc.buildAuthorizationUrl(this.config, {
      redirect_uri: this.settings.redirectUrl,
      scope: `openid email profile`,
      code_challenge: await oidc.calculatePKCECodeChallenge(attempt.verifier),
      code_challenge_method: 'S256',
      state: attempt.state,
      nonce: attempt.nonce,
    })
    return { url, attempt }
  }

  /**
   * The browser is back with a code: the state must be the one this browser left with; the code is
   * exchanged (with the PKCE verifier and the client's secret) for an ID token the library validates,
   * and whose nonce must be this attempt's. Then the email must be verified.
   */
  async finish(query: URLSearchParams, attempt: SsoAttempt | null): Promise<SsoIdentity> {
    if (attempt === null || query.get('state') !== attempt.state) {
      throw new SsoRefusal('This sign-in did not start in this browser, or took too long. Start again.', 400, 'state missing or not the one sent')
    }
    // The callback as the provider was told it (behind a load balancer the request's own URL differs).
    const current = new URL(this.settings.redirectUrl)
    for (const [key, value] of query) current.searchParams.append(key, value)
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>
    try {
      tokens = await oidc.authorizationCodeGrant(this.config, current, {
        pkceCodeVerifier: attempt.verifier,
        expectedState: attempt.state,
        expectedNonce: attempt.nonce,
        idTokenExpected: true,
      })
    } catch (error) {
      throw this.refusal(error)
    }
    const claims = tokens.claims()
    if (claims === undefined) throw new SsoRefusal('The identity provider sent no ID token, so you were not signed in.', 401, 'no ID token')
    let profile: Record<string, unknown> = claims
    if (typeof claims.email !== 'string') {
      try {
        profile = { ...(await oidc.fetchUserInfo(this.config, tokens.access_token, claims.sub)), ...claims }
      } catch (error) {
        throw this.refusal(error)
      }
    }
    const email = typeof profile.email === 'string' ? profile.email.trim() : ''
    if (email === '') throw new SsoRefusal('Your identity provider did not give an email address, so no account can be matched.', 403, 'no email claim')
    const verified = profile.email_verified === true || profile.email_verified === 'true' || (this.settings.trustEmail && profile.email_verified === undefined)
    if (!verified) {
      throw new SsoRefusal('Your identity provider has not confirmed your email address, so it cannot be matched to an account.', 403, 'email not verified')
    }
    const groups = profile[this.settings.groupsClaim]
    const groupList = Array.isArray(groups) ? groups.map(String) : typeof groups === 'string' ? [groups] : []
    return {
      subject: claims.sub,
      email,
      name: typeof profile.name === 'string' && profile.name.trim() !== '' ? profile.name.trim() : null,
      admin: this.settings.adminGroup === null ? null : groupList.includes(this.settings.adminGroup),
    }
  }

  /** The provider's end-session address, when it has one, coming back to this app's sign-in page. */
  endSessionUrl(): string | null {
    if (this.config.serverMetadata().end_session_endpoint === undefined) return null
    const back = new URL('/sign-in', this.settings.redirectUrl).toString()
    return oidc.buildEndSessionUrl(this.config, { client_id: this.settings.clientId, post_logout_redirect_uri: back }).toString()
  }

  private refusal(error: unknown): Error {
    if (error instanceof oidc.AuthorizationResponseError) {
      return new SsoRefusal(`The identity provider did not sign you in (${error.error_description ?? error.error}).`, 401, `provider said ${error.error}`)
    }
    if (error instanceof oidc.ResponseBodyError) {
      if (error.error === 'invalid_client' || error.error === 'unauthorized_client') {
        return new SsoUnavailableError(`Single sign-on: the provider refused this app’s client credentials (${error.error})`)
      }
      return new SsoRefusal(
        'The identity provider would not complete this sign-in (the code may have expired or been used). Start again.',
        400,
        `token endpoint said ${error.error}`,
      )
    }
    if (error instanceof oidc.ClientError) {
      return new SsoRefusal('The identity provider’s answer could not be verified, so you were not signed in.', 401, describe(error))
    }
    return new SsoUnavailableError(`Single sign-on: the provider could not be reached (${describe(error)})`)
  }
}
