// The switching value of each cost and benefit line, in words, largest risks first: one wording for
// the sensitivity page and the report. The figures are the engine's (`sensitivity.lines`).

import type { AppraisalResults, EvaluationFile, LineSwitch } from './appraisal/index.js'
import { formatPercent, possessive } from './format.js'

export interface LineRisk {
  readonly line: LineSwitch
  readonly label: string
  readonly optionName: string
  readonly sentence: string
}

/**
 * Every line with its sentence, sorted so the smallest change that brings an option's NPSV to zero
 * comes first (the largest risk). Risks are the lines of options whose NPSV is positive or zero (a
 * cost that can rise, a benefit that can fall, before the case is lost); they come before the
 * lines of options already below zero, which say instead how far a line must move to break even;
 * lines that no change in range can move to zero come last.
 */
export function lineRisks(file: EvaluationFile, results: AppraisalResults, lines: readonly LineSwitch[]): LineRisk[] {
  const optionName = (id: string) => results.options.find((o) => o.id === id)?.name ?? id
  const risks = lines.map((line) => {
    const label = (line.kind === 'cost' ? file.costs[line.index]?.label : file.benefits[line.index]?.label) ?? `${line.kind} ${line.index + 1}`
    const name = optionName(line.option)
    return { line, label, optionName: name, sentence: lineSentence(line, label, name) }
  })
  const isRisk = ({ line }: LineRisk) =>
    line.switchesAt !== null && (line.switchesAt === 0 || (line.kind === 'cost' ? line.switchesAt > 0 : line.switchesAt < 0))
  const size = (risk: LineRisk) => (risk.line.switchesAt === null ? Infinity : Math.abs(risk.line.switchesAt))
  return risks.sort((a, b) => Number(isRisk(b)) - Number(isRisk(a)) || size(a) - size(b))
}

function lineSentence(line: LineSwitch, label: string, option: string): string {
  const at = line.switchesAt
  const npsv = `${possessive(option)} NPSV`
  if (at === null) {
    return line.pv === 0
      ? `${label} (${option}) is worth nothing in present value, so it cannot move ${npsv}.`
      : `No change in ${label} alone, from −100% to +1,000%, brings ${npsv} to zero.`
  }
  const by = formatPercent(Math.abs(at) / 100)
  if (at === 0) return `${npsv} is already zero: any ${line.kind === 'cost' ? 'rise in' : 'fall in'} ${label} makes it negative.`
  // A cost that can rise, or a benefit that can fall: the headroom before the case is lost.
  if (line.kind === 'cost') {
    return at > 0 ? `${label} could rise by ${by} before ${npsv} reaches zero.` : `${label} would have to fall by ${by} for ${npsv} to reach zero.`
  }
  return at < 0 ? `${label} could fall by ${by} before ${npsv} reaches zero.` : `${label} would have to rise by ${by} for ${npsv} to reach zero.`
}
