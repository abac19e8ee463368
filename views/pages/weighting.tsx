import { ACCEPTABLE_CR, type ItemWeights, type RoundResult } from '../../src/appraisal/index.js'
import { runsRounds } from '../../src/auth/access.js'
import { useMay, useViewer } from '../../src/auth/viewer.js'
import type { RoundWithParticipants } from '../../src/db/weighting.js'
import { pairField, roundName } from '../../src/db/weighting.js'
import type { Criterion, Evaluation } from '../../src/db/schema.js'
import { formatDateTime, formatNumber, formatPercent } from '../../src/format.js'
import { GroupedBarChart } from '../components/charts.js'
import { ErrorMessage, ErrorSummary, fieldId, Select, TextField, type FieldErrors, type FormValues } from '../components/form.js'
import { Layout } from '../layout.js'

function crumbs(evaluation: Evaluation, round = false) {
  const base = [
    { href: '/evaluations', label: 'Evaluations' },
    { href: `/evaluations/${evaluation.id}`, label: evaluation.title },
  ]
  return round ? [...base, { href: `/evaluations/${evaluation.id}/weighting`, label: 'Weighting rounds' }] : base
}

/** Saaty's scale in words, 2..9 (1 is "equally"). */
const INTENSITY: Record<number, string> = {
  2: 'a little more',
  3: 'moderately more',
  4: 'moderately to strongly more',
  5: 'strongly more',
  6: 'strongly to very strongly more',
  7: 'very strongly more',
  8: 'very strongly to extremely more',
  9: 'extremely more',
}

/** A judgement's value as the form's option value: "9" .. "1" .. "1/9"; another value as it is. */
export function judgementText(value: number): string {
  if (value >= 1) {
    const whole = Math.round(value)
    return Math.abs(value - whole) < 1e-9 ? String(whole) : String(value)
  }
  const whole = Math.round(1 / value)
  return Math.abs(1 / value - whole) < 1e-9 ? `1/${whole}` : String(value)
}

/** "‘Security’ matters 5 times as much as ‘Supplier’", or equally. */
export function judgementWords(a: string, b: string, value: number): string {
  if (Math.abs(value - 1) < 1e-9) return `‘${a}’ and ‘${b}’ matter equally`
  return value > 1 ? `‘${a}’ matters ${formatNumber(value, 2)} times as much as ‘${b}’` : `‘${b}’ matters ${formatNumber(1 / value, 2)} times as much as ‘${a}’`
}

/**
 * A judgement as the history reads it: "Security strongly more important than Supplier (5)", "Security
 * and Supplier equally important (1)"; a value off Saaty's whole steps as "2.5 times as important".
 */
export function judgementSentence(a: string, b: string, value: number): string {
  if (Math.abs(value - 1) < 1e-9) return `${a} and ${b} equally important (1)`
  const [more, less, times] = value > 1 ? [a, b, value] : [b, a, 1 / value]
  const whole = Math.round(times)
  const words = Math.abs(times - whole) < 1e-9 ? INTENSITY[whole] : undefined
  return words === undefined
    ? `${more} ${formatNumber(times, 2)} times as important as ${less} (${judgementText(value)})`
    : `${more} ${words} important than ${less} (${whole})`
}

function pairOptions(a: string, b: string, current: string | undefined) {
  const options = [{ value: '', label: 'Not answered yet' }]
  for (let v = 9; v >= 2; v--) options.push({ value: String(v), label: `${a}: ${INTENSITY[v]} (${v})` })
  options.push({ value: '1', label: 'Both matter equally (1)' })
  for (let v = 2; v <= 9; v++) options.push({ value: `1/${v}`, label: `${b}: ${INTENSITY[v]} (${v})` })
  if (current !== undefined && current !== '' && !options.some((o) => o.value === current)) options.push({ value: current, label: `As recorded: ${current}` })
  return options
}

