import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  computeResults,
  computeResultsWithSensitivity,
  parseEvaluationFile,
  parseEvaluationText,
  planHash,
  weighCriteria,
  type EvaluationFile,
  type ResultsWithSensitivity,
  type Sensitivity,
} from '../../src/appraisal/index.js'
import { buildDemoEvaluation } from '../../src/demo/seed.js'
import { PAGE, renderReport } from '../../src/report/index.js'
import { testTemplates } from '../helpers.js'
import { readPdf, textOutsideMargins, type ReadPdf } from './pdf.js'

const AS_AT = new Date('2026-11-25T09:30:00Z')

function fixture(): EvaluationFile {
  const parsed = parseEvaluationText(readFileSync(new URL('../fixtures/small-evaluation.json', import.meta.url), 'utf8'))
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
  return parsed.file
}

/** A variant of the small fixture, validated like any file. */
// biome-ignore lint/suspicious/noExplicitAny: a variant edits the raw JSON as freely as a person editing the file would.
function variant(change: (file: Record<string, any>) => void): EvaluationFile {
  const raw = JSON.parse(readFileSync(new URL('../fixtures/small-evaluation.json', import.meta.url), 'utf8'))
  change(raw)
  const parsed = parseEvaluationFile(raw)
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
  return parsed.file
}

// Written independently of the report's own formatting, so a change there shows here.
const money = (value: number) => new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', maximumFractionDigits: 0 }).format(value)
const oneDecimal = (value: number) => value.toFixed(1)
const percent = (value: number) => `${value.toFixed(1)}%`

/** Collapses whitespace so that text wrapped across lines still matches. */
const squash = (text: string) => text.replace(/\s+/g, ' ').trim()

async function render(file: EvaluationFile, status: 'draft' | 'final' = 'draft', extra: { version?: number; fileSha256?: string } = {}) {
  const results = computeResultsWithSensitivity(file, { iterations: 2000 })
  const bytes = await renderReport(file, results, { status, generatedAt: AS_AT, ...extra })
  return { bytes, results, pdf: await readPdf(bytes, { structure: true }) }
}

/** The text of numbered section n (from 1), found through the outline; every section starts on a new page. */
function section(pdf: ReadPdf, n: number): string {
  const start = pdf.outline[n - 1]!.page
  const end = pdf.outline[n]?.page ?? pdf.pages.length
  return squash(
    pdf.pages
      .slice(start, end)
      .map((page) => page.text)
      .join(' '),
  )
}

