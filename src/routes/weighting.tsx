import type { Context } from 'hono'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { z } from 'zod'
import type { AppDeps } from '../app.js'
import { accountOf, actorOf, evaluationOf } from '../auth/guard.js'
import { runsRounds } from '../auth/access.js'
import { judgementValueSchema } from '../appraisal/weighting.js'
import { listCriteria } from '../db/criteria.js'
import type { Evaluation } from '../db/schema.js'
import {
  applyRound,
  createRound,
  findRound,
  inviteToRound,
  linkParticipant,
  listRounds,
  removeRound,
  roundFigures,
  roundName,
  roundsOpen,
  saveJudgements,
  type RoundWithParticipants,
  type StoredJudgement,
} from '../db/weighting.js'
import { RoundPage, WeightingListPage } from '../../views/pages/weighting.js'
import type { FieldErrors, FormValues } from '../../views/components/form.js'
import { emailField } from './accounts.js'
import { pathId } from './evaluation-context.js'
import { formValues, idParam, parseForm } from './form.js'
import { render } from './render.js'

/** The group whose criteria a round compares: blank for the top level, else a criterion's id. */
function parentOf(values: FormValues): number | null | undefined {
  const text = values.parent ?? ''
  if (text === '') return null
  const id = idParam.safeParse(text)
  return id.success ? id.data : undefined
}
const inviteForm = z.object({ email: emailField })
const linkForm = z.object({ participant: z.coerce.number({ error: 'Choose a participant of this round' }).int().positive(), linkEmail: emailField })

/** Weighting rounds (issue 25): the lead's set-up and figures, and each stakeholder's comparisons. */
export function weightingRoutes({ db }: AppDeps): Hono {
  const app = new Hono()

  async function showList(c: Context, evaluation: Evaluation, values: FormValues = {}, errors: FieldErrors = {}) {
    const [criteria, rounds, open] = await Promise.all([listCriteria(db, evaluation.id), listRounds(db, evaluation.id), roundsOpen(db, evaluation.id)])
    const page = (
      <WeightingListPage
        evaluation={evaluation}
        criteria={criteria}
        rounds={rounds}
        figures={roundFigures(rounds, criteria)}
        open={open}
        values={values}
        errors={errors}
      />
    )
    return render(c, page, Object.keys(errors).length > 0 ? 422 : 200)
  }

  /** The round in the path; a stakeholder sees only the rounds they take part in. */
  async function loadRound(c: Context): Promise<RoundWithParticipants> {
    const evaluation = evaluationOf(c)
    const round = await findRound(db, evaluation.id, pathId(c, 'roundId'))
    if (round === undefined) throw new HTTPException(404)
    if (!runsRounds(c.get('roles') ?? []) && !round.participants.some((p) => p.account_id === accountOf(c).id)) throw new HTTPException(404)
    return round
  }

  async function showRound(c: Context, round: RoundWithParticipants, values: FormValues = {}, errors: FieldErrors = {}) {
    const evaluation = evaluationOf(c)
    const [criteria, open] = await Promise.all([listCriteria(db, evaluation.id), roundsOpen(db, evaluation.id)])
    const figures = roundFigures([round], criteria).get(round.round.id)!
    const page = <RoundPage evaluation={evaluation} criteria={criteria} round={round} figures={figures} open={open} values={values} errors={errors} />
    return render(c, page, Object.keys(errors).length > 0 ? 422 : 200)
  }

  const roundUrl = (round: RoundWithParticipants) => `/evaluations/${round.round.evaluation_id}/weighting/${round.round.id}`

  app.get('/', async (c) => showList(c, evaluationOf(c)))

  app.post('/', async (c) => {
    const evaluation = evaluationOf(c)
    const values = formValues(await c.req.parseBody())
    const parent = parentOf(values)
    if (parent === undefined) return showList(c, evaluation, values, { parent: 'Choose a group from the list' })
    const refused = await createRound(db, actorOf(c), evaluation.id, parent)
    if (refused !== null) return showList(c, evaluation, values, { [refused.field]: refused.message })
    return c.redirect(`/evaluations/${evaluation.id}/weighting`, 303)
  })

  app.get('/:roundId', async (c) => showRound(c, await loadRound(c)))

  app.post('/:roundId/participants', async (c) => {
    const round = await loadRound(c)
    const values = formValues(await c.req.parseBody())
    const parsed = parseForm(inviteForm, values)
    if (!parsed.ok) return showRound(c, round, values, parsed.errors)
    const name = roundName(round.round, await listCriteria(db, round.round.evaluation_id))
    const refused = await inviteToRound(db, actorOf(c), round, name, parsed.data.email)
    if (refused !== null) return showRound(c, round, values, { [refused.field]: refused.message })
    return c.redirect(roundUrl(round), 303)
  })

  app.post('/:roundId/link', async (c) => {
    const round = await loadRound(c)
    const values = formValues(await c.req.parseBody())
    const parsed = parseForm(linkForm, values)
    if (!parsed.ok) return showRound(c, round, values, parsed.errors)
    const refused = await linkParticipant(db, actorOf(c), round, parsed.data.participant, parsed.data.linkEmail)
    if (refused !== null) return showRound(c, round, values, { [refused.field]: refused.message })
    return c.redirect(roundUrl(round), 303)
  })

  app.post('/:roundId/judgements', async (c) => {
    const round = await loadRound(c)
    const participant = round.participants.find((p) => p.account_id === accountOf(c).id)
    if (participant === undefined) throw new HTTPException(404)
    const values = formValues(await c.req.parseBody())
    // Every pair the form sends, in either direction (the page sends each pair one way): the data
    // layer refuses a pair answered twice or a criterion not in the round.
    const judgements: StoredJudgement[] = []
    const errors: FieldErrors = {}
    for (const [field, raw] of Object.entries(values)) {
      const pair = /^pair-(\d+)-(\d+)$/.exec(field)
      const text = raw?.trim() ?? ''
      if (pair === null || text === '') continue
      const value = judgementValueSchema.safeParse(/^\d+(\.\d+)?$/.test(text) ? Number(text) : text)
      if (!value.success) errors[field] = 'Choose a value on the scale, from 9 one way to 9 the other'
      else judgements.push({ a: Number(pair[1]), b: Number(pair[2]), value: value.data })
    }
    if (Object.keys(errors).length > 0) return showRound(c, round, values, errors)
    const refused = await saveJudgements(db, actorOf(c), round, participant, judgements, await listCriteria(db, round.round.evaluation_id))
    if (refused !== null) return showRound(c, round, values, { [refused.field]: refused.message })
    return c.redirect(`${roundUrl(round)}#yours`, 303)
  })

  app.post('/:roundId/apply', async (c) => {
    const round = await loadRound(c)
    const criteria = await listCriteria(db, round.round.evaluation_id)
    const refused = await applyRound(db, actorOf(c), round, criteria, roundName(round.round, criteria))
    if (refused !== null) return showRound(c, round, {}, { [refused.field]: refused.message })
    return c.redirect(roundUrl(round), 303)
  })

  app.post('/:roundId/delete', async (c) => {
    const round = await loadRound(c)
    const criteria = await listCriteria(db, round.round.evaluation_id)
    const refused = await removeRound(db, actorOf(c), round.round, roundName(round.round, criteria))
    if (refused !== null) return showRound(c, round, {}, { [refused.field]: refused.message })
    return c.redirect(`/evaluations/${round.round.evaluation_id}/weighting`, 303)
  })

  return app
}
