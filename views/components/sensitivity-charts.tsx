import { formatCount, formatMoneyShort, formatPercent, possessive } from '../../src/format.js'
import { ChartSvg, fit } from './charts.js'

// Server-rendered SVG charts for the sensitivity page. Each is an image with a title and a
// description for assistive technology; the page puts the same figures in a table beside it.
// Colours are presentation attributes (the content security policy allows no inline styles).

const colour = {
  text: '#0b0c0c',
  secondary: '#505a5f',
  grid: '#d8d8d8',
  track: '#f3f2f1',
  border: '#b1b4b6',
  blue: '#1d70b8',
  lightBlue: '#d2e2f1',
  green: '#00703c',
  lightGreen: '#cce2d8',
  red: '#d4351c',
  orange: '#f47738',
} as const

const LABEL_RIGHT = 300

/** Percent (0..100) with one decimal: 17.9%. */
export function formatShare(percent: number): string {
  return formatPercent(percent / 100)
}

function signed(value: number): string {
  const magnitude = formatCount(Math.abs(value))
  return value > 0 ? `+${magnitude}` : value < 0 ? `−${magnitude}` : '0'
}

function RowLabel(props: { y: number; label: string; note?: string }) {
  return (
    <>
      <text x={LABEL_RIGHT - 10} y={props.note === undefined ? props.y + 5 : props.y - 2} text-anchor="end" fill={colour.text}>
        {fit(props.label, 40)}
      </text>
      {props.note !== undefined && (
        <text x={LABEL_RIGHT - 10} y={props.y + 14} text-anchor="end" fill={colour.secondary} font-size={12}>
          {props.note}
        </text>
      )}
    </>
  )
}

/** A horizontal axis: gridlines and tick labels for each value, from a scale `x`. */
function Axis(props: { ticks: number[]; x: (value: number) => number; top: number; bottom: number; label: (value: number) => string; caption: string }) {
  const middle = (props.x(props.ticks[0] ?? 0) + props.x(props.ticks.at(-1) ?? 0)) / 2
  return (
    <g>
      <text x={middle} y={16} text-anchor="middle" fill={colour.secondary} font-size={13}>
        {props.caption}
      </text>
      {props.ticks.map((tick) => (
        <>
          <line x1={props.x(tick)} x2={props.x(tick)} y1={props.top} y2={props.bottom} stroke={colour.grid} stroke-width={1} />
          <text x={props.x(tick)} y={props.bottom + 18} text-anchor="middle" fill={colour.secondary} font-size={12}>
            {props.label(tick)}
          </text>
        </>
      ))}
    </g>
  )
}

// ---------------------------------------------------------------------------------------------
// Weights: a tornado of switching values

export interface WeightSwitchRow {
  label: string
  /** The label inside a sentence ("the quality share of the split"). */
  inSentence: string
  /** Today's share, percent. */
  current: number
  /** The share at which the preferred option stops being first, percent; null when none in 0..100. */
  switchesAt: number | null
  /** The name of the option first beyond the switching value. */
  takesOver: string | null
  /** The entry holds all the weight, so its share cannot move. */
  fixed: boolean
}

/** Rows with the least room first: the most fragile weights at the top. */
export function orderBySwitchDistance(rows: WeightSwitchRow[]): WeightSwitchRow[] {
  const distance = (row: WeightSwitchRow) => (row.fixed ? Infinity : row.switchesAt === null ? 1e6 : Math.abs(row.switchesAt - row.current))
  return [...rows].sort((a, b) => distance(a) - distance(b))
}

export function describeWeightSwitch(row: WeightSwitchRow, preferredName: string): string {
  if (row.fixed) return `${row.label} holds all of the weight at its level, so its share cannot move.`
  if (row.switchesAt === null) return `${row.label}: ${formatShare(row.current)} today; no share from 0% to 100% changes the preferred option.`
  const direction = row.switchesAt < row.current ? 'falls' : 'rises'
  return `${row.label}: ${formatShare(row.current)} today; if it ${direction} to ${formatShare(row.switchesAt)}, ${row.takesOver ?? 'another option'} draws level with or overtakes ${preferredName}.`
}

