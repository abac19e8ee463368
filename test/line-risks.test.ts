import { describe, expect, it } from 'vitest'
import { computeResultsWithSensitivity } from '../src/appraisal/index.js'
import { lineRisks } from '../src/line-risks.js'
import { parsed, rankReversalInput, workedExampleInput } from './appraisal/factories.js'

describe('line switching values in words', () => {
  it('puts the smallest change first and says which way each line must move', () => {
    const file = parsed(workedExampleInput())
    const results = computeResultsWithSensitivity(file, { iterations: 10 })
    // docs/maths.md: gamma 0%, officer time −49.17%, implementation +56.89%, licences +113.77%, subscription +173.55%
    expect(lineRisks(file, results, results.sensitivity.lines).map((risk) => risk.sentence)).toEqual([
      'Gamma Hosted’s NPSV is already zero: any rise in Hosting and support makes it negative.',
      'Officer time released could fall by 49.2% before Alpha Records’ NPSV reaches zero.',
      'Implementation could rise by 56.9% before Alpha Records’ NPSV reaches zero.',
      'Licences could rise by 113.8% before Alpha Records’ NPSV reaches zero.',
      'Subscription could rise by 173.6% before Beta Cloud’s NPSV reaches zero.',
    ])
  })

  it('says when a cost must fall, and when no change in range is enough', () => {
    // no baseline: npsv = −100 for a (cost 100): the cost would have to fall by 100%; b costs 5,000
    // against a benefit of 100: npsv −4,900, beyond what a −100% fall of its benefit could undo
    const input = rankReversalInput([
      { id: 'a', quality: 60, price: 100 },
      { id: 'b', quality: 90, price: 5000 },
    ])
    const file = parsed({ ...input, benefits: [{ option: 'b', label: 'Saving', amount: 100, from: 0 }] })
    const results = computeResultsWithSensitivity(file, { iterations: 10 })
    expect(lineRisks(file, results, results.sensitivity.lines).map((risk) => risk.sentence)).toEqual([
      'Price would have to fall by 98.0% for B’s NPSV to reach zero.',
      'Price would have to fall by 100.0% for A’s NPSV to reach zero.',
      'No change in Saving alone, from −100% to +1,000%, brings B’s NPSV to zero.',
    ])
  })
})
