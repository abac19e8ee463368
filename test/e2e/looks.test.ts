// How the main pages look, at a desktop width (1280 px) and a phone's (390 px). Each page is saved as
// a screenshot in test-artifacts/screenshots (git-ignored) for people to look at, and must fit the
// narrow screen: the document (document.documentElement.scrollWidth) is never wider than the screen,
// whatever makes it so (wide tables scroll inside their own box).
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { expectAccessible, newContext, SCREENSHOTS, settled, signIn, useAppAndBrowser, type Credentials, type RunningApp } from './harness.js'
import { readFileSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { parseEvaluationText } from '../../src/appraisal/index.js'
import { completeConsensus } from '../appraisal/factories.js'
import { importServed } from '../served.js'
import { join } from 'node:path'

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true })
})

const running = useAppAndBrowser()

let moderatedId: Promise<number> | undefined
/** A moderated evaluation led by the demo's lead: the small worked example, every consensus recorded. */
function moderated(): Promise<number> {
  const parsed = parseEvaluationText(readFileSync(new URL('../fixtures/small-evaluation.json', import.meta.url), 'utf8'))
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
  moderatedId ??= importServed(running.app.database, completeConsensus(parsed.file), { lead: 'lead@demo.example', members: {} }).then((served) => served.id)
  return moderatedId
}

/** The tallest part of a page that is photographed: the scoring pages run to tens of thousands of pixels. */
const MAX_HEIGHT = 5000

interface Shown {
  getBoundingClientRect(): { right: number }
  closest(s: string): unknown
  contains(other: Shown): boolean
  tagName: string
  className: string
  id: string
}

/** The tallest a page of one group's answers (scoring or moderation) may be at 1280 px: the police template's largest group holds 14. */
const GROUP_PAGE_HEIGHT = 6000

function pageHeight(page: Page): Promise<number> {
  return page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollHeight: number } } }).document.documentElement.scrollHeight)
}

/** Saves the page as NAME-WIDTH.png, and says what on it is wider than the screen. */
async function photograph(page: Page, name: string): Promise<string[]> {
  const width = page.viewportSize()!.width
  const height = await page.evaluate(
    () => (globalThis as unknown as { document: { documentElement: { scrollHeight: number } } }).document.documentElement.scrollHeight,
  )
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true, clip: { x: 0, y: 0, width, height: Math.min(height, MAX_HEIGHT) } })
  return page.evaluate(() => {
    const { document, innerWidth } = globalThis as unknown as {
      innerWidth: number
      document: { documentElement: { scrollWidth: number }; querySelectorAll(s: string): Iterable<Shown> }
    }
    const wide = document.documentElement.scrollWidth
    if (wide <= innerWidth) return []
    // The document is wider than the screen, whatever the cause: say so, and name what sticks out
    // outside any box made to scroll sideways (or, if nothing does, what sticks out inside one).
    const name = (el: { tagName: string; className: string; id: string }) =>
      `${el.tagName.toLowerCase()}${el.id === '' ? '' : `#${el.id}`}${el.className === '' ? '' : `.${String(el.className).split(' ').join('.')}`}`
    const sticking = [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > innerWidth + 1)
    // The innermost ones: a table that sticks out because of one cell names the cell.
    const out = sticking.filter((el) => !sticking.some((other) => other !== el && el.contains(other)))
    const outside = out.filter((el) => el.closest('.table-scroll, .table') === null)
    return [`document ${wide} px wide`, ...(outside.length > 0 ? outside : out).slice(0, 5).map(name)]
  })
}

interface Visit {
  name: string
  who: Credentials | null
  path: (ids: { evaluation: number; option: number; flaggedOption: number; moderated: number; trialGroup: string }) => string
}

