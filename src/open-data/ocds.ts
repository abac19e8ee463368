// The award as open data: an Open Contracting Data Standard (OCDS) 1.1 release package, made from
// the evaluation file and the engine's results, nothing else. The tender with its award criteria,
// the tenderers, the award to the preferred tender; the weights and the winning tender's figures in
// this project's own extension (docs/open-data.md), since OCDS 1.1 holds award criteria as free text.
// Other tenderers' figures only when the award record opts in (after the standstill period). Pure:
// no database, no network; the command line and the app both call it.

import { weighCriteria, type AppraisalResults, type EvaluationFile, type OptionEntry, type OptionResult } from '../appraisal/index.js'

export const OCDS_VERSION = '1.1'

/**
 * The ocid prefix until the publisher sets its own: OCDS prefixes are registered with the Open
 * Contracting Partnership, and this placeholder (ocds-000000) is not one. docs/open-data.md says so.
 */
export const PLACEHOLDER_OCID_PREFIX = 'ocds-000000'

export interface OcdsOptions {
  /** When the package is published, for a file that is not finalised (a finalised one is dated by its finalising). */
  readonly publishedAt: Date
}

interface OrganizationReference {
  id: string
  name: string
}

/** This project's extension: a tender's figures as the evaluation computed them. */
interface AppraisalFigures {
  tenderer: OrganizationReference
  eligible: boolean
  failedGates: string[]
  quality: number
  priceScore: number | null
  total: number | null
  rank: number | null
  evaluatedPrice: { amount: number; currency: string }
}

export interface OcdsReleasePackage {
  uri: string
  version: typeof OCDS_VERSION
  publishedDate: string
  publisher: { name: string }
  releases: OcdsRelease[]
}

export interface OcdsRelease {
  ocid: string
  id: string
  date: string
  tag: ['award']
  initiationType: 'tender'
  language: 'en'
  parties: { id: string; name: string; roles: string[] }[]
  buyer: OrganizationReference
  tender: Record<string, unknown>
  awards: Record<string, unknown>[]
}

/** Why no release can be made from this file, in words; null when one can. */
export function ocdsProblem(file: EvaluationFile, results: AppraisalResults): string | null {
  if (file.organisation === undefined) return 'organisation: the buyer’s name is needed to publish the award; set the evaluation’s organisation'
  if (results.preferred === null) {
    return 'there is no single preferred tender (the leading tenders tie, or none is eligible), so there is no award to publish'
  }
  return null
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60)
      .replace(/-+$/, '') || 'evaluation'
  )
}

const partyId = (option: OptionEntry) => `tenderer-${option.id}`
const partyName = (option: OptionEntry) => option.supplier ?? option.name

/** A calendar date of the file as an OCDS date-time: the start of that day in UTC. */
const dayStart = (date: string) => `${date}T00:00:00Z`

/** OCDS 1.1 awardCriteria: how the winner was chosen. */
function awardCriteriaCode(file: EvaluationFile): 'ratedCriteria' | 'qualityOnly' | 'priceOnly' {
  if (file.priceFormula === 'price-per-quality-point') return 'ratedCriteria'
  if (file.split.cost === 0) return 'qualityOnly'
  if (file.split.quality === 0) return 'priceOnly'
  return 'ratedCriteria'
}

/** The award criteria in words, for OCDS's free-text awardCriteriaDetails. */
function awardCriteriaDetails(file: EvaluationFile): string {
  const weights = weighCriteria(file.criteria)
  const percent = (fraction: number) => `${Number((fraction * 100).toFixed(2))}%`
  const sum = file.split.quality + file.split.cost
  const method =
    file.priceFormula === 'price-per-quality-point'
      ? 'Most advantageous tender by price per quality point: price score = 100 × the lowest (evaluated price ÷ quality score) ÷ the tender’s.'
      : `Most advantageous tender: quality ${percent(file.split.quality / sum)}, price ${percent(file.split.cost / sum)}; price score = 100 × the lowest evaluated price ÷ the tender’s.`
  const top = weights.topLevel.map((node) => (node.role === 'gate' ? `${node.name} (pass or fail)` : `${node.name} ${percent(node.effectiveWeight)}`))
  const gates = weights.gates.filter((gate) => gate.depth > 0).map((gate) => gate.name)
  return [
    method,
    `Quality criteria: ${top.join('; ')}.`,
    ...(gates.length === 0 ? [] : [`Pass or fail gates: ${gates.join('; ')}.`]),
    ...(file.priceBasis === undefined ? [] : [`Evaluated price: ${file.priceBasis}`]),
  ].join(' ')
}

