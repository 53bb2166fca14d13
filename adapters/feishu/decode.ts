import type { ContentType, InboundEvent, MessageEvent, PersonRef } from '../../src/core/events.ts';
import type { FeishuCardActionEvent, FeishuEvent, FeishuMessageEvent, FeishuUserId } from './types.ts';

export interface FeishuSelf {
  appId: string;
  /** The bot's own open_id (from bot/v3/info): its @mention makes a group message a command. */
  botOpenId: string | null;
}

/**
 * A stored event to Liaison events. People are keyed by open_id (per app); a sender of the app's own tenant is
 * the brand's (staff), anyone else a customer.
 */
export function decodeFeishu(payload: string, self: FeishuSelf): InboundEvent[] {
  try {
    return decodeEvent(JSON.parse(payload) as FeishuEvent, self);
  } catch (error) {
    // A wrong type where Feishu promises an object (found by fuzzing) is refused whole, with a clear reason.
    if (error instanceof TypeError) throw new Error(`Feishu event of an unexpected shape: ${error.message}`);
    throw error;
  }
}

function decodeEvent(e: FeishuEvent, self: FeishuSelf): InboundEvent[] {
  const tenant = e.header?.tenant_key;
  const occurredAt = Number(e.header?.create_time ?? 0);
  const base = { platform: 'feishu' as const, workspace: self.appId, occurredAt };
  switch (e.header?.event_type) {
    case 'im.message.receive_v1': {
      const message = decodeMessage(e.event as FeishuMessageEvent, tenant, self);
      return message ? [{ ...base, ...message }] : [];
    }
    case 'card.action.trigger': {
      const c = e.event as FeishuCardActionEvent;
      if (typeof c.operator?.open_id !== 'string' || !c.operator.open_id || !c.action?.value) return [];
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
): Omit<MessageEvent, 'platform' | 'workspace'> | null {
  const m = ev.message;
  const senderId = ev.sender?.sender_id;
  if (!m || !senderId?.open_id || ev.sender?.sender_type === 'app') return null;
  if (
    typeof senderId.open_id !== 'string' ||
    typeof m.message_id !== 'string' ||
    typeof m.chat_id !== 'string' ||
    !Number.isFinite(Number(m.create_time))
  )
    throw new TypeError('message without a message_id, chat_id or create_time');
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
    sender: person(senderId, self.appId, ev.sender?.tenant_key === tenant ? 'brand' : 'customer'),
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
    externalId: id.open_id as string,
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

/** Text as a person would read it; rich text (post) flattened paragraph by paragraph. */
function textOf(type: string, c: Record<string, unknown>): string {
  if (type === 'text') return String(c.text ?? '');
  if (type !== 'post') return '';
  const post = (c.content ? c : (Object.values(c)[0] ?? {})) as { title?: string; content?: unknown[][] };
  const lines = (post.content ?? []).map((para) =>
    (Array.isArray(para) ? para : [])
      .map((el) => {
        const x = el as { tag?: string; text?: string; user_name?: string; user_id?: string; href?: string };
        if (x.tag === 'at') return `@${x.user_name ?? x.user_id ?? ''}`;
        if (x.tag === 'a') return x.text ?? x.href ?? '';
        return x.text ?? '';
      })
      .join(''),
  );
  return [post.title, ...lines].filter((l) => l !== undefined && l !== '').join('\n');
}

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
