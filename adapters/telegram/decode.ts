import type { ChatRef, InboundEvent, MessageEvent, PersonRef } from '../../src/core/ports/events.ts';
import { parseJsonPayload, readPayload } from '../payload.ts';
import { telegramContent } from './content.ts';
import { attachmentField } from './media.ts';
import {
  type TgBotInfo,
  type TgChat,
  type TgChatMemberUpdated,
  type TgMessage,
  type TgUpdate,
  type TgUser,
  tgUpdateSchema,
} from './types.ts';

/** Telegram user ids are global, so people are keyed without a workspace. */
export const PEOPLE_WORKSPACE = '';

const WHAT = 'Telegram update of an unexpected shape';

/**
 * `receivedAt` dates what Telegram sends undated (deletions). Every field read is checked first: an update with a
 * missing or wrong-typed one is refused whole (MalformedPayloadError), never read as `undefined`.
 */
export function decodeTelegram(payload: string, receivedAt: number, bot: TgBotInfo): InboundEvent[] {
  const update = readPayload(tgUpdateSchema, parseJsonPayload(payload, WHAT), WHAT);
  return decodeUpdate(update, receivedAt, bot);
}

function decodeUpdate(update: TgUpdate, receivedAt: number, bot: TgBotInfo): InboundEvent[] {
  const base = { platform: 'telegram' as const, workspace: bot.id };
  if (update.message) return decodeChatMessage(update.message, bot, undefined);
  if (update.edited_message)
    return decodeChatMessage(update.edited_message, bot, update.edited_message.edit_date);
  if (update.business_message) return decodeBusinessMessage(update.business_message, bot, undefined);
  if (update.edited_business_message) {
    const m = update.edited_business_message;
    return decodeBusinessMessage(m, bot, m.edit_date);
  }
  if (update.business_connection) {
    const c = update.business_connection;
    return [
      {
        ...base,
        kind: 'connection',
        occurredAt: c.date * 1000,
        connectionId: c.id,
        owner: person(c.user, 'brand'),
        ownerChatId: String(c.user_chat_id),
        enabled: c.is_enabled,
        canReply: c.rights?.can_reply ?? c.can_reply ?? false,
      },
    ];
  }
  if (update.deleted_business_messages) {
    const d = update.deleted_business_messages;
    return [
      {
        ...base,
        kind: 'messages_deleted',
        occurredAt: receivedAt,
        chat: businessChat(d.chat, d.business_connection_id),
        messageIds: d.message_ids.map(String),
      },
    ];
  }
  if (update.my_chat_member) return decodeBotMembership(update.my_chat_member, bot);
  return []; // other update kinds are acknowledged and ignored
}

/**
 * The bot's membership of a private chat: `kicked` is the user blocking the bot (it can no longer write to them),
 * `member` is them unblocking it or pressing Start again. Groups and other statuses say nothing about a person.
 */
function decodeBotMembership(u: TgChatMemberUpdated, bot: TgBotInfo): InboundEvent[] {
  if (u.chat.type !== 'private' || u.from.is_bot) return [];
  const status = u.new_chat_member.status;
  if (status !== 'kicked' && status !== 'member') return [];
  return [
    {
      platform: 'telegram',
      workspace: bot.id,
      kind: 'reachability',
      occurredAt: u.date * 1000,
      person: person(u.from),
      reachable: status === 'member',
    },
  ];
}

function decodeChatMessage(m: TgMessage, bot: TgBotInfo, editDate: number | undefined): MessageEvent[] {
  if (!m.from || m.from.is_bot || m.chat.type === 'channel') return [];
  const fields = messageFields(m, editDate);
  if (!fields) return [];
  const privateChat = m.chat.type === 'private';
  const chat: ChatRef = privateChat
    ? { key: String(m.chat.id), kind: 'private', platformChatId: String(m.chat.id), title: nameOf(m.chat) }
    : {
        key: String(m.chat.id),
        kind: 'group',
        platformChatId: String(m.chat.id),
        ...(m.chat.title ? { title: m.chat.title } : {}),
      };
  const commandText = privateChat ? fields.text : addressedToBot(m, fields.text, bot);
  const start = privateChat ? START.exec(fields.text.trim()) : null;
  return [
    {
      platform: 'telegram',
      workspace: bot.id,
      kind: 'message',
      chat,
      sender: person(m.from),
      ...fields,
      ...(commandText !== undefined ? { botCommandText: commandText } : {}),
      ...(start ? { arrival: { code: start[1] ?? null } } : {}),
    },
  ];
}

