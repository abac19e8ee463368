import { z } from 'zod'
import type { FieldErrors, FormValues } from '../../views/components/form.js'

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors; values: FormValues }

/** Reads a url-encoded or multipart form into plain strings (files are dropped; see the import route). */
export function formValues(body: Record<string, unknown>): FormValues {
  const values: FormValues = {}
  for (const [key, value] of Object.entries(body)) {
    const text = typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[value.length - 1] : undefined
    // NUL is never typed and cannot be stored (PostgreSQL refuses it): it is dropped at the edge.
    if (typeof text === 'string') values[key] = text.replaceAll('\u0000', '')
  }
  return values
}

/** Validates a form; on failure gives one message per field (the first problem found) and the input. */
export function parseForm<T>(schema: z.ZodType<T>, values: FormValues): FormResult<T> {
  const result = schema.safeParse(values)
  if (result.success) return { ok: true, data: result.data }
  const errors: FieldErrors = {}
  for (const issue of result.error.issues) {
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : 'form'
    errors[field] ??= issue.message
  }
  return { ok: false, errors, values }
}

/** A required line of text, trimmed. */
export function requiredText(message: string, max = 200) {
  return z.string({ error: message }).trim().min(1, message).max(max, `Must be ${max} characters or fewer`)
}

/** An optional text: blank becomes null. */
export function optionalText(max = 5000) {
  return z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? null : v.trim()))
    .pipe(z.string().max(max, `Must be ${max} characters or fewer`).nullable())
}

/** A number typed into a field. Accepts "1,200" and "£1,200" as people write them. */
export function numberField(opts: { required: string; invalid: string }) {
  return z
    .string({ error: opts.required })
    .trim()
    .min(1, opts.required)
    .transform((v) => v.replace(/[£€$,\s]/g, ''))
    .pipe(z.string().regex(NUMBER, opts.invalid).transform(Number))
    .pipe(z.number().refine(Number.isFinite, opts.invalid))
}

export function integerField(opts: { required: string; invalid: string }) {
  return numberField(opts).pipe(z.number().int(opts.invalid))
}

export const checkboxField = z
  .string()
  .optional()
  .transform((v) => v === 'on' || v === 'true' || v === '1')

/** A database id in a URL; anything else is a 404. */
export const idParam = z.coerce.number().int().positive().max(2_147_483_647)
