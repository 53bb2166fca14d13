import type { AnyDb } from './helpers.ts';

/**
 * Every kind of message readable: `messages.content` keeps what a message carries beyond its words (a location, a
 * file's name and size, a poll, a forwarded bundle) as JSON; `identities.unreachable_at` marks a platform identity
 * that cannot be written to (the customer blocked the bot), so replies and campaigns skip it until it is cleared.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('messages').addColumn('content', 'text').execute();
  await db.schema.alterTable('identities').addColumn('unreachable_at', 'bigint').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('identities').dropColumn('unreachable_at').execute();
  await db.schema.alterTable('messages').dropColumn('content').execute();
}