describe('the options appraisal report of the demo evaluation', () => {
  let file: EvaluationFile
  let results: ResultsWithSensitivity
  let bytes: Buffer
  let pdf: ReadPdf
  let sensitivity: Sensitivity

  beforeAll(async () => {
    file = buildDemoEvaluation(testTemplates())
    results = computeResultsWithSensitivity(file)
    bytes = await renderReport(file, results, { status: 'draft', generatedAt: AS_AT })
    pdf = await readPdf(bytes, { structure: true })
    if ('computed' in results.sensitivity) throw new Error('the demo should have a preferred option')
    sensitivity = results.sensitivity
  }, 60_000)

  it('is a PDF with a cover giving the title, organisation, status, version and date', () => {
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-')
    const cover = pdf.pages[0]!.text
    expect(cover).toContain(file.title.split(' ').slice(0, 3).join(' '))
    expect(cover).toContain(file.organisation!.toUpperCase())
    expect(cover).toContain('Options appraisal report')
    expect(cover).toContain('DRAFT — not for decision')
    expect(cover).toContain('Version Draft (not versioned)')
    expect(cover).toContain('As at 25 November 2026')
  })

  it('marks every page DRAFT and numbers every page "Page n of m"', () => {
    const count = pdf.pages.length
    expect(count).toBeGreaterThan(20)
    pdf.pages.forEach((page, i) => {
      expect(page.text, `page ${i + 1}`).toContain('DRAFT')
      expect(page.text, `page ${i + 1}`).toContain(`Page ${i + 1} of ${count}`)
    })
  })

  it('has a contents page whose page numbers, and the outline, lead to each heading', () => {
    const contents = pdf.pages[1]!.text
    expect(contents).toContain('Contents')
    const titles = [
      'Executive summary',
      'Background and objectives',
      'Options considered',
      'Method',
      'The tender evaluation',
      'The economic case',
      'Sensitivity',
      'Panel, conflicts of interest and moderation',
      'Sign-off',
    ]
    expect(pdf.outline.map((entry) => entry.title)).toEqual(titles.map((title, i) => `${i + 1}  ${title}`))
    let previous = 0
    pdf.outline.forEach((entry, i) => {
      expect(entry.page, entry.title).toBeGreaterThan(previous - 1)
      previous = entry.page
      expect(pdf.pages[entry.page]!.text, entry.title).toContain(`${i + 1} ${titles[i]}`)
      expect(contents, entry.title).toContain(`${i + 1} ${titles[i]} ${entry.page + 1}`)
      for (const child of entry.children) {
        const [number, ...words] = child.title.split(/\s+/)
        const title = words.join(' ')
        expect(pdf.pages[child.page]!.text, child.title).toContain(`${number} ${title}`)
        expect(contents, child.title).toContain(`${number} ${title} ${child.page + 1}`)
      }
    })
    expect(pdf.outline.find((entry) => entry.title.endsWith('The economic case'))!.children.map((child) => child.title)).toEqual([
      '6.1  Every option against business as usual',
      '6.2  Cost per year',
      ...file.options.map((option, i) => `6.${i + 3}  ${option.name}`),
    ])
  })

  it('is a tagged PDF in British English with its title shown, headings, lists, tables and figures as structure', () => {
    expect(pdf.marked).toBe(true)
    expect(pdf.info.Language).toBe('en-GB')
    expect(pdf.info.Title).toBe(`${file.title}: options appraisal report (draft)`)
    expect(bytes.includes('/DisplayDocTitle true')).toBe(true)
    expect(pdf.figureAlts).toHaveLength(3)
    expect(pdf.figureAlts[0]).toMatch(/^Stacked bar chart of quality out of 100 for each option/)
    expect(pdf.figureAlts[1]).toMatch(/^Chart of each option’s mean System Usability Scale score/)
    expect(pdf.figureAlts[2]).toMatch(/^Bar chart of the cost of each option in each year from 2025 to 2034/)
    for (const role of [
      'Document',
      'Sect',
      'H1',
      'H2',
      'H3',
      'P',
      'L',
      'LI',
      'Lbl',
      'LBody',
      'Table',
      'THead',
      'TBody',
      'TR',
      'TH',
      'TD',
      'Figure',
      'TOC',
      'TOCI',
      'Link',
    ]) {
      expect(pdf.roles, role).toContain(role)
    }
  })

  it('embeds its fonts and uses none of the standard fonts', () => {
    expect(bytes.includes('/FontFile2')).toBe(true)
    expect(bytes.includes('DejaVuSans')).toBe(true)
    expect(bytes.includes('/Helvetica')).toBe(false)
  })

  it('opens with the recommendation in sentences drawn from the figures', () => {
    const preferred = results.options.find((option) => option.id === results.preferred)!
    const runnerUp = results.options.find((option) => option.rank === 2)!
    const summary = section(pdf, 1)
    expect(summary).toContain(`The tender evaluation. ${preferred.name} is the preferred tender.`)
    // The second answer: the option of highest NPSV against business as usual, and how much is cash.
    const highest = results.options.find((option) => option.id === results.highestNpsv)!
    expect(summary).toContain(`The economic case. Of every option appraised against business as usual`)
    expect(summary).toContain(`${highest.name} has the highest net present social value`)
    expect(summary).toContain(`with a total score of ${oneDecimal(preferred.total!)} out of 100`)
    expect(summary).toContain(`${oneDecimal(preferred.total! - runnerUp.total!)} points ahead of ${runnerUp.name} (${oneDecimal(runnerUp.total!)})`)
    expect(summary).toContain(`On quality it scores ${oneDecimal(preferred.quality)} out of 100 against ${oneDecimal(runnerUp.quality)} for ${runnerUp.name}.`)
    expect(summary).toMatch(/It scores higher on .* and lower on /)
    expect(summary).toContain(`£${(Math.abs(preferred.pvCost - runnerUp.pvCost) / 1e6).toFixed(1)} million less than ${runnerUp.name}`)
    const costSwitch = sensitivity.costs.find((entry) => entry.id === preferred.id)!.switchesAt!
    expect(summary).toContain(`if its costs rose by ${percent(costSwitch)} or more`)
    expect(summary).toContain(`came first in ${percent(100 * sensitivity.monteCarlo.probabilityFirst[preferred.id]!)} of runs`)
    // Key figures: every option's PV cost and NPSV as formatted money.
    for (const option of results.options) {
      expect(summary).toContain(option.name)
      expect(summary).toContain(money(option.pvCost))
    }
  })

  it('states in the summary the options that failed a gate, and why', () => {
    const names = new Map(weighCriteria(file.criteria).nodes.map((node) => [node.id, node.name]))
    const failed = results.options.filter((option) => option.failedGates.length > 0)
    expect(failed.map((option) => option.tender)).toEqual([false, true]) // business as usual as it runs today, and Product C
    const summary = section(pdf, 1)
    for (const option of failed) {
      expect(summary).toContain(`${option.name} failed ${option.failedGates.length} gates`)
      for (const gate of option.failedGates) expect(summary).toContain(names.get(gate)!)
      expect(summary).toContain(
        option.tender
          ? 'It is not eligible and is not ranked'
          : 'It is not a tender, so it is never ranked; it is appraised all the same, as the baseline every option is measured against.',
      )
    }
  })

  it('gives the background, and the options with the baseline marked and sunk costs stated and excluded', () => {
    const background = section(pdf, 2)
    expect(background).toContain(squash(file.summary!).slice(0, 60))
    const options = section(pdf, 3)
    const baseline = file.options.find((option) => option.baseline)!
    expect(options).toContain(`${baseline.name} is the baseline (business as usual)`)
    for (const option of file.options) expect(options).toContain(option.name)
    expect(options).toContain('excluded from the appraisal')
    for (const sunk of file.sunkCosts) expect(options).toContain(money(sunk.amount))
    const total = results.options.find((option) => option.id === baseline.id)!.sunkCost
    expect(options).toContain(money(total))
  })

  it('sets out the method: weights and effective weights, gates, scale, split, price formula, discounting, optimism bias and period', () => {
    const method = section(pdf, 4)
    const weights = weighCriteria(file.criteria)
    for (const node of weights.topLevel.filter((n) => n.role === 'group')) {
      expect(method).toContain(node.name)
      expect(method).toContain(`${(100 * node.effectiveWeight).toFixed(2)}%`)
    }
    const leaf = weights.scoredLeaves[0]!
    expect(method).toContain(`${leaf.name}`)
    expect(method).toContain(`${(100 * leaf.effectiveWeight).toFixed(2)}%`)
    for (const gate of weights.gates) expect(method).toContain(gate.name)
    for (const [level, label] of Object.entries(file.scale.labels!)) expect(method).toContain(`${level} ${label}`)
    expect(method).toContain(file.scale.descriptors!['5']!.slice(0, 40))
    expect(method).toContain(`total = (${file.split.quality} × quality + ${file.split.cost} × price score) ÷ ${file.split.quality + file.split.cost}`)
    expect(method).toContain('Price formula: relative to the lowest.')
    expect(method).toContain('Social Time Preference Rate')
    expect(method).toContain('3.50%')
    expect(method).toContain('20.0% on capital cost lines and 10.0% on operating cost lines')
    // the chosen starting point and where the figures stand within its bounds, with the reasons given
    expect(method).toContain(
      'Starting point: HM Treasury, Green Book supplementary guidance: optimism bias, project type Equipment and development (the category for IT).',
    )
    expect(method).toContain(
      'Applied: 20.0% on capital lines, reduced from the upper bound of 200.0% (bounds 10.0% to 200.0%); 10.0% on operating lines, for which this type gives no figure.',
    )
    expect(method).toContain(`Reasons given for these figures: ${squash(file.appraisal.optimismBias.note!).slice(0, 60)}`)
    expect(method).toContain(`from ${file.appraisal.baseYear} (year 0) to ${file.appraisal.baseYear + file.appraisal.years - 1}`)
    expect(method).toContain(`real ${file.appraisal.baseYear} prices`)
    // Where the commercial terms' weights came from: the demo's weighting round, who took part, and its consistency.
    const round = results.weighting![0]!
    expect(method).toContain('The weights of the criteria in Commercial terms (')
    expect(method).toContain(') came from a weighting round, applied on ')
    expect(method).toContain('2 stakeholders (Demo stakeholder, Head of Finance) compared every pair')
    expect(method).toContain(`The group’s consistency ratio is ${round.group!.cr.toFixed(3)} (below 0.10, acceptable)`)
    expect(method).toContain(`What the price covers. ${squash(file.priceBasis!).slice(0, 60)}`)
  })

  it('says the demo’s plan was approved, by whom and with its hash, with no change since, before its scoring began', () => {
    const method = section(pdf, 4)
    expect(method).toContain(`The evaluation plan was approved on 28 August 2025 at 15:00:00 by ${file.plan!.approvedBy}`)
    expect(method).toContain(`with the SHA-256 ${planHash(file)}.`)
    expect(method).toContain('There were no changes to the plan after its approval.')
    const first = file.evaluators.map((e) => e.declaration!.declaredAt!).sort()[0]!
    expect(first > file.plan!.approvedAt).toBe(true)
    expect(method).toContain('The plan was approved before scoring began: the first dated step of the panel’s scoring,')
  })

  it('gives the quality results: the ranking, quality by group, gate outcomes and every consensus score with its rationale', () => {
    const quality = section(pdf, 5)
    for (const option of results.options) {
      expect(quality).toContain(oneDecimal(option.quality))
      for (const group of option.groups) if (group.score !== null) expect(quality).toContain(oneDecimal(group.score))
    }
    expect(quality).toContain('5.2 Quality by group')
    expect(quality).toContain('Quality (out of 100)')
    expect(quality).toContain('Fail')
    expect(quality).toContain('Pass')
    // Every consensus rationale is there, whole.
    const missing = file.consensus.filter((score) => score.rationale !== undefined && !quality.includes(squash(score.rationale)))
    expect(missing.map((score) => `${score.option}/${score.criterion}`)).toEqual([])
  })

  it('gives each option’s whole-life cost year by year with PV totals, NPSV, BCR and EAC, and a cost-per-year chart', () => {
    const cost = section(pdf, 6)
    expect(cost).toContain('2026 (1) 0.966184')
    for (const year of results.options[0]!.years) expect(cost).toContain(`${year.calendarYear} (${year.year}) ${year.discountFactor.toFixed(6)}`)
    expect(cost).toContain('Cost per year, real 2025 prices, undiscounted')
    for (const option of results.options) {
      expect(cost).toContain(money(option.pvCost))
      expect(cost).toContain(money(option.undiscountedCost))
      expect(cost).toContain(money(option.eac))
      expect(cost).toContain(option.npsv < 0 ? `(${money(-option.npsv)})` : money(option.npsv))
      for (const year of option.years) expect(cost).toContain(money(year.cost))
    }
  })

  it('gives the switching values, cost headroom, irrelevant alternatives and the Monte Carlo figures', () => {
    const part = section(pdf, 7)
    for (const entry of sensitivity.weights) {
      expect(part).toContain(percent(entry.current))
      if (entry.switchesAt !== null) expect(part).toContain(percent(entry.switchesAt))
    }
    const preferred = results.preferred!
    for (const entry of sensitivity.costs) {
      if (entry.switchesAt !== null) expect(part).toContain(`${entry.id === preferred ? '+' : '−'}${percent(entry.switchesAt)}`)
    }
    expect(part).toContain('10,000 runs (seed 1')
    for (const option of results.options) {
      const percentiles = sensitivity.monteCarlo.pvCost[option.id]!
      expect(part).toContain(percent(100 * sensitivity.monteCarlo.probabilityFirst[option.id]!))
      expect(part).toContain(money(percentiles.p10))
      expect(part).toContain(money(percentiles.p50))
      expect(part).toContain(money(percentiles.p90))
    }
  })

  it('records the panel, the conflict-of-interest register, the moderation record and a sign-off block', () => {
    const part = `${section(pdf, 8)} ${section(pdf, 9)}`
    for (const evaluator of file.evaluators) expect(part).toContain(evaluator.name)
    expect(part).toContain('Interest declared')
    expect(part).toContain('Proceed: may score every option')
    expect(part).toContain('8.3 Moderation record')
    expect(part).toContain('Scores that needed discussion')
    expect(part).toContain('9 Sign-off')
    expect(part).toContain('This report is a draft and is not for signature')
    for (const role of ['Senior responsible owner', 'Chief finance officer', 'Evaluation lead']) expect(part).toContain(role)
  })

  it('repeats a table’s header row on every page the table runs on to', () => {
    const method = pdf.outline[3]!
    const criteria = method.children[0]!
    const gates = method.children[1]!
    expect(gates.page - criteria.page).toBeGreaterThan(1)
    for (let page = criteria.page; page <= gates.page; page++) {
      // The watermark is drawn first, then the body; the running header and footer come last.
      const body = pdf.pages[page]!.text.replace(/^DRAFT /, '')
      expect(body.slice(0, 60), `page ${page + 1}`).toMatch(page === criteria.page ? /^4 Method/ : /^Criterion Weight Share of parent Effective weight/)
    }
  })

  it('keeps every line of text inside the page margins', () => {
    expect(textOutsideMargins(pdf, PAGE)).toEqual([])
  })

  it('gives the same bytes for the same evaluation, and a different date gives different bytes', async () => {
    const again = await renderReport(file, results, { status: 'draft', generatedAt: AS_AT })
    expect(again.equals(bytes)).toBe(true)
    const later = await renderReport(file, results, { status: 'draft', generatedAt: new Date('2026-11-26T09:30:00Z') })
    expect(later.equals(bytes)).toBe(false)
    expect(pdf.info.CreationDate).toBe('D:20261125093000Z')
    expect(pdf.info.ModDate).toBe('D:20261125093000Z')
  }, 30_000)
})

