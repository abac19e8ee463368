// Which came first, the plan's approval or the panel's scoring (issue 19): the report says, by the
// earliest dated record of the panel's work the file holds, since scores carry no date of their own.
import { describe, expect, it } from 'vitest'
import { approvalAgainstScoring, type EvaluationFile } from '../../src/appraisal/index.js'

type Dated = Pick<EvaluationFile, 'plan' | 'evaluators' | 'meetings'>

const evaluator = (name: string, declaredAt?: string, confirmedAt?: string): EvaluationFile['evaluators'][number] => ({
  id: name.toLowerCase().replace(/\W+/g, '-'),
  name,
  ...(declaredAt === undefined ? {} : { declaration: { interest: false, declaredAt } }),
  ...(confirmedAt === undefined ? {} : { confirmations: [{ option: 'a', at: confirmedAt }] }),
})
const approved = (approvedAt: string) => ({ approvedAt, approvedBy: 'Lena Lead', changes: [] })
const meeting = (date: string) => ({ id: 'm1', date, chair: 'Chair', attendees: [], options: [], criteria: [], notes: 'Notes' })

describe('the plan’s approval against the panel’s scoring', () => {
  it('finds the earliest dated step of the panel’s work and says whether the approval came before it', () => {
    const file: Dated = {
      plan: approved('2026-11-01T09:30:00.000Z'),
      evaluators: [evaluator('Helen Marsh', '2026-11-02T09:00:00.000Z', '2026-11-20T16:00:00.000Z'), evaluator('Sam Whitfield', '2026-11-01T10:00:00.000Z')],
      meetings: [meeting('2026-11-19')],
    }
    expect(approvalAgainstScoring(file)).toEqual({
      first: { what: 'Sam Whitfield’s declaration of interest', at: '2026-11-01T10:00:00.000Z', dateOnly: false },
      approvedFirst: true,
    })
    // Approved after someone had declared: scoring may have begun under a plan not yet fixed.
    expect(approvalAgainstScoring({ ...file, plan: approved('2026-11-01T10:00:01.000Z') })).toMatchObject({ approvedFirst: false })
  })

  it('counts a meeting on the day of the approval, which has no time of day, as not after it, and has nothing to say with no dates or no approval', () => {
    const undated: Dated = {
      plan: approved('2026-11-19T08:00:00.000Z'),
      evaluators: [evaluator('Helen Marsh'), evaluator('Sam Whitfield', 'not a date')],
      meetings: [],
    }
    expect(approvalAgainstScoring({ ...undated, meetings: [meeting('2026-11-19')] })).toEqual({
      first: { what: 'the moderation meeting', at: '2026-11-19', dateOnly: true },
      approvedFirst: false,
    })
    expect(approvalAgainstScoring({ ...undated, meetings: [meeting('2026-11-20')] })).toMatchObject({ approvedFirst: true })
    expect(approvalAgainstScoring(undated)).toBeNull()
    expect(approvalAgainstScoring({ ...undated, plan: undefined, meetings: [meeting('2026-11-20')] })).toBeNull()
  })
})
