// The browser suite's harness: the real server (src/server.ts) on a free loopback port over a fresh
// database, Debian's Chromium driven by playwright-core, and axe-core for the WCAG checks. Each test
// file starts one server and one browser and shares them across its tests.
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page, type Response as PlaywrightResponse } from 'playwright-core'
import { afterAll, beforeAll, expect } from 'vitest'
import { newTestDatabaseLocation, serverDatabaseEnv, testEngine } from '../database.js'
import { REPO_ROOT as root, freePort } from '../loopback.js'
import { declaredMember, importServed, policeTemplate, servedFile } from '../served.js'

const require = createRequire(import.meta.url)

/** Debian's Chromium: a test tool's own browser download cannot work on these machines. */
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium'
/** Screenshots of the main pages, for people to look at (git-ignored). */
export const SCREENSHOTS = join(root, 'test-artifacts', 'screenshots')

export interface Credentials {
  email: string
  password: string
}

export interface RunningApp {
  /** "http://127.0.0.1:PORT" */
  url: string
  administrator: Credentials
  /** The demo evaluation's accounts, by email, as the server printed them on first run. */
  demo: Map<string, Credentials & { roles: string }>
  demoEvaluationId: number
  /** Its database: a PostgreSQL URL or a SQLite file, for a test to put an evaluation in (test/served.ts). */
  database: string
  /** Everything the server has printed so far. */
  output(): string
  stop(): Promise<void>
}

/** Reads the one-time first-run message: the administrator's and the demo accounts' passwords. */
export function readFirstRun(output: string): Pick<RunningApp, 'administrator' | 'demo' | 'demoEvaluationId'> {
  const admin = /^\s+(admin@localhost)\s+(\S+)\s*$/m.exec(output)
  const evaluation = /Created the demo evaluation \(id (\d+)\)/.exec(output)
  if (admin === null || evaluation === null) throw new Error(`the server did not print the first-run passwords:\n${output}`)
  const demo = new Map<string, Credentials & { roles: string }>()
  for (const match of output.matchAll(/^\s+(\S+@demo\.example)\s+(\S+)\s+\(([^)]*)\)\s*$/gm)) {
    demo.set(match[1]!, { email: match[1]!, password: match[2]!, roles: match[3]! })
  }
  return { administrator: { email: admin[1]!, password: admin[2]! }, demo, demoEvaluationId: Number(evaluation[1]) }
}

/** Stops a server, and removes its database directory, however its start went. */
async function stopServer(child: ChildProcess, exited: Promise<void>, dir: string, killOnExit: () => void): Promise<void> {
  if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM')
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000)
    await exited
    clearTimeout(killer)
  }
  process.off('exit', killOnExit)
  await rm(dir, { recursive: true, force: true })
}

/**
 * Starts `node --import tsx src/server.ts` over a new temporary database and waits until it listens.
 * A server that fails to start is stopped before the error is thrown, and one still running when
 * the test process ends (a worker killed mid-file) is killed with it.
 */
export interface AppOptions {
  /** The port to listen on (a test that must know the address before the server starts); a free one if not given. */
  port?: number
  /** More environment for the server, such as single sign-on's. */
  env?: Record<string, string>
}

export async function startApp(options: AppOptions = {}): Promise<RunningApp> {
  // The free port is found before the server takes it: another process may take it in between.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startAppOnce(options)
    } catch (error) {
      if (attempt === 3 || !String(error).includes('EADDRINUSE')) throw error
    }
  }
}

