import type { Generated } from 'kysely';
import type { Platform } from './enums.ts';

// The inbox chat: a staff-only group an admin configured for the relays of customers nobody owns.

/** A customer message waiting to be relayed to the inbox chat (once per message), then its relay. */
export interface InboxRelayTable {
  id: Generated<number>;
  message_id: number;
  customer_id: number;
  created_at: number;
  /** The outbox idempotency key of the relay it went out in; null while waiting. */
  batch_key: string | null;
}

/** A customer's own topic in an inbox chat with topics (a Telegram forum): where their relays go and staff answer. */
export interface InboxTopicTable {
  id: Generated<number>;
  platform: Platform;
  workspace: string;
  /** The inbox chat's platform id. */
  chat_id: string;
  customer_id: number;
  /** The platform's topic id (Telegram `message_thread_id`). */
  thread_id: string;
  created_at: number;
}