export function WeightSwitchChart(props: { id: string; rows: WeightSwitchRow[]; preferredName: string }) {
  const rows = orderBySwitchDistance(props.rows)
  const rowHeight = 48
  const top = 34
  const plotLeft = LABEL_RIGHT + 10
  const plotRight = 730
  const bottom = top + rows.length * rowHeight
  const x = (change: number) => plotLeft + ((change + 100) / 200) * (plotRight - plotLeft)
  const description =
    `How far each weight can move from today's share before ${props.preferredName} stops being the preferred option, ` +
    `the least room first. ${rows.map((row) => describeWeightSwitch(row, props.preferredName)).join(' ')}`
  return (
    <ChartSvg
      id={props.id}
      title={`Switching values of the weights: how far each can move before ${props.preferredName} stops being preferred`}
      description={description}
      height={bottom + 30}>
      <Axis ticks={[-100, -50, 0, 50, 100]} x={x} top={top - 6} bottom={bottom} label={signed} caption="Change from today’s share (percentage points)" />
      {rows.map((row, i) => {
        const middle = top + i * rowHeight + rowHeight / 2
        const trackLeft = x(-row.current)
        const trackRight = x(100 - row.current)
        if (row.fixed) {
          return (
            <g>
              <RowLabel y={middle} label={row.label} note={`${formatShare(row.current)} today`} />
              <text x={plotRight + 15} y={middle + 5} fill={colour.secondary}>
                Holds all the weight: cannot move
              </text>
            </g>
          )
        }
        const safe = row.switchesAt === null
        const end = safe ? 0 : x((row.switchesAt as number) - row.current)
        return (
          <g>
            <RowLabel y={middle} label={row.label} note={`${formatShare(row.current)} today`} />
            <rect
              x={trackLeft}
              y={middle - 9}
              width={Math.max(trackRight - trackLeft, 1)}
              height={18}
              fill={safe ? colour.lightGreen : colour.track}
              stroke={colour.border}
              stroke-width={1}
            />
            {!safe && (
              <>
                <rect x={Math.min(x(0), end)} y={middle - 9} width={Math.max(Math.abs(end - x(0)), 2)} height={18} fill={colour.blue} />
                <line x1={end} x2={end} y1={middle - 14} y2={middle + 14} stroke={colour.red} stroke-width={3} />
              </>
            )}
            {safe ? (
              <text x={plotRight + 15} y={middle + 5} fill={colour.secondary}>
                No change from 0% to 100%
              </text>
            ) : (
              <>
                <text x={plotRight + 15} y={middle - 3} fill={colour.text} font-weight="bold">
                  {`Switches at ${formatShare(row.switchesAt as number)}`}
                </text>
                <text x={plotRight + 15} y={middle + 14} fill={colour.secondary} font-size={12}>
                  {fit(`to ${row.takesOver ?? 'another option'}`, 50)}
                </text>
              </>
            )}
          </g>
        )
      })}
      <line x1={x(0)} x2={x(0)} y1={top - 6} y2={bottom} stroke={colour.text} stroke-width={2} />
    </ChartSvg>
  )
}

// ---------------------------------------------------------------------------------------------
// Costs: the preferred option's headroom and the cut each other option needs

export interface CostSwitchRow {
  label: string
  preferred: boolean
  /** Preferred: the % rise at which it stops being preferred; others: the % fall at which one becomes preferred. */
  switchesAt: number | null
}

/** The largest rise the engine searches for the preferred option (percent). */
const MAX_RISE = 1000

