import type { Change } from './audit.js'
import type { CriterionNode } from '../appraisal/index.js'
import type { Db } from './connection.js'
import { makeKey } from './connection.js'
import type { Criterion, CriterionDescriptor, CriterionKind } from './schema.js'

/** A node of a criteria tree in the evaluation file's shape (templates and imports use it). */
export type { CriterionNode }

export interface CriterionDetails {
  name: string
  kind: CriterionKind
  weight: number | null
  guidance: string | null
}

export async function listCriteria(db: Db, evaluationId: number): Promise<Criterion[]> {
  return db
    .selectFrom('criterion')
    .selectAll()
    .where('evaluation_id', '=', evaluationId)
    .orderBy('position')
    .orderBy('id')
    .execute()
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

export async function findCriterion(
  db: Db,
  evaluationId: number,
  criterionId: number,
): Promise<Criterion | undefined> {
  return db
    .selectFrom('criterion')
    .selectAll()
    .where('evaluation_id', '=', evaluationId)
    .where('id', '=', criterionId)
    .executeTakeFirst()
}

function nextPosition(siblings: Criterion[]): number {
  return siblings.reduce((max, c) => Math.max(max, c.position), -1) + 1
}

export async function insertCriterion(
  db: Change,
  evaluationId: number,
  parentId: number | null,
  details: CriterionDetails,
): Promise<number> {
  const all = await listCriteria(db, evaluationId)
  const row = await db
    .insertInto('criterion')
    .values({
      evaluation_id: evaluationId,
      parent_id: parentId,
      key: makeKey(details.name, all.map((c) => c.key)),
      kind: details.kind,
      name: details.name,
      weight: details.kind === 'gate' ? null : details.weight,
      guidance: details.guidance,
      position: nextPosition(all.filter((c) => c.parent_id === parentId)),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function updateCriterion(
  db: Change,
  evaluationId: number,
  criterionId: number,
  details: CriterionDetails,
): Promise<void> {
  await db
    .updateTable('criterion')
    .set({
      name: details.name,
      kind: details.kind,
      weight: details.kind === 'gate' ? null : details.weight,
      guidance: details.guidance,
    })
    .where('evaluation_id', '=', evaluationId)
    .where('id', '=', criterionId)
    .execute()
}

export async function renameCriterion(db: Change, evaluationId: number, criterionId: number, name: string): Promise<void> {
  await db
    .updateTable('criterion')
    .set({ name })
    .where('evaluation_id', '=', evaluationId)
    .where('id', '=', criterionId)
    .execute()
}

export async function updateCriterionWeight(
  db: Change,
  evaluationId: number,
  criterionId: number,
  weight: number,
): Promise<void> {
  await db
    .updateTable('criterion')
    .set({ weight })
    .where('evaluation_id', '=', evaluationId)
    .where('id', '=', criterionId)
    .where('kind', '!=', 'gate')
    .execute()
}

export async function replaceCriterionDescriptors(
  db: Change,
  criterionId: number,
  descriptors: { level: number; text: string }[],
): Promise<void> {
  await db.deleteFrom('criterion_descriptor').where('criterion_id', '=', criterionId).execute()
  if (descriptors.length > 0) {
    await db
      .insertInto('criterion_descriptor')
      .values(descriptors.map((d) => ({ criterion_id: criterionId, level: d.level, text: d.text })))
      .execute()
  }
}

/** Swaps a criterion with its neighbour among its siblings. */
export async function moveCriterionWithinSiblings(
  db: Change,
  evaluationId: number,
  criterionId: number,
  direction: 'up' | 'down',
): Promise<void> {
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
export async function moveCriterionToParent(
  db: Change,
  evaluationId: number,
  criterionId: number,
  parentId: number | null,
): Promise<void> {
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

export async function deleteCriterion(db: Change, evaluationId: number, criterionId: number): Promise<void> {
  await db
    .deleteFrom('criterion')
    .where('evaluation_id', '=', evaluationId)
    .where('id', '=', criterionId)
    .execute()
}

/**
 * Inserts a whole tree in the file's shape, keeping its ids as keys. Returns the database id of each
 * criterion by its key, so scores can be attached to it.
 */
export async function insertCriteriaTree(
  db: Change,
  evaluationId: number,
  nodes: CriterionNode[],
): Promise<Map<string, number>> {
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
    await db.insertInto('criterion_descriptor').values(descriptors.slice(i, i + 200)).execute()
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
