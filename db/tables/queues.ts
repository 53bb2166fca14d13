import type { Generated } from 'kysely';
import type { OutboxStatus, Platform, QueueStatus } from './enums.ts';

// The durable inbox and outbox, the audit log, and pull cursors.

/** Raw platform deliveries, stored before the webhook is acknowledged; processed after, under a lease. */
export interface InboxTable {
  id: Generated<number>;
  platform: Platform;
  workspace: string;
  dedup_key: string;
  /** The delivery as received (decrypted where the platform encrypts), for replay and audit. */
  payload: string;
  status: QueueStatus;
  attempts: number;
  /** When the row may next be claimed: a lease end while processing, a retry time after a failure. */
  available_at: number;
  lease_owner: string | null;
  last_error: string | null;
  received_at: number;
  processed_at: number | null;
}

/** Sends waiting for the platform's confirmation; `idempotency_key` makes every enqueue safe to repeat. */
export interface OutboxTable {
  id: Generated<number>;
  idempotency_key: string;
  platform: Platform;
  workspace: string;
  /** JSON of the OutboundMessage target. */
  target: string;
  /** JSON of the OutboundMessage content. */
  content: string;
  status: OutboxStatus;
  attempts: number;
  available_at: number;
  lease_owner: string | null;
  last_error: string | null;
  platform_message_id: string | null;
  /** Set when the send belongs on a customer's timeline. */
  customer_id: number | null;
  chat_id: number | null;
  created_at: number;
  sent_at: number | null;
  /** message or action. */
  kind: Generated<string>;
  /** Groups sends to one target (ordering, pacing); null for actions. */
  target_key: string | null;
  /** Staff member told when the platform refuses the send for good. */
  report_to_staff_id: number | null;
  /** The staff member who wrote it (a reply to a customer); null for Liaison's own sends. */
  author_staff_id: number | null;
  /** JSON of what the platform answered (its events and follow-ups) while `settling`; null otherwise. */
  result: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  actor_kind: 'staff' | 'system' | 'api';
  actor_staff_id: number | null;
  action: string;
  subject_kind: string | null;
  subject_id: string | null;
  /** JSON; never secrets. */
  detail: string | null;
  /** The channel it came through: a platform (telegram, wecom, feishu, web) or api. */
  via: string | null;
}

/** Where a pull from a platform stopped (WeCom kf/sync_msg cursor per service account). */
export interface PlatformCursorTable {
  platform: Platform;
  workspace: string;
  name: string;
  value: string;
  updated_at: number;
}
