import type { AppraisalResults, EvaluationFile, OptionResult } from '../../src/appraisal/index.js'
import type { Evaluation } from '../../src/db/schema.js'
import { formatMoney, formatRatio, formatScore } from '../format.js'
import { Layout } from '../layout.js'

export interface ResultsPageProps {
  evaluation: Evaluation
  file: EvaluationFile
  results: AppraisalResults
  /** Names of every criterion by its file id, to name failed gates. */
  criterionNames: Map<string, string>
}

export function describeDiscount(discount: EvaluationFile['appraisal']['discount']): string {
  if (discount === 'green-book') return 'HM Treasury Green Book social time preference rate (3.5% for years 1–30, declining after)'
  if (discount === 'green-book-health') return 'Green Book health rate (1.5% for years 1–30, declining after)'
  if (discount === 'none') return 'No discounting'
  if ('rate' in discount) return `One rate for every year: ${(discount.rate * 100).toFixed(2)}%`
  return `A schedule: ${discount.schedule.map((s) => `${(s.rate * 100).toFixed(2)}% from year ${s.fromYear}`).join(', ')}`
}

function PreferredSummary({ results, currency }: { results: AppraisalResults; currency: string }) {
  const preferred = results.options.find((o) => o.id === results.preferred)
  if (preferred === undefined) {
    const eligible = results.options.filter((o) => o.eligible)
    return (
      <div class="notice notice--warning" role="status">
        <p>
          <strong>No option is preferred.</strong>{' '}
          {eligible.length === 0 ? 'Every option fails at least one gate.' : 'The highest totals are tied.'}
        </p>
      </div>
    )
  }
  const runnerUp = results.options.filter((o) => o.rank !== null && o.id !== preferred.id).sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0))[0]
  return (
    <div class="key-figures">
      <div class="key-figure">
        Preferred option<strong>{preferred.name}</strong>
      </div>
      <div class="key-figure">
        Total score<strong>{formatScore(preferred.total)} of 100</strong>
        {runnerUp !== undefined && runnerUp.total !== null && preferred.total !== null && (
          <span>{formatScore(preferred.total - runnerUp.total)} points ahead of {runnerUp.name}</span>
        )}
      </div>
      <div class="key-figure">
        Present value of cost<strong>{formatMoney(preferred.pvCost, currency)}</strong>
        <span>over the appraisal period</span>
      </div>
    </div>
  )
}

function statusTags(option: OptionResult, criterionNames: Map<string, string>) {
  return (
    <>
      {option.baseline && <strong class="tag">Baseline</strong>}
      {!option.eligible && <strong class="tag tag--red">Fails {option.failedGates.map((g) => criterionNames.get(g) ?? g).join(', ')}</strong>}
      {!option.complete && <strong class="tag tag--yellow">Incomplete scoring</strong>}
    </>
  )
}

