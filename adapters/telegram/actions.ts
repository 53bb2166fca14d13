import type { PlatformAction, SendResult } from '../../src/core/ports/outbound.ts';
import { createTelegramTopic } from './topics.ts';

type Call = (method: string, payload: object) => Promise<unknown>;

/**
 * Platform actions the outbox hands over. Telegram has one: `create_topic` (topics.ts); tag mirroring, transfers,
 * mass sends and the rest are WeCom's, refused here for good.
 */
export async function performTelegram(call: Call, action: PlatformAction): Promise<SendResult> {
  if (action.type === 'create_topic') return createTelegramTopic(call, action);
  return { ok: false, retryable: false, error: `Telegram cannot ${action.type}` };
}
