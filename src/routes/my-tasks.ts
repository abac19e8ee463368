import { memberOfAccount } from '../db/panel.js'
import type { Kysely } from 'kysely'
import { DECLARING_ROLES, suppliersOf } from '../appraisal/index.js'
import { memberStanding, standingFor } from '../db/declarations.js'
import { assignedCriterionIds, leavesAssigned, moderationStateOf, optionsOpenTo } from '../db/scoring.js'
import { listCriteria } from '../db/criteria.js'
import { listOptions } from '../db/options.js'
import { listRounds, roundName } from '../db/weighting.js'
import type { Database, Evaluation, EvaluationRole } from '../db/schema.js'
import { scoringGroups } from './scoring.js'

/** One thing waiting for the person, one click from the work. */
export interface Task {
  role: EvaluationRole
  text: string
  href: string
}

/** An evaluation's tasks for one person, and what they are waiting on (no link: nothing for them to do yet). */
export interface EvaluationTasks {
  evaluation: Evaluation
  roles: EvaluationRole[]
  tasks: Task[]
  waiting: string[]
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`
}

/**
 * What is left for this person on each current evaluation they hold a role on, by role: the
 * evaluator's declaration, the groups to score and the options to submit, the consensus to confirm;
 * the lead's plan to approve, declarations to decide, consensus to record and finalising; finance's
 * costs; the facilitator's sessions; the stakeholder's weighting rounds; the clerk's tenders to load.
 */
export async function myTasks(db: Kysely<Database>, accountId: number): Promise<EvaluationTasks[]> {
  const held = await db
    .selectFrom('panel_role')
    .innerJoin('evaluation', 'evaluation.id', 'panel_role.evaluation_id')
    .select(['panel_role.evaluation_id', 'panel_role.role'])
    .where('panel_role.account_id', '=', accountId)
    .where('evaluation.archived', '=', 0)
    .execute()
  const rolesByEvaluation = new Map<number, EvaluationRole[]>()
  for (const row of held) rolesByEvaluation.set(row.evaluation_id, [...(rolesByEvaluation.get(row.evaluation_id) ?? []), row.role])
  if (rolesByEvaluation.size === 0) return []
  const evaluations = await db
    .selectFrom('evaluation')
    .selectAll()
    .where('id', 'in', [...rolesByEvaluation.keys()])
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .execute()
  const result: EvaluationTasks[] = []
  for (const evaluation of evaluations) {
    const roles = rolesByEvaluation.get(evaluation.id)!
    result.push({ evaluation, roles, ...(await tasksOn(db, evaluation, roles, accountId)) })
  }
  return result
}

async function tasksOn(
  db: Kysely<Database>,
  evaluation: Evaluation,
  roles: readonly EvaluationRole[],
  accountId: number,
): Promise<{ tasks: Task[]; waiting: string[] }> {
  const tasks: Task[] = []
  const waiting: string[] = []
  const base = `/evaluations/${evaluation.id}`
  if (evaluation.status === 'finalised') {
    waiting.push(`Finalised (version ${evaluation.version}): nothing is left to do.`)
    return { tasks, waiting }
  }
  const approved = (evaluation.plan_version ?? 0) > 0
  const has = (role: EvaluationRole) => roles.includes(role)
  const needsPanel = has('lead') || has('evaluator') || has('observer')
  const [options, criteria, state] = await Promise.all([
    listOptions(db, evaluation.id),
    listCriteria(db, evaluation.id),
    needsPanel && approved ? moderationStateOf(db, evaluation.id) : Promise.resolve(undefined),
  ])

  // Everyone who can influence the decision declares, and renews once more suppliers are named.
  const standing = await standingFor(
    db,
    evaluation,
    accountId,
    roles.filter((role) => role !== 'evaluator'),
  )
  const declaring = roles.find((role) => role !== 'evaluator' && DECLARING_ROLES.includes(role))
  if (standing !== null && standing.state !== 'current' && declaring !== undefined) {
    tasks.push({
      role: declaring,
      text:
        standing.state === 'renew'
          ? `Renew your declaration of interest: ${standing.newSuppliers.join(', ')} named since`
          : 'Declare any interest in the suppliers, before you work on the tenders or the decision',
      href: `${base}/declaration`,
    })
  }

  if (has('lead')) {
    if (!approved) tasks.push({ role: 'lead', text: 'Approve the evaluation plan: scoring opens once it is approved', href: `${base}/plan` })
    const unassessed = await db
      .selectFrom('role_declaration')
      .select('id')
      .where('evaluation_id', '=', evaluation.id)
      .where('interest', '=', 1)
      .where('assessment', 'is', null)
      .execute()
    if (unassessed.length > 0) {
      tasks.push({
        role: 'lead',
        text: `Assess ${plural(unassessed.length, 'declared interest', 'declared interests')} in the conflicts assessment`,
        href: `${base}/conflicts`,
      })
    }
    const undecided = await db
      .selectFrom('panel_member')
      .select('id')
      .where('evaluation_id', '=', evaluation.id)
      .where('declared_interest', '=', 1)
      .where('decision', 'is', null)
      .execute()
    if (undecided.length > 0) {
      tasks.push({ role: 'lead', text: `Decide on ${plural(undecided.length, 'declaration', 'declarations')} of interest`, href: `${base}/moderation` })
    }
    if (state !== undefined) {
      for (const option of options) {
        const here = state.options.get(String(option.id))
        if (here === undefined || here.unmoderated.length === 0) continue
        if (here.awaitingSubmission.length === 0) {
          tasks.push({
            role: 'lead',
            text: `Record the consensus on ${option.name}: ${plural(here.unmoderated.length, 'criterion', 'criteria')} left`,
            href: `${base}/moderation/${option.id}`,
          })
        } else {
          waiting.push(`${option.name}: ${plural(here.awaitingSubmission.length, 'panel member has', 'panel members have')} still to submit their scores.`)
        }
      }
      if (state.ready && options.length > 0)
        tasks.push({ role: 'lead', text: 'Finalise the evaluation: every consensus is recorded and confirmed', href: `${base}/finalise` })
    }
  }

  if (has('evaluator')) {
    const member = await memberOfAccount(db, evaluation.id, accountId)
    if (!approved) waiting.push('Scoring opens once the lead approves the evaluation plan.')
    else if (member === undefined || memberStanding(member, suppliersOf(options)).state !== 'current') {
      const renew = member !== undefined && member.declared_interest !== null
      tasks.push({
        role: 'evaluator',
        text: renew ? 'Renew your declaration of interest: more suppliers are named' : 'Declare any interest, before you see the tenders',
        href: `${base}/scoring`,
      })
    } else {
      const open = await optionsOpenTo(
        db,
        member,
        options.map((o) => o.id),
      )
      if (open === null)
        waiting.push(
          member.decision === 'remove' ? 'You are not scoring this evaluation, after your declaration.' : 'Your declaration of interest is with the lead.',
        )
      else {
        const leaves = leavesAssigned(criteria, await assignedCriterionIds(db, member.id))
        const groups = scoringGroups(criteria, leaves)
        const [answers, submissions] = await Promise.all([
          db
            .selectFrom('individual_score')
            .select(['option_id', 'criterion_id'])
            .where('evaluation_id', '=', evaluation.id)
            .where('panel_member_id', '=', member.id)
            .where('draft', '=', 0)
            .execute(),
          db.selectFrom('score_submission').select('option_id').where('panel_member_id', '=', member.id).execute(),
        ])
        const submitted = new Set(submissions.map((s) => s.option_id))
        for (const option of options.filter((o) => open.includes(o.id))) {
          if (submitted.has(option.id)) {
            const here = state?.options.get(String(option.id))
            if (here !== undefined && here.unmoderated.length === 0 && here.awaitingConfirmation.includes(String(member.id))) {
              tasks.push({
                role: 'evaluator',
                text: `Confirm the consensus on ${option.name}, or record a dissent`,
                href: `${base}/scoring/${option.id}#consensus-response`,
              })
            }
            continue
          }
          const scored = new Set(answers.filter((a) => a.option_id === option.id).map((a) => a.criterion_id))
          const left = groups.filter((g) => g.leaves.some((l) => !scored.has(l.id)))
          if (left.length === 0) {
            tasks.push({
              role: 'evaluator',
              text: `Submit your scores for ${option.name}: every criterion is scored`,
              href: `${base}/scoring/${option.id}#submit`,
            })
          } else {
            const answered = leaves.filter((l) => scored.has(l.id)).length
            tasks.push({
              role: 'evaluator',
              text: `Score ${option.name}: ${plural(left.length, 'group', 'groups')} left, ${answered} of ${leaves.length} scored`,
              href: `${base}/scoring/${option.id}?group=${left[0]!.key}`,
            })
          }
        }
      }
    }
  }

  if (has('finance')) {
    const priced = new Set(
      (await db.selectFrom('money_line').select('option_id').where('evaluation_id', '=', evaluation.id).where('kind', '=', 'cost').execute()).map(
        (l) => l.option_id,
      ),
    )
    for (const option of options.filter((o) => !priced.has(o.id))) {
      tasks.push({ role: 'finance', text: `Enter the costs of ${option.name}`, href: `${base}/costs/${option.id}` })
    }
  }

  if (has('clerk')) {
    if (!approved) waiting.push('Tender material is loaded once the lead approves the evaluation plan.')
    else {
      const [documents, responses] = await Promise.all([
        db.selectFrom('tender_document').select('option_id').where('evaluation_id', '=', evaluation.id).execute(),
        db.selectFrom('tender_response').select('option_id').where('evaluation_id', '=', evaluation.id).execute(),
      ])
      const loaded = new Set([...documents, ...responses].map((r) => r.option_id))
      for (const option of options.filter((o) => o.tender === 1 && !loaded.has(o.id))) {
        tasks.push({ role: 'clerk', text: `Load the tender of ${option.name}: its documents and responses`, href: `${base}/tender/${option.id}` })
      }
    }
  }

  if (has('facilitator')) {
    const [taskCount, sessions] = await Promise.all([
      db.selectFrom('trial_task').select('id').where('evaluation_id', '=', evaluation.id).execute(),
      db.selectFrom('trial_session').select('id').where('evaluation_id', '=', evaluation.id).execute(),
    ])
    if (taskCount.length === 0) waiting.push('The lead has not set the frontline trial’s tasks yet.')
    else tasks.push({ role: 'facilitator', text: `Run frontline trial sessions (${sessions.length} recorded so far)`, href: `${base}/trials` })
  }

  // A round is answered only while the plan is a draft: its approval settles the weights.
  if (has('stakeholder') && evaluation.plan_version === 0) {
    for (const { round, items, participants } of await listRounds(db, evaluation.id)) {
      if (round.applied_at !== null) continue
      const me = participants.find((p) => p.account_id === accountId)
      const pairs = (items.length * (items.length - 1)) / 2
      if (me !== undefined && me.stored.length < pairs) {
        tasks.push({ role: 'stakeholder', text: `Compare the criteria of ${roundName(round, criteria)} in pairs`, href: `${base}/weighting/${round.id}` })
      }
    }
  }

  if (has('observer') && !has('lead')) {
    if (state?.complete === true) tasks.push({ role: 'observer', text: 'Read the results: moderation is complete', href: `${base}/results` })
    else waiting.push('The results open to you once moderation is complete.')
  }
  return { tasks, waiting }
}
