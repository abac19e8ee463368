// Issue 22 and the availability part of issue 26: the long work (reports, sensitivity, parsing
// uploads) runs in worker threads, bounded by a queue limit (503 with Retry-After) and a per-account
// limit (429). The tests hold the worker thread with a gate rather than timing anything: a task
// waits on the gate in its thread until the test opens it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { parseEvaluationText } from '../../src/appraisal/index.js'
import { createApp } from '../../src/app.js'
import { grantRole } from '../../src/db/accounts.js'
import { recordedChange } from '../../src/db/audit.js'
import { importEvaluationFile } from '../../src/db/evaluation-file.js'
import { AuditKey, auditKeyOf } from '../../src/db/audit-key.js'
import { openDatabase } from '../../src/db/open.js'
import { sharedSource } from '../../src/work/database.js'
import { closedGate, LongWork, openGate } from '../../src/work/pool.js'
import { completeConsensus } from '../appraisal/factories.js'
import { TEST_ACTOR, verifyRecordsAfterTest } from '../changes.js'
import { openTestDatabase } from '../database.js'
import { createTestAccount, declareNoInterest, pageText, postForm, signedInClient, testTemplates } from '../helpers.js'

const parsed = parseEvaluationText(readFileSync(new URL('../fixtures/small-evaluation.json', import.meta.url), 'utf8'))
if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
const fixture = parsed.file
/** Moderated: while moderation is open the lead is refused the report and sensitivity (decision 17). */
const moderated = completeConsensus(fixture)

const pools: LongWork[] = []
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()))
})

/** An app over a fresh database with its own pool; `people` leads of one imported evaluation. */
async function setUp(limits: ConstructorParameters<typeof LongWork>[0], options: { gate?: SharedArrayBuffer; people?: number; file?: typeof fixture } = {}) {
  const db = await openTestDatabase()
  const work = new LongWork(limits, options.gate)
  pools.push(work)
  const app = createApp({ db, templates: testTemplates(), work })
  verifyRecordsAfterTest(db)
  const accounts = []
  for (let i = 0; i < (options.people ?? 1); i++) accounts.push(await createTestAccount(db))
  const id = await importEvaluationFile(db, options.file ?? moderated, { actor: TEST_ACTOR, leadAccountId: accounts[0]! })
  const clients = []
  for (const account of accounts) {
    if (account !== accounts[0]) {
      const request = { evaluationId: id, actor: TEST_ACTOR, kind: 'panel', summary: 'Roles given by a test', reach: { tables: ['panel_role'] } } as const
      await recordedChange(db, request, (trx) => grantRole(trx, id, account, 'lead'))
    }
    // Each lead declares no interest, as they would before moderating or finalising.
    await declareNoInterest(db, id, account, ['lead'])
    clients.push(await signedInClient(app, db, account))
  }
  return { db, work, id, clients }
}

