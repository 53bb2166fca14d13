import { createHash } from 'node:crypto';
import type { Client } from '@larksuiteoapi/node-sdk';
import type { OutboundMessage, RateLimit, SendResult } from '../../src/core/outbound.ts';
import type { Clock } from '../../src/core/runtime.ts';
import { splitText } from '../../src/lib/split-text.ts';
import { renderCard } from './card.ts';
import { customBotSign } from './crypto.ts';
import { type FeishuCall, feishuFailure } from './errors.ts';

const TEXT_LIMIT_BYTES = 100 * 1024;
const ROBOT_LIMIT_BYTES = 20 * 1024;
const bytes = (s: string) => new TextEncoder().encode(s).length;

/** Feishu drops nothing twice for the same uuid within an hour: one per intended send (and part). */
const uuidOf = (key: string, part: number) =>
  createHash('sha256').update(`${key}#${part}`).digest('hex').slice(0, 40);

interface MessageBody {
  msg_type: string;
  content: string;
}

/**
 * A reply in the thread of the message it answers, a new message in a chat, a card updated in place, or a custom
 * bot webhook post (signed). Cards go as cards when they fit Feishu's 30 KB, otherwise as text.
 */
export async function sendFeishu(
  client: Client,
  call: FeishuCall,
  clock: Clock,
  message: OutboundMessage,
  signal?: AbortSignal,
): Promise<SendResult> {
  const { target, content } = message;
  const card = content.card && target.kind === 'chat' ? renderCard(content.card) : null;
  try {
    if (target.kind === 'robot')
      return await postToBot(target.webhook, target.secret, content, clock, signal);
    if (target.editMessageId) {
      if (!card) return { ok: false, retryable: false, error: 'only cards can be updated in place' };
      await call(() =>
        client.im.message.patch({
          path: { message_id: target.editMessageId as string },
          data: { content: card },
        }),
      );
      return { ok: true, platformMessageId: target.editMessageId };
    }
    const bodies: MessageBody[] = card
      ? [{ msg_type: 'interactive', content: card }]
      : splitText(content.text, TEXT_LIMIT_BYTES, bytes).map((text) => ({
          msg_type: 'text',
          content: JSON.stringify({ text }),
        }));
    let lastId: string | undefined;
    for (const [part, body] of bodies.entries()) {
      const data = { ...body, uuid: uuidOf(message.idempotencyKey, part) };
      const r = target.replyToMessageId
        ? await call(() =>
            client.im.message.reply({ path: { message_id: target.replyToMessageId as string }, data }),
          )
        : await call(() =>
            client.im.message.create({
              params: { receive_id_type: receiveIdType(target.chatId) },
              data: { ...data, receive_id: target.chatId },
            }),
          );
      lastId = r.data?.message_id ?? lastId;
    }
    return { ok: true, ...(lastId ? { platformMessageId: lastId } : {}) };
  } catch (error) {
    return feishuFailure(error);
  }
}

async function postToBot(
  webhook: string,
  secret: string | undefined,
  content: OutboundMessage['content'],
  clock: Clock,
  signal?: AbortSignal,
): Promise<SendResult> {
  const timestamp = String(Math.floor(clock.now() / 1000));
  const signature = secret ? { timestamp, sign: customBotSign(timestamp, secret) } : {};
  // A custom bot takes 20 KB: the card shrinks to fit (sections dropped), else the text goes.
  const card = content.card ? renderCard(content.card, ROBOT_LIMIT_BYTES - 512) : null;
  const body = JSON.stringify(
    card
      ? { ...signature, msg_type: 'interactive', card: JSON.parse(card) }
      : { ...signature, msg_type: 'text', content: { text: content.text } },
  );
  if (bytes(body) > ROBOT_LIMIT_BYTES)
    return { ok: false, retryable: false, error: 'message over the custom bot 20 KB limit' };
  const res = await fetch(webhook, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    ...(signal ? { signal } : {}),
  });
  if (res.status >= 500 || res.status === 429)
    return { ok: false, retryable: true, error: `custom bot: HTTP ${res.status}` };
  const answer = (await res.json().catch(() => ({}))) as { code?: number; StatusCode?: number; msg?: string };
  const code = answer.code ?? answer.StatusCode ?? 0;
  if (code === 0) return { ok: true };
  return { ok: false, retryable: code === BOT_FREQUENCY_LIMITED, error: `custom bot: code ${code}` };
}

/** Custom bot answer when more than 5 a second or 100 a minute arrive. */
const BOT_FREQUENCY_LIMITED = 11232;

/** Feishu ids say what they are: a chat (oc_) or a person (ou_ open_id, on_ union_id) written to privately. */
function receiveIdType(id: string): 'chat_id' | 'open_id' | 'union_id' {
  return id.startsWith('ou_') ? 'open_id' : id.startsWith('on_') ? 'union_id' : 'chat_id';
}

/** 5 messages a second per chat, 50 per app (Feishu); custom bots take 5 a second and 100 a minute. */
export function feishuRateLimits({ target }: OutboundMessage): RateLimit[] {
  if (target.kind === 'robot')
    return [
      { limit: 5, windowMs: 1_000 },
      { limit: 100, windowMs: 60_000 },
    ];
  return [
    { limit: 5, windowMs: 1_000 },
    { limit: 50, windowMs: 1_000, scope: 'app' },
  ];
}
