import { sql } from 'kysely';
import { type AnyDb, withId } from './helpers.ts';

/**
 * Customer intelligence: conversation bursts (a customer's run of messages; the unit of LLM tagging and of alerts),
 * alerts raised to staff, a cache of model answers, and what the system concluded about each customer (who set the
 * stage, value tier, churn risk, the latest summary and sentiment).
 */
export async function up(db: AnyDb): Promise<void> {
  const s = db.schema;
  await withId(db, s.createTable('conversation_bursts'))
    .addColumn('customer_id', 'bigint', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('last_message_at', 'bigint', (c) => c.notNull())
    .addColumn('llm_status', 'text', (c) => c.notNull())
    .addColumn('llm_due_at', 'bigint')
    .addColumn('llm_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('llm_error', 'text')
    .addColumn('intent', 'text')
    .addColumn('sentiment', 'text')
    .addColumn('summary', 'text')
    .addColumn('reply_due_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('conversation_bursts_start', ['customer_id', 'started_at'])
    .execute();
  await s
    .createIndex('conversation_bursts_llm')
    .on('conversation_bursts')
    .columns(['llm_status', 'llm_due_at'])
    .execute();
  await s
    .createIndex('conversation_bursts_reply_due')
    .on('conversation_bursts')
    .column('reply_due_at')
    .execute();
  await s
    .createIndex('conversation_bursts_latest')
    .on('conversation_bursts')
    .columns(['customer_id', 'last_message_at'])
    .execute();

  await withId(db, s.createTable('alerts'))
    .addColumn('customer_id', 'bigint', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('cause', 'text', (c) => c.notNull())
    .addColumn('burst_id', 'bigint', (c) => c.notNull())
    .addColumn('staff_id', 'bigint', (c) => c.references('staff.id').onDelete('set null'))
    .addColumn('message_id', 'bigint')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('alerts_once', ['customer_id', 'cause', 'burst_id'])
    .execute();
  await s.createIndex('alerts_time').on('alerts').column('created_at').execute();

  await s
    .createTable('llm_cache')
    .addColumn('cache_key', 'text', (c) => c.primaryKey())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await s
    .alterTable('customers')
    .addColumn('stage_source', 'text', (c) => c.notNull().defaultTo('auto'))
    .execute();
  await s.alterTable('customers').addColumn('value_tier', 'text').execute();
  await s
    .alterTable('customers')
    .addColumn('churn_risk', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await s.alterTable('customers').addColumn('sentiment', 'text').execute();
  await s.alterTable('customers').addColumn('summary', 'text').execute();
  // Stages set by a person before this migration count as theirs.
  await sql`update customers set stage_source = 'manual' where id in (select customer_id from customer_events where kind = 'stage_changed' and actor_staff_id is not null)`.execute(
    db,
  );
}

export async function down(db: AnyDb): Promise<void> {
  for (const column of ['summary', 'sentiment', 'churn_risk', 'value_tier', 'stage_source']) {
    await db.schema.alterTable('customers').dropColumn(column).execute();
  }
  await db.schema.dropTable('llm_cache').execute();
  await db.schema.dropTable('alerts').execute();
  await db.schema.dropTable('conversation_bursts').execute();
}
