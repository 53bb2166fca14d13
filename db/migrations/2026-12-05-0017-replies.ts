import { type AnyDb, withId } from './helpers.ts';

/**
 * Replies to customers: a send written by a staff member records them as its author (the timeline and the reply SLA
 * count it as a person's answer), and a staff member answering a relay with the platform's reply finds it by the
 * platform's id of it. Customer messages wait in `relays` (once per message and recipient) until they are relayed,
 * several in one message when they pile up (a storm is paced, not a flood of single messages). A channel code may
 * carry the welcome (欢迎语) a new contact who came through it gets.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('author_staff_id', 'integer').execute();
  await db.schema.alterTable('channel_codes').addColumn('welcome', 'text').execute();
  await db.schema
    .createIndex('outbox_platform_message')
    .on('outbox')
    .columns(['platform', 'platform_message_id'])
    .execute();
  await withId(db, db.schema.createTable('relays'))
    .addColumn('message_id', 'integer', (c) => c.notNull())
    .addColumn('customer_id', 'integer', (c) => c.notNull())
    .addColumn('staff_id', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    // The relay message it went out in (its outbox idempotency key); null while waiting.
    .addColumn('batch_key', 'text')
    .addUniqueConstraint('relays_message_staff', ['message_id', 'staff_id'])
    .execute();
  await db.schema.createIndex('relays_batch').on('relays').columns(['batch_key', 'id']).execute();
  await db.schema.createIndex('relays_staff').on('relays').columns(['staff_id', 'id']).execute();
  await db.schema.createIndex('relays_created').on('relays').column('created_at').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('relays').execute();
  await db.schema.dropIndex('outbox_platform_message').execute();
  await db.schema.alterTable('outbox').dropColumn('author_staff_id').execute();
  await db.schema.alterTable('channel_codes').dropColumn('welcome').execute();
}
