import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { appraise, type CliOutcome } from './appraise.js'

/** `appraise results` on a file; it reads no database. */
async function results(file: unknown): Promise<CliOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'appraise-trials-'))
  const path = join(dir, 'evaluation.json')
  writeFileSync(path, JSON.stringify(file))
  return appraise(['results', path], join(dir, 'unused.sqlite'))
}

function evaluationWith(trials: unknown) {
  return {
    format: 'options-appraisal/1',
    title: 'Trial',
    appraisal: { baseYear: 2026, years: 1 },
    options: [{ id: 'b', name: 'Product B' }],
    criteria: [{ id: 'usability', name: 'Usability and adoption' }],
    trials,
  }
}

describe('appraise results with frontline trials', () => {
  it('adds each option’s trial figures', async () => {
    const outcome = await results(
      evaluationWith({
        tasks: [{ id: 'search', name: 'Find a nominal by a misspelt name' }],
        sessions: [
          // 85 and 65: mean 75, s/√2 = 10, t(0.975, 1) = 12.706: the interval is cut to 0..100.
          { option: 'b', role: 'Response officer', sus: [5, 2, 4, 1, 4, 2, 5, 1, 4, 2], tasks: [{ task: 'search', completed: true, seconds: 40 }] },
          { option: 'b', role: 'Response officer', sus: [4, 2, 4, 2, 4, 2, 3, 3, 3, 3], tasks: [{ task: 'search', completed: false }] },
        ],
      }),
    )
    expect(outcome.stderr).toBe('')
    const trial = JSON.parse(outcome.stdout).options[0].trial
    expect(trial.participants).toBe(2)
    expect(trial.sus).toEqual({ mean: 75, low: 0, high: 100, responses: 2 })
    expect(trial.tasks[0]).toMatchObject({ task: 'search', rate: 0.5, attempts: 2, completions: 1, medianSeconds: 40 })
    expect(Object.keys(trial.byRole)).toEqual(['Response officer'])
    expect(trial.summary).toBe('Product B: SUS 75 (95% CI 0–100), not clearly different from the commonly cited average of 68')
  })

  it('refuses a bad session with its JSON path', async () => {
    const outcome = await results(evaluationWith({ tasks: [], sessions: [{ option: 'c', role: 'Supervisor', sus: [3, 3, 3] }] }))
    expect(outcome.code).toBe(1)
    expect(outcome.stdout).toBe('')
    expect(outcome.stderr.trim().split('\n')).toEqual([
      'trials.sessions[0].sus: must hold 10 answers, one per statement, not 3',
      'trials.sessions[0].option: unknown option "c"',
    ])
  })
})
