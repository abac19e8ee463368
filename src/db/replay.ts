import { sql } from 'kysely'
import { evaluationFileText } from '../appraisal/index.js'
import { AUDITED_TABLES, type AuditedTable } from './audit.js'
import { AuditKey } from './audit-key.js'
import { readEvaluationFile } from './evaluation-file.js'
import { openDatabase } from './open.js'

/**
 * The evaluation file the log's records give at one point of its history: the records as the log
 * left them (table:id → canonical JSON, null for removed), written into a private in-memory
 * database and read back as the app reads any evaluation. Verification compares a finalised
 * version's stored file with it, so a stored file edited together with its hash still shows.
 * Undefined when the records hold no evaluation.
 */
export async function evaluationFileFromRecords(records: ReadonlyMap<string, string | null>, evaluationId: number): Promise<string | undefined> {
  const scratch = await openDatabase(':memory:', { auditKey: AuditKey.generate() })
  try {
    // The records name accounts (the lead, panel members' accounts) that are not part of the log.
    await sql`pragma foreign_keys = off`.execute(scratch)
    const byTable = new Map<AuditedTable, Record<string, unknown>[]>()
    for (const [key, json] of records) {
      if (json === null) continue
      const table = key.slice(0, key.lastIndexOf(':')) as AuditedTable
      const rows = byTable.get(table) ?? []
      rows.push(JSON.parse(json) as Record<string, unknown>)
      byTable.set(table, rows)
    }
    for (const table of AUDITED_TABLES) {
      for (const row of byTable.get(table) ?? []) {
        // The log leaves out the evaluation's updated_at, which the file does not hold either.
        const values = table === 'evaluation' ? { updated_at: '', ...row } : row
        await scratch
          .insertInto(table)
          .values(values as never)
          .execute()
      }
    }
    const file = await readEvaluationFile(scratch, evaluationId)
    return file === undefined ? undefined : evaluationFileText(file)
  } finally {
    await scratch.destroy()
  }
}
