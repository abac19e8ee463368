import { SUS_STATEMENTS, type CriterionNode } from '../../appraisal/index.js'
import { cell, right, strongCell } from '../cells.js'
import { susChart } from '../charts.js'
import type { ReportContext } from '../context.js'
import type { ReportWriter, TableRow } from '../writer.js'

/** A criterion's name by its id, anywhere in the tree; the id when not found. */
function criterionName(nodes: readonly CriterionNode[], id: string): string {
  for (const node of nodes) {
    if (node.id === id) return node.name
    const inner = node.criteria === undefined ? undefined : criterionName(node.criteria, id)
    if (inner !== undefined && inner !== id) return inner
  }
  return id
}

/** The frontline trials: each option's SUS with its interval, the tasks, the comments by role, and the wording used. */
export function renderTrials(w: ReportWriter, ctx: ReportContext): void {
  const trials = ctx.file.trials
  if (trials === undefined) return
  const tried = ctx.results.options.filter((o) => o.trial !== undefined && o.trial.participants > 0)
  w.paragraph(
    'People who will use the system tried the options. A facilitator recorded each task’s outcome; each participant answered the ten-statement System Usability Scale (SUS) ' +
      'questionnaire, scored 0–100 (68 is the commonly cited average). Intervals are 95%: Student’s t for the mean SUS, Wilson’s score interval for task completion.',
  )
  w.bullets(tried.map((o) => `${o.trial!.summary}.`))
  const chart = susChart(w, ctx)
  if (chart !== null) w.figure(chart.height, chart.alt, chart.draw)
  const linked = (trials.criteria ?? []).map((id) => criterionName(ctx.file.criteria, id))
  w.paragraph(
    linked.length === 0
      ? 'The lead did not link these figures to any criterion.'
      : `The lead linked these figures to ${linked.map((name) => `“${name}”`).join(', ')}: evaluators saw them beside ${linked.length === 1 ? 'that criterion' : 'those criteria'} as they scored.`,
  )
  const rows: TableRow[] = tried.map((o) => {
    const t = o.trial!
    const sus =
      t.sus === null
        ? '—'
        : `${Math.round(t.sus.mean)}${t.sus.low === null || t.sus.high === null ? '' : ` (${Math.round(t.sus.low)}–${Math.round(t.sus.high)})`}`
    const tasks = t.tasks
      .map((task) => {
        const name = trials.tasks.find((x) => x.id === task.task)?.name ?? task.task
        if (task.rate === null) return `${name}: not tried`
        const seconds = task.medianSeconds === null ? '' : `, median ${Math.round(task.medianSeconds)} s`
        return `${name}: ${Math.round(task.rate * 100)}% (${Math.round((task.low ?? 0) * 100)}–${Math.round((task.high ?? 0) * 100)}%)${seconds}`
      })
      .join('\n')
    return { cells: [strongCell(o.name), right(String(t.participants)), right(sus), cell(tasks)] }
  })
  w.table(
    [
      { header: 'Option', width: 28 },
      { header: 'Participants', width: 12, align: 'right' },
      { header: 'SUS (95% CI)', width: 14, align: 'right' },
      { header: 'Tasks completed (95% CI)', width: 46 },
    ],
    rows,
    { zebra: true, summary: 'Frontline trial figures by option' },
  )
  const comments = trials.sessions.filter((s) => s.comment !== undefined && s.comment.trim() !== '')
  if (comments.length > 0) {
    w.paragraph('What participants said, attributed to their role, never their name:')
    w.bullets(comments.map((s) => `${s.role}, trying ${ctx.optionName(s.option)}: “${s.comment!.trim()}”`))
  }
  const wordings = new Map<string, number>()
  for (const session of trials.sessions) {
    if (session.sus === null) continue
    const key = JSON.stringify(session.statements ?? SUS_STATEMENTS)
    wordings.set(key, (wordings.get(key) ?? 0) + 1)
  }
  for (const [key, count] of wordings) {
    w.paragraph(
      `The questionnaire’s wording, as answered in ${count} ${count === 1 ? 'questionnaire' : 'questionnaires'} (odd statements positive, even negative):`,
    )
    w.bullets((JSON.parse(key) as string[]).map((statement, i) => `${i + 1}. ${statement}`))
  }
}
