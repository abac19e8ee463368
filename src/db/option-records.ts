import type { Db } from './connection.js'

/** How much an option's removal would take with it, so the person can be told before they confirm. */
export async function countOptionRecords(db: Db, optionId: number): Promise<{ scores: number; lines: number }> {
  const count = async (table: 'individual_score' | 'consensus_score' | 'money_line' | 'sunk_cost') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('option_id', '=', optionId)
          .executeTakeFirstOrThrow()
      ).n,
    )
  const [individual, consensus, lines, sunk] = await Promise.all([count('individual_score'), count('consensus_score'), count('money_line'), count('sunk_cost')])
  return { scores: individual + consensus, lines: lines + sunk }
}
