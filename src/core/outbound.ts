import type { Platform } from './events.ts';

/** Where a send goes. */
export interface ChatTarget {
  kind: 'chat';
  /** The platform's chat id (from `ChatRef.platformChatId`). */
  chatId: string;
  /** Send on behalf of a connected brand account (Telegram Business). */
  connectionId?: string;
  replyToMessageId?: string;
}

export type OutboundTarget = ChatTarget;

/** Platform-neutral content; each adapter renders it within its platform's limits. */
export interface OutboundContent {
  /** Plain text: adapters escape it for their markup and split it where the platform's limit demands. */
  text: string;
}

/**
 * A message Liaison wants delivered. It goes into the outbox first and is sent from there, so it survives crashes
 * and is retried; the idempotency key makes enqueuing it twice harmless.
 */
export interface OutboundMessage {
  platform: Platform;
  workspace: string;
  target: OutboundTarget;
  content: OutboundContent;
  /** Unique per intended send, derived from what caused it (e.g. `inbox:42:reply`). */
  idempotencyKey: string;
  /** Set when the send belongs on a customer's timeline (recorded as an outbound message once the platform confirms). */
  customerId?: number;
  /** The Liaison chat id the send belongs to, for the timeline. */
  chatId?: number;
}

/** What a platform said about one send attempt. */
export type SendResult =
  | { ok: true; platformMessageId?: string }
  | {
      ok: false;
      /** Worth trying again later (rate limit, 5xx, network); false for a request the platform will never accept. */
      retryable: boolean;
      /** The platform asked us to wait this long (Telegram `retry_after`). */
      retryAfterMs?: number;
      /** Why, without secrets or message text. */
      error: string;
      /** What is still unsent when the earlier parts of a split message were delivered. */
      remaining?: OutboundContent;
    };
