import { sql } from 'kysely';
import { type AnyDb, isPostgres } from './helpers.ts';

/**
 * `/find` through indexes: `customer_search_grams` (bigrams and digit suffixes of each customer's search text) and
 * `customers_recent`, the list order (last contact desc, nulls last). Existing customers are indexed by the app after
 * migrating (derived data, migration 0020): a migration never runs live code, which would change it after it shipped.
 */
export async function up(db: AnyDb): Promise<void> {
  const pg = isPostgres(db);
  // Byte order on PostgreSQL too (SQLite compares bytes): digit keys are found by prefix ranges.
  await db.schema
    .createTable('customer_search_grams')
    .addColumn('gram', pg ? sql`text collate "C"` : 'text', (c) => c.notNull())
    .addColumn('customer_id', 'bigint', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('customer_search_grams_pk', ['gram', 'customer_id'])
    // SQLite (and D1) keep the rows in the primary key's B-tree itself: half the size.
    .$call((t) => (pg ? t : t.modifyEnd(sql`without rowid`)))
    .execute();
  await db.schema
    .createIndex('customer_search_grams_customer')
    .on('customer_search_grams')
    .column('customer_id')
    .execute();
  // SQLite reads an ascending index backwards as `desc nulls last`; PostgreSQL needs the order spelled out.
  await db.schema
    .createIndex('customers_recent')
    .on('customers')
    .expression(pg ? sql`last_contact_at desc nulls last, id desc` : sql`last_contact_at, id`)
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('customers_recent').execute();
  await db.schema.dropTable('customer_search_grams').execute();
}
