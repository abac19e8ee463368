import type { InsertObject, Insertable, Kysely, Updateable } from 'kysely'
import { moneyLineRow, sunkCostRow, type MoneyLineDetails, type SunkCostDetails } from '../money-line-fields.js'
import { recordedChange, type Actor, type Change, type Reach, type Refusal } from './audit.js'
import { refusedPastLimits, requireWithinLimits } from './size-limits.js'
import type { Db } from './connection.js'
import type { Database, MoneyLine, Option, SunkCost } from './schema.js'

export type { MoneyLineDetails, SunkCostDetails } from '../money-line-fields.js'

/**
 * Cost, benefit and sunk cost lines: reading them, and the commands that change them. Each command
 * is one recorded change (src/db/audit.ts) that says what it reaches: the option's lines, or for an
 * import every line of the evaluation. The fields of a line, and how a row holds them, are in
 * src/money-line-fields.ts.
 */

/** The option a line belongs to, as a command names it in the log. */
export type LineOption = Pick<Option, 'id' | 'name'>

const MONEY = ['money_line', 'sunk_cost'] as const

function optionReach(option: LineOption): Reach {
  return { tables: MONEY, optionId: option.id }
}

function lineNoun(kind: MoneyLine['kind']): string {
  return kind === 'cost' ? 'Cost' : 'Benefit'
}

type LineTable = 'money_line' | 'sunk_cost'
interface LineRows {
  money_line: MoneyLine
  sunk_cost: SunkCost
}

/** An evaluation's lines of one table (or one option's), in the order the evaluation file lists them, so the page and the file agree. */
async function listLines<T extends LineTable>(db: Db, table: T, evaluationId: number, optionId?: number): Promise<LineRows[T][]> {
  let query = db
    .selectFrom(table as LineTable)
    .selectAll()
    .where('evaluation_id', '=', evaluationId)
  if (optionId !== undefined) query = query.where('option_id', '=', optionId)
  return (await query.orderBy('position').orderBy('id').execute()) as LineRows[T][]
}

/** One line of an option, if it is that option's in that evaluation. */
async function findLine<T extends LineTable>(db: Db, table: T, evaluationId: number, optionId: number, id: number): Promise<LineRows[T] | undefined> {
  return (await db
    .selectFrom(table as LineTable)
    .selectAll()
    .where('evaluation_id', '=', evaluationId)
    .where('option_id', '=', optionId)
    .where('id', '=', id)
    .executeTakeFirst()) as LineRows[T] | undefined
}

/** Lines in the order the evaluation file lists them, so the page and the file agree. */
export function listMoneyLines(db: Db, evaluationId: number, optionId?: number): Promise<MoneyLine[]> {
  return listLines(db, 'money_line', evaluationId, optionId)
}

export function findMoneyLine(db: Db, evaluationId: number, optionId: number, lineId: number): Promise<MoneyLine | undefined> {
  return findLine(db, 'money_line', evaluationId, optionId, lineId)
}

export function listSunkCosts(db: Db, evaluationId: number, optionId?: number): Promise<SunkCost[]> {
  return listLines(db, 'sunk_cost', evaluationId, optionId)
}

export function findSunkCost(db: Db, evaluationId: number, optionId: number, sunkCostId: number): Promise<SunkCost | undefined> {
  return findLine(db, 'sunk_cost', evaluationId, optionId, sunkCostId)
}

async function nextPosition(db: Db, table: 'money_line' | 'sunk_cost', evaluationId: number): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.max('position').as('last'))
    .where('evaluation_id', '=', evaluationId)
    .executeTakeFirst()
  return row?.last === null || row?.last === undefined ? 0 : Number(row.last) + 1
}

/** A line's row as a command builds it: the evaluation and the position are added as it is inserted. */
type NewLineRow<T extends LineTable> = Omit<Insertable<Database[T]>, 'evaluation_id' | 'position'>

/** Adds rows after the evaluation's existing lines of that table, in the order given. */
async function appendLines<T extends LineTable>(db: Change, table: T, evaluationId: number, rows: readonly NewLineRow<T>[]): Promise<void> {
  if (rows.length === 0) return
  const first = await nextPosition(db, table, evaluationId)
  const positioned = rows.map((row, i) => ({ evaluation_id: evaluationId, ...row, position: first + i }))
  for (let i = 0; i < positioned.length; i += 400)
    await db
      .insertInto(table)
      .values(positioned.slice(i, i + 400) as InsertObject<Database, T>[])
      .execute()
}

function moneyLineRows(lines: readonly { optionId: number; line: MoneyLineDetails }[]): NewLineRow<'money_line'>[] {
  return lines.map(({ optionId, line }) => ({ option_id: optionId, ...moneyLineRow(line) }))
}

function sunkCostRows(sunkCosts: readonly { optionId: number; sunkCost: SunkCostDetails }[]): NewLineRow<'sunk_cost'>[] {
  return sunkCosts.map(({ optionId, sunkCost }) => ({ option_id: optionId, ...sunkCostRow(sunkCost) }))
}

/** Changes one line of an option; a line that is not that option's in that evaluation is left alone. */
async function updateLine<T extends LineTable>(
  db: Change,
  table: T,
  evaluationId: number,
  optionId: number,
  id: number,
  row: Updateable<Database[T]>,
): Promise<void> {
  await db
    .updateTable(table as LineTable)
    .set(row as Updateable<Database[LineTable]>)
    .where('evaluation_id', '=', evaluationId)
    .where('option_id', '=', optionId)
    .where('id', '=', id)
    .execute()
}

