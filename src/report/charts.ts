// The report's charts, drawn as vector graphics: quality by group for each option (stacked
// bars), cost per year (grouped bars, or lines when there are many options) and, with frontline
// trials, each option's SUS with its interval. Each is a tagged
// figure with alternative text, and each has its figures in a table beside it, so nothing is shown
// only as a picture. The series colours are the web app's (views/components/charts.tsx), so the
// PDF and the results page look alike.

import { SUS_AVERAGE, type OptionResult } from '../appraisal/index.js'
import type { ReportContext } from './context.js'
import type { Line } from './text-layout.js'
import { BODY_HEIGHT, COLOUR, CONTENT_WIDTH, STYLE, type ReportWriter } from './writer.js'

const SERIES = ['#1d70b8', '#f47738', '#00703c', '#912b88', '#28a197', '#b58840', '#d4351c', '#4c2c92', '#85994b', '#505a5f', '#5694ca', '#f499be'] as const
const DASHES: readonly (readonly [number, number] | null)[] = [null, [6, 3], [2, 2], [8, 2]]

export function seriesColour(index: number): string {
  return SERIES[index % SERIES.length]!
}

/** Round steps (1, 2, 2.5 or 5 × 10^k) from 0 to at least `max`. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1]
  const rough = max / count
  const power = 10 ** Math.floor(Math.log10(rough))
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * power >= rough) ?? 10) * power
  const ticks: number[] = []
  for (let tick = 0; tick < max + step * 1e-9; tick += step) ticks.push(tick)
  if ((ticks.at(-1) ?? 0) < max) ticks.push((ticks.at(-1) ?? 0) + step)
  return ticks
}

/** Up to `most` lines, the last cut with an ellipsis when the text needs more. */
function clipLines(writer: ReportWriter, text: string, width: number, most: number): Line[] {
  const lines = writer.lines(text, width, STYLE.chart)
  if (lines.length <= most) return lines
  const kept = lines.slice(0, most - 1)
  const shown = kept.reduce((count, line) => count + line.segments.reduce((n, s) => n + s.text.length, 0), 0)
  let rest = text.slice(shown).trim()
  while (rest.length > 1 && writer.lines(`${rest}…`, width, STYLE.chart).length > 1) rest = rest.slice(0, Math.max(1, Math.floor(rest.length * 0.9))).trimEnd()
  return [...kept, ...writer.lines(`${rest}…`, width, STYLE.chart)]
}

/** A chart laid out and ready to draw: its height is known before it is placed, so what leads into it can stay with it. */
export interface Chart {
  readonly height: number
  /** What the chart shows, in words, for assistive technology. */
  readonly alt: string
  draw(x: number, y: number, width: number): void
}

/**
 * Stacked bars: each option's quality out of 100, split into the contributions of the top-level
 * groups. Options that would not fit on one page go on to a second chart.
 */
export function qualityByGroupCharts(writer: ReportWriter, ctx: ReportContext): Chart[] {
  const charts: Chart[] = []
  let options: OptionResult[] = [...ctx.ranked]
  while (options.length > 0) {
    // Take as many options as fit on a page, at least one.
    let count = options.length
    let chart = qualityChart(writer, ctx, options.slice(0, count))
    while (chart.height > BODY_HEIGHT - 20 && count > 1) {
      count = Math.max(1, Math.floor(count * 0.8))
      chart = qualityChart(writer, ctx, options.slice(0, count))
    }
    charts.push(chart)
    options = options.slice(count)
  }
  return charts
}

