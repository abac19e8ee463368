// Signing in (issue 26): no open redirect, a throttle that holds however attempts arrive and does not
// lock out a shared address, sessions renewed when who is signed in changes, nothing kept in caches.
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { createSession, validateSession } from '../../src/db/sessions.js'
import { ADDRESS_POLICY, FREE_FAILURES } from '../../src/db/sign-in-throttle.js'
import { createTestAccount, createTestApp, pageText, postForm, TEST_PASSWORD, testTemplates } from '../helpers.js'

function sessionCookie(response: Response): string {
  const match = /session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')
  if (match === null) throw new Error('no session cookie')
  return match[1]!
}

function csrfIn(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html)
  if (match === null) throw new Error('no CSRF field on the page')
  return match[1]!
}

describe('the page to go back to after signing in', () => {
  const away = [
    '/%09/evil.example',
    '/%0a/evil.example',
    '/%0d%0a/evil.example',
    '/.//evil.example',
    '/%5Cevil.example',
    '/\\evil.example',
    '//evil.example',
    'https://evil.example/',
    'javascript:alert(1)',
    '/%00/evil.example',
  ]

  it('never sends a signed-in visitor to another site', async () => {
    const t = await createTestApp()
    for (const next of away) {
      const response = await t.app.request(`/sign-in?next=${next.startsWith('/%') ? next : encodeURIComponent(next)}`)
      expect(response.status, next).toBe(302)
      expect(response.headers.get('location'), next).toBe('/evaluations')
    }
  })

  it('never sends someone signing in to another site', async () => {
    const t = await createTestApp()
    await createTestAccount(t.db, { email: 'sam@example.test' })
    for (const next of away) {
      const response = await postForm(t.anonymous, `/sign-in?next=${next.startsWith('/%') ? next : encodeURIComponent(next)}`, {
        email: 'sam@example.test',
        password: TEST_PASSWORD,
      })
      expect(response.status, next).toBe(303)
      expect(response.headers.get('location'), next).toBe('/evaluations')
    }
  })

  it('still goes back to a page of this site, with its query', async () => {
    const t = await createTestApp()
    const response = await t.app.request(`/sign-in?next=${encodeURIComponent('/evaluations/3/history?person=2')}`)
    expect(response.headers.get('location')).toBe('/evaluations/3/history?person=2')
  })
})

describe('the sign-in throttle', () => {
  it('checks 5 passwords of 40 sent at once, and refuses the rest', async () => {
    const t = await createTestApp()
    await createTestAccount(t.db, { email: 'target@example.test' })
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, i) => postForm(t.anonymous, '/sign-in', { email: 'target@example.test', password: `guess number ${i}` })),
    )
    const statuses = responses.map((r) => r.status)
    expect(statuses.filter((s) => s === 401)).toHaveLength(5)
    expect(statuses.filter((s) => s === 429)).toHaveLength(35)
    expect((await postForm(t.anonymous, '/sign-in', { email: 'target@example.test', password: TEST_PASSWORD })).status).toBe(429)
  })

  it('lets a person in with the right password from an address where others have failed on made-up emails', async () => {
    const t = await createTestApp()
    await createTestAccount(t.db, { email: 'officer@example.test' })
    for (let i = 0; i < 3 * FREE_FAILURES; i++) {
      expect((await postForm(t.anonymous, '/sign-in', { email: `made-up-${i}@example.test`, password: 'Summer2026!' })).status).toBe(401)
    }
    const response = await postForm(t.anonymous, '/sign-in', { email: 'officer@example.test', password: TEST_PASSWORD })
    expect(response.status).toBe(303)
  })

  it('still stops an address spraying passwords over many accounts, after 100 failures', async () => {
    const t = await createTestApp()
    await createTestAccount(t.db, { email: 'officer@example.test' })
    // From another address: the app believes one proxy, which says who the client is.
    const app = createApp({ db: t.db, templates: testTemplates(), trustProxy: 1 })
    const from = (address: string) => ({ 'X-Forwarded-For': address })
    // The first 90 failures as the throttle counts them (checking 100 passwords would take a while).
    await t.db
      .insertInto('sign_in_throttle')
      .values({ key: 'address:203.0.113.7', failures: ADDRESS_POLICY.freeFailures - 10, last_failure_at: new Date().toISOString() })
      .execute()
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => postForm(app, '/sign-in', { email: `spray-${i}@example.test`, password: 'Summer2026!' }, from('203.0.113.7'))),
    )
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(401))
    expect((await postForm(app, '/sign-in', { email: 'officer@example.test', password: TEST_PASSWORD }, from('203.0.113.7'))).status).toBe(429)
    expect((await postForm(app, '/sign-in', { email: 'officer@example.test', password: TEST_PASSWORD }, from('198.51.100.2'))).status).toBe(303)
  })

  it('keeps an account at 5 failures wherever they come from', async () => {
    const t = await createTestApp()
    await createTestAccount(t.db, { email: 'target@example.test' })
    const app = createApp({ db: t.db, templates: testTemplates(), trustProxy: 1 })
    for (let i = 0; i < 5; i++) {
      expect((await postForm(app, '/sign-in', { email: 'target@example.test', password: `guess ${i}` }, { 'X-Forwarded-For': `192.0.2.${i}` })).status).toBe(
        401,
      )
    }
    expect((await postForm(app, '/sign-in', { email: 'target@example.test', password: TEST_PASSWORD }, { 'X-Forwarded-For': '192.0.2.99' })).status).toBe(429)
  })
})

