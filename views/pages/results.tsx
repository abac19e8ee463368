import type { AppraisalResults, EvaluationFile, OptionResult } from '../../src/appraisal/index.js'
import { useMay } from '../../src/auth/viewer.js'
import type { Evaluation } from '../../src/db/schema.js'
import { AppraisalWarnings } from '../components/appraisal-warnings.js'
import { GroupedBarChart, LineChart, StackedBarChart } from '../components/charts.js'
import { formatMoney, formatMoneyShort, formatPercent, formatRatio, formatScore, possessive } from '../../src/format.js'
import { Layout } from '../layout.js'

export interface ResultsPageProps {
  evaluation: Evaluation
  file: EvaluationFile
  results: AppraisalResults
  /** Names of every criterion by its file id, to name failed gates. */
  criterionNames: Map<string, string>
  /** The database id of each option by its file id, to link to its cost model. */
  optionIds: Map<string, number>
}

export function describeDiscount(discount: EvaluationFile['appraisal']['discount']): string {
  if (discount === 'green-book') return 'HM Treasury Green Book social time preference rate (3.5% for years 1–30, declining after)'
  if (discount === 'green-book-health') return 'Green Book health rate (1.5% for years 1–30, declining after)'
  if (discount === 'none') return 'No discounting'
  if ('rate' in discount) return `One rate for every year: ${formatPercent(discount.rate, 2)}`
  return `A schedule: ${discount.schedule.map((s) => `${formatPercent(s.rate, 2)} from year ${s.fromYear}`).join(', ')}`
}

/** Names in a list: "A", "A and B", "A, B and C". */
function listOf(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
}

function PreferredSummary({ results, file }: { results: AppraisalResults; file: EvaluationFile }) {
  const currency = file.currency
  const preferred = results.options.find((o) => o.id === results.preferred)
  if (preferred === undefined) {
    const eligible = results.options.filter((o) => o.eligible)
    const tied = results.options.filter((o) => o.rank === 1).map((o) => o.name)
    return (
      <div class="notice notice--warning" role="status" id="preferred">
        <p>
          <strong>No option is preferred.</strong>{' '}
          {!results.options.some((o) => o.tender)
            ? 'No option is a tender, so none is ranked; the economic appraisal below compares them all.'
            : eligible.length === 0
              ? 'Every tender fails at least one gate.'
              : `${listOf(tied)} tie for first place on ${formatScore(results.options.find((o) => o.rank === 1)?.total ?? null)}.`}
        </p>
      </div>
    )
  }
  const runnerUp = results.options.filter((o) => o.rank !== null && o.id !== preferred.id).sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0))[0]
  const { quality, cost } = file.split
  return (
    <div class="key-figures" id="preferred">
      <div class="key-figure">
        Preferred option<strong>{preferred.name}</strong>
        <span>
          {file.priceFormula === 'price-per-quality-point'
            ? 'the preferred tender, ranked on its price per quality point'
            : `the preferred tender, ranked on quality ${formatPercent(quality / (quality + cost), 0)} and price ${formatPercent(cost / (quality + cost), 0)}`}
        </span>
      </div>
      <div class="key-figure">
        Total score<strong>{formatScore(preferred.total)} of 100</strong>
        {runnerUp !== undefined && runnerUp.total !== null && preferred.total !== null && (
          <span>
            {formatScore(preferred.total - runnerUp.total)} points ahead of {runnerUp.name}
          </span>
        )}
      </div>
      <div class="key-figure">
        Present value of cost<strong>{formatMoney(preferred.pvCost, currency)}</strong>
        <span>over the appraisal period</span>
      </div>
      {!preferred.baseline && results.options.some((o) => o.baseline) && (
        <div class="key-figure">
          Net present social value<strong>{formatMoney(preferred.npsv, currency)}</strong>
          <span>against the baseline</span>
        </div>
      )}
    </div>
  )
}

