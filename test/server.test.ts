// The real server, as an operator starts it: its start-up refusals, and several instances over one
// database (PostgreSQL with TEST_DATABASE_URL, else one SQLite file) serving one panel.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AuditKey } from '../src/db/audit-key.js'
import { newTestDatabaseLocation, serverDatabaseEnv, testEngine } from './database.js'
import { freePort } from './loopback.js'
import { declaredMember, importServed, servedFile, SMALL_CRITERIA } from './served.js'

interface Server {
  url: string
  output(): string
  stop(): Promise<void>
}

/** Starts `src/server.ts` on a free loopback port and waits until it listens, or until it exits. */
async function startServer(env: Record<string, string>): Promise<Server | { exitCode: number | null; output: string }> {
  const port = await freePort()
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const listening = new Promise<string>((resolve) => {
    const check = () => {
      const match = /running at (http:\/\/[^/\s]+)\//.exec(output)
      if (match !== null) resolve(match[1]!)
    }
    child.stdout!.on('data', check)
  })
  const first = await Promise.race([listening, exited.then((code) => ({ code }))])
  if (typeof first !== 'string') return { exitCode: first.code, output }
  return {
    url: first,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return
      child.kill('SIGTERM')
      await exited
    },
  }
}

function sqliteEnv(): Record<string, string> {
  return { APPRAISAL_DB: join(mkdtempSync(join(tmpdir(), 'appraisal-server-')), 'appraisal.sqlite'), DATABASE_URL: '' }
}

describe('starting the server', () => {
  it('stops with one line naming host, port and reason when DATABASE_URL cannot be reached, never falling back to SQLite', async () => {
    const port = await freePort() // nothing listens there now
    const started = await startServer({
      ...sqliteEnv(),
      DATABASE_URL: `postgres://appraisal:secret-password@127.0.0.1:${port}/appraisal`,
      AUDIT_KEY: AuditKey.generate(),
    })
    if ('url' in started) {
      await started.stop()
      throw new Error('the server started without its database')
    }
    expect(started.exitCode).toBe(1)
    expect(started.output).toBe(
      `Could not start: Cannot connect to PostgreSQL at 127.0.0.1:${port} (database appraisal, user appraisal): connection refused (is PostgreSQL running and listening on that address and port?)\n`,
    )
  })

  it('stops with one line when the single sign-on provider cannot be reached, never falling back to passwords', async () => {
    const port = await freePort() // no provider listens there
    const started = await startServer({
      ...sqliteEnv(),
      OIDC_ISSUER: `http://127.0.0.1:${port}`,
      OIDC_CLIENT_ID: 'options-appraisal',
      OIDC_CLIENT_SECRET: 'a-secret',
      OIDC_REDIRECT_URL: 'http://127.0.0.1:3000/sign-in/sso/callback',
    })
    if ('url' in started) {
      await started.stop()
      throw new Error('the server started without its identity provider')
    }
    expect(started.exitCode).toBe(1)
    expect(started.output).toMatch(new RegExp(`^Could not start: Single sign-on: could not use the provider at http://127\\.0\\.0\\.1:${port} \\([^\n]+\\)\n$`))
    expect(started.output).not.toContain('a-secret')
  })

  it('refuses a DATABASE_URL that is not a PostgreSQL address', async () => {
    const started = await startServer({ ...sqliteEnv(), DATABASE_URL: 'mysql://db.example.org/appraisal' })
    expect('url' in started).toBe(false)
    expect(started).toEqual({
      exitCode: 1,
      output: 'Could not start: DATABASE_URL: must be a PostgreSQL address, like postgres://user:password@db.example.org:5432/appraisal\n',
    })
  })
})

/** A person at their own browser: a cookie jar shared by whichever instance answers. */
class Person {
  cookie = ''

  async request(server: Server, path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers)
    if (this.cookie !== '') headers.set('cookie', this.cookie)
    const response = await fetch(`${server.url}${path}`, { ...init, headers, redirect: 'manual' })
    const set = response.headers.get('set-cookie')
    if (set !== null) this.cookie = /^session=;/.test(set) ? '' : set.split(';')[0]!
    return response
  }

  /** Posts a form with the CSRF token from a page of the other instance, as a browser posts a form it was given. */
  post(server: Server, path: string, fields: Record<string, string>, csrf: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(server, path, {
      method: 'POST',
      body: new URLSearchParams({ ...fields, _csrf: csrf }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    })
  }

  async page(server: Server, path: string): Promise<{ status: number; html: string; csrf: string }> {
    const response = await this.request(server, path)
    const html = await response.text()
    return { status: response.status, html, csrf: /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '' }
  }
}

function signIn(person: Person, server: Server, email: string, password: string): Promise<Response> {
  return person.post(server, '/sign-in', { email, password }, '')
}

describe.runIf(testEngine === 'postgres')('app servers starting together on a new PostgreSQL database', () => {
  it('create the administrator and the demo once, whichever starts first', async () => {
    const env = serverDatabaseEnv(await newTestDatabaseLocation())
    const servers = await Promise.all([startServer(env), startServer(env), startServer(env)])
    try {
      for (const server of servers) if (!('url' in server)) throw new Error(`a server did not start:\n${server.output}`)
      const outputs = servers.map((server) => ('url' in server ? server.output() : ''))
      expect(outputs.filter((output) => output.includes('Created the site administrator'))).toHaveLength(1)
      expect(outputs.filter((output) => output.includes('Created the demo evaluation'))).toHaveLength(1)
      for (const output of outputs) expect(output).toMatch(/"msg":"Database: PostgreSQL database \S+ on 127\.0\.0\.1:\d+ as [^"\s]+"/)
    } finally {
      for (const server of servers) if ('url' in server) await server.stop()
    }
  }, 90_000)
})

