import { readdirSync, readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { z } from 'zod'
import { parseEvaluationFile, type EvaluationFile } from './appraisal/index.js'

/**
 * Criteria templates are JSON files in criteria/. Their criteria and scale have exactly the
 * evaluation file's shape, so they are checked by the evaluation file's own schema: one definition.
 */
export interface CriteriaTemplate {
  id: string
  name: string
  description: string
  scale: EvaluationFile['scale'] | undefined
  criteria: EvaluationFile['criteria']
}

const templateEnvelope = z.strictObject({
  format: z.literal('criteria-template/1'),
  name: z.string().min(1),
  description: z.string().min(1),
  scale: z.unknown().optional(),
  criteria: z.array(z.unknown()).min(1),
})

export class TemplateError extends Error {}

export const defaultTemplatesDir = new URL('../criteria/', import.meta.url).pathname

/** Parses one template; throws a TemplateError naming the file and the JSON path of every problem. */
export function parseTemplate(fileName: string, text: string): CriteriaTemplate {
  const fail = (problems: string[]): never => {
    throw new TemplateError(`Criteria template ${fileName} is not valid:\n  ${problems.join('\n  ')}`)
  }
  let json: unknown
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (error) {
    return fail([`file: is not valid JSON (${(error as Error).message})`])
  }
  const envelope = templateEnvelope.safeParse(json)
  if (!envelope.success) {
    return fail(envelope.error.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`))
  }
  const asFile = {
    format: 'options-appraisal/1',
    title: envelope.data.name,
    appraisal: { baseYear: 2000, years: 1 },
    options: [{ id: 'template-check', name: 'Template check' }],
    criteria: envelope.data.criteria,
    ...(envelope.data.scale !== undefined ? { scale: envelope.data.scale } : {}),
  }
  const parsed = parseEvaluationFile(asFile)
  if (!parsed.ok) return fail(parsed.errors)
  return {
    id: basename(fileName, '.json'),
    name: envelope.data.name,
    description: envelope.data.description,
    scale: envelope.data.scale === undefined ? undefined : parsed.file.scale,
    criteria: parsed.file.criteria,
  }
}

/** Loads every template in the folder, sorted by name; a broken one stops start-up. */
export function loadTemplates(dir: string = defaultTemplatesDir): CriteriaTemplate[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => parseTemplate(name, readFileSync(join(dir, name), 'utf8')))
    .sort((a, b) => a.name.localeCompare(b.name))
}
