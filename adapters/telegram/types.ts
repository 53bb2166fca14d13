import { z } from 'zod';
import { integer, textId } from '../payload.ts';

/** What the Telegram adapter needs from the configuration. */
export interface TelegramConfig {
  botToken: string;
  webhookSecret: string;
  /** Bot API root, e.g. https://api.telegram.org or a local Bot API server / test fake. */
  apiRoot: string;
}

/*
 * The parts of the Bot API's Update that Liaison reads (telegraf's bundled types lack Telegram Business), as schemas
 * checked at run time: ids are integers, text is text. Objects are loose: Telegram adds fields, and they pass.
 */
const id = integer;
const text = z.string();

const user = z
  .object({
    id,
    is_bot: z.boolean().optional(),
    first_name: text.optional(),
    last_name: text.optional(),
    username: text.optional(),
    language_code: text.optional(),
  })
  .loose();

const chat = z
  .object({
    id,
    type: text,
    title: text.optional(),
    first_name: text.optional(),
    last_name: text.optional(),
    username: text.optional(),
  })
  .loose();

/** Kinds of content only looked at for being there (photo, sticker…): any value. */
const present = z.unknown().optional();

const message = z
  .object({
    message_id: id,
    date: id,
    edit_date: id.optional(),
    chat,
    /** Absent in channels; present, it must name someone. */
    from: user.optional(),
    business_connection_id: text.optional(),
    sender_business_bot: user.optional(),
    text: text.optional(),
    caption: text.optional(),
    reply_to_message: z.object({ message_id: id, from: user.optional() }).loose().optional(),
    /** The topic of a forum supergroup, when `is_topic_message` (otherwise a reply thread). */
    message_thread_id: id.optional(),
    is_topic_message: z.boolean().optional(),
    contact: z.object({ phone_number: text, user_id: id.optional() }).loose().optional(),
    photo: present,
    document: present,
    audio: present,
    voice: present,
    video: present,
    video_note: present,
    animation: present,
    sticker: present,
    location: present,
    venue: present,
    poll: present,
    story: present,
    dice: present,
    game: present,
    invoice: present,
    paid_media: present,
    giveaway: present,
    giveaway_winners: present,
    checklist: present,
  })
  .loose();

/** A member's status in a chat: `member`, `kicked` (in a private chat: the user blocked the bot), `left`… */
const chatMember = z.object({ status: text, user }).loose();

/** The bot's own membership of a chat changed (Bot API `ChatMemberUpdated`). */
const chatMemberUpdated = z
  .object({ chat, from: user, date: id, old_chat_member: chatMember, new_chat_member: chatMember })
  .loose();

const businessConnection = z
  .object({
    id: textId,
    user,
    user_chat_id: id,
    date: id,
    can_reply: z.boolean().optional(),
    rights: z.object({ can_reply: z.boolean().optional() }).loose().optional(),
    is_enabled: z.boolean(),
  })
  .loose();

export const tgUpdateSchema = z
  .object({
    update_id: id,
    message: message.optional(),
    edited_message: message.optional(),
    business_connection: businessConnection.optional(),
    business_message: message.optional(),
    edited_business_message: message.optional(),
    deleted_business_messages: z
      .object({ business_connection_id: textId, chat, message_ids: z.array(id) })
      .loose()
      .optional(),
    my_chat_member: chatMemberUpdated.optional(),
  })
  .loose();

export type TgUpdate = z.infer<typeof tgUpdateSchema>;
export type TgMessage = z.infer<typeof message>;
export type TgChat = z.infer<typeof chat>;
export type TgUser = z.infer<typeof user>;
export type TgChatMemberUpdated = z.infer<typeof chatMemberUpdated>;
export type TgBusinessConnection = z.infer<typeof businessConnection>;

/** The bot itself, from getMe: its id is the workspace, its username addresses commands in groups. */
export interface TgBotInfo {
  id: string;
  username: string | null;
}

/** Update kinds Liaison asks Telegram for (setWebhook replaces the list, so business kinds must be named). */
export const ALLOWED_UPDATES = [
  'message',
  'edited_message',
  'business_connection',
  'business_message',
  'edited_business_message',
  'deleted_business_messages',
  'my_chat_member',
] as const;
