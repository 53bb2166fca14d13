import type { InboundEvent, MessageEvent, PersonRef } from '../../src/core/ports/events.ts';
import { parseJsonPayload, readPayload } from '../payload.ts';
import { contentTypeOf, type MentionWords, readBody } from './content.ts';
import {
  type FeishuMessageEvent,
  type FeishuUserId,
  feishuAppMessageSchema,
  feishuCardActionSchema,
  feishuEnvelopeSchema,
  feishuMessageSchema,
} from './types.ts';

export interface FeishuSelf extends MentionWords {
  appId: string;
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
  const mentions = m.mentions ?? [];
  const toBot = mentions.some((x) => self.botOpenId !== null && x.id?.open_id === self.botOpenId);
  const body = readBody(m.message_type, m.content, mentions, self);
  const privateChat = m.chat_type === 'p2p';
  return {
    kind: 'message',
    chat: { key: m.chat_id, kind: privateChat ? 'private' : 'group', platformChatId: m.chat_id },
    sender: person(ev.sender.sender_id, self.appId, ev.sender.tenant_key === tenant ? 'brand' : 'customer'),
    messageId: m.message_id,
    occurredAt: Number(m.create_time),
    text: body.text,
    contentType: contentTypeOf(m.message_type),
    ...(m.parent_id ? { replyToMessageId: m.parent_id } : {}),
    ...(body.attachment ? { attachment: body.attachment } : {}),
    ...(body.content ? { content: body.content } : {}),
    ...(body.commandText !== undefined && (privateChat || toBot) ? { botCommandText: body.commandText } : {}),
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
