import {
  approvalAgainstScoring,
  DISCOUNT_PRESETS,
  OPTIMISM_BIAS_PRESETS,
  OPTIMISM_BIAS_SOURCE,
  planHash,
  rateBands,
  type CriterionNode,
  type OptimismBiasPreset,
  type RateBand,
} from '../../appraisal/index.js'
import { formatDate, formatMoment } from '../../format.js'
import { body, bold, cell, italic, mutedCell, right, strongCell } from '../cells.js'
import type { ReportContext } from '../context.js'
import { splitInWords } from '../summary.js'
import { STYLE, type ReportWriter, type TableRow } from '../writer.js'

function criterionNodes(criteria: readonly CriterionNode[], into = new Map<string, CriterionNode>()): Map<string, CriterionNode> {
  for (const node of criteria) {
    into.set(node.id, node)
    if (node.criteria !== undefined) criterionNodes(node.criteria, into)
  }
  return into
}

function descriptorText(descriptors: Record<string, string> | undefined, labels: Record<string, string> | undefined): string {
  if (descriptors === undefined) return ''
  return Object.entries(descriptors)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([level, text]) => `${level}${labels?.[level] !== undefined ? ` (${labels[level]})` : ''}: ${text}`)
    .join('\n')
}

export function renderCriteria(w: ReportWriter, ctx: ReportContext): void {
  const { f, weights, file } = ctx
  w.paragraph(
    'Weights are relative among the criteria that share a parent: a criterion’s share is its weight divided by the sum of the weights of its scored siblings. ' +
      'Its effective weight is the product of the shares along its path from the top, so the effective weights of all scored criteria add up to 100%. ' +
      'A criterion entered without a weight counts as 1. Gates are pass or fail and carry no weight.',
  )
  const nodes = criterionNodes(file.criteria)
  const rows: TableRow[] = weights.nodes.map((node) => {
    const source = nodes.get(node.id)
    const notes = [source?.guidance ?? '', descriptorText(source?.descriptors, file.scale.labels)].filter((text) => text.trim() !== '')
    const group = node.role === 'group' || node.role === 'unscored-group'
    const name = cell(node.name, {
      ...(group ? { style: STYLE.cellBold } : {}),
      note: notes.join('\n'),
      indent: 10 * node.depth,
    })
    if (node.role === 'gate') return { cells: [name, cell('Gate'), mutedCell('—'), mutedCell('—')] }
    if (node.role === 'unscored-group') return { cells: [name, mutedCell('—'), mutedCell('no scored criteria'), mutedCell('—')] }
    const entered = source?.weight === undefined ? `${f.scaleScore(node.weight)} (default)` : f.scaleScore(node.weight)
    return {
      cells: [name, right(entered), right(f.fraction(node.share, 1)), right(f.fraction(node.effectiveWeight, 2), group ? { style: STYLE.cellBold } : {})],
    }
  })
  w.table(
    [
      { header: 'Criterion', width: 62 },
      { header: 'Weight', width: 10, align: 'right' },
      { header: 'Share of parent', width: 10, align: 'right' },
      { header: 'Effective weight', width: 11, align: 'right' },
    ],
    rows,
    { summary: 'The criteria tree with weights, shares and effective weights' },
  )
  renderWeightingRounds(w, ctx)
}

/** Where applied weights came from: each weighting round applied, who took part and its consistency. */
function renderWeightingRounds(w: ReportWriter, ctx: ReportContext): void {
  for (const round of ctx.results.weighting ?? []) {
    if (round.applied === null || round.group === null) continue
    const where = round.parent === null ? 'at the top level' : `in ${ctx.criterionName(round.parent)}`
    const who = round.participants.filter((p) => p.complete).map((p) => p.name)
    w.paragraph(
      `The weights of the criteria ${where} (${round.items.map((id) => ctx.criterionName(id)).join(', ')}) came from a weighting round, applied on ${ctx.f.date(new Date(round.applied))}: ` +
        `${who.length} ${who.length === 1 ? 'stakeholder' : 'stakeholders'} (${who.join(', ')}) compared every pair on Saaty’s 1–9 scale, and the weights are the principal eigenvector ` +
        `of the element-wise geometric mean of their judgements (the Analytic Hierarchy Process). The group’s consistency ratio is ${round.group.cr.toFixed(3)} ` +
        `(${round.group.consistent ? 'below 0.10, acceptable' : 'at or above 0.10: the judgements contradict each other'}); ` +
        `each person’s: ${round.participants.flatMap((p) => (p.figures === null ? [] : [`${p.name} ${p.figures.cr.toFixed(3)}`])).join(', ')}.`,
    )
  }
}

