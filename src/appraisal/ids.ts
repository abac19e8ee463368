// The one rule for ids in an evaluation file, shared by the file schema and its optional parts.

import { z } from 'zod'

export const ID_PATTERN = /^[A-Za-z0-9._-]+$/

/** The longest id (LIMITS.idLength in the file schema). */
export const ID_MAX_LENGTH = 200

export const idSchema = z
  .string()
  .regex(ID_PATTERN, {
    error: (issue) => (issue.input === '' ? 'must not be empty' : 'must use only letters, digits, ".", "_" or "-"'),
  })
  .max(ID_MAX_LENGTH)