describe('the report of other evaluations', () => {
  it('gives the award record in its sign-off section: the decision, the standstill period and who was notified when', async () => {
    const file = variant((raw) => {
      raw.award = {
        decisionDate: '2026-12-04',
        standstillStart: '2026-12-07',
        standstillEnd: '2026-12-16',
        notifications: [{ option: 'product-a', date: '2026-12-05', to: 'bids@fictional.example', method: 'email' }],
      }
    })
    const { pdf } = await render(file)
    const signOff = section(pdf, pdf.outline.length)
    expect(signOff).toContain('Award decision 4 December 2026 Standstill period 7 December 2026 to 16 December 2026')
    expect(signOff).toContain('Notified: Fictional Systems Ltd 5 December 2026 (bids@fictional.example, email)')
  }, 30_000)

  it('is final when finalised: no DRAFT anywhere, its version, and the evaluation file’s SHA-256 and audit chain head', async () => {
    const sha = 'a'.repeat(64)
    const file = fixture()
    const results = computeResultsWithSensitivity(file, { iterations: 500 })
    const bytes = await renderReport(file, results, { status: 'final', version: 2, generatedAt: AS_AT, fileSha256: sha, auditChainHead: 'b'.repeat(64) })
    const pdf = await readPdf(bytes)
    expect(pdf.text).not.toContain('DRAFT')
    expect(pdf.text).not.toContain('Draft')
    expect(pdf.pages[0]!.text).toContain('FINAL — version 2')
    expect(pdf.text).toContain(sha)
    expect(pdf.text).toContain('b'.repeat(64))
    expect(pdf.info.Title).toBe(`${file.title}: options appraisal report`)
  })

  it('states incomplete scoring in the summary', async () => {
    const file = variant((raw) => {
      raw.consensus = raw.consensus.filter((score: { option: string; criterion: string }) => !(score.option === 'product-a' && score.criterion === 'search'))
    })
    const { pdf, results } = await render(file)
    expect(results.complete).toBe(false)
    const summary = section(pdf, 1)
    expect(summary).toContain('Scoring of Product A is incomplete: 1 of 3 scored criteria has no score and counts as 0, the bottom of the scale.')
  })

  it('explains price per quality point: the ratio, and that the split is not used', async () => {
    const { pdf } = await render(
      variant((raw) => {
        raw.priceFormula = 'price-per-quality-point'
      }),
    )
    expect(pdf.text).toContain('Price formula: price per quality point.')
    expect(pdf.text).toContain('the total is the price score itself. The quality/price split (60 : 40) is not used')
    expect(pdf.text).toContain('(price per quality point: the split is not used)')
  })

  it('says plainly when no option is preferred because every option fails a gate', async () => {
    const file = variant((raw) => {
      for (const score of raw.consensus) if (score.criterion === 'live') score.score = 0
    })
    const { pdf } = await render(file)
    expect(pdf.text).toContain('No tender is preferred. Every tender fails at least one gate')
    expect(pdf.text).toContain('are computed only when a single tender is preferred, and none is')
    // The economic case still has its answer, and each line's switching value is still given.
    expect(pdf.text).toContain('The economic case. Of every option appraised against business as usual')
    expect(pdf.text).toContain('How far each estimate can move')
  })

  it('sets £, €, accents and dashes in its embedded font, and money in the file’s currency', async () => {
    const file = variant((raw) => {
      raw.currency = 'EUR'
      raw.title = 'Évaluation – Zoë’s Ålborg & Łódź “records” — 2025'
      raw.options[1].name = 'Produit Ä — Société Générale (£ quoted)'
    })
    const { pdf, results } = await render(file)
    expect(pdf.text).toContain('Évaluation – Zoë’s Ålborg & Łódź “records” — 2025')
    expect(pdf.text).toContain('Produit Ä — Société Générale (£ quoted)')
    const pv = results.options[1]!.pvCost
    expect(pdf.text).toContain(new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 }).format(pv))
  })

  it('wraps very long names and rationales, splits a rationale longer than a page, and keeps everything inside the margins', async () => {
    const longName = `Option with a very long name ${'that keeps on going '.repeat(20)}end`
    const unbroken = `https://example.org/${'evidence-'.repeat(40)}end`
    const pageLong = `Start of a long rationale. ${'The panel discussed this at length and agreed the score after hearing the evidence. '.repeat(90)}Last words of the rationale.`
    const file = variant((raw) => {
      raw.options[1].name = longName
      raw.criteria[0].criteria[0].name = `Crime recording ${'with many qualifications '.repeat(12)}`.trim()
      raw.consensus[0].rationale = pageLong
      raw.consensus[0].evidence = unbroken
    })
    const { pdf } = await render(file)
    expect(textOutsideMargins(pdf, PAGE)).toEqual([])
    const text = squash(pdf.text)
    expect(text).toContain('Start of a long rationale.')
    expect(text).toContain('Last words of the rationale.')
    expect(text.replace(/ /g, '')).toContain(`Evidence:${unbroken}`)
    expect(text).toContain(longName.slice(0, 60))
  })

  it('says so when sensitivity was not computed', async () => {
    const file = fixture()
    const bytes = await renderReport(file, computeResults(file), { status: 'draft', generatedAt: AS_AT })
    const pdf = await readPdf(bytes)
    expect(pdf.text).toContain('Sensitivity was not computed for this report.')
    expect(pdf.outline.find((entry) => entry.title.endsWith('Sensitivity'))!.children).toEqual([])
  })
})

