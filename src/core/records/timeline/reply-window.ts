import type { Kysely } from 'kysely';
import type { Database } from '../../../../db/schema.ts';
import type { ReplyWindow } from '../../ports/outbound.ts';

/** Whether the brand may still write in a chat under the platform's window: open, or why not. */
export type WindowState = 'open' | 'outside_window' | 'reply_limit';

/**
 * A chat's reply window now: open while the customer's last message is within `withinMs` and fewer than
 * `maxReplies` messages went out since it (WeChat Customer Service: 48 h, 5; Telegram Business: 24 h).
 */
export async function windowState(
  db: Kysely<Database>,
  chatId: number,
  window: ReplyWindow,
  now: number,
): Promise<WindowState> {
  const lastIn = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.max<number | null>('sent_at').as('at'))
    .where('chat_id', '=', chatId)
    .where('direction', '=', 'in')
    .executeTakeFirst();
  const since = lastIn?.at === null || lastIn?.at === undefined ? null : Number(lastIn.at);
  if (since === null || now - since > window.withinMs) return 'outside_window';
  if (!Number.isFinite(window.maxReplies)) return 'open';
  const replies = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('chat_id', '=', chatId)
    .where('direction', '=', 'out')
    .where('sent_at', '>=', since)
    .executeTakeFirst();
  return Number(replies?.n ?? 0) >= window.maxReplies ? 'reply_limit' : 'open';
}
