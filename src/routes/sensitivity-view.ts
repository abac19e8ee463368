// The sensitivity page's figures, computed from the evaluation file wherever the file is: in a
// worker thread that read it over its own connection (src/work/tasks.ts), or, for an in-memory
// database only the request thread can see, sent to the worker. Pure: no HTTP, no database.

import { z } from 'zod'
import {
  compareRankings,
  computeResults,
  computeResultsWithSensitivity,
  weighCriteria,
  whatIf,
  type EvaluationFile,
  type SensitivityOptions,
  type WhatIfChange,
} from '../appraisal/index.js'
import type { FieldErrors, FormValues } from '../../views/components/form.js'
import { startingValue, WEIGHTS_ERROR, type WhatIfField, type WhatIfOutcomeView, type WhatIfPanelProps } from '../../views/partials/what-if.js'
import { numberField, parseForm } from './form.js'

/** What the page asks of the engine: the Monte Carlo settings (or no analysis, for the what-if form alone), and the what-if form. */
export interface SensitivityRequest {
  /** Null: the what-if panel alone (the form posted by htmx). */
  readonly analysis: Required<SensitivityOptions> | null
  /** Where the what-if form posts. */
  readonly action: string
  /** The what-if form as typed, or null for today's weights. */
  readonly whatIfValues: FormValues | null
}

/**
 * Everything the page shows, from the whole file: the results with switching values and the Monte
 * Carlo analysis, the two price formulas' rankings, and the what-if panel. The file comes back
 * without its individual scores (90,000 in a large evaluation), which the page does not show.
 */
export function sensitivityView(file: EvaluationFile, request: SensitivityRequest) {
  return {
    file: { ...file, scores: [] },
    results: request.analysis === null ? null : computeResultsWithSensitivity(file, request.analysis),
    comparison: request.analysis === null ? null : compareRankings(file),
    whatIf: whatIfPanel(file, request.action, request.whatIfValues),
  }
}

export type SensitivityView = ReturnType<typeof sensitivityView>

/** The controls of the what-if form: each scored top-level group or criterion, and the quality share. */
function whatIfFields(file: EvaluationFile): { weightFields: WhatIfField[]; qualityField: WhatIfField } {
  const weightFields = weighCriteria(file.criteria)
    .topLevel.filter((node) => node.role === 'scored' || node.role === 'group')
    .map((node) => ({ name: `weight-${node.id}`, label: node.name, current: 100 * node.share }))
  const { quality, cost } = file.split
  return { weightFields, qualityField: { name: 'quality', label: 'Quality share of the split', current: (100 * quality) / (quality + cost) } }
}

function shareField(label: string) {
  const between = `${label} must be from 0 to 100`
  return numberField({ required: `Enter ${label.toLowerCase()}, from 0 to 100`, invalid: `${label} must be a number, like 40 or 12.5` }).pipe(
    z.number().min(0, between).max(100, between),
  )
}

/**
 * A control left at its starting value (today's share, rounded for display) means today's share
 * exactly, so an untouched form reproduces today's ranking to full precision.
 */
function shareFrom(field: WhatIfField, typed: number): number {
  return typed === Number(startingValue(field)) ? field.current : typed
}

type WhatIfReading = { ok: true; outcome: WhatIfOutcomeView } | { ok: false; errors: FieldErrors }

/** Validates the what-if form and asks the engine for the ranking it gives; nothing is written. */
function readWhatIf(file: EvaluationFile, fields: ReturnType<typeof whatIfFields>, values: FormValues): WhatIfReading {
  const weighted = fields.weightFields.length > 1 ? fields.weightFields : []
  const schema = z.object(
    Object.fromEntries(
      [...weighted, fields.qualityField].map((field) => [
        field.name,
        shareField(field === fields.qualityField ? 'The quality share' : `The weight of ${field.label}`),
      ]),
    ),
  )
  const parsed = parseForm(schema, values)
  if (!parsed.ok) return { ok: false, errors: parsed.errors }
  const data = parsed.data as Record<string, number>
  // No prototype: a criterion may be called anything the file allows, "__proto__" included.
  const groupWeights: Record<string, number> = Object.create(null) as Record<string, number>
  for (const field of weighted) groupWeights[field.name.slice('weight-'.length)] = shareFrom(field, data[field.name] as number)
  const qualityShare = shareFrom(fields.qualityField, data[fields.qualityField.name] as number)
  const change: WhatIfChange = { groupWeights, qualityShare }
  const outcome = whatIf(file, change)
  if (!outcome.ok) {
    const errors: FieldErrors = {}
    for (const problem of outcome.errors) {
      if (problem.startsWith('groupWeights:')) errors[WEIGHTS_ERROR] ??= 'At least one group must have a weight above 0'
      else if (problem.startsWith('qualityShare')) errors[fields.qualityField.name] ??= 'The quality share must be from 0 to 100'
      else {
        const id = /^groupWeights\.([^:]+):/.exec(problem)?.[1]
        errors[id === undefined ? WEIGHTS_ERROR : `weight-${id}`] ??= 'This weight cannot be used: it must be a number from 0 to 100'
      }
    }
    return { ok: false, errors }
  }
  const shares = weighCriteria(file.criteria.map((node) => (Object.hasOwn(groupWeights, node.id) ? { ...node, weight: groupWeights[node.id] } : node)))
    .topLevel.filter((node) => node.role === 'scored' || node.role === 'group')
    .map((node) => ({ name: node.name, share: node.share }))
  // biome-ignore lint/suspicious/noThenProperty: the results as they would be, beside `now`; the outcome is never awaited.
  return { ok: true, outcome: { now: computeResults(file), then: outcome.results, shares, qualityShare } }
}

function whatIfPanel(file: EvaluationFile, action: string, values: FormValues | null): WhatIfPanelProps {
  const fields = whatIfFields(file)
  const shown: FormValues = values ?? Object.fromEntries([...fields.weightFields, fields.qualityField].map((f) => [f.name, startingValue(f)]))
  const reading = readWhatIf(file, fields, shown)
  return { action, ...fields, values: shown, errors: reading.ok ? {} : reading.errors, outcome: reading.ok ? reading.outcome : null }
}
