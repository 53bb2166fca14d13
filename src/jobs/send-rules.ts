import type { Kysely } from 'kysely';
import type { Database, OutboxRow } from '../../db/schema.ts';
import type { PlatformAdapter } from '../core/ports/adapter.ts';
import type { OutboundMessage, SendResult } from '../core/ports/outbound.ts';
import { windowState } from '../core/records/timeline/reply-window.ts';
import { recentSends } from '../queue/outbox.ts';

/**
 * Holds a send back (as a rate-limited retry) while its target's budget is spent, e.g. WeCom silently drops more
 * than 30 messages a minute to one member. Counting confirmed sends in the outbox keeps the budget across instances.
 */
export async function checkPacing(
  db: Kysely<Database>,
  adapter: PlatformAdapter,
  message: OutboundMessage,
  row: OutboxRow,
  now: number,
): Promise<SendResult | null> {
  if (!row.target_key) return null;
  for (const limit of adapter.rateLimits?.(message) ?? []) {
    const scope =
      limit.scope === 'app'
        ? { platform: row.platform, workspace: row.workspace }
        : { targetKey: row.target_key };
    const { count, earliest } = await recentSends(db, scope, now - limit.windowMs);
    if (count >= limit.limit) {
      const waitMs = Math.max(1, (earliest ?? now) + limit.windowMs - now);
      return {
        ok: false,
        retryable: true,
        retryAfterMs: waitMs,
        error: `paced: ${count} sends in ${limit.windowMs} ms`,
      };
    }
  }
  return null;
}

/**
 * Refuses, for good, a message outside the platform's reply window (WeChat Customer Service: within 48 h of the
 * customer's last message, 5 messages at most), before the platform does.
 */
export async function checkReplyWindow(
  db: Kysely<Database>,
  adapter: PlatformAdapter,
  message: OutboundMessage,
  row: OutboxRow,
  now: number,
): Promise<SendResult | null> {
  const window = adapter.replyWindow?.(message);
  if (!window || row.chat_id === null) return null;
  const state = await windowState(db, row.chat_id, window, now);
  if (state === 'open') return null;
  return {
    ok: false,
    retryable: false,
    code: 'reply_window',
    error:
      state === 'outside_window'
        ? 'outside the reply window after the customer last wrote'
        : 'reply limit reached until the customer writes again',
  };
}
