import type { Context } from 'hono'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { z } from 'zod'
import type { AppDeps } from '../app.js'
import { accountOf, actorOf, evaluationOf } from '../auth/guard.js'
import { listCriteria, listCriterionDescriptors } from '../db/criteria.js'
import { listScaleLevels } from '../db/evaluations.js'
import { listOptions } from '../db/options.js'
import { listPanelMembers } from '../db/panel.js'
import { LIMITS } from '../appraisal/index.js'
import { formatClock } from '../format.js'
import type { Criterion, Evaluation, IndividualScore, Option, PanelMember } from '../db/schema.js'
import {
  assignedCriterionIds,
  findSaveSeat,
  isSubmitted,
  leavesAssigned,
  listConsensusScores,
  listAnswers,
  listConfirmations,
  listIndividualScores,
  moderationStateOf,
  optionsOpenTo,
  declareInterest,
  respondToConsensus,
  panelMemberFor,
  saveScore,
  submitScores,
} from '../db/scoring.js'
import { documentHref, documentsHeld, downloadHref, listDocuments, listResponses, opensInBrowser, type DocumentReader } from '../db/tender.js'
import { documentLinks } from './document-links.js'
import { ScoringClosedPage, ScoringHomePage, ScoringOptionPage, type PanelView, type SupplierResponseView } from '../../views/pages/scoring.js'
import { AnswerForm, type AnswerFormProps, type EvidenceDocumentChoice } from '../../views/partials/answer-form.js'
import type { FieldErrors, FormValues } from '../../views/components/form.js'
import { trialBeside } from '../db/trials.js'
import { pathId } from './evaluation-context.js'
import { formValues, optionalText, parseForm } from './form.js'
import { declarationForm, memberDeclarationPage } from './declarations.js'
import { closedWhilePlanDraft } from '../auth/access.js'
import { memberStanding, suppliersNow } from '../db/declarations.js'
import { isHtmx, render } from './render.js'
import { scoresToRevisit, type ScoreToRevisit } from '../db/plan.js'

const responseForm = z.object({
  response: z.enum(['confirm', 'dissent'], { error: 'Say whether the consensus reflects the discussion, or that you dissent' }),
  reason: optionalText(5000),
})

/**
 * Where the evidence is in the tender: one of the option's documents (its id, checked against those
 * the evaluator may open when saved) and a page in it, which needs the document.
 */
const evidenceDocumentFields = {
  evidenceDocument: z
    .string()
    .optional()
    .transform((v) => (v === undefined || v === '' ? null : Number(v)))
    .refine((v) => v === null || (Number.isInteger(v) && v > 0), 'Choose a document from the list'),
  evidencePage: z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? null : Number(v.trim().replaceAll(',', ''))))
    .refine(
      (v) => v === null || (Number.isInteger(v) && v >= 1 && v <= LIMITS.documentPage),
      `The page must be a whole number from 1 to ${LIMITS.documentPage.toLocaleString('en-GB')}`,
    ),
}

function pageNeedsDocument(answer: { evidenceDocument: number | null; evidencePage: number | null }, ctx: z.RefinementCtx): void {
  if (answer.evidencePage !== null && answer.evidenceDocument === null) {
    ctx.addIssue({ code: 'custom', path: ['evidencePage'], message: 'Choose the document the page is in, or clear the page' })
  }
}

/** The rules for one answer, which depend on the criterion and the evaluation's settings. */
function makeAnswerSchema(kind: Criterion['kind'], scale: { min: number; max: number }, minRationale: number) {
  const [min, max] = kind === 'gate' ? [0, 1] : [scale.min, scale.max]
  const message = kind === 'gate' ? 'Choose pass or fail' : `Choose a score from ${min} to ${max}`
  return z
    .object({
      score: z
        .string({ error: message })
        .trim()
        .min(1, message)
        .transform(Number)
        .refine((n) => Number.isInteger(n) && n >= min && n <= max, message),
      rationale: z
        .string({ error: `Give a rationale of at least ${minRationale} characters` })
        .trim()
        .min(Math.max(1, minRationale), `Give a rationale of at least ${minRationale} characters: say what the evidence showed`)
        .max(5000, 'The rationale must be 5,000 characters or fewer'),
      evidence: optionalText(500),
      ...evidenceDocumentFields,
      version: z
        .string()
        .optional()
        .transform((v) => (v === undefined || v === '' ? null : Number(v))),
    })
    .superRefine(pageNeedsDocument)
}

