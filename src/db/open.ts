import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Kysely } from 'kysely'
import { openSqlite } from './dialect.js'
import { migrateToLatest } from './migrate.js'
import type { Database } from './schema.js'

/** Opens the app's database at `path` (creating its folder), migrated to this version's schema. */
export async function openDatabase(path: string): Promise<Kysely<Database>> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const db = openSqlite(path)
  try {
    await migrateToLatest(db)
  } catch (error) {
    await db.destroy()
    throw error
  }
  return db
}
