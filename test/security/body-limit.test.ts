// No request body can take the service down: each route takes a body up to its limit, and a larger
// one is refused with 413 before anything reads it (issue 26).
import { serve } from '@hono/node-server'
import { connect, type AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { createSession, validateSession } from '../../src/db/sessions.js'
import { FORM_MAX_BYTES } from '../../src/routes/body-limit.js'
import { MAX_CSV_BYTES } from '../../src/routes/cost-lines-csv.js'
import { MAX_IMPORT_BYTES } from '../../src/routes/files.js'
import { createTestApp, evaluationFields, pageText, postForm } from '../helpers.js'

const GIGABYTE = 1024 * 1024 * 1024
const CHUNK = 64 * 1024

/**
 * A body that counts what is read of it, up to `total` bytes; reading more than `readable` fails the
 * request, as the process running out of memory would.
 */
function countedBody(total: number, readable = 8 * 1024 * 1024) {
  const counter = { read: 0 }
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (counter.read >= total) return controller.close()
        if (counter.read >= readable) return controller.error(new Error(`read ${counter.read} bytes of a body that should have been refused`))
        const chunk = new Uint8Array(Math.min(CHUNK, total - counter.read)).fill(0x61)
        counter.read += chunk.length
        controller.enqueue(chunk)
      },
    },
    { highWaterMark: 0 },
  )
  return { stream, counter }
}

function streamedRequest(path: string, stream: ReadableStream<Uint8Array>, headers: Record<string, string>): Request {
  return new Request(`http://localhost${path}`, { method: 'POST', body: stream, headers, duplex: 'half' } as RequestInit)
}