async function startAppOnce(options: AppOptions): Promise<RunningApp> {
  const dir = await mkdtemp(join(tmpdir(), 'appraisal-e2e-'))
  const port = options.port ?? (await freePort())
  const database = testEngine === 'postgres' ? await newTestDatabaseLocation() : join(dir, 'appraisal.sqlite')
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: {
      ...process.env,
      ...serverDatabaseEnv(database),
      PORT: String(port),
      HOST: '127.0.0.1',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const killOnExit = () => child.kill('SIGKILL')
  process.once('exit', killOnExit)
  let output = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = () => stopServer(child, exited, dir, killOnExit)

  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the server did not start within 60 seconds:\n${output}`)), 60_000)
      const check = () => {
        const match = /running at (http:\/\/[^/\s]+)\//.exec(output)
        if (match !== null) {
          clearTimeout(timer)
          resolve(match[1]!)
        }
      }
      child.stdout.on('data', check)
      child.once('error', (error) => {
        clearTimeout(timer)
        reject(error)
      })
      // 'close', not 'exit': by then all the server printed has been read, the reason with it.
      child.once('close', (code) => {
        clearTimeout(timer)
        reject(new Error(`the server exited with code ${code}:\n${output}`))
      })
    })
    return { url, ...readFirstRun(output), database, output: () => output, stop }
  } catch (error) {
    await stop()
    throw error
  }
}

/**
 * What every test file shares: one server and one browser, started side by side. Whatever of the two
 * started is stopped again, even when the other failed to start or a test failed.
 */
export async function startAppAndBrowser(options: AppOptions = {}): Promise<{ app: RunningApp; browser: Browser; stop(): Promise<void> }> {
  const [app, browser] = await Promise.allSettled([startApp(options), launchBrowser()])
  const stop = async () => {
    const closed = await Promise.allSettled([
      browser.status === 'fulfilled' ? browser.value.close() : undefined,
      app.status === 'fulfilled' ? app.value.stop() : undefined,
    ])
    const failure = closed.find((c) => c.status === 'rejected')
    if (failure !== undefined) throw failure.reason
  }
  if (app.status === 'rejected' || browser.status === 'rejected') {
    await stop().catch(() => {})
    throw app.status === 'rejected' ? app.reason : (browser as PromiseRejectedResult).reason
  }
  return { app: app.value, browser: browser.value, stop }
}

/**
 * A test file's server and browser: registers the `beforeAll` that starts them (with `options`, or
 * what `options()` works out first) and the `afterAll` that stops them, and returns accessors that
 * read them once started.
 */
export function useAppAndBrowser(options: AppOptions | (() => Promise<AppOptions>) = {}): { readonly app: RunningApp; readonly browser: Browser } {
  let started: { app: RunningApp; browser: Browser; stop(): Promise<void> } | undefined
  beforeAll(async () => {
    started = await startAppAndBrowser(typeof options === 'function' ? await options() : options)
  })
  afterAll(() => started?.stop())
  const get = () => {
    if (started === undefined) throw new Error('the app and browser start in beforeAll: read them inside a test')
    return started
  }
  return {
    get app() {
      return get().app
    },
    get browser() {
      return get().browser
    },
  }
}

/**
 * Headless Chromium. Playwright gives each launch a new temporary profile (a fresh user-data-dir)
 * and removes it on close; the flags keep the browser off the network and quiet.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

/** A new browsing session (its own cookies), at a desktop width unless told otherwise. */
export async function newContext(browser: Browser, app: RunningApp, options: { javaScriptEnabled?: boolean; width?: number } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: app.url,
    viewport: { width: options.width ?? 1280, height: 900 },
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    acceptDownloads: true,
    locale: 'en-GB',
    timezoneId: 'Europe/London',
  })
  // A step that cannot happen fails within seconds, naming the step, rather than at the test's timeout
  // (a loaded machine can take a few seconds over a big page).
  context.setDefaultTimeout(15_000)
  // E2E_CPU_THROTTLE=4 runs each page's scripts and layout four times slower, as on a loaded machine:
  // a way to bring out a race between the test and the page.
  const throttle = Number(process.env.E2E_CPU_THROTTLE ?? '1')
  if (throttle > 1) {
    context.on('page', (page) => {
      void context
        .newCDPSession(page)
        .then((cdp) => cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle }))
        .catch(() => {})
    })
  }
  return context
}

/**
 * Waits until the page has loaded and htmx has nothing in hand: no request out (htmx marks the
 * element that sent one with .htmx-request), no swap or settle under way. Any htmx request sent as
 * the page loads (hx-trigger="load") has been sent by then, so it is waited for too. A page without
 * JavaScript is settled once it has loaded.
 */
export async function settled(page: Page): Promise<void> {
  await page.waitForLoadState('load')
  const isSettled = () => {
    const { document } = globalThis as unknown as { document: { readyState: string; querySelector(selector: string): unknown } }
    return document.readyState === 'complete' && document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added') === null
  }
  // Checked once first: a page without JavaScript runs no timers, so it could not be polled.
  if (await page.evaluate(isSettled)) return
  await page.waitForFunction(isSettled)
}

export async function signIn(page: Page, who: Credentials): Promise<void> {
  await page.goto('/sign-in')
  await page.getByLabel('Email address').fill(who.email)
  await page.getByLabel('Password').fill(who.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'))
  await settled(page)
}

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')
/** WCAG 2.0, 2.1 and 2.2 at levels A and AA. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

export interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: { target: string[]; html: string; failureSummary: string }[]
}

/**
 * Runs axe-core on the page as it is now. The app's content security policy refuses inline and
 * injected scripts, so axe goes in through the DevTools protocol (page.evaluate), which the policy
 * does not govern; the page itself is left exactly as served.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // The callbacks run in the browser; the project's types have no DOM, so its globals are reached through globalThis.
  const loaded = await page.evaluate(() => 'axe' in globalThis)
  if (!loaded) await page.evaluate(axeSource)
  return page.evaluate(async (tags) => {
    interface Axe {
      run(
        context: unknown,
        options: object,
      ): Promise<{ violations: (Omit<AxeViolation, 'nodes'> & { nodes: { target: string[]; html: string; failureSummary: string }[] })[] }>
    }
    const { axe, document } = globalThis as unknown as { axe: Axe; document: unknown }
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, html: n.html.slice(0, 200), failureSummary: n.failureSummary })),
    }))
  }, WCAG_TAGS)
}

const pageChecksSource = readFileSync(new URL('page-checks.js', import.meta.url), 'utf8')

export interface FocusedElement {
  tag: string
  id: string
  type: string | null
  /** Its label, text or name, to say which it is. */
  name: string
  /** Whether an outline or a box shadow shows where the focus is (on it, or on its label). */
  visible: boolean
  outline: string
  boxShadow: string
}

export interface ErrorSummaryState {
  role: string | null
  focused: boolean
  links: { text: string; href: string | null; targetExists: boolean; targetTag: string | null }[]
}

interface PageChecks {
  unlabelledFields: string[]
  chartsWithoutTextAlternatives: string[]
  focused: FocusedElement | null
  errorSummary: ErrorSummaryState | null
}

/**
 * Runs one of the checks in page-checks.js inside the page, in one round trip (defining the checks
 * again each time costs less than asking first whether they are there, and a Tab walk makes many).
 */
export async function inPage<K extends keyof PageChecks>(page: Page, check: K): Promise<PageChecks[K]> {
  return page.evaluate(`${pageChecksSource};\nglobalThis.pageChecks[${JSON.stringify(check)}]()`) as Promise<PageChecks[K]>
}

/**
 * Waits for the focus to reach the element with this id, and fails naming where it is otherwise: the
 * browser moves the focus to a link's target as it scrolls there, which may come a frame after the key.
 */
export async function expectFocusOn(page: Page, id: string, message?: string): Promise<void> {
  await expect
    .poll(async () => (await inPage(page, 'focused'))?.id ?? '(nothing)', { message: message ?? `the focus moves to #${id}`, timeout: 5_000 })
    .toBe(id)
}

/**
 * Fails with a readable list when axe finds any WCAG 2.2 A or AA problem on the page, when a form
 * field has no label, or when a chart has no text alternative and table of its figures.
 */
export async function expectAccessible(page: Page, what?: string): Promise<void> {
  await settled(page)
  const label = what ?? new URL(page.url()).pathname
  const violations = await axeViolations(page)
  const described = violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}  ${n.html}`).join('\n')}`)
  expect(described, `axe on ${label}`).toEqual([])
  expect(await inPage(page, 'unlabelledFields'), `fields without a label on ${label}`).toEqual([])
  expect(await inPage(page, 'chartsWithoutTextAlternatives'), `charts without text alternatives on ${label}`).toEqual([])
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true })
}

