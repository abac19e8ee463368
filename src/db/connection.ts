import type { Kysely, Transaction } from 'kysely'
import type { Database } from './schema.js'

/** A query function takes either the database or a transaction it should run inside. */
export type Db = Kysely<Database> | Transaction<Database>

export function now(): string {
  return new Date().toISOString()
}

/** Makes a file-style id ("product-a") from a name, unique among `taken`. */
export function makeKey(name: string, taken: Iterable<string>): string {
  const base =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || 'item'
  const used = new Set(taken)
  if (!used.has(base)) return base
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`
    if (!used.has(candidate)) return candidate
  }
}
