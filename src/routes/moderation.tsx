import type { Context } from 'hono'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { z } from 'zod'
import type { AppDeps } from '../app.js'
import { actorOf, evaluationOf } from '../auth/guard.js'
import { LIMITS, scoreSpread } from '../appraisal/index.js'
import { listCriteria } from '../db/criteria.js'
import { listOptions } from '../db/options.js'
import { listPanelMembers } from '../db/panel.js'
import type { Evaluation, Option } from '../db/schema.js'
import {
  allowedOptionIds,
  assignedCriterionIds,
  bulkCandidates,
  excuseFromOption,
  findPanelMember,
  leavesAssigned,
  listConfirmations,
  listConsensusScores,
  listExcuses,
  listIndividualScores,
  listMeetings,
  listSubmissions,
  moderationStateOf,
  acceptWithinTolerance,
  decideOnInterest,
  recordConsensus,
  recordMeeting,
  setPanelRules,
} from '../db/scoring.js'
import { formatNumber } from '../format.js'
import { INTEREST_DECISIONS } from '../vocabulary.js'
import {
  BulkAcceptancePage,
  ModerationDashboardPage,
  ModerationOptionPage,
  type CriterionModeration,
  type MeetingView,
  type MemberProgress,
} from '../../views/pages/moderation.js'
import type { FieldErrors, FormValues } from '../../views/components/form.js'
import { optionInPath, pathId } from './evaluation-context.js'
import { formValues, idParam, integerField, numberField, optionalText, parseForm, requiredText } from './form.js'
import { planReasonOf, unlessPlanRefuses } from './plan-reason.js'
import { render } from './render.js'
import { scoresToRevisit } from '../db/plan.js'
import type { DocumentReader } from '../db/tender.js'
import type { EvaluationRole } from '../vocabulary.js'
import { documentLinks } from './document-links.js'
import { answerSchema, scoringGroups } from './scoring.js'

const rulesForm = z.object({
  minRationale: integerField({ required: 'Enter the shortest rationale allowed', invalid: 'Enter a whole number of characters' }).pipe(
    z.number().min(0, 'Enter 0 or more characters').max(5000, 'Enter 5,000 characters or fewer'),
  ),
  tolerance: numberField({ required: 'Enter a tolerance', invalid: 'The tolerance must be a number, like 1' }).pipe(
    z
      .number()
      .min(0, 'The tolerance must be 0 or more')
      .max(LIMITS.scaleLevels - 1, `The tolerance must be ${LIMITS.scaleLevels - 1} or less`),
  ),
})

/** Which of an option's criteria its moderation page shows: a group (or all) and which of them. */
const moderationFilter = z.object({
  group: z.string().max(20).optional(),
  show: z.enum(['all', 'to-moderate', 'outside']).catch('all').default('all'),
})

const meetingForm = z.object({
  date: z
    .string({ error: 'Enter the date of the meeting' })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter the date of the meeting, like 2026-11-19')
    .refine((d) => !Number.isNaN(Date.parse(d)), 'Enter a real date, like 2026-11-19'),
  chair: requiredText('Enter who chaired the meeting', LIMITS.shortText),
  notes: optionalText(LIMITS.longText),
})

const excuseForm = z.object({
  member: idParam.or(z.literal('').transform(() => null)).pipe(z.number({ error: 'Choose the panel member' })),
  option: idParam.or(z.literal('').transform(() => null)).pipe(z.number({ error: 'Choose the option' })),
  reason: optionalText(5000),
})

const consensusMeeting = z.object({
  meeting: z
    .string()
    .optional()
    .transform((v) => (v === undefined || v === '' ? null : Number(v))),
})

const acceptanceForm = z.object({ reference: optionalText(500) }).and(consensusMeeting)

/** The ids a form sent as several values of one field. */
function idsOf(raw: unknown): number[] {
  return (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(Number).filter((n) => Number.isSafeInteger(n) && n > 0)
}

/** A meeting as the pages show it: names, not ids. */
function meetingView(
  meeting: Awaited<ReturnType<typeof listMeetings>>[number],
  names: { members: Map<number, string>; options: Map<number, string>; criteria: Map<number, string> },
): MeetingView {
  const named = (json: string, map: Map<number, string>) => (JSON.parse(json) as number[]).flatMap((id) => map.get(id) ?? [])
  return {
    id: meeting.id,
    date: meeting.held_on,
    chair: meeting.chair,
    attendees: named(meeting.attendees, names.members),
    options: named(meeting.options, names.options),
    criteria: named(meeting.criteria, names.criteria),
    notes: meeting.notes,
  }
}

const decisionForm = z.object({
  decision: z.enum(INTEREST_DECISIONS, { error: 'Choose a decision' }),
  note: optionalText(5000),
})

/** The excuse form's fields carry a prefix on the dashboard, which holds several forms. */
function prefixed(record: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [`excuse-${key}`, value ?? '']))
}

