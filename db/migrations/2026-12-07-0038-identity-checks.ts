import { type AnyDb, withId } from './helpers.ts';

/**
 * Phones a customer's message stated (or the contact they shared) wait in `identity_checks` for timed work, which
 * looks for the same person among the other customers in batches, instead of the message's processing doing it.
 */
export async function up(db: AnyDb): Promise<void> {
  await withId(db, db.schema.createTable('identity_checks'))
    .addColumn('customer_id', 'bigint', (c) => c.notNull())
    .addColumn('phones', 'text', (c) => c.notNull())
    .addColumn('shared', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('identity_checks').execute();
}
