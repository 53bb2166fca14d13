import { createHash } from 'node:crypto';
import type { Client } from '@larksuiteoapi/node-sdk';
import type { Clock } from '../../src/core/ports/clock.ts';
import type { OutboundMessage, RateLimit, SendResult } from '../../src/core/ports/outbound.ts';
import { splitText } from '../../src/lib/split-text.ts';
import type { RobotUrlVerdict } from '../robot-urls.ts';
import { customBotSign, type FeishuCall, FeishuError, feishuFailure } from './api.ts';
import { CARD_LIMIT_BYTES, escapeFeishuText, renderCard } from './render.ts';

const TEXT_LIMIT_BYTES = 100 * 1024;
const ROBOT_LIMIT_BYTES = 20 * 1024;
const IMAGE_LIMIT_BYTES = 10 * 1024 * 1024;
const bytes = (s: string) => new TextEncoder().encode(s).length;

/** Feishu drops nothing twice for the same uuid within an hour: one per intended send (and part). */
const uuidOf = (key: string, part: number | string) =>
  createHash('sha256').update(`${key}#${part}`).digest('hex').slice(0, 40);

interface MessageBody {
  msg_type: string;
  content: string;
  uuid: string;
}

/**
 * A reply in the thread of the message it answers, a new message in a chat, a card updated in place, or a custom
 * bot webhook post (signed). Cards go as cards when they fit Feishu's 30 KB, otherwise as text. A picture (a digest
 * chart) is uploaded first: a card shows it below its text, otherwise an image message follows the text.
 */
export async function sendFeishu(
  client: Client,
  call: FeishuCall,
  clock: Clock,
  checkBot: (webhook: string) => Promise<RobotUrlVerdict>,
  message: OutboundMessage,
  signal?: AbortSignal,
): Promise<SendResult> {
  const { target, content } = message;
  // A custom bot has no app token to upload a picture with (and takes no image_key of ours): text or card only.
  if (target.kind === 'robot') {
    try {
      const checked = await checkBot(target.webhook);
      // Checked again at send time: the row may predate the check, or the allow-list may have changed since.
      if (!checked.ok || !checked.url)
        return {
          ok: false,
          retryable: !checked.ok && checked.transient === true,
          error: `custom bot webhook refused: ${checked.ok ? 'not a URL' : checked.reason}`,
        };
      return await postToBot(checked.url, target.secret, content, clock, signal);
    } catch (error) {
      return feishuFailure(error);
    }
  }
  // A failed upload worth retrying sends nothing, so the retry sends the text once; one Feishu will never take
  // (too large, not an image) leaves the text to go alone, reported after it.
  let imageKey: string | undefined;
  let imageRefused: string | undefined;
  if (content.image) {
    try {
      imageKey = await uploadImage(client, call, Buffer.from(content.image.base64, 'base64'));
    } catch (error) {
      const failed = feishuFailure(error);
      if (failed.retryable) return failed;
      imageRefused = failed.error;
    }
  }
  const card = content.card ? renderCard(content.card, CARD_LIMIT_BYTES, imageKey) : null;
  if (target.editMessageId) {
    if (!card) return { ok: false, retryable: false, error: 'only cards can be updated in place' };
    try {
      await call(() =>
        client.im.message.patch({
          path: { message_id: target.editMessageId as string },
          data: { content: card },
        }),
      );
    } catch (error) {
      return feishuFailure(error);
    }
    return imageRefused
      ? { ok: false, retryable: false, error: `image refused, the card was updated: ${imageRefused}` }
      : { ok: true, platformMessageId: target.editMessageId };
  }
  const texts = content.text ? splitText(escapeFeishuText(content.text), TEXT_LIMIT_BYTES, bytes) : [];
  const bodies: MessageBody[] = card
    ? [{ msg_type: 'interactive', content: card, uuid: uuidOf(message.idempotencyKey, 0) }]
    : [
        ...texts.map((text, part) => ({
          msg_type: 'text',
          content: JSON.stringify({ text }),
          uuid: uuidOf(message.idempotencyKey, part),
        })),
        // Its own uuid: a retry that sends the picture alone must not match the first text part's.
        ...(imageKey
          ? [
              {
                msg_type: 'image',
                content: JSON.stringify({ image_key: imageKey }),
                uuid: uuidOf(message.idempotencyKey, 'image'),
              },
            ]
          : []),
      ];
  let lastId: string | undefined;
  for (const [part, data] of bodies.entries()) {
    try {
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
    } catch (error) {
      const failed = feishuFailure(error);
      // The text went (each part once, by uuid): a retry uploads and sends the picture alone.
      return data.msg_type === 'image' && part > 0 && failed.retryable && content.image
        ? { ...failed, remaining: { text: '', image: content.image } }
        : failed;
    }
  }
  if (imageRefused)
    return { ok: false, retryable: false, error: `image refused, the text was sent: ${imageRefused}` };
  return { ok: true, ...(lastId ? { platformMessageId: lastId } : {}) };
}

/** im/v1/images takes pictures up to 10 MB, none empty; `image_type: 'message'` keys go into messages and cards. */
async function uploadImage(client: Client, call: FeishuCall, image: Buffer): Promise<string> {
  if (image.length === 0 || image.length > IMAGE_LIMIT_BYTES)
    throw new FeishuError(0, 400, image.length === 0 ? 'image is empty' : 'image over 10 MB');
  // The SDK answers only `data` of an upload (null when Feishu answered a code on HTTP 200).
  const answer = await call<{ code?: number; msg?: string; image_key?: string }>(
    async () => (await client.im.v1.image.create({ data: { image_type: 'message', image } })) ?? {},
  );
  if (!answer.image_key) throw new FeishuError(0, 0, 'image upload answered without an image_key');
  return answer.image_key;
}

async function postToBot(
  webhook: URL,
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
      : { ...signature, msg_type: 'text', content: { text: escapeFeishuText(content.text) } },
  );
  if (bytes(body) > ROBOT_LIMIT_BYTES)
    return { ok: false, retryable: false, error: 'message over the custom bot 20 KB limit' };
  const res = await fetch(webhook, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    // A redirect could lead anywhere (a private address): never followed.
    redirect: 'manual',
    ...(signal ? { signal } : {}),
  });
  if (res.status >= 300 && res.status < 400) {
    await res.body?.cancel();
    return { ok: false, retryable: false, error: `custom bot: HTTP ${res.status}, redirect not followed` };
  }
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
