import type { AnyDb } from './helpers.ts';

/**
 * Digest schedules: each subscription has a local time and zone; robots keep their signing secret; a run row is
 * claimed under a lease, so a digest whose builder died is taken over (and still sent once, by its send keys).
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('digest_subscriptions').addColumn('send_at', 'text').execute();
  await db.schema.alterTable('digest_subscriptions').addColumn('time_zone', 'text').execute();
  await db.schema.alterTable('digest_subscriptions').addColumn('target_secret', 'text').execute();
  await db.schema.alterTable('digest_runs').addColumn('claimed_at', 'bigint').execute();
  // What digests count by: new customers by first contact, staff activity by author, stage moves by time.
  await db.schema.createIndex('customers_first_contact').on('customers').column('first_contact_at').execute();
  await db.schema
    .createIndex('messages_author_time')
    .on('messages')
    .columns(['author_staff_id', 'sent_at'])
    .execute();
  await db.schema
    .createIndex('notes_author_time')
    .on('notes')
    .columns(['author_staff_id', 'created_at'])
    .execute();
  await db.schema.createIndex('customer_events_time').on('customer_events').column('at').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('customer_events_time').execute();
  await db.schema.dropIndex('notes_author_time').execute();
  await db.schema.dropIndex('messages_author_time').execute();
  await db.schema.dropIndex('customers_first_contact').execute();
  await db.schema.alterTable('digest_runs').dropColumn('claimed_at').execute();
  await db.schema.alterTable('digest_subscriptions').dropColumn('target_secret').execute();
  await db.schema.alterTable('digest_subscriptions').dropColumn('time_zone').execute();
  await db.schema.alterTable('digest_subscriptions').dropColumn('send_at').execute();
}
