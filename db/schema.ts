import type { Insertable, Selectable, Updateable } from 'kysely';
import type { LlmCallTable, PendingRequestTable } from './tables/assistant.ts';
import type { CampaignApprovalTable } from './tables/campaign-approvals.ts';
import type {
  ChatMemberTable,
  ChatTable,
  CustomerEventTable,
  MessageRevisionTable,
  MessageTable,
  PlatformConnectionTable,
  RelayTable,
} from './tables/conversations.ts';
import type {
  CustomerTagTable,
  DealTable,
  DigestRunTable,
  DigestSubscriptionTable,
  NoteTable,
  PlatformTagTable,
  ReminderTable,
  TagTable,
  TransferTable,
} from './tables/crm.ts';
import type { MessageFileTable } from './tables/files.ts';
import type { CustomerMergeTable, IdentityCheckTable, MergeSuggestionTable } from './tables/identity.ts';
import type { ImportJobTable, ImportRowTable } from './tables/import-jobs.ts';
import type { InboxRelayTable, InboxTopicTable } from './tables/inbox-chat.ts';
import type { AlertTable, ConversationBurstTable, LlmCacheTable } from './tables/intelligence.ts';
import type {
  CampaignMassSendTable,
  CampaignRecipientTable,
  CampaignTable,
  ChannelCodeTable,
  CustomerOutreachTable,
  CustomerSourceTable,
  SegmentTable,
  SopEnrollmentTable,
  SopTable,
} from './tables/marketing.ts';
import type {
  ContactRelationTable,
  CustomerTable,
  IdentityTable,
  StaffIdentityTable,
  StaffTable,
  TeamTable,
} from './tables/people.ts';
import type { AuditLogTable, InboxTable, OutboxTable, PlatformCursorTable } from './tables/queues.ts';
import type { QuickReplyTable } from './tables/quick-replies.ts';
import type { CustomerSearchGramTable, DerivedDataTable } from './tables/search.ts';
import type { SyncContactTable, SyncJobTable } from './tables/sync.ts';
import type { WebMessageTable } from './tables/web.ts';
import type { WebSessionTable, WebSignInLinkTable } from './tables/web-sessions.ts';

export * from './tables/assistant.ts';
export * from './tables/campaign-approvals.ts';
export * from './tables/conversations.ts';
export * from './tables/crm.ts';
export * from './tables/enums.ts';
export * from './tables/files.ts';
export * from './tables/identity.ts';
export * from './tables/import-jobs.ts';
export * from './tables/inbox-chat.ts';
export * from './tables/intelligence.ts';
export * from './tables/marketing.ts';
export * from './tables/people.ts';
export * from './tables/queues.ts';
export * from './tables/quick-replies.ts';
export * from './tables/search.ts';
export * from './tables/sync.ts';
export * from './tables/web.ts';
export * from './tables/web-sessions.ts';

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
  customer_search_grams: CustomerSearchGramTable;
  derived_data: DerivedDataTable;
  conversation_bursts: ConversationBurstTable;
  alerts: AlertTable;
  llm_cache: LlmCacheTable;
  pending_requests: PendingRequestTable;
  llm_calls: LlmCallTable;
  web_messages: WebMessageTable;
  relays: RelayTable;
  segments: SegmentTable;
  channel_codes: ChannelCodeTable;
  customer_sources: CustomerSourceTable;
  campaigns: CampaignTable;
  campaign_recipients: CampaignRecipientTable;
  campaign_mass_sends: CampaignMassSendTable;
  campaign_approvals: CampaignApprovalTable;
  customer_outreach: CustomerOutreachTable;
  sops: SopTable;
  sop_enrollments: SopEnrollmentTable;
  merge_suggestions: MergeSuggestionTable;
  identity_checks: IdentityCheckTable;
  customer_merges: CustomerMergeTable;
  inbox_relays: InboxRelayTable;
  inbox_topics: InboxTopicTable;
  quick_replies: QuickReplyTable;
  sync_jobs: SyncJobTable;
  sync_contacts: SyncContactTable;
  import_jobs: ImportJobTable;
  import_rows: ImportRowTable;
  web_sessions: WebSessionTable;
  web_sign_in_links: WebSignInLinkTable;
  message_files: MessageFileTable;
}

export type CustomerRow = Selectable<CustomerTable>;
export type NewCustomer = Insertable<CustomerTable>;
export type CustomerUpdate = Updateable<CustomerTable>;
export type StaffRow = Selectable<StaffTable>;
export type MessageRow = Selectable<MessageTable>;
export type InboxRow = Selectable<InboxTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type ChatRow = Selectable<ChatTable>;
