/** The parts of the Bot API's Update that Liaison reads (telegraf's bundled types lack Telegram Business). */
export interface TgUser {
  id: number;
  is_bot?: boolean;
  first_name?: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface TgChat {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  title?: string;
  first_name?: string;
  last_name?: string;
  username?: string;
}

export interface TgEntity {
  type: string;
  offset: number;
  length: number;
}

export interface TgMessage {
  message_id: number;
  date: number;
  edit_date?: number;
  chat: TgChat;
  from?: TgUser;
  business_connection_id?: string;
  sender_business_bot?: TgUser;
  text?: string;
  caption?: string;
  entities?: TgEntity[];
  reply_to_message?: { message_id: number; from?: TgUser };
  contact?: { phone_number: string; first_name?: string; user_id?: number };
  photo?: unknown;
  document?: unknown;
  audio?: unknown;
  voice?: unknown;
  video?: unknown;
  video_note?: unknown;
  animation?: unknown;
  sticker?: unknown;
  location?: unknown;
  venue?: unknown;
}

export interface TgBusinessConnection {
  id: string;
  user: TgUser;
  user_chat_id: number;
  date: number;
  can_reply?: boolean;
  rights?: { can_reply?: boolean };
  is_enabled: boolean;
}

export interface TgUpdate {
  update_id: number;
  message?: TgMessage;
  edited_message?: TgMessage;
  business_connection?: TgBusinessConnection;
  business_message?: TgMessage;
  edited_business_message?: TgMessage;
  deleted_business_messages?: { business_connection_id: string; chat: TgChat; message_ids: number[] };
}

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
] as const;
