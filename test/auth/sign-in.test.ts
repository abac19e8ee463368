import { describe, expect, it } from 'vitest'
import { createSession, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, validateSession } from '../../src/db/sessions.js'
import { ADDRESS_POLICY, FREE_FAILURES } from '../../src/db/sign-in-throttle.js'
import { createTestAccount, createTestApp, pageText, postForm, TEST_PASSWORD } from '../helpers.js'

function sessionCookie(response: Response): string {
  const header = response.headers.get('set-cookie') ?? ''
  const match = /session=([^;]+)/.exec(header)
  if (match === null) throw new Error(`no session cookie in ${header}`)
  return match[1]!
}

describe('signing in and out', () => {
  it('signs in with the right password, setting an HttpOnly, SameSite=Lax session cookie', async () => {
    const t = await createTestApp()
    await createTestAccount(t.db, { email: 'sam@example.test' })
    const response = await postForm(t.anonymous, '/sign-in', { email: ' Sam@Example.test ', password: TEST_PASSWORD })
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe('/evaluations')
    const cookie = response.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Lax/)
    expect(cookie).not.toMatch(/Secure/)
    const page = await t.anonymous.request('/evaluations', { headers: { cookie: `session=${sessionCookie(response)}` } })
    expect(page.status).toBe(200)
  })

  it('marks the cookie Secure when served over HTTPS', async () => {
    const t = await createTestApp()
    await createTestAccount(t.db, { email: 'tls@example.test' })
    const response = await postForm(t.anonymous, 'https://appraisal.example/sign-in', { email: 'tls@example.test', password: TEST_PASSWORD })
    expect(response.headers.get('set-cookie')).toMatch(/Secure/)
  })

  it('says only that the email or password is wrong, for a wrong password and an unknown email alike', async () => {
    const t = await createTestApp()
    await createTestAccount(t.db, { email: 'sam@example.test' })
    for (const email of ['sam@example.test', 'nobody@example.test']) {
      const response = await postForm(t.anonymous, '/sign-in', { email, password: 'wrong password!' })
      expect(response.status).toBe(401)
      const text = pageText(await response.text())
      expect(text).toContain('The email address or password is not right')
      expect(response.headers.get('set-cookie')).toBeNull()
    }
  })

  it('asks for the missing fields', async () => {
    const t = await createTestApp()
    const response = await postForm(t.anonymous, '/sign-in', { email: '', password: '' })
    expect(response.status).toBe(422)
    const text = pageText(await response.text())
    expect(text).toContain('Enter your email address')
    expect(text).toContain('Enter your password')
  })

  it('sends a signed-out visitor to sign in and back to the page they asked for', async () => {
    const t = await createTestApp()
    const id = await t.importFile((await import('../appraisal/factories.js')).evaluation())
    const response = await t.anonymous.request(`/evaluations/${id}/results`)
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe(`/sign-in?next=%2Fevaluations%2F${id}%2Fresults`)
    await createTestAccount(t.db, { email: 'back@example.test' })
    const signIn = await postForm(t.anonymous, `/sign-in?next=%2Fevaluations%2F${id}%2Fresults`, { email: 'back@example.test', password: TEST_PASSWORD })
    expect(signIn.headers.get('location')).toBe(`/evaluations/${id}/results`)
  })

  it('never redirects away from the site after signing in', async () => {
    const t = await createTestApp()
    await createTestAccount(t.db, { email: 'sam@example.test' })
    for (const next of ['//evil.example/', 'https://evil.example/', '/\\evil.example']) {
      const response = await postForm(t.anonymous, `/sign-in?next=${encodeURIComponent(next)}`, { email: 'sam@example.test', password: TEST_PASSWORD })
      expect(response.headers.get('location')).toBe('/evaluations')
    }
  })

  it('tells htmx to go to sign-in when a session has ended', async () => {
    const t = await createTestApp()
    const response = await t.anonymous.request('/evaluations/1/criteria', { method: 'POST', headers: { 'HX-Request': 'true' } })
    expect(response.status).toBe(401)
    expect(response.headers.get('HX-Redirect')).toBe('/sign-in')
  })

  it('signs out: the session is deleted, so its cookie no longer works', async () => {
    const t = await createTestApp()
    const token = await createSession(t.db, t.accountId)
    const { csrfToken } = (await validateSession(t.db, token))!
    const response = await t.anonymous.request('/sign-out', { method: 'POST', headers: { cookie: `session=${token}`, 'X-CSRF-Token': csrfToken } })
    expect(response.status).toBe(303)
    expect(response.headers.get('set-cookie')).toMatch(/session=;/)
    expect(await validateSession(t.db, token)).toBeNull()
    const after = await t.anonymous.request('/evaluations', { headers: { cookie: `session=${token}` } })
    expect(after.status).toBe(302)
  })
})

