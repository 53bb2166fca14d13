import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { storeWebMessage } from '../../db/web-messages.ts';
import type { OutboundMessage, SendResult } from '../../src/core/ports/outbound.ts';
import type { WebDelivery } from './types.ts';

/** A chart beyond this is not a digest chart; the page would choke on it. */
const MAX_IMAGE_BASE64 = 8 * 1024 * 1024;

/**
 * Delivers to a web chat by storing the message where the page reads it. The content is stored as data (text, card
 * model, picture), never as markup: the page builds it with text nodes, so nothing a customer wrote can run.
 * Stored once per idempotency key; the message id is the key the page shows it under (a redraw keeps the card's).
 */
export async function sendWeb(
  db: Kysely<Database>,
  workspace: string,
  now: number,
  message: OutboundMessage,
): Promise<SendResult> {
  const delivery = deliveryOf(message);
  if ('error' in delivery) return { ok: false, retryable: false, error: delivery.error };
  try {
    await storeWebMessage(db, {
      idempotency_key: message.idempotencyKey,
      workspace,
      chat_id: delivery.chatId,
      message_key: delivery.messageKey,
      reply_to: delivery.replyTo,
      text: delivery.text,
      card: delivery.card,
      image: delivery.image,
      created_at: now,
    });
  } catch (error) {
    // The database is the web chat's platform: when it fails, the outbox tries again later.
    return { ok: false, retryable: true, error: error instanceof Error ? error.message : String(error) };
  }
  return { ok: true, platformMessageId: delivery.messageKey };
}

function deliveryOf(message: OutboundMessage): WebDelivery | { error: string } {
  const { target, content } = message;
  if (target.kind !== 'chat') return { error: `the web channel has no ${target.kind} targets` };
  if (content.image && content.image.base64.length > MAX_IMAGE_BASE64) return { error: 'image over 6 MB' };
  return {
    chatId: target.chatId,
    messageKey: target.editMessageId ?? message.idempotencyKey,
    replyTo: target.replyToMessageId ?? null,
    text: content.text,
    card: content.card ? JSON.stringify(content.card) : null,
    image: content.image?.base64 ?? null,
  };
}
