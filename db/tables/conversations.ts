import type { Generated } from 'kysely';
import type { AuthorKind, ChatKind, Direction, Platform } from './enums.ts';

// Chats, messages and the other things that happen on a customer's timeline.

export interface ChatTable {
  id: Generated<number>;
  platform: Platform;
  workspace: string;
  /** Unique within platform + workspace; for Telegram Business it includes the connection. */
  external_key: string;
  /** Where replies are addressed on the platform. */
  platform_chat_id: string;
  kind: ChatKind;
  title: string | null;
  /** Telegram Business connection (or another platform's equivalent) the chat belongs to. */
  connection_id: string | null;
  /** The customer a one-to-one chat is with; null for groups. */
  customer_id: number | null;
  created_at: number;
  updated_at: number;
}

/** A brand account connected to the bot, e.g. a Telegram Business account; only staff-owned ones are captured. */
export interface PlatformConnectionTable {
  id: Generated<number>;
  platform: Platform;
  workspace: string;
  external_id: string;
  owner_external_id: string;
  owner_staff_id: number | null;
  /** active (owner is staff), unauthorised (owner is not staff: ignored), disabled (disconnected). */
  status: 'active' | 'unauthorised' | 'disabled';
  can_reply: number;
  /** Where the bot reaches the owner privately. */
  owner_chat_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface MessageTable {
  id: Generated<number>;
  chat_id: number;
  customer_id: number | null;
  platform: Platform;
  /** The platform's message id, unique within the chat. */
  platform_message_id: string;
  direction: Direction;
  author_kind: AuthorKind;
  author_staff_id: number | null;
  content_type: string;
  /** The current text exactly as received (earlier versions live in message_revisions). */
  text: string;
  reply_to_platform_message_id: string | null;
  sent_at: number;
  received_at: number;
  edited_at: number | null;
  deleted_at: number | null;
  /** JSON `{type, key, name?}` of a picture or file, kept as the platform's reference. */
  attachment: string | null;
  /** JSON of the message's structured content (`MessageContent`: a location, a file's name, a poll…). */
  content: string | null;
}

/** Every version of an edited message, the original included; (message_id, revised_at) is unique. */
export interface MessageRevisionTable {
  id: Generated<number>;
  message_id: number;
  text: string;
  revised_at: number;
}

/** Who is in a group chat, as last seen; `left_at` set once they left. */
export interface ChatMemberTable {
  id: Generated<number>;
  chat_id: number;
  member_key: string;
  customer_id: number | null;
  staff_id: number | null;
  joined_at: number | null;
  left_at: number | null;
  updated_at: number;
}

/** Things on a customer's timeline that are not messages: a relation lost, a transfer refused, a group joined. */
export interface CustomerEventTable {
  id: Generated<number>;
  customer_id: number;
  /** Derived from what caused it, so re-processing records it once. */
  event_key: string;
  at: number;
  kind: string;
  platform: Platform | null;
  actor_staff_id: number | null;
  /** JSON facts for display; never secrets. */
  detail: string | null;
}

/** A customer message waiting to be relayed to a staff member (once per message and recipient), then its relay. */
export interface RelayTable {
  id: Generated<number>;
  message_id: number;
  customer_id: number;
  staff_id: number;
  created_at: number;
  /** The outbox idempotency key of the relay it went out in; null while waiting. */
  batch_key: string | null;
}
