import type { Insertable, Kysely } from 'kysely';
import type { Database } from './schema.ts';
import type { WebMessageTable } from './tables/web.ts';

/** Stores a message for a web chat page to read (the web channel's "platform" is this table); once per key. */
export async function storeWebMessage(db: Kysely<Database>, row: Insertable<WebMessageTable>): Promise<void> {
  await db
    .insertInto('web_messages')
    .values(row)
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .execute();
}

/** The web channel's deliveries stored in the inbox after `afterId` (what the page posted, as Liaison received it). */
export function webDeliveriesAfter(db: Kysely<Database>, workspace: string, afterId: number, limit: number) {
  return db
    .selectFrom('inbox')
    .select(['id', 'payload', 'received_at'])
    .where('platform', '=', 'web')
    .where('workspace', '=', workspace)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Messages Liaison delivered to web chats after `afterId` (pictures flagged, not read). */
export function webMessagesAfter(db: Kysely<Database>, workspace: string, afterId: number, limit: number) {
  return db
    .selectFrom('web_messages')
    .select(['id', 'chat_id', 'message_key', 'reply_to', 'text', 'card', 'created_at'])
    .select((eb) => eb('image', 'is not', null).as('has_image'))
    .where('workspace', '=', workspace)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** A delivered picture (base64), or null. */
export async function webImage(db: Kysely<Database>, workspace: string, id: number): Promise<string | null> {
  const row = await db
    .selectFrom('web_messages')
    .select('image')
    .where('id', '=', id)
    .where('workspace', '=', workspace)
    .executeTakeFirst();
  return row?.image ?? null;
}
