import type { AnyDb } from './helpers.ts';

/** Message attachments kept by reference; pacing across a whole installation (Feishu: 50 messages/s per app). */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('messages').addColumn('attachment', 'text').execute();
  await db.schema
    .createIndex('outbox_app_sent')
    .on('outbox')
    .columns(['platform', 'workspace', 'sent_at'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('outbox_app_sent').execute();
  await db.schema.alterTable('messages').dropColumn('attachment').execute();
}
