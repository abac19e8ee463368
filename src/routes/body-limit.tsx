import type { MiddlewareHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { matchedRoutes } from 'hono/route'
import { ErrorPage } from '../../views/pages/error.js'
import { MAX_CSV_BYTES } from './cost-lines-csv.js'
import { MAX_IMPORT_BYTES } from './files.js'
import { render } from './render.js'
import { MAX_DOCUMENT_BYTES, MAX_RESPONSES_CSV_BYTES } from '../tender-files.js'

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
    message: `The file is larger than ${megabytes(MAX_CSV_BYTES)}, the most this app takes. Nothing was imported.`,
  },
  'POST /evaluations/:id/tender/:optionId/documents': {
    maxBytes: MAX_DOCUMENT_BYTES + MULTIPART_ROOM,
    message: `The document is larger than ${megabytes(MAX_DOCUMENT_BYTES)}, the most this app takes. Nothing was saved.`,
  },
  'POST /evaluations/:id/tender/:optionId/responses.csv': {
    maxBytes: MAX_RESPONSES_CSV_BYTES + MULTIPART_ROOM,
    message: `The file is larger than ${megabytes(MAX_RESPONSES_CSV_BYTES)}, the most this app takes. Nothing was imported.`,
  },
  // The checked CSV (or the workbook, in base64: four bytes for three) comes back as a form field: url-encoded, each byte of it can take up to nine
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

/** A body that went past its limit while being read: answered 413 by the app's error page. */
export class BodyTooLargeError extends HTTPException {
  constructor(limit: Limit) {
    super(413, { message: limit.message })
  }
}

/**
 * Refuses a request body larger than its route takes, with 413, before anything reads it. A body
 * with a Content-Length over the limit is refused at once, unread (Node's parser delivers no more
 * than a Content-Length says). A chunked body is counted as it is read, and reading it fails with
 * BodyTooLargeError at the first byte over: nothing is read ahead (hono's bodyLimit would buffer the
 * whole body before the guard looks at the session), so a signed-out upload to a page that takes
 * files is turned away unread. It runs before the session is looked up, so the limit holds for
 * everyone, signed in or not.
 */
export function limitBodies(): MiddlewareHandler {
  return async (c, next) => {
    const body = c.req.raw.body
    if (body === null) return next()
    const route = matchedRoutes(c).find((r) => r.method !== 'ALL')
    const limit = (route === undefined ? undefined : bodyLimits[`${c.req.method} ${route.path}`]) ?? formLimit
    const declared = c.req.header('Content-Length')
    if (declared !== undefined && !c.req.raw.headers.has('Transfer-Encoding')) {
      if (!(Number(declared) <= limit.maxBytes)) {
        c.header('Connection', 'close')
        return render(c, <ErrorPage status={413} message={limit.message} />, 413)
      }
      return next()
    }
    let size = 0
    const reader = body.getReader()
    const counted = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          const { done, value } = await reader.read()
          if (done) return controller.close()
          size += value.byteLength
          if (size <= limit.maxBytes) return controller.enqueue(value)
          controller.error(new BodyTooLargeError(limit))
          await reader.cancel()
        },
        cancel: (reason) => reader.cancel(reason),
      },
      { highWaterMark: 0 }, // read only as the reader asks, nothing ahead
    )
    c.req.raw = new Request(c.req.raw, { body: counted, duplex: 'half' } as RequestInit)
    return next()
  }
}