export function CostSwitchChart(props: { id: string; rows: CostSwitchRow[]; preferredName: string }) {
  const { rows } = props
  const rise = rows.find((row) => row.preferred)?.switchesAt ?? 0
  const right = Math.min(MAX_RISE, Math.max(100, Math.ceil(rise / 50) * 50))
  const rowHeight = 40
  const top = 34
  const plotLeft = LABEL_RIGHT + 10
  const plotRight = 800
  const bottom = top + rows.length * rowHeight
  const x = (change: number) => plotLeft + ((change + 100) / (right + 100)) * (plotRight - plotLeft)
  const step = right > 400 ? 250 : right > 200 ? 100 : 50
  const ticks = [-100, -50, 0]
  for (let t = step; t <= right; t += step) ticks.push(t)
  const sentence = (row: CostSwitchRow) =>
    row.preferred
      ? row.switchesAt === null
        ? `${row.label}: stays preferred even if its whole-life cost rises by ${MAX_RISE}%.`
        : `${row.label}: stops being preferred if its whole-life cost rises by ${formatShare(row.switchesAt)}.`
      : row.switchesAt === null
        ? `${row.label}: no cut of its whole-life cost makes it preferred.`
        : `${row.label}: becomes preferred, or ties, if its whole-life cost falls by ${formatShare(row.switchesAt)}.`
  return (
    <ChartSvg
      id={props.id}
      title={`Cost switching values: how much ${possessive(props.preferredName)} cost can rise, and how much each other option’s must fall`}
      description={`Change in present value of cost, in percent, at which the preferred option changes. ${rows.map(sentence).join(' ')}`}
      height={bottom + 30}>
      <Axis ticks={ticks} x={x} top={top - 6} bottom={bottom} label={(t) => `${signed(t)}%`} caption="Change in whole-life cost (present value), percent" />
      {rows.map((row, i) => {
        const middle = top + i * rowHeight + rowHeight / 2
        const change = row.switchesAt === null ? null : row.preferred ? row.switchesAt : -row.switchesAt
        const end = change === null ? x(0) : x(change)
        return (
          <g>
            <RowLabel y={middle} label={row.label} note={row.preferred ? 'preferred' : undefined} />
            {change !== null && (
              <rect
                x={Math.min(x(0), end)}
                y={middle - 9}
                width={Math.max(Math.abs(end - x(0)), 2)}
                height={18}
                fill={row.preferred ? colour.blue : colour.orange}
              />
            )}
            <text x={plotRight + 15} y={middle + 5} fill={colour.text}>
              {change === null
                ? row.preferred
                  ? `more than +${MAX_RISE}%`
                  : 'no cut is enough'
                : row.preferred
                  ? `can rise ${formatShare(row.switchesAt as number)}`
                  : `must fall ${formatShare(row.switchesAt as number)}`}
            </text>
          </g>
        )
      })}
      <line x1={x(0)} x2={x(0)} y1={top - 6} y2={bottom} stroke={colour.text} stroke-width={2} />
    </ChartSvg>
  )
}

// ---------------------------------------------------------------------------------------------
// Monte Carlo: probability of ranking first, and the spread of present value of cost

export function ProbabilityChart(props: { id: string; rows: { label: string; probability: number }[]; iterations: number }) {
  const rowHeight = 36
  const top = 34
  const plotLeft = LABEL_RIGHT + 10
  const plotRight = 900
  const bottom = top + props.rows.length * rowHeight
  const x = (fraction: number) => plotLeft + fraction * (plotRight - plotLeft)
  return (
    <ChartSvg
      id={props.id}
      title="Probability of ranking first"
      description={`Share of ${formatCount(props.iterations)} simulated appraisals in which each option ranked first. ${props.rows
        .map((row) => `${row.label}: ${formatPercent(row.probability)}.`)
        .join(' ')}`}
      height={bottom + 30}>
      <Axis ticks={[0, 0.25, 0.5, 0.75, 1]} x={x} top={top - 6} bottom={bottom} label={(t) => formatPercent(t, 0)} caption="Probability of ranking first" />
      {props.rows.map((row, i) => {
        const middle = top + i * rowHeight + rowHeight / 2
        return (
          <g>
            <RowLabel y={middle} label={row.label} />
            <rect x={plotLeft} y={middle - 10} width={Math.max(x(row.probability) - plotLeft, row.probability > 0 ? 2 : 0)} height={20} fill={colour.blue} />
            <text x={x(row.probability) + 8} y={middle + 5} fill={colour.text}>
              {formatPercent(row.probability)}
            </text>
          </g>
        )
      })}
      <line x1={plotLeft} x2={plotLeft} y1={top - 6} y2={bottom} stroke={colour.text} stroke-width={1} />
    </ChartSvg>
  )
}

