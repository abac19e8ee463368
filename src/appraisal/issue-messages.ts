// Zod's issues in words for the people who wrote the file: one line per problem, `path: message`,
// as the app's import page and the appraise command print them. The schemas are in file-schema.ts.

import type { z } from 'zod'

/** Parses any value with a schema of the evaluation file and gives the same one-line `path: message` errors. */
export function parseWithSchema<T>(schema: z.ZodType<T>, value: unknown): { ok: true; value: T } | { ok: false; errors: string[] } {
  const knownKeys = new Map<unknown, readonly string[]>()
  const result = schema.safeParse(value, { reportInput: true, error: (issue) => messageFor(issue, knownKeys) })
  if (result.success) return { ok: true, value: result.data }
  return { ok: false, errors: result.error.issues.flatMap((issue) => describeIssue(issue, [], knownKeys)) }
}

type RawIssue = z.core.$ZodRawIssue

function messageFor(issue: RawIssue, knownKeys: Map<unknown, readonly string[]>): string | undefined {
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return 'is required'
      // 2.5 where a whole number belongs: naming the number found adds nothing.
      const found = issue.expected === 'int' && typeof issue.input === 'number' ? '' : `, not ${describeValue(issue.input)}`
      return `must be ${describeExpected(issue.expected)}${found}`
    }
    case 'too_small':
      return describeTooSmall(issue.origin, Number(issue.minimum), issue.inclusive ?? true)
    case 'too_big':
      if (issue.origin === 'number' || issue.origin === 'int') return `must be at most ${formatBound(Number(issue.maximum))}`
      if (issue.origin === 'string') return `must be at most ${Number(issue.maximum)} characters long`
      return `must have at most ${Number(issue.maximum)} entries`
    case 'invalid_value':
      if (issue.input === undefined) return 'is required'
      return `must be ${issue.values.map((value) => JSON.stringify(value)).join(' or ')}`
    case 'unrecognized_keys': {
      const shape = (issue.inst as { shape?: Record<string, unknown> } | undefined)?.shape
      if (shape !== undefined) knownKeys.set(issue.input, Object.keys(shape))
      return 'unknown key'
    }
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`
    default:
      return undefined
  }
}

function describeExpected(expected: string): string {
  switch (expected) {
    case 'number':
      return 'a number'
    case 'int':
      return 'a whole number'
    case 'string':
      return 'text (a string)'
    case 'boolean':
      return 'true or false'
    case 'array':
      return 'a list'
    case 'object':
    case 'record':
      return 'an object'
    default:
      return expected
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  switch (typeof value) {
    case 'string':
      return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`
    case 'number':
      return `the number ${value}`
    case 'boolean':
      return String(value)
    case 'object':
      return 'an object'
    default:
      return typeof value
  }
}

function describeTooSmall(origin: string, minimum: number, inclusive: boolean): string {
  if (origin === 'string') return 'must not be empty'
  if (origin === 'array') return minimum === 1 ? 'must list at least one entry' : `must list at least ${minimum} entries`
  if (minimum === 0 && inclusive) return 'must not be negative'
  return inclusive ? `must be at least ${formatBound(minimum)}` : `must be greater than ${formatBound(minimum)}`
}

/** 1e15 rather than 1000000000000000. */
function formatBound(value: number): string {
  return Math.abs(value) >= 1e7 ? value.toExponential().replace('e+', 'e') : String(value)
}

/** One line per problem; an issue can stand for several (unknown keys, union branches). */
function describeIssue(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[], knownKeys: Map<unknown, readonly string[]>): string[] {
  const path = [...prefix, ...issue.path]
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeys.get(issue.input) ?? []
    return issue.keys.map((key) => `${formatPath([...path, key])}: unknown key "${key}"${suggestKey(key, known)}`)
  }
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    // Report the problems of the branch the value was evidently meant for (one whose problems are
    // all inside the value, not about its shape), else one line naming the accepted forms.
    const meant = issue.errors.filter((branch) => branch.every((inner) => inner.path.length > 0 && inner.code !== 'unrecognized_keys'))
    const [branch] = meant
    if (meant.length === 1 && branch !== undefined) return branch.flatMap((inner) => describeIssue(inner, path, knownKeys))
    return [`${formatPath(path)}: ${unionMessage(path)}`]
  }
  return [`${formatPath(path)}: ${issue.message}`]
}

function unionMessage(path: readonly PropertyKey[]): string {
  if (path.at(-1) === 'discount') {
    return 'must be "green-book", "green-book-health", "none", { "rate": 0.035 } or { "schedule": [{ "fromYear": 1, "rate": 0.035 }] }'
  }
  return 'is not in any of the accepted forms'
}

function suggestKey(key: string, known: readonly string[]): string {
  let best: string | null = null
  let bestDistance = Infinity
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase())
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return best !== null && bestDistance <= Math.max(1, Math.floor(best.length / 3)) ? ` (did you mean "${best}"?)` : ''
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution))
    }
    previous = current
  }
  return previous[b.length] ?? 0
}

/** `scores[3].score`, `criteria[0].criteria[1].weight`, `scale.labels["7"]`; `file` for the whole file. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'file'
  let text = ''
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`
    else if (typeof segment === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(segment)) text += text === '' ? segment : `.${segment}`
    else text += `[${JSON.stringify(String(segment))}]`
  }
  return text
}