function qualityChart(writer: ReportWriter, ctx: ReportContext, options: readonly OptionResult[]): Chart {
  const doc = writer.doc
  const groups = ctx.model.topLevel
  const labelWidth = 150
  const valueWidth = 70
  const legendColumns = 2
  const swatch = 8
  const columnWidth = (CONTENT_WIDTH - 10) / legendColumns
  const legendLines = groups.map((group) => clipLines(writer, `${group.name} (${ctx.f.fraction(group.share, 1)} of quality)`, columnWidth - swatch - 8, 2))
  const legendRows: number[] = []
  for (let i = 0; i < legendLines.length; i += legendColumns) {
    const row = legendLines.slice(i, i + legendColumns)
    legendRows.push(Math.max(...row.map((lines) => lines.reduce((sum, line) => sum + line.height, 0))) + 3)
  }
  const legendHeight = legendRows.reduce((sum, height) => sum + height, 0)
  const labels = options.map((option) => clipLines(writer, option.name, labelWidth - 6, 3))
  const rowHeights = labels.map((lines) => Math.max(18, lines.reduce((sum, line) => sum + line.height, 0) + 4))
  const barsHeight = rowHeights.reduce((sum, height) => sum + height, 0)
  const axisHeight = 24
  const height = legendHeight + 8 + barsHeight + axisHeight

  const alt =
    `Stacked bar chart of quality out of 100 for each option, divided into the contributions of ${groups.length} groups of criteria. ` +
    options.map((option) => `${option.name}: ${ctx.f.score(option.quality)}${option.eligible ? '' : ' (not eligible)'}`).join('; ') +
    '. The table that follows gives every group score.'

  const draw = (x: number, y: number, figureWidth: number): void => {
    // Legend
    let top = y
    for (let i = 0; i < legendLines.length; i += legendColumns) {
      for (let j = 0; j < legendColumns && i + j < legendLines.length; j++) {
        const left = x + j * (columnWidth + 10)
        doc
          .save()
          .rect(left, top + 1.5, swatch, swatch)
          .fill(seriesColour(i + j))
          .restore()
        writer.figureText(legendLines[i + j]!, left + swatch + 5, top, columnWidth - swatch - 8)
      }
      top += legendRows[i / legendColumns]!
    }
    top += 8
    const barLeft = x + labelWidth
    const barWidth = figureWidth - labelWidth - valueWidth
    const barsTop = top
    // Grid
    for (let tick = 0; tick <= 100; tick += 20) {
      const gx = barLeft + (tick / 100) * barWidth
      doc
        .save()
        .moveTo(gx, barsTop)
        .lineTo(gx, barsTop + barsHeight)
        .lineWidth(0.3)
        .stroke(COLOUR.rule)
        .restore()
      const label = writer.lines(String(tick), 30, STYLE.chartMuted)[0]!
      writer.drawLine(label, gx - 15, barsTop + barsHeight + 4, 30, 'center')
    }
    const axisLabel = writer.lines('Quality (out of 100)', barWidth, STYLE.chartMuted)[0]!
    writer.drawLine(axisLabel, barLeft, barsTop + barsHeight + 14, barWidth, 'center')
    // Bars
    options.forEach((option, o) => {
      const rowHeight = rowHeights[o]!
      const labelLines = labels[o]!
      const labelHeight = labelLines.reduce((sum, line) => sum + line.height, 0)
      writer.figureText(labelLines, x, top + (rowHeight - labelHeight) / 2, labelWidth - 6, 'right')
      const barTop = top + rowHeight / 2 - 5
      let left = barLeft
      option.groups.forEach((group, g) => {
        const segment = (group.contribution / 100) * barWidth
        if (segment <= 0) return
        doc
          .save()
          .rect(left, barTop, segment, 10)
          .fill(option.eligible ? seriesColour(g) : '#b1b4b6')
          .restore()
        doc
          .save()
          .moveTo(left + segment, barTop)
          .lineTo(left + segment, barTop + 10)
          .lineWidth(0.6)
          .stroke('#ffffff')
          .restore()
        left += segment
      })
      const value = writer.lines(
        option.eligible ? ctx.f.score(option.quality) : `${ctx.f.score(option.quality)} (not eligible)`,
        valueWidth - 6,
        option.eligible ? STYLE.chart : STYLE.chartMuted,
      )
      writer.figureText(value.slice(0, 1), left + 4, top + rowHeight / 2 - 5, valueWidth - 6)
      top += rowHeight
    })
    doc
      .save()
      .moveTo(barLeft, barsTop)
      .lineTo(barLeft, barsTop + barsHeight)
      .lineWidth(0.8)
      .stroke(COLOUR.ink)
      .restore()
  }
  return { height, alt, draw }
}

