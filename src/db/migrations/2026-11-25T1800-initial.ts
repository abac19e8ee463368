import { PostgresAdapter, type CreateTableBuilder, type Kysely } from 'kysely'

// Frozen: this migration must never change once released. It imports nothing of the app's.

function withId<T extends string>(db: Kysely<any>, table: CreateTableBuilder<T, never>) {
  return db.getExecutor().adapter instanceof PostgresAdapter
    ? table.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
}

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('evaluation'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('organisation', 'text')
    .addColumn('summary', 'text')
    .addColumn('currency', 'text', (c) => c.notNull().defaultTo('GBP'))
    .addColumn('scale_min', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('scale_max', 'integer', (c) => c.notNull().defaultTo(5))
    .addColumn('split_quality', 'double precision', (c) => c.notNull().defaultTo(100))
    .addColumn('split_cost', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('price_formula', 'text', (c) => c.notNull().defaultTo('relative-to-lowest'))
    .addColumn('base_year', 'integer', (c) => c.notNull())
    .addColumn('years', 'integer', (c) => c.notNull())
    .addColumn('discount', 'text', (c) => c.notNull().defaultTo('"green-book"'))
    .addColumn('optimism_bias_capital', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('optimism_bias_operating', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('archived', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()

  await withId(db, db.schema.createTable('scale_level'))
    .addColumn('evaluation_id', 'integer', (c) => c.notNull().references('evaluation.id').onDelete('cascade'))
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('label', 'text')
    .addColumn('descriptor', 'text')
    .addUniqueConstraint('scale_level_unique', ['evaluation_id', 'level'])
    .execute()

  await withId(db, db.schema.createTable('option'))
    .addColumn('evaluation_id', 'integer', (c) => c.notNull().references('evaluation.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('supplier', 'text')
    .addColumn('product', 'text')
    .addColumn('description', 'text')
    .addColumn('baseline', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addUniqueConstraint('option_key_unique', ['evaluation_id', 'key'])
    .execute()

  await withId(db, db.schema.createTable('criterion'))
    .addColumn('evaluation_id', 'integer', (c) => c.notNull().references('evaluation.id').onDelete('cascade'))
    .addColumn('parent_id', 'integer', (c) => c.references('criterion.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('weight', 'double precision')
    .addColumn('guidance', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .addUniqueConstraint('criterion_key_unique', ['evaluation_id', 'key'])
    .execute()
  await db.schema.createIndex('criterion_parent').on('criterion').columns(['parent_id']).execute()

  await withId(db, db.schema.createTable('criterion_descriptor'))
    .addColumn('criterion_id', 'integer', (c) => c.notNull().references('criterion.id').onDelete('cascade'))
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addUniqueConstraint('criterion_descriptor_unique', ['criterion_id', 'level'])
    .execute()

  await withId(db, db.schema.createTable('panel_member'))
    .addColumn('evaluation_id', 'integer', (c) => c.notNull().references('evaluation.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text')
    .addColumn('email', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .addUniqueConstraint('panel_member_key_unique', ['evaluation_id', 'key'])
    .execute()

  await withId(db, db.schema.createTable('individual_score'))
    .addColumn('evaluation_id', 'integer', (c) => c.notNull().references('evaluation.id').onDelete('cascade'))
    .addColumn('panel_member_id', 'integer', (c) => c.notNull().references('panel_member.id').onDelete('cascade'))
    .addColumn('option_id', 'integer', (c) => c.notNull().references('option.id').onDelete('cascade'))
    .addColumn('criterion_id', 'integer', (c) => c.notNull().references('criterion.id').onDelete('cascade'))
    .addColumn('score', 'double precision', (c) => c.notNull())
    .addColumn('rationale', 'text')
    .addColumn('evidence', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('individual_score_unique', ['panel_member_id', 'option_id', 'criterion_id'])
    .execute()
  await db.schema.createIndex('individual_score_evaluation').on('individual_score').columns(['evaluation_id']).execute()

  await withId(db, db.schema.createTable('consensus_score'))
    .addColumn('evaluation_id', 'integer', (c) => c.notNull().references('evaluation.id').onDelete('cascade'))
    .addColumn('option_id', 'integer', (c) => c.notNull().references('option.id').onDelete('cascade'))
    .addColumn('criterion_id', 'integer', (c) => c.notNull().references('criterion.id').onDelete('cascade'))
    .addColumn('score', 'double precision', (c) => c.notNull())
    .addColumn('rationale', 'text')
    .addColumn('evidence', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('consensus_score_unique', ['option_id', 'criterion_id'])
    .execute()
  await db.schema.createIndex('consensus_score_evaluation').on('consensus_score').columns(['evaluation_id']).execute()

  await withId(db, db.schema.createTable('money_line'))
    .addColumn('evaluation_id', 'integer', (c) => c.notNull().references('evaluation.id').onDelete('cascade'))
    .addColumn('option_id', 'integer', (c) => c.notNull().references('option.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('category', 'text')
    .addColumn('capital', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('amount', 'double precision', (c) => c.notNull())
    .addColumn('from_year', 'integer', (c) => c.notNull())
    .addColumn('to_year', 'integer', (c) => c.notNull())
    .addColumn('growth', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('optimism_bias', 'double precision')
    .addColumn('range_low', 'double precision')
    .addColumn('range_high', 'double precision')
    .addColumn('notes', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('money_line_evaluation').on('money_line').columns(['evaluation_id']).execute()

  await withId(db, db.schema.createTable('sunk_cost'))
    .addColumn('evaluation_id', 'integer', (c) => c.notNull().references('evaluation.id').onDelete('cascade'))
    .addColumn('option_id', 'integer', (c) => c.notNull().references('option.id').onDelete('cascade'))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('amount', 'double precision', (c) => c.notNull())
    .addColumn('category', 'text')
    .addColumn('notes', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'sunk_cost',
    'money_line',
    'consensus_score',
    'individual_score',
    'panel_member',
    'criterion_descriptor',
    'criterion',
    'option',
    'scale_level',
    'evaluation',
  ]) {
    await db.schema.dropTable(table).execute()
  }
}