/** `/start` with its deep-link payload, if any: the first thing a customer sends after opening `t.me/<bot>?start=…`. */
const START = /^\/start(?:@[A-Za-z0-9_]+)?(?:\s+(\S+))?\s*$/;

function decodeBusinessMessage(m: TgMessage, bot: TgBotInfo, editDate: number | undefined): MessageEvent[] {
  if (!m.business_connection_id || !m.from) return [];
  const fields = messageFields(m, editDate);
  if (!fields) return [];
  // In a business chat the chat id is the customer; anything written by someone else is the owner's side.
  const fromCustomer = m.from.id === m.chat.id && !m.sender_business_bot;
  return [
    {
      platform: 'telegram',
      workspace: bot.id,
      kind: 'message',
      chat: businessChat(m.chat, m.business_connection_id),
      sender: person(m.from, fromCustomer ? 'customer' : 'brand'),
      ...fields,
    },
  ];
}

function messageFields(m: TgMessage, editDate: number | undefined) {
  const text = m.text ?? m.caption ?? '';
  const { contentType, content } = telegramContent(m);
  if (!content && contentType === 'other' && !text) return null; // service messages: joins, pins, title changes
  const sharedPhone =
    m.contact && m.from && m.contact.user_id === m.from.id ? m.contact.phone_number : undefined;
  const topic = topicOf(m);
  const replyTo = repliedTo(m);
  return {
    messageId: String(m.message_id),
    occurredAt: m.date * 1000,
    text,
    contentType,
    ...(content ? { content } : {}),
    ...(replyTo ? { replyToMessageId: String(replyTo.message_id) } : {}),
    ...(topic !== undefined ? { threadId: String(topic) } : {}),
    ...(sharedPhone ? { sharedPhone } : {}),
    ...(editDate !== undefined ? { editedAt: editDate * 1000 } : {}),
    ...attachmentField(m),
  };
}

/** In a group, a message is for the bot when it is a command to it, mentions it, or replies to it. */
function addressedToBot(m: TgMessage, text: string, bot: TgBotInfo): string | undefined {
  const command = /^\/[A-Za-z0-9_]+(?:@([A-Za-z0-9_]+))?/.exec(text);
  const ours = (name: string) => bot.username !== null && name.toLowerCase() === bot.username.toLowerCase();
  if (command) {
    const target = command[1];
    if (target === undefined) return text;
    return ours(target) ? text.replace(`@${target}`, '') : undefined;
  }
  if (bot.username && new RegExp(`@${bot.username}\\b`, 'i').test(text)) {
    return text.replace(new RegExp(`@${bot.username}\\b`, 'gi'), '').trim();
  }
  const replyTo = repliedTo(m);
  if (replyTo?.from && String(replyTo.from.id) === bot.id) return text;
  return undefined;
}

/** The forum topic a message was written in; other messages' `message_thread_id` is a reply thread. */
const topicOf = (m: TgMessage): number | undefined => (m.is_topic_message ? m.message_thread_id : undefined);

/**
 * The message it answers. In a forum topic, a message answering nothing carries the topic's opening (whoever
 * opened it, the bot included) as its `reply_to_message`: not a reply.
 */
function repliedTo(m: TgMessage): TgMessage['reply_to_message'] {
  const opening = topicOf(m);
  return m.reply_to_message && m.reply_to_message.message_id !== opening ? m.reply_to_message : undefined;
}

function businessChat(chat: TgChat, connectionId: string): ChatRef {
  return {
    key: `business:${connectionId}:${chat.id}`,
    kind: 'business',
    platformChatId: String(chat.id),
    title: nameOf(chat),
    connectionId,
  };
}

function person(u: TgUser, side?: PersonRef['side']): PersonRef {
  return {
    externalId: String(u.id),
    workspace: PEOPLE_WORKSPACE,
    displayName: nameOf(u),
    ...(u.username ? { username: u.username } : {}),
    ...(u.language_code ? { language: u.language_code } : {}),
    ...(side ? { side } : {}),
  };
}

const nameOf = (p: { first_name?: string; last_name?: string; username?: string; id: number }): string =>
  [p.first_name, p.last_name].filter(Boolean).join(' ') || p.username || String(p.id);