function figures(file: EvaluationFile, option: OptionEntry, result: OptionResult): AppraisalFigures {
  return {
    tenderer: { id: partyId(option), name: partyName(option) },
    eligible: result.eligible,
    failedGates: result.failedGates,
    quality: result.quality,
    priceScore: result.priceScore,
    total: result.total,
    rank: result.rank,
    evaluatedPrice: { amount: result.pvPrice, currency: file.currency },
  }
}

/**
 * The OCDS 1.1 release package of the award. Call `ocdsProblem` first: this throws where it
 * reports a problem. The same file and results give the same package.
 */
export function ocdsReleasePackage(file: EvaluationFile, results: AppraisalResults, options: OcdsOptions): OcdsReleasePackage {
  const problem = ocdsProblem(file, results)
  if (problem !== null) throw new Error(problem)
  const organisation = file.organisation!
  const weights = weighCriteria(file.criteria)
  const byId = new Map(results.options.map((option) => [option.id, option]))
  const tenders = file.options.filter((option) => option.tender)
  const winner = file.options.find((option) => option.id === results.preferred)!
  const winning = byId.get(winner.id)!
  const award = file.award
  const ocid = `${PLACEHOLDER_OCID_PREFIX}-${slug(file.title)}`
  const version = file.finalised === undefined ? 'draft' : `v${file.finalised.version}`
  const date = file.finalised?.at ?? options.publishedAt.toISOString()
  const buyer = { id: 'buyer', name: organisation }
  const consensus = new Map(file.consensus.filter((score) => score.option === winner.id).map((score) => [score.criterion, score.score]))
  const release: OcdsRelease = {
    ocid,
    id: `${ocid}-award-${version}`,
    date,
    tag: ['award'],
    initiationType: 'tender',
    language: 'en',
    parties: [
      { ...buyer, roles: ['buyer', 'procuringEntity'] },
      ...tenders.map((option) => ({ id: partyId(option), name: partyName(option), roles: option.id === winner.id ? ['tenderer', 'supplier'] : ['tenderer'] })),
    ],
    buyer,
    tender: {
      id: `${ocid}-tender`,
      title: file.title,
      ...(file.summary === undefined ? {} : { description: file.summary }),
      status: 'complete',
      procuringEntity: buyer,
      awardCriteria: awardCriteriaCode(file),
      awardCriteriaDetails: awardCriteriaDetails(file),
      numberOfTenderers: tenders.length,
      tenderers: tenders.map((option) => ({ id: partyId(option), name: partyName(option) })),
      // Extension (docs/open-data.md): the award criteria and their weights as data.
      appraisal: {
        scale: { min: file.scale.min, max: file.scale.max },
        split: { quality: file.split.quality, price: file.split.cost },
        priceFormula: file.priceFormula,
        ...(file.priceBasis === undefined ? {} : { priceBasis: file.priceBasis }),
        criteria: weights.nodes.map((node) => ({
          id: node.id,
          name: node.name,
          ...(node.parentId === null ? {} : { parent: node.parentId }),
          kind: node.role === 'gate' ? 'gate' : node.role === 'scored' ? 'criterion' : 'group',
          weight: node.weight,
          effectiveWeight: node.effectiveWeight,
        })),
        // Every tender's figures only when the lead opted in once the standstill period ended.
        ...(award?.publishAllFigures === true ? { results: tenders.map((option) => figures(file, option, byId.get(option.id)!)) } : {}),
      },
    },
    awards: [
      {
        id: `${ocid}-award-${winner.id}`,
        title: `Award to ${partyName(winner)}`,
        status: 'pending',
        ...(award?.decisionDate === undefined ? {} : { date: dayStart(award.decisionDate) }),
        suppliers: [{ id: partyId(winner), name: partyName(winner) }],
        // Extension: the standstill period before the contract may be entered into.
        ...(award?.standstillStart === undefined && award?.standstillEnd === undefined
          ? {}
          : {
              standstillPeriod: {
                ...(award.standstillStart === undefined ? {} : { startDate: dayStart(award.standstillStart) }),
                ...(award.standstillEnd === undefined ? {} : { endDate: `${award.standstillEnd}T23:59:59Z` }),
              },
            }),
        // Extension: the winning tender's figures and its consensus score on each criterion.
        appraisal: {
          ...figures(file, winner, winning),
          scores: weights.nodes
            .filter((node) => node.role === 'scored' || node.role === 'gate')
            .flatMap((node) => (consensus.has(node.id) ? [{ criterion: node.id, score: consensus.get(node.id)! }] : [])),
        },
      },
    ],
  }
  return {
    uri: `urn:${ocid}:${release.id}`,
    version: OCDS_VERSION,
    publishedDate: date,
    publisher: { name: organisation },
    releases: [release],
  }
}
