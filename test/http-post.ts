// A form post over plain node:http with a kept-alive agent, for the processes that load the server
// (the benchmark's load driver, the crash test's saver): fetch would add its own pooling and costs.
import { request, type Agent } from 'node:http'

export type PostOutcome = { status: number; body: string } | { error: string }

/** Posts `body` to `path` on `origin`; a refused connection, a reset or a timeout is an `error`, never a throw. */
export function postOver(agent: Agent, origin: URL, path: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<PostOutcome> {
  return new Promise((resolve) => {
    const req = request(
      { host: origin.hostname, port: origin.port, method: 'POST', path, agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (text += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
        res.on('error', (error) => resolve({ error: error.message }))
        res.on('aborted', () => resolve({ error: 'response aborted' }))
      },
    )
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')))
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }))
    req.end(body)
  })
}
