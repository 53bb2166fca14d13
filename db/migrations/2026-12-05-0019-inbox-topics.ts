import { type AnyDb, withId } from './helpers.ts';

/**
 * The inbox chat (an admin's staff-only group) takes the relays of customers nobody owns. Its waiting customer
 * messages sit in `inbox_relays` (once per message, whatever the redeliveries) until relayed, several in one relay
 * when they pile up. Where the group has topics, each customer gets one topic, created once (the outbox keeps its
 * creation once per key); `inbox_topics` maps the platform's topic id to the customer, both ways.
 */
export async function up(db: AnyDb): Promise<void> {
  await withId(db, db.schema.createTable('inbox_relays'))
    .addColumn('message_id', 'integer', (c) => c.notNull())
    .addColumn('customer_id', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    // The relay message it went out in (its outbox idempotency key); null while waiting.
    .addColumn('batch_key', 'text')
    .addUniqueConstraint('inbox_relays_message', ['message_id'])
    .execute();
  await db.schema.createIndex('inbox_relays_batch').on('inbox_relays').columns(['batch_key', 'id']).execute();
  await db.schema
    .createIndex('inbox_relays_customer')
    .on('inbox_relays')
    .columns(['customer_id', 'id'])
    .execute();
  await db.schema.createIndex('inbox_relays_created').on('inbox_relays').column('created_at').execute();
  await withId(db, db.schema.createTable('inbox_topics'))
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace', 'text', (c) => c.notNull())
    .addColumn('chat_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'integer', (c) => c.notNull())
    .addColumn('thread_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('inbox_topics_customer', ['platform', 'workspace', 'chat_id', 'customer_id'])
    .addUniqueConstraint('inbox_topics_thread', ['platform', 'workspace', 'chat_id', 'thread_id'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('inbox_topics').execute();
  await db.schema.dropTable('inbox_relays').execute();
}
