import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { EvaluationFinalisedError } from './db/audit.js'
import { PlanApprovedError, PlanChangeNeedsReasonError, PlanNotApprovedError } from './db/plan.js'
import { FigureOutOfRangeError } from './appraisal/index.js'
import { secureHeaders } from 'hono/secure-headers'
import type { Kysely } from 'kysely'
import type { CriteriaTemplate } from './criteria-templates.js'
import type { Database } from './db/schema.js'
import { identifyClient } from './auth/client.js'
import { guard } from './auth/guard.js'
import { accountRoutes } from './routes/accounts.js'
import { evaluationRoutes } from './routes/evaluations.js'
import { fileRoutes } from './routes/files.js'
import { limitBodies } from './routes/body-limit.js'
import { render } from './routes/render.js'
import { signInRoutes } from './routes/sign-in.js'
import { participantRoutes } from './routes/trials.js'
import { operatorRoutes } from './routes/operators.js'
import { ssoRoutes } from './routes/sso.js'
import type { Sso } from './auth/sso.js'
import { requestLog, silentLog, type Logger } from './log.js'
import { ErrorPage } from '../views/pages/error.js'
import { provideLongWork } from './work/long-work.js'
import { LongWorkRefused, sharedLongWork, type LongWork } from './work/pool.js'

export interface AppDeps {
  db: Kysely<Database>
  templates: CriteriaTemplate[]
  /** How many proxies in front of the app to believe (TRUST_PROXY); none by default. */
  trustProxy?: number
  /** The worker threads for reports, sensitivity and parsing uploads; a shared pool if not given. */
  work?: LongWork
  /** The structured log (src/log.ts); silent if not given. */
  log?: Logger
  /** Single sign-on, discovered at start-up (src/auth/sso.ts); none if not given. */
  sso?: Sso | null
  /** Whether people may sign in with a password (PASSWORD_SIGN_IN); on if not given. */
  passwordSignIn?: boolean
}

const require = createRequire(import.meta.url)
const assetsDir = new URL('../views/assets/', import.meta.url)

/** Static files the pages need, read once; the app serves them itself so it works on a closed network. */
const assets: Record<string, { body: string; type: string }> = {
  'htmx.min.js': {
    body: readFileSync(require.resolve('htmx.org/dist/htmx.min.js'), 'utf8'),
    type: 'text/javascript; charset=utf-8',
  },
  'app.js': { body: readFileSync(new URL('app.js', assetsDir), 'utf8'), type: 'text/javascript; charset=utf-8' },
  'app.css': { body: readFileSync(new URL('app.css', assetsDir), 'utf8'), type: 'text/css; charset=utf-8' },
}

export function createApp(deps: AppDeps): Hono {
  const app = new Hono()
  const log = deps.log ?? silentLog

  // First, so that every answer is logged with its final status, refusals and errors too.
  app.use(requestLog(log))
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
      referrerPolicy: 'strict-origin-when-cross-origin',
      xContentTypeOptions: 'nosniff',
      xFrameOptions: 'DENY',
      // A response that sets its own header keeps it: a PDF's inline view is served under a stricter
      // policy than a page's, a sandbox (src/tender-files.ts, DOCUMENT_VIEW_POLICY).
      overwrite: false,
    }),
  )
  // Pages and downloads are people's own, and a shared computer's cache keeps them after sign-out:
  // nothing is stored but the static files, which say so themselves. The one home of the header: no
  // route sets it (test/security/every-page.test.ts asks every route).
  app.use(async (c, next) => {
    await next()
    if (!c.res.headers.has('cache-control')) c.header('Cache-Control', 'no-store')
  })
  app.use(identifyClient(deps.trustProxy ?? 0))
  // Before anything reads a body (the guard reads a form's CSRF field).
  app.use(limitBodies())
  app.use(guard(deps.db))
  app.use(provideLongWork(deps.work ?? sharedLongWork()))

  app.get('/assets/:name', (c) => {
    const asset = assets[c.req.param('name')]
    if (asset === undefined) throw new HTTPException(404)
    return c.body(asset.body, 200, { 'content-type': asset.type, 'cache-control': 'public, max-age=3600' })
  })

  app.get('/', (c) => c.redirect('/evaluations'))
  app.route('/', operatorRoutes(deps))
  app.route('/', signInRoutes(deps))
  app.route('/', ssoRoutes(deps))
  app.route('/accounts', accountRoutes(deps))
  app.route('/trial', participantRoutes(deps))
  app.route('/evaluations', fileRoutes(deps))
  app.route('/evaluations', evaluationRoutes(deps))

  app.notFound((c) => render(c, <ErrorPage status={404} />, 404))
  app.onError((error, c) => {
    if (error instanceof HTTPException) {
      return render(c, <ErrorPage status={error.status} message={error.message} />, error.status)
    }
    if (error instanceof LongWorkRefused) {
      // Refused before it queued: nothing was started, so trying again later is safe.
      c.header('Retry-After', String(error.retryAfter))
      return render(c, <ErrorPage status={error.status} message={error.message} />, error.status)
    }
    if (error instanceof EvaluationFinalisedError) {
      // htmx swaps no 409: it reloads the page instead, which now says the evaluation is finalised.
      if (c.req.header('HX-Request') === 'true') c.header('HX-Refresh', 'true')
      return render(c, <ErrorPage status={409} title="This evaluation is finalised" message={error.message} />, 409)
    }
    if (error instanceof PlanNotApprovedError) {
      return render(c, <ErrorPage status={409} title="The evaluation plan is not approved yet" message={error.message} />, 409)
    }
    if (error instanceof PlanApprovedError) {
      return render(c, <ErrorPage status={409} title="The evaluation plan is approved" message={error.message} />, 409)
    }
    if (error instanceof PlanChangeNeedsReasonError) {
      // A form with no reason field: nothing was changed, and the message says where to give one.
      return render(c, <ErrorPage status={409} title="This changes the approved evaluation plan" message={error.message} />, 409)
    }
    if (error instanceof FigureOutOfRangeError) {
      return render(c, <ErrorPage status={422} title="These figures cannot be computed" message={error.message} />, 422)
    }
    const requestLog = c.get('log') ?? log
    requestLog.error({ err: error }, 'unexpected error')
    return render(c, <ErrorPage status={500} />, 500)
  })
  return app
}
