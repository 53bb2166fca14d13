import { type Telegram, TelegramError } from 'telegraf';
import type {
  ChatTarget,
  OutboundContent,
  OutboundMessage,
  RateLimit,
  ReplyWindow,
  SendResult,
} from '../../src/core/ports/outbound.ts';
import { splitText } from '../../src/lib/split-text.ts';
import { PEOPLE_WORKSPACE } from './decode.ts';

const MAX_TEXT = 4096;
/** sendPhoto takes photos up to 10 MB uploaded as multipart/form-data. */
const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

type CallApi = (method: string, payload: object, options?: { signal?: AbortSignal }) => Promise<unknown>;
type Failure = Extract<SendResult, { ok: false }>;

/**
 * Sends plain text (no parse_mode, so customer names need no escaping), split at Telegram's 4096-character limit,
 * then the picture (a digest chart) with sendPhoto. When a later part fails, the result carries the unsent remainder
 * so a retry does not repeat the parts delivered.
 */
export async function sendTelegram(
  telegram: Telegram,
  message: OutboundMessage,
  signal?: AbortSignal,
): Promise<SendResult> {
  const call = telegram.callApi.bind(telegram) as unknown as CallApi;
  const { target, content } = message;
  if (target.kind !== 'chat')
    return { ok: false, retryable: false, error: `Telegram has no ${target.kind} targets` };
  // Empty text is what is left when only the picture remains to be sent (a retry after the text went).
  const parts = content.text ? splitText(content.text, MAX_TEXT) : [];
  const connection = target.connectionId ? { business_connection_id: target.connectionId } : {};
  const topic = target.threadId ? { message_thread_id: Number(target.threadId) } : {};
  const replyTo = target.replyToMessageId
    ? { message_id: Number(target.replyToMessageId), allow_sending_without_reply: true }
    : undefined;
  const options = signal ? { signal } : {};
  if (content.copyOf) {
    // Bot API copies carry no business_connection_id: a Business chat gets attachments from its owner's own app.
    if (target.connectionId)
      return { ok: false, retryable: false, error: 'Telegram cannot copy a message into a Business chat' };
    try {
      const copied = (await call(
        'copyMessage',
        {
          chat_id: target.chatId,
          from_chat_id: content.copyOf.chatId,
          message_id: Number(content.copyOf.messageId),
          ...topic,
          ...(content.copyOf.dropCaption ? { caption: '' } : {}),
          ...(replyTo ? { reply_parameters: replyTo } : {}),
        },
        options,
      )) as { message_id?: number };
      return {
        ok: true,
        ...(copied?.message_id !== undefined ? { platformMessageId: String(copied.message_id) } : {}),
      };
    } catch (error) {
      return describeFailure(error);
    }
  }
  const keyboard = pageButtons(content, target);
  let lastId: string | undefined;
  for (const [index, text] of parts.entries()) {
    try {
      const sent = (await call(
        'sendMessage',
        {
          chat_id: target.chatId,
          text,
          link_preview_options: { is_disabled: true },
          ...connection,
          ...topic,
          ...(replyTo && index === 0 ? { reply_parameters: replyTo } : {}),
          ...(keyboard && index === parts.length - 1 ? { reply_markup: keyboard } : {}),
        },
        options,
      )) as { message_id?: number };
      if (sent?.message_id !== undefined) lastId = String(sent.message_id);
    } catch (error) {
      const failure = describeFailure(error);
      return index === 0
        ? failure
        : { ...failure, remaining: { ...unsentImage(content), text: parts.slice(index).join('\n') } };
    }
  }
  if (content.image) {
    const photo = Buffer.from(content.image.base64, 'base64');
    const sentText = parts.length > 0 ? ': the text was sent' : '';
    if (photo.length === 0) return { ok: false, retryable: false, error: `image is empty${sentText}` };
    if (photo.length > MAX_PHOTO_BYTES)
      return { ok: false, retryable: false, error: `image over 10 MB${sentText}` };
    try {
      const sent = (await call(
        'sendPhoto',
        {
          chat_id: target.chatId,
          // An InputFile: telegraf uploads it as multipart/form-data to the configured API root.
          photo: { source: photo, filename: isJpeg(photo) ? 'chart.jpg' : 'chart.png' },
          ...connection,
          ...topic,
          // In a multipart request telegraf only serialises InputFiles and a few known fields: send JSON text.
          ...(replyTo && parts.length === 0 ? { reply_parameters: JSON.stringify(replyTo) } : {}),
        },
        options,
      )) as { message_id?: number };
      if (sent?.message_id !== undefined) lastId = String(sent.message_id);
    } catch (error) {
      const failure = describeFailure(error);
      // The text went: a retry sends the picture alone.
      return parts.length === 0 || !failure.retryable
        ? failure
        : { ...failure, remaining: { text: '', image: content.image } };
    }
  }
  return { ok: true, ...(lastId ? { platformMessageId: lastId } : {}) };
}