/** What kind of option this is, in words: business as usual, a tender, or another option. */
function kindTag(option: OptionResult) {
  if (option.baseline) return <strong class="tag">Business as usual</strong>
  if (!option.tender) return <strong class="tag tag--group">Not a tender</strong>
  return <strong class="tag tag--group">Tender</strong>
}

/** The two answers side by side: says when the preferred tender is not the option of highest NPSV. */
function NpsvFinding({ results, file }: { results: AppraisalResults; file: EvaluationFile }) {
  const byId = (id: string | null) => results.options.find((o) => o.id === id)
  const preferred = byId(results.preferred)
  const highest = byId(results.highestNpsv)
  const money = (amount: number) => formatMoney(amount, file.currency)
  if (highest === undefined) {
    const top = Math.max(...results.options.map((o) => o.npsv))
    const level = results.options.filter((o) => o.npsv >= top - 0.01).map((o) => o.name)
    return (
      <p class="notice" id="npsv-finding">
        No single option has the highest NPSV: {listOf(level)} are within a penny of each other at {money(top)}.
      </p>
    )
  }
  if (preferred === undefined || preferred.id === highest.id) {
    return (
      <p class="notice" id="npsv-finding">
        {preferred !== undefined
          ? `The preferred tender, ${preferred.name}, also has the highest NPSV: ${money(highest.npsv)}.`
          : `${highest.name} has the highest NPSV: ${money(highest.npsv)}.`}
      </p>
    )
  }
  return (
    <p class="notice notice--warning" id="npsv-finding">
      <strong>
        The preferred tender, {preferred.name}, is not the option of highest NPSV: {highest.name}
        {highest.baseline ? ' (business as usual)' : !highest.tender ? ' (not a tender)' : highest.failedGates.length > 0 ? ' (which fails a gate)' : ''} has{' '}
        {money(highest.npsv)}, {money(highest.npsv - preferred.npsv)} more than {possessive(preferred.name)} {money(preferred.npsv)}.
      </strong>
    </p>
  )
}

function statusTags(option: OptionResult) {
  return (
    <>
      {option.baseline && <strong class="tag">Baseline</strong>}
      {!option.complete && <strong class="tag tag--yellow">Incomplete scoring</strong>}
    </>
  )
}

function gateNames(option: OptionResult, criterionNames: Map<string, string>): string {
  return listOf(option.failedGates.map((g) => criterionNames.get(g) ?? g))
}

/** In words for a screen reader: each option's quality and its largest parts. */
function qualityDescription(options: OptionResult[]): string {
  return `Quality out of 100 of each option, as bars split into the contribution of each group of criteria. ${options
    .map((o) => {
      const top = [...o.groups].sort((a, b) => b.contribution - a.contribution)[0]
      return `${o.name}: ${formatScore(o.quality)}${top !== undefined && top.contribution > 0 ? `, most from ${top.name} (${formatScore(top.contribution)})` : ''}${o.eligible ? '' : o.tender ? ', not ranked because it fails a gate' : ', not ranked because it is not a tender'}.`
    })
    .join(' ')}`
}

function costPerYearDescription(options: OptionResult[], currency: string): string {
  return `One line per option showing its cost in each year, before discounting. ${options
    .map((o) => {
      const peak = o.years.reduce((best, y) => (y.cost > best.cost ? y : best), o.years[0]!)
      return o.undiscountedCost === 0
        ? `${o.name}: no costs.`
        : `${o.name}: ${formatMoneyShort(o.undiscountedCost, currency)} in all, highest in ${peak.calendarYear} at ${formatMoneyShort(peak.cost, currency)}.`
    })
    .join(' ')}`
}

function presentValueDescription(options: OptionResult[], currency: string): string {
  return `For each option, a bar for the present value of its costs and one for the present value of its benefits. ${options
    .map((o) => `${o.name}: cost ${formatMoneyShort(o.pvCost, currency)}, benefit ${formatMoneyShort(o.pvBenefit, currency)}.`)
    .join(' ')}`
}

