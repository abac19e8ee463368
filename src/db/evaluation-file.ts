import { recordedCreation, type Actor } from './audit.js'
import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import { planHash, savedUnsubmitted, submittedOptions, type CellTotal, type EvaluationFile, type OptimismBiasPresetId } from '../appraisal/index.js'
import type { Db } from './connection.js'
import { now } from './connection.js'
import { awardColumns, awardFromRow } from './award.js'
import { buildCriteriaTree, insertCriteriaTree, listCriteria, listCriterionDescriptors } from './criteria.js'
import { findEvaluation, listScaleLevels } from './evaluations.js'
import { listOptions } from './options.js'
import { listPanelMembers } from './panel.js'
import { roleDeclarationInFile, roleDeclarationRecord } from './declarations.js'
import { insertRounds, listRounds, roundsAsFile } from './weighting.js'
import { insertTrials, readTrialParts, trialsAsFile } from './trials.js'
import { insertTender, readTenderPart, tenderAsFile } from './tender.js'
import type { Insertable } from 'kysely'
import type { Database, ModerationMeeting, PlanVersion, PlanVersionTable } from './schema.js'
import { listPlanVersions, scoresToRevisit, tieDecisionOf } from './plan.js'
import { fileLine, lineFromFile, moneyLineDetails, moneyLineRow, sunkCostDetails, sunkCostRow } from '../money-line-fields.js'

/**
 * The bridge between the database and the evaluation file: the app stores exactly what the file
 * holds, so export(import(file)) gives back the same evaluation, and every figure in the app is
 * computed from the same file shape as the command line's.
 */

/** Rows per multi-row insert: well under SQLite's limit on bound values per statement. */
const BATCH = 400

function omitNull<T extends Record<string, unknown>>(record: T): { [K in keyof T]: Exclude<T[K], null> } {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(record)) if (value !== null && value !== undefined) out[key] = value
  return out as { [K in keyof T]: Exclude<T[K], null> }
}

async function insertInBatches<T>(rows: T[], insert: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) await insert(rows.slice(i, i + BATCH))
}

export interface ReadOptions {
  /**
   * False leaves out each individual score's rationale and evidence, for pages that only compute
   * from the scores: on a large panel those words are most of the database, and reading them took
   * ten times as long as computing the results.
   */
  individualTexts?: boolean
  /** False leaves out the individual scores altogether (the file's `scores` is empty): see readResultsInput. */
  individualScores?: boolean
  /** False leaves out the consensus scores (the file's `consensus` is empty): see readResultsInput. */
  consensusScores?: boolean
}

interface ScoreRow {
  panel_member_id: number
  option_id: number
  criterion_id: number
  score: number | null
  draft: number
  rationale?: string | null
  evidence?: string | null
  evidence_document_id?: number | null
  evidence_page?: number | null
}

/**
 * Parts of a file the app cannot store yet (its pages for them come later): an import refuses them,
 * with their path, rather than drop them. `appraise results` reads them from the file itself.
 */
export function partsNotStored(_file: EvaluationFile): string[] {
  // Every part of the file is kept now: weighting rounds and trials since issues 25 and 24.
  return []
}

