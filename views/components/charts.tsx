import type { Child } from 'hono/jsx'

// Server-rendered SVG charts: stacked bars, grouped bars and lines. Each chart is an image with a
// title and a description for assistive technology, followed by the same figures as a table in a
// <details>, so nothing is shown only as a picture. The caller formats the figures (the charts
// know no currency) and writes the description, which should say what the chart shows in words.
// Colours are presentation attributes: the content security policy allows no inline styles. Series
// differ by more than colour: lines by dash and marker, bars by order and a white edge.

const ink = { text: '#0b0c0c', secondary: '#505a5f', grid: '#d8d8d8', axis: '#0b0c0c', edge: '#ffffff' } as const

/** Distinct on white and in greyscale order; from the GOV.UK palette. */
export const seriesColours = [
  '#1d70b8',
  '#f47738',
  '#00703c',
  '#912b88',
  '#28a197',
  '#b58840',
  '#d4351c',
  '#4c2c92',
  '#85994b',
  '#505a5f',
  '#5694ca',
  '#f499be',
] as const

const DASHES = [undefined, '8 4', '2 4', '12 4 3 4', '4 2', '16 4'] as const

export function colourOf(index: number): string {
  return seriesColours[index % seriesColours.length]!
}

const WIDTH = 1040
const FONT = 14

