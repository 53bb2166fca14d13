import { createHash } from 'node:crypto';
import { MalformedPayloadError } from '../../src/core/ports/adapter.ts';
import type {
  OutboundMessage,
  RateLimit,
  RefusalCode,
  ReplyWindow,
  SendResult,
  TextSection,
} from '../../src/core/ports/outbound.ts';
import { splitText } from '../../src/lib/split-text.ts';
import { checkPayload } from '../payload.ts';
import { type WecomApi, WecomError } from './api.ts';
import { escapeWecomText, wecomMarkdownParts } from './render.ts';
import type { WecomConfig } from './types.ts';
import { sentAnswer } from './types.ts';

const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;
/** message/send, appchat/send and kf/send_msg text and app markdown: 2048 bytes; group robot markdown: 4096. */
const APP_LIMIT = 2048;
const ROBOT_MARKDOWN_LIMIT = 4096;
/** 微信客服 errcode for "5 messages sent, wait for the customer". */
const KF_QUOTA_ERRCODE = 95001;
const ROBOT_IMAGE_LIMIT = 2 * 1024 * 1024;
/** media/upload takes images (JPG, PNG) up to 10 MB. */
const APP_IMAGE_LIMIT = 10 * 1024 * 1024;

/**
 * Sends to a member (message/send), a customer-service chat (kf/send_msg), an app group chat (appchat/send) or a
 * group robot, split under WeCom's byte limits, then the picture if any. A later part's failure reports the unsent
 * remainder.
 */
export async function sendWecom(
  api: WecomApi,
  config: WecomConfig,
  message: OutboundMessage,
  signal?: AbortSignal,
): Promise<SendResult> {
  const { target, content } = message;
  const markdown = content.markdown !== undefined;
  const limit = target.kind === 'robot' && markdown ? ROBOT_MARKDOWN_LIMIT : APP_LIMIT;
  // 微信客服 text goes to the customer as the rep wrote it; members' clients read `<a>` tags in text.
  const text =
    target.kind === 'chat' && target.chatKind === 'service' ? content.text : escapeWecomText(content.text);
  const texts = text ? splitText(text, limit, utf8Bytes) : [];
  const parts: Array<{ content: string; rest?: TextSection[] }> = content.markdown
    ? wecomMarkdownParts(content.markdown, limit, utf8Bytes)
    : texts.map((part) => ({ content: part }));
  let lastId: string | undefined;
  for (const [index, part] of parts.entries()) {
    try {
      lastId = (await sendPart(api, config, message, part.content, markdown, signal)) ?? lastId;
    } catch (error) {
      const failed = asFailure(error);
      const image = content.image ? { image: content.image } : {};
      return index === 0 || !failed.retryable
        ? failed
        : {
            ...failed,
            remaining: part.rest
              ? { text: content.text, markdown: part.rest, ...image }
              : { text: texts.slice(index).join('\n'), ...image },
          };
    }
  }
  // 微信客服 answers count against the customer's 5-message window, and digests never go there: text only.
  const takesImage = target.kind === 'robot' || target.chatKind !== 'service';
  if (content.image && takesImage) {
    const image = Buffer.from(content.image.base64, 'base64');
    const [maxBytes, size] =
      target.kind === 'robot' ? [ROBOT_IMAGE_LIMIT, '2 MB'] : [APP_IMAGE_LIMIT, '10 MB'];
    const sentText = parts.length > 0 ? ': the text was sent' : '';
    if (image.length > maxBytes)
      return { ok: false, retryable: false, error: `image over ${size}${sentText}` };
    try {
      lastId = (await sendImage(api, config, message, image, signal)) ?? lastId;
    } catch (error) {
      const failed = asFailure(error);
      // The text went: a retry sends (uploads) the picture alone.
      return failed.retryable && parts.length > 0
        ? { ...failed, remaining: { text: '', image: content.image } }
        : failed;
    }
  }
  // An answered customer-service session is Liaison's to handle: WeCom would otherwise leave it unhandled.
  const take =
    target.kind === 'chat' && target.chatKind === 'service' && target.connectionId && parts.length > 0
      ? {
          followUps: [
            {
              action: {
                type: 'service_take' as const,
                accountId: target.connectionId,
                customerExternalId: target.chatId,
              },
              afterMs: 0,
            },
          ],
        }
      : {};
  return { ok: true, ...(lastId ? { platformMessageId: lastId } : {}), ...take };
}