/** Reads a stored evaluation as an evaluation file (defaults made explicit); undefined if there is none. */
export async function readEvaluationFile(db: Db, evaluationId: number, read: ReadOptions = {}): Promise<EvaluationFile | undefined> {
  const evaluation = await findEvaluation(db, evaluationId)
  if (evaluation === undefined) return undefined
  const scoreRows = db
    .selectFrom('individual_score')
    .select(['panel_member_id', 'option_id', 'criterion_id', 'score', 'draft'])
    .where('evaluation_id', '=', evaluationId)
    .orderBy('position')
    .orderBy('id')
  const scoresRead: Promise<ScoreRow[]> =
    read.individualScores === false
      ? Promise.resolve([])
      : read.individualTexts === false
        ? scoreRows.execute()
        : scoreRows.select(['rationale', 'evidence', 'evidence_document_id', 'evidence_page']).execute()
  const [levels, options, criteria, descriptors, panel, scores, consensus, lines, sunk, rounds, trialParts, planVersions, tenderPart, revisitRows] =
    await Promise.all([
      listScaleLevels(db, evaluationId),
      listOptions(db, evaluationId),
      listCriteria(db, evaluationId),
      listCriterionDescriptors(db, evaluationId),
      listPanelMembers(db, evaluationId),
      scoresRead,
      read.consensusScores === false
        ? Promise.resolve([])
        : db.selectFrom('consensus_score').selectAll().where('evaluation_id', '=', evaluationId).orderBy('position').orderBy('id').execute(),
      db.selectFrom('money_line').selectAll().where('evaluation_id', '=', evaluationId).orderBy('position').orderBy('id').execute(),
      db.selectFrom('sunk_cost').selectAll().where('evaluation_id', '=', evaluationId).orderBy('position').orderBy('id').execute(),
      listRounds(db, evaluationId),
      readTrialParts(db, evaluationId),
      listPlanVersions(db, evaluationId),
      readTenderPart(db, evaluationId),
      scoresToRevisit(db, evaluationId),
    ])
  const toRevisit = new Map(revisitRows.map((r) => [`${r.memberId}:${r.optionId}:${r.criterionId}`, r.version]))
  const memberIds = panel.map((m) => m.id)
  const [assignments, submissions, allowed, excuses, confirmations] =
    memberIds.length === 0
      ? [[], [], [], [], []]
      : await Promise.all([
          db.selectFrom('panel_assignment').selectAll().where('panel_member_id', 'in', memberIds).orderBy('id').execute(),
          db.selectFrom('score_submission').selectAll().where('panel_member_id', 'in', memberIds).orderBy('id').execute(),
          db.selectFrom('panel_member_option').selectAll().where('panel_member_id', 'in', memberIds).orderBy('id').execute(),
          db.selectFrom('score_excuse').selectAll().where('panel_member_id', 'in', memberIds).orderBy('id').execute(),
          db.selectFrom('consensus_confirmation').selectAll().where('panel_member_id', 'in', memberIds).orderBy('id').execute(),
        ])
  const meetings = await db.selectFrom('moderation_meeting').selectAll().where('evaluation_id', '=', evaluationId).orderBy('position').orderBy('id').execute()
  const meetingKey = new Map(meetings.map((m) => [m.id, m.key]))
  const declarations = await db.selectFrom('role_declaration').selectAll().where('evaluation_id', '=', evaluationId).orderBy('position').orderBy('id').execute()
  const submittedPairs = new Set(submissions.map((a) => `${a.panel_member_id}:${a.option_id}`))
  const optionKey = new Map(options.map((o) => [o.id, o.key]))
  const criterionKey = new Map(criteria.map((c) => [c.id, c.key]))
  const memberKey = new Map(panel.map((m) => [m.id, m.key]))
  const documentKey = new Map(tenderPart.documents.map((d) => [d.id, d.key]))
  const labels: Record<string, string> = {}
  const levelDescriptors: Record<string, string> = {}
  for (const level of levels) {
    if (level.label !== null) labels[String(level.level)] = level.label
    if (level.descriptor !== null) levelDescriptors[String(level.level)] = level.descriptor
  }
  const moneyLine = (line: (typeof lines)[number]) => ({ option: optionKey.get(line.option_id)!, ...fileLine(line.kind, moneyLineDetails(line)) })
  const file = {
    format: 'options-appraisal/1' as const,
    title: evaluation.title,
    ...omitNull({ organisation: evaluation.organisation, summary: evaluation.summary }),
    currency: evaluation.currency,
    scale: {
      min: evaluation.scale_min,
      max: evaluation.scale_max,
      ...(Object.keys(labels).length > 0 ? { labels } : {}),
      ...(Object.keys(levelDescriptors).length > 0 ? { descriptors: levelDescriptors } : {}),
    },
    split: { quality: evaluation.split_quality, cost: evaluation.split_cost },
    priceFormula: evaluation.price_formula,
    ...omitNull({ priceBasis: evaluation.price_basis }),
    appraisal: {
      baseYear: evaluation.base_year,
      years: evaluation.years,
      discount: JSON.parse(evaluation.discount) as EvaluationFile['appraisal']['discount'],
      optimismBias: omitNull({
        capital: evaluation.optimism_bias_capital,
        operating: evaluation.optimism_bias_operating,
        preset: evaluation.optimism_bias_preset as OptimismBiasPresetId | null,
        note: evaluation.optimism_bias_note,
      }),
    },
    options: options.map((o) =>
      omitNull({
        id: o.key,
        name: o.name,
        baseline: o.baseline === 1,
        tender: o.tender === 1,
        supplier: o.supplier,
        product: o.product,
        description: o.description,
      }),
    ),
    criteria: buildCriteriaTree(criteria, descriptors),
    panel: { minRationale: evaluation.min_rationale, tolerance: evaluation.tolerance },
    evaluators: panel.map((m) => {
      const criteria = assignments.filter((a) => a.panel_member_id === m.id).map((a) => criterionKey.get(a.criterion_id)!)
      const submitted = submissions.filter((a) => a.panel_member_id === m.id).map((a) => optionKey.get(a.option_id)!)
      const allowedOptions = allowed.filter((a) => a.panel_member_id === m.id).map((a) => optionKey.get(a.option_id)!)
      const declaration =
        m.declared_interest === null
          ? null
          : omitNull({
              interest: m.declared_interest === 1,
              details: m.declaration_details,
              declaredAt: m.declared_at,
              decision: m.decision,
              decisionNote: m.decision_note,
              decidedAt: m.decided_at,
              allowedOptions: allowedOptions.length > 0 ? allowedOptions : null,
              supplier: m.interest_supplier,
              suppliersKnown: m.suppliers_known === null ? null : (JSON.parse(m.suppliers_known) as string[]),
            })
      const excused = excuses.filter((a) => a.panel_member_id === m.id).map((a) => ({ option: optionKey.get(a.option_id)!, reason: a.reason }))
      const responses = confirmations
        .filter((a) => a.panel_member_id === m.id)
        .map((a) => omitNull({ option: optionKey.get(a.option_id)!, at: a.confirmed_at, dissent: a.dissent }))
      return omitNull({
        id: m.key,
        name: m.name,
        role: m.role,
        email: m.email,
        criteria: criteria.length > 0 ? criteria : null,
        submitted: submitted.length > 0 ? submitted : null,
        declaration,
        excused: excused.length > 0 ? excused : null,
        confirmations: responses.length > 0 ? responses : null,
      })
    }),
    // Built field by field rather than through omitNull: there can be a hundred thousand of them.
    scores: scores.map((s) => {
      const score: {
        evaluator: string
        option: string
        criterion: string
        score?: number
        draft?: true
        rationale?: string
        evidence?: string
        evidenceDocument?: string
        evidencePage?: number
        revisit?: number
      } = {
        evaluator: memberKey.get(s.panel_member_id)!,
        option: optionKey.get(s.option_id)!,
        criterion: criterionKey.get(s.criterion_id)!,
      }
      if (s.score !== null) score.score = s.score
      if (s.draft === 1) score.draft = true
      if (s.rationale !== undefined && s.rationale !== null) score.rationale = s.rationale
      if (s.evidence !== undefined && s.evidence !== null) score.evidence = s.evidence
      if (s.evidence_document_id !== undefined && s.evidence_document_id !== null) {
        score.evidenceDocument = documentKey.get(s.evidence_document_id)!
        if (s.evidence_page !== undefined && s.evidence_page !== null) score.evidencePage = s.evidence_page
      }
      if (!submittedPairs.has(`${s.panel_member_id}:${s.option_id}`)) score.draft = true
      const revisit = toRevisit.get(`${s.panel_member_id}:${s.option_id}:${s.criterion_id}`)
      if (revisit !== undefined) score.revisit = revisit
      return score
    }),
    consensus: consensus.map((s) =>
      omitNull({
        option: optionKey.get(s.option_id)!,
        criterion: criterionKey.get(s.criterion_id)!,
        score: s.score,
        rationale: s.rationale,
        evidence: s.evidence,
        acceptedWithinTolerance: s.accepted_within_tolerance === 1 ? true : null,
        meeting: s.meeting_id === null ? null : (meetingKey.get(s.meeting_id) ?? null),
      }),
    ),
    ...(meetings.length > 0 ? { meetings: meetings.map((m) => meetingInFile(m, { memberKey, optionKey, criterionKey })) } : {}),
    ...(declarations.length > 0 ? { declarations: declarations.map(roleDeclarationInFile) } : {}),
    costs: lines.filter((l) => l.kind === 'cost').map(moneyLine),
    benefits: lines.filter((l) => l.kind === 'benefit').map(moneyLine),
    sunkCosts: sunk.map((s) => ({ option: optionKey.get(s.option_id)!, ...fileLine('sunk', sunkCostDetails(s)) })),
    ...omitNull({ award: awardFromRow(evaluation, optionKey) ?? null }),
    ...omitNull({ weighting: roundsAsFile(rounds, criterionKey) ?? null }),
    ...omitNull({ trials: trialsAsFile(trialParts, optionKey, criterionKey) ?? null }),
    ...omitNull({ tender: tenderAsFile(tenderPart, optionKey, criterionKey) ?? null }),
    ...(evaluation.tie_breaker === null ? {} : { tieBreaker: evaluation.tie_breaker }),
    ...planFields(planVersions),
    ...(evaluation.tie_decision === null ? {} : { tieDecision: tieDecisionOf(evaluation) }),
  }
  return file as unknown as EvaluationFile
}