/**
 * What an answer kept as a draft must still be: a score, if one is chosen, on the scale; text within
 * its limits. Anything short of complete (no score, a short rationale) is kept as typed.
 */
function makeDraftSchema(kind: Criterion['kind'], scale: { min: number; max: number }) {
  const [min, max] = kind === 'gate' ? [0, 1] : [scale.min, scale.max]
  const message = kind === 'gate' ? 'Choose pass or fail' : `Choose a score from ${min} to ${max}`
  return z
    .object({
      score: z
        .string()
        .trim()
        .optional()
        .transform((v) => (v === undefined || v === '' ? null : Number(v)))
        .refine((n) => n === null || (Number.isInteger(n) && n >= min && n <= max), message),
      rationale: z
        .string()
        .trim()
        .max(5000, 'The rationale must be 5,000 characters or fewer')
        .optional()
        .transform((v) => (v === undefined || v === '' ? null : v)),
      evidence: optionalText(500),
      ...evidenceDocumentFields,
      version: z
        .string()
        .optional()
        .transform((v) => (v === undefined || v === '' ? null : Number(v))),
    })
    .superRefine(pageNeedsDocument)
}

const draftSchemas = new Map<string, ReturnType<typeof makeDraftSchema>>()

function draftSchema(kind: Criterion['kind'], scale: { min: number; max: number }) {
  const key = kind === 'gate' ? 'gate' : `${scale.min}..${scale.max}`
  let schema = draftSchemas.get(key)
  if (schema === undefined) {
    schema = makeDraftSchema(kind, scale)
    draftSchemas.set(key, schema)
  }
  return schema
}

/** Made once per set of rules and kept: zod compiles a schema as it is made, which costs more than using it. */
const answerSchemas = new Map<string, ReturnType<typeof makeAnswerSchema>>()

export function answerSchema(kind: Criterion['kind'], scale: { min: number; max: number }, minRationale: number) {
  const key = `${kind === 'gate' ? 'gate' : `${scale.min}..${scale.max}`} ${minRationale}`
  let schema = answerSchemas.get(key)
  if (schema === undefined) {
    schema = makeAnswerSchema(kind, scale, minRationale)
    answerSchemas.set(key, schema)
  }
  return schema
}

export interface ScoringGroup {
  /** The top-level group's id, or 'other' for the criteria outside any group. */
  key: string
  name: string | null
  leaves: Criterion[]
}

/**
 * The pages an option is scored on: one per top-level group of the tree that holds criteria this
 * member scores, in the tree's order, with the criteria outside any group together on one page.
 */
export function scoringGroups(criteria: readonly Criterion[], leaves: readonly Criterion[]): ScoringGroup[] {
  const byId = new Map(criteria.map((c) => [c.id, c]))
  const topOf = (criterion: Criterion): Criterion => {
    let node = criterion
    while (node.parent_id !== null && byId.has(node.parent_id)) node = byId.get(node.parent_id)!
    return node
  }
  const groups = new Map<string, ScoringGroup>()
  for (const leaf of leaves) {
    const top = topOf(leaf)
    const key = top.id === leaf.id ? 'other' : String(top.id)
    let group = groups.get(key)
    if (group === undefined) {
      group = { key, name: key === 'other' ? null : top.name, leaves: [] }
      groups.set(key, group)
    }
    group.leaves.push(leaf)
  }
  return [...groups.values()]
}

function clock(): string {
  return formatClock(new Date())
}

