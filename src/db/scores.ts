import { sql } from 'kysely'
import type { Db } from './connection.js'

export async function countScores(db: Db, evaluationId: number): Promise<{ individual: number; consensus: number }> {
  const [individual, consensus] = await Promise.all([
    db
      .selectFrom('individual_score')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('evaluation_id', '=', evaluationId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('consensus_score')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('evaluation_id', '=', evaluationId)
      .executeTakeFirstOrThrow(),
  ])
  return { individual: Number(individual.n), consensus: Number(consensus.n) }
}

/** The lowest and highest score given on scored criteria (gates are 0/1 whatever the scale). */
export async function scoreRange(db: Db, evaluationId: number): Promise<{ min: number; max: number } | null> {
  const ranges = await Promise.all(
    (['individual_score', 'consensus_score'] as const).map((table) =>
      db
        .selectFrom(table)
        .innerJoin('criterion', 'criterion.id', `${table}.criterion_id`)
        .select([sql<number | null>`min(${sql.ref(`${table}.score`)})`.as('low'), sql<number | null>`max(${sql.ref(`${table}.score`)})`.as('high')])
        .where(`${table}.evaluation_id`, '=', evaluationId)
        .where('criterion.kind', '=', 'criterion')
        .executeTakeFirstOrThrow(),
    ),
  )
  const lows = ranges.map((r) => r.low).filter((v): v is number => v !== null)
  const highs = ranges.map((r) => r.high).filter((v): v is number => v !== null)
  if (lows.length === 0) return null
  return { min: Math.min(...lows), max: Math.max(...highs) }
}
