import type { Kysely } from 'kysely';
import type { Database, Platform } from '../../../../db/schema.ts';

/** A chat as the routes see it: its platform, kind and the platform's id of it. */
interface ChatRef {
  platform: Platform;
  kind: string;
  platform_chat_id: string;
}

/**
 * The one-to-one chats with the bot that no longer reach a customer: the platform said the person blocked the bot
 * (`identities.unreachable_at`). Such a chat's id is the person's id on the platform (a Telegram private chat).
 * Returns a test for a chat of this customer.
 */
export async function unreachableChats(
  db: Kysely<Database>,
  customerId: number,
): Promise<(chat: ChatRef) => boolean> {
  const rows = await db
    .selectFrom('identities')
    .select(['platform', 'external_id'])
    .where('customer_id', '=', customerId)
    .where('unreachable_at', 'is not', null)
    .execute();
  const blocked = new Set(rows.map((r) => `${r.platform}:${r.external_id}`));
  return (chat) => chat.kind === 'private' && blocked.has(`${chat.platform}:${chat.platform_chat_id}`);
}