/** SVG text does not wrap: long names are cut here, and the table below the chart has them whole. */
export function fit(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1).trimEnd()}…`
}

/** Up to `maxLines` lines of at most `maxChars`, broken between words; the last is cut if need be. */
export function wrapLabel(text: string, maxChars: number, maxLines: number): string[] {
  const lines: string[] = []
  let rest = text.trim()
  while (rest !== '' && lines.length < maxLines - 1 && rest.length > maxChars) {
    const cut = rest.lastIndexOf(' ', maxChars)
    if (cut <= 0) break
    lines.push(rest.slice(0, cut))
    rest = rest.slice(cut + 1).trimStart()
  }
  if (rest !== '') lines.push(fit(rest, maxChars))
  return lines
}

/** A category's name (wrapped) and note, right-aligned before the plot and centred on `middle`. */
function CategoryLabel(props: { x: number; middle: number; label: string; note?: string | undefined }) {
  const lines = wrapLabel(props.label, 34, 2)
  const count = lines.length + (props.note === undefined ? 0 : 1)
  const first = props.middle + 5 - ((count - 1) * 15) / 2
  return (
    <g>
      {lines.map((line, i) => (
        <text x={props.x} y={first + i * 15} text-anchor="end" fill={ink.text}>
          {line}
        </text>
      ))}
      {props.note !== undefined && (
        <text x={props.x} y={first + lines.length * 15} text-anchor="end" fill={ink.secondary} font-size={12}>
          {fit(props.note, 40)}
        </text>
      )}
    </g>
  )
}

function labelLines(category: { label: string; note?: string | undefined }): number {
  return wrapLabel(category.label, 34, 2).length + (category.note === undefined ? 0 : 1)
}

/** Round steps (1, 2, 2.5 or 5 × 10^k) from `min` (at most 0) to at least `max`. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  const low = Math.min(0, min)
  const high = Math.max(max, 0)
  // Nothing to show (every value 0): an axis from 0 to 1 rather than steps of nothing.
  if (high - low < 1e-9) return [low, low + 1]
  const rough = (high - low) / count
  const power = 10 ** Math.floor(Math.log10(rough))
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * power >= rough) ?? 10) * power
  const first = Math.floor(low / step)
  const last = Math.ceil(high / step)
  const ticks: number[] = []
  for (let i = first; i <= last; i++) ticks.push(i * step)
  return ticks
}

export interface ChartTable {
  /** What the first column lists, such as "Option" or "Year". */
  rowHeader: string
  columns: string[]
  rows: { label: string; cells: string[] }[]
}

/** A chart's image: an SVG that assistive technology reads as one image, by its title and description. */
export function ChartSvg(props: { id: string; title: string; description: string; height: number; children?: Child }) {
  return (
    <svg
      class="chart"
      id={props.id}
      viewBox={`0 0 ${WIDTH} ${props.height}`}
      width={WIDTH}
      height={props.height}
      role="img"
      aria-labelledby={`${props.id}-title ${props.id}-desc`}
      font-family="Arial, sans-serif"
      font-size={FONT}>
      <title id={`${props.id}-title`}>{props.title}</title>
      <desc id={`${props.id}-desc`}>{props.description}</desc>
      {props.children}
    </svg>
  )
}

/** The image, then its figures as a table behind a disclosure. */
function Figure(props: { id: string; title: string; description: string; height: number; table: ChartTable; children?: Child }) {
  return (
    <figure class="chart-figure" id={`${props.id}-figure`}>
      <ChartSvg id={props.id} title={props.title} description={props.description} height={props.height}>
        {props.children}
      </ChartSvg>
      <details class="data">
        <summary>The figures in this chart as a table</summary>
        <table class="table">
          <caption class="visually-hidden">{props.title}</caption>
          <thead>
            <tr>
              <th scope="col">{props.table.rowHeader}</th>
              {props.table.columns.map((column) => (
                <th scope="col" class="numeric">
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.table.rows.map((row) => (
              <tr>
                <th scope="row">{row.label}</th>
                {row.cells.map((cell) => (
                  <td class="numeric">{cell}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  )
}

/** A key of swatches laid out in rows across the chart's width; returns its height too. */
function legendLayout(names: string[], top: number, left: number): { items: { name: string; x: number; y: number; index: number }[]; height: number } {
  const items: { name: string; x: number; y: number; index: number }[] = []
  let x = left
  let y = top
  for (const [index, name] of names.entries()) {
    const label = fit(name, 60)
    const width = 30 + label.length * 7.4 + 24
    if (x + width > WIDTH - 10 && x > left) {
      x = left
      y += 24
    }
    items.push({ name: label, x, y, index })
    x += width
  }
  return { items, height: names.length === 0 ? 0 : y - top + 24 }
}

function Legend(props: { names: string[]; top: number; left: number; marker: 'box' | 'line' }) {
  const { items } = legendLayout(props.names, props.top, props.left)
  return (
    <g class="chart-legend">
      {items.map((item) =>
        props.marker === 'box' ? (
          <rect x={item.x} y={item.y - 11} width={22} height={14} fill={colourOf(item.index)} />
        ) : (
          <g>
            <line
              x1={item.x}
              x2={item.x + 26}
              y1={item.y - 4}
              y2={item.y - 4}
              stroke={colourOf(item.index)}
              stroke-width={3}
              stroke-dasharray={DASHES[item.index % DASHES.length]}
            />
            <Marker index={item.index} x={item.x + 13} y={item.y - 4} />
          </g>
        ),
      )}
      {items.map((item) => (
        <text x={item.x + (props.marker === 'box' ? 28 : 32)} y={item.y} fill={ink.text} font-size={13}>
          {item.name}
        </text>
      ))}
    </g>
  )
}

/** Marker shapes by series, so lines can be told apart without colour. */
function Marker({ index, x, y }: { index: number; x: number; y: number }) {
  const fill = colourOf(index)
  switch (index % 4) {
    case 0:
      return <circle cx={x} cy={y} r={4.5} fill={fill} stroke={ink.edge} stroke-width={1} />
    case 1:
      return <rect x={x - 4} y={y - 4} width={8} height={8} fill={fill} stroke={ink.edge} stroke-width={1} />
    case 2:
      return <path d={`M ${x} ${y - 5.5} L ${x + 5} ${y + 4} L ${x - 5} ${y + 4} Z`} fill={fill} stroke={ink.edge} stroke-width={1} />
    default:
      return <path d={`M ${x} ${y - 5.5} L ${x + 5.5} ${y} L ${x} ${y + 5.5} L ${x - 5.5} ${y} Z`} fill={fill} stroke={ink.edge} stroke-width={1} />
  }
}

/** Vertical gridlines with tick labels under a horizontal axis. */
function HorizontalAxis(props: {
  ticks: number[]
  x: (value: number) => number
  top: number
  bottom: number
  format: (value: number) => string
  caption: string
}) {
  const middle = (props.x(props.ticks[0] ?? 0) + props.x(props.ticks.at(-1) ?? 0)) / 2
  return (
    <g>
      {props.ticks.map((tick) => (
        <g>
          <line x1={props.x(tick)} x2={props.x(tick)} y1={props.top} y2={props.bottom} stroke={tick === 0 ? ink.axis : ink.grid} stroke-width={1} />
          <text x={props.x(tick)} y={props.bottom + 18} text-anchor="middle" fill={ink.secondary} font-size={12}>
            {props.format(tick)}
          </text>
        </g>
      ))}
      <text x={middle} y={props.bottom + 38} text-anchor="middle" fill={ink.secondary} font-size={13}>
        {props.caption}
      </text>
    </g>
  )
}

// ---------------------------------------------------------------------------------------------
// Stacked horizontal bars: each bar is a category, split into segments that add up

/** What every chart is given: its names, how its figures are written, its axis and its table's first column. */
interface ChartProps {
  id: string
  title: string
  description: string
  format: (value: number) => string
  /** Figures in the table, when they should be fuller than on the picture (defaults to `format`). */
  tableFormat?: (value: number) => string
  axisCaption: string
  /** The first column of the data table, such as "Year". */
  rowHeader: string
}

export interface StackedBarChartProps extends ChartProps {
  /** One bar per category, top to bottom. */
  categories: { label: string; note?: string | undefined }[]
  /** One segment per part, drawn left to right in this order; values by category. */
  segments: { name: string; values: number[] }[]
  /** The axis runs from 0 to this. */
  max: number
  /** Labels of the axis ticks (defaults to `format`). */
  axisFormat?: (value: number) => string
  /** Written at the end of each bar, such as its total. */
  totals?: string[]
  totalHeader?: string
}

export function StackedBarChart(props: StackedBarChartProps) {
  const labelRight = 260
  const plotLeft = labelRight + 12
  const plotRight = WIDTH - 70
  const rowHeight = Math.max(40, ...props.categories.map((c) => labelLines(c) * 15 + 12))
  const top = 12
  const bottom = top + props.categories.length * rowHeight
  const ticks = niceTicks(0, props.max)
  const scaleMax = ticks.at(-1) ?? props.max
  const x = (value: number) => plotLeft + (value / scaleMax) * (plotRight - plotLeft)
  const legendTop = bottom + 68
  const legend = legendLayout(
    props.segments.map((s) => s.name),
    legendTop,
    plotLeft,
  )
  const height = legendTop + legend.height + 4
  const table: ChartTable = {
    rowHeader: props.rowHeader,
    columns: [...props.segments.map((s) => s.name), ...(props.totals !== undefined ? [props.totalHeader ?? 'Total'] : [])],
    rows: props.categories.map((category, c) => ({
      label: category.note === undefined ? category.label : `${category.label} (${category.note})`,
      cells: [
        ...props.segments.map((s) => (props.tableFormat ?? props.format)(s.values[c] ?? 0)),
        ...(props.totals !== undefined ? [props.totals[c] ?? ''] : []),
      ],
    })),
  }
  return (
    <Figure id={props.id} title={props.title} description={props.description} height={height} table={table}>
      <HorizontalAxis ticks={ticks} x={x} top={top - 4} bottom={bottom} format={props.axisFormat ?? props.format} caption={props.axisCaption} />
      {props.categories.map((category, c) => {
        const middle = top + c * rowHeight + rowHeight / 2
        let start = 0
        return (
          <g>
            <CategoryLabel x={labelRight} middle={middle} label={category.label} note={category.note} />
            {props.segments.map((segment, s) => {
              const value = Math.max(segment.values[c] ?? 0, 0)
              const left = x(start)
              start += value
              return value <= 0 ? null : (
                <rect x={left} y={middle - 12} width={Math.max(x(start) - left, 0)} height={24} fill={colourOf(s)} stroke={ink.edge} stroke-width={1} />
              )
            })}
            {props.totals !== undefined && (
              <text x={x(start) + 6} y={middle + 5} fill={ink.text} font-weight="bold">
                {props.totals[c]}
              </text>
            )}
          </g>
        )
      })}
      <Legend names={props.segments.map((s) => s.name)} top={legendTop} left={plotLeft} marker="box" />
    </Figure>
  )
}

// ---------------------------------------------------------------------------------------------
// Grouped horizontal bars: for each category, one bar per series

export interface GroupedBarChartProps extends ChartProps {
  categories: { label: string; note?: string | undefined }[]
  series: { name: string; values: number[] }[]
}

export function GroupedBarChart(props: GroupedBarChartProps) {
  const labelRight = 260
  const plotLeft = labelRight + 12
  const plotRight = WIDTH - 110
  const barHeight = 18
  const groupHeight = Math.max(props.series.length * (barHeight + 4) + 18, ...props.categories.map((c) => labelLines(c) * 15 + 16))
  const top = 12
  const bottom = top + props.categories.length * groupHeight
  const { ticks, scaleMin, scaleMax } = seriesScale(props.series)
  const x = (value: number) => plotLeft + ((value - scaleMin) / (scaleMax - scaleMin)) * (plotRight - plotLeft)
  const legendTop = bottom + 68
  const legend = legendLayout(
    props.series.map((s) => s.name),
    legendTop,
    plotLeft,
  )
  const height = legendTop + legend.height + 4
  const table = seriesTable(
    props,
    props.categories.map((category) => (category.note === undefined ? category.label : `${category.label} (${category.note})`)),
  )
  return (
    <Figure id={props.id} title={props.title} description={props.description} height={height} table={table}>
      <HorizontalAxis ticks={ticks} x={x} top={top - 4} bottom={bottom} format={props.format} caption={props.axisCaption} />
      {props.categories.map((category, c) => {
        const groupTop = top + c * groupHeight + 9
        const middle = groupTop + (groupHeight - 18) / 2
        return (
          <g>
            <CategoryLabel x={labelRight} middle={middle} label={category.label} note={category.note} />
            {props.series.map((series, s) => {
              const value = series.values[c] ?? 0
              const y = groupTop + s * (barHeight + 4)
              const from = x(Math.min(0, value))
              const to = x(Math.max(0, value))
              return (
                <g>
                  <rect x={from} y={y} width={Math.max(to - from, value === 0 ? 0 : 1)} height={barHeight} fill={colourOf(s)} />
                  <text x={to + 6} y={y + barHeight - 4} fill={ink.text} font-size={12}>
                    {props.format(value)}
                  </text>
                </g>
              )
            })}
          </g>
        )
      })}
      <Legend names={props.series.map((s) => s.name)} top={legendTop} left={plotLeft} marker="box" />
    </Figure>
  )
}

/** The value axis of a chart of series: nice ticks over the values' range, which always takes in 0. */
function seriesScale(series: { values: number[] }[]): { ticks: number[]; scaleMin: number; scaleMax: number } {
  const all = series.flatMap((s) => s.values)
  const ticks = niceTicks(Math.min(0, ...all), Math.max(0, ...all))
  return { ticks, scaleMin: ticks[0] ?? 0, scaleMax: ticks.at(-1) ?? 1 }
}

/** A chart of series as a table: a row for each label, a column for each series. */
function seriesTable(props: ChartProps & { series: { name: string; values: number[] }[] }, labels: string[]): ChartTable {
  return {
    rowHeader: props.rowHeader,
    columns: props.series.map((s) => s.name),
    rows: labels.map((label, i) => ({ label, cells: props.series.map((s) => (props.tableFormat ?? props.format)(s.values[i] ?? 0)) })),
  }
}

// ---------------------------------------------------------------------------------------------
// Lines over a sequence (such as years): one line per series

export interface LineChartProps extends ChartProps {
  /** Labels of the points along the horizontal axis, such as calendar years. */
  points: string[]
  series: { name: string; values: number[] }[]
}

export function LineChart(props: LineChartProps) {
  const plotLeft = 90
  const plotRight = WIDTH - 30
  const top = 16
  const plotHeight = 300
  const bottom = top + plotHeight
  const { ticks, scaleMin, scaleMax } = seriesScale(props.series)
  const y = (value: number) => bottom - ((value - scaleMin) / (scaleMax - scaleMin)) * plotHeight
  const count = props.points.length
  const x = (i: number) => (count <= 1 ? (plotLeft + plotRight) / 2 : plotLeft + 20 + (i / (count - 1)) * (plotRight - plotLeft - 40))
  // Label every point while they fit, else every few.
  const every = Math.max(1, Math.ceil(count / 20))
  const legendTop = bottom + 62
  const legend = legendLayout(
    props.series.map((s) => s.name),
    legendTop,
    plotLeft,
  )
  const height = legendTop + legend.height + 4
  const table = seriesTable(props, props.points)
  return (
    <Figure id={props.id} title={props.title} description={props.description} height={height} table={table}>
      {ticks.map((tick) => (
        <g>
          <line x1={plotLeft} x2={plotRight} y1={y(tick)} y2={y(tick)} stroke={tick === 0 ? ink.axis : ink.grid} stroke-width={1} />
          <text x={plotLeft - 8} y={y(tick) + 4} text-anchor="end" fill={ink.secondary} font-size={12}>
            {props.format(tick)}
          </text>
        </g>
      ))}
      {props.points.map((point, i) =>
        i % every === 0 ? (
          <text x={x(i)} y={bottom + 20} text-anchor="middle" fill={ink.secondary} font-size={12}>
            {point}
          </text>
        ) : null,
      )}
      <text x={(plotLeft + plotRight) / 2} y={bottom + 40} text-anchor="middle" fill={ink.secondary} font-size={13}>
        {props.axisCaption}
      </text>
      {props.series.map((series, s) => (
        <g>
          <polyline
            points={series.values.map((value, i) => `${x(i).toFixed(1)},${y(value).toFixed(1)}`).join(' ')}
            fill="none"
            stroke={colourOf(s)}
            stroke-width={2.5}
            stroke-linejoin="round"
            stroke-dasharray={DASHES[s % DASHES.length]}
          />
          {series.values.map((value, i) => (
            <Marker index={s} x={x(i)} y={y(value)} />
          ))}
        </g>
      ))}
      <Legend names={props.series.map((s) => s.name)} top={legendTop} left={plotLeft} marker="line" />
    </Figure>
  )
}
