import type { Change } from './audit.js'
import type { Db } from './connection.js'
import type { MoneyLine, SunkCost } from './schema.js'

/** A cost or benefit line as the forms and the CSV import give it: years are year indexes, rates fractions. */
export interface MoneyLineDetails {
  kind: 'cost' | 'benefit'
  label: string
  category: string | null
  capital: boolean
  amount: number
  fromYear: number
  toYear: number
  growth: number
  /** Null: the appraisal's default for capital or operating lines applies. */
  optimismBias: number | null
  range: { low: number; high: number } | null
  notes: string | null
}

export interface SunkCostDetails {
  label: string
  category: string | null
  amount: number
  notes: string | null
}

/** Lines in the order the evaluation file lists them, so the page and the file agree. */
export async function listMoneyLines(db: Db, evaluationId: number, optionId?: number): Promise<MoneyLine[]> {
  let query = db.selectFrom('money_line').selectAll().where('evaluation_id', '=', evaluationId)
  if (optionId !== undefined) query = query.where('option_id', '=', optionId)
  return query.orderBy('position').orderBy('id').execute()
}

export async function findMoneyLine(db: Db, evaluationId: number, optionId: number, lineId: number): Promise<MoneyLine | undefined> {
  return db
    .selectFrom('money_line')
    .selectAll()
    .where('evaluation_id', '=', evaluationId)
    .where('option_id', '=', optionId)
    .where('id', '=', lineId)
    .executeTakeFirst()
}

function lineColumns(line: MoneyLineDetails) {
  return {
    kind: line.kind,
    label: line.label,
    category: line.category,
    // Benefits carry neither: the file gives them no capital flag and no optimism bias.
    capital: line.kind === 'cost' && line.capital ? 1 : 0,
    amount: line.amount,
    from_year: line.fromYear,
    to_year: line.toYear,
    growth: line.growth,
    optimism_bias: line.kind === 'cost' ? line.optimismBias : null,
    range_low: line.range?.low ?? null,
    range_high: line.range?.high ?? null,
    notes: line.notes,
  }
}

async function nextPosition(db: Db, table: 'money_line' | 'sunk_cost', evaluationId: number): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.max('position').as('last'))
    .where('evaluation_id', '=', evaluationId)
    .executeTakeFirst()
  return row?.last === null || row?.last === undefined ? 0 : Number(row.last) + 1
}

/** Adds lines after the evaluation's existing ones, in the order given. */
export async function insertMoneyLines(db: Change, evaluationId: number, lines: { optionId: number; line: MoneyLineDetails }[]): Promise<void> {
  if (lines.length === 0) return
  const first = await nextPosition(db, 'money_line', evaluationId)
  const rows = lines.map(({ optionId, line }, i) => ({
    evaluation_id: evaluationId,
    option_id: optionId,
    ...lineColumns(line),
    position: first + i,
  }))
  for (let i = 0; i < rows.length; i += 400) await db.insertInto('money_line').values(rows.slice(i, i + 400)).execute()
}

export async function updateMoneyLine(db: Change, evaluationId: number, lineId: number, line: MoneyLineDetails): Promise<void> {
  await db.updateTable('money_line').set(lineColumns(line)).where('evaluation_id', '=', evaluationId).where('id', '=', lineId).execute()
}

export async function deleteMoneyLine(db: Change, evaluationId: number, lineId: number): Promise<void> {
  await db.deleteFrom('money_line').where('evaluation_id', '=', evaluationId).where('id', '=', lineId).execute()
}

export async function listSunkCosts(db: Db, evaluationId: number, optionId?: number): Promise<SunkCost[]> {
  let query = db.selectFrom('sunk_cost').selectAll().where('evaluation_id', '=', evaluationId)
  if (optionId !== undefined) query = query.where('option_id', '=', optionId)
  return query.orderBy('position').orderBy('id').execute()
}

export async function findSunkCost(db: Db, evaluationId: number, optionId: number, sunkCostId: number): Promise<SunkCost | undefined> {
  return db
    .selectFrom('sunk_cost')
    .selectAll()
    .where('evaluation_id', '=', evaluationId)
    .where('option_id', '=', optionId)
    .where('id', '=', sunkCostId)
    .executeTakeFirst()
}

export async function insertSunkCosts(db: Change, evaluationId: number, sunkCosts: { optionId: number; sunkCost: SunkCostDetails }[]): Promise<void> {
  if (sunkCosts.length === 0) return
  const first = await nextPosition(db, 'sunk_cost', evaluationId)
  const rows = sunkCosts.map(({ optionId, sunkCost }, i) => ({
    evaluation_id: evaluationId,
    option_id: optionId,
    label: sunkCost.label,
    category: sunkCost.category,
    amount: sunkCost.amount,
    notes: sunkCost.notes,
    position: first + i,
  }))
  for (let i = 0; i < rows.length; i += 400) await db.insertInto('sunk_cost').values(rows.slice(i, i + 400)).execute()
}

export async function updateSunkCost(db: Change, evaluationId: number, sunkCostId: number, sunkCost: SunkCostDetails): Promise<void> {
  await db
    .updateTable('sunk_cost')
    .set({ label: sunkCost.label, category: sunkCost.category, amount: sunkCost.amount, notes: sunkCost.notes })
    .where('evaluation_id', '=', evaluationId)
    .where('id', '=', sunkCostId)
    .execute()
}

export async function deleteSunkCost(db: Change, evaluationId: number, sunkCostId: number): Promise<void> {
  await db.deleteFrom('sunk_cost').where('evaluation_id', '=', evaluationId).where('id', '=', sunkCostId).execute()
}

/** Removes every cost, benefit and sunk cost line of these options (before a CSV replaces them). */
export async function deleteOptionMoney(db: Change, evaluationId: number, optionIds: number[]): Promise<void> {
  if (optionIds.length === 0) return
  await db.deleteFrom('money_line').where('evaluation_id', '=', evaluationId).where('option_id', 'in', optionIds).execute()
  await db.deleteFrom('sunk_cost').where('evaluation_id', '=', evaluationId).where('option_id', 'in', optionIds).execute()
}
