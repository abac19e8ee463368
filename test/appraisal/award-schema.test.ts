import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseEvaluationFile } from '../../src/appraisal/index.js'

const raw = JSON.parse(readFileSync(new URL('../fixtures/small-evaluation.json', import.meta.url), 'utf8'))
const problems = (extra: Record<string, unknown>) => {
  const parsed = parseEvaluationFile({ ...raw, ...extra })
  return parsed.ok ? [] : parsed.errors
}

describe('the award record and the finalised version in the file', () => {
  it('reads a full award record and a finalised version', () => {
    const award = {
      decisionDate: '2026-12-04',
      standstillStart: '2026-12-07',
      standstillEnd: '2026-12-16',
      notifications: [{ option: 'product-a', date: '2026-12-04', to: 'bids@fictional.example', method: 'email' }],
      publishAllFigures: true,
    }
    const finalised = { version: 3, at: '2026-12-03T11:00:00.000Z', by: 'Priya Shah', reportSha256: 'c'.repeat(64) }
    const parsed = parseEvaluationFile({ ...raw, priceBasis: 'Every charge over ten years.', award, finalised })
    expect(parsed).toMatchObject({ ok: true, file: { award, finalised, priceBasis: 'Every charge over ten years.' } })
  })

  it('refuses dates out of order or not in the calendar, a notification to an option that did not tender, and a malformed version', () => {
    expect(
      problems({
        award: {
          decisionDate: '2026-12-08',
          standstillStart: '2026-12-07',
          standstillEnd: '2026-02-30',
          notifications: [
            { option: 'retain', date: '2026-12-04' },
            { option: 'nobody', date: '2026-12-04' },
          ],
        },
        finalised: { version: 0, at: 'yesterday', by: 'P', reportSha256: 'abc' },
      }),
    ).toEqual([
      'award.standstillEnd: is not a date in the calendar',
      'award.standstillStart: must be on or after the award decision date',
      'finalised.version: must be at least 1',
      'finalised.at: must be a date and time such as "2026-12-03T12:40:00Z"',
      'finalised.reportSha256: must be a SHA-256, 64 lower-case hexadecimal digits',
      'award.notifications[0].option: "retain" is not a tender, so its supplier is not notified of the award',
      'award.notifications[1].option: unknown option "nobody"',
    ])
  })
})