export function renderGates(w: ReportWriter, ctx: ReportContext): void {
  const gates = ctx.weights.gates
  w.paragraph(
    'A gate is pass or fail, scored 1 (pass) or 0 (fail). An option that fails any gate is not eligible: it gets no price score, total or rank. ' +
      'A gate that has not been scored is not applied, and the option is marked incomplete.',
  )
  if (gates.length === 0) {
    w.paragraph('This evaluation has no gates.')
    return
  }
  const nodes = criterionNodes(ctx.file.criteria)
  w.table(
    [
      { header: 'Gate', width: 30 },
      { header: 'Within', width: 18 },
      { header: 'What passes', width: 52 },
    ],
    gates.map((gate) => ({
      cells: [strongCell(gate.name), cell(gate.parentId === null ? '—' : ctx.criterionName(gate.parentId)), cell(nodes.get(gate.id)?.guidance ?? '—')],
    })),
    { zebra: true, summary: 'Gates' },
  )
}

export function renderScale(w: ReportWriter, ctx: ReportContext): void {
  const { scale } = ctx.file
  w.paragraph([
    body(`Scores run from ${scale.min} to ${scale.max}. Quality (out of 100) is the weighted sum of the scores, each rescaled to 0–100: `),
    italic('quality = 100 × Σ effective weight × (score − minimum) ÷ (maximum − minimum)'),
    body(
      '. A criterion’s score is the panel’s moderated consensus; where no consensus was agreed, the mean of the individual scores; where nobody scored it, the bottom of the scale, and the option is marked incomplete.',
    ),
  ])
  const rows: TableRow[] = []
  for (let level = scale.min; level <= scale.max; level++) {
    const key = String(level)
    rows.push({ cells: [strongCell(key), cell(scale.labels?.[key] ?? '—'), cell(scale.descriptors?.[key] ?? '—')] })
  }
  w.table(
    [
      { header: 'Score', width: 7 },
      { header: 'Label', width: 16 },
      { header: 'What a response must show', width: 77 },
    ],
    rows,
    { zebra: true, summary: 'The scoring scale and its descriptors' },
  )
}

/** How tenders are compared; `plan` for the evaluation plan's document, which has no sensitivity section of its own. */
export function renderSplit(w: ReportWriter, ctx: ReportContext, document: 'report' | 'plan' = 'report'): void {
  const { file } = ctx
  const { quality, cost } = file.split
  w.paragraph(
    'Only tenders take part in the tender evaluation: business as usual and any other option that is not a tender (a do-minimum, say) are appraised in the economic case but get no price score, total or rank. ' +
      'Of the tenders, only those that fail no gate are eligible; equal totals share a rank. ' +
      'Price is the tendered price: the present value of the cost lines that are part of what the supplier charges, discounted but without optimism bias, since a tendered price is the supplier’s and not an estimate to uplift. Non-cash costs such as staff time are never part of it.',
  )
  if (file.priceBasis !== undefined) w.paragraph([bold('What the price covers. '), body(file.priceBasis)])
  if (file.priceFormula === 'relative-to-lowest') {
    w.paragraph([
      body(`The total score weighs quality and price ${quality} : ${cost} (${splitInWords(ctx)}): `),
      italic(`total = (${quality} × quality + ${cost} × price score) ÷ ${quality + cost}`),
      body('.'),
    ])
    w.paragraph([
      bold('Price formula: relative to the lowest. '),
      italic('price score = 100 × lowest tendered price ÷ the tender’s'),
      body(
        ', over the eligible tenders. This common formula is not linear, and adding or removing a tender can change the order of the others; ' +
          (document === 'plan'
            ? 'the evaluation report’s sensitivity analysis checks whether that happens once the tenders are scored.'
            : 'the sensitivity section checks whether that happens in this evaluation.'),
      ),
    ])
  } else {
    w.paragraph([
      bold('Price formula: price per quality point. '),
      italic('price per quality point = tendered price ÷ quality; price score = 100 × lowest price per quality point ÷ the tender’s'),
      body(
        ', over the eligible tenders; a tender with a quality of 0 scores 0. The ratio is the price of one point of quality, so it already weighs quality against price: the total is the price score itself. ' +
          `The quality/price split (${quality} : ${cost}) is not used, because blending the score with quality again would count quality twice and could let a third tender reverse the order of two others.`,
      ),
    ])
  }
}

