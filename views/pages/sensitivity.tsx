import type {
  EvaluationFile,
  FormulaRanking,
  PriceFormula,
  PriceFormulaComparison,
  ResultsWithSensitivity,
  Sensitivity,
  LineSwitch,
} from '../../src/appraisal/index.js'
import { lineRisks } from '../../src/line-risks.js'
import type { Evaluation } from '../../src/db/schema.js'
import { ErrorSummary, TextField, type FieldErrors, type FormValues } from '../components/form.js'
import {
  CostRangeChart,
  CostSwitchChart,
  describeWeightSwitch,
  formatShare,
  orderBySwitchDistance,
  ProbabilityChart,
  WeightSwitchChart,
  type WeightSwitchRow,
} from '../components/sensitivity-charts.js'
import { formatCount, formatMoney, formatPercent, formatScore, possessive } from '../../src/format.js'
import { Layout } from '../layout.js'
import { WEIGHTS_ERROR, WhatIfPanel, whatIfFieldId, type WhatIfPanelProps } from '../partials/what-if.js'

export interface SensitivityPageProps {
  evaluation: Evaluation
  file: EvaluationFile
  results: ResultsWithSensitivity
  comparison: PriceFormulaComparison
  /** The Monte Carlo settings as typed (iterations, seed), and any problems with them. */
  run: { values: FormValues; errors: FieldErrors }
  whatIf: WhatIfPanelProps
}

const formulaNames: Record<PriceFormula, string> = {
  'relative-to-lowest': 'relative to the lowest price',
  'price-per-quality-point': 'price per quality point',
}

function isComputed(sensitivity: ResultsWithSensitivity['sensitivity']): sensitivity is Sensitivity {
  return !('computed' in sensitivity)
}

/** Names in a list: "A", "A and B", "A, B and C". */
function listOf(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
}

function NotComputed({ results }: { results: ResultsWithSensitivity }) {
  const eligible = results.options.filter((o) => o.eligible)
  const tied = results.options.filter((o) => o.rank === 1)
  return (
    <div class="notice notice--warning" id="not-computed">
      <h2 class="notice__title">Sensitivity is not computed</h2>
      <p>
        {!results.options.some((o) => o.tender)
          ? 'No option is preferred because no option is a tender, so there is no recommendation to test.'
          : eligible.length === 0
            ? 'No option is preferred because every tender fails at least one gate, so there is no recommendation to test.'
            : `No option is preferred because ${listOf(tied.map((o) => o.name))} tie for first place on ${formatScore(tied[0]?.total ?? null)}, so there is no recommendation to test.`}{' '}
        Switching values of the weights and costs, the irrelevant-alternatives check and the Monte Carlo analysis are all measured against a single preferred
        option. How far each cost and benefit line can move before its option’s NPSV reaches zero is shown below.
      </p>
      <p>The price formulas and the what-if panel below still show how the ranking would respond to other choices.</p>
    </div>
  )
}

function RunSettingsForm({ action, run }: { action: string; run: SensitivityPageProps['run'] }) {
  return (
    <form method="get" action={action} class="run-settings" novalidate>
      <div class="inline-fields">
        <TextField
          name="iterations"
          label="Iterations"
          idPrefix="mc"
          width="short"
          value={run.values.iterations}
          error={run.errors.iterations}
          hint="A whole number from 1 to 1,000,000"
        />
        <TextField
          name="seed"
          label="Seed"
          idPrefix="mc"
          width="short"
          value={run.values.seed}
          error={run.errors.seed}
          hint="A whole number; the same seed gives the same figures"
        />
      </div>
      <button class="button button--secondary" type="submit">
        Run the simulation again
      </button>
    </form>
  )
}

function weightRows(sensitivity: Sensitivity, results: ResultsWithSensitivity): WeightSwitchRow[] {
  const groupNames = new Map((results.options[0]?.groups ?? []).map((g) => [g.id, g.name]))
  const optionName = (id: string | null) => (id === null ? null : (results.options.find((o) => o.id === id)?.name ?? id))
  return sensitivity.weights.map((w) => ({
    label: w.id === 'split' ? 'Quality share of the split' : (groupNames.get(w.id) ?? w.id),
    inSentence: w.id === 'split' ? 'the quality share of the split' : (groupNames.get(w.id) ?? w.id),
    current: w.current,
    switchesAt: w.switchesAt,
    takesOver: optionName(w.newPreferred),
    // Its share cannot move when it holds all the weight at the top level.
    fixed: w.id !== 'split' && w.current === 100 && w.switchesAt === null,
  }))
}

