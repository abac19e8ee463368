// The executive summary in plain sentences, written from the engine's figures: the recommendation
// and why, and the points a decision-maker must not miss (failed gates, incomplete scoring,
// missing declarations of interest, the calculation's own warnings).

import type { GroupResult, OptionResult } from '../appraisal/index.js'
import type { ReportContext } from './context.js'
import type { Run } from './text-layout.js'
import { STYLE } from './writer.js'
import { possessive } from '../format.js'

const text = (value: string): Run => ({ text: value, style: STYLE.body })
const strong = (value: string): Run => ({ text: value, style: STYLE.bodyBold })

/** "A", "A and B", "A, B and C". */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`
}

function plural(count: number, one: string, many: string): string {
  return count === 1 ? one : many
}

/** The quality/cost split in words: "quality 60%, cost 40%". */
export function splitInWords(ctx: ReportContext): string {
  if (ctx.file.priceFormula === 'price-per-quality-point') return 'price per quality point: the split is not used'
  const { quality, cost } = ctx.file.split
  const sum = quality + cost
  return `quality ${ctx.f.fraction(quality / sum, 1)}, cost ${ctx.f.fraction(cost / sum, 1)}`
}

/** The paragraphs that say what is recommended and why. */
export function recommendation(ctx: ReportContext): Run[][] {
  const { f, preferred, runnerUp } = ctx
  if (preferred === null) return noPreference(ctx)
  const paragraphs: Run[][] = []
  const eligibleCount = ctx.ranked.filter((option) => option.rank !== null).length

  const first: Run[] = [strong('The tender evaluation. '), strong(preferred.name), text(' is the preferred tender. ')]
  if (runnerUp !== null && runnerUp.total !== null && preferred.total !== null) {
    first.push(
      text(
        `It ranks first of ${eligibleCount} eligible tenders with a total score of ${f.score(preferred.total)} out of 100 ` +
          `(${splitInWords(ctx)}), ${f.score(preferred.total - runnerUp.total)} points ahead of ${runnerUp.name} (${f.score(runnerUp.total)}).`,
      ),
    )
  } else if (preferred.total !== null) {
    first.push(text(`It is the only eligible tender, with a total score of ${f.score(preferred.total)} out of 100 (${splitInWords(ctx)}).`))
  }
  paragraphs.push(first)

  if (runnerUp !== null) paragraphs.push([text(qualityComparison(ctx, preferred, runnerUp))])
  paragraphs.push([text(costComparison(ctx, preferred, runnerUp))])
  const robustness = robustnessSentence(ctx, preferred)
  if (robustness !== null) paragraphs.push([text(robustness)])
  paragraphs.push(economicCase(ctx))
  const value = valueForMoney(ctx, preferred)
  if (value !== null) paragraphs.push([text(value)])
  return paragraphs
}

/** The economic case in a paragraph: the option of highest NPSV, and how much of the case is cash. */
export function economicCase(ctx: ReportContext): Run[] {
  const { f, results, baseline } = ctx
  const against = baseline === null ? '' : ` against business as usual (${baseline.name})`
  const runs: Run[] = [strong('The economic case. ')]
  const highest = results.options.find((option) => option.id === results.highestNpsv)
  if (highest === undefined) {
    const top = Math.max(...results.options.map((option) => option.npsv))
    const level = results.options.filter((option) => option.npsv >= top - 0.01).map((option) => option.name)
    runs.push(text(`No single option has the highest net present social value${against}: ${listOf(level)} are level at ${f.moneyShort(top)}.`))
  } else {
    runs.push(text(`Of every option appraised${against}, ${highest.name} has the highest net present social value, ${f.moneyShort(highest.npsv)}`))
    runs.push(
      text(
        highest.baseline
          ? ': no option improves on keeping things as they are.'
          : highest.npsv - highest.cashNpsv === 0
            ? ', all of it cash.'
            : `, of which ${f.moneyShort(highest.cashNpsv)} is cash.`,
      ),
    )
  }
  const preferred = ctx.preferred
  if (preferred !== null && preferred.id !== results.highestNpsv) {
    runs.push(
      strong(` The preferred tender is not the option of highest NPSV: `),
      text(
        `${possessive(preferred.name)} NPSV is ${f.moneyShort(preferred.npsv)}${highest === undefined ? '' : `, ${f.moneyShort(highest.npsv - preferred.npsv)} less than ${possessive(highest.name)}`}. The decision must weigh what its higher score buys against that difference.`,
      ),
    )
  }
  if (preferred !== null && preferred.npsv > 0 && preferred.cashNpsv < 0) {
    runs.push(
      text(
        ` ${possessive(preferred.name)} case rests on non-cash benefits: in cash alone it costs ${f.moneyShort(-preferred.cashNpsv)} more than business as usual, and the non-cash benefits, such as staff time released, are worth ${f.moneyShort(preferred.npsv - preferred.cashNpsv)}.`,
      ),
    )
  }
  return runs
}

function noPreference(ctx: ReportContext): Run[][] {
  const { f } = ctx
  const first = ctx.ranked.filter((option) => option.rank === 1)
  if (first.length === 0) {
    const reason = ctx.results.options.some((option) => option.tender)
      ? 'Every tender fails at least one gate, so none is eligible to be ranked. The gates and their outcomes are in the tender evaluation.'
      : 'No option is a tender, so none is ranked.'
    return [[strong('No tender is preferred. '), text(reason)], economicCase(ctx)]
  }
  const total = first[0]?.total
  return [
    [
      strong('No single tender is preferred. '),
      text(
        `${listOf(first.map((option) => option.name))} tie for first place` +
          (total === null || total === undefined ? '.' : ` with a total score of ${f.score(total)} out of 100 (${splitInWords(ctx)}).`) +
          ' A tie-breaker, disclosed before scoring, or a further round of moderation is needed before a recommendation can be made.',
      ),
    ],
    economicCase(ctx),
  ]
}

/** Where the preferred option wins and loses against the runner-up, group by group. */
function qualityComparison(ctx: ReportContext, preferred: OptionResult, other: OptionResult): string {
  const { f } = ctx
  const pairs = preferred.groups
    .map((group, i) => ({ group, theirs: other.groups[i] }))
    .filter(
      (pair): pair is { group: GroupResult & { score: number }; theirs: GroupResult & { score: number } } =>
        pair.group.score !== null && pair.theirs?.score !== null && pair.theirs !== undefined,
    )
  const describe = (pair: (typeof pairs)[number]): string => `${pair.group.name} (${f.score(pair.group.score)} against ${f.score(pair.theirs.score)})`
  // Compared as shown, so that "higher" never sits beside two equal figures.
  const higher = pairs.filter((pair) => f.score(pair.group.score) !== f.score(pair.theirs.score) && pair.group.score > pair.theirs.score)
  const lower = pairs.filter((pair) => f.score(pair.group.score) !== f.score(pair.theirs.score) && pair.group.score < pair.theirs.score)
  let sentence = `On quality it scores ${f.score(preferred.quality)} out of 100 against ${f.score(other.quality)} for ${other.name}.`
  if (pairs.length <= 1) return sentence
  if (higher.length > 0 && lower.length > 0) {
    sentence += ` It scores higher on ${listOf(higher.map(describe))}, and lower on ${listOf(lower.map(describe))}.`
  } else if (higher.length > 0) {
    sentence += ` It scores higher on ${listOf(higher.map(describe))}, and lower on none.`
  } else if (lower.length > 0) {
    sentence += ` It scores lower on ${listOf(lower.map(describe))}, and higher on none: its lead comes from cost.`
  } else {
    sentence += ' Their scores are level in every group.'
  }
  return sentence
}

function costComparison(ctx: ReportContext, preferred: OptionResult, other: OptionResult | null): string {
  const { f, file } = ctx
  const years = file.appraisal.years
  let sentence = `Its whole-life cost over the ${years}-year appraisal period has a present value of ${f.moneyShort(preferred.pvCost)} (equivalent to ${f.moneyShort(preferred.eac)} a year)`
  if (other !== null) {
    const difference = preferred.pvCost - other.pvCost
    sentence +=
      f.moneyShort(Math.abs(difference)) === f.moneyShort(0)
        ? `, the same as ${other.name}`
        : `, ${f.moneyShort(Math.abs(difference))} ${difference < 0 ? 'less' : 'more'} than ${other.name} (${f.moneyShort(other.pvCost)})`
  }
  if (file.split.cost === 0) return `${sentence}. Cost carries no weight in the ranking, which rests on quality alone.`
  return preferred.priceScore === null ? `${sentence}.` : `${sentence}; its price score is ${f.score(preferred.priceScore)} out of 100.`
}

function valueForMoney(ctx: ReportContext, preferred: OptionResult): string | null {
  const { f, baseline } = ctx
  const npsv = preferred.npsv < 0 ? `${f.moneyShort(preferred.npsv)} (a net cost)` : f.moneyShort(preferred.npsv)
  if (baseline === null) {
    const bcr = preferred.bcr === null ? 'no benefit–cost ratio (it has no cost)' : `a benefit–cost ratio of ${f.ratio(preferred.bcr)}`
    return `No baseline is set, so its net present social value is its own benefits less its costs: ${npsv}, with ${bcr}.`
  }
  if (baseline === preferred) {
    return 'The preferred option is the baseline itself: keeping the current arrangement scores best on these criteria and costs.'
  }
  const bcr =
    preferred.bcr === null
      ? `; a benefit–cost ratio is not defined, because its present value of cost is no higher than the baseline's`
      : ` and its benefit–cost ratio is ${f.ratio(preferred.bcr)} (context for the decision, not a pass mark)`
  return `Against the baseline, ${baseline.name}, its net present social value is ${npsv}${bcr}.`
}

