import type { Context, MiddlewareHandler } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { HTTPException } from 'hono/http-exception'
import { matchedRoutes } from 'hono/route'
import { evaluationWithRoles } from '../db/accounts.js'
import type { Db } from '../db/connection.js'
import { type Actor, EvaluationFinalisedError } from '../db/audit.js'
import type { Account, Evaluation, EvaluationRole } from '../db/schema.js'
import { SESSION_ABSOLUTE_MS, validateSession } from '../db/sessions.js'
import { accessFor, allows, closedOncePlanApproved, closedWhenFinalised, closedWhilePlanDraft, declarationNeeded } from './access.js'
import { standingFor } from '../db/declarations.js'
import { moderationComplete } from '../db/scoring.js'
import { requireFiguresOpen } from '../routes/provisional.js'
import { PlanApprovedError, PlanNotApprovedError } from '../db/plan.js'

declare module 'hono' {
  interface ContextVariableMap {
    account: Account | null
    csrfToken: string | null
    roles: EvaluationRole[]
    /** The evaluation in the path is finalised (pages then offer no change it would refuse). */
    finalised: boolean
    /** The evaluation in the path, as the guard read it to decide access: null on other routes. */
    evaluation: Evaluation | null
    /** Whether the evaluation's moderation is open (not complete, not finalised), read once when first asked. */
    moderating: () => Promise<boolean>
  }
}

/**
 * The signed-in account. Every route but the public ones runs after the guard found one, so its
 * absence is the app's own mistake (a 500), not the visitor's.
 */
export function accountOf(c: Context): Account {
  const account = c.get('account')
  if (account === null || account === undefined)
    throw new Error(`No signed-in account on ${c.req.method} ${c.req.path}: is the route public in the access table?`)
  return account
}

/** The signed-in person, as the audit log names them. */
export function actorOf(c: Context): Actor {
  const account = accountOf(c)
  return { accountId: account.id, name: account.name }
}

/**
 * The evaluation in the path, read once by the guard for this request. Every evaluation route has a
 * role rule in the access table, so the guard has always read it (or answered 404) first.
 */
export function evaluationOf(c: Context): Evaluation {
  const evaluation = c.get('evaluation')
  if (evaluation === null || evaluation === undefined)
    throw new Error(`No evaluation read by the guard for ${c.req.method} ${c.req.path}: does the access table give it a role rule?`)
  return evaluation
}

export const SESSION_COOKIE = 'session'
export const CSRF_HEADER = 'X-CSRF-Token'
export const CSRF_FIELD = '_csrf'

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

export function setSessionCookie(c: Context, token: string): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: c.get('client').https,
    path: '/',
    maxAge: Math.floor(SESSION_ABSOLUTE_MS / 1000),
  })
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/' })
}

