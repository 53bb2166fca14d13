import type { AnyDb } from './helpers.ts';

/**
 * A sales pipeline: a customer may have several open deals, each with an expected close date
 * (`deals.expected_close_at`, the local midnight of that day; null: not given). The index serves the board and the
 * forecast, which read open deals by stage and owner.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('deals').addColumn('expected_close_at', 'bigint').execute();
  await db.schema
    .createIndex('deals_pipeline')
    .on('deals')
    .columns(['stage', 'owner_staff_id', 'closed_at'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('deals_pipeline').execute();
  await db.schema.alterTable('deals').dropColumn('expected_close_at').execute();
}