describe(`two app servers over one ${testEngine === 'postgres' ? 'PostgreSQL' : 'SQLite'} database`, () => {
  it('serve one panel journey with requests alternating between them: nothing is held in one process', async () => {
    const location = await newTestDatabaseLocation()
    const env = serverDatabaseEnv(location)
    const first = await startServer(env)
    if (!('url' in first)) throw new Error(`the first server did not start:\n${first.output}`)
    const second = await startServer(env)
    try {
      if (!('url' in second)) throw new Error(`the second server did not start:\n${second.output}`)
      const [a, b] = [first, second]
      // Only one instance creates the first accounts and prints their passwords.
      const output = a.output()
      expect(b.output()).not.toContain('These passwords are shown only once')
      const password = (email: string) => new RegExp(`^\\s+${email.replace(/[.]/g, '\\.')}\\s+(\\S+)`, 'm').exec(output)?.[1] ?? ''

      // An evaluation whose plan is approved, where Sam Whitfield (his demo account) has declared and
      // scored two of Product B's four answers, written to the database by the test beside both servers.
      const file = servedFile({
        criteria: SMALL_CRITERIA,
        options: [{ id: 'product-b', name: 'Product B' }],
        evaluators: [declaredMember('sam-whitfield', 'Sam Whitfield')],
      })
      const scored = ['live', 'sus'].map((criterion) => ({
        evaluator: 'sam-whitfield',
        option: 'product-b',
        criterion,
        score: 1,
        rationale: 'Seen at the demonstration, with the reference site on the call.',
      }))
      const { id } = await importServed(location, file, { lead: 'lead@demo.example', members: { 'sam-whitfield': 'sam-whitfield@demo.example' } }, scored)

      // Sign in on one; the session works on the other.
      const sam = new Person()
      expect((await signIn(sam, a, 'sam-whitfield@demo.example', password('sam-whitfield@demo.example'))).status).toBe(303)
      const home = await sam.page(b, `/evaluations/${id}/scoring`)
      expect(home.status).toBe(200)
      const optionId = /href="\/evaluations\/\d+\/scoring\/(\d+)"[^>]*>[^<]*Product B/.exec(home.html)?.[1]
      expect(optionId).toBeDefined()

      // Sam's two criteria of Product B still to score: one is saved through each instance, each
      // form posted to the instance that did not render it.
      const unscored = async (server: Server) => {
        const page = await sam.page(server, `/evaluations/${id}/scoring/${optionId}`)
        const forms = [...page.html.matchAll(/<form method="post" action="(\/evaluations\/\d+\/scoring\/\d+\/\d+)"[\s\S]*?<\/form>/g)]
        const open = forms.filter((f) => /name="version" value=""/.test(f[0]))
        return { page, actions: open.map((f) => f[1]!) }
      }
      const rationale = 'Seen working at the reference site with data like ours.'
      const before = await unscored(a)
      expect(before.actions).toHaveLength(2)
      expect((await sam.post(b, before.actions[0]!, { score: '3', rationale, evidence: '', version: '' }, before.page.csrf)).status).toBe(303)
      const middle = await unscored(b)
      expect(middle.actions).toEqual([before.actions[1]])
      expect((await sam.post(a, middle.actions[0]!, { score: '4', rationale, evidence: '', version: '' }, middle.page.csrf)).status).toBe(303)
      const after = await unscored(b)
      expect(after.actions).toEqual([])
      expect((await sam.post(a, `/evaluations/${id}/scoring/${optionId}/submit`, { confirm: 'on' }, after.page.csrf)).status).toBe(303)

      // The lead, signed in on the other instance, sees Sam's submission.
      const lead = new Person()
      expect((await signIn(lead, b, 'lead@demo.example', password('lead@demo.example'))).status).toBe(303)
      const moderation = await lead.page(a, `/evaluations/${id}/moderation`)
      expect(moderation.status).toBe(200)
      const submitted = await lead.page(b, `/evaluations/${id}/moderation/${optionId}?group=all`)
      expect(submitted.status).toBe(200)
      expect(submitted.html).toContain(rationale)

      // Signing out on one instance ends the session on both.
      const samsCookie = sam.cookie
      expect((await sam.post(b, '/sign-out', {}, after.page.csrf)).status).toBe(303)
      const replay = new Person()
      replay.cookie = samsCookie
      expect((await replay.request(a, `/evaluations/${id}/scoring`)).status).toBe(302)

      // Failed sign-ins count across instances: five alternating failures, then a wait on either.
      const guesser = new Person()
      for (let attempt = 0; attempt < 5; attempt++) {
        expect((await signIn(guesser, attempt % 2 === 0 ? a : b, 'finance@demo.example', 'not the password')).status).toBe(401)
      }
      expect((await signIn(guesser, b, 'finance@demo.example', password('finance@demo.example'))).status).toBe(429)
    } finally {
      await first.stop()
      if ('url' in second) await second.stop()
    }
  }, 90_000)
})
