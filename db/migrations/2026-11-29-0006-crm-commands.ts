import type { AnyDb } from './helpers.ts';

/**
 * The command set: writes made by a chat request carry the request's key (a redelivered or retried request never
 * writes twice), reminders remember where they were asked for, the audit log says through which channel, team names
 * are unique (commands name teams), and a customer's sends are found by customer (acknowledgements).
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('audit_log').addColumn('via', 'text').execute();
  await db.schema.alterTable('notes').addColumn('request_key', 'text').execute();
  await db.schema.createIndex('notes_request').unique().on('notes').column('request_key').execute();
  await db.schema.alterTable('deals').addColumn('request_key', 'text').execute();
  await db.schema.createIndex('deals_request').unique().on('deals').column('request_key').execute();
  await db.schema.alterTable('reminders').addColumn('request_key', 'text').execute();
  await db.schema.alterTable('reminders').addColumn('platform', 'text').execute();
  await db.schema.createIndex('reminders_request').unique().on('reminders').column('request_key').execute();
  await db.schema.createIndex('teams_name').unique().on('teams').column('name').execute();
  await db.schema
    .createIndex('outbox_customer')
    .on('outbox')
    .columns(['customer_id', 'created_at'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('outbox_customer').execute();
  await db.schema.dropIndex('teams_name').execute();
  await db.schema.dropIndex('reminders_request').execute();
  await db.schema.alterTable('reminders').dropColumn('platform').execute();
  await db.schema.alterTable('reminders').dropColumn('request_key').execute();
  await db.schema.dropIndex('deals_request').execute();
  await db.schema.alterTable('deals').dropColumn('request_key').execute();
  await db.schema.dropIndex('notes_request').execute();
  await db.schema.alterTable('notes').dropColumn('request_key').execute();
  await db.schema.alterTable('audit_log').dropColumn('via').execute();
}
