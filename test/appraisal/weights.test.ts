import { describe, expect, it } from 'vitest'
import { weighCriteria } from '../../src/appraisal/index.js'

describe('weighing criteria', () => {
  it('turns sibling weights into shares and multiplies shares along each path', () => {
    const weights = weighCriteria([
      {
        id: 'functional',
        weight: 60,
        criteria: [
          { id: 'recording', weight: 2 },
          { id: 'search', weight: 1 },
        ],
      },
      { id: 'service', weight: 40 },
    ])
    // functional 60 / (60 + 40) = 0.6, service 0.4; recording 2/3, search 1/3 of the group
    expect(weights.byId.get('functional')?.share).toBeCloseTo(0.6, 15)
    expect(weights.byId.get('service')?.share).toBeCloseTo(0.4, 15)
    expect(weights.byId.get('recording')?.share).toBeCloseTo(2 / 3, 15)
    // effective: recording 0.6 × 2/3 = 0.4, search 0.6 × 1/3 = 0.2, service 0.4
    expect(weights.byId.get('recording')?.effectiveWeight).toBeCloseTo(0.4, 15)
    expect(weights.byId.get('search')?.effectiveWeight).toBeCloseTo(0.2, 15)
    expect(weights.byId.get('service')?.effectiveWeight).toBeCloseTo(0.4, 15)
    expect(weights.byId.get('functional')?.effectiveWeight).toBeCloseTo(0.6, 15)
    // within its top-level group, recording weighs 2/3
    expect(weights.byId.get('recording')?.weightWithinTopLevel).toBeCloseTo(2 / 3, 15)
    expect(weights.byId.get('recording')?.topLevelId).toBe('functional')
  })

  it('counts a criterion without a weight as weight 1', () => {
    const weights = weighCriteria([{ id: 'x' }, { id: 'y' }, { id: 'z', weight: 2 }])
    // 1 / (1 + 1 + 2) = 0.25
    expect(weights.byId.get('x')?.weight).toBe(1)
    expect(weights.byId.get('x')?.share).toBe(0.25)
    expect(weights.byId.get('z')?.share).toBe(0.5)
  })

  it('gives gates, and groups holding only gates, no share', () => {
    const weights = weighCriteria([
      { id: 'scored', weight: 3 },
      { id: 'gate', gate: true },
      { id: 'gates-only', weight: 5, criteria: [{ id: 'inner-gate', gate: true }] },
      { id: 'empty', weight: 5, criteria: [] },
    ])
    expect(weights.byId.get('scored')?.share).toBe(1)
    expect(weights.byId.get('gate')).toMatchObject({ role: 'gate', weight: 0, share: 0, effectiveWeight: 0 })
    expect(weights.byId.get('gates-only')).toMatchObject({ role: 'unscored-group', weight: 0, share: 0 })
    expect(weights.byId.get('empty')?.role).toBe('unscored-group')
    expect(weights.scoredLeaves.map((node) => node.id)).toEqual(['scored'])
    expect(weights.gates.map((node) => node.id)).toEqual(['gate', 'inner-gate'])
    expect(weights.unscoredGroups.map((node) => node.id)).toEqual(['gates-only', 'empty'])
  })

  it('gives effective weights that sum to 1 over the scored leaves of a deep tree', () => {
    const weights = weighCriteria([
      { id: 'a', weight: 1, criteria: [{ id: 'a1', weight: 3, criteria: [{ id: 'a1x' }, { id: 'a1y', weight: 7 }] }, { id: 'a2' }] },
      { id: 'b', weight: 2 },
      { id: 'c', gate: true },
    ])
    const sum = weights.scoredLeaves.reduce((total, leaf) => total + leaf.effectiveWeight, 0)
    expect(sum).toBeCloseTo(1, 15)
    // a1y: a 1/3 × a1 3/4 × 7/8 = 0.21875
    expect(weights.byId.get('a1y')?.effectiveWeight).toBeCloseTo(0.21875, 15)
  })

  it('gives nothing a share in an editor draft whose sibling weights are all zero, rather than dividing by zero', () => {
    const weights = weighCriteria([
      { id: 'x', weight: 0 },
      { id: 'y', weight: 0 },
    ])
    expect(weights.byId.get('x')?.share).toBe(0)
    expect(weights.byId.get('y')?.effectiveWeight).toBe(0)
  })
})