/**
 * Gives one answer on an evaluator's scoring page as a person does: writes the rationale, picks the
 * score, and waits until that answer has been autosaved (htmx) and the answer shows it is saved.
 */
export async function scoreAnswer(page: Page, criterion: string, score: number, rationale: string): Promise<void> {
  const answer = page.locator('form.answer').filter({ has: page.locator('legend', { hasText: criterion }) })
  const action = await answer.getAttribute('action')
  const saved = page.waitForResponse((response) => {
    const request = response.request()
    const sent = new URLSearchParams(request.postData() ?? '')
    return (
      request.method() === 'POST' && new URL(request.url()).pathname === action && sent.get('score') === String(score) && sent.get('rationale') === rationale
    )
  })
  await answer.getByLabel('Rationale', { exact: true }).fill(rationale)
  await answer.locator(`input[name="score"][value="${score}"]`).check()
  expect((await saved).status(), `the answer on ${criterion} is saved`).toBe(200)
  await answer
    .getByRole('status')
    .filter({ hasText: /^Scored/ })
    .waitFor()
}

/** The text of every page of a PDF, read with pdf.js, whitespace collapsed. */
export async function pdfText(bytes: Uint8Array): Promise<string> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs')
  const doc = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, useSystemFonts: false, verbosity: 0 }).promise
  try {
    const pages: string[] = []
    for (let n = 1; n <= doc.numPages; n++) {
      const content = await (await doc.getPage(n)).getTextContent()
      pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '))
    }
    return pages.join(' ').replace(/\s+/g, ' ')
  } finally {
    await doc.destroy()
  }
}

