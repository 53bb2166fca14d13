import { type AnyDb, withId } from './helpers.ts';

/**
 * The local web channel behind the playground: what Liaison delivered to web chats, for the page to read. (What the
 * page posts needs no table of its own: it is a webhook delivery, stored in the inbox like any platform's.)
 */
export async function up(db: AnyDb): Promise<void> {
  await withId(db, db.schema.createTable('web_messages'))
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('workspace', 'text', (c) => c.notNull())
    .addColumn('chat_id', 'text', (c) => c.notNull())
    .addColumn('message_key', 'text', (c) => c.notNull())
    .addColumn('reply_to', 'text')
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('card', 'text')
    .addColumn('image', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  // The page polls by workspace for rows after the last id it has.
  await db.schema.createIndex('web_messages_feed').on('web_messages').columns(['workspace', 'id']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('web_messages').execute();
}
