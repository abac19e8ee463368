import type { Kysely } from 'kysely'
import type { CriterionNode } from '../appraisal/index.js'
import { recordedChange, type Actor, type Change, type Refusal } from './audit.js'
import { criterionKindWords } from './audit-words.js'
import { refusedPastLimits, requireWithinLimits } from './size-limits.js'
import { roundsNaming } from './weighting.js'
import type { Db } from './connection.js'
import { makeKey } from './connection.js'
import type { Criterion, CriterionDescriptor, CriterionKind, Database } from './schema.js'

/** A node of a criteria tree in the evaluation file's shape (templates and imports use it). */
export type { CriterionNode }

export interface CriterionDetails {
  name: string
  kind: CriterionKind
  weight: number | null
  guidance: string | null
}

/** The evaluation's criteria in the tree's order (see `inTreeOrder`): every list of criteria starts here. */
export async function listCriteria(db: Db, evaluationId: number): Promise<Criterion[]> {
  const rows = await db.selectFrom('criterion').selectAll().where('evaluation_id', '=', evaluationId).orderBy('position').orderBy('id').execute()
  return inTreeOrder(rows)
}

/**
 * Criteria in the tree's depth-first order: each group, then everything under it, before its next
 * sibling; siblings by position, then id. The one order of every page, list and export, so that a
 * group's criteria always appear together. Rows whose parent is missing come last, in their order.
 */
export function inTreeOrder<T extends Pick<Criterion, 'id' | 'parent_id' | 'position'>>(rows: readonly T[]): T[] {
  const bySiblingOrder = [...rows].sort((a, b) => a.position - b.position || a.id - b.id)
  const childrenOf = new Map<number | null, T[]>()
  for (const row of bySiblingOrder) childrenOf.set(row.parent_id, [...(childrenOf.get(row.parent_id) ?? []), row])
  const ordered: T[] = []
  const seen = new Set<number>()
  const visit = (parentId: number | null): void => {
    for (const row of childrenOf.get(parentId) ?? []) {
      if (seen.has(row.id)) continue
      seen.add(row.id)
      ordered.push(row)
      visit(row.id)
    }
  }
  visit(null)
  for (const row of bySiblingOrder) if (!seen.has(row.id)) ordered.push(row)
  return ordered
}

export async function listCriterionDescriptors(db: Db, evaluationId: number): Promise<CriterionDescriptor[]> {
  return db
    .selectFrom('criterion_descriptor')
    .innerJoin('criterion', 'criterion.id', 'criterion_descriptor.criterion_id')
    .selectAll('criterion_descriptor')
    .where('criterion.evaluation_id', '=', evaluationId)
    .orderBy('criterion_descriptor.level')
    .execute()
}

export async function findCriterion(db: Db, evaluationId: number, criterionId: number): Promise<Criterion | undefined> {
  return db.selectFrom('criterion').selectAll().where('evaluation_id', '=', evaluationId).where('id', '=', criterionId).executeTakeFirst()
}

function nextPosition(siblings: Criterion[]): number {
  return siblings.reduce((max, c) => Math.max(max, c.position), -1) + 1
}

/** A criterion's row as its details give it: a gate takes no weight. */
function criterionRow(details: CriterionDetails) {
  return { name: details.name, kind: details.kind, weight: details.kind === 'gate' ? null : details.weight, guidance: details.guidance }
}

