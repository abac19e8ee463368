import type { AppraisalResults, CriterionWeight, EvaluationFile, OptionResult } from '../../src/appraisal/index.js'
import type { Evaluation } from '../../src/db/schema.js'
import { formatPercent, formatScore } from '../../src/format.js'
import { Layout } from '../layout.js'

export interface AssessmentSummaryProps {
  evaluation: Evaluation
  file: EvaluationFile
  results: AppraisalResults
  optionId: string
  criteria: readonly CriterionWeight[]
}

function consensusOf(file: EvaluationFile, option: string, criterion: string) {
  return file.consensus.find((c) => c.option === option && c.criterion === criterion)
}

function Figures({ result }: { result: OptionResult }) {
  return (
    <>
      quality {formatScore(result.quality)}, price score {formatScore(result.priceScore)}, total {formatScore(result.total)}
      {result.rank !== null ? `, ranked ${result.rank}` : result.eligible ? '' : ', not ranked: failed a gate'}
    </>
  )
}

/**
 * The assessment summary a supplier is owed before award (Procurement Act 2023): its own tender's
 * scores and reasons, criterion by criterion, beside the preferred tender's.
 */
export function AssessmentSummaryPage({ evaluation, file, results, optionId, criteria }: AssessmentSummaryProps) {
  const option = results.options.find((o) => o.id === optionId)!
  const preferred = results.options.find((o) => o.id === results.preferred && o.id !== optionId)
  const leaves = criteria.filter((c) => c.role === 'scored' || c.role === 'gate')
  return (
    <Layout
      title={`Assessment summary: ${option.name}`}
      crumbs={[
        { href: '/evaluations', label: 'Evaluations' },
        { href: `/evaluations/${evaluation.id}`, label: evaluation.title },
        { href: `/evaluations/${evaluation.id}/options`, label: 'Options' },
      ]}>
      <span class="caption">{evaluation.title}</span>
      <h1>Assessment summary: {option.name}</h1>
      <p>
        {option.name}: <Figures result={option} />.
        {preferred !== undefined && (
          <>
            {' '}
            The preferred option, {preferred.name}: <Figures result={preferred} />.
          </>
        )}
        {results.preferred === optionId && ' This is the preferred option.'}
        {results.preferred === null && ' No option is preferred yet.'}
      </p>
      {!results.complete && <p class="notice notice--warning">Scoring is not complete: this summary is provisional.</p>}
      <table class="table assessment-summary">
        <caption class="visually-hidden">Scores and reasons for each criterion</caption>
        <thead>
          <tr>
            <th scope="col">Criterion</th>
            <th scope="col" class="numeric">
              Weight
            </th>
            <th scope="col">{option.name}</th>
            {preferred !== undefined && <th scope="col">{preferred.name} (preferred)</th>}
          </tr>
        </thead>
        <tbody>
          {leaves.map((c) => {
            const mine = consensusOf(file, option.id, c.id)
            const theirs = preferred === undefined ? undefined : consensusOf(file, preferred.id, c.id)
            const cell = (score: typeof mine) =>
              score === undefined ? (
                <span class="hint">No consensus yet</span>
              ) : (
                <>
                  <strong>{c.role === 'gate' ? (score.score >= 1 ? 'Pass' : 'Fail') : formatScore(score.score)}</strong> {score.rationale ?? ''}
                </>
              )
            return (
              <tr>
                <th scope="row">{c.name}</th>
                <td class="numeric">{c.role === 'gate' ? 'Gate' : formatPercent(c.effectiveWeight)}</td>
                <td>{cell(mine)}</td>
                {preferred !== undefined && <td>{cell(theirs)}</td>}
              </tr>
            )
          })}
        </tbody>
      </table>
    </Layout>
  )
}