function bandRows(ctx: ReportContext, bands: readonly RateBand[]): TableRow[] {
  const last = ctx.file.appraisal.years - 1
  const rows: TableRow[] = []
  bands.forEach((band, i) => {
    if (band.fromYear > last) return
    const next = bands[i + 1]
    const to = next === undefined ? last : Math.min(next.fromYear - 1, last)
    rows.push({ cells: [cell(band.fromYear === to ? `${band.fromYear}` : `${band.fromYear} to ${to}`), right(ctx.f.fraction(band.rate, 2))] })
  })
  return rows
}

export function renderDiscounting(w: ReportWriter, ctx: ReportContext): void {
  const { file, f } = ctx
  const discount = file.appraisal.discount
  const formula = 'DF(0) = 1 and DF(t) = DF(t − 1) ÷ (1 + r(t))'
  if (discount === 'none') {
    w.paragraph('Costs and benefits are not discounted: every discount factor is 1.')
  } else {
    const description =
      typeof discount === 'string'
        ? `${DISCOUNT_PRESETS[discount].name}. ${DISCOUNT_PRESETS[discount].source}`
        : 'rate' in discount
          ? `A single discount rate of ${f.fraction(discount.rate, 2)} a year, from year 1.`
          : 'A schedule of discount rates entered for this evaluation.'
    w.paragraph([body(`${description} Year 0 is not discounted; after it, `), italic(formula), body(', where r(t) is the rate in force in year t.')])
    const rows = bandRows(ctx, rateBands(discount))
    if (rows.length > 0) {
      w.table(
        [
          { header: 'Years (from year 0)', width: 30 },
          { header: 'Discount rate', width: 20, align: 'right' },
        ],
        rows,
        { width: 240, summary: 'Discount rates in force over the appraisal period' },
      )
    }
  }
  const bias = file.appraisal.optimismBias
  w.paragraph(
    `Costs are uplifted for optimism bias, the systematic tendency of appraisals to under-estimate cost (HM Treasury supplementary guidance): ` +
      `${f.fraction(bias.capital, 1)} on capital cost lines and ${f.fraction(bias.operating, 1)} on operating cost lines unless a line sets its own. ` +
      'Each cost line’s uplift is listed with the whole-life cost of its option in section 6. Optimism bias is not contingency: it should fall only as specific risks are managed.',
  )
  w.paragraph(optimismBiasStartingPoint(ctx))
  if (bias.note !== undefined) w.paragraph(`Reasons given for these figures: ${bias.note}`)
}

/** The project type the optimism bias starts from, its bounds, and where the figures used stand within them. */
export function optimismBiasStartingPoint(ctx: ReportContext): string {
  const { file, f } = ctx
  const bias = file.appraisal.optimismBias
  if (bias.preset === undefined) {
    return 'No project type of the supplementary guidance was chosen as the starting point: the figures above are the appraisal’s own, without stated bounds.'
  }
  const preset: OptimismBiasPreset = OPTIMISM_BIAS_PRESETS[bias.preset]
  const where = (kind: 'capital' | 'operating') => {
    const bounds = preset[kind]
    const used = f.fraction(bias[kind], 1)
    if (bounds === undefined) return `${used} on ${kind} lines, for which this type gives no figure`
    const range = `bounds ${f.fraction(bounds.lower, 1)} to ${f.fraction(bounds.upper, 1)}`
    if (Math.abs(bias[kind] - bounds.upper) < 1e-9) return `${used} on ${kind} lines, the upper bound (${range})`
    return `${used} on ${kind} lines, reduced from the upper bound of ${f.fraction(bounds.upper, 1)} (${range})`
  }
  const duration =
    preset.duration === undefined
      ? ''
      : ` Its bounds for works duration (${f.fraction(preset.duration.lower, 1)} to ${f.fraction(preset.duration.upper, 1)}) are not applied: the appraisal does not model delay.`
  return (
    `Starting point: ${OPTIMISM_BIAS_SOURCE.name}, project type ${preset.name}. Applied: ${where('capital')}; ${where('operating')}.` +
    `${duration} The guidance says to start from the upper bound and reduce it only as specific risks are managed and evidenced.`
  )
}