describe('request bodies', () => {
  it('refuses a 1 GB sign-in with 413 without reading any of it', async () => {
    const t = await createTestApp()
    const { stream, counter } = countedBody(GIGABYTE)
    const response = await t.anonymous.request(
      streamedRequest('/sign-in', stream, { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(GIGABYTE) }),
    )
    expect(response.status).toBe(413)
    expect(pageText(await response.text())).toContain('far more than any form of this app takes')
    expect(counter.read).toBe(0)
  })

  it('refuses a chunked body once it passes the limit, having read no more than the limit', async () => {
    const t = await createTestApp()
    const { stream, counter } = countedBody(GIGABYTE)
    const response = await t.anonymous.request(streamedRequest('/sign-in', stream, { 'content-type': 'application/x-www-form-urlencoded' }))
    expect(response.status).toBe(413)
    expect(counter.read).toBeLessThanOrEqual(FORM_MAX_BYTES + CHUNK)
  })

  it('reads nothing of a chunked upload to the import from someone signed out', async () => {
    const t = await createTestApp()
    const { stream, counter } = countedBody(GIGABYTE)
    const response = await t.anonymous.request(streamedRequest('/evaluations/import', stream, { 'content-type': 'multipart/form-data; boundary=x' }))
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe('/sign-in')
    expect(counter.read).toBe(0)
  })

  it('refuses a chunked form past the limit signed in, where the guard reads its CSRF field, with the page saying why', async () => {
    const t = await createTestApp()
    const { stream, counter } = countedBody(GIGABYTE)
    const token = await createSession(t.db, t.accountId)
    const headers = { cookie: `session=${token}`, 'content-type': 'application/x-www-form-urlencoded' }
    const response = await t.anonymous.request(streamedRequest('/evaluations', stream, headers))
    expect(response.status).toBe(413)
    expect(pageText(await response.text())).toContain('far more than any form of this app takes')
    expect(counter.read).toBeLessThanOrEqual(FORM_MAX_BYTES + CHUNK)
    expect(await t.db.selectFrom('evaluation').select('id').execute()).toEqual([])
  })

  it('refuses an oversized form on a page that needs signing in with 413, signed in or not', async () => {
    const t = await createTestApp()
    const { stream } = countedBody(GIGABYTE)
    const signedOut = await t.anonymous.request(
      streamedRequest('/evaluations', stream, { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(GIGABYTE) }),
    )
    expect(signedOut.status).toBe(413)
    const signedIn = await t.app.request('/evaluations', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `title=${'x'.repeat(FORM_MAX_BYTES)}`,
    })
    expect(signedIn.status).toBe(413)
    expect(await t.db.selectFrom('evaluation').select('id').execute()).toEqual([])
  })

  it('takes the largest real form, which is far below the limit', async () => {
    const t = await createTestApp()
    // Every text of a new evaluation at its longest, in four-byte characters (each 12 bytes url-encoded).
    const wide = '𝔸'
    const fields = evaluationFields({ title: wide.repeat(200), organisation: wide.repeat(200), summary: wide.repeat(10_000) })
    const size = new URLSearchParams(fields).toString().length
    expect(size).toBeGreaterThan(120_000)
    expect(size * 4).toBeLessThan(FORM_MAX_BYTES)
    const response = await postForm(t.app, '/evaluations', fields)
    expect(response.status).toBe(303)
  })

  it('refuses an evaluation file over the import limit before reading it, with a page saying why', async () => {
    const t = await createTestApp()
    const { stream, counter } = countedBody(GIGABYTE)
    const size = MAX_IMPORT_BYTES + 1024 * 1024
    const token = await createSession(t.db, t.accountId)
    const { csrfToken } = (await validateSession(t.db, token))!
    const headers = { cookie: `session=${token}`, 'X-CSRF-Token': csrfToken, 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(size) }
    const response = await t.anonymous.request(streamedRequest('/evaluations/import', stream, headers))
    expect(response.status).toBe(413)
    expect(pageText(await response.text())).toContain('The evaluation file is larger than 50 MB')
    expect(counter.read).toBe(0)
  })

  it('cuts off a chunked upload to a route that takes files at its own limit, signed in, with a page saying why', async () => {
    const t = await createTestApp()
    const { evaluation } = await import('../appraisal/factories.js')
    const id = await t.importFile(evaluation())
    const finance = await t.clientWithRoles(id, ['finance'])
    const before = await t.db.selectFrom('money_line').select('id').execute()
    const { stream, counter } = countedBody(GIGABYTE, 2 * MAX_CSV_BYTES)
    const init = { method: 'POST', body: stream, headers: { 'content-type': 'multipart/form-data; boundary=x' }, duplex: 'half' }
    const response = await finance.request(`/evaluations/${id}/costs/import`, init as RequestInit)
    expect(response.status).toBe(413)
    expect(pageText(await response.text())).toContain('The file is larger than 2 MB, the most this app takes. Nothing was imported.')
    // Read as it streamed in, up to the file's limit and no further: never the whole upload.
    expect(counter.read).toBeGreaterThan(FORM_MAX_BYTES)
    expect(counter.read).toBeLessThanOrEqual(MAX_CSV_BYTES + 64 * 1024 + CHUNK)
    expect(await t.db.selectFrom('money_line').select('id').execute()).toEqual(before)
  })

  it('takes an evaluation file larger than a form could be', async () => {
    const t = await createTestApp()
    const { evaluation } = await import('../appraisal/factories.js')
    const file = evaluation()
    // Padding inside the JSON, so the upload is over the form limit but is still the same file.
    const text = JSON.stringify(file, null, 2).replace('{', `{${' '.repeat(FORM_MAX_BYTES * 2)}`)
    const form = new FormData()
    form.append('file', new File([text], 'big.json', { type: 'application/json' }))
    const response = await t.app.request('/evaluations/import', { method: 'POST', body: form })
    expect(response.status).toBe(303)
  })

  it('answers a real socket claiming 1 GB with 413 at once', async () => {
    const t = await createTestApp()
    const server = serve({ fetch: t.anonymous.fetch, port: 0, hostname: '127.0.0.1' })
    await new Promise<void>((resolve) => server.once('listening', () => resolve()))
    try {
      const { port } = server.address() as AddressInfo
      const reply = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1')
        let text = ''
        socket.on('data', (data: Buffer) => {
          text += data.toString('latin1')
          if (text.includes('\r\n\r\n')) {
            socket.destroy()
            resolve(text)
          }
        })
        socket.on('error', reject)
        socket.write(
          `POST /sign-in HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${GIGABYTE}\r\n\r\nemail=a`,
        )
      })
      expect(reply.split('\r\n')[0]).toBe('HTTP/1.1 413 Payload Too Large')
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })
})
