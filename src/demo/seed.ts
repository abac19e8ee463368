import { readFileSync } from 'node:fs'
import type { Kysely } from 'kysely'
import { parseEvaluationFile, type EvaluationFile } from '../appraisal/index.js'
import type { CriteriaTemplate } from '../criteria-templates.js'
import { importEvaluationFile } from '../db/evaluation-file.js'
import type { Database } from '../db/schema.js'

/** The police template the demo is built from: its criteria are the demo's criteria. */
export const DEMO_TEMPLATE_ID = 'police-records-management'

/**
 * The demo evaluation: fictional products and illustrative figures (src/demo/demo-evaluation.json)
 * scored against the police records template's criteria.
 */
export function buildDemoEvaluation(templates: CriteriaTemplate[]): EvaluationFile {
  const template = templates.find((t) => t.id === DEMO_TEMPLATE_ID)
  if (template === undefined) throw new Error(`The demo needs the criteria template ${DEMO_TEMPLATE_ID}.json`)
  const data = JSON.parse(readFileSync(new URL('demo-evaluation.json', import.meta.url), 'utf8')) as Record<string, unknown>
  const parsed = parseEvaluationFile({ ...data, criteria: template.criteria })
  if (!parsed.ok) throw new Error(`The demo evaluation is not valid:\n  ${parsed.errors.join('\n  ')}`)
  return parsed.file
}

/** On first run (no evaluation at all), stores the demo; returns its id, or null when not seeded. */
export async function seedDemoIfEmpty(db: Kysely<Database>, templates: CriteriaTemplate[]): Promise<number | null> {
  const any = await db.selectFrom('evaluation').select('id').limit(1).executeTakeFirst()
  if (any !== undefined) return null
  return importEvaluationFile(db, buildDemoEvaluation(templates))
}