describe('the report of an evaluation with a frontline trial', () => {
  it('has a Frontline trials section: each option’s SUS with its interval, charted, the criteria it was linked to, the tasks, comments by role and the wording answered', async () => {
    const file = variant((raw) => {
      raw.trials = {
        tasks: [{ id: 'search', name: 'Find a nominal' }],
        criteria: ['usability'],
        sessions: [
          {
            option: 'product-b',
            role: 'Detective',
            sus: [5, 1, 5, 1, 5, 1, 5, 1, 5, 1],
            tasks: [{ task: 'search', completed: true, seconds: 40 }],
            comment: 'Found him first time.',
          },
          { option: 'product-b', role: 'Response officer', sus: [4, 2, 4, 2, 4, 2, 4, 2, 4, 2], tasks: [{ task: 'search', completed: true, seconds: 60 }] },
        ],
      }
    })
    const { pdf } = await render(file)
    const text = squash(pdf.pages.map((p) => p.text).join(' '))
    // SUS 100 and 75: mean 87.5, t(0.975, 1) = 12.706, s = 17.678, half-width 158.8, cut to 0–100.
    expect(text).toContain('Frontline trials')
    expect(text).toContain('Product B: SUS 88 (95% CI 0–100)')
    expect(text).toContain('Detective, trying Product B: “Found him first time.”')
    expect(text).toContain('1. I would be happy to use this system often.')
    expect(text).toContain('The lead linked these figures to “Usability”: evaluators saw them beside that criterion as they scored.')
    // The chart of SUS with its interval is a figure with its alternative text, beside the report's other two.
    expect(pdf.figureAlts).toHaveLength(3)
    expect(pdf.figureAlts.find((alt) => alt.includes('System Usability Scale'))).toMatch(
      /^Chart of each option’s mean System Usability Scale score, 0 to 100, with its 95% confidence interval, .* Product B: 88 \(0–100\)\./,
    )
  })
})