/**
 * Presses Tab (or Shift+Tab) until the focus reaches what `wanted` picks, as a keyboard user moves
 * through a page, and checks at every stop on the way that the focus can be seen.
 */
export async function tabTo(
  page: Page,
  wanted: (focused: FocusedElement) => boolean,
  options: { backwards?: boolean; max?: number } = {},
): Promise<FocusedElement> {
  const stops: string[] = []
  for (let i = 0; i < (options.max ?? 80); i++) {
    await page.keyboard.press(options.backwards === true ? 'Shift+Tab' : 'Tab')
    const focused = await inPage(page, 'focused')
    if (focused === null) {
      stops.push('(nothing)')
      continue
    }
    const where = `${focused.tag}${focused.id === '' ? '' : `#${focused.id}`} “${focused.name}”`
    stops.push(where)
    expect(focused.visible, `the focus cannot be seen on ${where} (outline ${focused.outline}, box-shadow ${focused.boxShadow})`).toBe(true)
    if (wanted(focused)) return focused
  }
  throw new Error(`Tab never reached the element wanted on ${page.url()}; the stops were:\n  ${stops.join('\n  ')}`)
}

/** Picks a focused element by its label or text (exactly), its id, or its type. */
export const focusOn = {
  named: (name: string) => (f: FocusedElement) => f.name === name,
  id: (id: string) => (f: FocusedElement) => f.id === id,
  type: (type: string) => (f: FocusedElement) => f.type === type,
}

/**
 * Sam Whitfield part-way through scoring, for the tests of the scoring page: an evaluation of the
 * police template's criteria (eight groups), put in the app's database with its plan approved, in
 * which he has declared no interest and scored the first answer of Kestrel Records, not submitted.
 * Signs him in, in a browsing session of his own, on that option's scoring page (which opens on the
 * first group with work left: the first).
 */