/** Cost per year of each option: grouped bars for a few options, lines for many. */
export function costPerYearChart(writer: ReportWriter, ctx: ReportContext): Chart | null {
  const doc = writer.doc
  const options: readonly OptionResult[] = ctx.results.options
  const years = options[0]?.years ?? []
  if (years.length === 0) return null
  const max = Math.max(0, ...options.flatMap((option) => option.years.map((year) => year.cost)))
  const ticks = niceTicks(max)
  const top = ticks.at(-1) ?? 1
  const asLines = options.length > 6 || years.length > 20
  const columnWidth = (CONTENT_WIDTH - 10) / 2
  const legendLines = options.map((option) => clipLines(writer, option.name, columnWidth - 22, 2))
  const legendRows: number[] = []
  for (let i = 0; i < legendLines.length; i += 2) {
    legendRows.push(Math.max(...legendLines.slice(i, i + 2).map((lines) => lines.reduce((sum, line) => sum + line.height, 0))) + 3)
  }
  const legendHeight = legendRows.reduce((sum, height) => sum + height, 0)
  // A legend of very many options leaves no room for the plot: the tables carry the figures.
  const plotHeight = Math.min(190, BODY_HEIGHT - 20 - legendHeight - 40)
  if (plotHeight < 120) return null
  const height = legendHeight + 10 + plotHeight + 30
  const axisFormat = new Intl.NumberFormat('en-GB', {
    style: 'currency',
    currency: ctx.file.currency,
    notation: 'compact',
    minimumFractionDigits: 0,
    maximumFractionDigits: 1,
  })
  const alt =
    `${asLines ? 'Line' : 'Bar'} chart of the cost of each option in each year from ${years[0]!.calendarYear} to ${years.at(-1)!.calendarYear}, ` +
    `in real ${ctx.file.appraisal.baseYear} prices including optimism bias, before discounting, on a scale from 0 to ${axisFormat.format(top)}. ` +
    'The year-by-year figures are in the tables for each option.'

  const draw = (x: number, y: number, figureWidth: number): void => {
    let cursor = y
    for (let i = 0; i < legendLines.length; i += 2) {
      for (let j = 0; j < 2 && i + j < legendLines.length; j++) {
        const left = x + j * (columnWidth + 10)
        const colour = seriesColour(i + j)
        if (asLines) {
          const dash = DASHES[Math.floor((i + j) / SERIES.length) % DASHES.length] ?? null
          doc
            .save()
            .moveTo(left, cursor + 5.5)
            .lineTo(left + 14, cursor + 5.5)
            .lineWidth(1.6)
          if (dash !== null) doc.dash(dash[0], { space: dash[1] })
          doc.stroke(colour).restore()
        } else {
          doc
            .save()
            .rect(left + 3, cursor + 1.5, 8, 8)
            .fill(colour)
            .restore()
        }
        writer.figureText(legendLines[i + j]!, left + 20, cursor, columnWidth - 22)
      }
      cursor += legendRows[i / 2]!
    }
    cursor += 10
    const axisWidth = 52
    const plotLeft = x + axisWidth
    const plotWidth = figureWidth - axisWidth - 4
    const plotBottom = cursor + plotHeight
    const yOf = (value: number): number => plotBottom - (value / top) * plotHeight
    for (const tick of ticks) {
      const gy = yOf(tick)
      doc
        .save()
        .moveTo(plotLeft, gy)
        .lineTo(plotLeft + plotWidth, gy)
        .lineWidth(0.3)
        .stroke(COLOUR.rule)
        .restore()
      const label = writer.lines(axisFormat.format(tick), axisWidth - 6, STYLE.chartMuted)[0]!
      writer.drawLine(label, x, gy - label.height / 2, axisWidth - 6, 'right')
    }
    const slot = plotWidth / years.length
    const every = Math.max(1, Math.ceil(years.length / 15))
    years.forEach((year, t) => {
      if (t % every !== 0) return
      const label = writer.lines(String(year.calendarYear), slot * every, STYLE.chartMuted)[0]!
      writer.drawLine(label, plotLeft + t * slot + slot / 2 - 20, plotBottom + 4, 40, 'center')
    })
    const axisLabel = writer.lines(`Cost per year, real ${ctx.file.appraisal.baseYear} prices, undiscounted`, plotWidth, STYLE.chartMuted)[0]!
    writer.drawLine(axisLabel, plotLeft, plotBottom + 16, plotWidth, 'center')
    if (asLines) {
      options.forEach((option, o) => {
        const colour = seriesColour(o)
        const dash = DASHES[Math.floor(o / SERIES.length) % DASHES.length] ?? null
        doc.save().lineWidth(1.4).lineJoin('round')
        option.years.forEach((year, t) => {
          const px = plotLeft + t * slot + slot / 2
          if (t === 0) doc.moveTo(px, yOf(year.cost))
          else doc.lineTo(px, yOf(year.cost))
        })
        if (dash !== null) doc.dash(dash[0], { space: dash[1] })
        doc.stroke(colour).restore()
      })
    } else {
      const barWidth = Math.min(14, (slot * 0.8) / options.length)
      years.forEach((_, t) => {
        const groupLeft = plotLeft + t * slot + (slot - barWidth * options.length) / 2
        options.forEach((option, o) => {
          const cost = option.years[t]?.cost ?? 0
          if (cost <= 0) return
          const barTop = yOf(cost)
          doc
            .save()
            .rect(groupLeft + o * barWidth, barTop, barWidth - 0.6, plotBottom - barTop)
            .fill(seriesColour(o))
            .restore()
        })
      })
    }
    doc
      .save()
      .moveTo(plotLeft, plotBottom)
      .lineTo(plotLeft + plotWidth, plotBottom)
      .lineWidth(0.8)
      .stroke(COLOUR.ink)
      .restore()
  }
  return { height, alt, draw }
}

