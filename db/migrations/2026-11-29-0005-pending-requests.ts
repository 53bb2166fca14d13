import { sql } from 'kysely';
import { type AnyDb, withId } from './helpers.ts';

/**
 * The plain-language assistant: writes it planned, held until the staff member confirms them, and one row per
 * language model call (tokens spent, for whom, whether it worked).
 */
export async function up(db: AnyDb): Promise<void> {
  const s = db.schema;
  await withId(db, s.createTable('pending_requests'))
    // The planning request's key: a redelivered message finds its plan instead of asking the model again.
    .addColumn('request_key', 'text', (c) => c.notNull().unique())
    .addColumn('staff_id', 'bigint', (c) => c.notNull().references('staff.id').onDelete('cascade'))
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace', 'text', (c) => c.notNull())
    .addColumn('chat_key', 'text', (c) => c.notNull())
    .addColumn('chat', 'text', (c) => c.notNull())
    .addColumn('commands', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('pending', 'applied', 'cancelled', 'expired')`),
    )
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('decided_at', 'bigint')
    // The confirming request's key: a redelivered confirmation re-runs the same (idempotent) command lines.
    .addColumn('decided_key', 'text')
    .execute();
  await s
    .createIndex('pending_requests_open')
    .on('pending_requests')
    .columns(['staff_id', 'chat_key', 'status', 'created_at'])
    .execute();
  await s.createIndex('pending_requests_decided').on('pending_requests').column('decided_key').execute();

  await withId(db, s.createTable('llm_calls'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('prompt_version', 'text')
    .addColumn('prompt_tokens', 'integer')
    .addColumn('completion_tokens', 'integer')
    .addColumn('staff_id', 'bigint', (c) => c.references('staff.id').onDelete('set null'))
    .addColumn('ok', 'integer', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await s.createIndex('llm_calls_created').on('llm_calls').columns(['purpose', 'created_at']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('llm_calls').execute();
  await db.schema.dropTable('pending_requests').execute();
}