async function sendPart(
  api: WecomApi,
  config: WecomConfig,
  { target }: OutboundMessage,
  part: string,
  markdown: boolean,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const payload = markdown
    ? { msgtype: 'markdown', markdown: { content: part } }
    : { msgtype: 'text', text: { content: part } };
  if (target.kind === 'robot') {
    await api.robot(target.webhook, payload, signal);
    return undefined;
  }
  if (target.chatKind === 'service') {
    if (!config.kfSecret) throw new WecomError(0, 'WECOM_KF_SECRET is not configured', false);
    const r = await api.call(config.kfSecret, '/cgi-bin/kf/send_msg', {
      body: {
        touser: target.chatId,
        open_kfid: target.connectionId,
        msgtype: 'text',
        text: { content: part },
      },
      ...(signal ? { signal } : {}),
    });
    return sentId(r);
  }
  if (target.chatKind === 'group') {
    await api.call(config.agentSecret, '/cgi-bin/appchat/send', {
      body: { chatid: target.chatId, ...payload },
      ...(signal ? { signal } : {}),
    });
    return undefined;
  }
  const r = await api.call(config.agentSecret, '/cgi-bin/message/send', {
    body: { touser: target.chatId, agentid: config.agentId, ...payload },
    ...(signal ? { signal } : {}),
  });
  return sentId(r);
}

/** The id WeCom gave a message it accepted; absent when it does not read (the message went out all the same). */
export function sentId(answer: unknown): string | undefined {
  const read = checkPayload(sentAnswer, answer);
  return read.ok ? read.value.msgid : undefined;
}

/**
 * A picture after the text: inline (base64 + md5) to a group robot; to a member or an app group chat, uploaded with
 * the app token (media/upload) and sent as an image message with its media_id.
 */
async function sendImage(
  api: WecomApi,
  config: WecomConfig,
  { target }: OutboundMessage,
  image: Buffer,
  signal?: AbortSignal,
): Promise<string | undefined> {
  if (target.kind === 'robot') {
    const md5 = createHash('md5').update(image).digest('hex');
    await api.robot(
      target.webhook,
      { msgtype: 'image', image: { base64: image.toString('base64'), md5 } },
      signal,
    );
    return undefined;
  }
  const jpeg = image[0] === 0xff && image[1] === 0xd8;
  const mediaId = await api.upload(
    config.agentSecret,
    'image',
    {
      filename: jpeg ? 'chart.jpg' : 'chart.png',
      contentType: jpeg ? 'image/jpeg' : 'image/png',
      bytes: image,
    },
    signal,
  );
  const payload = { msgtype: 'image', image: { media_id: mediaId } };
  const options = signal ? { signal } : {};
  if (target.chatKind === 'group') {
    await api.call(config.agentSecret, '/cgi-bin/appchat/send', {
      body: { chatid: target.chatId, ...payload },
      ...options,
    });
    return undefined;
  }
  const r = await api.call(config.agentSecret, '/cgi-bin/message/send', {
    body: { touser: target.chatId, agentid: config.agentId, ...payload },
    ...options,
  });
  return sentId(r);
}

/** 微信客服 refusals the core explains to the rep, by the reason it knows them under. */
const KF_REASONS: Record<number, RefusalCode> = {
  [KF_QUOTA_ERRCODE]: 'reply_window', // 5 messages per customer message
  95002: 'reply_window', // 48 h after the customer's last message
  95018: 'session_with_person', // a servicer owns the session in WeCom's client (or it ended)
  95013: 'session_ended',
  95014: 'not_servicer', // not a 接待人员 of the account, or not activated
  95019: 'not_servicer', // the servicer stopped receiving
};

export function asFailure(error: unknown): Extract<SendResult, { ok: false }> {
  if (error instanceof WecomError) {
    const code = KF_REASONS[error.code];
    if (code) return { ok: false, retryable: false, code, error: error.message };
    return { ok: false, retryable: error.retryable, error: error.message };
  }
  // An answer that does not read will not read on a retry either.
  if (error instanceof MalformedPayloadError) return { ok: false, retryable: false, error: error.message };
  return { ok: false, retryable: true, error: error instanceof Error ? error.message : String(error) };
}

/** WeCom silently drops more than 30 messages a minute (1000 an hour) to one member, and 20 a minute per robot. */
export function wecomRateLimits({ target }: OutboundMessage): RateLimit[] {
  if (target.kind === 'robot') return [{ limit: 19, windowMs: 60_000 }];
  if (target.chatKind === 'private' || target.chatKind === undefined) {
    return [
      { limit: 28, windowMs: 60_000 },
      { limit: 950, windowMs: 3_600_000 },
    ];
  }
  return [];
}

/** 微信客服: answers within 48 hours of the customer's last message, at most 5 until the customer writes again. */
export function wecomReplyWindow({ target }: OutboundMessage): ReplyWindow | null {
  return target.kind === 'chat' && target.chatKind === 'service'
    ? { withinMs: 48 * 3_600_000, maxReplies: 5 }
    : null;
}
