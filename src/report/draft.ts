import type { Kysely } from 'kysely'
import { inReadSnapshot } from '../db/dialect.js'
import { readEvaluationFile } from '../db/evaluation-file.js'
import { lastChangeOf } from '../db/last-change.js'
import type { Database } from '../db/schema.js'

/**
 * What the draft report is made from, read in one snapshot: the evaluation file and the time of its
 * last change (the report's date); 'missing' or 'empty' (no option or no criterion) when there is
 * nothing to report on. The report prints each individual score but not its rationale or evidence
 * (the consensus carries the panel's reasons), so those are not read: at 90,000 scores they were
 * most of what the read took and held.
 */
export async function readDraftReport(db: Kysely<Database>, evaluationId: number) {
  const read = await inReadSnapshot(db, async (trx) => ({
    file: await readEvaluationFile(trx, evaluationId, { individualTexts: false }),
    changed: await lastChangeOf(trx, evaluationId),
  }))
  if (read.file === undefined || read.changed === undefined) return 'missing' as const
  if (read.file.options.length === 0 || read.file.criteria.length === 0) return 'empty' as const
  return { file: read.file, options: { status: 'draft' as const, generatedAt: read.changed } }
}