/** Removes one line of an option; a line that is not that option's in that evaluation is left alone. */
async function deleteLine(db: Change, table: LineTable, evaluationId: number, optionId: number, id: number): Promise<void> {
  await db.deleteFrom(table).where('evaluation_id', '=', evaluationId).where('option_id', '=', optionId).where('id', '=', id).execute()
}

// ---------------------------------------------------------------------------------------------
// Commands: each a recorded change of its own

export function addMoneyLine(
  db: Kysely<Database>,
  actor: Actor,
  evaluationId: number,
  option: LineOption,
  line: MoneyLineDetails,
): Promise<Refusal<'label'> | null> {
  const summary = `${lineNoun(line.kind)} line “${line.label}” added to “${option.name}”`
  return refusedPastLimits('label', () =>
    recordedChange(db, { evaluationId, actor, kind: 'cost', summary, optionId: option.id, reach: optionReach(option) }, async (trx) => {
      await appendLines(trx, 'money_line', evaluationId, moneyLineRows([{ optionId: option.id, line }]))
      await requireWithinLimits(trx, evaluationId)
    }),
  )
}

export function editMoneyLine(
  db: Kysely<Database>,
  actor: Actor,
  evaluationId: number,
  option: LineOption,
  lineId: number,
  line: MoneyLineDetails,
): Promise<void> {
  const summary = `${lineNoun(line.kind)} line “${line.label}” of “${option.name}” edited`
  return recordedChange(db, { evaluationId, actor, kind: 'cost', summary, optionId: option.id, reach: optionReach(option) }, async (trx) => {
    await updateLine(trx, 'money_line', evaluationId, option.id, lineId, moneyLineRow(line))
  })
}

export function removeMoneyLine(
  db: Kysely<Database>,
  actor: Actor,
  evaluationId: number,
  option: LineOption,
  line: Pick<MoneyLine, 'id' | 'kind' | 'label'>,
): Promise<void> {
  const summary = `${lineNoun(line.kind)} line “${line.label}” of “${option.name}” removed`
  return recordedChange(db, { evaluationId, actor, kind: 'cost', summary, optionId: option.id, reach: optionReach(option) }, async (trx) => {
    await deleteLine(trx, 'money_line', evaluationId, option.id, line.id)
  })
}

export function addSunkCost(
  db: Kysely<Database>,
  actor: Actor,
  evaluationId: number,
  option: LineOption,
  sunkCost: SunkCostDetails,
): Promise<Refusal<'label'> | null> {
  const summary = `Sunk cost “${sunkCost.label}” added to “${option.name}”`
  return refusedPastLimits('label', () =>
    recordedChange(db, { evaluationId, actor, kind: 'cost', summary, optionId: option.id, reach: optionReach(option) }, async (trx) => {
      await appendLines(trx, 'sunk_cost', evaluationId, sunkCostRows([{ optionId: option.id, sunkCost }]))
      await requireWithinLimits(trx, evaluationId)
    }),
  )
}

export function editSunkCost(
  db: Kysely<Database>,
  actor: Actor,
  evaluationId: number,
  option: LineOption,
  sunkCostId: number,
  sunkCost: SunkCostDetails,
): Promise<void> {
  const summary = `Sunk cost “${sunkCost.label}” of “${option.name}” edited`
  return recordedChange(db, { evaluationId, actor, kind: 'cost', summary, optionId: option.id, reach: optionReach(option) }, async (trx) => {
    await updateLine(trx, 'sunk_cost', evaluationId, option.id, sunkCostId, sunkCostRow(sunkCost))
  })
}

export function removeSunkCost(
  db: Kysely<Database>,
  actor: Actor,
  evaluationId: number,
  option: LineOption,
  sunkCost: Pick<SunkCost, 'id' | 'label'>,
): Promise<void> {
  const summary = `Sunk cost “${sunkCost.label}” of “${option.name}” removed`
  return recordedChange(db, { evaluationId, actor, kind: 'cost', summary, optionId: option.id, reach: optionReach(option) }, async (trx) => {
    await deleteLine(trx, 'sunk_cost', evaluationId, option.id, sunkCost.id)
  })
}

export interface LinesImport {
  lines: readonly { optionId: number; line: MoneyLineDetails }[]
  sunkCosts: readonly { optionId: number; sunkCost: SunkCostDetails }[]
  /** Every line, benefit and sunk cost of the options named goes first. */
  replace: boolean
  /** The file's name as uploaded, for the log; null when not known. */
  fileName: string | null
}

/** Saves the lines of a CSV file, after the evaluation's own or in place of the named options' lines. */
export function importMoneyLines(db: Kysely<Database>, actor: Actor, evaluationId: number, file: LinesImport): Promise<Refusal<'file'> | null> {
  const count = file.lines.length + file.sunkCosts.length
  const summary = `${count} cost, benefit and sunk-cost lines imported from ${file.fileName ?? 'a CSV file'}${file.replace ? ', replacing the options’ lines' : ''}`
  return refusedPastLimits('file', () =>
    recordedChange(db, { evaluationId, actor, kind: 'cost', summary, reach: { tables: MONEY } }, async (trx) => {
      if (file.replace) {
        const optionIds = [...new Set([...file.lines, ...file.sunkCosts].map((l) => l.optionId))]
        if (optionIds.length > 0) {
          await trx.deleteFrom('money_line').where('evaluation_id', '=', evaluationId).where('option_id', 'in', optionIds).execute()
          await trx.deleteFrom('sunk_cost').where('evaluation_id', '=', evaluationId).where('option_id', 'in', optionIds).execute()
        }
      }
      await appendLines(trx, 'money_line', evaluationId, moneyLineRows(file.lines))
      await appendLines(trx, 'sunk_cost', evaluationId, sunkCostRows(file.sunkCosts))
      await requireWithinLimits(trx, evaluationId)
    }),
  )
}
