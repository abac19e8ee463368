import { describe, expect, it } from 'vitest'
import { verifyPassword } from '../../src/auth/password.js'
import { describeFirstRun, prepareFirstRun } from '../../src/first-run.js'
import { evaluation } from '../appraisal/factories.js'
import { createTestApp, pageText, postForm, testTemplates } from '../helpers.js'

describe('site administration of accounts', () => {
  it('adds an account with a generated password shown once, which then signs in', async () => {
    const t = await createTestApp()
    const admin = await t.clientWithRoles(null, [], { admin: true })
    const response = await postForm(admin, '/accounts', { email: 'New.Person@Example.test', name: 'New Person' })
    expect(response.status).toBe(200)
    const password = /<code class="password">([^<]+)<\/code>/.exec(await response.text())?.[1]
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/)
    const account = await t.db.selectFrom('account').selectAll().where('email', '=', 'new.person@example.test').executeTakeFirstOrThrow()
    expect(await verifyPassword(password!, account.password_hash)).toBe(true)
    expect(account.password_hash).not.toContain(password!)
    expect(pageText(await (await admin.request('/accounts')).text())).not.toContain(password!)
  })

  it('refuses a bad email, a missing name and a duplicate, beside the fields', async () => {
    const t = await createTestApp()
    const admin = await t.clientWithRoles(null, [], { admin: true })
    const bad = await postForm(admin, '/accounts', { email: 'not-an-email', name: '' })
    expect(bad.status).toBe(422)
    const text = pageText(await bad.text())
    expect(text).toContain('Enter an email address in the right format')
    expect(text).toContain('Enter the person’s name')
    await postForm(admin, '/accounts', { email: 'dup@example.test', name: 'Dup' })
    const duplicate = await postForm(admin, '/accounts', { email: 'DUP@example.test', name: 'Dup again' })
    expect(pageText(await duplicate.text())).toContain('There is already an account with this email address')
  })

  it('disables an account, ending its sessions, and will not let administrators lock themselves out', async () => {
    const t = await createTestApp()
    const admin = await t.clientWithRoles(null, [], { admin: true })
    expect((await postForm(admin, `/accounts/${t.accountId}`, { action: 'disable' })).status).toBe(303)
    expect((await t.app.request('/evaluations')).status).toBe(302)
    const adminId = (await t.db.selectFrom('account').select('id').where('admin', '=', 1).executeTakeFirstOrThrow()).id
    const self = await postForm(admin, `/accounts/${adminId}`, { action: 'remove-admin' })
    expect(self.status).toBe(422)
    expect((await t.db.selectFrom('account').select('admin').where('id', '=', adminId).executeTakeFirstOrThrow()).admin).toBe(1)
  })
})

describe('the panel of an evaluation', () => {
  it('lets the lead give roles by email, and refuses an unknown email', async () => {
    const t = await createTestApp()
    const id = await t.importFile(evaluation())
    const admin = await t.clientWithRoles(null, [], { admin: true })
    await postForm(admin, '/accounts', { email: 'fin@example.test', name: 'Fin Ance' })
    expect((await postForm(t.app, `/evaluations/${id}/panel`, { email: 'fin@example.test', role: 'finance' })).status).toBe(303)
    expect(pageText(await (await t.app.request(`/evaluations/${id}/panel`)).text())).toMatch(/Fin Ance fin@example\.test Finance/)
    const unknown = await postForm(t.app, `/evaluations/${id}/panel`, { email: 'ghost@example.test', role: 'finance' })
    expect(unknown.status).toBe(422)
    expect(pageText(await unknown.text())).toContain('There is no account with this email address')
  })

  it('keeps at least one lead', async () => {
    const t = await createTestApp()
    const id = await t.importFile(evaluation())
    const response = await postForm(t.app, `/evaluations/${id}/panel/remove`, { accountId: String(t.accountId), role: 'lead' })
    expect(response.status).toBe(422)
    expect(pageText(await response.text())).toContain('An evaluation needs a lead')
  })

  it('links an imported panel member to an account, who then holds the evaluator role', async () => {
    const t = await createTestApp()
    const id = await t.importFile(evaluation({ evaluators: [{ id: 'e1', name: 'Ann Evaluator' }] }))
    const member = await t.db.selectFrom('panel_member').selectAll().where('evaluation_id', '=', id).executeTakeFirstOrThrow()
    const person = await t.clientWithRoles(null, [])
    const { id: personId, email } = await t.db.selectFrom('account').select(['id', 'email']).orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect((await person.request(`/evaluations/${id}`)).status).toBe(403)
    await postForm(t.app, `/evaluations/${id}/panel/link`, { memberId: String(member.id), email: email.toUpperCase() })
    expect((await t.db.selectFrom('panel_member').select('account_id').where('id', '=', member.id).executeTakeFirstOrThrow()).account_id).toBe(personId)
    expect((await person.request(`/evaluations/${id}`)).status).toBe(200)
  })
})

describe('pages show only what the role may do', () => {
  it('gives an evaluator the criteria and options to read, with nothing to change, and no results', async () => {
    const t = await createTestApp()
    const id = await t.importFile(evaluation())
    const evaluator = await t.clientWithRoles(id, ['evaluator'])
    for (const page of ['criteria', 'options']) {
      const html = await (await evaluator.request(`/evaluations/${id}/${page}`)).text()
      expect(html, page).not.toMatch(/<form\b[^>]*method="post"[^>]*action="\/evaluations/)
      expect(html, page).not.toContain('/edit"')
    }
    const overview = await (await evaluator.request(`/evaluations/${id}`)).text()
    expect(overview).toContain(`/evaluations/${id}/criteria`)
    expect(overview).not.toContain(`/evaluations/${id}/results`)
    expect(overview).not.toContain(`/evaluations/${id}/export`)
    expect(overview).not.toContain('Archive')
  })

  it('gives the lead every action', async () => {
    const t = await createTestApp()
    const id = await t.importFile(evaluation())
    const overview = await (await t.app.request(`/evaluations/${id}`)).text()
    for (const path of ['options', 'criteria', 'results', 'panel', 'export', 'edit']) expect(overview, path).toContain(`/evaluations/${id}/${path}`)
  })
})

describe('the first run', () => {
  it('creates an administrator and the demo with an account for each role, and nothing on later runs', async () => {
    const t = await createTestApp()
    await t.db.deleteFrom('account').execute()
    const run = await prepareFirstRun(t.db, testTemplates())
    expect(run.administrator?.email).toBe('admin@localhost')
    expect(run.demoAccounts.map((a) => a.roles)).toEqual(expect.arrayContaining(['lead', 'finance', 'observer', 'evaluator']))
    const message = describeFirstRun(run)
    expect(message).toContain(run.administrator!.password)
    expect(message).toContain('shown only once')
    const linked = await t.db.selectFrom('panel_member').select('account_id').where('evaluation_id', '=', run.demoEvaluationId!).execute()
    expect(linked.every((m) => m.account_id !== null)).toBe(true)
    const again = await prepareFirstRun(t.db, testTemplates())
    expect(again).toEqual({ administrator: null, demoEvaluationId: null, demoAccounts: [] })
    expect(describeFirstRun(again)).toBe('')
  })

  it('lets a demo account sign in with the printed password and see its role’s pages', async () => {
    const t = await createTestApp()
    const run = await prepareFirstRun(t.db, testTemplates())
    const lead = run.demoAccounts.find((a) => a.roles === 'lead')!
    const response = await postForm(t.anonymous, '/sign-in', { email: lead.email, password: lead.password })
    expect(response.status).toBe(303)
  }, 20_000)
})
