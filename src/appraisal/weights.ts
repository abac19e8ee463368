// Relative sibling weights turned into shares and effective weights.
//
// This works on any criteria tree shaped like the file's (the criteria editor calls it on trees
// that have not been through the file schema), so it takes a minimal node type rather than the
// parsed file's.

/** A criterion with no `weight` counts as weight 1, so unweighted siblings share equally. */
export const DEFAULT_CRITERION_WEIGHT = 1

export interface CriterionNodeLike {
  readonly id: string
  readonly name?: string | undefined
  readonly weight?: number | undefined
  readonly gate?: boolean | undefined
  readonly criteria?: readonly CriterionNodeLike[] | undefined
}

/**
 * - `scored`: a leaf that is scored on the scale and counts towards quality
 * - `gate`: a pass/fail leaf, scored 0 or 1; no weight
 * - `group`: a node with `criteria` that holds at least one scored leaf
 * - `unscored-group`: a node with `criteria` but no scored leaf below it (only gates, or empty);
 *   it takes no share
 */
export type CriterionRole = 'scored' | 'gate' | 'group' | 'unscored-group'

export interface CriterionWeight {
  readonly id: string
  readonly name: string
  readonly role: CriterionRole
  readonly depth: number
  readonly parentId: string | null
  /** The id of the top-level node this node sits under (its own id at the top level). */
  readonly topLevelId: string
  /** The weight as entered, or the default of 1; 0 for gates and unscored groups. */
  readonly weight: number
  /** Weight divided by the sum of the weights of its siblings that take a share (0..1). */
  readonly share: number
  /** Product of the shares along the path from the top. Scored leaves' effective weights sum to 1. */
  readonly effectiveWeight: number
  /** Product of the shares below the top-level node: the weight renormalised within its top-level group. */
  readonly weightWithinTopLevel: number
}

export interface CriteriaWeights {
  /** Every node, in the order a reader meets them (depth first, file order). */
  readonly nodes: readonly CriterionWeight[]
  readonly byId: ReadonlyMap<string, CriterionWeight>
  readonly scoredLeaves: readonly CriterionWeight[]
  readonly gates: readonly CriterionWeight[]
  readonly unscoredGroups: readonly CriterionWeight[]
  readonly topLevel: readonly CriterionWeight[]
}

export function isGroup(node: CriterionNodeLike): boolean {
  return node.criteria !== undefined
}

/** A gate is a leaf marked `gate: true`; a group is never a gate (the file schema rejects one). */
export function isGate(node: CriterionNodeLike): boolean {
  return node.gate === true && !isGroup(node)
}

export function holdsScoredLeaf(node: CriterionNodeLike): boolean {
  if (node.criteria === undefined) return !isGate(node)
  return node.criteria.some(holdsScoredLeaf)
}

/** The weight a node carries among its siblings before normalisation. */
export function enteredWeight(node: CriterionNodeLike): number {
  if (!holdsScoredLeaf(node)) return 0
  return node.weight ?? DEFAULT_CRITERION_WEIGHT
}

export function weighCriteria(criteria: readonly CriterionNodeLike[]): CriteriaWeights {
  const nodes: CriterionWeight[] = []
  weighSiblings(criteria, { parentId: null, topLevelId: null, depth: 0, effective: 1, within: 1 }, nodes)

  const byId = new Map<string, CriterionWeight>()
  for (const node of nodes) byId.set(node.id, node)
  return {
    nodes,
    byId,
    scoredLeaves: nodes.filter((node) => node.role === 'scored'),
    gates: nodes.filter((node) => node.role === 'gate'),
    unscoredGroups: nodes.filter((node) => node.role === 'unscored-group'),
    topLevel: nodes.filter((node) => node.depth === 0),
  }
}

interface ParentContext {
  parentId: string | null
  topLevelId: string | null
  /** Depth of the siblings being weighed (0 at the top). */
  depth: number
  effective: number
  within: number
}

function weighSiblings(siblings: readonly CriterionNodeLike[], parent: ParentContext, out: CriterionWeight[]): void {
  const holds = siblings.map(holdsScoredLeaf)
  const weights = siblings.map(enteredWeight)
  const total = weights.reduce((sum, weight) => sum + weight, 0)

  siblings.forEach((node, i) => {
    const weight = weights[i] ?? 0
    // All-zero sibling sets are rejected by the file schema; an editor's draft may hold one, and
    // then nothing in it takes a share rather than dividing by zero.
    const share = total > 0 ? weight / total : 0
    const topLevelId = parent.topLevelId ?? node.id
    const effective = parent.effective * share
    const within = parent.topLevelId === null ? 1 : parent.within * share
    out.push({
      id: node.id,
      name: node.name ?? node.id,
      role: roleOf(node, holds[i] ?? false),
      depth: parent.depth,
      parentId: parent.parentId,
      topLevelId,
      weight,
      share,
      effectiveWeight: effective,
      weightWithinTopLevel: within,
    })
    if (node.criteria !== undefined) {
      weighSiblings(node.criteria, { parentId: node.id, topLevelId, depth: parent.depth + 1, effective, within }, out)
    }
  })
}

function roleOf(node: CriterionNodeLike, holdsScored: boolean): CriterionRole {
  if (isGroup(node)) return holdsScored ? 'group' : 'unscored-group'
  return isGate(node) ? 'gate' : 'scored'
}
