import { type AnyDb, withId } from './helpers.ts';

/**
 * Attachments kept: one row per message that carries a file, queued when the message is stored and worked on after
 * the acknowledgement (fetched from the platform, checked, put in the storage), retried with backoff, or refused for
 * good (too large, a type not allowed).
 */
export async function up(db: AnyDb): Promise<void> {
  await withId(db, db.schema.createTable('message_files'))
    .addColumn('message_id', 'bigint', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('storage_key', 'text')
    .addColumn('content_type', 'text')
    .addColumn('size', 'bigint')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('retry_at', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('message_files_due')
    .on('message_files')
    .columns(['status', 'retry_at'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('message_files').execute();
}