/** The plan's approval and later changes, as the file holds them; nothing while the plan is a draft. */
function planFields(versions: readonly PlanVersion[]): Pick<EvaluationFile, 'plan'> {
  const [approval, ...changes] = versions
  if (approval === undefined) return {}
  return {
    plan: {
      approvedAt: approval.approved_at,
      approvedBy: approval.approved_by_name,
      hash: approval.hash,
      changes: changes.map((change) => {
        const criteria = JSON.parse(change.criteria ?? '[]') as string[]
        return {
          at: change.approved_at,
          by: change.approved_by_name,
          reason: change.reason ?? '',
          hash: change.hash,
          ...(criteria.length > 0 ? { criteria } : {}),
        }
      }),
    },
  }
}

/** A meeting's lists hold the evaluation's ids; one no longer there (an option deleted since) is left out. */
function meetingInFile(
  meeting: ModerationMeeting,
  keys: { memberKey: ReadonlyMap<number, string>; optionKey: ReadonlyMap<number, string>; criterionKey: ReadonlyMap<number, string> },
) {
  const known = (ids: string, map: ReadonlyMap<number, string>) => (JSON.parse(ids) as number[]).flatMap((id) => map.get(id) ?? [])
  const options = known(meeting.options, keys.optionKey)
  const criteria = known(meeting.criteria, keys.criterionKey)
  return omitNull({
    id: meeting.key,
    date: meeting.held_on,
    chair: meeting.chair,
    attendees: known(meeting.attendees, keys.memberKey),
    options: options.length > 0 ? options : null,
    criteria: criteria.length > 0 ? criteria : null,
    notes: meeting.notes,
  })
}

