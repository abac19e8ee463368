import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { weighCriteria } from '../src/appraisal/index.js'
import { loadTemplates, parseTemplate } from '../src/criteria-templates.js'

describe('criteria templates', () => {
  const templates = loadTemplates()

  it('loads every template in criteria/, the three shipped among them', () => {
    expect(templates.map((t) => t.id)).toEqual(expect.arrayContaining(['police-records-management', 'business-software', 'electronic-records-management']))
  })

  for (const template of loadTemplates()) {
    it(`${template.id}: every criterion and gate tells evaluators what evidence earns a high score`, () => {
      const nodes = [...weighCriteria(template.criteria).nodes]
      const leaves = nodes.filter((n) => n.role === 'scored' || n.role === 'gate')
      expect(leaves.length).toBeGreaterThan(10)
      const byId = new Map<string, { guidance?: string | undefined }>()
      const walk = (list: typeof template.criteria) => {
        for (const node of list) {
          byId.set(node.id, node)
          if (node.criteria !== undefined) walk(node.criteria)
        }
      }
      walk(template.criteria)
      for (const leaf of leaves) expect(byId.get(leaf.id)?.guidance?.length ?? 0, leaf.id).toBeGreaterThan(40)
      const sum = nodes.filter((n) => n.role === 'scored').reduce((s, n) => s + n.effectiveWeight, 0)
      expect(sum).toBeCloseTo(1, 12)
    })
  }

  it('gives the police template the gates a police panel applies before scoring', () => {
    const police = templates.find((t) => t.id === 'police-records-management')!
    const gates = [...weighCriteria(police.criteria).gates].map((g) => g.name.toLowerCase()).join(' | ')
    for (const word of ['comparable', 'crime', 'safeguarding', 'accredit', 'residency', 'availability', 'migration']) {
      expect(gates).toContain(word)
    }
  })

  it('refuses a broken template, naming the file and the JSON path of each problem', () => {
    const broken = JSON.stringify({
      format: 'criteria-template/1',
      name: 'Broken',
      description: 'For the test',
      criteria: [
        { id: 'a', name: 'A', weight: -1 },
        { id: 'a', name: 'Duplicate' },
        { id: 'g', name: 'Gate', gate: true, weight: 2 },
      ],
    })
    expect(() => parseTemplate('broken.json', broken)).toThrow(/Criteria template broken\.json is not valid:/)
    try {
      parseTemplate('broken.json', broken)
    } catch (error) {
      const message = (error as Error).message
      expect(message).toContain('criteria[0].weight:')
      expect(message).toContain('criteria[1].id:')
      expect(message).toContain('criteria[2].weight:')
    }
  })

  it('refuses a template that is not JSON or has an unknown key', () => {
    expect(() => parseTemplate('x.json', '{')).toThrow(/x\.json is not valid:\n {2}file: is not valid JSON/)
    expect(() =>
      parseTemplate(
        'y.json',
        JSON.stringify({ format: 'criteria-template/1', name: 'Y', description: 'D', criteria: [{ id: 'a', name: 'A' }], colour: 'red' }),
      ),
    ).toThrow(/y\.json/)
  })

  it('stops start-up on a broken template in the folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'templates-'))
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ format: 'criteria-template/1', name: 'Bad', description: 'D', criteria: [] }))
    expect(() => loadTemplates(dir)).toThrow(/bad\.json/)
  })
})