/**
 * Frontline trials: each tried option's mean SUS as a dot with its 95% interval as a bar, on 0–100,
 * with the commonly cited average marked. Null when no option has a questionnaire answered.
 */
export function susChart(writer: ReportWriter, ctx: ReportContext): Chart | null {
  const doc = writer.doc
  const options = ctx.results.options.filter((option) => option.trial?.sus != null)
  if (options.length === 0) return null
  const labelWidth = 150
  const valueWidth = 70
  const labels = options.map((option) => clipLines(writer, option.name, labelWidth - 6, 2))
  const rowHeights = labels.map((lines) => Math.max(20, lines.reduce((sum, line) => sum + line.height, 0) + 6))
  const barsHeight = rowHeights.reduce((sum, height) => sum + height, 0)
  const height = 12 + barsHeight + 26
  if (height > BODY_HEIGHT - 20) return null
  const round = (value: number) => String(Math.round(value))
  const interval = (sus: NonNullable<NonNullable<OptionResult['trial']>['sus']>) =>
    sus.low === null || sus.high === null ? `${round(sus.mean)} (one questionnaire)` : `${round(sus.mean)} (${round(sus.low)}–${round(sus.high)})`
  const alt =
    `Chart of each option’s mean System Usability Scale score, 0 to 100, with its 95% confidence interval, beside the commonly cited average of ${SUS_AVERAGE}. ` +
    options.map((option) => `${option.name}: ${interval(option.trial!.sus!)}`).join('; ') +
    '. The table that follows gives the same figures.'

  const draw = (x: number, y: number, figureWidth: number): void => {
    const plotLeft = x + labelWidth
    const plotWidth = figureWidth - labelWidth - valueWidth
    const xOf = (value: number) => plotLeft + (value / 100) * plotWidth
    const plotTop = y + 12
    const plotBottom = plotTop + barsHeight
    for (let tick = 0; tick <= 100; tick += 20) {
      doc.save().moveTo(xOf(tick), plotTop).lineTo(xOf(tick), plotBottom).lineWidth(0.3).stroke(COLOUR.rule).restore()
      const label = writer.lines(String(tick), 30, STYLE.chartMuted)[0]!
      writer.drawLine(label, xOf(tick) - 15, plotBottom + 4, 30, 'center')
    }
    doc
      .save()
      .moveTo(xOf(SUS_AVERAGE), plotTop - 4)
      .lineTo(xOf(SUS_AVERAGE), plotBottom)
      .lineWidth(0.8)
      .dash(3, { space: 2 })
      .stroke(COLOUR.ink)
      .restore()
    const average = writer.lines(`average ${SUS_AVERAGE}`, 60, STYLE.chartMuted)[0]!
    writer.drawLine(average, xOf(SUS_AVERAGE) + 3, y, 60)
    const axisLabel = writer.lines('System Usability Scale score (0–100), mean with its 95% interval', plotWidth, STYLE.chartMuted)[0]!
    writer.drawLine(axisLabel, plotLeft, plotBottom + 14, plotWidth, 'center')
    let top = plotTop
    options.forEach((option, o) => {
      const sus = option.trial!.sus!
      const rowHeight = rowHeights[o]!
      const labelLines = labels[o]!
      const labelHeight = labelLines.reduce((sum, line) => sum + line.height, 0)
      writer.figureText(labelLines, x, top + (rowHeight - labelHeight) / 2, labelWidth - 6, 'right')
      const cy = top + rowHeight / 2
      if (sus.low !== null && sus.high !== null) {
        doc.save().lineWidth(1.6)
        doc.moveTo(xOf(sus.low), cy).lineTo(xOf(sus.high), cy)
        for (const end of [sus.low, sus.high]) doc.moveTo(xOf(end), cy - 4).lineTo(xOf(end), cy + 4)
        doc.stroke(seriesColour(0)).restore()
      }
      doc.save().circle(xOf(sus.mean), cy, 3.5).fill(seriesColour(0)).restore()
      const value = writer.lines(interval(sus), valueWidth - 6, STYLE.chart)
      writer.figureText(value.slice(0, 1), plotLeft + plotWidth + 6, cy - 5, valueWidth - 6)
      top += rowHeight
    })
    doc.save().moveTo(plotLeft, plotTop).lineTo(plotLeft, plotBottom).lineWidth(0.8).stroke(COLOUR.ink).restore()
  }
  return { height, alt, draw }
}