/**
 * Stores a validated evaluation file as a new evaluation, all in one transaction; returns its id.
 * The account that imports it, if any, becomes its lead.
 */
export async function importEvaluationFile(
  db: Kysely<Database>,
  file: EvaluationFile,
  options: { actor: Actor; leadAccountId?: number; summary?: string },
): Promise<number> {
  const request = {
    actor: options.actor,
    kind: 'evaluation' as const,
    summary:
      (options.summary ?? `Evaluation “${file.title}” imported from an evaluation file`) +
      (file.plan === undefined && hasScores(file) ? '; its plan treated as approved at import, since the file already carries scores' : '') +
      (file.plan === undefined && !hasScores(file) && file.options.some((o) => o.tender === true)
        ? '; its plan is a draft, so its tenders stay closed to changes until the lead approves it'
        : ''),
  }
  return recordedCreation(db, request, async (trx) => {
    const stamp = now()
    const evaluation = await trx
      .insertInto('evaluation')
      .values({
        title: file.title,
        organisation: file.organisation ?? null,
        summary: file.summary ?? null,
        currency: file.currency,
        scale_min: file.scale.min,
        scale_max: file.scale.max,
        split_quality: file.split.quality,
        split_cost: file.split.cost,
        price_formula: file.priceFormula,
        // Only when set, so that a database from before the column (the upgrade tests make one) still takes an import.
        ...(file.priceBasis === undefined ? {} : { price_basis: file.priceBasis }),
        base_year: file.appraisal.baseYear,
        years: file.appraisal.years,
        discount: JSON.stringify(file.appraisal.discount),
        optimism_bias_capital: file.appraisal.optimismBias.capital,
        optimism_bias_operating: file.appraisal.optimismBias.operating,
        // Only when given, so that a file without them imports into a database from before them.
        ...(file.appraisal.optimismBias.preset === undefined ? {} : { optimism_bias_preset: file.appraisal.optimismBias.preset }),
        ...(file.appraisal.optimismBias.note === undefined ? {} : { optimism_bias_note: file.appraisal.optimismBias.note }),
        min_rationale: file.panel.minRationale,
        tolerance: file.panel.tolerance,
        // Set only when there is something to set, so an import still works on a database from before plans (the upgrade tests).
        ...(file.tieBreaker === undefined ? {} : { tie_breaker: file.tieBreaker }),
        ...(file.tieDecision === undefined ? {} : { tie_decision: JSON.stringify(file.tieDecision) }),
        archived: 0,
        created_at: stamp,
        updated_at: stamp,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const evaluationId = evaluation.id
    if (options.leadAccountId !== undefined) {
      await trx.insertInto('panel_role').values({ evaluation_id: evaluationId, account_id: options.leadAccountId, role: 'lead' }).execute()
    }

    const levels = new Set([...Object.keys(file.scale.labels ?? {}), ...Object.keys(file.scale.descriptors ?? {})])
    if (levels.size > 0) {
      await trx
        .insertInto('scale_level')
        .values(
          [...levels].map((level) => ({
            evaluation_id: evaluationId,
            level: Number(level),
            label: file.scale.labels?.[level] ?? null,
            descriptor: file.scale.descriptors?.[level] ?? null,
          })),
        )
        .execute()
    }

    const optionIds = new Map<string, number>()
    for (const [position, option] of file.options.entries()) {
      const row = await trx
        .insertInto('option')
        .values({
          evaluation_id: evaluationId,
          key: option.id,
          name: option.name,
          supplier: option.supplier ?? null,
          product: option.product ?? null,
          description: option.description ?? null,
          baseline: option.baseline === true ? 1 : 0,
          tender: option.tender ? 1 : 0,
          position,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      optionIds.set(option.id, row.id)
    }
    if (file.award !== undefined) await trx.updateTable('evaluation').set(awardColumns(file.award, optionIds)).where('id', '=', evaluationId).execute()

    const criterionIds = await insertCriteriaTree(trx, evaluationId, file.criteria)

    const memberIds = new Map<string, number>()
    const submittedBy = submittedOptions(file)
    const submissions: { panel_member_id: number; option_id: number; submitted_at: string }[] = []
    for (const [position, member] of file.evaluators.entries()) {
      const row = await trx
        .insertInto('panel_member')
        .values({
          evaluation_id: evaluationId,
          key: member.id,
          name: member.name,
          role: member.role ?? null,
          email: member.email ?? null,
          position,
          declared_interest: member.declaration === undefined ? null : member.declaration.interest ? 1 : 0,
          declaration_details: member.declaration?.details ?? null,
          declared_at: member.declaration?.declaredAt ?? null,
          decision: member.declaration?.decision ?? null,
          decision_note: member.declaration?.decisionNote ?? null,
          decided_at: member.declaration?.decidedAt ?? null,
          // Named only when the file has them, so that an import into a database from before them still works.
          ...(member.declaration?.supplier === undefined ? {} : { interest_supplier: member.declaration.supplier }),
          ...(member.declaration?.suppliersKnown === undefined ? {} : { suppliers_known: JSON.stringify(member.declaration.suppliersKnown) }),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      memberIds.set(member.id, row.id)
      for (const criterion of member.criteria ?? []) {
        await trx
          .insertInto('panel_assignment')
          .values({ panel_member_id: row.id, criterion_id: criterionIds.get(criterion)! })
          .execute()
      }
      for (const option of submittedBy.get(member.id) ?? []) {
        submissions.push({ panel_member_id: row.id, option_id: optionIds.get(option)!, submitted_at: stamp })
      }
      for (const excuse of member.excused ?? []) {
        await trx
          .insertInto('score_excuse')
          .values({ panel_member_id: row.id, option_id: optionIds.get(excuse.option)!, reason: excuse.reason, excused_at: stamp })
          .execute()
      }
      for (const response of member.confirmations ?? []) {
        await trx
          .insertInto('consensus_confirmation')
          .values({
            panel_member_id: row.id,
            option_id: optionIds.get(response.option)!,
            dissent: response.dissent ?? null,
            confirmed_at: response.at ?? stamp,
          })
          .execute()
      }
      for (const option of member.declaration?.allowedOptions ?? []) {
        await trx
          .insertInto('panel_member_option')
          .values({ panel_member_id: row.id, option_id: optionIds.get(option)! })
          .execute()
      }
    }

    // The tender's documents before the scores, whose evidence can point at them.
    const documentIds = file.tender === undefined ? new Map<string, number>() : await insertTender(trx, evaluationId, file.tender, optionIds, criterionIds)
    // The app marks every score of an option not yet submitted a draft in the file; the complete ones
    // among them were saved, and come back saved (src/appraisal/moderation.ts).
    const saved = savedUnsubmitted(file)
    const anyDraft = file.scores.some((s, position) => s.draft === true && !saved.has(position))
    const anyEvidenceDocument = file.scores.some((s) => s.evidenceDocument !== undefined)
    await insertInBatches(
      file.scores.map((s, position) => ({
        evaluation_id: evaluationId,
        panel_member_id: memberIds.get(s.evaluator)!,
        option_id: optionIds.get(s.option)!,
        criterion_id: criterionIds.get(s.criterion)!,
        score: s.score ?? null,
        rationale: s.rationale ?? null,
        evidence: s.evidence ?? null,
        // The draft flag and the evidence's document are named only when some score of the file has
        // them, then on every row (a batch's rows name the same columns: SQLite gives a column a row
        // leaves out null, not its default). An import into a database from before them, as the
        // upgrade tests make, still works.
        ...(anyDraft ? { draft: s.draft === true && !saved.has(position) ? 1 : 0 } : {}),
        ...(anyEvidenceDocument
          ? { evidence_document_id: s.evidenceDocument === undefined ? null : documentIds.get(s.evidenceDocument)!, evidence_page: s.evidencePage ?? null }
          : {}),
        position,
        // A score to revisit was given before the change that flagged it (src/db/plan.ts, scoresToRevisit).
        updated_at: s.revisit === undefined ? stamp : new Date(Date.parse(file.plan!.changes[s.revisit - 2]!.at) - 1).toISOString(),
      })),
      (batch) => trx.insertInto('individual_score').values(batch).execute(),
    )
    await insertInBatches(submissions, (batch) => trx.insertInto('score_submission').values(batch).execute())
    const meetingIds = new Map<string, number>()
    for (const [position, declaration] of (file.declarations ?? []).entries()) {
      const account =
        declaration.email === undefined
          ? undefined
          : await trx.selectFrom('account').select('id').where('email', '=', declaration.email.toLowerCase()).executeTakeFirst()
      await trx
        .insertInto('role_declaration')
        .values({ evaluation_id: evaluationId, position, account_id: account?.id ?? null, ...roleDeclarationRecord(declaration, stamp) })
        .execute()
    }
    for (const [position, meeting] of (file.meetings ?? []).entries()) {
      const row = await trx
        .insertInto('moderation_meeting')
        .values({
          evaluation_id: evaluationId,
          key: meeting.id,
          held_on: meeting.date,
          chair: meeting.chair,
          attendees: JSON.stringify(meeting.attendees.map((id) => memberIds.get(id)!)),
          options: JSON.stringify((meeting.options ?? []).map((id) => optionIds.get(id)!)),
          criteria: JSON.stringify((meeting.criteria ?? []).map((id) => criterionIds.get(id)!)),
          notes: meeting.notes ?? null,
          position,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      meetingIds.set(meeting.id, row.id)
    }
    await insertInBatches(
      file.consensus.map((s, position) => ({
        evaluation_id: evaluationId,
        option_id: optionIds.get(s.option)!,
        criterion_id: criterionIds.get(s.criterion)!,
        score: s.score,
        rationale: s.rationale ?? null,
        evidence: s.evidence ?? null,
        accepted_within_tolerance: s.acceptedWithinTolerance === true ? 1 : 0,
        meeting_id: s.meeting === undefined ? null : meetingIds.get(s.meeting)!,
        position,
        updated_at: stamp,
      })),
      (batch) => trx.insertInto('consensus_score').values(batch).execute(),
    )
    const moneyRows = [
      ...file.costs.map((line) => ({ line, details: lineFromFile('cost', line) })),
      ...file.benefits.map((line) => ({ line, details: lineFromFile('benefit', line) })),
    ].map(({ line, details }, position) => ({ evaluation_id: evaluationId, option_id: optionIds.get(line.option)!, ...moneyLineRow(details), position }))
    await insertInBatches(moneyRows, (batch) => trx.insertInto('money_line').values(batch).execute())
    await insertInBatches(
      file.sunkCosts.map((s, position) => ({
        evaluation_id: evaluationId,
        option_id: optionIds.get(s.option)!,
        ...sunkCostRow(lineFromFile('sunk', s)),
        position,
      })),
      (batch) => trx.insertInto('sunk_cost').values(batch).execute(),
    )
    if (file.weighting !== undefined) await insertRounds(trx, evaluationId, file.weighting, criterionIds)
    if (file.trials !== undefined) await insertTrials(trx, evaluationId, file.trials, optionIds, criterionIds)
    const versions = planVersionsOf(file, { at: stamp, actor: options.actor })
    if (versions.length > 0) {
      await trx
        .insertInto('plan_version')
        .values(versions.map((v) => ({ evaluation_id: evaluationId, ...v })))
        .execute()
      await trx.updateTable('evaluation').set({ plan_version: versions.length }).where('id', '=', evaluationId).execute()
    }
    return evaluationId
  })
}

/**
 * What the results need, read without carrying every score out of the database: the file without
 * its individual and consensus scores, and each cell (an option on a criterion) as the database
 * resolves it: its consensus score where it has one, else the sum and count of its individual
 * scores, for the engine to divide (computeResultsFromTotals). Every individual score that is
 * submitted and not a draft counts, as in the file.
 *
 * The cells without a consensus are found from the options and criteria (one look-up each), and only
 * theirs reach the individual scores, through the cell index: a moderated evaluation reads none.
 * At 90,000 scores, reading them all took 100 ms of the results' 105.
 * A sum of whole numbers is exact in any order; a cell holding a fraction (a file can bring 2.5) is
 * added up here in the file's order instead, so its mean is to the last bit the one the individual
 * scores give.
 */
export async function readResultsInput(db: Db, evaluationId: number): Promise<{ file: EvaluationFile; totals: CellTotal[] } | undefined> {
  const file = await readEvaluationFile(db, evaluationId, { individualScores: false, consensusScores: false })
  if (file === undefined) return undefined
  const [options, criteria, consensus, sums] = await Promise.all([
    db.selectFrom('option').select(['id', 'key']).where('evaluation_id', '=', evaluationId).execute(),
    db.selectFrom('criterion').select(['id', 'key']).where('evaluation_id', '=', evaluationId).execute(),
    db.selectFrom('consensus_score').select(['option_id', 'criterion_id', 'score']).where('evaluation_id', '=', evaluationId).execute(),
    // Cross joins: SQLite takes them in the order written (options, criteria, then the cell's
    // scores), where left to itself it read every score of each option to find the cells.
    db
      .selectFrom('option as o')
      .crossJoin('criterion as c')
      .crossJoin('individual_score as s')
      .whereRef('c.evaluation_id', '=', 'o.evaluation_id')
      .whereRef('s.option_id', '=', 'o.id')
      .whereRef('s.criterion_id', '=', 'c.id')
      .select(['s.option_id', 's.criterion_id'])
      .select((eb) => [
        eb.fn.sum<number>('s.score').as('sum'),
        eb.fn.countAll<number>().as('count'),
        eb.fn.max<number>(sql`case when s.score = round(s.score) then 0 else 1 end`).as('fractional'),
      ])
      .where('o.evaluation_id', '=', evaluationId)
      .where('c.kind', '!=', 'group')
      // A draft counts in no figure.
      .where('s.draft', '=', 0)
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('consensus_score as k').select('k.id').whereRef('k.option_id', '=', 'o.id').whereRef('k.criterion_id', '=', 'c.id'))),
      )
      // Submitted scores only: a draft never counts (src/appraisal/moderation.ts).
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('score_submission as u')
            .select('u.id')
            .whereRef('u.panel_member_id', '=', 's.panel_member_id')
            .whereRef('u.option_id', '=', 's.option_id'),
        ),
      )
      .groupBy(['s.option_id', 's.criterion_id'])
      .execute(),
  ])
  const optionKey = new Map(options.map((o) => [o.id, o.key]))
  const criterionKey = new Map(criteria.map((c) => [c.id, c.key]))
  const totals: CellTotal[] = consensus.map((k) => ({
    option: optionKey.get(k.option_id)!,
    criterion: criterionKey.get(k.criterion_id)!,
    consensus: k.score,
    sum: 0,
    count: 0,
  }))
  const fractional = new Set<string>()
  for (const cell of sums) {
    if (Number(cell.fractional) === 1) fractional.add(`${cell.option_id}:${cell.criterion_id}`)
    else
      totals.push({
        option: optionKey.get(cell.option_id)!,
        criterion: criterionKey.get(cell.criterion_id)!,
        consensus: null,
        sum: Number(cell.sum),
        count: Number(cell.count),
      })
  }
  if (fractional.size > 0) {
    // Rare (scores with fractions come only from files): the evaluation's scores in file order.
    const rows = await db
      .selectFrom('individual_score')
      .select(['option_id', 'criterion_id', 'score'])
      .where('evaluation_id', '=', evaluationId)
      .where('draft', '=', 0)
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('score_submission as u')
            .select('u.id')
            .whereRef('u.panel_member_id', '=', 'individual_score.panel_member_id')
            .whereRef('u.option_id', '=', 'individual_score.option_id'),
        ),
      )
      .orderBy('position')
      .orderBy('id')
      .execute()
    const added = new Map<string, { option: string; criterion: string; consensus: null; sum: number; count: number }>()
    for (const row of rows) {
      const key = `${row.option_id}:${row.criterion_id}`
      if (!fractional.has(key)) continue
      const total = added.get(key) ?? {
        option: optionKey.get(row.option_id)!,
        criterion: criterionKey.get(row.criterion_id)!,
        consensus: null,
        sum: 0,
        count: 0,
      }
      total.sum += row.score ?? 0
      total.count += 1
      added.set(key, total)
    }
    totals.push(...added.values())
  }
  return { file, totals }
}

/**
 * The plan versions an imported file brings: its approval and changes as it records them; or, for a
 * file with no plan that already carries scores (a record of an evaluation under way), the plan
 * approved at import by whoever imports it, as it stands, since scoring has begun; else none (a
 * draft, for the lead to approve).
 */
function planVersionsOf(file: EvaluationFile, importing: { at: string; actor: Actor }): Omit<Insertable<PlanVersionTable>, 'evaluation_id'>[] {
  const plan = file.plan
  if (plan === undefined) {
    if (!hasScores(file)) return []
    const by = { approved_by_account_id: importing.actor.accountId, approved_by_name: importing.actor.name }
    return [{ version: 1, approved_at: importing.at, ...by, reason: null, hash: planHash(file), criteria: null }]
  }
  const approval = { version: 1, approved_at: plan.approvedAt, approved_by_account_id: null, approved_by_name: plan.approvedBy, reason: null, criteria: null }
  return [
    // The schema requires the approval's hash once there are changes; without changes it is this plan's.
    { ...approval, hash: plan.hash ?? planHash(file) },
    ...plan.changes.map((change, i) => ({
      version: i + 2,
      approved_at: change.at,
      approved_by_account_id: null,
      approved_by_name: change.by,
      reason: change.reason,
      hash: change.hash,
      criteria: JSON.stringify(change.criteria ?? []),
    })),
  ]
}

/** A file that already carries scores records an evaluation whose scoring has begun. */
export function hasScores(file: Pick<EvaluationFile, 'scores' | 'consensus'>): boolean {
  return file.scores.length > 0 || file.consensus.length > 0
}