/** Where a signed-out visitor goes, coming back to the page they asked for afterwards. */
function redirectToSignIn(c: Context): Response {
  const url = new URL(c.req.url)
  const next = c.req.method === 'GET' ? `${url.pathname}${url.search}` : ''
  const target = next === '' || next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`
  if (c.req.header('HX-Request') === 'true') {
    c.header('HX-Redirect', target)
    return c.body(null, 401)
  }
  return c.redirect(target, c.req.method === 'GET' ? 302 : 303)
}

/** A cross-site request is refused whatever it carries: browsers say where a request comes from. */
function refuseCrossSite(c: Context): void {
  const origin = c.req.header('Origin')
  const host = c.req.header('Host') ?? new URL(c.req.url).host
  if (origin !== undefined && origin !== 'null') {
    let originHost: string
    try {
      originHost = new URL(origin).host
    } catch {
      throw new HTTPException(403, { message: 'This request came from another site and was refused.' })
    }
    if (originHost !== host) throw new HTTPException(403, { message: 'This request came from another site and was refused.' })
  }
  if (c.req.header('Sec-Fetch-Site') === 'cross-site') {
    throw new HTTPException(403, { message: 'This request came from another site and was refused.' })
  }
}

async function checkCsrfToken(c: Context, expected: string): Promise<void> {
  let sent = c.req.header(CSRF_HEADER)
  if (sent === undefined) {
    const type = c.req.header('Content-Type') ?? ''
    if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
      const field = (await c.req.parseBody())[CSRF_FIELD]
      if (typeof field === 'string') sent = field
    }
  }
  if (sent !== expected) {
    throw new HTTPException(403, { message: 'The form had expired or did not come from this site. Go back, reload the page and try again.' })
  }
}

function evaluationIdInPath(path: string): number | null {
  const match = /^\/evaluations\/(\d+)(?:\/|$)/.exec(path)
  return match === null ? null : Number(match[1])
}

/**
 * Every request passes here: it finds the session, then applies the route's rule from the access
 * table. Unknown routes and routes missing from the table are refused.
 */
export function guard(db: Db): MiddlewareHandler {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE)
    const session = token === undefined ? null : await validateSession(db, token)
    if (token !== undefined && session === null) clearSessionCookie(c)
    c.set('account', session?.account ?? null)
    c.set('csrfToken', session?.csrfToken ?? null)
    c.set('roles', [])
    c.set('finalised', false)
    c.set('evaluation', null)
    c.set('moderating', () => Promise.resolve(false))

    // The handler that will answer is the first route registered for this method and path
    // (middleware is registered for ALL methods).
    const route = matchedRoutes(c).find((r) => r.method !== 'ALL')
    if (route === undefined) {
      // No page here: a signed-out visitor learns nothing, not even that.
      if (session === null) return redirectToSignIn(c)
      return next()
    }
    const access = accessFor(c.req.method, route.path)
    if (access === undefined) throw new HTTPException(403)
    if (STATE_CHANGING.has(c.req.method)) refuseCrossSite(c)
    if (access === 'public') return next()
    if (session === null) return redirectToSignIn(c)
    if (STATE_CHANGING.has(c.req.method)) await checkCsrfToken(c, session.csrfToken)

    let roles: EvaluationRole[] = []
    if (typeof access === 'object') {
      const evaluationId = evaluationIdInPath(c.req.path)
      const found = evaluationId === null ? undefined : await evaluationWithRoles(db, evaluationId, session.account.id)
      if (found === undefined) throw new HTTPException(404)
      const { evaluation } = found
      roles = found.roles
      c.set('roles', roles)
      c.set('evaluation', evaluation)
      c.set('finalised', evaluation.status === 'finalised')
      let open: Promise<boolean> | undefined
      const id = evaluation.id
      if (evaluation.status !== 'finalised') c.set('moderating', () => (open ??= moderationComplete(db, id).then((complete) => !complete)))
    }
    if (!allows(access, { signedIn: true, admin: session.account.admin === 1, roles })) {
      throw new HTTPException(403)
    }
    const evaluation = c.get('evaluation')
    // A finalised evaluation refuses the change before its form is read, with who finalised it: the
    // data layer refuses it too, whatever the way in.
    if (evaluation !== null && evaluation.status === 'finalised' && closedWhenFinalised(c.req.method, route.path))
      throw new EvaluationFinalisedError(evaluation)
    // So is a change that waits for the plan's approval while it is a draft (the data layer refuses it too).
    if (evaluation !== null && evaluation.plan_version === 0 && closedWhilePlanDraft(c.req.method, route.path)) throw new PlanNotApprovedError()
    // And one the plan's approval closes: a weighting round's, once its weights are settled.
    if (evaluation !== null && evaluation.plan_version > 0 && closedOncePlanApproved(c.req.method, route.path)) throw new PlanApprovedError(evaluation)
    // What waits for moderation: the ranking for those who do not moderate, prices for the lead who does.
    if (evaluation !== null) await requireFiguresOpen(c, c.req.method, route.path)
    const declaring = declarationNeeded(c.req.method, route.path, roles)
    if (declaring.length > 0 && evaluation !== null && evaluation.status !== 'finalised') {
      const standing = await standingFor(db, evaluation, session.account.id, declaring)
      if (standing !== null && standing.state !== 'current') {
        const where = `/evaluations/${evaluation.id}/declaration`
        if (c.req.method === 'GET' || c.req.method === 'HEAD') return c.redirect(`${where}?next=${encodeURIComponent(c.req.path)}`, 303)
        throw new HTTPException(409, {
          message:
            standing.state === 'renew'
              ? `Renew your declaration of interest first: it was made before ${standing.newSuppliers.join(', ')} ${standing.newSuppliers.length === 1 ? 'was' : 'were'} among the suppliers. Go to ${where}.`
              : `Declare any interest in the suppliers first: nobody works on the tenders or the decision before declaring. Go to ${where}.`,
        })
      }
    }
    return next()
  }
}