/** Whether a promise has settled yet, without waiting for it. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  const marker = Symbol('pending')
  return (
    (await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      new Promise((resolve) => setImmediate(() => resolve(marker))),
    ])) !== marker
  )
}

describe('long work in worker threads', () => {
  it('renders a draft report in a worker while another person’s page answers meanwhile', async () => {
    const gate = closedGate()
    const { work, id, clients } = await setUp({ threads: 1, queue: 1, perAccount: 1 }, { gate, people: 2 })
    const [lead, other] = clients as [NonNullable<(typeof clients)[0]>, NonNullable<(typeof clients)[0]>]
    const report = Promise.resolve(lead.request(`/evaluations/${id}/report.pdf`))
    while (work.pending < 1) await new Promise((resolve) => setImmediate(resolve))
    // The report is held in its worker thread; the request thread still answers someone else.
    const page = await other.request(`/evaluations/${id}`)
    expect(page.status).toBe(200)
    const scoring = await other.request(`/evaluations/${id}/results`)
    expect(scoring.status).toBe(200)
    expect(await settled(report)).toBe(false)
    expect(work.pending).toBe(1)
    expect(work.workersPeakMb).toBe(0)
    openGate(gate)
    const response = await report
    expect(response.status).toBe(200)
    expect(Buffer.from(new Uint8Array(await response.arrayBuffer()).subarray(0, 5)).toString()).toBe('%PDF-')
    expect(work.completed).toBe(1)
    expect(work.pending).toBe(0)
    // The thread reported what it held once the job was done.
    expect(work.workersPeakMb).toBeGreaterThan(0)
  }, 60_000)

  it('refuses a job that needs more memory than a thread may use with 503, naming the setting, and serves the rest', async () => {
    // A bound far too small for anything: the thread stops as soon as it starts loading the code.
    const { id, clients } = await setUp({ threads: 1, heapMb: 8 })
    const response = await clients[0]!.request(`/evaluations/${id}/report.pdf`)
    expect(response.status).toBe(503)
    expect(pageText(await response.text())).toContain('Ask the administrator to raise WORK_HEAP_MB')
    expect((await clients[0]!.request(`/evaluations/${id}`)).status).toBe(200)
  }, 60_000)

  it('answers 503 with Retry-After when every thread is busy and the queue is full, and runs the rest', async () => {
    const gate = closedGate()
    const { work, id, clients } = await setUp({ threads: 1, queue: 1, perAccount: 1 }, { gate, people: 3 })
    const running = clients[0]!.request(`/evaluations/${id}/sensitivity`)
    const queued = clients[1]!.request(`/evaluations/${id}/report.pdf`)
    // Each request reads the evaluation before it queues: wait until both hold a place.
    while (work.pending < 2) await new Promise((resolve) => setImmediate(resolve))
    const refused = await clients[2]!.request(`/evaluations/${id}/report.pdf`)
    expect(refused.status).toBe(503)
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/)
    expect(pageText(await refused.text())).toContain('The service is busy preparing other reports and analyses. Try again in a few seconds.')
    openGate(gate)
    expect((await running).status).toBe(200)
    expect((await queued).status).toBe(200)
    // The queue does not keep the refusal: once free, the same request is served.
    expect((await clients[2]!.request(`/evaluations/${id}/report.pdf`)).status).toBe(200)
  }, 60_000)

  it('limits one account’s long jobs at once with 429, while others are still served', async () => {
    const gate = closedGate()
    const { work, id, clients } = await setUp({ threads: 1, queue: 4, perAccount: 1 }, { gate, people: 2 })
    const first = clients[0]!.request(`/evaluations/${id}/report.pdf`)
    while (work.pending < 1) await new Promise((resolve) => setImmediate(resolve))
    const second = await clients[0]!.request(`/evaluations/${id}/sensitivity?iterations=100000`)
    expect(second.status).toBe(429)
    expect(second.headers.get('retry-after')).toMatch(/^\d+$/)
    expect(pageText(await second.text())).toContain('You already have 1 reports or analyses being prepared')
    const someoneElse = clients[1]!.request(`/evaluations/${id}/sensitivity`)
    while (work.pending < 2) await new Promise((resolve) => setImmediate(resolve))
    openGate(gate)
    expect((await first).status).toBe(200)
    expect((await someoneElse).status).toBe(200)
    expect((await clients[0]!.request(`/evaluations/${id}/sensitivity`)).status).toBe(200)
  }, 60_000)

  it('parses an uploaded evaluation file in a worker, and refuses a bad one with its errors', async () => {
    const { work, clients } = await setUp({ threads: 1 })
    const upload = (text: string) => {
      const form = new FormData()
      form.set('file', new File([text], 'evaluation.json', { type: 'application/json' }))
      return clients[0]!.request('/evaluations/import', { method: 'POST', body: form })
    }
    const bad = await upload('{"format": "nothing like it"}')
    expect(bad.status).toBe(422)
    expect(work.completed).toBe(1)
    const good = await upload(JSON.stringify(fixture))
    expect(good.status).toBe(303)
    expect(work.completed).toBe(2)
  }, 60_000)

  it('never renders a finalised report again: the stored one is served', async () => {
    const { db, work, id, clients } = await setUp({ threads: 1 }, { file: moderated })
    const lead = clients[0]!
    expect((await postForm(lead, `/evaluations/${id}/finalise`, { confirm: 'on' })).status).toBe(303)
    const renderedOnce = work.completed
    const stored = await db.selectFrom('finalised_report').select('pdf').where('evaluation_id', '=', id).executeTakeFirstOrThrow()
    for (let i = 0; i < 2; i++) {
      const response = await lead.request(`/evaluations/${id}/report.pdf`)
      expect(response.status).toBe(200)
      expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(stored.pdf))).toBe(true)
    }
    expect(work.completed).toBe(renderedOnce)
  }, 60_000)

  it('closes its threads and refuses work after close, with 503', async () => {
    const { work, id, clients } = await setUp({ threads: 1 })
    expect((await clients[0]!.request(`/evaluations/${id}/sensitivity`)).status).toBe(200)
    await work.close()
    const refused = await clients[0]!.request(`/evaluations/${id}/sensitivity`)
    expect(refused.status).toBe(503)
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/)
  }, 60_000)

  it('reads and checks the record, reads and renders the report, and reads and computes the sensitivity page, in a worker over its own connection when it can open the database', async () => {
    // A database file, which another thread can open (a test's usual one is in memory).
    const dir = mkdtempSync(join(tmpdir(), 'appraisal-long-work-'))
    const db = await openDatabase(join(dir, 'app.sqlite'), { auditKey: AuditKey.generate() })
    try {
      const gate = closedGate()
      const work = new LongWork({ threads: 1, perAccount: 3 }, gate, sharedSource(join(dir, 'app.sqlite'), auditKeyOf(db)))
      pools.push(work)
      const here = new LongWork({ threads: 1 })
      pools.push(here)
      const app = createApp({ db, templates: testTemplates(), work })
      const lead = await createTestAccount(db)
      const id = await importEvaluationFile(db, moderated, { actor: TEST_ACTOR, leadAccountId: lead })
      const client = await signedInClient(app, db, lead)
      const check = Promise.resolve(client.request(`/evaluations/${id}/record-check`))
      const report = Promise.resolve(client.request(`/evaluations/${id}/report.pdf`))
      const sensitivity = Promise.resolve(client.request(`/evaluations/${id}/sensitivity?iterations=200`))
      while (work.pending < 3) await new Promise((resolve) => setImmediate(resolve))
      // All three are held in the worker thread; the request thread answers a page meanwhile.
      const page = await client.request(`/evaluations/${id}`)
      const held = await settled(check)
      openGate(gate)
      expect(page.status).toBe(200)
      expect(held).toBe(false)
      const [checked, rendered, computed] = await Promise.all([check, report, sensitivity])
      expect(rendered.status).toBe(200)
      expect(Buffer.from(new Uint8Array(await rendered.arrayBuffer()).subarray(0, 5)).toString()).toBe('%PDF-')
      expect(checked.status).toBe(200)
      expect(computed.status).toBe(200)
      expect(work.completed).toBe(3)
      // The same pages as the request thread's own reading gives.
      const hereClient = await signedInClient(createApp({ db, templates: testTemplates(), work: here }), db, lead)
      const onThisThread = await hereClient.request(`/evaluations/${id}/record-check`)
      const checkPage = await checked.text()
      // The same but for the session's CSRF token.
      const withoutToken = (html: string) => html.replace(/(X-CSRF-Token&quot;:&quot;|name="_csrf" value=")[^&"]+/g, '$1')
      expect(withoutToken(checkPage)).toBe(withoutToken(await onThisThread.text()))
      const sensitivityHere = await hereClient.request(`/evaluations/${id}/sensitivity?iterations=200`)
      expect(withoutToken(await computed.text())).toBe(withoutToken(await sensitivityHere.text()))
      // There, the record check ran on the request thread and the sensitivity page's figures in the pool, from the file it sent.
      expect(here.completed).toBe(1)
      expect(pageText(checkPage)).not.toContain('differs from the audit log')
      // A score edited behind the app's back shows in the worker's next check: it reads afresh.
      await sql`update individual_score set score = score + 1 where id = (select min(id) from individual_score)`.execute(db)
      const tampered = await client.request(`/evaluations/${id}/record-check`)
      expect(pageText(await tampered.text())).toContain('differs from the audit log')
      expect(work.completed).toBe(4)
    } finally {
      await db.destroy()
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)
})
