import { sql } from 'kysely';
import { type AnyDb, isPostgres } from './helpers.ts';

/**
 * PostgreSQL: `/find` through PostgreSQL's own full-text index. The search keys move from `customer_search_grams`
 * (one row per key and customer) into `customers.search_keys`, a tsvector under a GIN index; the table is dropped.
 * SQLite and D1 keep the table: they have no inverted index of their own that handles Chinese. The keys themselves
 * are written by the app after migrating (derived data, migration 0020), never by live code run from here.
 */
export async function up(db: AnyDb): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`alter table customers add column search_keys tsvector`.execute(db);
  await sql`create index customers_search_keys on customers using gin (search_keys)`.execute(db);
  await db.schema.dropTable('customer_search_grams').execute();
}

export async function down(db: AnyDb): Promise<void> {
  if (!isPostgres(db)) return;
  await db.schema
    .createTable('customer_search_grams')
    .addColumn('gram', sql`text collate "C"`, (c) => c.notNull())
    .addColumn('customer_id', 'bigint', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('customer_search_grams_pk', ['gram', 'customer_id'])
    .execute();
  await db.schema
    .createIndex('customer_search_grams_customer')
    .on('customer_search_grams')
    .column('customer_id')
    .execute();
  await sql`drop index customers_search_keys`.execute(db);
  await sql`alter table customers drop column search_keys`.execute(db);
}
