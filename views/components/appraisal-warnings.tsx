import type { EvaluationFile } from '../../src/appraisal/index.js'

/** The line a warning names by its place in the file ("costs[4]"), if any. */
export function warningLine(warning: string): { list: 'costs' | 'benefits'; index: number } | null {
  const match = /^(costs|benefits)\[(\d+)\]:/.exec(warning)
  return match === null ? null : { list: match[1] as 'costs' | 'benefits', index: Number(match[2]) }
}

/** What a warning about a line says of it, with calendar years: "years 2035–2036 fall outside …". */
function lineProblem(warning: string, baseYear: number): string {
  return warning
    .replace(/^[a-z]+\[\d+\]: /, '')
    .replace(/\byears (\d+)\.\.(\d+)/, (_, from: string, to: string) => `years ${baseYear + Number(from)}–${baseYear + Number(to)}`)
    .replace(/\byear (\d+)\b/, (_, year: string) => `year ${baseYear + Number(year)}`)
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** A warning about one line, for beside that line: "Years 2035–2036 fall outside the appraisal period and were dropped". */
export function describeLineWarning(warning: string, file: EvaluationFile): string {
  return capitalise(lineProblem(warning, file.appraisal.baseYear))
}

/**
 * The engine's warnings name things as the file does (`costs[4]`, `"product-a"`, year indexes);
 * on a page they read better with the line's label, the option's name and calendar years.
 */
export function describeWarning(warning: string, file: EvaluationFile): string {
  const names = new Map(file.options.map((o) => [o.id, o.name]))
  let text = warning
  const place = warningLine(warning)
  if (place !== null) {
    const line = file[place.list][place.index]
    const what = place.list === 'costs' ? 'Cost line' : 'Benefit line'
    const owner = line === undefined ? '' : ` of ${names.get(line.option) ?? line.option}`
    return `${what} “${line?.label ?? place.index}”${owner}: ${lineProblem(warning, file.appraisal.baseYear)}`
  }
  text = text.replace(/^appraisal\.discount: /, 'Discount schedule: ')
  text = text.replace(/"([^"]+)"/g, (quoted: string, id: string) => (names.has(id) ? `“${names.get(id)}”` : quoted))
  return capitalise(text)
}

export function AppraisalWarnings({ warnings, file, id = 'warnings' }: { warnings: string[]; file: EvaluationFile; id?: string }) {
  if (warnings.length === 0) return null
  return (
    <div class="notice notice--warning" id={id}>
      <h2 class="notice__title">{warnings.length === 1 ? 'Warning' : 'Warnings'}</h2>
      <ul>
        {warnings.map((w) => (
          <li>{describeWarning(w, file)}</li>
        ))}
      </ul>
    </div>
  )
}