function robustnessSentence(ctx: ReportContext, preferred: OptionResult): string | null {
  const { f, sensitivity } = ctx
  if (sensitivity === undefined) return 'Sensitivity was not computed for this report.'
  if ('computed' in sensitivity) return null
  const parts: string[] = []
  const cost = sensitivity.costs.find((entry) => entry.id === preferred.id)
  if (cost !== undefined) {
    parts.push(
      cost.switchesAt === null
        ? 'No rise in its costs, up to ten times their present value, would change the recommendation'
        : `The recommendation would change if its costs rose by ${f.percent(cost.switchesAt)} or more`,
    )
  }
  let nearest: (typeof sensitivity.weights)[number] | null = null
  for (const entry of sensitivity.weights) {
    if (entry.switchesAt === null) continue
    if (nearest === null || Math.abs(entry.switchesAt - entry.current) < Math.abs((nearest.switchesAt ?? 0) - nearest.current)) nearest = entry
  }
  if (nearest !== null && nearest.switchesAt !== null) {
    const what = nearest.id === 'split' ? 'the quality share of the quality/cost split' : `the weight of ${ctx.criterionName(nearest.id)}`
    const then = nearest.newPreferred === null ? '' : ` (${ctx.optionName(nearest.newPreferred)} would then be preferred)`
    parts.push(
      `${parts.length > 0 ? 'or if' : 'The recommendation would change if'} ${what} moved from ${f.percent(nearest.current)} to ${f.percent(nearest.switchesAt)}${then}`,
    )
  } else {
    parts.push(`${parts.length > 0 ? 'and no' : 'No'} single change of a group weight or of the quality/cost split would change it`)
  }
  let sentence = `${parts.join(', ')}.`
  const probability = sensitivity.monteCarlo.probabilityFirst[preferred.id]
  if (probability !== undefined) {
    sentence += ` In ${f.count(sensitivity.monteCarlo.iterations)} Monte Carlo runs, with scores drawn from the panel's individual scores and costs from their ranges, it came first in ${f.fraction(probability, 1)} of runs.`
  }
  return sentence
}

