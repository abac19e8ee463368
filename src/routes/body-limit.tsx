import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { matchedRoutes } from 'hono/route'
import { ErrorPage } from '../../views/pages/error.js'
import { MAX_CSV_BYTES } from './cost-lines-csv.js'
import { MAX_IMPORT_BYTES } from './files.js'
import { render } from './render.js'

/**
 * Every form's body is refused above this. The largest real form, a new evaluation with its title,
 * organisation and 10,000-character summary all at their limits in four-byte characters, is 125 KB
 * url-encoded (test/security/body-limit.test.ts measures it); a criterion, score or moderation form
 * is smaller.
 */
export const FORM_MAX_BYTES = 1024 * 1024

/** Room for a multipart form's boundaries, headers and other fields around its file. */
const MULTIPART_ROOM = 64 * 1024

interface Limit {
  maxBytes: number
  /** What the page says when a body is larger. */
  message: string
}

function megabytes(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MB`
}

/** The routes that take files, with room for them; every other route takes forms. */
export const bodyLimits: Record<string, Limit> = {
  'POST /evaluations/import': {
    maxBytes: MAX_IMPORT_BYTES + MULTIPART_ROOM,
    message: `The evaluation file is larger than ${megabytes(MAX_IMPORT_BYTES)}, the most this app takes. Nothing was imported.`,
  },
  'POST /evaluations/:id/costs/import': {
    maxBytes: MAX_CSV_BYTES + MULTIPART_ROOM,
    message: `The CSV file is larger than ${megabytes(MAX_CSV_BYTES)}, the most this app takes. Nothing was imported.`,
  },
  // The checked CSV comes back as a form field: url-encoded, each byte of it can take up to nine
  // (a Windows-1252 byte decoded into a three-byte character, each byte written %XX).
  'POST /evaluations/:id/costs/import/confirm': {
    maxBytes: 9 * MAX_CSV_BYTES + MULTIPART_ROOM,
    message: `The CSV file is larger than ${megabytes(MAX_CSV_BYTES)}, the most this app takes. Nothing was imported.`,
  },
}

const formLimit: Limit = {
  maxBytes: FORM_MAX_BYTES,
  message: `This form sent more than ${megabytes(FORM_MAX_BYTES)}, far more than any form of this app takes. Nothing was saved.`,
}

/**
 * Refuses a request body larger than its route takes, with 413, before anything reads it: by its
 * Content-Length, or for a chunked body by counting as it arrives (hono's bodyLimit). It runs before
 * the session is looked up, so it holds for everyone, signed in or not.
 */
export function limitBodies(): MiddlewareHandler {
  const limiters = new Map<Limit, MiddlewareHandler>()
  const limiterFor = (limit: Limit): MiddlewareHandler => {
    let limiter = limiters.get(limit)
    if (limiter === undefined) {
      limiter = bodyLimit({
        maxSize: limit.maxBytes,
        onError: (c) => {
          c.header('Connection', 'close')
          return render(c, <ErrorPage status={413} message={limit.message} />, 413)
        },
      })
      limiters.set(limit, limiter)
    }
    return limiter
  }
  return async (c, next) => {
    const route = matchedRoutes(c).find((r) => r.method !== 'ALL')
    const limit = (route === undefined ? undefined : bodyLimits[`${c.req.method} ${route.path}`]) ?? formLimit
    return limiterFor(limit)(c, next)
  }
}