/** The criteria of a round by id, for names. */
function namesOf(criteria: readonly Criterion[]): Map<number, Criterion> {
  return new Map(criteria.map((c) => [c.id, c]))
}

export interface WeightingListProps {
  evaluation: Evaluation
  criteria: Criterion[]
  rounds: RoundWithParticipants[]
  figures: Map<number, RoundResult>
  /** Rounds are open: the plan is a draft. */
  open: boolean
  values: FormValues
  errors: FieldErrors
}

export function WeightingListPage(props: WeightingListProps) {
  const { evaluation, criteria } = props
  const base = `/evaluations/${evaluation.id}/weighting`
  const may = useMay()
  const viewer = useViewer()
  const lead = runsRounds(viewer.roles)
  const mine = lead ? props.rounds : props.rounds.filter((r) => r.participants.some((p) => p.account_id === viewer.account?.id))
  const groups = [{ value: '', label: 'The top level' }, ...criteria.filter((c) => c.kind === 'group').map((c) => ({ value: String(c.id), label: c.name }))]
  return (
    <Layout title={`Weighting rounds – ${evaluation.title}`} crumbs={crumbs(evaluation)}>
      <h1>Weighting rounds</h1>
      <p>
        Stakeholders compare the criteria of one group two at a time, saying which matters more and by how much on a scale from 1 (equally) to 9 (extremely
        more). Their judgements give each person’s weights, a consistency ratio saying how far their judgements agree with each other (below{' '}
        {formatNumber(ACCEPTABLE_CR, 2)} is acceptable), and the group’s weights from the geometric mean of everyone’s judgements. The lead may then apply the
        group’s weights to the criteria.
      </p>
      {!props.open && (
        <div class="notice" role="status">
          The evaluation plan is approved, so its weights are settled: rounds can be read but no longer changed. Rounds are set up, answered and applied while
          the plan is a draft.
        </div>
      )}
      <ErrorSummary errors={props.errors} fieldIds={{ parent: fieldId('parent') }} />
      {mine.length === 0 ? (
        <p>{lead ? 'No rounds yet.' : 'You have not been invited to a round yet.'}</p>
      ) : (
        <div class="table-scroll">
          <table class="table">
            <caption class="visually-hidden">Weighting rounds</caption>
            <thead>
              <tr>
                <th scope="col">Criteria compared</th>
                <th scope="col">Taking part</th>
                <th scope="col">Group’s consistency ratio</th>
                <th scope="col">Applied</th>
              </tr>
            </thead>
            <tbody>
              {mine.map((r) => {
                const figures = props.figures.get(r.round.id)
                const complete = figures?.participants.filter((p) => p.complete).length ?? 0
                return (
                  <tr>
                    <th scope="row">
                      <a href={`${base}/${r.round.id}`}>{roundName(r.round, criteria)}</a>
                      <span class="hint"> {r.items.length} criteria</span>
                    </th>
                    <td>
                      {complete} of {r.participants.length} finished
                    </td>
                    <td>{figures?.group == null ? '–' : formatNumber(figures.group.cr, 3)}</td>
                    <td>{r.round.applied_at === null ? 'No' : formatDateTime(r.round.applied_at)}</td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
      {may('POST /evaluations/:id/weighting') && (
        <form method="post" action={base} novalidate>
          <h2>Set up a round</h2>
          <Select
            name="parent"
            label="Criteria to compare"
            hint="A round compares the criteria and groups directly inside one group (gates take no weight), at most 10."
            options={groups}
            value={props.values.parent}
            error={props.errors.parent}
          />
          <button class="button" type="submit">
            Set up the round
          </button>
        </form>
      )}
    </Layout>
  )
}

export interface RoundPageProps {
  evaluation: Evaluation
  criteria: Criterion[]
  round: RoundWithParticipants
  figures: RoundResult
  open: boolean
  values: FormValues
  errors: FieldErrors
}

export function RoundPage(props: RoundPageProps) {
  const { evaluation, criteria, round, figures } = props
  const base = `/evaluations/${evaluation.id}/weighting/${round.round.id}`
  const may = useMay()
  const viewer = useViewer()
  const byId = namesOf(criteria)
  const items = round.items.map((id) => byId.get(id)).filter((c): c is Criterion => c !== undefined)
  const nameOfKey = new Map(items.map((c) => [c.key, c.name]))
  const name = roundName(round.round, criteria)
  const lead = runsRounds(viewer.roles)
  const meIndex = round.participants.findIndex((p) => p.account_id !== null && p.account_id === viewer.account?.id)
  const me = meIndex === -1 ? undefined : round.participants[meIndex]
  const myFigures = meIndex === -1 ? undefined : figures.participants[meIndex]
  const errorIds: Record<string, string> = { email: fieldId('email') }
  return (
    <Layout title={`Weighting round: ${name} – ${evaluation.title}`} crumbs={crumbs(evaluation, true)}>
      <span class="caption">Weighting round</span>
      <h1>{name}</h1>
      {round.round.applied_at !== null && (
        <div class="notice notice--success" role="status">
          The group’s weights were applied to the criteria on {formatDateTime(round.round.applied_at)}.
        </div>
      )}
      {lead && !props.open && (
        <div class="notice" role="status">
          The evaluation plan is approved, so its weights are settled: this round can be read but no longer changed.
        </div>
      )}
      <ErrorSummary errors={props.errors} fieldIds={errorIds} />
      <h2>The criteria compared</h2>
      <dl class="summary-list">
        {items.map((c) => (
          <div class="summary-list__row">
            <dt>{c.name}</dt>
            <dd>{c.guidance ?? 'No guidance given.'}</dd>
          </div>
        ))}
      </dl>
      {me !== undefined && (
        <section aria-labelledby="yours">
          <h2 id="yours">Your comparisons</h2>
          {may('POST /evaluations/:id/weighting/:roundId/judgements') ? (
            <JudgementForm action={`${base}/judgements`} items={items} round={round} participant={me} values={props.values} errors={props.errors} />
          ) : (
            <p>
              {props.open
                ? 'The round is closed to changes.'
                : 'The evaluation plan is approved, so its weights are settled: your comparisons are kept as you left them, and can be read but no longer changed.'}
            </p>
          )}
          {myFigures?.figures != null && <PersonFigures heading="Your weights" figures={myFigures.figures} names={nameOfKey} id="mine" />}
          {myFigures !== undefined && !myFigures.complete && (
            <p>
              {myFigures.missing.length} of {(items.length * (items.length - 1)) / 2} pairs still to compare: your weights appear once every pair is compared.
            </p>
          )}
        </section>
      )}
      {lead && <LeadFigures {...props} names={nameOfKey} items={items} />}
      {may('POST /evaluations/:id/weighting/:roundId/link') && round.participants.some((p) => p.account_id === null) && (
        <form method="post" action={`${base}/link`} novalidate>
          <h2>Link an imported participant to their account</h2>
          <p>
            A participant imported from a file is a name alone. Linked to the account of the stakeholder it names, the round shows as theirs; their judgements
            stay as imported.
          </p>
          <Select
            name="participant"
            label="Participant"
            options={round.participants.filter((p) => p.account_id === null).map((p) => ({ value: String(p.id), label: p.name }))}
            value={props.values.participant}
            error={props.errors.participant}
          />
          <TextField
            name="linkEmail"
            label="Email address of their account"
            hint="They need the stakeholder role on this evaluation."
            type="email"
            autocomplete="off"
            value={props.values.linkEmail}
            error={props.errors.linkEmail}
          />
          <button class="button button--secondary" type="submit">
            Link to the account
          </button>
        </form>
      )}
      {may('POST /evaluations/:id/weighting/:roundId/participants') && (
        <>
          <h2>Invite a stakeholder</h2>
          <form method="post" action={`${base}/participants`} novalidate>
            <TextField
              name="email"
              label="Email address of their account"
              hint="They need the stakeholder role on this evaluation (Panel and roles): it shows them the criteria and nothing of the tenders."
              type="email"
              autocomplete="off"
              value={props.values.email}
              error={props.errors.email}
            />
            <button class="button" type="submit">
              Invite
            </button>
          </form>
          <h2>Apply or remove</h2>
          <ErrorMessage id={fieldId('form')} error={props.errors.form} />
          <ul class="button-group">
            {figures.group !== null && may('POST /evaluations/:id/weighting/:roundId/apply') && (
              <li>
                <form method="post" action={`${base}/apply`}>
                  <button class="button" type="submit">
                    Apply the group’s weights to these criteria
                  </button>
                </form>
              </li>
            )}
            {may('POST /evaluations/:id/weighting/:roundId/delete') && (
              <li>
                <form method="post" action={`${base}/delete`}>
                  <button class="button button--warning" type="submit">
                    Remove this round
                  </button>
                </form>
              </li>
            )}
          </ul>
          <p class="hint">
            Applying sets the weights of the criteria compared in the group’s proportions, sharing the total weight they have now; it is recorded in the history
            with the round named.
          </p>
        </>
      )}
    </Layout>
  )
}

function JudgementForm(props: {
  action: string
  items: Criterion[]
  round: RoundWithParticipants
  participant: RoundWithParticipants['participants'][number]
  values: FormValues
  errors: FieldErrors
}) {
  const { items, participant } = props
  const stored = (a: number, b: number): string | undefined => {
    const direct = participant.stored.find((j) => j.a === a && j.b === b)
    if (direct !== undefined) return judgementText(direct.value)
    const reverse = participant.stored.find((j) => j.a === b && j.b === a)
    return reverse === undefined ? undefined : judgementText(1 / reverse.value)
  }
  const pairs: [Criterion, Criterion][] = []
  for (let i = 0; i < items.length; i++) for (let j = i + 1; j < items.length; j++) pairs.push([items[i]!, items[j]!])
  return (
    <form method="post" action={props.action} novalidate>
      <p>
        For each pair, choose which matters more to this evaluation and by how much (“Security: strongly more (5)” means Security matters strongly more than the
        other). You can save part-way and come back; your weights appear once every pair is compared.
      </p>
      {pairs.map(([a, b], k) => {
        const field = pairField(a.id, b.id)
        return (
          <Select
            name={field}
            label={`${k + 1}. ${a.name} or ${b.name}?`}
            options={pairOptions(a.name, b.name, props.values[field] ?? stored(a.id, b.id))}
            value={props.values[field] ?? stored(a.id, b.id) ?? ''}
            error={props.errors[field]}
          />
        )
      })}
      <button class="button" type="submit">
        Save my comparisons
      </button>
    </form>
  )
}

function PersonFigures(props: { heading: string; figures: ItemWeights; names: Map<string, string>; id: string }) {
  const { figures } = props
  return (
    <div>
      <h3>{props.heading}</h3>
      <div class="table-scroll">
        <table class="table">
          <caption class="visually-hidden">{props.heading}</caption>
          <thead>
            <tr>
              <th scope="col">Criterion</th>
              <th scope="col" class="numeric">
                Weight
              </th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(figures.weights).map(([key, w]) => (
              <tr>
                <th scope="row">{props.names.get(key) ?? key}</th>
                <td class="numeric">{formatPercent(w)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        λmax {formatNumber(figures.lambdaMax, 4)}; consistency ratio {formatNumber(figures.cr, 3)}
        {figures.consistent ? ' (acceptable: below 0.10).' : '.'}
      </p>
      <Inconsistent figures={figures} names={props.names} />
    </div>
  )
}

function Inconsistent(props: { figures: ItemWeights; names: Map<string, string>; who?: string }) {
  const { inconsistency, cr } = props.figures
  if (inconsistency === null) return null
  const a = props.names.get(inconsistency.a) ?? inconsistency.a
  const b = props.names.get(inconsistency.b) ?? inconsistency.b
  return (
    <div class="notice notice--warning">
      <p>
        {props.who === undefined ? 'These judgements' : `${props.who}’s judgements`} contradict each other (consistency ratio {formatNumber(cr, 3)}, at or above{' '}
        {formatNumber(ACCEPTABLE_CR, 2)}). Reconsider first: {judgementWords(a, b, inconsistency.value)}. The other judgements suggest{' '}
        {judgementWords(a, b, inconsistency.suggestedValue)} ({judgementText(inconsistency.suggestedValue)}), which would make the ratio{' '}
        {formatNumber(inconsistency.crWithSuggested, 3)}.
      </p>
    </div>
  )
}

function LeadFigures(props: RoundPageProps & { names: Map<string, string>; items: Criterion[] }) {
  const { figures, round, items } = props
  const pairs = (items.length * (items.length - 1)) / 2
  const complete = figures.participants.map((p, i) => ({ p, i })).filter(({ p }) => p.figures !== null)
  const series = [
    ...complete.map(({ p }) => ({ name: p.name, values: items.map((c) => p.figures!.weights[c.key] ?? 0) })),
    ...(figures.group === null ? [] : [{ name: 'Group (geometric mean)', values: items.map((c) => figures.group!.weights[c.key] ?? 0) }]),
  ]
  return (
    <section aria-labelledby="everyone">
      <h2 id="everyone">Taking part</h2>
      {round.participants.length === 0 ? (
        <p>Nobody yet: invite stakeholders below.</p>
      ) : (
        <div class="table-scroll">
          <table class="table">
            <caption class="visually-hidden">Who takes part, and how consistent their judgements are</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Pairs compared</th>
                <th scope="col" class="numeric">
                  λmax
                </th>
                <th scope="col" class="numeric">
                  Consistency ratio
                </th>
              </tr>
            </thead>
            <tbody>
              {figures.participants.map((p) => (
                <tr>
                  <th scope="row">{p.name}</th>
                  <td>
                    {pairs - p.missing.length} of {pairs}
                  </td>
                  <td class="numeric">{p.figures === null ? '–' : formatNumber(p.figures.lambdaMax, 4)}</td>
                  <td class="numeric">
                    {p.figures === null ? '–' : formatNumber(p.figures.cr, 3)}
                    {p.figures !== null && !p.figures.consistent && <strong class="tag tag--yellow">Reconsider</strong>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {complete.map(({ p }) => (p.figures === null || p.figures.consistent ? null : <Inconsistent figures={p.figures} names={props.names} who={p.name} />))}
      {figures.group === null ? (
        <p>The group’s weights appear once someone has compared every pair.</p>
      ) : (
        <>
          <h2>The group’s weights</h2>
          <p>
            From the geometric mean of the judgements of the {figures.groupSize} {figures.groupSize === 1 ? 'person' : 'people'} who compared every pair: λmax{' '}
            {formatNumber(figures.group.lambdaMax, 4)}, consistency ratio {formatNumber(figures.group.cr, 3)}
            {figures.group.consistent ? ' (acceptable)' : ' (at or above 0.10: the group’s judgements contradict each other)'}.
          </p>
          <GroupedBarChart
            id="round-weights"
            title={`Weights from the round: ${roundName(round.round, props.criteria)}`}
            description={`Each person’s weight for each criterion beside the group’s. Group: ${items
              .map((c) => `${c.name} ${formatPercent(figures.group!.weights[c.key] ?? 0)}`)
              .join(', ')}.`}
            categories={items.map((c) => ({ label: c.name }))}
            series={series}
            format={(v) => formatPercent(v, 0)}
            tableFormat={(v) => formatPercent(v, 1)}
            axisCaption="Weight within the group"
            rowHeader="Criterion"
          />
        </>
      )}
    </section>
  )
}