export function ResultsPage({ evaluation, file, results, criterionNames, optionIds }: ResultsPageProps) {
  const currency = file.currency
  const money = (amount: number) => formatMoney(amount, currency)
  const short = (amount: number) => formatMoneyShort(amount, currency)
  const ranked = results.options.filter((o) => o.rank !== null).sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0))
  const ineligible = results.options.filter((o) => o.tender && !o.eligible)
  const notTenders = results.options.filter((o) => !o.tender)
  const unranked = results.options.filter((o) => o.eligible && o.rank === null)
  const incomplete = results.options.filter((o) => !o.complete)
  const groups = results.options[0]?.groups ?? []
  const baseline = results.options.find((o) => o.baseline)
  const { baseYear, years } = file.appraisal
  const base = `/evaluations/${evaluation.id}`
  const may = useMay()
  const inChartOrder = [...ranked, ...unranked, ...ineligible, ...notTenders]
  return (
    <Layout
      title={`Results – ${evaluation.title}`}
      crumbs={[
        { href: '/evaluations', label: 'Evaluations' },
        { href: base, label: evaluation.title },
      ]}>
      <span class="caption">{evaluation.title}</span>
      <h1>Results</h1>
      <PreferredSummary results={results} file={file} />
      <AppraisalWarnings warnings={results.warnings} file={file} />
      <nav aria-label="On this page" class="contents-list">
        <h2 class="contents-list__title">On this page</h2>
        <ul>
          <li>
            <a href="#ranking-title">The tender evaluation</a>
          </li>
          {groups.length > 0 && (
            <li>
              <a href="#quality-title">Quality by group</a>
            </li>
          )}
          <li>
            <a href="#cost-title">The economic appraisal</a>
          </li>
          <li>
            <a href="#cost-per-year-title">Cost per year</a>
          </li>
          <li>
            <a href="#present-value-title">Present value of cost and benefit</a>
          </li>
        </ul>
      </nav>

      <h2 id="ranking-title">The tender evaluation</h2>
      <p>
        Which tender is the most advantageous on the published criteria and price. Only tenders take part, each priced on what the supplier charges: the present
        value of its price lines, without optimism bias.
        {notTenders.length > 0 &&
          ` ${listOf(notTenders.map((o) => o.name))} ${notTenders.length === 1 ? 'is not a tender' : 'are not tenders'}: appraised below, not ranked.`}
      </p>
      {ranked.length === 0 ? (
        <p>No tender is ranked: {results.options.some((o) => o.tender) ? 'every tender fails at least one gate.' : 'no option is a tender.'}</p>
      ) : (
        <table class="table" id="ranking">
          <caption class="visually-hidden">Tenders ranked by total score</caption>
          <thead>
            <tr>
              <th scope="col" class="numeric">
                Rank
              </th>
              <th scope="col">Tender</th>
              <th scope="col" class="numeric">
                Quality
              </th>
              <th scope="col" class="numeric">
                Tendered price (PV)
              </th>
              <th scope="col" class="numeric">
                Price score
              </th>
              <th scope="col" class="numeric">
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {ranked.map((o) => (
              <tr data-option={o.id} class={o.id === results.preferred ? 'preferred-row' : undefined}>
                <td class="numeric">{o.rank}</td>
                <th scope="row">
                  {o.name} {statusTags(o)}
                  {o.id === results.preferred && <strong class="tag tag--green">Preferred</strong>}
                </th>
                <td class="numeric">{formatScore(o.quality)}</td>
                <td class="numeric">{money(o.pvPrice)}</td>
                <td class="numeric">{formatScore(o.priceScore)}</td>
                <td class="numeric">
                  <strong>{formatScore(o.total)}</strong>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p class="hint" id="total-rule">
        {file.priceFormula === 'relative-to-lowest'
          ? `Price score = 100 × the lowest tendered price ÷ this tender’s. Total = (${file.split.quality} × quality + ${file.split.cost} × price score) ÷ ${file.split.quality + file.split.cost}.`
          : 'Price per quality point: the tendered price ÷ quality is the price of one quality point, and price score = 100 × the lowest price of a quality point ÷ this tender’s. The total is the price score itself: the ratio already holds quality, so the quality/price split is not used.'}{' '}
        Equal totals share a rank.
      </p>

      {ineligible.length > 0 && (
        <>
          <h3 id="not-ranked">Not ranked: failed a gate</h3>
          <table class="table" id="ineligible">
            <caption class="visually-hidden">Options that fail at least one gate, and the gates they fail</caption>
            <thead>
              <tr>
                <th scope="col">Option</th>
                <th scope="col">Gates failed</th>
                <th scope="col" class="numeric">
                  Quality
                </th>
              </tr>
            </thead>
            <tbody>
              {ineligible.map((o) => (
                <tr data-option={o.id}>
                  <th scope="row">
                    {o.name} {statusTags(o)}
                  </th>
                  <td>
                    <strong class="tag tag--red">Fails</strong> {gateNames(o, criterionNames)}
                  </td>
                  <td class="numeric">{formatScore(o.quality)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="hint">A gate is pass or fail: an option that fails one gets no price score, total or rank, whatever its quality.</p>
        </>
      )}

      {incomplete.length > 0 && (
        <div class="notice" id="incomplete">
          <p>
            <strong>Scoring is incomplete</strong> for {listOf(incomplete.map((o) => o.name))}: a criterion with no score counts as {file.scale.min}, the bottom
            of the scale, and a gate with no score is not applied. Their figures may change when scoring is finished.
          </p>
        </div>
      )}

      {groups.length > 0 && (
        <>
          <h2 id="quality-title">Quality by group</h2>
          <StackedBarChart
            id="quality-chart"
            title="Quality score of each option, by group of criteria"
            description={qualityDescription(inChartOrder)}
            categories={inChartOrder.map((o) => ({
              label: o.name,
              note: o.eligible ? undefined : o.tender ? 'Not ranked: fails a gate' : o.baseline ? 'Business as usual: not ranked' : 'Not a tender: not ranked',
            }))}
            segments={groups.map((g, i) => ({ name: g.name, values: inChartOrder.map((o) => o.groups[i]?.contribution ?? 0) }))}
            max={100}
            format={formatScore}
            axisFormat={(v) => String(v)}
            axisCaption="Quality, out of 100: each part is a group’s contribution"
            rowHeader="Option"
            totals={inChartOrder.map((o) => formatScore(o.quality))}
            totalHeader="Quality"
          />
          <details class="data">
            <summary>Each group’s own score, out of 100</summary>
            <QualityByGroupTable groups={groups} options={results.options} />
            <p class="hint">Each cell: the group’s score out of 100, and in brackets its contribution to the quality score.</p>
          </details>
        </>
      )}

      <h2 id="cost-title">The economic appraisal</h2>
      <p>
        Which course of action gives the best value to society: every option{baseline !== undefined ? ` against business as usual (${baseline.name})` : ''},
        tenders and other options alike, with its quality score beside it as the benefits not valued in money.
      </p>
      <NpsvFinding results={results} file={file} />
      <div class="table-scroll">
        <table class="table" id="whole-life-cost">
          <caption class="visually-hidden">Economic appraisal of each option: cost, benefit and net present social value</caption>
          <thead>
            <tr>
              <th scope="col">Option</th>
              <th scope="col" class="numeric">
                Cost (undiscounted)
              </th>
              <th scope="col" class="numeric">
                PV cost
              </th>
              <th scope="col" class="numeric">
                PV benefit
              </th>
              <th scope="col" class="numeric">
                NPSV{baseline !== undefined ? ' vs baseline' : ''}
              </th>
              <th scope="col" class="numeric">
                of which cash
              </th>
              <th scope="col" class="numeric">
                BCR
              </th>
              <th scope="col" class="numeric">
                Quality
              </th>
              <th scope="col" class="numeric">
                EAC
              </th>
              <th scope="col" class="numeric">
                Sunk cost (excluded)
              </th>
            </tr>
          </thead>
          <tbody>
            {results.options.map((o) => (
              <tr data-option={o.id}>
                <th scope="row">
                  {may('GET /evaluations/:id/costs/:optionId') && optionIds.has(o.id) ? <a href={`${base}/costs/${optionIds.get(o.id)}`}>{o.name}</a> : o.name}
                  {kindTag(o)}
                  {o.id === results.highestNpsv && <strong class="tag tag--green">Highest NPSV</strong>}
                </th>
                <td class="numeric">{money(o.undiscountedCost)}</td>
                <td class="numeric">{money(o.pvCost)}</td>
                <td class="numeric">{money(o.pvBenefit)}</td>
                <td class="numeric">{money(o.npsv)}</td>
                <td class="numeric">{money(o.cashNpsv)}</td>
                <td class="numeric">{formatRatio(o.bcr)}</td>
                <td class="numeric">{formatScore(o.quality)}</td>
                <td class="numeric">{money(o.eac)}</td>
                <td class="numeric">{money(o.sunkCost)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="hint">
        Real {baseYear} prices over {years} years ({baseYear}–{baseYear + years - 1}), with optimism bias. Discounting:{' '}
        {describeDiscount(file.appraisal.discount)}. NPSV (net present social value) is PV benefit − PV cost
        {baseline !== undefined ? `, measured against the baseline, ${baseline.name}` : ': no option is marked as the baseline'}; “of which cash” is the NPSV
        from cash lines only, so NPSV minus it is the part resting on non-cash benefits and costs, such as staff time. BCR (benefit–cost ratio) is shown only
        where an option costs more than the baseline; where it costs less, read the NPSV. A BCR is context, not a pass mark. EAC (equivalent annual cost)
        spreads the PV cost evenly over the period. Sunk costs are money already spent: reported, never part of the comparison.
      </p>
      {notTenders.some((o) => o.failedGates.length > 0) && (
        <ul class="hint" id="not-tenders-gates">
          {notTenders
            .filter((o) => o.failedGates.length > 0)
            .map((o) => (
              <li>
                {o.name} fails {o.failedGates.length === 1 ? 'a gate' : `${o.failedGates.length} gates`}: {gateNames(o, criterionNames)}. It is not a tender, so
                it is appraised all the same; a gate decides only which tenders may be ranked.
              </li>
            ))}
        </ul>
      )}

      <h2 id="cost-per-year-title">Cost per year</h2>
      <LineChart
        id="cost-per-year-chart"
        title={`Cost per year of each option, in real ${baseYear} prices before discounting`}
        description={costPerYearDescription(results.options, currency)}
        points={(results.options[0]?.years ?? []).map((y) => String(y.calendarYear))}
        series={results.options.map((o) => ({ name: o.name, values: o.years.map((y) => y.cost) }))}
        format={short}
        tableFormat={money}
        axisCaption="Year"
        rowHeader="Year"
      />

      <h2 id="present-value-title">Present value of cost and benefit</h2>
      <GroupedBarChart
        id="present-value-chart"
        title="Present value of the cost and the benefit of each option"
        description={presentValueDescription(results.options, currency)}
        categories={results.options.map((o) => ({ label: o.name, note: o.baseline ? 'Baseline' : undefined }))}
        series={[
          { name: 'PV of cost', values: results.options.map((o) => o.pvCost) },
          { name: 'PV of benefit', values: results.options.map((o) => o.pvBenefit) },
        ]}
        format={short}
        tableFormat={money}
        axisCaption={`Present value, real ${baseYear} prices`}
        rowHeader="Option"
      />

      <h2>Next</h2>
      <ul class="list">
        {may('GET /evaluations/:id/sensitivity') && (
          <li>
            <a href={`${base}/sensitivity`}>Sensitivity</a>: how far weights and costs can move before the preferred option changes
          </li>
        )}
        {may('GET /evaluations/:id/costs') && (
          <li>
            <a href={`${base}/costs`}>Costs and benefits</a>: each option’s lines and year-by-year figures
          </li>
        )}
        <li>
          <a href={`${base}/results/workbook.xlsx`} download>
            Download these results as an Excel workbook
          </a>
        </li>
        {may('GET /evaluations/:id/export') && (
          <li>
            <a href={`${base}/export`} download>
              Download the evaluation file
            </a>{' '}
            to check these figures with <code>appraise results</code>
          </li>
        )}
      </ul>
    </Layout>
  )
}

/**
 * The lead's results while they moderate quality (decision 17): quality scores and the tenders in
 * order of quality, no price, cost, NPSV, price score or total, and one sentence to say why.
 */
export function QualityOnlyResultsPage({ evaluation, file, results, criterionNames }: Omit<ResultsPageProps, 'optionIds'>) {
  const base = `/evaluations/${evaluation.id}`
  const byQuality = (a: OptionResult, b: OptionResult) => b.quality - a.quality
  const eligible = results.options.filter((o) => o.tender && o.eligible).sort(byQuality)
  const ineligible = results.options.filter((o) => o.tender && !o.eligible)
  const others = results.options.filter((o) => !o.tender)
  const incomplete = results.options.filter((o) => !o.complete)
  const groups = results.options[0]?.groups ?? []
  return (
    <Layout
      title={`Results – ${evaluation.title}`}
      crumbs={[
        { href: '/evaluations', label: 'Evaluations' },
        { href: base, label: evaluation.title },
      ]}>
      <span class="caption">{evaluation.title}</span>
      <h1>Results</h1>
      <p class="notice" id="price-sealed">
        <strong>Quality only while you moderate:</strong> prices, costs and the ranking with price stay sealed from you until every consensus is recorded, so
        that price cannot sway the moderation of quality.
      </p>
      <h2 id="quality-ranking-title">Tenders in order of quality</h2>
      {eligible.length === 0 ? (
        <p>No tender passes every gate.</p>
      ) : (
        <table class="table" id="quality-ranking">
          <caption class="visually-hidden">Tenders in order of their quality score, price not shown</caption>
          <thead>
            <tr>
              <th scope="col">Tender</th>
              <th scope="col" class="numeric">
                Quality
              </th>
            </tr>
          </thead>
          <tbody>
            {eligible.map((o) => (
              <tr data-option={o.id}>
                <th scope="row">
                  {o.name} {statusTags(o)}
                </th>
                <td class="numeric">{formatScore(o.quality)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {ineligible.length > 0 && (
        <ul class="list" id="ineligible">
          {ineligible.map((o) => (
            <li data-option={o.id}>
              {o.name}: quality {formatScore(o.quality)}, fails {gateNames(o, criterionNames)}
            </li>
          ))}
        </ul>
      )}
      {others.length > 0 && (
        <ul class="list" id="not-tenders">
          {others.map((o) => (
            <li data-option={o.id}>
              {o.name} (not a tender): quality {formatScore(o.quality)}
            </li>
          ))}
        </ul>
      )}
      {incomplete.length > 0 && (
        <p class="notice" id="incomplete">
          <strong>Scoring is incomplete</strong> for {listOf(incomplete.map((o) => o.name))}: a criterion with no score counts as {file.scale.min}, the bottom
          of the scale.
        </p>
      )}
      {groups.length > 0 && (
        <>
          <h2 id="quality-title">Quality by group</h2>
          <QualityByGroupTable groups={groups} options={results.options} />
        </>
      )}
    </Layout>
  )
}

/** Each option's score in each top-level group and its contribution to quality: on the full results and the lead's quality-only view. */
function QualityByGroupTable({ groups, options }: { groups: readonly { name: string }[]; options: AppraisalResults['options'] }) {
  return (
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
          <th scope="col" class="numeric">
            Quality
          </th>
        </tr>
      </thead>
      <tbody>
        {options.map((o) => (
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
  )
}
