import type { Insertable, Kysely } from 'kysely';
import { preparedInsert, preparedQuery } from '../../../db/prepared.ts';
import type { Database, Platform } from '../../../db/schema.ts';
import type { ChatRef } from '../ports/events.ts';

/**
 * The Liaison id of a platform chat, creating the chat on first sight and keeping its title current. `likelyNew`: the
 * caller expects no such chat yet (a customer's first message in a one-to-one chat), so the insert is tried first.
 */
export async function ensureChat(
  db: Kysely<Database>,
  platform: Platform,
  workspace: string,
  chat: ChatRef,
  customerId: number | null,
  now: number,
  likelyNew = false,
): Promise<number> {
  const find = () => findChat(db, platform, workspace, chat.key);
  const insert = () =>
    newChat.insertedId(db, {
      platform,
      workspace,
      external_key: chat.key,
      platform_chat_id: chat.platformChatId,
      kind: chat.kind,
      title: chat.title ?? null,
      connection_id: chat.connectionId ?? null,
      customer_id: customerId,
      created_at: now,
      updated_at: now,
    });
  // A customer created just now rarely has a chat yet: the insert comes first, a lookup fewer.
  const inserted = likelyNew ? await insert() : undefined;
  if (inserted !== undefined) return inserted;
  const existing = await find();
  if (existing) {
    const title = chat.title ?? existing.title;
    const owner = existing.customer_id ?? customerId;
    if (title !== existing.title || owner !== existing.customer_id) {
      await db
        .updateTable('chats')
        .set({ title, customer_id: owner, updated_at: now })
        .where('id', '=', existing.id)
        .execute();
    }
    return existing.id;
  }
  // No id back: another writer created it first.
  const added = await insert();
  if (added !== undefined) return added;
  const created = await find();
  if (!created) throw new Error('chat vanished right after insert');
  return created.id;
}

const newChat = preparedInsert((db, row: Insertable<Database['chats']>) =>
  db
    .insertInto('chats')
    .values({
      platform: row.platform,
      workspace: row.workspace,
      external_key: row.external_key,
      platform_chat_id: row.platform_chat_id,
      kind: row.kind,
      title: row.title,
      connection_id: row.connection_id,
      customer_id: row.customer_id,
      created_at: row.created_at,
      updated_at: row.updated_at,
    })
    .onConflict((oc) => oc.columns(['platform', 'workspace', 'external_key']).doNothing()),
);

/** A known chat by its platform key, or undefined. */
export function findChat(db: Kysely<Database>, platform: Platform, workspace: string, key: string) {
  return chatByKey.first(db, { platform, workspace, key });
}

const chatByKey = preparedQuery((db, chat: { platform: Platform; workspace: string; key: string }) =>
  db
    .selectFrom('chats')
    .select(['id', 'title', 'customer_id'])
    .where('platform', '=', chat.platform)
    .where('workspace', '=', chat.workspace)
    .where('external_key', '=', chat.key),
);