/**
 * The message's page buttons as Mini App buttons (`web_app`, https only), under the message's last part. Telegram takes
 * them in private chats only; the Mini App it opens signs in with its initData.
 */
function pageButtons(content: OutboundContent, target: ChatTarget) {
  if (target.chatKind !== 'private' || target.connectionId) return null;
  const pages = (content.pages ?? []).filter((p) => p.url.startsWith('https://'));
  if (pages.length === 0) return null;
  return { inline_keyboard: pages.map((p) => [{ text: p.label, web_app: { url: p.url } }]) };
}

const unsentImage = (content: OutboundContent) => (content.image ? { image: content.image } : {});
const isJpeg = (bytes: Buffer) => bytes[0] === 0xff && bytes[1] === 0xd8;

/** A failed Bot API call as a send result: 429 waits as Telegram asks, 5xx and network failures are retried. */
export function describeFailure(error: unknown): Failure {
  if (error instanceof TelegramError) {
    const code = error.code;
    if (code === 429) {
      const seconds = Number(error.parameters?.retry_after ?? 1);
      return { ok: false, retryable: true, retryAfterMs: seconds * 1000, error: `429 ${error.description}` };
    }
    return { ok: false, retryable: code >= 500, error: `${code} ${error.description}` };
  }
  // Network failures, timeouts, unreadable answers: the platform may recover.
  return { ok: false, retryable: true, error: error instanceof Error ? error.message : String(error) };
}

/** copyMessage reaches chats the bot writes in itself; Bot API copies carry no business connection. */
export const telegramCopiesTo = (target: OutboundMessage['target']): boolean =>
  target.kind === 'chat' && !target.connectionId;

/** Telegram Business: the bot writes for the account only within 24 h of the customer's last message (`can_reply`). */
export function telegramReplyWindow({ target }: OutboundMessage): ReplyWindow | null {
  return target.kind === 'chat' && target.chatKind === 'business'
    ? { withinMs: 24 * 3_600_000, maxReplies: Number.POSITIVE_INFINITY }
    : null;
}

/** About 30 messages a second per bot and 20 a minute per group (Telegram); kept under both, with a margin. */
export function telegramRateLimits({ target }: OutboundMessage): RateLimit[] {
  if (target.kind !== 'chat') return [];
  return [
    { limit: 25, windowMs: 1_000, scope: 'app' },
    ...(target.chatKind === 'group' ? [{ limit: 19, windowMs: 60_000 }] : []),
  ];
}

/** How the Bot API refuses a message to a user who blocked the bot (403, "Forbidden: bot was blocked by the user"). */
const BLOCKED = /^403 .*blocked by the user/i;

/**
 * A send to a private chat refused because the user blocked the bot tells the core that user is unreachable, as the
 * `my_chat_member` update does (which Telegram may not have delivered yet, or at all for an older block).
 */
export function noticeBlocked(result: SendResult, message: OutboundMessage, now = Date.now()): SendResult {
  const { target } = message;
  if (result.ok || target.kind !== 'chat' || target.chatKind !== 'private' || !BLOCKED.test(result.error))
    return result;
  return {
    ...result,
    events: [
      {
        platform: 'telegram',
        workspace: message.workspace,
        kind: 'reachability',
        occurredAt: now,
        person: { externalId: target.chatId, workspace: PEOPLE_WORKSPACE },
        reachable: false,
      },
    ],
  };
}
