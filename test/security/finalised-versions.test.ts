import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseEvaluationText } from '../../src/appraisal/index.js'
import { verifyEvaluation } from '../../src/db/verify.js'
import { completeConsensus } from '../appraisal/factories.js'
import { createTestApp, postForm, type TestApp } from '../helpers.js'
import { readPdf } from '../report/pdf.js'
import { dropTriggers } from './tamper.js'

const parsed = parseEvaluationText(readFileSync(new URL('../fixtures/small-evaluation.json', import.meta.url), 'utf8'))
if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
const moderated = completeConsensus(parsed.file)

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex')

/** An evaluation finalised through the app, then reopened and finalised again: two versions stored. */
async function twoVersions(): Promise<{ t: TestApp; id: number }> {
  const t = await createTestApp()
  const id = await t.importFile(moderated)
  expect((await postForm(t.app, `/evaluations/${id}/finalise`, { confirm: 'on' })).status).toBe(303)
  expect((await postForm(t.app, `/evaluations/${id}/reopen`, { reason: 'A late correction to the costs was found by finance.' })).status).toBe(303)
  expect((await postForm(t.app, `/evaluations/${id}/finalise`, { confirm: 'on' })).status).toBe(303)
  return { t, id }
}

async function stored(t: TestApp, id: number, version: number) {
  return t.db.selectFrom('finalised_report').selectAll().where('evaluation_id', '=', id).where('version', '=', version).executeTakeFirstOrThrow()
}

// Each test finalises twice through the app, rendering the report each time: on a busy machine that
// can pass the suite's 30 s.
describe('verify compares each finalised version with the log', { timeout: 120_000 }, () => {
  it('finds every version intact as the app stored it, each report printing the hash of its file that the log recorded', async () => {
    const { t, id } = await twoVersions()
    expect((await verifyEvaluation(t.db, id)).problems).toEqual([])
    // verify compares each stored file with the hash its keyed entry recorded, and the PDF with its
    // own: so the hash printed on the report, which the PDF's hash binds, is the one compared.
    const entries = await t.db
      .selectFrom('audit_entry')
      .select('detail')
      .where('evaluation_id', '=', id)
      .where('detail', 'like', '%"finalisedVersion"%')
      .execute()
    for (const version of [1, 2]) {
      const report = await stored(t, id, version)
      const recorded = entries
        .map((e) => JSON.parse(e.detail!) as { finalisedVersion: number; fileSha256: string })
        .find((d) => d.finalisedVersion === version)!
      expect(recorded.fileSha256).toBe(sha256(report.file_json))
      expect((await readPdf(new Uint8Array(report.pdf))).text).toContain(recorded.fileSha256)
    }
  })

  it('names a stored evaluation file edited, with the report it sits beside left alone', async () => {
    const { t, id } = await twoVersions()
    await dropTriggers(t.db)
    const report = await stored(t, id, 1)
    const edited = report.file_json.replace('"title": "Small worked example"', '"title": "Small worked example (amended)"')
    expect(edited).not.toBe(report.file_json)
    await t.db.updateTable('finalised_report').set({ file_json: edited }).where('id', '=', report.id).execute()
    const problems = (await verifyEvaluation(t.db, id)).problems
    expect(problems).toEqual([
      expect.stringMatching(
        /^The evaluation file stored with version 1's final report has been altered: its SHA-256 is not the one the audit log recorded and the report prints \([0-9a-f]{64}\)\.$/,
      ),
    ])
  })

  it('names a replaced PDF, even with the stored hash beside it replaced too', async () => {
    const { t, id } = await twoVersions()
    await dropTriggers(t.db)
    const first = await stored(t, id, 1)
    const second = await stored(t, id, 2)
    // Version 2's PDF put in place of version 1's, with its hash: a real report, but not the one signed off.
    await t.db.updateTable('finalised_report').set({ pdf: second.pdf, pdf_sha256: second.pdf_sha256 }).where('id', '=', first.id).execute()
    expect((await verifyEvaluation(t.db, id)).problems).toEqual([
      'The final report (PDF) of version 1 is not the one signed off: its SHA-256 differs from the one the audit log recorded.',
    ])
  })

  it('names a stored file that differs from the records the log gives at finalising, though its hash was recorded with it', async () => {
    const { t, id } = await twoVersions()
    await dropTriggers(t.db)
    // As if the file had been made from other records than those logged: the stored file and the
    // hash in the finalising entry agree, but the log's records at that moment give another file.
    const report = await stored(t, id, 2)
    const edited = report.file_json.replace('"title": "Small worked example"', '"title": "Another evaluation"')
    await t.db.updateTable('finalised_report').set({ file_json: edited }).where('id', '=', report.id).execute()
    const entry = await t.db
      .selectFrom('audit_entry')
      .selectAll()
      .where('evaluation_id', '=', id)
      .where('detail', 'like', '%"finalisedVersion":2%')
      .executeTakeFirstOrThrow()
    const detail = { ...(JSON.parse(entry.detail!) as Record<string, unknown>), fileSha256: sha256(edited) }
    await t.db
      .updateTable('audit_entry')
      .set({ detail: JSON.stringify(detail) })
      .where('id', '=', entry.id)
      .execute()
    const problems = (await verifyEvaluation(t.db, id)).problems.join('\n')
    // The entry no longer gives its keyed hash, and the replay names the version.
    expect(problems).toContain(`Audit entry ${entry.seq} (`)
    expect(problems).toContain(
      'The evaluation file of version 2, as the audit log’s records give it when that version was finalised, is not the file the final report was made from'.replace(
        '’',
        "'",
      ),
    )
  })
})