export function ResultsPage({ evaluation, file, results, criterionNames }: ResultsPageProps) {
  const currency = file.currency
  const ranked = [...results.options].sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity))
  const groups = results.options[0]?.groups ?? []
  const baseline = results.options.find((o) => o.baseline)
  return (
    <Layout title={`Results – ${evaluation.title}`} crumbs={[{ href: '/evaluations', label: 'Evaluations' }, { href: `/evaluations/${evaluation.id}`, label: evaluation.title }]}>
      <span class="caption">{evaluation.title}</span>
      <h1>Results</h1>
      <PreferredSummary results={results} currency={currency} />
      {results.warnings.length > 0 && (
        <div class="notice notice--warning">
          <h2 class="notice__title">Warnings</h2>
          <ul>
            {results.warnings.map((w) => (
              <li>{w}</li>
            ))}
          </ul>
        </div>
      )}

      <h2>Ranking</h2>
      <table class="table" id="ranking">
        <caption class="visually-hidden">Options ranked by total score</caption>
        <thead>
          <tr>
            <th scope="col" class="numeric">Rank</th>
            <th scope="col">Option</th>
            <th scope="col" class="numeric">Quality</th>
            <th scope="col" class="numeric">Price score</th>
            <th scope="col" class="numeric">Total</th>
          </tr>
        </thead>
        <tbody>
          {ranked.map((o) => (
            <tr data-option={o.id}>
              <td class="numeric">{o.rank ?? '–'}</td>
              <th scope="row">
                {o.name} {statusTags(o, criterionNames)}
              </th>
              <td class="numeric">{formatScore(o.quality)}</td>
              <td class="numeric">{formatScore(o.priceScore)}</td>
              <td class="numeric">
                <strong>{formatScore(o.total)}</strong>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="hint">
        Total = ({file.split.quality} × quality + {file.split.cost} × price score) ÷ {file.split.quality + file.split.cost}. Price
        score: {file.priceFormula === 'relative-to-lowest' ? '100 × lowest present value of cost ÷ this option’s' : '100 × lowest cost per quality point ÷ this option’s'}.
        Options that fail a gate are not ranked.
      </p>

      {groups.length > 0 && (
        <>
          <h2>Quality by group</h2>
          <table class="table" id="quality-by-group">
            <caption class="visually-hidden">Each option’s score in each top-level group (0 to 100) and its contribution to quality</caption>
            <thead>
              <tr>
                <th scope="col">Option</th>
                {groups.map((g) => (
                  <th scope="col" class="numeric">
                    {g.name}
                  </th>
                ))}
                <th scope="col" class="numeric">Quality</th>
              </tr>
            </thead>
            <tbody>
              {results.options.map((o) => (
                <tr>
                  <th scope="row">{o.name}</th>
                  {o.groups.map((g) => (
                    <td class="numeric">
                      {formatScore(g.score)} <span class="hint">({formatScore(g.contribution)})</span>
                    </td>
                  ))}
                  <td class="numeric">{formatScore(o.quality)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="hint">Each cell: the group’s score out of 100, and in brackets its contribution to the quality score.</p>
        </>
      )}

      <h2>Whole-life cost</h2>
      <table class="table" id="whole-life-cost">
        <caption class="visually-hidden">Whole-life cost and value of each option</caption>
        <thead>
          <tr>
            <th scope="col">Option</th>
            <th scope="col" class="numeric">Cost (undiscounted)</th>
            <th scope="col" class="numeric">PV cost</th>
            <th scope="col" class="numeric">PV benefit</th>
            <th scope="col" class="numeric">NPSV{baseline !== undefined ? ' vs baseline' : ''}</th>
            <th scope="col" class="numeric">BCR</th>
            <th scope="col" class="numeric">EAC</th>
            <th scope="col" class="numeric">Sunk cost (excluded)</th>
          </tr>
        </thead>
        <tbody>
          {results.options.map((o) => (
            <tr data-option={o.id}>
              <th scope="row">
                {o.name}
                {o.baseline && <strong class="tag">Baseline</strong>}
              </th>
              <td class="numeric">{formatMoney(o.undiscountedCost, currency)}</td>
              <td class="numeric">{formatMoney(o.pvCost, currency)}</td>
              <td class="numeric">{formatMoney(o.pvBenefit, currency)}</td>
              <td class="numeric">{formatMoney(o.npsv, currency)}</td>
              <td class="numeric">{formatRatio(o.bcr)}</td>
              <td class="numeric">{formatMoney(o.eac, currency)}</td>
              <td class="numeric">{formatMoney(o.sunkCost, currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="hint">
        Real {file.appraisal.baseYear} prices over {file.appraisal.years} years ({file.appraisal.baseYear}–
        {file.appraisal.baseYear + file.appraisal.years - 1}). Discounting: {describeDiscount(file.appraisal.discount)}. NPSV and BCR
        {baseline !== undefined ? ` are measured against the baseline, ${baseline.name}` : ' are absolute: no option is marked as the baseline'}.
        EAC is the equivalent annual cost. Sunk costs are money already spent: reported, never part of the comparison.
      </p>
      <p>
        <a href={`/evaluations/${evaluation.id}/export`} download>
          Download the evaluation file
        </a>{' '}
        to check these figures with <code>appraise results</code>.
      </p>
    </Layout>
  )
}