/** An evaluator's scoring: their declaration first, then each option they may score, blind. */
export function scoringRoutes({ db }: AppDeps): Hono {
  const app = new Hono()

  async function seat(c: Context) {
    const evaluation = evaluationOf(c)
    const member = await panelMemberFor(db, evaluation.id, accountOf(c), actorOf(c))
    const options = await listOptions(db, evaluation.id)
    const [open, suppliers] = await Promise.all([
      optionsOpenTo(
        db,
        member,
        options.map((o) => o.id),
      ),
      suppliersNow(db, evaluation.id),
    ])
    return { evaluation, member, options, open, suppliers }
  }

  /** The page to show instead of options when the member may not score yet, or null when they may. */
  function gatePage(evaluation: Evaluation, member: PanelMember, open: number[] | null, suppliers: readonly string[]) {
    if (evaluation.status === 'finalised') return <ScoringClosedPage evaluation={evaluation} reason="finalised" />
    if (evaluation.plan_version === 0 && closedWhilePlanDraft('POST', '/evaluations/:id/scoring/:optionId/:criterionId'))
      return <ScoringClosedPage evaluation={evaluation} reason="plan-draft" />
    if (memberStanding(member, suppliers).state !== 'current' && member.decision !== 'remove') return memberDeclarationPage(evaluation, member, suppliers)
    if (open === null) return <ScoringClosedPage evaluation={evaluation} reason={member.decision === 'remove' ? 'removed' : 'awaiting-decision'} />
    return null
  }

  async function optionForMember(c: Context) {
    const s = await seat(c)
    const option = s.options.find((o) => o.id === pathId(c, 'optionId'))
    if (option === undefined) throw new HTTPException(404)
    if (s.open === null || !s.open.includes(option.id)) {
      throw new HTTPException(403, { message: 'You have not been asked to score this option.' })
    }
    return { ...s, option }
  }

  async function scoringContext(evaluation: Evaluation, member: PanelMember) {
    const [criteria, descriptors, levels, assigned] = await Promise.all([
      listCriteria(db, evaluation.id),
      listCriterionDescriptors(db, evaluation.id),
      listScaleLevels(db, evaluation.id),
      assignedCriterionIds(db, member.id),
    ])
    return { criteria, descriptors, scale: scaleOf(evaluation, levels), leaves: leavesAssigned(criteria, assigned) }
  }

  function scaleOf(evaluation: Evaluation, levels: readonly { level: number; label: string | null; descriptor: string | null }[]) {
    return Array.from({ length: evaluation.scale_max - evaluation.scale_min + 1 }, (_, i) => {
      const level = evaluation.scale_min + i
      const words = levels.find((l) => l.level === level)
      return { level, label: words?.label ?? null, descriptor: words?.descriptor ?? null }
    })
  }

  function answerProps(
    evaluation: Evaluation,
    option: Pick<Option, 'id'>,
    context: Awaited<ReturnType<typeof scoringContext>>,
    criterion: Criterion,
    score: IndividualScore | undefined,
    locked: boolean,
    documents: readonly EvidenceDocumentChoice[],
    overrides: { values?: FormValues; errors?: FieldErrors; savedAt?: string | null; kept?: boolean; revisit?: ScoreToRevisit } = {},
  ): AnswerFormProps {
    return {
      action: `/evaluations/${evaluation.id}/scoring/${option.id}/${criterion.id}`,
      criterion,
      levels: context.scale,
      descriptors: new Map(context.descriptors.filter((d) => d.criterion_id === criterion.id).map((d) => [d.level, d.text])),
      values: overrides.values ?? {
        score: score?.score === undefined || score.score === null ? undefined : String(score.score),
        rationale: score?.rationale ?? undefined,
        evidence: score?.evidence ?? undefined,
        evidenceDocument: score?.evidence_document_id == null ? undefined : String(score.evidence_document_id),
        evidencePage: score?.evidence_page == null ? undefined : String(score.evidence_page),
      },
      errors: overrides.errors ?? {},
      version: score?.version ?? null,
      minRationale: evaluation.min_rationale,
      locked,
      savedAt: overrides.savedAt ?? null,
      state: score === undefined ? 'none' : score.draft === 1 ? 'draft' : 'scored',
      kept: overrides.kept ?? false,
      documents,
      ...(overrides.revisit === undefined
        ? {}
        : { revisit: { version: overrides.revisit.version, at: overrides.revisit.at, reason: overrides.revisit.reason } }),
    }
  }

  async function showOption(
    c: Context,
    s: Awaited<ReturnType<typeof optionForMember>>,
    errors: FieldErrors = {},
    /** One answer re-shown with what was typed and its problems (a plain form post that failed). */
    failed?: { criterionId: number; values: FormValues; errors: FieldErrors; kept?: boolean },
    values: FormValues = {},
  ) {
    const { evaluation, member, option } = s
    const context = await scoringContext(evaluation, member)
    const evidence = await evidenceDocuments(c, evaluation, option.id, s.open)
    const answered = await listAnswers(db, evaluation.id, { optionId: option.id, memberId: member.id })
    const mine = answered.filter((a) => a.draft === 0)
    const submitted = await isSubmitted(db, member.id, option.id)
    // Answers saved before a change to the approved plan touched their criterion, until saved again.
    const revisit = new Map((await scoresToRevisit(db, evaluation.id, { memberId: member.id, optionId: option.id })).map((r) => [r.criterionId, r]))
    const byCriterion = new Map(answered.map((score) => [score.criterion_id, score]))
    const scored = new Set(mine.map((score) => score.criterion_id))
    const groups = scoringGroups(context.criteria, context.leaves)
    const scoredIn = (group: ScoringGroup) => group.leaves.filter((l) => scored.has(l.id)).length
    // The group asked for; else the one holding an answer re-shown with its problems; else the first with work left.
    const asked = failed === undefined ? c.req.query('group') : groups.find((g) => g.leaves.some((l) => l.id === failed.criterionId))?.key
    const none: ScoringGroup = { key: '', name: null, leaves: [] }
    const current = groups.find((g) => g.key === asked) ?? groups.find((g) => scoredIn(g) < g.leaves.length) ?? groups[0] ?? none
    const answers = current.leaves.map((leaf) => {
      const override = failed?.criterionId === leaf.id ? { values: failed.values, errors: failed.errors, kept: failed.kept ?? false } : {}
      const flag = revisit.get(leaf.id)
      return answerProps(
        evaluation,
        option,
        context,
        leaf,
        byCriterion.get(leaf.id),
        submitted,
        evidence.choices,
        flag === undefined ? override : { ...override, revisit: flag },
      )
    })
    // The blind lifts for this member and option only once their own scores are submitted.
    let panel: Map<number, PanelView> | null = null
    if (submitted) {
      const [all, consensus, members] = await Promise.all([
        listIndividualScores(db, evaluation.id, { optionId: option.id }),
        listConsensusScores(db, evaluation.id, option.id),
        listPanelMembers(db, evaluation.id),
      ])
      const names = new Map(members.map((m) => [m.id, m.name]))
      panel = new Map()
      for (const leaf of current.leaves) {
        const found = consensus.find((x) => x.criterion_id === leaf.id)
        panel.set(leaf.id, {
          criterionId: leaf.id,
          scores: all
            .filter((x) => x.criterion_id === leaf.id)
            .map((x) => ({
              member: names.get(x.panel_member_id) ?? 'Panel member',
              score: x.score,
              rationale: x.rationale,
              evidence: x.evidence,
              document: evidence.link(x.evidence_document_id),
              page: x.evidence_page,
            })),
          consensus: found === undefined ? null : { score: found.score, rationale: found.rationale },
        })
      }
    }
    const base = `/evaluations/${evaluation.id}/scoring/${option.id}`
    const index = groups.indexOf(current)
    const responses = await supplierResponses(evaluation.id, option.id, current.leaves)
    const link = (g: ScoringGroup | undefined) => (g === undefined ? null : { href: `${base}?group=${g.key}`, name: g.name ?? 'Other criteria' })
    const page = (
      <ScoringOptionPage
        evaluation={evaluation}
        option={option}
        groups={groups.map((g) => ({
          key: g.key,
          name: g.name ?? 'Other criteria',
          href: `${base}?group=${g.key}`,
          scored: scoredIn(g),
          total: g.leaves.length,
          revisit: g.leaves.filter((l) => revisit.has(l.id)).length,
        }))}
        current={{ key: current.key, name: current.name, answers, scored: scoredIn(current), total: current.leaves.length }}
        previous={link(groups[index - 1])}
        next={link(groups[index + 1])}
        scale={context.scale}
        scored={mine.filter((x) => context.leaves.some((l) => l.id === x.criterion_id)).length}
        total={context.leaves.length}
        revisit={revisit.size}
        submitted={submitted}
        panel={panel}
        supplier={responses}
        response={submitted ? await responseOf(evaluation, member, option) : undefined}
        values={values}
        errors={errors}
        trial={await trialBeside(db, option, context.criteria, current.leaves)}
      />
    )
    return render(c, page, Object.keys(errors).length > 0 ? 422 : 200)
  }

  /** The option's documents this evaluator may open, which their evidence can point at, and links for those scores point at. */
  function evidenceDocuments(c: Context, evaluation: Evaluation, optionId: number, open: readonly number[] | null) {
    const reader: DocumentReader = { roles: c.get('roles'), planApproved: evaluation.plan_version > 0, openOptions: open }
    return documentLinks(db, evaluation.id, reader, optionId)
  }

  /**
   * The supplier's response to each criterion on the page, with the document it points at: never one
   * marked commercial, which is sealed from evaluators (src/auth/access.ts, COMMERCIAL).
   */
  async function supplierResponses(evaluationId: number, optionId: number, leaves: readonly Criterion[]): Promise<Map<number, SupplierResponseView>> {
    const [responses, documents, held] = await Promise.all([
      listResponses(db, evaluationId, optionId),
      listDocuments(db, evaluationId, optionId),
      documentsHeld(db, evaluationId),
    ])
    const shown = new Map(documents.filter((d) => d.commercial === 0).map((d) => [d.id, d]))
    const onPage = new Set(leaves.map((l) => l.id))
    const views = new Map<number, SupplierResponseView>()
    for (const r of responses) {
      if (r.commercial === 1 || !onPage.has(r.criterion_id)) continue
      const document = r.document_id === null ? undefined : shown.get(r.document_id)
      if (r.text === null && document === undefined) continue
      views.set(r.criterion_id, {
        text: r.text,
        document:
          document === undefined
            ? null
            : {
                href: held.has(document.id) ? documentHref(evaluationId, document) : null,
                download: held.has(document.id) ? downloadHref(evaluationId, document) : null,
                inline: opensInBrowser(document),
                name: document.name,
                page: r.page,
              },
      })
    }
    return views
  }

  /** The member's response to the option's consensus, once every criterion of it has one. */
  async function responseOf(evaluation: Evaluation, member: PanelMember, option: Option) {
    const state = (await moderationStateOf(db, evaluation.id)).options.get(String(option.id))
    if (state === undefined || state.unmoderated.length > 0) return undefined
    const mine = (await listConfirmations(db, evaluation.id)).find((x) => x.panel_member_id === member.id && x.option_id === option.id)
    if (mine === undefined) return { kind: 'awaiting' as const }
    return mine.dissent === null ? { kind: 'confirmed' as const } : { kind: 'dissented' as const, reason: mine.dissent }
  }

  app.get('/', async (c) => {
    const { evaluation, member, options, open, suppliers } = await seat(c)
    const gate = gatePage(evaluation, member, open, suppliers)
    if (gate !== null) return render(c, gate)
    const context = await scoringContext(evaluation, member)
    const mine = await listIndividualScores(db, evaluation.id, { memberId: member.id })
    const leafIds = new Set(context.leaves.map((l) => l.id))
    const progress = []
    for (const option of options.filter((o) => open!.includes(o.id))) {
      progress.push({
        option,
        scored: mine.filter((x) => x.option_id === option.id && leafIds.has(x.criterion_id)).length,
        total: context.leaves.length,
        submitted: await isSubmitted(db, member.id, option.id),
      })
    }
    return render(c, <ScoringHomePage evaluation={evaluation} member={member} progress={progress} />)
  })

  app.post('/declaration', async (c) => {
    const { evaluation, member, suppliers } = await seat(c)
    const values = formValues(await c.req.parseBody())
    const parsed = parseForm(declarationForm, values)
    if (!parsed.ok) return render(c, memberDeclarationPage(evaluation, member, suppliers, values, parsed.errors), 422)
    const interest = parsed.data.interest === 'interest'
    const refused = await declareInterest(db, actorOf(c), member, {
      interest,
      details: interest ? parsed.data.details : null,
      supplier: interest ? parsed.data.supplier : null,
    })
    if (refused !== null) throw new HTTPException(409, { message: refused.message })
    return c.redirect(`/evaluations/${evaluation.id}/scoring`, 303)
  })

  app.get('/:optionId', async (c) => {
    const s = await seat(c)
    const gate = gatePage(s.evaluation, s.member, s.open, s.suppliers)
    if (gate !== null) return render(c, gate)
    return showOption(c, await optionForMember(c))
  })

  app.post('/:optionId/submit', async (c) => {
    const s = await optionForMember(c)
    const { evaluation, member, option } = s
    if (await isSubmitted(db, member.id, option.id)) return c.redirect(`/evaluations/${evaluation.id}/scoring/${option.id}`, 303)
    const body = await c.req.parseBody()
    if (body.confirm !== 'on') {
      return showOption(c, s, { confirm: `Tick the box to confirm you have finished: submitting locks your scores for ${option.name}` })
    }
    const refused = await submitScores(db, actorOf(c), member, option)
    if (refused !== null) return showOption(c, s, { [refused.field]: refused.message })
    return c.redirect(`/evaluations/${evaluation.id}/scoring/${option.id}`, 303)
  })

  /**
   * What one answer's form needs: the criterion, if the member scores it, with its own descriptors
   * and the scale. A save checks one criterion, so it reads that one (and the tree only when the
   * member is assigned part of it), not the whole tree of every criterion and descriptor.
   */
  async function answerContext(evaluation: Evaluation, member: PanelMember, criterionId: number, assigned: boolean) {
    const [criterion, descriptors, levels] = await Promise.all([
      db.selectFrom('criterion').selectAll().where('evaluation_id', '=', evaluation.id).where('id', '=', criterionId).executeTakeFirst(),
      db.selectFrom('criterion_descriptor').selectAll().where('criterion_id', '=', criterionId).orderBy('level').execute(),
      listScaleLevels(db, evaluation.id),
    ])
    if (criterion === undefined || criterion.kind === 'group') return undefined
    if (assigned) {
      const [criteria, ids] = await Promise.all([listCriteria(db, evaluation.id), assignedCriterionIds(db, member.id)])
      if (!leavesAssigned(criteria, ids).some((l) => l.id === criterion.id)) return undefined
    }
    return { criterion, context: { criteria: [criterion], descriptors, scale: scaleOf(evaluation, levels), leaves: [criterion] } }
  }

  app.post('/:optionId/consensus', async (c) => {
    const s = await optionForMember(c)
    const { evaluation, member, option } = s
    const values = formValues(await c.req.parseBody())
    const parsed = parseForm(responseForm, values)
    if (!parsed.ok) return showOption(c, s, parsed.errors, undefined, values)
    const refused = await respondToConsensus(db, actorOf(c), member, option, { dissent: parsed.data.response === 'dissent', reason: parsed.data.reason })
    if (refused !== null) return showOption(c, s, { [refused.field]: refused.message }, undefined, values)
    return c.redirect(`/evaluations/${evaluation.id}/scoring/${option.id}#consensus-response`, 303)
  })

  /**
   * A save's checks, as `optionForMember` makes them for a page (404 for an option not the
   * evaluation's, 403 for one the member may not score), with the lock and the answer so far, read
   * in one query (findSaveSeat) rather than one each.
   */
  async function saveSeat(c: Context, evaluation: Evaluation, key: { optionId: number; criterionId: number }) {
    let seat = await findSaveSeat(db, evaluation.id, accountOf(c).id, key)
    if (seat === undefined) {
      // An account given the evaluator role directly gets its panel member here, as on its pages.
      await panelMemberFor(db, evaluation.id, accountOf(c), actorOf(c))
      seat = await findSaveSeat(db, evaluation.id, accountOf(c).id, key)
      if (seat === undefined) throw new Error(`No panel member for account ${accountOf(c).id} after making one`)
    }
    const { option } = seat
    if (option === undefined) throw new HTTPException(404)
    const open = await optionsOpenTo(db, seat.member, [option.id])
    if (open === null || !open.includes(option.id)) throw new HTTPException(403, { message: 'You have not been asked to score this option.' })
    return { ...seat, option, open }
  }

  app.post('/:optionId/:criterionId', async (c) => {
    const evaluation = evaluationOf(c)
    const seat = await saveSeat(c, evaluation, { optionId: pathId(c, 'optionId'), criterionId: pathId(c, 'criterionId') })
    const { member, option, answer: current } = seat
    const evidence = await evidenceDocuments(c, evaluation, option.id, seat.open)
    const found = await answerContext(evaluation, member, pathId(c, 'criterionId'), seat.assigned)
    if (found === undefined) throw new HTTPException(404)
    const { criterion, context } = found
    const values = formValues(await c.req.parseBody())
    const respond = async (errors: FieldErrors, savedAt: string | null, status: 200 | 409 | 422, score = current, kept = false) => {
      if (!isHtmx(c)) {
        if (status === 200) {
          // The whole tree only here, for the group page to go back to.
          const whole = await scoringContext(evaluation, member)
          const group = scoringGroups(whole.criteria, whole.leaves).find((g) => g.leaves.some((l) => l.id === criterion.id))
          return c.redirect(`/evaluations/${evaluation.id}/scoring/${option.id}?group=${group?.key ?? ''}#answer-${criterion.id}`, 303)
        }
        const summary: FieldErrors = {}
        for (const [field, message] of Object.entries(errors)) summary[`${criterion.id}-${field}`] = `${criterion.name}: ${message}`
        // The whole page, read as a page reads it, only here: a plain form post that failed.
        return showOption(c, await optionForMember(c), summary, { criterionId: criterion.id, values, errors, kept })
      }
      const props = answerProps(evaluation, option, context, criterion, score, false, evidence.choices, {
        savedAt,
        kept,
        ...(status === 200 ? {} : { values, errors }),
      })
      return render(c, <AnswerForm {...props} summary />, status)
    }
    if (seat.submitted) {
      return respond({ form: 'You have submitted your scores for this option, so they are locked.' }, null, 409)
    }
    const scale = { min: evaluation.scale_min, max: evaluation.scale_max }
    // Whatever is typed is kept: complete, it is the score; short of that, a draft counted nowhere.
    // Only what no draft may be (a score off the scale, text past its limit) is refused.
    const draft = parseForm(draftSchema(criterion.kind, scale), values)
    if (!draft.ok) return respond(draft.errors, null, 422)
    // The evidence points only at one of this option's documents that the evaluator may open.
    const { evidenceDocument, evidencePage } = draft.data
    if (evidenceDocument !== null && !evidence.choices.some((d) => d.id === evidenceDocument)) {
      return respond({ evidenceDocument: 'Choose one of this option’s documents from the list' }, null, 422)
    }
    const complete = parseForm(answerSchema(criterion.kind, scale, evaluation.min_rationale), values)
    const answer = complete.ok
      ? {
          score: complete.data.score,
          rationale: complete.data.rationale,
          evidence: complete.data.evidence,
          evidenceDocumentId: evidenceDocument,
          evidencePage,
          draft: false,
        }
      : {
          score: draft.data.score,
          rationale: draft.data.rationale,
          evidence: draft.data.evidence,
          evidenceDocumentId: evidenceDocument,
          evidencePage,
          draft: true,
        }
    const empty = answer.draft && answer.score === null && answer.rationale === null && answer.evidence === null && evidenceDocument === null
    let fresh = current
    if (!(empty && current === undefined)) {
      const saved = await saveScore(db, actorOf(c), member, option, criterion, answer, draft.data.version)
      if (!saved) {
        return respond(
          {
            form: 'This score was changed in another window after you opened this page, so it was not saved. Reload the page to see the latest, then make your change again.',
          },
          null,
          409,
        )
      }
      fresh = saved
    }
    // Asked to save (the Save button), an incomplete answer says what it lacks; saved as it is typed, it just says it is kept.
    if (!complete.ok && values.save !== undefined) return respond(complete.errors, null, 422, fresh, true)
    return respond({}, clock(), 200, fresh)
  })

  return app
}