describe('session expiry', () => {
  it('ends a session left idle too long', async () => {
    const t = await createTestApp()
    const start = new Date('2026-01-01T09:00:00Z')
    const token = await createSession(t.db, t.accountId, start)
    expect(await validateSession(t.db, token, new Date(start.getTime() + SESSION_IDLE_MS - 1000))).not.toBeNull()
    const later = new Date(start.getTime() + SESSION_IDLE_MS - 1000 + SESSION_IDLE_MS + 1000)
    expect(await validateSession(t.db, token, later)).toBeNull()
  })

  it('ends a session at its absolute limit however active it has been', async () => {
    const t = await createTestApp()
    const start = new Date('2026-01-01T09:00:00Z')
    const token = await createSession(t.db, t.accountId, start)
    for (let hour = 1; hour * 3600_000 <= SESSION_ABSOLUTE_MS; hour++) {
      expect(await validateSession(t.db, token, new Date(start.getTime() + hour * 3600_000))).not.toBeNull()
    }
    expect(await validateSession(t.db, token, new Date(start.getTime() + SESSION_ABSOLUTE_MS + 60_000))).toBeNull()
  })

  it('ends the sessions of a disabled account', async () => {
    const t = await createTestApp()
    const token = await createSession(t.db, t.accountId)
    await t.db.updateTable('account').set({ disabled: 1 }).where('id', '=', t.accountId).execute()
    expect(await validateSession(t.db, token)).toBeNull()
  })
})

describe('throttling failed sign-ins', () => {
  it(`slows an account after ${FREE_FAILURES} failures, even for the right password`, async () => {
    const t = await createTestApp()
    await createTestAccount(t.db, { email: 'target@example.test' })
    for (let i = 0; i < FREE_FAILURES; i++) {
      expect((await postForm(t.anonymous, '/sign-in', { email: 'target@example.test', password: `guess ${i}` })).status).toBe(401)
    }
    const blocked = await postForm(t.anonymous, '/sign-in', { email: 'target@example.test', password: TEST_PASSWORD })
    expect(blocked.status).toBe(429)
    expect(pageText(await blocked.text())).toMatch(/too many failed attempts to sign in\. Wait \d+ seconds/)
  })

  it('slows an address trying many accounts', async () => {
    const t = await createTestApp()
    // An address is shared (an office, a proxy), so it has many more failures than an account.
    await t.db
      .insertInto('sign_in_throttle')
      .values({ key: 'address:unknown', failures: ADDRESS_POLICY.freeFailures - 3, last_failure_at: new Date().toISOString() })
      .execute()
    for (let i = 0; i < 3; i++) {
      expect((await postForm(t.anonymous, '/sign-in', { email: `spray${i}@example.test`, password: 'Summer2026!' })).status).toBe(401)
    }
    const blocked = await postForm(t.anonymous, '/sign-in', { email: 'someone-else@example.test', password: 'Summer2026!' })
    expect(blocked.status).toBe(429)
  })
})

describe('changing a password', () => {
  it('checks the current password and the new one, then ends every session and starts a new one', async () => {
    const t = await createTestApp()
    const other = await createSession(t.db, t.accountId)
    const wrong = await postForm(t.app, '/account/password', { current: 'not it', password: 'a brand new passphrase', confirm: 'a brand new passphrase' })
    expect(wrong.status).toBe(422)
    expect(pageText(await wrong.text())).toContain('Your current password is not right')
    const short = await postForm(t.app, '/account/password', { current: TEST_PASSWORD, password: 'short', confirm: 'short' })
    expect(pageText(await short.text())).toContain('The new password must be at least 12 characters')
    const mismatch = await postForm(t.app, '/account/password', {
      current: TEST_PASSWORD,
      password: 'a brand new passphrase',
      confirm: 'a different passphrase',
    })
    expect(pageText(await mismatch.text())).toContain('The two new passwords are not the same')
    const done = await postForm(t.app, '/account/password', { current: TEST_PASSWORD, password: 'a brand new passphrase', confirm: 'a brand new passphrase' })
    expect(done.status).toBe(200)
    expect(pageText(await done.text())).toContain('Your password has been changed')
    expect(await validateSession(t.db, other)).toBeNull()
    // This session is renewed too: the old cookie is signed out, the new one is signed in.
    expect((await t.app.request('/evaluations')).status).toBe(302)
    const renewed = /session=([^;]+)/.exec(done.headers.get('set-cookie') ?? '')?.[1]
    expect((await t.anonymous.request('/evaluations', { headers: { cookie: `session=${renewed}` } })).status).toBe(200)
    const account = await t.db.selectFrom('account').select('email').where('id', '=', t.accountId).executeTakeFirstOrThrow()
    expect((await postForm(t.anonymous, '/sign-in', { email: account.email, password: 'a brand new passphrase' })).status).toBe(303)
  })
})
