// The account directory (issue 26): the panel page of an evaluation anyone can create listed every
// account's name and email, the administrator's too. Roles are given and panel members linked by
// typing an exact email; only a site administrator sees the directory.
import { describe, expect, it } from 'vitest'
import { insertAccount } from '../../src/db/accounts.js'
import { evaluation } from '../appraisal/factories.js'
import { createEvaluation, createTestAccount, createTestApp, pageText, postForm, textOf } from '../helpers.js'

async function someoneElse(t: Awaited<ReturnType<typeof createTestApp>>, email: string, name: string, options: { admin?: boolean; disabled?: boolean } = {}) {
  const id = await insertAccount(t.db, { email, name, passwordHash: 'x', admin: options.admin ?? false })
  if (options.disabled === true) await t.db.updateTable('account').set({ disabled: 1 }).where('id', '=', id).execute()
  return id
}

async function importedWithMember(t: Awaited<ReturnType<typeof createTestApp>>) {
  const id = await t.importFile(evaluation({ evaluators: [{ id: 'e1', name: 'Ann Evaluator' }] }))
  const member = await t.db.selectFrom('panel_member').selectAll().where('evaluation_id', '=', id).executeTakeFirstOrThrow()
  return { id, member }
}

describe('the panel page', () => {
  it('shows any account that imports an evaluation none of the other accounts', async () => {
    const t = await createTestApp()
    await someoneElse(t, 'site-admin@example.test', 'Site Administrator', { admin: true })
    await someoneElse(t, 'quiet.person@example.test', 'Quiet Person')
    const nobody = await t.clientWithRoles(null, [])
    // An evaluation file with a panel member to link, which anyone signed in may import.
    const form = new FormData()
    form.append('file', new File([JSON.stringify(evaluation({ evaluators: [{ id: 'e1', name: 'Ann Evaluator' }] }))], 'panel.json'))
    const imported = await nobody.request('/evaluations/import', { method: 'POST', body: form })
    expect(imported.status).toBe(303)
    const html = await (await nobody.request(`${imported.headers.get('location')}/panel`)).text()
    expect(html).toContain('Ann Evaluator')
    expect(html).not.toContain('site-admin@example.test')
    expect(html).not.toContain('Site Administrator')
    expect(html).not.toContain('quiet.person@example.test')
    expect(html).not.toContain('Quiet Person')
  })

  it('shows no other account on an imported evaluation with panel members to link either', async () => {
    const t = await createTestApp()
    await someoneElse(t, 'site-admin@example.test', 'Site Administrator', { admin: true })
    const { id } = await importedWithMember(t)
    const html = await (await t.app.request(`/evaluations/${id}/panel`)).text()
    expect(html).toContain('Ann Evaluator')
    expect(html).not.toContain('site-admin@example.test')
  })

  it('offers a site administrator who leads the evaluation the directory', async () => {
    const t = await createTestApp()
    await someoneElse(t, 'quiet.person@example.test', 'Quiet Person')
    await someoneElse(t, 'gone@example.test', 'Gone Person', { disabled: true })
    const admin = await t.clientWithRoles(null, [], { admin: true })
    const id = await createEvaluation(admin)
    const html = await (await admin.request(`/evaluations/${id}/panel`)).text()
    expect(textOf(html, 'account-directory')).toContain('Quiet Person')
    expect(html).toContain('value="quiet.person@example.test"')
    expect(html).not.toContain('gone@example.test')
  })
})

describe('linking a panel member by email', () => {
  it('links the account with exactly that email, and unlinks when it is cleared', async () => {
    const t = await createTestApp()
    const { id, member } = await importedWithMember(t)
    const account = await someoneElse(t, 'ann@example.test', 'Ann Evaluator')
    expect((await postForm(t.app, `/evaluations/${id}/panel/link`, { memberId: String(member.id), email: ' Ann@Example.test ' })).status).toBe(303)
    expect((await t.db.selectFrom('panel_member').select('account_id').where('id', '=', member.id).executeTakeFirstOrThrow()).account_id).toBe(account)
    const page = await (await t.app.request(`/evaluations/${id}/panel`)).text()
    expect(page).toContain('value="ann@example.test"')
    expect((await postForm(t.app, `/evaluations/${id}/panel/link`, { memberId: String(member.id), email: '' })).status).toBe(303)
    expect((await t.db.selectFrom('panel_member').select('account_id').where('id', '=', member.id).executeTakeFirstOrThrow()).account_id).toBeNull()
  })

  it('says beside the field that there is no such account, the same for a disabled one, and changes nothing', async () => {
    const t = await createTestApp()
    const { id, member } = await importedWithMember(t)
    await someoneElse(t, 'gone@example.test', 'Gone Person', { disabled: true })
    const entries = await t.db.selectFrom('audit_entry').select('id').execute()
    for (const email of ['nobody@example.test', 'gone@example.test', 'ann@example']) {
      const response = await postForm(t.app, `/evaluations/${id}/panel/link`, { memberId: String(member.id), email })
      expect(response.status, email).toBe(422)
      const html = await response.text()
      const message = textOf(html, `member-${member.id}-email-error`)
      if (email === 'ann@example') expect(message).toContain('Enter an email address in the right format')
      else expect(message).toBe('Error: There is no account with this email address: ask a site administrator to create one')
      expect(html).toContain(`value="${email}"`)
      expect(pageText(html)).not.toContain('Gone Person')
    }
    expect((await t.db.selectFrom('panel_member').select('account_id').where('id', '=', member.id).executeTakeFirstOrThrow()).account_id).toBeNull()
    expect(await t.db.selectFrom('audit_entry').select('id').execute()).toHaveLength(entries.length)
  })

  it('gives a role only by an exact email, with the same message for a disabled account as for none', async () => {
    const t = await createTestApp()
    const id = await createEvaluation(t.app)
    await someoneElse(t, 'gone@example.test', 'Gone Person', { disabled: true })
    await createTestAccount(t.db, { email: 'quiet.person@example.test' })
    for (const email of ['gone@example.test', 'quiet.person@example', 'quiet.person']) {
      const response = await postForm(t.app, `/evaluations/${id}/panel`, { email, role: 'observer' })
      expect(response.status, email).toBe(422)
      expect(pageText(await response.text())).not.toContain('quiet.person@example.test')
    }
    const gone = pageText(await (await postForm(t.app, `/evaluations/${id}/panel`, { email: 'gone@example.test', role: 'observer' })).text())
    expect(gone).toContain('There is no account with this email address')
    expect((await postForm(t.app, `/evaluations/${id}/panel`, { email: 'quiet.person@example.test', role: 'observer' })).status).toBe(303)
  })
})
