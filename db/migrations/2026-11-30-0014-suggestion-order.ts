import { type AnyDb, isPostgres } from './helpers.ts';

/**
 * Indexes the duplicates listing reads in order (measured at 1M customers, bench/duplicates-postgres.ts):
 * - open suggestions by (status, score, id): the listing orders by score then id and stops at the page, with no
 *   sort of every suggestion sharing the top score (SQLite's (status, score) index already ends in the rowid);
 * - PostgreSQL: customers by (owner_staff_id, id), so a rep's book is read from the index alone (SQLite's
 *   `customers_owner` index already carries the rowid).
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('merge_suggestions_open').execute();
  await db.schema
    .createIndex('merge_suggestions_open')
    .on('merge_suggestions')
    .columns(['status', 'score', 'id'])
    .execute();
  if (isPostgres(db))
    await db.schema
      .createIndex('customers_owner_id')
      .on('customers')
      .columns(['owner_staff_id', 'id'])
      .execute();
}

export async function down(db: AnyDb): Promise<void> {
  if (isPostgres(db)) await db.schema.dropIndex('customers_owner_id').execute();
  await db.schema.dropIndex('merge_suggestions_open').execute();
  await db.schema
    .createIndex('merge_suggestions_open')
    .on('merge_suggestions')
    .columns(['status', 'score'])
    .execute();
}
