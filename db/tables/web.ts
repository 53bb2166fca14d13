import type { Generated } from 'kysely';

// The local web channel (the playground): what Liaison delivered to web chats, for the page to show.

/**
 * One message Liaison sent to a web chat, as the page shows it. A card redrawn in place is a new row with the same
 * `message_key`, so the table only grows and the page polls it by id.
 */
export interface WebMessageTable {
  id: Generated<number>;
  /** The outbox send's idempotency key (unique): a send retried after a crash is stored once. */
  idempotency_key: string;
  workspace: string;
  /** The web chat: a customer's or staff member's id, or a group's id. */
  chat_id: string;
  /** The message this row shows: its own key, or the message it redraws (`editMessageId`). */
  message_key: string;
  reply_to: string | null;
  text: string;
  /** JSON of the platform-neutral Card, shown with buttons that post card actions back. */
  card: string | null;
  /** A picture (a digest chart), base64 PNG or JPEG. */
  image: string | null;
  created_at: number;
}
