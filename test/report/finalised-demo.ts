import { parseEvaluationFile, weighCriteria, type EvaluationFile } from '../../src/appraisal/index.js'
import { buildDemoEvaluation } from '../../src/demo/seed.js'
import { testTemplates } from '../helpers.js'

export const FINAL_SHA = 'b'.repeat(64)

/** The demo with moderation finished (a consensus on every cell), finalised, and its award record. */
export function finalisedDemo(): EvaluationFile {
  const demo = buildDemoEvaluation(testTemplates())
  const agreed = new Set(demo.consensus.map((score) => `${score.option}|${score.criterion}`))
  const weights = weighCriteria(demo.criteria)
  const missing = demo.options.flatMap((option) =>
    [...weights.scoredLeaves, ...weights.gates]
      .filter((leaf) => !agreed.has(`${option.id}|${leaf.id}`))
      .map((leaf) => {
        const given = demo.scores
          .filter((score) => score.option === option.id && score.criterion === leaf.id)
          .flatMap((score) => (score.draft === true || score.score === undefined ? [] : [score.score]))
        const score = given.length === 0 ? (leaf.role === 'gate' ? 1 : 3) : Math.round(given.reduce((a, b) => a + b, 0) / given.length)
        return { option: option.id, criterion: leaf.id, score, rationale: `Agreed at moderation for ${option.id} on ${leaf.id}.` }
      }),
  )
  const parsed = parseEvaluationFile({
    ...demo,
    consensus: [...demo.consensus, ...missing],
    priceBasis: 'Every charge for licences, hosting, support and implementation over ten years, in real base-year prices.',
    finalised: { version: 2, at: '2026-12-03T11:00:00Z', by: 'Priya Shah', reportSha256: FINAL_SHA },
    award: { decisionDate: '2026-12-04', standstillStart: '2026-12-07', standstillEnd: '2026-12-16' },
  })
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
  return parsed.file
}