async function insertCriterion(db: Change, evaluationId: number, parentId: number | null, details: CriterionDetails): Promise<number> {
  const all = await listCriteria(db, evaluationId)
  const row = await db
    .insertInto('criterion')
    .values({
      evaluation_id: evaluationId,
      parent_id: parentId,
      key: makeKey(
        details.name,
        all.map((c) => c.key),
      ),
      ...criterionRow(details),
      position: nextPosition(all.filter((c) => c.parent_id === parentId)),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

async function updateCriterion(db: Change, evaluationId: number, criterionId: number, details: CriterionDetails): Promise<void> {
  await db.updateTable('criterion').set(criterionRow(details)).where('evaluation_id', '=', evaluationId).where('id', '=', criterionId).execute()
}

async function updateCriterionName(db: Change, evaluationId: number, criterionId: number, name: string): Promise<void> {
  await db.updateTable('criterion').set({ name }).where('evaluation_id', '=', evaluationId).where('id', '=', criterionId).execute()
}

export async function updateCriterionWeight(db: Change, evaluationId: number, criterionId: number, weight: number): Promise<void> {
  await db
    .updateTable('criterion')
    .set({ weight })
    .where('evaluation_id', '=', evaluationId)
    .where('id', '=', criterionId)
    .where('kind', '!=', 'gate')
    .execute()
}

async function replaceCriterionDescriptors(db: Change, criterionId: number, descriptors: { level: number; text: string }[]): Promise<void> {
  await db.deleteFrom('criterion_descriptor').where('criterion_id', '=', criterionId).execute()
  if (descriptors.length > 0) {
    await db
      .insertInto('criterion_descriptor')
      .values(descriptors.map((d) => ({ criterion_id: criterionId, level: d.level, text: d.text })))
      .execute()
  }
}

/** Swaps a criterion with its neighbour among its siblings. */
async function moveCriterionWithinSiblings(db: Change, evaluationId: number, criterionId: number, direction: 'up' | 'down'): Promise<void> {
  const all = await listCriteria(db, evaluationId)
  const moving = all.find((c) => c.id === criterionId)
  if (moving === undefined) return
  const siblings = all.filter((c) => c.parent_id === moving.parent_id)
  const index = siblings.findIndex((c) => c.id === criterionId)
  const swapWith = direction === 'up' ? index - 1 : index + 1
  const neighbour = siblings[swapWith]
  if (neighbour === undefined) return
  const reordered = [...siblings]
  reordered[swapWith] = moving
  reordered[index] = neighbour
  for (const [position, criterion] of reordered.entries()) {
    if (criterion.position !== position) {
      await db.updateTable('criterion').set({ position }).where('id', '=', criterion.id).execute()
    }
  }
}

/** Moves a criterion (with everything under it) to the end of another group, or to the top level. */
async function moveCriterionToParent(db: Change, evaluationId: number, criterionId: number, parentId: number | null): Promise<void> {
  const all = await listCriteria(db, evaluationId)
  await db
    .updateTable('criterion')
    .set({ parent_id: parentId, position: nextPosition(all.filter((c) => c.parent_id === parentId)) })
    .where('evaluation_id', '=', evaluationId)
    .where('id', '=', criterionId)
    .execute()
}

/** Ids of the criterion and everything beneath it. */
export function descendantIds(all: Criterion[], criterionId: number): Set<number> {
  const found = new Set<number>([criterionId])
  let grew = true
  while (grew) {
    grew = false
    for (const c of all) {
      if (c.parent_id !== null && found.has(c.parent_id) && !found.has(c.id)) {
        found.add(c.id)
        grew = true
      }
    }
  }
  return found
}

async function deleteCriterion(db: Change, evaluationId: number, criterionId: number): Promise<void> {
  await db.deleteFrom('criterion').where('evaluation_id', '=', evaluationId).where('id', '=', criterionId).execute()
}

/**
 * Inserts a whole tree in the file's shape, keeping its ids as keys. Returns the database id of each
 * criterion by its key, so scores can be attached to it.
 */
export async function insertCriteriaTree(db: Change, evaluationId: number, nodes: CriterionNode[]): Promise<Map<string, number>> {
  const idsByKey = new Map<string, number>()
  const descriptors: { criterion_id: number; level: number; text: string }[] = []
  async function insertLevel(level: CriterionNode[], parentId: number | null): Promise<void> {
    for (const [position, node] of level.entries()) {
      const kind: CriterionKind = node.criteria !== undefined ? 'group' : node.gate === true ? 'gate' : 'criterion'
      const row = await db
        .insertInto('criterion')
        .values({
          evaluation_id: evaluationId,
          parent_id: parentId,
          key: node.id,
          kind,
          name: node.name,
          weight: node.weight ?? null,
          guidance: node.guidance ?? null,
          position,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      idsByKey.set(node.id, row.id)
      for (const [level, text] of Object.entries(node.descriptors ?? {})) {
        descriptors.push({ criterion_id: row.id, level: Number(level), text })
      }
      if (node.criteria !== undefined) await insertLevel(node.criteria, row.id)
    }
  }
  await insertLevel(nodes, null)
  for (let i = 0; i < descriptors.length; i += 200) {
    await db
      .insertInto('criterion_descriptor')
      .values(descriptors.slice(i, i + 200))
      .execute()
  }
  return idsByKey
}

/** Rebuilds the tree in the file's shape from the stored rows. */
export function buildCriteriaTree(rows: Criterion[], descriptors: CriterionDescriptor[]): CriterionNode[] {
  const descriptorsById = new Map<number, Record<string, string>>()
  for (const d of descriptors) {
    const record = descriptorsById.get(d.criterion_id) ?? {}
    record[String(d.level)] = d.text
    descriptorsById.set(d.criterion_id, record)
  }
  const childrenOf = new Map<number | null, Criterion[]>()
  for (const row of rows) {
    const list = childrenOf.get(row.parent_id) ?? []
    list.push(row)
    childrenOf.set(row.parent_id, list)
  }
  function build(parentId: number | null): CriterionNode[] {
    return (childrenOf.get(parentId) ?? []).map((row) => {
      const node: CriterionNode = { id: row.key, name: row.name }
      if (row.weight !== null && row.kind !== 'gate') node.weight = row.weight
      if (row.kind === 'gate') node.gate = true
      if (row.guidance !== null) node.guidance = row.guidance
      const levels = descriptorsById.get(row.id)
      if (levels !== undefined) node.descriptors = levels
      if (row.kind === 'group') node.criteria = build(row.id)
      return node
    })
  }
  return build(null)
}

// ---------------------------------------------------------------------------------------------
// Changes to an evaluation's criteria, each one recorded change with its own reach, checked against
// the tree's rules first: a refusal changes nothing and says which field of the form to put right.

/** Criteria edits read and compare the evaluation's whole tree: a few hundred rows at most. */
const CRITERIA = { tables: ['criterion', 'criterion_descriptor'] } as const

/** Everything that belongs to a criterion, and goes with it. */
const CRITERION_RECORDS = ['criterion', 'criterion_descriptor', 'panel_assignment', 'individual_score', 'consensus_score', 'tender_response'] as const

/** The longest descriptor of a level that is stored. */
const MAX_DESCRIPTOR = 2000

/**
 * The weight rule every change must keep: in each set of siblings that are scored, at least one
 * weight is above zero. Checked on the tree as it would be after the change.
 */
function zeroWeightGroup(criteria: Criterion[]): string | null {
  const byParent = new Map<number | null, Criterion[]>()
  for (const c of criteria) if (c.kind !== 'gate') byParent.set(c.parent_id, [...(byParent.get(c.parent_id) ?? []), c])
  for (const [parentId, siblings] of byParent) {
    if (siblings.every((c) => c.weight === 0)) {
      const parent = criteria.find((c) => c.id === parentId)
      return parent === undefined
        ? 'At least one top-level group or criterion must have a weight above 0'
        : `At least one criterion in ‘${parent.name}’ must have a weight above 0`
    }
  }
  return null
}

/**
 * A weighting round compares these criteria (or is for their group): moving one, making it a gate or
 * deleting it would leave the round comparing something else. Says which round to remove first.
 */
async function comparedIn(db: Db, evaluationId: number, criterionIds: ReadonlySet<number>): Promise<string | null> {
  const round = (await roundsNaming(db, evaluationId, criterionIds))[0]
  if (round === undefined) return null
  return `A weighting round (“${round.key}”) compares these criteria: remove the round under Weighting rounds first, or leave the criteria where they are`
}

/** `planReason`: why the approved plan changes, for a change that alters it (src/db/plan.ts). */
function request(criterion: Pick<Criterion, 'evaluation_id' | 'id'>, actor: Actor, summary: string, planReason: string | null) {
  return { evaluationId: criterion.evaluation_id, actor, kind: 'criteria', summary, criterionId: criterion.id, reach: CRITERIA, planReason } as const
}

export async function addCriterion(
  db: Kysely<Database>,
  actor: Actor,
  evaluationId: number,
  details: CriterionDetails & { parentId: number | null },
  planReason: string | null = null,
): Promise<Refusal<'parent' | 'weight'> | null> {
  const criteria = await listCriteria(db, evaluationId)
  const parent = details.parentId === null ? undefined : criteria.find((x) => x.id === details.parentId)
  if (details.parentId !== null && parent?.kind !== 'group') return { field: 'parent', message: 'Choose a group to place it in' }
  const proposed: Criterion = {
    id: -1,
    evaluation_id: evaluationId,
    parent_id: details.parentId,
    key: '',
    kind: details.kind,
    name: details.name,
    weight: details.weight,
    guidance: null,
    position: 0,
  }
  const zero = zeroWeightGroup([...criteria, proposed])
  if (zero !== null) return { field: 'weight', message: zero }
  const summary = `${criterionKindWords[details.kind]} “${details.name}” added`
  return refusedPastLimits('parent', () =>
    recordedChange(db, { evaluationId, actor, kind: 'criteria', summary, reach: CRITERIA, planReason }, async (trx) => {
      await insertCriterion(trx, evaluationId, details.parentId, details)
      await requireWithinLimits(trx, evaluationId)
    }),
  )
}

export async function setCriterionWeight(
  db: Kysely<Database>,
  actor: Actor,
  criterion: Criterion,
  weight: number,
  planReason: string | null = null,
): Promise<Refusal<'weight'> | null> {
  if (criterion.kind === 'gate') return { field: 'weight', message: 'A gate is pass or fail and takes no weight' }
  const criteria = (await listCriteria(db, criterion.evaluation_id)).map((x) => (x.id === criterion.id ? { ...x, weight } : x))
  const zero = zeroWeightGroup(criteria)
  if (zero !== null) return { field: 'weight', message: zero }
  await recordedChange(db, request(criterion, actor, `Weight of “${criterion.name}” set to ${weight}`, planReason), (trx) =>
    updateCriterionWeight(trx, criterion.evaluation_id, criterion.id, weight),
  )
  return null
}

export function renameCriterion(db: Kysely<Database>, actor: Actor, criterion: Criterion, name: string, planReason: string | null = null): Promise<void> {
  return recordedChange(db, request(criterion, actor, `“${criterion.name}” renamed “${name}”`, planReason), (trx) =>
    updateCriterionName(trx, criterion.evaluation_id, criterion.id, name),
  )
}

export function moveCriterion(db: Kysely<Database>, actor: Actor, criterion: Criterion, direction: 'up' | 'down'): Promise<void> {
  return recordedChange(db, request(criterion, actor, `“${criterion.name}” moved ${direction}`, null), (trx) =>
    moveCriterionWithinSiblings(trx, criterion.evaluation_id, criterion.id, direction),
  )
}

/**
 * Edits a criterion: its name, kind, place, weight, guidance and the descriptors of its levels (a
 * group keeps none). A group stays a group, and so does a criterion that holds others.
 */
export async function editCriterion(
  db: Kysely<Database>,
  actor: Actor,
  criterion: Criterion,
  details: CriterionDetails & { parentId: number | null; descriptors: { level: number; text: string }[] },
  planReason: string | null = null,
): Promise<Refusal | null> {
  const criteria = await listCriteria(db, criterion.evaluation_id)
  const hasChildren = criteria.some((x) => x.parent_id === criterion.id)
  const kind: CriterionKind = criterion.kind === 'group' || hasChildren ? 'group' : details.kind
  if (kind === 'group' && details.kind !== 'group' && criterion.kind !== 'group')
    return { field: 'kind', message: 'A criterion that holds others must stay a group' }
  if (criterion.kind === 'group' && details.kind !== 'group') return { field: 'kind', message: 'A group stays a group' }
  if (details.parentId !== null) {
    const parent = criteria.find((x) => x.id === details.parentId)
    if (parent?.kind !== 'group') return { field: 'parent', message: 'Choose a group to place it in' }
    if (descendantIds(criteria, criterion.id).has(details.parentId)) return { field: 'parent', message: 'A group cannot be placed inside itself' }
  }
  if (details.parentId !== criterion.parent_id || kind === 'gate') {
    const compared = await comparedIn(db, criterion.evaluation_id, new Set([criterion.id]))
    if (compared !== null) return { field: details.parentId !== criterion.parent_id ? 'parent' : 'kind', message: compared }
  }
  for (const d of details.descriptors) {
    if (d.text.length > MAX_DESCRIPTOR) return { field: `descriptor-${d.level}`, message: `Must be ${MAX_DESCRIPTOR} characters or fewer` }
  }
  const proposed = criteria.map((x) =>
    x.id === criterion.id ? { ...x, kind, parent_id: details.parentId, weight: kind === 'gate' ? null : details.weight } : x,
  )
  const zero = zeroWeightGroup(proposed)
  if (zero !== null) return { field: 'weight', message: zero }
  return refusedPastLimits(details.parentId !== criterion.parent_id ? 'parent' : 'kind', () =>
    recordedChange(db, request(criterion, actor, `${criterionKindWords[kind]} “${details.name}” edited`, planReason), async (trx) => {
      await updateCriterion(trx, criterion.evaluation_id, criterion.id, { name: details.name, kind, weight: details.weight, guidance: details.guidance })
      if (details.parentId !== criterion.parent_id) await moveCriterionToParent(trx, criterion.evaluation_id, criterion.id, details.parentId)
      await replaceCriterionDescriptors(trx, criterion.id, kind === 'group' ? [] : details.descriptors)
      // A group moved deeper takes its whole subtree with it; a criterion made a gate adds a cell a panel fills.
      await requireWithinLimits(trx, criterion.evaluation_id)
    }),
  )
}

/** Deletes a criterion with everything beneath it and their scores, unless that would leave a set of siblings weighing nothing. */
export async function removeCriterion(
  db: Kysely<Database>,
  actor: Actor,
  criterion: Criterion,
  planReason: string | null = null,
): Promise<Refusal<'form'> | null> {
  const all = await listCriteria(db, criterion.evaluation_id)
  const removed = descendantIds(all, criterion.id)
  const zero = zeroWeightGroup(all.filter((x) => !removed.has(x.id)))
  if (zero !== null) return { field: 'form', message: `${zero}: change the weights before deleting ‘${criterion.name}’.` }
  const compared = await comparedIn(db, criterion.evaluation_id, removed)
  if (compared !== null) return { field: 'form', message: compared }
  const summary = `${criterionKindWords[criterion.kind]} “${criterion.name}” deleted${removed.size > 1 ? `, with the ${removed.size - 1} beneath it` : ''}, and its scores`
  const reach = { tables: CRITERION_RECORDS, criterionIds: [...removed] }
  await recordedChange(db, { ...request(criterion, actor, summary, planReason), reach }, (trx) => deleteCriterion(trx, criterion.evaluation_id, criterion.id))
  return null
}
