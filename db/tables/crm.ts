import type { Generated } from 'kysely';
import type { Platform, TagSource } from './enums.ts';

// What sales adds on top: tags, notes, deals, reminders, digests, transfers.

export interface TagTable {
  id: Generated<number>;
  name: string;
  group_name: string | null;
  created_at: number;
}

export interface CustomerTagTable {
  customer_id: number;
  tag_id: number;
  source: TagSource;
  /** Rule id, model name, or null for manual tags. */
  source_ref: string | null;
  confidence: number | null;
  message_id: number | null;
  actor_staff_id: number | null;
  created_at: number;
  /** When the tag last reached the platforms that mirror tags (WeCom); null while on its way. */
  mirrored_at: number | null;
}

export interface NoteTable {
  id: Generated<number>;
  customer_id: number;
  author_staff_id: number | null;
  body: string;
  created_at: number;
  /** The chat request that wrote it, so a retried request writes once. */
  request_key: string | null;
}

export interface DealTable {
  id: Generated<number>;
  customer_id: number;
  title: string;
  /** Minor currency units (fen / cents), so sums are exact. */
  amount_minor: number;
  currency: string;
  stage: string;
  /** Win probability 0–100. */
  probability: number;
  owner_staff_id: number | null;
  created_at: number;
  updated_at: number;
  closed_at: number | null;
  request_key: string | null;
  /** The local midnight of the day the deal is expected to close; null: not given. */
  expected_close_at: number | null;
}

export interface ReminderTable {
  id: Generated<number>;
  customer_id: number | null;
  staff_id: number;
  due_at: number;
  text: string;
  status: 'pending' | 'sent' | 'cancelled';
  created_at: number;
  delivered_at: number | null;
  request_key: string | null;
  /** Where the reminder was asked for: it is delivered there. */
  platform: Platform | null;
}

export interface DigestSubscriptionTable {
  id: Generated<number>;
  /** daily or weekly. */
  kind: string;
  platform: Platform;
  workspace: string;
  /** chat (a group the bot is in) or robot (a WeCom group robot / Feishu custom bot webhook). */
  target_kind: string;
  target_ref: string;
  /** Whose scope the digest covers; null = the whole organisation. */
  scope_team_id: number | null;
  subscriber_staff_id: number | null;
  /** The subscriber's team when subscribed; null: the organisation's. */
  owner_team_id: number | null;
  /** Why Liaison stopped it (the subscriber left or lost the role); null otherwise. */
  stop_reason: string | null;
  language: string;
  enabled: number;
  created_at: number;
  updated_at: number;
  /** Local time to send (HH:MM); null: the configured DIGEST_AT. */
  send_at: string | null;
  /** IANA zone of `send_at`; null: the configured DIGEST_TZ. */
  time_zone: string | null;
  /** A robot webhook's signing secret (Feishu custom bots); never shown or logged. */
  target_secret: string | null;
}

/** One row per subscription and period: the unique key makes each digest go out exactly once. */
export interface DigestRunTable {
  id: Generated<number>;
  subscription_id: number;
  period_key: string;
  status: string;
  created_at: number;
  sent_at: number | null;
  error: string | null;
  /** When a builder took the run; another may take it over once the lease has passed. */
  claimed_at: number | null;
}

/** The local copy of a platform's tag catalogue (WeCom corp tags). */
export interface PlatformTagTable {
  id: Generated<number>;
  platform: Platform;
  workspace: string;
  external_id: string;
  name: string;
  group_id: string | null;
  group_name: string | null;
  deleted_at: number | null;
  updated_at: number;
}

/** A customer reassignment asked of a platform, and how it ended. */
export interface TransferTable {
  id: Generated<number>;
  customer_id: number;
  platform: Platform;
  workspace: string;
  customer_external_id: string;
  from_member: string;
  to_member: string;
  resigned: number;
  /** requested, waiting, done, refused, limit, no_record, failed. */
  status: string;
  reason: string | null;
  requested_at: number;
  updated_at: number;
}