function WeightsSection({ sensitivity, results, preferredName }: { sensitivity: Sensitivity; results: ResultsWithSensitivity; preferredName: string }) {
  const rows = weightRows(sensitivity, results)
  const steady = rows.filter((row) => !row.fixed && row.switchesAt === null)
  return (
    <section aria-labelledby="weights-heading">
      <h2 id="weights-heading">Weights: how far each can move</h2>
      <p>
        Each weight is moved on its own, from 0% to 100%, while the others keep their proportions to each other (for the split, cost takes whatever quality
        leaves). The bar runs from today’s share to the switching value: the nearest share at which another option draws level with or overtakes {preferredName}
        . The weights with the least room are at the top. A green track means no share from 0% to 100% changes the preferred option.
      </p>
      <WeightSwitchChart id="weights-chart" rows={rows} preferredName={preferredName} />
      <details class="data">
        <summary>The switching values as a table</summary>
        <table class="table" id="weight-switching-values">
          <caption class="visually-hidden">Switching values of the weights</caption>
          <thead>
            <tr>
              <th scope="col">Weight</th>
              <th scope="col" class="numeric">
                Today
              </th>
              <th scope="col" class="numeric">
                Switching value
              </th>
              <th scope="col">Option first beyond it</th>
            </tr>
          </thead>
          <tbody>
            {orderBySwitchDistance(rows).map((row) => (
              <tr>
                <th scope="row">{row.label}</th>
                <td class="numeric">{formatShare(row.current)}</td>
                <td class="numeric">{row.fixed ? 'cannot move' : row.switchesAt === null ? 'none from 0% to 100%' : formatShare(row.switchesAt)}</td>
                <td>{row.takesOver ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <ul class="list" id="weight-findings">
        {orderBySwitchDistance(rows)
          .filter((row) => row.fixed || row.switchesAt !== null)
          .map((row) => (
            <li>{describeWeightSwitch(row, preferredName)}</li>
          ))}
        {steady.length > 0 && (
          <li>
            Moving any of these on its own, anywhere from 0% to 100%, does not change the preferred option: {listOf(steady.map((row) => row.inSentence))}.
          </li>
        )}
      </ul>
    </section>
  )
}

function CostsSection({ sensitivity, results, currency }: { sensitivity: Sensitivity; results: ResultsWithSensitivity; currency: string }) {
  const preferred = results.options.find((o) => o.id === results.preferred)
  const byId = new Map(results.options.map((o) => [o.id, o]))
  const rows = sensitivity.costs.map((entry) => ({ entry, option: byId.get(entry.id) }))
  const own = sensitivity.costs.find((entry) => entry.id === results.preferred)
  const name = preferred?.name ?? ''
  return (
    <section aria-labelledby="costs-heading">
      <h2 id="costs-heading">Cost: headroom and the cut each other option needs</h2>
      <p class="lead" id="cost-headroom">
        {own?.switchesAt === null || own === undefined
          ? `${name} stays preferred even if its whole-life cost rises by 1,000%.`
          : `${possessive(name)} whole-life cost can rise by ${formatShare(own.switchesAt)} before it stops being preferred.`}
      </p>
      <p>
        All of an option’s cost lines move together, so its present value of cost moves by the same percentage. For each other option that passes the gates: how
        far its whole-life cost would have to fall for it to become preferred or tie.
      </p>
      <CostSwitchChart
        id="costs-chart"
        preferredName={name}
        rows={rows.map(({ entry, option }) => ({ label: option?.name ?? entry.id, preferred: entry.id === results.preferred, switchesAt: entry.switchesAt }))}
      />
      <details class="data">
        <summary>The cost switching values as a table</summary>
        <table class="table" id="cost-switching-values">
          <caption class="visually-hidden">Cost switching values</caption>
          <thead>
            <tr>
              <th scope="col">Option</th>
              <th scope="col" class="numeric">
                Present value of cost today
              </th>
              <th scope="col" class="numeric">
                Switching value
              </th>
              <th scope="col">Meaning</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ entry, option }) => {
              const isPreferred = entry.id === results.preferred
              return (
                <tr data-option={entry.id}>
                  <th scope="row">{option?.name ?? entry.id}</th>
                  <td class="numeric">{option === undefined ? '–' : formatMoney(option.pvCost, currency)}</td>
                  <td class="numeric">{entry.switchesAt === null ? '–' : `${isPreferred ? '+' : '−'}${formatShare(entry.switchesAt)}`}</td>
                  <td>
                    {isPreferred
                      ? entry.switchesAt === null
                        ? 'Stays preferred with any rise up to 1,000%'
                        : 'The rise at which it stops being preferred'
                      : entry.switchesAt === null
                        ? 'No cut of its cost makes it preferred'
                        : 'The cut at which it becomes preferred or ties'}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </details>
    </section>
  )
}

function MonteCarloSection(props: {
  sensitivity: Sensitivity
  results: ResultsWithSensitivity
  currency: string
  action: string
  run: SensitivityPageProps['run']
}) {
  const { monteCarlo } = props.sensitivity
  const options = props.results.options
  const byProbability = [...options].sort((a, b) => (monteCarlo.probabilityFirst[b.id] ?? 0) - (monteCarlo.probabilityFirst[a.id] ?? 0))
  const money = (amount: number | undefined) => (amount === undefined ? '–' : formatMoney(amount, props.currency))
  return (
    <section aria-labelledby="monte-carlo-heading">
      <h2 id="monte-carlo-heading">Uncertainty: a Monte Carlo simulation</h2>
      <p id="monte-carlo-settings">
        <strong>
          {formatCount(monteCarlo.iterations)} simulated appraisals, seed {monteCarlo.seed}.
        </strong>{' '}
        In each, every score is drawn at random from the panel’s individual scores for it (the consensus score where there are none), and every cost line with a
        range is multiplied by a draw from a triangular distribution between its low and high multipliers. The same seed gives the same figures.
      </p>
      <h3>Probability of ranking first</h3>
      <ProbabilityChart
        id="probability-chart"
        iterations={monteCarlo.iterations}
        rows={byProbability.map((o) => ({ label: o.name, probability: monteCarlo.probabilityFirst[o.id] ?? 0 }))}
      />
      <h3>Present value of cost: P10, P50 and P90</h3>
      <CostRangeChart
        id="cost-range-chart"
        currency={props.currency}
        rows={options.map((o) => {
          const p = monteCarlo.pvCost[o.id]
          return { label: o.name, central: o.pvCost, p10: p?.p10 ?? o.pvCost, p50: p?.p50 ?? o.pvCost, p90: p?.p90 ?? o.pvCost }
        })}
      />
      <p class="hint">
        Each bar runs from P10 to P90 of the option’s present value of cost in the simulation; the dark line is the median (P50) and the circle the central
        estimate, with no uncertainty. Cost ranges that reach further above 1 than below it put the median above the central estimate.
      </p>
      <details class="data" open>
        <summary>The simulation’s figures as a table</summary>
        <table class="table" id="monte-carlo-figures">
          <caption class="visually-hidden">Probability of ranking first and percentiles of the present value of cost</caption>
          <thead>
            <tr>
              <th scope="col">Option</th>
              <th scope="col" class="numeric">
                Probability of ranking first
              </th>
              <th scope="col" class="numeric">
                P10
              </th>
              <th scope="col" class="numeric">
                P50 (median)
              </th>
              <th scope="col" class="numeric">
                P90
              </th>
              <th scope="col" class="numeric">
                Central estimate
              </th>
            </tr>
          </thead>
          <tbody>
            {byProbability.map((o) => (
              <tr data-option={o.id}>
                <th scope="row">{o.name}</th>
                <td class="numeric">{formatPercent(monteCarlo.probabilityFirst[o.id] ?? 0)}</td>
                <td class="numeric">{money(monteCarlo.pvCost[o.id]?.p10)}</td>
                <td class="numeric">{money(monteCarlo.pvCost[o.id]?.p50)}</td>
                <td class="numeric">{money(monteCarlo.pvCost[o.id]?.p90)}</td>
                <td class="numeric">{money(o.pvCost)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <p class="hint">P10: in 10% of the simulated appraisals the present value of cost was at or below this figure; P90: in 90%.</p>
      <RunSettingsForm action={props.action} run={props.run} />
    </section>
  )
}

function IrrelevantAlternativesSection({ sensitivity, results, file }: { sensitivity: Sensitivity; results: ResultsWithSensitivity; file: EvaluationFile }) {
  const name = (id: string | null) => (id === null ? '' : (results.options.find((o) => o.id === id)?.name ?? id))
  const preferredName = name(results.preferred)
  const entries = sensitivity.irrelevantAlternatives
  const changed = entries.filter((e) => e.orderChanged)
  const formula = formulaNames[file.priceFormula]
  return (
    <section aria-labelledby="alternatives-heading">
      <h2 id="alternatives-heading">Irrelevant alternatives: does the result depend on which other options were appraised?</h2>
      <p>
        Each tender that passes the gates, {preferredName} included, is removed in turn, and the appraisal is run again without it: removing the preferred
        tender shows who would win without it.
      </p>
      {entries.length <= 1 ? (
        <p id="alternatives-finding">{preferredName} is the only tender that passes the gates: without it, no tender would remain to rank.</p>
      ) : changed.length === 0 ? (
        <p id="alternatives-finding">
          Removing any one of them leaves the order of the others unchanged: the result does not depend on which other options were appraised.
        </p>
      ) : (
        <div class="notice notice--warning" id="alternatives-finding" role="note">
          <h3 class="notice__title">The order depends on which other options were appraised</h3>
          <p>
            Removing {listOf(changed.map((e) => name(e.removed)))} changes the order of the options that remain. This comes from the price formula,{' '}
            <strong>{formula}</strong>: each option’s price score is measured against the{' '}
            {file.priceFormula === 'relative-to-lowest' ? 'lowest price' : 'lowest price per quality point'} among the options, so adding or removing an option
            can move the others’ scores and reverse their order. Compare the two price formulas below before relying on the ranking.
          </p>
        </div>
      )}
      {entries.length > 1 && (
        <ul class="list" id="alternatives-list">
          {entries.map((e) => {
            const without = `Without ${name(e.removed)}`
            if (e.removed === results.preferred) {
              if (e.preferred === null) return <li>{without}, the preferred tender, no single tender would be preferred: the highest totals would tie.</li>
              return (
                <li>
                  {without}, the preferred tender, {name(e.preferred)} would be preferred
                  {e.orderChanged ? ', and the order of the others would change.' : ', and the others keep their order.'}
                </li>
              )
            }
            if (e.preferred === null) return <li>{without}, no single option would be preferred: the highest totals would tie.</li>
            if (e.preferred !== results.preferred) {
              return (
                <li>
                  {without}, {name(e.preferred)} would be preferred instead of {preferredName}.
                </li>
              )
            }
            return (
              <li>
                {without}, {preferredName} is still preferred
                {e.orderChanged ? ', but the order of the other options changes.' : ' and the other options keep their order.'}
              </li>
            )
          })}
        </ul>
      )}
    </section>
  )
}

/** The largest risks shown at once; the rest are a click away. */
const LINES_SHOWN = 10

function LinesSection({ lines, results, file }: { lines: LineSwitch[]; results: ResultsWithSensitivity; file: EvaluationFile }) {
  const risks = lineRisks(file, results, lines)
  return (
    <section aria-labelledby="lines-heading">
      <h2 id="lines-heading">Each estimate: how far can it move before the case is lost?</h2>
      <p>
        For each cost and benefit line of every option but business as usual: the change in that one line at which its option’s net present social value
        (against business as usual) reaches zero, the others held. The smallest changes, the largest risks, come first.
      </p>
      {risks.length === 0 ? (
        <p id="line-switching-values">No option other than business as usual has a cost or benefit line.</p>
      ) : (
        <>
          <ol class="list" id="line-switching-values">
            {risks.slice(0, LINES_SHOWN).map((risk) => (
              <li data-option={risk.line.option}>{risk.sentence}</li>
            ))}
          </ol>
          {risks.length > LINES_SHOWN && (
            <details class="data">
              <summary>The other {risks.length - LINES_SHOWN} lines</summary>
              <ol class="list" start={LINES_SHOWN + 1} id="line-switching-values-rest">
                {risks.slice(LINES_SHOWN).map((risk) => (
                  <li data-option={risk.line.option}>{risk.sentence}</li>
                ))}
              </ol>
            </details>
          )}
        </>
      )}
    </section>
  )
}

function comparisonSentence(comparison: PriceFormulaComparison, name: (id: string | null) => string): string {
  const relative = comparison.relativeToLowest.preferred
  const perPoint = comparison.pricePerQualityPoint.preferred
  if (comparison.preferredDiffers) {
    return `The two price formulas disagree: relative to the lowest price, ${name(relative)} is preferred; by price per quality point, ${name(perPoint)} is.`
  }
  if (relative === null) {
    return comparison.orderDiffers
      ? 'Neither price formula gives a single preferred option, and they rank the options differently.'
      : 'Neither price formula gives a single preferred option; they rank the options in the same order.'
  }
  if (comparison.orderDiffers) return `Both price formulas prefer ${name(relative)}, but they rank the other options differently.`
  return `Both price formulas prefer ${name(relative)} and rank the options in the same order.`
}

function FormulaCells({ ranking, index }: { ranking: FormulaRanking; index: number }) {
  const entry = ranking.options[index]
  return (
    <>
      <td class="numeric">{formatScore(entry?.priceScore ?? null)}</td>
      <td class="numeric">{formatScore(entry?.total ?? null)}</td>
      <td class="numeric">{entry?.rank ?? '–'}</td>
    </>
  )
}

/** The headings of one formula's columns, over its FormulaCells. */
function FormulaHeadings() {
  return (
    <>
      <th scope="col" class="numeric">
        Price score
      </th>
      <th scope="col" class="numeric">
        Total
      </th>
      <th scope="col" class="numeric">
        Rank
      </th>
    </>
  )
}

function PriceFormulaSection({ comparison, file }: { comparison: PriceFormulaComparison; file: EvaluationFile }) {
  const { relativeToLowest, pricePerQualityPoint } = comparison
  const name = (id: string | null) => (id === null ? 'no single option' : (relativeToLowest.options.find((o) => o.id === id)?.name ?? id))
  const inUse = (formula: PriceFormula) => (file.priceFormula === formula ? ' (used in this evaluation)' : '')
  const disagree = comparison.preferredDiffers || comparison.orderDiffers
  return (
    <section aria-labelledby="formulas-heading">
      <h2 id="formulas-heading">The two price formulas side by side</h2>
      <p>
        Both score the tendered price: the present value of the price lines, without optimism bias. Relative to the lowest price: price score = 100 × lowest
        tendered price ÷ the option’s, and the total weighs quality and price score by the split of {file.split.quality} quality to {file.split.cost} cost.
        Price per quality point: price score = 100 × lowest price of a quality point ÷ the option’s, and the total is that score: the ratio already holds
        quality, so the split is not used.
      </p>
      <p id="formula-comparison" class={disagree ? 'notice notice--warning' : 'notice'}>
        <strong>{comparisonSentence(comparison, name)}</strong>
      </p>
      <table class="table" id="price-formulas">
        <caption class="visually-hidden">Price score, total and rank of each option under each price formula</caption>
        <thead>
          <tr>
            <td></td>
            <th scope="colgroup" colspan={3} class="numeric">
              Relative to the lowest price{inUse('relative-to-lowest')}
            </th>
            <th scope="colgroup" colspan={3} class="numeric">
              Price per quality point{inUse('price-per-quality-point')}
            </th>
          </tr>
          <tr>
            <th scope="col">Option</th>
            <FormulaHeadings />
            <FormulaHeadings />
          </tr>
        </thead>
        <tbody>
          {relativeToLowest.options.map((o, i) => (
            <tr data-option={o.id}>
              <th scope="row">
                {o.name}
                {!o.tender ? <strong class="tag tag--group">Not a tender</strong> : !o.eligible && <strong class="tag tag--red">Fails a gate</strong>}
              </th>
              <FormulaCells ranking={relativeToLowest} index={i} />
              <FormulaCells ranking={pricePerQualityPoint} index={i} />
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

function KeyFigures({ sensitivity, results }: { sensitivity: Sensitivity; results: ResultsWithSensitivity }) {
  const preferred = results.options.find((o) => o.id === results.preferred)
  if (preferred === undefined) return null
  const own = sensitivity.costs.find((c) => c.id === preferred.id)
  return (
    <div class="key-figures">
      <div class="key-figure">
        Preferred option<strong>{preferred.name}</strong>
        <span>total {formatScore(preferred.total)} of 100</span>
      </div>
      <div class="key-figure">
        Probability of ranking first<strong>{formatPercent(sensitivity.monteCarlo.probabilityFirst[preferred.id] ?? 0)}</strong>
        <span>in {formatCount(sensitivity.monteCarlo.iterations)} simulated appraisals</span>
      </div>
      <div class="key-figure">
        Cost headroom<strong>{own?.switchesAt === null || own === undefined ? 'over 1,000%' : `+${formatShare(own.switchesAt)}`}</strong>
        <span>rise in its whole-life cost before it stops being preferred</span>
      </div>
    </div>
  )
}

export function SensitivityPage(props: SensitivityPageProps) {
  const { evaluation, file, results, comparison, whatIf, run } = props
  const sensitivity = isComputed(results.sensitivity) ? results.sensitivity : null
  const preferredName = results.options.find((o) => o.id === results.preferred)?.name ?? ''
  const firstWeight = whatIf.weightFields[0]
  const errors = { ...run.errors, ...whatIf.errors }
  const fieldIds: Record<string, string> = { iterations: 'mc-iterations', seed: 'mc-seed', [whatIf.qualityField.name]: whatIfFieldId(whatIf.qualityField.name) }
  for (const field of whatIf.weightFields) fieldIds[field.name] = whatIfFieldId(field.name)
  if (firstWeight !== undefined) fieldIds[WEIGHTS_ERROR] = whatIfFieldId(firstWeight.name)
  return (
    <Layout
      title={`Sensitivity – ${evaluation.title}`}
      crumbs={[
        { href: '/evaluations', label: 'Evaluations' },
        { href: `/evaluations/${evaluation.id}`, label: evaluation.title },
      ]}>
      <span class="caption">{evaluation.title}</span>
      <h1>Sensitivity: how fragile is the recommendation?</h1>
      <ErrorSummary errors={errors} fieldIds={fieldIds} />
      {sensitivity === null ? <NotComputed results={results} /> : <KeyFigures sensitivity={sensitivity} results={results} />}
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
      <nav aria-label="On this page" class="contents-list">
        <h2 class="contents-list__title">On this page</h2>
        <ul>
          {sensitivity !== null && (
            <>
              <li>
                <a href="#weights-heading">Weights: how far each can move</a>
              </li>
              <li>
                <a href="#costs-heading">Cost headroom</a>
              </li>
              <li>
                <a href="#monte-carlo-heading">Monte Carlo simulation</a>
              </li>
              <li>
                <a href="#alternatives-heading">Irrelevant alternatives</a>
              </li>
            </>
          )}
          <li>
            <a href="#lines-heading">Each estimate: how far it can move</a>
          </li>
          <li>
            <a href="#formulas-heading">The two price formulas</a>
          </li>
          <li>
            <a href="#what-if-heading">What if: try other weights</a>
          </li>
        </ul>
      </nav>
      {sensitivity !== null && (
        <>
          <WeightsSection sensitivity={sensitivity} results={results} preferredName={preferredName} />
          <CostsSection sensitivity={sensitivity} results={results} currency={file.currency} />
          <MonteCarloSection sensitivity={sensitivity} results={results} currency={file.currency} action={whatIf.action} run={run} />
          <IrrelevantAlternativesSection sensitivity={sensitivity} results={results} file={file} />
        </>
      )}
      <LinesSection lines={results.sensitivity.lines} results={results} file={file} />
      {sensitivity === null && Object.keys(run.errors).length > 0 && <RunSettingsForm action={whatIf.action} run={run} />}
      <PriceFormulaSection comparison={comparison} file={file} />
      <section aria-labelledby="what-if-heading">
        <h2 id="what-if-heading">What if: try other weights</h2>
        <p>
          Move a group’s weight or the split between quality and cost and the ranking below follows. Nothing is saved: the evaluation keeps its own weights.
        </p>
        <WhatIfPanel {...whatIf} />
      </section>
      <p>
        <a href={`/evaluations/${evaluation.id}/results`}>Back to the results</a>
      </p>
    </Layout>
  )
}
