// The one rule for ids in an evaluation file, shared by the file schema and its optional parts.

import { z } from 'zod'

export const ID_PATTERN = /^[A-Za-z0-9._-]+$/

export const idSchema = z.string().regex(ID_PATTERN, {
  error: (issue) => (issue.input === '' ? 'must not be empty' : 'must use only letters, digits, ".", "_" or "-"'),
})
