// Sensitivity at ?iterations=1000000 stalled everyone for 65 s. The app runs at most 100,000
// iterations, refusing more with a message beside the field (the page then runs the default); the
// appraise command, where only the one who asked waits, stops at 1,000,000.

import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { DEFAULT_ITERATIONS, MAX_ITERATIONS } from '../../src/appraisal/index.js'
import { completeConsensus } from '../appraisal/factories.js'
import { createTestApp, postForm } from '../helpers.js'
import { appraiseFile, fieldError, validFile } from './evaluation-files.js'

const fixtureText = readFileSync(new URL('../fixtures/small-evaluation.json', import.meta.url), 'utf8')
const message = 'The number of iterations must be a whole number from 1 to 100,000'

async function sensitivityPage() {
  const t = await createTestApp()
  // Moderated: while moderation is open the lead is refused sensitivity (decision 17).
  const id = await t.importFile(completeConsensus(validFile(JSON.parse(fixtureText))))
  return { ...t, path: `/evaluations/${id}/sensitivity` }
}

/** The iterations the page says it ran. */
function iterationsRun(html: string): number {
  const match = /([\d,]+) simulated appraisals, seed/.exec(html.replace(/<[^>]+>/g, ' '))
  return Number(match?.[1]?.replace(/,/g, ''))
}

describe('Monte Carlo iterations in the app', () => {
  it('caps the sensitivity page at 100,000, saying so beside the field and running the default instead', async () => {
    expect(MAX_ITERATIONS.app).toBe(100_000)
    const t = await sensitivityPage()
    for (const asked of ['1000000', '100001', '1e9']) {
      const response = await t.app.request(`${t.path}?iterations=${asked}`)
      expect(response.status, asked).toBe(422)
      const html = await response.text()
      expect(fieldError(html, 'iterations'), asked).toBe(message)
      expect(iterationsRun(html), asked).toBe(DEFAULT_ITERATIONS)
    }
  })

  it('runs 100,000 when asked', async () => {
    const t = await sensitivityPage()
    const response = await t.app.request(`${t.path}?iterations=100000`)
    expect(response.status).toBe(200)
    expect(iterationsRun(await response.text())).toBe(100_000)
  })

  it('caps the what-if form, which posts with the page’s settings, the same way', async () => {
    const t = await sensitivityPage()
    const response = await postForm(t.app, `${t.path}?iterations=1000000`, {})
    expect(response.status).toBe(422)
    const html = await response.text()
    expect(fieldError(html, 'iterations')).toBe(message)
    expect(iterationsRun(html)).toBe(DEFAULT_ITERATIONS)
  })
})

describe('Monte Carlo iterations on the command line', () => {
  it('stops at 1,000,000, with the option named on stderr', async () => {
    expect(MAX_ITERATIONS.commandLine).toBe(1_000_000)
    const outcome = await appraiseFile((file) => ['results', file, '--sensitivity', '--iterations', '1000001'], fixtureText)
    expect(outcome).toEqual({ code: 1, stdout: '', stderr: '--iterations: must be a whole number from 1 to 1,000,000\n' })
  })
})
