import { sql } from 'kysely';
import { type AnyDb, isPostgres } from './helpers.ts';

/**
 * Every customer message moves `customers.last_contact_at`, and every index holding it is written again; a new
 * customer writes every index. These indexes had become the leading part of wider ones (0033) and served no query
 * those cannot: `customers_recent` is `customers_list`'s key, `customers_stage` and `customer_tags_tag` are
 * prefixes of `customers_stage_recent` and `customer_tags_tag_customer`, and on PostgreSQL `customers_owner`
 * is `customers_owner_recent`'s key read backwards.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('customers_recent').execute();
  await db.schema.dropIndex('customers_stage').execute();
  await db.schema.dropIndex('customer_tags_tag').execute();
  if (isPostgres(db)) await db.schema.dropIndex('customers_owner').execute();
}

export async function down(db: AnyDb): Promise<void> {
  const pg = isPostgres(db);
  if (pg)
    await db.schema
      .createIndex('customers_owner')
      .on('customers')
      .columns(['owner_staff_id', 'last_contact_at'])
      .execute();
  await db.schema.createIndex('customer_tags_tag').on('customer_tags').column('tag_id').execute();
  await db.schema.createIndex('customers_stage').on('customers').column('stage').execute();
  await db.schema
    .createIndex('customers_recent')
    .on('customers')
    .expression(pg ? sql`last_contact_at desc nulls last, id desc` : sql`last_contact_at, id`)
    .execute();
}
