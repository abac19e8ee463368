import type { Kysely } from 'kysely'
import { recordedChange, type Actor, type Change, type Refusal } from './audit.js'
import { refusedPastLimits, requireWithinLimits } from './size-limits.js'
import type { Db } from './connection.js'
import { makeKey } from './connection.js'
import type { Database, Option } from './schema.js'

export interface OptionDetails {
  name: string
  supplier: string | null
  product: string | null
  description: string | null
  baseline: boolean
  /** A supplier's tender; never true with baseline. */
  tender: boolean
}

export async function listOptions(db: Db, evaluationId: number): Promise<Option[]> {
  return db.selectFrom('option').selectAll().where('evaluation_id', '=', evaluationId).orderBy('position').orderBy('id').execute()
}

export async function findOption(db: Db, evaluationId: number, optionId: number): Promise<Option | undefined> {
  return db.selectFrom('option').selectAll().where('evaluation_id', '=', evaluationId).where('id', '=', optionId).executeTakeFirst()
}

/** Only one option can be the baseline: marking one clears the mark from the others. */
async function claimBaseline(db: Change, evaluationId: number, optionId: number): Promise<void> {
  await db.updateTable('option').set({ baseline: 0 }).where('evaluation_id', '=', evaluationId).where('id', '!=', optionId).execute()
}

/** An option's row as its details give it: the baseline is never a tender. */
function optionRow(details: OptionDetails) {
  return {
    name: details.name,
    supplier: details.supplier,
    product: details.product,
    description: details.description,
    baseline: details.baseline ? 1 : 0,
    tender: details.tender && !details.baseline ? 1 : 0,
  }
}

async function insertOption(db: Change, evaluationId: number, details: OptionDetails): Promise<number> {
  const existing = await listOptions(db, evaluationId)
  const row = await db
    .insertInto('option')
    .values({
      evaluation_id: evaluationId,
      key: makeKey(
        details.name,
        existing.map((o) => o.key),
      ),
      ...optionRow(details),
      position: existing.reduce((max, o) => Math.max(max, o.position), -1) + 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  if (details.baseline) await claimBaseline(db, evaluationId, row.id)
  return row.id
}

async function updateOption(db: Change, evaluationId: number, optionId: number, details: OptionDetails): Promise<void> {
  await db.updateTable('option').set(optionRow(details)).where('evaluation_id', '=', evaluationId).where('id', '=', optionId).execute()
  if (details.baseline) await claimBaseline(db, evaluationId, optionId)
}

/** Swaps the option with its neighbour above or below; at either end nothing moves. */
async function swapWithNeighbour(db: Change, evaluationId: number, optionId: number, direction: 'up' | 'down'): Promise<void> {
  const options = await listOptions(db, evaluationId)
  const index = options.findIndex((o) => o.id === optionId)
  const swapWith = direction === 'up' ? index - 1 : index + 1
  const neighbour = options[swapWith]
  if (index < 0 || neighbour === undefined) return
  const reordered = [...options]
  reordered[swapWith] = options[index]!
  reordered[index] = neighbour
  for (const [position, option] of reordered.entries()) {
    if (option.position !== position) {
      await db.updateTable('option').set({ position }).where('id', '=', option.id).execute()
    }
  }
}

async function deleteOption(db: Change, evaluationId: number, optionId: number): Promise<void> {
  await db.deleteFrom('option').where('evaluation_id', '=', evaluationId).where('id', '=', optionId).execute()
}

// ---------------------------------------------------------------------------------------------
// Changes to an evaluation's options, each one recorded change with its own reach

const OPTIONS = { tables: ['option'] } as const

/** Everything that belongs to an option, and goes with it. */
const OPTION_RECORDS = [
  'option',
  'individual_score',
  'consensus_score',
  'score_submission',
  'score_excuse',
  'consensus_confirmation',
  'panel_member_option',
  'money_line',
  'sunk_cost',
  'tender_document',
  'tender_response',
] as const

/** Adds an option, unless the evaluation would outgrow the file's limits (size-limits.ts). */
export function addOption(db: Kysely<Database>, actor: Actor, evaluationId: number, details: OptionDetails): Promise<Refusal<'name'> | null> {
  const request = { evaluationId, actor, kind: 'option', summary: `Option “${details.name}” added`, reach: OPTIONS } as const
  return refusedPastLimits('name', () =>
    recordedChange(db, request, async (trx) => {
      await insertOption(trx, evaluationId, details)
      await requireWithinLimits(trx, evaluationId)
    }),
  )
}

export function editOption(db: Kysely<Database>, actor: Actor, option: Pick<Option, 'evaluation_id' | 'id'>, details: OptionDetails): Promise<void> {
  const request = {
    evaluationId: option.evaluation_id,
    actor,
    kind: 'option',
    summary: `Option “${details.name}” edited`,
    optionId: option.id,
    reach: OPTIONS,
  } as const
  return recordedChange(db, request, (trx) => updateOption(trx, option.evaluation_id, option.id, details))
}

export function moveOption(db: Kysely<Database>, actor: Actor, option: Pick<Option, 'evaluation_id' | 'id' | 'name'>, direction: 'up' | 'down'): Promise<void> {
  const request = {
    evaluationId: option.evaluation_id,
    actor,
    kind: 'option',
    summary: `Option “${option.name}” moved ${direction}`,
    optionId: option.id,
    reach: OPTIONS,
  } as const
  return recordedChange(db, request, (trx) => swapWithNeighbour(trx, option.evaluation_id, option.id, direction))
}

/** Removes the option with everything that belongs to it: its scores, costs and benefits. */
export function removeOption(db: Kysely<Database>, actor: Actor, option: Pick<Option, 'evaluation_id' | 'id' | 'name'>): Promise<void> {
  const summary = `Option “${option.name}” removed, with its scores and costs`
  const request = {
    evaluationId: option.evaluation_id,
    actor,
    kind: 'option',
    summary,
    optionId: option.id,
    reach: { tables: OPTION_RECORDS, optionId: option.id },
  } as const
  return recordedChange(db, request, (trx) => deleteOption(trx, option.evaluation_id, option.id))
}