describe('sessions', () => {
  it('starts a new session at sign-in, ending the one the browser had', async () => {
    const t = await createTestApp()
    await createTestAccount(t.db, { email: 'sam@example.test' })
    const before = await createSession(t.db, t.accountId)
    const csrfBefore = (await validateSession(t.db, before))!.csrfToken
    const response = await postForm(t.anonymous, '/sign-in', { email: 'sam@example.test', password: TEST_PASSWORD }, { cookie: `session=${before}` })
    expect(response.status).toBe(303)
    const after = sessionCookie(response)
    expect(after).not.toBe(before)
    expect(await validateSession(t.db, before)).toBeNull()
    // …and with it a new CSRF token.
    expect((await validateSession(t.db, after))?.csrfToken).toMatch(/./)
    expect((await validateSession(t.db, after))?.csrfToken).not.toBe(csrfBefore)
  })

  it('renews the session and its CSRF token at a password change: the old ones no longer work', async () => {
    const t = await createTestApp()
    const email = 'changer@example.test'
    await createTestAccount(t.db, { email })
    const token = sessionCookie(await postForm(t.anonymous, '/sign-in', { email, password: TEST_PASSWORD }))
    const oldCsrf = csrfIn(await (await t.anonymous.request('/account/password', { headers: { cookie: `session=${token}` } })).text())
    const changed = await postForm(
      t.anonymous,
      '/account/password',
      { current: TEST_PASSWORD, password: 'a brand new passphrase', confirm: 'a brand new passphrase', _csrf: oldCsrf },
      { cookie: `session=${token}` },
    )
    expect(changed.status).toBe(200)
    const html = await changed.text()
    expect(pageText(html)).toContain('Your password has been changed')
    const renewed = sessionCookie(changed)
    expect(renewed).not.toBe(token)
    const newCsrf = csrfIn(html)
    expect(newCsrf).not.toBe(oldCsrf)
    expect(await validateSession(t.db, token)).toBeNull()
    expect((await validateSession(t.db, renewed))?.csrfToken).toBe(newCsrf)
    // The page shown after the change works under the new session; the old token is refused.
    const stale = await postForm(t.anonymous, '/evaluations', { title: 'With the old token', _csrf: oldCsrf }, { cookie: `session=${renewed}` })
    expect(stale.status).toBe(403)
    expect((await t.anonymous.request('/evaluations', { headers: { cookie: `session=${renewed}` } })).status).toBe(200)
  })
})

describe('caching', () => {
  // Every route's answer to someone signed in is no-store: test/security/every-page.test.ts asks each.
  it('marks a missing page and the sign-in page no-store too, and only static files cacheable', async () => {
    const t = await createTestApp()
    expect((await t.app.request('/evaluations/999999')).headers.get('cache-control')).toBe('no-store')
    expect((await t.anonymous.request('/sign-in')).headers.get('cache-control')).toBe('no-store')
    expect((await t.app.request('/assets/app.css')).headers.get('cache-control')).toMatch(/^public/)
  })
})
