import { describe, expect, it } from 'vitest'
import { createSession, validateSession } from '../../src/db/sessions.js'
import { createEvaluation, createTestApp, pageText } from '../helpers.js'

async function rawSession(t: Awaited<ReturnType<typeof createTestApp>>) {
  const token = await createSession(t.db, t.accountId)
  return { cookie: `session=${token}`, csrf: (await validateSession(t.db, token))!.csrfToken }
}

describe('cross-site request forgery', () => {
  it('refuses a form post without the session’s token and changes nothing', async () => {
    const t = await createTestApp()
    const id = await createEvaluation(t.app, { title: 'Untouched' })
    const { cookie } = await rawSession(t)
    const response = await t.anonymous.request(`/evaluations/${id}/archive`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    })
    expect(response.status).toBe(403)
    expect(pageText(await response.text())).toContain('did not come from this site')
    const row = await t.db.selectFrom('evaluation').select('archived').where('id', '=', id).executeTakeFirstOrThrow()
    expect(row.archived).toBe(0)
  })

  it('refuses a post from another site even with the token', async () => {
    const t = await createTestApp()
    const id = await createEvaluation(t.app)
    const { cookie, csrf } = await rawSession(t)
    const response = await t.anonymous.request(`http://localhost/evaluations/${id}/archive`, {
      method: 'POST',
      headers: { cookie, 'X-CSRF-Token': csrf, Origin: 'https://evil.example', Host: 'localhost' },
    })
    expect(response.status).toBe(403)
    const row = await t.db.selectFrom('evaluation').select('archived').where('id', '=', id).executeTakeFirstOrThrow()
    expect(row.archived).toBe(0)
  })

  it('accepts the token as a form field (forms without JavaScript) and from the same origin', async () => {
    const t = await createTestApp()
    const id = await createEvaluation(t.app)
    const { cookie, csrf } = await rawSession(t)
    const response = await t.anonymous.request(`http://localhost/evaluations/${id}/archive`, {
      method: 'POST',
      headers: { cookie, Origin: 'http://localhost', Host: 'localhost', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf }),
    })
    expect(response.status).toBe(303)
  })

  it('puts the token in every form that posts, and gives it to htmx as a header', async () => {
    const t = await createTestApp()
    const id = await createEvaluation(t.app, { template: 'police-records-management' })
    const csrf = (await t.db.selectFrom('session').select('csrf_token').where('account_id', '=', t.accountId).executeTakeFirstOrThrow()).csrf_token
    const html = await (await t.app.request(`/evaluations/${id}/criteria`)).text()
    const forms = html.match(/<form\b[^>]*method="post"[^>]*>/g) ?? []
    expect(forms.length).toBeGreaterThan(50)
    const withToken = html.match(new RegExp(`<form\\b[^>]*method="post"[^>]*><input type="hidden" name="_csrf" value="${csrf}"/>`, 'g')) ?? []
    expect(withToken.length).toBe(forms.length)
    expect(html).toContain(`hx-headers="{&quot;X-CSRF-Token&quot;:&quot;${csrf}&quot;}"`)
  })
})

describe('security headers', () => {
  it('forbid inline script, framing and sniffing, and keep referrers to this site', async () => {
    const t = await createTestApp()
    for (const response of [await t.app.request('/evaluations'), await t.anonymous.request('/sign-in')]) {
      const csp = response.headers.get('content-security-policy') ?? ''
      expect(csp).toContain("script-src 'self'")
      expect(csp).not.toContain('unsafe-inline')
      expect(csp).toContain("frame-ancestors 'none'")
      expect(response.headers.get('x-content-type-options')).toBe('nosniff')
      expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
      expect(response.headers.get('x-frame-options')).toBe('DENY')
    }
  })
})
