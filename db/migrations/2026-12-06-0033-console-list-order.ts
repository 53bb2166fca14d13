import { sql } from 'kysely';
import { type AnyDb, isPostgres } from './helpers.ts';

/**
 * The console's customer list (last contact desc, nulls last; then id desc), unfiltered or by stage or owner, read in
 * that order from an index holding the columns every list filters on (merged away, owner, stage, do-not-contact): a
 * walk that skips most customers (a rep's scope, a tag on 1 in 100) reads the index alone, and only the page's rows.
 * SQLite reads an ascending index backwards as `desc nulls last` (and `customers_owner` with its rowid already serves
 * the owner filter); PostgreSQL needs the order spelled out and keeps the other columns as INCLUDE, for index-only
 * scans. A tag's and a channel code's customers are counted and read from an index alone.
 */
export async function up(db: AnyDb): Promise<void> {
  if (isPostgres(db)) {
    const order = sql`last_contact_at desc nulls last, id desc`;
    await sql`create index customers_list on customers (${order})
      include (merged_into_id, owner_staff_id, stage, do_not_contact)`.execute(db);
    await sql`create index customers_stage_recent on customers (stage, ${order})
      include (merged_into_id, owner_staff_id, do_not_contact)`.execute(db);
    await sql`create index customers_owner_recent on customers (owner_staff_id, ${order})
      include (merged_into_id, stage, do_not_contact)`.execute(db);
  } else {
    await db.schema
      .createIndex('customers_list')
      .on('customers')
      .columns(['last_contact_at', 'id', 'merged_into_id', 'owner_staff_id', 'stage', 'do_not_contact'])
      .execute();
    await db.schema
      .createIndex('customers_stage_recent')
      .on('customers')
      .columns(['stage', 'last_contact_at', 'id', 'merged_into_id', 'owner_staff_id'])
      .execute();
  }
  await db.schema
    .createIndex('customer_tags_tag_customer')
    .on('customer_tags')
    .columns(['tag_id', 'customer_id'])
    .execute();
  await db.schema
    .createIndex('customer_sources_code')
    .on('customer_sources')
    .columns(['code', 'customer_id'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('customer_sources_code').execute();
  await db.schema.dropIndex('customer_tags_tag_customer').execute();
  if (isPostgres(db)) await db.schema.dropIndex('customers_owner_recent').execute();
  await db.schema.dropIndex('customers_stage_recent').execute();
  await db.schema.dropIndex('customers_list').execute();
}
