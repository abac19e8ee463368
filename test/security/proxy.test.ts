// Behind a proxy (issue 26): TRUST_PROXY says how many proxies to believe about the client's address
// and https; with none, a client cannot pick its own address or claim https with a header.
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { readConfig } from '../../src/config.js'
import { createTestAccount, createTestApp, postForm, TEST_PASSWORD, testTemplates } from '../helpers.js'

async function blockAddress(t: Awaited<ReturnType<typeof createTestApp>>, address: string) {
  await t.db
    .insertInto('sign_in_throttle')
    .values({ key: `address:${address}`, failures: 1000, last_failure_at: new Date().toISOString() })
    .execute()
}

describe('the TRUST_PROXY setting', () => {
  it('is read once at start-up: 0 by default, a whole number of proxies, or a clear error', () => {
    expect(readConfig({}).TRUST_PROXY).toBe(0)
    expect(readConfig({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2)
    expect(() => readConfig({ TRUST_PROXY: 'yes' })).toThrow('TRUST_PROXY: TRUST_PROXY must be a number of proxies, such as 1')
    expect(() => readConfig({ TRUST_PROXY: '1.5' })).toThrow('TRUST_PROXY must be a whole number')
    expect(() => readConfig({ TRUST_PROXY: '-1' })).toThrow('TRUST_PROXY must be between 0 and 10')
  })
})

describe('with no proxy trusted', () => {
  it('ignores X-Forwarded-Proto: the cookie is Secure only over HTTPS itself', async () => {
    const t = await createTestApp()
    await createTestAccount(t.db, { email: 'sam@example.test' })
    const response = await postForm(t.anonymous, '/sign-in', { email: 'sam@example.test', password: TEST_PASSWORD }, { 'X-Forwarded-Proto': 'https' })
    expect(response.status).toBe(303)
    expect(response.headers.get('set-cookie')).not.toMatch(/Secure/)
  })

  it('ignores X-Forwarded-For: a client cannot escape the address throttle by naming another address', async () => {
    const t = await createTestApp()
    await createTestAccount(t.db, { email: 'sam@example.test' })
    await blockAddress(t, 'unknown') // app.request has no socket: its address is 'unknown'
    const response = await postForm(t.anonymous, '/sign-in', { email: 'sam@example.test', password: TEST_PASSWORD }, { 'X-Forwarded-For': '198.51.100.20' })
    expect(response.status).toBe(429)
  })
})

describe('behind one trusted proxy', () => {
  it('marks the cookie Secure when the proxy says the client came over HTTPS, and not otherwise', async () => {
    const t = await createTestApp()
    await createTestAccount(t.db, { email: 'sam@example.test' })
    const app = createApp({ db: t.db, templates: testTemplates(), trustProxy: 1 })
    const tls = await postForm(
      app,
      '/sign-in',
      { email: 'sam@example.test', password: TEST_PASSWORD },
      { 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '192.0.2.1' },
    )
    expect(tls.headers.get('set-cookie')).toMatch(/; Secure/)
    const plain = await postForm(
      app,
      '/sign-in',
      { email: 'sam@example.test', password: TEST_PASSWORD },
      { 'X-Forwarded-Proto': 'http', 'X-Forwarded-For': '192.0.2.1' },
    )
    expect(plain.headers.get('set-cookie')).not.toMatch(/Secure/)
  })

  it('takes the address the proxy added, not one the client put before it', async () => {
    const t = await createTestApp()
    await createTestAccount(t.db, { email: 'sam@example.test' })
    const app = createApp({ db: t.db, templates: testTemplates(), trustProxy: 1 })
    await blockAddress(t, '203.0.113.9')
    // The client claims 198.51.100.20; the proxy appended the address it really came from.
    const spoofed = await postForm(app, '/sign-in', { email: 'sam@example.test', password: TEST_PASSWORD }, { 'X-Forwarded-For': '198.51.100.20, 203.0.113.9' })
    expect(spoofed.status).toBe(429)
    const other = await postForm(app, '/sign-in', { email: 'sam@example.test', password: TEST_PASSWORD }, { 'X-Forwarded-For': '203.0.113.9, 198.51.100.20' })
    expect(other.status).toBe(303)
  })

  it('with two proxies, takes the address the outer one added', async () => {
    const t = await createTestApp()
    await createTestAccount(t.db, { email: 'sam@example.test' })
    const app = createApp({ db: t.db, templates: testTemplates(), trustProxy: 2 })
    await blockAddress(t, '203.0.113.9')
    const response = await postForm(
      app,
      '/sign-in',
      { email: 'sam@example.test', password: TEST_PASSWORD },
      { 'X-Forwarded-For': '198.51.100.20, 203.0.113.9, 10.0.0.2' },
    )
    expect(response.status).toBe(429)
  })
})
