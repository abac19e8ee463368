import { readFileSync } from 'node:fs'
import type { Kysely } from 'kysely'
import { describe, expect, it } from 'vitest'
import { parseEvaluationFile, parseEvaluationText } from '../../src/appraisal/index.js'
import type { Database } from '../../src/db/schema.js'
import { formatDateTime } from '../../src/format.js'
import { CHECK_ON_OPEN_LIMIT, PROBLEMS_SHOWN } from '../../views/partials/record-check.js'
import { largeEvaluation } from '../appraisal/large-evaluation.js'
import { createTestApp, pageText, textOf, type TestClient } from '../helpers.js'

const parsed = parseEvaluationText(readFileSync(new URL('../fixtures/small-evaluation.json', import.meta.url), 'utf8'))
if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
const fixture = parsed.file

async function get(client: TestClient, path: string, htmx = false) {
  const response = await client.request(path, htmx ? { headers: { 'HX-Request': 'true' } } : {})
  return { status: response.status, html: await response.text() }
}

async function lastEntry(db: Kysely<Database>, evaluationId: number) {
  return db.selectFrom('audit_entry').selectAll().where('evaluation_id', '=', evaluationId).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow()
}

describe('the record check', () => {
  it('says a fresh import is intact, with its entries, the last change and the chain head, as a page and as an htmx fragment', async () => {
    const t = await createTestApp()
    // The import alone, without the declaration the test set-up would record for the lead.
    const id = await t.importFile(fixture, { undeclared: true })
    const entry = await lastEntry(t.db, id)
    const intact =
      `<p>The records match the audit log: 1 entry, the last at <time datetime="${entry.at}">${formatDateTime(entry.at)}</time> by Test set-up; ` +
      `chain head <code class="hash">${entry.hash.slice(0, 12)}…</code>.</p>`

    const page = await get(t.app, `/evaluations/${id}/record-check`)
    expect(page.status).toBe(200)
    expect(page.html).toMatch(/^<!DOCTYPE html><html/)
    expect(page.html).toContain('<h1>Record check</h1>')
    expect(textOf(page.html, 'record-check-outcome')).toMatch(/^Record check: intact The records match the audit log: 1 entry, /)
    expect(page.html).toContain(intact)
    expect(textOf(page.html, 'chain-head')).toBe(entry.hash)
    expect(page.html).not.toContain('role="alert"')

    const fragment = await get(t.app, `/evaluations/${id}/record-check`, true)
    expect(fragment.status).toBe(200)
    expect(fragment.html).toBe(
      `<div class="notice notice--success record-check" id="record-check-outcome"><h2 class="record-check__title">Record check: intact</h2>${intact}</div>`,
    )
  })

  it('lists a score edited directly in the database, naming the record, inside an alert; and is intact again once it is put back', async () => {
    const t = await createTestApp()
    const id = await t.importFile(fixture)
    const score = await t.db.selectFrom('individual_score').selectAll().where('evaluation_id', '=', id).orderBy('id').limit(1).executeTakeFirstOrThrow()
    const member = await t.db.selectFrom('panel_member').select('name').where('id', '=', score.panel_member_id).executeTakeFirstOrThrow()
    const option = await t.db.selectFrom('option').select('name').where('id', '=', score.option_id).executeTakeFirstOrThrow()
    const criterion = await t.db.selectFrom('criterion').select('name').where('id', '=', score.criterion_id).executeTakeFirstOrThrow()
    const edited = score.score === 5 ? 4 : 5
    await t.db.updateTable('individual_score').set({ score: edited }).where('id', '=', score.id).execute()

    const problem =
      `Individual score ${score.id} (${member.name}, “${option.name}”, “${criterion.name}”) [individual_score] differs from the audit log ` +
      `(last logged in entry 1): score is ${edited} in the database but ${score.score} in the log.`
    for (const htmx of [false, true]) {
      const { status, html } = await get(t.app, `/evaluations/${id}/record-check`, htmx)
      expect(status).toBe(200)
      const alert = html.slice(html.indexOf('<div class="notice notice--warning record-check"'))
      expect(alert).toMatch(/^<div [^>]*role="alert" aria-labelledby="record-check-title">/)
      expect(textOf(html, 'record-check-title')).toBe('The record has been changed outside the app')
      expect(textOf(html, 'record-check-outcome')).toContain(
        'Make no more changes: keep a copy of the database as it is now, as evidence, and restore the last good backup.',
      )
      expect(html).toContain(`<li>${escapeHtml(problem)}</li>`)
      expect(html).not.toContain('The records match the audit log')
    }

    // Put back as it was, the record matches its log again (and the check after the test passes).
    await t.db.updateTable('individual_score').set({ score: score.score }).where('id', '=', score.id).execute()
    expect(textOf((await get(t.app, `/evaluations/${id}/record-check`)).html, 'record-check-outcome')).toContain('The records match the audit log')
  })

  it(`lists at most ${PROBLEMS_SHOWN} problems, pointing to the command for the rest`, async () => {
    const t = await createTestApp()
    const id = await t.importFile(fixture)
    const { id: _id, ...line } = await t.db
      .selectFrom('money_line')
      .selectAll()
      .where('evaluation_id', '=', id)
      .orderBy('id')
      .limit(1)
      .executeTakeFirstOrThrow()
    const added = PROBLEMS_SHOWN + 3
    await t.db
      .insertInto('money_line')
      .values(Array.from({ length: added }, (_, n) => ({ ...line, label: `Slipped in ${n + 1}` })))
      .execute()

    const { html } = await get(t.app, `/evaluations/${id}/record-check`, true)
    expect(html.match(/<li>/g)).toHaveLength(PROBLEMS_SHOWN)
    expect(html).toContain('is in the database but not in the audit log: it was added outside the app.</li>')
    expect(pageText(html)).toContain(`And 3 more: appraise verify ${id} lists every one.`)
    expect(pageText(html)).toContain(`${added} things in the database no longer match the audit log`)

    await t.db.deleteFrom('money_line').where('evaluation_id', '=', id).where('label', 'like', 'Slipped in %').execute()
  })

  it('is for those who see the figures: refused to an evaluator, open to finance and observers', async () => {
    const t = await createTestApp()
    const id = await t.importFile(fixture)
    const evaluator = await t.clientWithRoles(id, ['evaluator'])
    const refused = await get(evaluator, `/evaluations/${id}/record-check`, true)
    expect(refused.status).toBe(403)
    expect(refused.html).not.toContain('audit log')
    for (const role of ['finance', 'observer'] as const) {
      const client = await t.clientWithRoles(id, [role])
      const { status, html } = await get(client, `/evaluations/${id}/record-check`, true)
      expect(status, role).toBe(200)
      expect(pageText(html), role).toContain('The records match the audit log')
    }
  })

  it('tells finance and observers of a problem before moderation ends, but not whose scores it names', async () => {
    const t = await createTestApp()
    const id = await t.importFile(fixture) // part-way through moderation
    const score = await t.db.selectFrom('individual_score').selectAll().where('evaluation_id', '=', id).orderBy('id').limit(1).executeTakeFirstOrThrow()
    await t.db
      .updateTable('individual_score')
      .set({ score: score.score === 5 ? 4 : 5 })
      .where('id', '=', score.id)
      .execute()
    const observer = await t.clientWithRoles(id, ['observer'])
    const { html } = await get(observer, `/evaluations/${id}/record-check`, true)
    expect(textOf(html, 'record-check-title')).toBe('The record has been changed outside the app')
    expect(html).not.toContain(`Individual score ${score.id}`)
    expect(pageText(html)).toContain('The lead can see which records they are')
    expect((await get(t.app, `/evaluations/${id}/record-check`, true)).html).toContain(`Individual score ${score.id}`)
    await t.db.updateTable('individual_score').set({ score: score.score }).where('id', '=', score.id).execute()
  })

  it('runs as the evaluation’s page opens, unless the evaluation is large enough for the check to take seconds', async () => {
    const t = await createTestApp()
    const small = await t.importFile(fixture)
    const smallPage = await (await t.app.request(`/evaluations/${small}`)).text()
    expect(smallPage).toContain(`hx-get="/evaluations/${small}/record-check"`)
    const big = parseEvaluationFile(largeEvaluation({ options: 10, criteria: 150, evaluators: 14 }))
    if (!big.ok) throw new Error(big.errors.join('\n'))
    expect(big.file.scores.length).toBeGreaterThan(CHECK_ON_OPEN_LIMIT)
    const large = await t.importFile(big.file)
    const largePage = await (await t.app.request(`/evaluations/${large}`)).text()
    expect(largePage).not.toContain(`hx-get="/evaluations/${large}/record-check"`)
    expect(largePage).toContain(`href="/evaluations/${large}/record-check"`)
  }, 60_000)
})

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}