export async function scoringUnderWay(browser: Browser, app: RunningApp): Promise<{ context: BrowserContext; page: Page }> {
  const template = policeTemplate()
  let first = template.criteria[0]!
  while (first.criteria !== undefined) first = first.criteria[0]!
  const file = servedFile({
    ...template,
    title: 'Case file system',
    options: [{ id: 'kestrel', name: 'Kestrel Records' }],
    evaluators: [declaredMember('sam-whitfield', 'Sam Whitfield')],
    // The supplier's response beside the first criterion, as a clerk would have entered it, in a
    // document the file carries by reference (so each answer offers it for the evidence).
    tender: {
      documents: [{ id: 'kestrel-bid', option: 'kestrel', name: 'Kestrel bid volume 2.pdf', type: 'application/pdf', size: 482113, sha256: '9'.repeat(64) }],
      responses: [
        {
          option: 'kestrel',
          criterion: first.id,
          text: 'Kestrel prompts the recording decision and dates it at the point of entry.',
          document: 'kestrel-bid',
          page: 14,
        },
      ],
    },
  })
  const answer = {
    evaluator: 'sam-whitfield',
    option: 'kestrel',
    criterion: first.id,
    score: 3,
    rationale: 'Shown at the demonstration: the recording decision is prompted and dated.',
    evidenceDocument: 'kestrel-bid',
    evidencePage: 14,
  }
  const sam = app.demo.get('sam-whitfield@demo.example')!
  const [served, context] = await Promise.all([
    importServed(app.database, file, { lead: 'lead@demo.example', members: { 'sam-whitfield': sam.email } }, [answer]),
    newContext(browser, app),
  ])
  const page = await context.newPage()
  await signIn(page, sam)
  await visit(page, `/evaluations/${served.id}/scoring/${served.options.get('kestrel')}`)
  return { context, page }
}

/** Goes to a page and waits until it has loaded and settled. */
export async function visit(page: Page, path: string): Promise<PlaywrightResponse | null> {
  const response = await page.goto(path)
  await settled(page)
  return response
}

/**
 * Waits for the answer form#answer-N to be sent (to …/scoring/OPTION/N) and answered. Call it before
 * the step that sends the answer, and await it after.
 */
export function answerSent(page: Page, answerId: string): Promise<PlaywrightResponse> {
  const action = new RegExp(`/scoring/\\d+/${answerId.replace(/^answer-/, '')}$`)
  return page.waitForResponse((response) => response.request().method() === 'POST' && action.test(new URL(response.url()).pathname))
}

/** Presses a key that sends a form or follows a link, and waits for the next page to load and settle. */
export async function pressForNextPage(page: Page, key: string): Promise<void> {
  await Promise.all([page.waitForEvent('load'), page.keyboard.press(key)])
  await settled(page)
}

/**
 * axe-core needs timers, which do not run in a context with JavaScript switched off. So the page's
 * document, exactly as the JavaScript-less browser has it, is served again to a page of its own
 * with the app's scripts blocked, and checked there (with the app's real styles).
 */
export async function expectAccessibleWithoutJavaScript(page: Page, what: string): Promise<void> {
  const html = await page.content()
  const address = page.url().replace(/#.*$/, '')
  const context = await page
    .context()
    .browser()!
    .newContext({ viewport: page.viewportSize() ?? { width: 1280, height: 900 } })
  try {
    await context.route('**/*', (route) => {
      const url = route.request().url()
      if (url === address) return route.fulfill({ body: html, contentType: 'text/html; charset=utf-8' })
      if (/\.js(\?|$)/.test(url)) return route.abort()
      return route.continue()
    })
    const copy = await context.newPage()
    await copy.goto(address)
    await expectAccessible(copy, what)
  } finally {
    await context.close()
  }
}