export function renderPeriod(w: ReportWriter, ctx: ReportContext): void {
  const { file } = ctx
  const { baseYear, years } = file.appraisal
  const currencyName = new Intl.DisplayNames('en-GB', { type: 'currency' }).of(file.currency) ?? file.currency
  w.paragraph(
    `The appraisal period is ${years} ${years === 1 ? 'year' : 'years'}, from ${baseYear} (year 0) to ${baseYear + years - 1} (year ${years - 1}). ` +
      `All costs and benefits are in real ${baseYear} prices, in ${currencyName} (${file.currency}): general inflation is removed, and a price expected to change faster or slower than inflation is entered as real growth on its line. ` +
      'Any part of a cost or benefit line that falls outside the period is left out, with a warning in section 1.3.',
  )
  w.paragraph(
    'Every figure is computed at full precision and rounded only for display, so a total may differ by one in its last digit from the sum of its rounded parts.',
  )
}

/** When the plan was approved and by whom, its hash, and every change after approval, or that there was none. */
export function renderPlanApproval(w: ReportWriter, ctx: ReportContext): void {
  const { file } = ctx
  const plan = file.plan
  const hash = planHash(file)
  if (plan === undefined) {
    w.paragraph(
      `The evaluation plan (the criteria and weights, scale, gates, split, price formula, panel rules and tie-breaker) has not been approved: it is a draft, and may still change. Its SHA-256 as it stands is ${hash}.`,
    )
  } else {
    const version = 1 + plan.changes.length
    w.paragraph([
      body('The evaluation plan was approved on '),
      bold(formatMoment(plan.approvedAt)),
      body(' by '),
      bold(plan.approvedBy),
      body(`, with the SHA-256 ${plan.hash ?? hash}. `),
      body(
        plan.changes.length === 0
          ? 'There were no changes to the plan after its approval.'
          : `It was changed ${plan.changes.length === 1 ? 'once' : `${plan.changes.length} times`} after approval, as listed below; the plan evaluated is version ${version}, SHA-256 ${hash}.`,
      ),
    ])
    if (plan.changes.length > 0) {
      w.table(
        [
          { header: 'Version', width: 10 },
          { header: 'Date and by whom', width: 25 },
          { header: 'Reason for the change', width: 65 },
        ],
        plan.changes.map((change, i) => ({
          cells: [cell(String(i + 2)), cell(`${formatMoment(change.at)}, ${change.by}`), cell(change.reason, { note: `SHA-256 ${change.hash}` })],
        })),
        { zebra: true, summary: 'Changes to the evaluation plan after its approval' },
      )
    }
    const scoring = approvalAgainstScoring(file)
    if (scoring !== null) {
      const { first } = scoring
      const when = first.dateOnly ? `on ${formatDate(first.at)}` : `on ${formatMoment(first.at)}`
      w.paragraph(
        scoring.approvedFirst
          ? `The plan was approved before scoring began: the first dated step of the panel’s scoring, ${first.what} ${when}, came after its approval.`
          : `The plan was approved after scoring had begun: the first dated step of the panel’s scoring, ${first.what} ${when}, came before its approval, so scores may have been given before the plan was fixed.`,
      )
    }
  }
  if (file.tieBreaker !== undefined) w.paragraph([bold('Tie-breaker. '), body(file.tieBreaker)])
  const decision = file.tieDecision
  if (decision !== undefined) {
    w.paragraph([
      bold('Tie-breaker applied. '),
      body(`On ${formatMoment(decision.at)} ${decision.by} applied it in favour of ${ctx.optionName(decision.option)}: ${decision.reason}`),
    ])
  }
}