const visits = (app: RunningApp): Visit[] => {
  const lead = app.demo.get('lead@demo.example')!
  const finance = app.demo.get('finance@demo.example')!
  const evaluator = app.demo.get('sam-whitfield@demo.example')!
  return [
    { name: 'sign-in', who: null, path: () => '/sign-in' },
    { name: 'accounts', who: app.administrator, path: () => '/accounts' },
    { name: 'evaluations', who: lead, path: () => '/evaluations' },
    { name: 'new-evaluation', who: lead, path: () => '/evaluations/new' },
    { name: 'evaluation', who: lead, path: ({ evaluation }) => `/evaluations/${evaluation}` },
    { name: 'options', who: lead, path: ({ evaluation }) => `/evaluations/${evaluation}/options` },
    { name: 'criteria', who: lead, path: ({ evaluation }) => `/evaluations/${evaluation}/criteria` },
    { name: 'panel', who: lead, path: ({ evaluation }) => `/evaluations/${evaluation}/panel` },
    { name: 'moderation', who: lead, path: ({ evaluation }) => `/evaluations/${evaluation}/moderation` },
    { name: 'moderation-option', who: lead, path: ({ evaluation, flaggedOption }) => `/evaluations/${evaluation}/moderation/${flaggedOption}` },
    { name: 'results', who: lead, path: ({ evaluation }) => `/evaluations/${evaluation}/results` },
    // The demo is part-way through moderation, which seals the priced views from the lead (decision 17).
    { name: 'sensitivity', who: lead, path: ({ moderated }) => `/evaluations/${moderated}/sensitivity` },
    { name: 'costs', who: finance, path: ({ evaluation }) => `/evaluations/${evaluation}/costs` },
    { name: 'option-costs', who: finance, path: ({ evaluation, option }) => `/evaluations/${evaluation}/costs/${option}` },
    { name: 'settings', who: finance, path: ({ evaluation }) => `/evaluations/${evaluation}/settings` },
    { name: 'tender-option', who: lead, path: ({ evaluation, option }) => `/evaluations/${evaluation}/tender/${option}` },
    { name: 'scoring', who: evaluator, path: ({ evaluation }) => `/evaluations/${evaluation}/scoring` },
    { name: 'history', who: lead, path: ({ evaluation }) => `/evaluations/${evaluation}/history` },
    { name: 'record-check', who: lead, path: ({ evaluation }) => `/evaluations/${evaluation}/record-check` },
    { name: 'finalise', who: lead, path: ({ evaluation }) => `/evaluations/${evaluation}/finalise` },
    { name: 'scoring-option', who: evaluator, path: ({ evaluation, flaggedOption }) => `/evaluations/${evaluation}/scoring/${flaggedOption}` },
    // The group the demo's trial is linked to, with Product B's trial figures beside it (issue 24).
    { name: 'scoring-trial', who: evaluator, path: ({ trialGroup }) => trialGroup },
  ]
}

// The two widths are photographed side by side: each has its own browser contexts.
describe.concurrent('the main pages', () => {
  for (const width of [1280, 390]) {
    it(`are photographed at ${width} px and fit the screen`, async () => {
      const evaluation = running.app.demoEvaluationId
      const pages = new Map<Credentials | null, Page>()
      const pageFor = async (who: Credentials | null): Promise<Page> => {
        let page = pages.get(who)
        if (page === undefined) {
          page = await (await newContext(running.browser, running.app, { width })).newPage()
          if (who !== null) await signIn(page, who)
          pages.set(who, page)
        }
        return page
      }
      // The option Sam has still to submit, which also holds the disagreement awaiting moderation.
      const lead = await pageFor(running.app.demo.get('lead@demo.example')!)
      await lead.goto(`/evaluations/${evaluation}/moderation`)
      const flaggedHref = await lead
        .locator('#moderation tbody tr')
        .filter({ has: lead.locator('.tag--red') })
        .getByRole('link')
        .getAttribute('href')
      const firstHref = await lead.locator('#moderation tbody tr').first().getByRole('link').getAttribute('href')
      const ids = {
        evaluation,
        flaggedOption: Number(/(\d+)$/.exec(flaggedHref!)![1]),
        option: Number(/(\d+)$/.exec(firstHref!)![1]),
        moderated: await moderated(),
        trialGroup: '',
      }
      // Sam's page of Usability and adoption for Product B, from the link to it in the groups to score.
      const evaluatorPage = await pageFor(running.app.demo.get('sam-whitfield@demo.example')!)
      const productB = await lead
        .locator('#moderation tbody tr')
        .getByRole('link', { name: /^Product B/ })
        .getAttribute('href')
      await evaluatorPage.goto(`/evaluations/${evaluation}/scoring/${/(\d+)$/.exec(productB!)![1]}`)
      ids.trialGroup = (await evaluatorPage.locator('.group-contents').getByRole('link', { name: 'Usability and adoption' }).getAttribute('href'))!

      const overflowing: string[] = []
      for (const visit of visits(running.app)) {
        const page = await pageFor(visit.who)
        const response = await page.goto(visit.path(ids))
        expect(response?.status(), visit.name).toBe(200)
        await settled(page)
        const wide = await photograph(page, visit.name)
        if (wide.length > 0) overflowing.push(`${visit.name}: ${wide.join(', ')}`)
        if (visit.name === 'scoring-trial') expect(await page.textContent('main')).toContain('Frontline trial: SUS 83 (95% CI 77–90), 12 participants')
        if (visit.name === 'scoring-option' || visit.name === 'moderation-option' || visit.name === 'scoring-trial') {
          const height = await pageHeight(page)
          console.log(`${visit.name} at ${width} px: ${height} px tall`)
          if (width === 1280) expect(height, `${visit.name} height`).toBeLessThan(GROUP_PAGE_HEIGHT)
        }
        // The journey checks its pages at the desktop width; here the narrow layout is checked too.
        if (width < 640) await expectAccessible(page, `${visit.name} at ${width} px`)
      }
      for (const page of pages.values()) await page.context().close()
      expect(overflowing, `pages wider than ${width} px`).toEqual([])
    }, 600_000)
  }
})