/** Bullet points for what a decision-maker must see: nothing here is left to the detail. */
export function pointsToNote(ctx: ReportContext): string[] {
  const { f, file, model, results } = ctx
  const points: string[] = []
  for (const option of results.options) {
    if (option.failedGates.length === 0) continue
    const names = option.failedGates.map((id) => ctx.criterionName(id))
    points.push(
      `${option.name} failed ${option.failedGates.length === 1 ? 'a gate' : `${option.failedGates.length} gates`} (${listOf(names)}). ` +
        (option.tender
          ? 'It is not eligible and is not ranked; its scores and costs are reported for the record.'
          : `It is not a tender, so it is never ranked; it is appraised all the same${option.baseline ? ', as the baseline every option is measured against' : ''}.`),
    )
  }
  const leaves = model.leafIds.length
  const gates = model.gateIds.length
  results.options.forEach((option, o) => {
    if (option.complete) return
    const parts: string[] = []
    const missingLeaves = model.missingLeaves[o] ?? 0
    const missingGates = model.missingGates[o] ?? 0
    if (missingLeaves > 0) {
      parts.push(
        `${missingLeaves} of ${leaves} scored ${plural(leaves, 'criterion', 'criteria')} ${plural(missingLeaves, 'has', 'have')} no score and ${plural(missingLeaves, 'counts', 'count')} as ${f.scaleScore(file.scale.min)}, the bottom of the scale`,
      )
    }
    if (missingGates > 0) {
      parts.push(
        `${missingGates} of ${gates} ${plural(gates, 'gate', 'gates')} ${plural(missingGates, 'has', 'have')} no score and ${plural(missingGates, 'was', 'were')} not applied`,
      )
    }
    points.push(`Scoring of ${option.name} is incomplete: ${parts.join('; ')}. Its figures will change when scoring is finished.`)
  })

  const withoutConsensus = countWithoutConsensus(ctx)
  if (withoutConsensus > 0) {
    points.push(
      `For ${f.count(withoutConsensus)} ${plural(withoutConsensus, 'score', 'scores')} of a criterion for an option there is no moderated consensus, so the mean of the panel's individual scores was used. Averaging is not moderation: agree a consensus before the report is final.`,
    )
  }

  const undeclared = file.evaluators.filter((evaluator) => evaluator.declaration === undefined)
  if (undeclared.length > 0) {
    points.push(
      undeclared.length === file.evaluators.length
        ? `No declaration of interest is recorded for any of the ${file.evaluators.length} panel ${plural(file.evaluators.length, 'member', 'members')}.`
        : `No declaration of interest is recorded for ${listOf(undeclared.map((evaluator) => evaluator.name))}.`,
    )
  }
  for (const evaluator of file.evaluators) {
    const declaration = evaluator.declaration
    if (declaration?.interest !== true) continue
    if (declaration.decision === undefined) points.push(`${evaluator.name} declared an interest, and no decision on it is recorded.`)
    else if (declaration.decision === 'remove' && file.scores.some((score) => score.evaluator === evaluator.id)) {
      points.push(`${evaluator.name} was removed from the panel after declaring an interest, but their individual scores are still in the evaluation.`)
    }
  }

  for (const option of results.options) {
    if (option.sunkCost > 0) {
      points.push(
        `Sunk costs of ${f.moneyShort(option.sunkCost)} already spent on ${option.name} are excluded from the appraisal: they are the same whichever option is chosen.`,
      )
    }
  }
  if (file.benefits.length === 0) {
    points.push('No benefits are valued in money, so net present social values reflect costs only; the quality scores carry the benefits.')
  }
  for (const warning of results.warnings) {
    if (/^option ".*" is incomplete:/.test(warning)) continue
    points.push(`The calculation reported: ${warning}.`)
  }
  return points
}

/** Resolved scores that rest on the mean of individual scores because no consensus was agreed. */
export function countWithoutConsensus(ctx: ReportContext): number {
  let count = 0
  for (const table of [ctx.model.leafScores, ctx.model.gateScores]) {
    const cells = table.consensus.length
    for (let cell = 0; cell < cells; cell++) {
      const agreed = table.consensus[cell]!
      if (!Number.isNaN(agreed)) continue
      if ((table.individualStart[cell + 1] ?? 0) > (table.individualStart[cell] ?? 0)) count++
    }
  }
  return count
}
