// Runs the load driver (load-driver.ts) in a child process against a server and reads its outcome.

import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startChild } from './child-processes.js'
import type { LoadOutcome, LoadPlan } from './load-plan.js'
import { OPEN_PAGES_MS } from './load-plan.js'

/** Runs `plan`, written for the driver into the folder `workDir`. */
export async function runLoad(name: string, plan: LoadPlan, workDir: string): Promise<LoadOutcome> {
  const planFile = join(workDir, `load-plan-${name}.json`)
  writeFileSync(planFile, JSON.stringify(plan))
  const driver = startChild(`load driver (${name})`, 'test/bench/load-driver.ts', [planFile])
  const limit = setTimeout(() => void driver.stop(), plan.warmUpMs + plan.durationMs + 30_000 + (plan.openPageFirst === true ? OPEN_PAGES_MS : 0))
  try {
    const code = await driver.exited
    const lines = driver.output().trim().split('\n')
    const outcome = lines.findLast((line) => line.startsWith('{'))
    if (code !== 0 || outcome === undefined) throw new Error(`the load driver for ${name} stopped with ${code}:\n${lines.slice(-10).join('\n')}`)
    return JSON.parse(outcome) as LoadOutcome
  } finally {
    clearTimeout(limit)
    rmSync(planFile, { force: true })
  }
}
