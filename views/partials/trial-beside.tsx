import { SUS_AVERAGE, type TrialResult } from '../../src/appraisal/index.js'
import { formatNumber, formatPercent } from '../../src/format.js'

/**
 * An option's frontline trial figures beside the criteria the lead linked them to, on the scoring
 * page: one line (SUS with its interval, participants), the tasks folded beneath it (completion with
 * its interval, and the median time of those who completed it).
 */
export function TrialBeside(props: { result: TrialResult; tasks: { key: string; name: string }[]; criterion: string }) {
  const { result } = props
  const sus = result.sus
  const round = (v: number) => formatNumber(v, 0)
  const susWords =
    sus === null
      ? 'no questionnaire yet'
      : sus.low === null || sus.high === null
        ? `SUS ${round(sus.mean)} (one questionnaire)`
        : `SUS ${round(sus.mean)} (95% CI ${round(sus.low)}–${round(sus.high)})`
  const name = new Map(props.tasks.map((t) => [t.key, t.name]))
  return (
    <details class="trial-beside">
      <summary>
        Frontline trial: {susWords}, {result.participants} {result.participants === 1 ? 'participant' : 'participants'}
      </summary>
      <p class="hint">
        Shown beside “{props.criterion}” by the lead. SUS runs 0–100; {SUS_AVERAGE} is the commonly cited average. Task completion with its 95% interval, and
        the median time of those who completed it:
      </p>
      <ul class="list">
        {result.tasks.map((t) => (
          <li>
            {name.get(t.task) ?? t.task}:{' '}
            {t.rate === null
              ? 'not tried'
              : `${formatPercent(t.rate, 0)} (${formatPercent(t.low ?? 0, 0)}–${formatPercent(t.high ?? 0, 0)}), ${t.completions} of ${t.attempts}` +
                (t.medianSeconds === null ? '' : `, median ${round(t.medianSeconds)} s`)}
          </li>
        ))}
      </ul>
    </details>
  )
}
