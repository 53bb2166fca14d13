import type { ContentType, InboundEvent, MessageEvent, PersonRef } from '../../src/core/ports/events.ts';
import { parseJsonPayload, readPayload } from '../payload.ts';
import {
  type FeishuMessageEvent,
  type FeishuUserId,
  feishuAppMessageSchema,
  feishuCardActionSchema,
  feishuEnvelopeSchema,
  feishuMessageSchema,
} from './types.ts';

export interface FeishuSelf {
  appId: string;
  /** The bot's own open_id (from bot/v3/info): its @mention makes a group message a command. */
  botOpenId: string | null;
}

const WHAT = 'Feishu event of an unexpected shape';

/**
 * A stored event to Liaison events. People are keyed by open_id (per app); a sender of the app's own tenant is
 * the brand's (staff), anyone else a customer. Every field read is checked first: an event with a missing or
 * wrong-typed one is refused whole (MalformedPayloadError), never read as `undefined`.
 */
export function decodeFeishu(payload: string, self: FeishuSelf): InboundEvent[] {
  const raw = parseJsonPayload(payload, WHAT);
  const { header } = readPayload(feishuEnvelopeSchema, raw, WHAT);
  const tenant = header?.tenant_key;
  const base = {
    platform: 'feishu' as const,
    workspace: self.appId,
    occurredAt: Number(header?.create_time ?? 0),
  };
  switch (header?.event_type) {
    case 'im.message.receive_v1': {
      if (feishuAppMessageSchema.safeParse(raw).success) return []; // the app's own messages
      const { event } = readPayload(feishuMessageSchema, raw, WHAT);
      return [{ ...base, ...decodeMessage(event, tenant, self) }];
    }
    case 'card.action.trigger': {
      const e = readPayload(feishuCardActionSchema, raw, WHAT);
      const c = e.event;
      if (!c.action?.value) return [];
      return [
        {
          ...base,
          kind: 'card_action',
          actor: person(c.operator, self.appId, c.operator.tenant_key === tenant ? 'brand' : 'customer'),
          value: buttonValue(c.action.value),
          clickId: e.header.event_id,
          ...(c.context?.open_message_id ? { messageId: c.context.open_message_id } : {}),
          ...(c.context?.open_chat_id ? { chatId: c.context.open_chat_id } : {}),
        },
      ];
    }
    default:
      return []; // bot added to a chat, message read…: acknowledged and ignored
  }
}

function decodeMessage(
  ev: FeishuMessageEvent,
  tenant: string | undefined,
  self: FeishuSelf,
): Omit<MessageEvent, 'platform' | 'workspace'> {
  const m = ev.message;
  const parsed = parseContent(m.content);
  const mentions = m.mentions ?? [];
  const toBot = mentions.some((x) => self.botOpenId !== null && x.id?.open_id === self.botOpenId);
  // Placeholders (@_user_1) become names; the bot's own mention is dropped from what the command parser sees.
  const withNames = (text: string, dropBot: boolean) =>
    mentions.reduce((t, x) => {
      const isBot = self.botOpenId !== null && x.id?.open_id === self.botOpenId;
      return t.split(x.key).join(dropBot && isBot ? '' : `@${x.name ?? ''}`);
    }, text);
  const text = withNames(textOf(m.message_type, parsed), false);
  const privateChat = m.chat_type === 'p2p';
  const commandText = withNames(textOf(m.message_type, parsed), true).trim();
  const attachment = attachmentOf(m.message_type, parsed);
  return {
    kind: 'message',
    chat: { key: m.chat_id, kind: privateChat ? 'private' : 'group', platformChatId: m.chat_id },
    sender: person(ev.sender.sender_id, self.appId, ev.sender.tenant_key === tenant ? 'brand' : 'customer'),
    messageId: m.message_id,
    occurredAt: Number(m.create_time),
    text,
    contentType: contentTypeOf(m.message_type),
    ...(m.parent_id ? { replyToMessageId: m.parent_id } : {}),
    ...(attachment ? { attachment } : {}),
    ...(m.message_type === 'text' || m.message_type === 'post'
      ? privateChat || toBot
        ? { botCommandText: commandText }
        : {}
      : {}),
  };
}

function person(id: FeishuUserId, appId: string, side: PersonRef['side']): PersonRef {
  return {
    externalId: id.open_id,
    workspace: appId,
    side,
    ...(id.union_id ? { unionId: id.union_id } : {}),
    ...(id.user_id ? { otherIds: { user_id: id.user_id } } : {}),
  };
}

/** Liaison's buttons carry strings and numbers only; anything else in a value is dropped, never read. */
function buttonValue(value: unknown): Record<string, string | number> {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => typeof v === 'string' || typeof v === 'number'),
  ) as Record<string, string | number>;
}

function parseContent(content: string): Record<string, unknown> {
  try {
    const v = JSON.parse(content) as unknown;
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Text as a person would read it; rich text (post) flattened paragraph by paragraph. Non-text parts read as ''. */
function textOf(type: string, c: Record<string, unknown>): string {
  if (type === 'text') return str(c.text);
  if (type !== 'post') return '';
  const post = (c.content ? c : (Object.values(c)[0] ?? {})) as { title?: unknown; content?: unknown };
  const paragraphs = Array.isArray(post.content) ? post.content : [];
  const lines = paragraphs.map((para) =>
    (Array.isArray(para) ? para : [])
      .map((el) => {
        const x = (typeof el === 'object' && el !== null ? el : {}) as Record<string, unknown>;
        if (x.tag === 'at') return `@${str(x.user_name) || str(x.user_id)}`;
        if (x.tag === 'a') return str(x.text) || str(x.href);
        return str(x.text);
      })
      .join(''),
  );
  return [str(post.title), ...lines].filter((l) => l !== '').join('\n');
}

/** Content is JSON inside the event, unchecked by the event's schema: only strings are read as text. */
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function attachmentOf(type: string, c: Record<string, unknown>) {
  if (type === 'image' && typeof c.image_key === 'string') return { type: 'image', key: c.image_key };
  if ((type === 'file' || type === 'audio' || type === 'media') && typeof c.file_key === 'string') {
    return { type, key: c.file_key, ...(typeof c.file_name === 'string' ? { name: c.file_name } : {}) };
  }
  return undefined;
}

function contentTypeOf(type: string): ContentType {
  const types: Record<string, ContentType> = {
    text: 'text',
    post: 'text',
    image: 'image',
    file: 'file',
    audio: 'audio',
    media: 'video',
    sticker: 'sticker',
    location: 'location',
  };
  return types[type] ?? 'other';
}