export interface CostRangeRow {
  label: string
  /** The central estimate, with no uncertainty. */
  central: number
  p10: number
  p50: number
  p90: number
}

/** Round numbers for a money axis covering `low` to `high` (a range chart needs no zero). */
function moneyTicks(low: number, high: number): number[] {
  if (!(high > low)) {
    // Every figure the same: a little room either side.
    const pad = Math.max(Math.abs(high) * 0.1, 1)
    return moneyTicks(low - pad, high + pad)
  }
  const rough = (high - low) / 4
  const magnitude = 10 ** Math.floor(Math.log10(rough))
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? rough
  const first = low >= 0 ? Math.max(0, Math.floor(low / step) * step) : Math.floor(low / step) * step
  const ticks = [first]
  for (let i = 1; (ticks.at(-1) as number) < high; i++) ticks.push(first + i * step)
  return ticks
}

export function CostRangeChart(props: { id: string; rows: CostRangeRow[]; currency: string }) {
  const rowHeight = 36
  const top = 34
  const plotLeft = LABEL_RIGHT + 10
  const plotRight = 1000
  const bottom = top + props.rows.length * rowHeight
  const ticks = moneyTicks(
    Math.min(...props.rows.map((row) => Math.min(row.p10, row.central))),
    Math.max(...props.rows.map((row) => Math.max(row.p90, row.central))),
  )
  const scaleMin = ticks[0] ?? 0
  const scaleMax = ticks.at(-1) ?? 1
  const x = (amount: number) => plotLeft + ((amount - scaleMin) / (scaleMax - scaleMin)) * (plotRight - plotLeft)
  const money = (amount: number) => formatMoneyShort(amount, props.currency)
  return (
    <ChartSvg
      id={props.id}
      title="Present value of cost: the range from the simulation"
      description={`For each option, the bar runs from the 10th to the 90th percentile of its present value of cost in the simulation, the dark line marks the median and the circle the central estimate. ${props.rows
        .map((row) => `${row.label}: P10 ${money(row.p10)}, median ${money(row.p50)}, P90 ${money(row.p90)}, central estimate ${money(row.central)}.`)
        .join(' ')}`}
      height={bottom + 30}>
      <Axis ticks={ticks} x={x} top={top - 6} bottom={bottom} label={money} caption="Present value of cost" />
      {props.rows.map((row, i) => {
        const middle = top + i * rowHeight + rowHeight / 2
        const left = x(row.p10)
        return (
          <g>
            <RowLabel y={middle} label={row.label} />
            <rect
              x={left - 1}
              y={middle - 8}
              width={Math.max(x(row.p90) - left, 0) + 2}
              height={16}
              fill={colour.lightBlue}
              stroke={colour.blue}
              stroke-width={1}
            />
            <line x1={x(row.p50)} x2={x(row.p50)} y1={middle - 12} y2={middle + 12} stroke={colour.text} stroke-width={3} />
            <circle cx={x(row.central)} cy={middle} r={5} fill="#ffffff" stroke={colour.text} stroke-width={2} />
          </g>
        )
      })}
    </ChartSvg>
  )
}
