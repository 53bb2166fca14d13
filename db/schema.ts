import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * The Liaison database, as Kysely sees it. Every dialect (SQLite, PostgreSQL, D1) stores the same shapes:
 * - times are Unix epoch milliseconds in BIGINT columns,
 * - booleans are 0/1 integers (SQLite and D1 have no boolean type),
 * - platform ids are strings (WeCom MsgId and Telegram ids exceed 32 bits),
 * - structured extras are JSON text.
 */
export interface Database {
  teams: TeamTable;
  staff: StaffTable;
  staff_identities: StaffIdentityTable;
  customers: CustomerTable;
  identities: IdentityTable;
  chats: ChatTable;
  platform_connections: PlatformConnectionTable;
  messages: MessageTable;
  message_revisions: MessageRevisionTable;
  tags: TagTable;
  customer_tags: CustomerTagTable;
  notes: NoteTable;
  deals: DealTable;
  reminders: ReminderTable;
  digest_subscriptions: DigestSubscriptionTable;
  digest_runs: DigestRunTable;
  inbox: InboxTable;
  outbox: OutboxTable;
  audit_log: AuditLogTable;
  customer_events: CustomerEventTable;
  contact_relations: ContactRelationTable;
  platform_tags: PlatformTagTable;
  platform_cursors: PlatformCursorTable;
  chat_members: ChatMemberTable;
  transfers: TransferTable;
}

export type Platform = 'telegram' | 'wecom' | 'feishu' | 'web';
export type Role = 'rep' | 'manager' | 'director' | 'admin';
export type ChatKind = 'private' | 'group' | 'business' | 'external_group' | 'service';
export type Direction = 'in' | 'out';
export type AuthorKind = 'customer' | 'staff' | 'bot';
export type TagSource = 'manual' | 'rule' | 'llm';
export type QueueStatus = 'pending' | 'done' | 'failed';
export type OutboxStatus = 'pending' | 'sent' | 'failed';

/** Teams form a tree (department → team); a manager's data scope is their team's subtree. */
export interface TeamTable {
  id: Generated<number>;
  name: string;
  parent_id: number | null;
  created_at: number;
}

export interface StaffTable {
  id: Generated<number>;
  display_name: string;
  role: Role;
  team_id: number | null;
  /** 'zh' or 'en': the language the bot answers this person in. */
  language: string | null;
  active: number;
  created_at: number;
  updated_at: number;
}

/** A staff member's account on one platform; `workspace` is '' where the platform's user ids are global. */
export interface StaffIdentityTable {
  id: Generated<number>;
  staff_id: number;
  platform: Platform;
  workspace: string;
  external_id: string;
  display_name: string | null;
  username: string | null;
  created_at: number;
}

export interface CustomerTable {
  id: Generated<number>;
  display_name: string;
  company: string | null;
  phone: string | null;
  email: string | null;
  owner_staff_id: number | null;
  /** Lifecycle stage key: lead, interested, won, repeat, lost (configurable later). */
  stage: string;
  language: string | null;
  /** Where the customer first came from (platform, channel code, import…). */
  source: string | null;
  do_not_contact: number;
  /** Set when this record was merged into another; merged records are hidden from lists. */
  merged_into_id: number | null;
  /** Identity key that created the record; unique, so re-processing an event never creates a second customer. */
  origin_key: string;
  /** Lower-cased name, company, usernames and phone digits, for `/find` and the API's `q`. */
  search_text: string;
  first_contact_at: number;
  last_contact_at: number | null;
  last_inbound_at: number | null;
  last_outbound_at: number | null;
  created_at: number;
  updated_at: number;
}

/** A customer's account on one platform: (platform, workspace, external_id) is unique and points at one customer. */
export interface IdentityTable {
  id: Generated<number>;
  customer_id: number;
  platform: Platform;
  workspace: string;
  external_id: string;
  display_name: string | null;
  username: string | null;
  phone: string | null;
  /** Cross-app id where the platform has one (WeChat unionid, Feishu union_id): an exact link between identities. */
  union_id: string | null;
  /** JSON of what the platform's directory says beyond the columns (type, gender, avatar…). */
  profile: string | null;
  created_at: number;
  updated_at: number;
}

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
}

/** Every version of an edited message, the original included; (message_id, revised_at) is unique. */
export interface MessageRevisionTable {
  id: Generated<number>;
  message_id: number;
  text: string;
  revised_at: number;
}

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
  language: string;
  enabled: number;
  created_at: number;
  updated_at: number;
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
}

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

/** A staff member's contact relation with a customer's platform identity (WeCom follow_user). */
export interface ContactRelationTable {
  id: Generated<number>;
  identity_id: number;
  customer_id: number;
  member_external_id: string;
  staff_id: number | null;
  status: 'active' | 'lost';
  remark: string | null;
  description: string | null;
  channel: string | null;
  added_at: number | null;
  lost_at: number | null;
  lost_reason: string | null;
  updated_at: number;
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

/** Where a pull from a platform stopped (WeCom kf/sync_msg cursor per service account). */
export interface PlatformCursorTable {
  platform: Platform;
  workspace: string;
  name: string;
  value: string;
  updated_at: number;
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

export type CustomerRow = Selectable<CustomerTable>;
export type NewCustomer = Insertable<CustomerTable>;
export type CustomerUpdate = Updateable<CustomerTable>;
export type StaffRow = Selectable<StaffTable>;
export type MessageRow = Selectable<MessageTable>;
export type InboxRow = Selectable<InboxTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type ChatRow = Selectable<ChatTable>;
