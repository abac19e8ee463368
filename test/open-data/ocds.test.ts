import { readFileSync } from 'node:fs'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { computeResults, parseEvaluationFile, type EvaluationFile } from '../../src/appraisal/index.js'
import { ocdsProblem, ocdsReleasePackage } from '../../src/open-data/ocds.js'
import { finalisedDemo } from '../report/finalised-demo.js'

const schema = JSON.parse(readFileSync(new URL('../../docs/open-data/release-package.schema.json', import.meta.url), 'utf8'))
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema)
const PUBLISHED = new Date('2026-12-20T10:00:00Z')

function valid(value: unknown): string[] {
  return validate(value) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`)
}

function withAward(file: EvaluationFile, award: Record<string, unknown>): EvaluationFile {
  const parsed = parseEvaluationFile({ ...file, award })
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
  return parsed.file
}

describe('the OCDS release package of the award', () => {
  const file = finalisedDemo()
  const results = computeResults(file)
  const release = ocdsReleasePackage(file, results, { publishedAt: PUBLISHED })

  it('matches the schema written for it, and the schema refuses what OCDS does not allow', () => {
    expect(valid(release)).toEqual([])
    const broken = structuredClone(release) as unknown as { releases: { tag: string[]; awards: { status: string }[] }[] }
    broken.releases[0]!.tag = ['awarded']
    broken.releases[0]!.awards[0]!.status = 'won'
    expect(valid(broken)).toHaveLength(2)
  })

  it('publishes the tender with its criteria and weights, the tenderers, and the award to the preferred tender with its figures only', () => {
    const [only] = release.releases
    const winner = results.options.find((o) => o.id === results.preferred)!
    expect(release.publishedDate).toBe(file.finalised!.at)
    expect(only!.tender.tenderers).toEqual(file.options.filter((o) => o.tender).map((o) => ({ id: `tenderer-${o.id}`, name: o.supplier })))
    expect(only!.tender.awardCriteria).toBe('ratedCriteria')
    expect(only!.tender.awardCriteriaDetails).toContain('quality 60%, price 40%')
    const appraisal = only!.tender.appraisal as { criteria: { effectiveWeight: number; kind: string }[]; results?: unknown }
    const leaves = appraisal.criteria.filter((c) => c.kind === 'criterion')
    expect(leaves.reduce((sum, c) => sum + c.effectiveWeight, 0)).toBeCloseTo(1, 12)
    expect(appraisal.results).toBeUndefined()
    const award = only!.awards[0] as { suppliers: unknown; date: string; appraisal: { quality: number; total: number; rank: number; scores: unknown[] } }
    expect(award.suppliers).toEqual([{ id: `tenderer-${winner.id}`, name: file.options.find((o) => o.id === winner.id)!.supplier }])
    expect(award.date).toBe('2026-12-04T00:00:00Z')
    expect(award.appraisal).toMatchObject({ quality: winner.quality, total: winner.total, rank: 1 })
    expect(award.appraisal.scores).toHaveLength(file.consensus.filter((s) => s.option === winner.id).length)
    // No other tender's figures: its total appears nowhere.
    const text = JSON.stringify(release)
    for (const other of results.options.filter((o) => o.id !== winner.id && o.total !== null)) expect(text).not.toContain(String(other.total))
    expect(ocdsReleasePackage(file, results, { publishedAt: new Date() })).toEqual(release)
  })

  it('carries every tender’s figures only once the lead opts in after the standstill period', () => {
    const opened = withAward(file, { ...file.award, publishAllFigures: true })
    const all = ocdsReleasePackage(opened, computeResults(opened), { publishedAt: PUBLISHED })
    expect(valid(all)).toEqual([])
    const figures = (all.releases[0]!.tender.appraisal as { results: { tenderer: { id: string }; total: number | null }[] }).results
    expect(figures.map((f) => f.tenderer.id)).toEqual(['tenderer-product-a', 'tenderer-product-b', 'tenderer-product-c'])
    expect(figures.map((f) => f.total)).toEqual(['product-a', 'product-b', 'product-c'].map((id) => results.options.find((o) => o.id === id)!.total))
    expect(parseEvaluationFile({ ...file, award: { publishAllFigures: true } })).toMatchObject({
      ok: false,
      errors: ['award.publishAllFigures: every tender’s figures can be published only once the standstill period has ended: set standstillEnd'],
    })
  })

  it('is refused, with the reason, without a buyer or a single preferred tender', () => {
    const { organisation: _, ...anonymous } = file
    expect(ocdsProblem(anonymous, results)).toMatch(/^organisation: /)
    expect(ocdsProblem(file, { ...results, preferred: null })).toMatch(/no single preferred tender/)
  })
})