/** The lead's view of the panel: declarations, progress, and moderation of each option. */
export function moderationRoutes({ db }: AppDeps): Hono {
  const app = new Hono()

  async function dashboard(c: Context, evaluation: Evaluation, values: FormValues = {}, errors: FieldErrors = {}) {
    const [options, criteria, members, scores, consensus, submissions] = await Promise.all([
      listOptions(db, evaluation.id),
      listCriteria(db, evaluation.id),
      listPanelMembers(db, evaluation.id),
      listIndividualScores(db, evaluation.id),
      listConsensusScores(db, evaluation.id),
      listSubmissions(db, evaluation.id),
    ])
    const progress: MemberProgress[] = []
    for (const member of members) {
      const leaves = new Set(leavesAssigned(criteria, await assignedCriterionIds(db, member.id)).map((l) => l.id))
      const allowed = member.decision === 'restrict' ? await allowedOptionIds(db, member.id) : null
      const perOption = new Map<number, { scored: number; total: number; submitted: boolean }>()
      for (const option of options) {
        if (member.decision === 'remove' || (allowed !== null && !allowed.includes(option.id))) continue
        perOption.set(option.id, {
          scored: scores.filter((s) => s.panel_member_id === member.id && s.option_id === option.id && leaves.has(s.criterion_id)).length,
          total: leaves.size,
          submitted: submissions.some((s) => s.panel_member_id === member.id && s.option_id === option.id),
        })
      }
      progress.push({ member, allowedOptionIds: allowed, perOption })
    }
    const [state, meetings, excuses, confirmations] = await Promise.all([
      moderationStateOf(db, evaluation.id),
      listMeetings(db, evaluation.id),
      listExcuses(db, evaluation.id),
      listConfirmations(db, evaluation.id),
    ])
    const needed = new Set(state.needed.map(Number))
    const leaves = criteria.filter((c) => needed.has(c.id))
    const memberNames = new Map(members.map((m) => [m.id, m.name]))
    const submittedPairs = new Set(submissions.map((s) => `${s.panel_member_id}:${s.option_id}`))
    const moderation = options.map((option) => {
      let moderated = 0
      let flagged = 0
      let awaitingScores = 0
      for (const leaf of leaves) {
        if (consensus.some((x) => x.option_id === option.id && x.criterion_id === leaf.id)) {
          moderated++
          continue
        }
        const spread = scoreSpread(
          scores
            .filter((s) => s.option_id === option.id && s.criterion_id === leaf.id && submittedPairs.has(`${s.panel_member_id}:${option.id}`))
            .map((s) => s.score),
          evaluation.tolerance,
        )
        if (spread === null) awaitingScores++
        else if (!spread.withinTolerance) flagged++
      }
      const here = state.options.get(String(option.id))
      const named = (ids: readonly string[] | undefined) => (ids ?? []).map((id) => memberNames.get(Number(id)) ?? 'Panel member')
      return {
        option,
        criteria: leaves.length,
        moderated,
        flagged,
        awaitingScores,
        awaitingSubmission: named(here?.awaitingSubmission),
        awaitingConfirmation: named(here?.awaitingConfirmation),
      }
    })
    const names = { members: memberNames, options: new Map(options.map((o) => [o.id, o.name])), criteria: new Map(criteria.map((c) => [c.id, c.name])) }
    const page = (
      <ModerationDashboardPage
        evaluation={evaluation}
        options={options}
        members={progress}
        moderation={moderation}
        complete={state.complete}
        ready={state.ready}
        criteria={leaves}
        meetings={meetings.map((m) => meetingView(m, names))}
        excuses={excuses.map((x) => ({
          member: memberNames.get(x.panel_member_id) ?? 'Panel member',
          option: names.options.get(x.option_id) ?? 'Option',
          reason: x.reason,
        }))}
        dissents={confirmations
          .filter((x) => x.dissent !== null)
          .map((x) => ({
            member: memberNames.get(x.panel_member_id) ?? 'Panel member',
            option: names.options.get(x.option_id) ?? 'Option',
            reason: x.dissent ?? '',
          }))}
        values={values}
        errors={errors}
      />
    )
    return render(c, page, Object.keys(errors).length > 0 ? 422 : 200)
  }

  async function optionRows(evaluation: Evaluation, option: Option, roles: readonly EvaluationRole[]): Promise<CriterionModeration[]> {
    const reader: DocumentReader = { roles, planApproved: evaluation.plan_version > 0, openOptions: null }
    const [criteria, members, scores, consensus, submissions, state, meetings, revisit, documents] = await Promise.all([
      listCriteria(db, evaluation.id),
      listPanelMembers(db, evaluation.id),
      listIndividualScores(db, evaluation.id, { optionId: option.id }),
      listConsensusScores(db, evaluation.id, option.id),
      listSubmissions(db, evaluation.id),
      moderationStateOf(db, evaluation.id),
      listMeetings(db, evaluation.id),
      scoresToRevisit(db, evaluation.id, { optionId: option.id }),
      documentLinks(db, evaluation.id, reader, option.id),
    ])
    const names = new Map(members.map((m) => [m.id, m.name]))
    const flagged = new Map(revisit.map((r) => [`${r.memberId}:${r.criterionId}`, { version: r.version, at: r.at, reason: r.reason }]))
    const meetingDates = new Map(meetings.map((m) => [m.id, m.held_on]))
    const submitted = new Set(submissions.filter((s) => s.option_id === option.id).map((s) => s.panel_member_id))
    return criteria
      .filter((c) => c.kind !== 'group')
      .map((criterion) => {
        const mine = scores.filter((s) => s.criterion_id === criterion.id)
        const found = consensus.find((x) => x.criterion_id === criterion.id)
        return {
          criterion,
          scores: mine.map((s) => ({
            member: names.get(s.panel_member_id) ?? 'Panel member',
            score: s.score,
            rationale: s.rationale,
            evidence: s.evidence,
            document: documents.link(s.evidence_document_id),
            page: s.evidence_page,
            submitted: submitted.has(s.panel_member_id),
            revisit: flagged.get(`${s.panel_member_id}:${s.criterion_id}`) ?? null,
          })),
          // The spread of the submitted scores: drafts are shown, never counted.
          spread: scoreSpread(
            mine.filter((s) => submitted.has(s.panel_member_id)).map((s) => s.score),
            evaluation.tolerance,
          ),
          awaiting: state.awaiting(String(option.id), String(criterion.id)).map((id) => names.get(Number(id)) ?? 'Panel member'),
          consensus:
            found === undefined
              ? null
              : {
                  score: found.score,
                  rationale: found.rationale,
                  evidence: found.evidence,
                  version: found.version,
                  acceptedWithinTolerance: found.accepted_within_tolerance === 1,
                  meeting: found.meeting_id === null ? null : (meetingDates.get(found.meeting_id) ?? null),
                },
        }
      })
  }

  function rowOf(rows: CriterionModeration[], criterionId: number): CriterionModeration {
    return rows.find((r) => r.criterion.id === criterionId)!
  }

  function pending(row: CriterionModeration): boolean {
    return row.consensus === null
  }

  async function showOption(
    c: Context,
    evaluation: Evaluation,
    option: Option,
    failed?: { criterionId: number; values: FormValues; errors: FieldErrors },
    notice: string | null = null,
  ) {
    const rows = (await optionRows(evaluation, option, c.get('roles'))).map((row) =>
      row.criterion.id === failed?.criterionId ? { ...row, values: failed.values, errors: failed.errors } : row,
    )
    const [criteria, candidates, meetings] = await Promise.all([
      listCriteria(db, evaluation.id),
      bulkCandidates(db, evaluation, option.id),
      listMeetings(db, evaluation.id),
    ])
    const groups = scoringGroups(
      criteria,
      rows.map((r) => r.criterion),
    )
    // A consensus re-shown with its problems is shown in its group, whatever the filter was.
    const filter = parseForm(moderationFilter, failed === undefined ? formValues(c.req.query()) : {})
    const { show } = filter.ok ? filter.data : { show: 'all' as const }
    const asked =
      failed === undefined ? (filter.ok ? filter.data.group : undefined) : groups.find((g) => g.leaves.some((l) => l.id === failed.criterionId))?.key
    const current =
      asked === 'all'
        ? null
        : (groups.find((g) => g.key === asked) ?? groups.find((g) => g.leaves.some((l) => pending(rowOf(rows, l.id)))) ?? groups[0] ?? null)
    const inGroup = current === null ? rows : rows.filter((r) => current.leaves.some((l) => l.id === r.criterion.id))
    const shown = inGroup.filter((r) => show === 'all' || (show === 'to-moderate' ? pending(r) : r.consensus === null && r.spread?.withinTolerance === false))
    const base = `/evaluations/${evaluation.id}/moderation/${option.id}`
    const page = (
      <ModerationOptionPage
        evaluation={evaluation}
        option={option}
        rows={shown}
        acceptable={candidates.length}
        meetings={meetings.map((m) => ({ id: m.id, date: m.held_on, chair: m.chair }))}
        notice={notice}
        groups={groups.map((g) => {
          const mine = g.leaves.map((l) => rowOf(rows, l.id))
          return {
            key: g.key,
            name: g.name ?? 'Other criteria',
            href: `${base}?group=${g.key}`,
            total: mine.length,
            moderated: mine.filter((r) => r.consensus !== null).length,
            outside: mine.filter((r) => r.consensus === null && r.spread?.withinTolerance === false).length,
          }
        })}
        filter={{ group: current?.key ?? 'all', groupName: current === null ? null : (current.name ?? 'Other criteria'), show, inGroup: inGroup.length }}
      />
    )
    return render(c, page, failed === undefined ? 200 : 422)
  }

  app.get('/', async (c) => dashboard(c, evaluationOf(c)))

  app.post('/rules', async (c) => {
    const evaluation = evaluationOf(c)
    const values = formValues(await c.req.parseBody())
    const parsed = parseForm(rulesForm, values)
    if (!parsed.ok) return dashboard(c, evaluation, values, parsed.errors)
    const change = await unlessPlanRefuses(() => setPanelRules(db, actorOf(c), evaluation.id, parsed.data, planReasonOf(values)))
    if (change.refused !== null) return dashboard(c, evaluation, values, { planReason: change.refused })
    return c.redirect(`/evaluations/${evaluation.id}/moderation`, 303)
  })

  app.post('/declarations/:memberId', async (c) => {
    const evaluation = evaluationOf(c)
    const member = await findPanelMember(db, evaluation.id, pathId(c, 'memberId'))
    if (member === undefined) throw new HTTPException(404)
    const body = await c.req.parseBody({ all: true })
    const parsed = parseForm(decisionForm, formValues(body))
    if (!parsed.ok) return dashboard(c, evaluation, {}, { [`decision-${member.id}`]: parsed.errors.decision ?? 'Choose a decision' })
    const raw = body.allowedOption
    const allowedOptionIds = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(Number)
    const refused = await decideOnInterest(db, actorOf(c), member, { ...parsed.data, allowedOptionIds })
    if (refused !== null) return dashboard(c, evaluation, {}, { [`${refused.field}-${member.id}`]: refused.message })
    return c.redirect(`/evaluations/${evaluation.id}/moderation#declarations`, 303)
  })

  app.post('/meetings', async (c) => {
    const evaluation = evaluationOf(c)
    const body = await c.req.parseBody({ all: true })
    const values = formValues(body)
    const parsed = parseForm(meetingForm, values)
    const attendees = idsOf(body.attendee)
    const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors }
    if (attendees.length === 0) errors.attendees = 'Choose the panel members who attended: a meeting needs at least one'
    if (!parsed.ok || Object.keys(errors).length > 0) return dashboard(c, evaluation, values, errors)
    const refused = await recordMeeting(db, actorOf(c), evaluation.id, {
      ...parsed.data,
      attendeeIds: attendees,
      optionIds: idsOf(body.discussedOption),
      criterionIds: idsOf(body.discussedCriterion),
    })
    if (refused !== null) return dashboard(c, evaluation, values, { [refused.field]: refused.message })
    return c.redirect(`/evaluations/${evaluation.id}/moderation#meetings`, 303)
  })

  app.post('/excuse', async (c) => {
    const evaluation = evaluationOf(c)
    const values = formValues(await c.req.parseBody())
    const parsed = parseForm(excuseForm, values)
    if (!parsed.ok) return dashboard(c, evaluation, prefixed(values), prefixed(parsed.errors))
    const member = await findPanelMember(db, evaluation.id, parsed.data.member)
    const option = (await listOptions(db, evaluation.id)).find((o) => o.id === parsed.data.option)
    if (member === undefined) return dashboard(c, evaluation, prefixed(values), { 'excuse-member': 'Choose a panel member of this evaluation' })
    if (option === undefined) return dashboard(c, evaluation, prefixed(values), { 'excuse-option': 'Choose an option of this evaluation' })
    const refused = await excuseFromOption(db, actorOf(c), member, option, parsed.data.reason)
    if (refused !== null) return dashboard(c, evaluation, prefixed(values), { [`excuse-${refused.field}`]: refused.message })
    return c.redirect(`/evaluations/${evaluation.id}/moderation#excuses`, 303)
  })

  app.get('/:optionId/accept', async (c) => {
    const { evaluation, option } = await optionInPath(c, db)
    return showAcceptance(c, evaluation, option)
  })

  async function showAcceptance(c: Context, evaluation: Evaluation, option: Option, values: FormValues = {}, errors: FieldErrors = {}) {
    const [candidates, criteria, meetings] = await Promise.all([
      bulkCandidates(db, evaluation, option.id),
      listCriteria(db, evaluation.id),
      listMeetings(db, evaluation.id),
    ])
    const names = new Map(criteria.map((x) => [x.id, x.name]))
    const page = (
      <BulkAcceptancePage
        evaluation={evaluation}
        option={option}
        rows={candidates.map((x) => ({
          criterionId: x.criterionId,
          criterion: names.get(x.criterionId) ?? '',
          scores: x.scores,
          consensus: x.spread.roundedMedian,
        }))}
        meetings={meetings.map((m) => ({ id: m.id, date: m.held_on, chair: m.chair }))}
        values={values}
        errors={errors}
      />
    )
    return render(c, page, Object.keys(errors).length > 0 ? 422 : 200)
  }

  app.get('/:optionId', async (c) => {
    const { evaluation, option } = await optionInPath(c, db)
    return showOption(c, evaluation, option)
  })

  app.post('/:optionId/accept', async (c) => {
    const { evaluation, option } = await optionInPath(c, db)
    const body = await c.req.parseBody({ all: true })
    const values = formValues(body)
    const parsed = parseForm(acceptanceForm, values)
    if (!parsed.ok) return showAcceptance(c, evaluation, option, values, parsed.errors)
    const result = await acceptWithinTolerance(db, actorOf(c), evaluation, option, {
      criterionIds: idsOf(body.criterion),
      meetingId: parsed.data.meeting,
      reference: parsed.data.reference,
    })
    if ('field' in result) return showAcceptance(c, evaluation, option, values, { [result.field]: result.message })
    return showOption(
      c,
      evaluation,
      option,
      undefined,
      `${result.accepted} ${result.accepted === 1 ? 'criterion was' : 'criteria were'} accepted within tolerance.`,
    )
  })

  app.post('/:optionId/:criterionId', async (c) => {
    const { evaluation, option } = await optionInPath(c, db)
    const criterion = (await listCriteria(db, evaluation.id)).find((x) => x.id === pathId(c, 'criterionId') && x.kind !== 'group')
    if (criterion === undefined) throw new HTTPException(404)
    const values = formValues(await c.req.parseBody())
    const parsed = parseForm(
      answerSchema(criterion.kind, { min: evaluation.scale_min, max: evaluation.scale_max }, evaluation.min_rationale).and(consensusMeeting),
      values,
    )
    if (!parsed.ok) return showOption(c, evaluation, option, { criterionId: criterion.id, values, errors: parsed.errors })
    const { score, rationale, evidence, version, meeting } = parsed.data
    const saved = await recordConsensus(db, actorOf(c), evaluation.id, option, criterion, { score, rationale, evidence, meetingId: meeting }, version)
    if (typeof saved === 'object') {
      return showOption(c, evaluation, option, { criterionId: criterion.id, values, errors: { [saved.field]: saved.message } })
    }
    if (saved === 'stale') {
      const theirs = (await listConsensusScores(db, evaluation.id, option.id)).find((x) => x.criterion_id === criterion.id)
      const errors = {
        form: `Someone recorded a consensus here after you opened this page, so yours was not saved. Theirs is ${theirs === undefined ? 'gone' : `${formatNumber(theirs.score, 2)}: “${theirs.rationale ?? ''}”`}. Your text is kept below: record it again only if it should replace theirs.`,
      }
      return showOption(c, evaluation, option, { criterionId: criterion.id, values, errors })
    }
    const group = scoringGroups(await listCriteria(db, evaluation.id), [criterion])[0]
    return c.redirect(`/evaluations/${evaluation.id}/moderation/${option.id}?group=${group?.key ?? 'all'}#moderate-${criterion.id}`, 303)
  })

  return app
}
