import type { ColumnType, Generated } from 'kysely';
import type { Platform } from './enums.ts';

// Reaching customers on purpose: segments, where customers came from, campaigns and follow-up sequences (SOPs).

/** A saved filter over customers; `filter` is the JSON the segment module validates (src/core/segments). */
export interface SegmentTable {
  id: Generated<number>;
  name: string;
  description: string | null;
  filter: string;
  /** 1 for the shipped segments (dormant customers, lost customers to win back): not editable, not deletable. */
  builtin: number;
  /** The team it belongs to (its manager creator's); null: the organisation's (made by a director, an admin, the API). */
  owner_team_id: number | null;
  created_by_staff_id: number | null;
  created_at: number;
  updated_at: number;
}

export type ChannelCodeKind = 'campaign' | 'rep' | 'event' | 'referral' | 'other';

/**
 * A trackable way in (渠道活码): a WeCom contact-me QR code whose `state` is `code`, a Telegram deep link
 * (`/start <code>`), or a Feishu external chat bound to the code. Customers who come through it get it as a source.
 */
export interface ChannelCodeTable {
  id: Generated<number>;
  /** What the platform hands back: WeCom `State` (≤ 30 chars), the Telegram `/start` payload (≤ 64). Unique. */
  code: string;
  name: string;
  kind: ChannelCodeKind;
  platform: Platform;
  workspace: string;
  campaign_id: number | null;
  /** The rep the code belongs to (a rep's own QR code, or who is added by it). */
  staff_id: number | null;
  /** The existing customer who refers others with this code (老客户推荐). */
  referrer_customer_id: number | null;
  /** The platform's handle: WeCom `config_id`, the Feishu chat id the code is bound to. */
  platform_ref: string | null;
  /** What to show people: the WeCom QR code URL, the t.me deep link. */
  link: string | null;
  /** The welcome (欢迎语) a new contact who came through it gets, `{name}` for theirs; null: the default. */
  welcome: string | null;
  /** Tags given to the customers who come in through it: a JSON array of tag names; null (or absent): none. */
  tags: ColumnType<string | null, string | null | undefined, string | null>;
  active: number;
  /** The team it belongs to (its manager creator's); null: the organisation's (made by a director, an admin, the API). */
  owner_team_id: number | null;
  created_by_staff_id: number | null;
  created_at: number;
  updated_at: number;
}

/** Each time a customer came in through a channel; the earliest is their first source, the newest the latest. */
export interface CustomerSourceTable {
  id: Generated<number>;
  customer_id: number;
  channel_code_id: number | null;
  /** The code as received, kept even when no channel code of that name exists. */
  code: string;
  platform: Platform;
  referrer_customer_id: number | null;
  at: number;
  /** Derived from the event that brought it (inbox key), so re-processing records it once. */
  source_key: string;
  created_at: number;
}

export type CampaignStatus = 'draft' | 'scheduled' | 'running' | 'paused' | 'cancelled' | 'done';

/** A message to a segment (群发), sent within each platform's rules. */
export interface CampaignTable {
  id: Generated<number>;
  name: string;
  segment_id: number;
  text: string;
  link_url: string | null;
  link_title: string | null;
  /** A picture to send with the text: PNG or JPEG, base64. */
  image: string | null;
  status: CampaignStatus;
  scheduled_at: number | null;
  started_at: number | null;
  finished_at: number | null;
  /** Share of the segment (0–50 %) deliberately not reached, as the comparison group of the effect report. */
  holdout_pct: number;
  /** Days after sending in which replies, stage moves and won deals count for the campaign. */
  window_days: number;
  channel_code_id: number | null;
  /** The team it belongs to (its manager creator's); null: the organisation's (made by a director, an admin, the API). */
  owner_team_id: number | null;
  created_by_staff_id: number | null;
  /** Whose data scope the segment is read in (the creator's, or null for the whole organisation). */
  scope_staff_id: number | null;
  /** Lease of the instance dispatching it, so two instances never dispatch one campaign at once. */
  lease_owner: string | null;
  lease_until: number | null;
  created_at: number;
  updated_at: number;
}

export type RecipientStatus =
  | 'pending'
  | 'holdout'
  | 'skipped'
  | 'queued'
  | 'sent'
  | 'delivered'
  | 'failed'
  | 'cancelled';

/** One customer of a campaign's segment at launch: (campaign_id, customer_id) is unique, so nobody is sent twice. */
export interface CampaignRecipientTable {
  id: Generated<number>;
  campaign_id: number;
  customer_id: number;
  owner_staff_id: number | null;
  status: RecipientStatus;
  /** Why skipped or failed: do_not_contact, frequency_cap, no_channel, outside_window, platform refusal… */
  reason: string | null;
  /** chat (a message to the customer's chat) or wecom_template (a WeCom mass-send task the owner confirms). */
  route: string | null;
  platform: Platform | null;
  chat_id: number | null;
  outbox_key: string | null;
  mass_send_id: number | null;
  queued_at: number | null;
  sent_at: number | null;
  delivered_at: number | null;
  replied_at: number | null;
  created_at: number;
  updated_at: number;
}

/** A WeCom mass-send task (`add_msg_template`) for one sending member, which they confirm in their own client. */
export interface CampaignMassSendTable {
  id: Generated<number>;
  campaign_id: number | null;
  platform: Platform;
  workspace: string;
  sender_external_id: string;
  sender_staff_id: number | null;
  /** The platform's id of the task (WeCom msgid), once created. */
  msgid: string | null;
  /** pending (queued), created, confirmed (the member sent it), finished (results read), failed. */
  status: string;
  recipient_count: number;
  fail_count: number;
  idempotency_key: string;
  confirmed_at: number | null;
  checked_at: number | null;
  created_at: number;
  updated_at: number;
}

/** Every marketing message meant for a customer (campaign or SOP): the frequency cap counts these. */
export interface CustomerOutreachTable {
  id: Generated<number>;
  customer_id: number;
  kind: 'campaign' | 'sop';
  ref: string;
  outreach_key: string;
  at: number;
}

export type SopTrigger = 'tag' | 'stage' | 'source';

/** A follow-up sequence: steps (JSON) run for each customer who matches the trigger after the SOP was created. */
export interface SopTable {
  id: Generated<number>;
  name: string;
  trigger_kind: SopTrigger;
  trigger_value: string;
  steps: string;
  active: number;
  /** Why it was stopped by Liaison (its owner left or lost the role); null while it runs or when a person paused it. */
  stop_reason: string | null;
  /** How far the trigger scan has read (epoch ms of the newest tag, stage or source event seen). */
  scanned_until: number;
  /** The team it belongs to (its manager creator's); null: the organisation's (made by a director, an admin, the API). */
  owner_team_id: number | null;
  created_by_staff_id: number | null;
  created_at: number;
  updated_at: number;
}

/** One customer going through one SOP; (sop_id, customer_id) is unique. */
export interface SopEnrollmentTable {
  id: Generated<number>;
  sop_id: number;
  customer_id: number;
  /** active, stopped (replied, stage changed, do-not-contact), done. */
  status: string;
  stop_reason: string | null;
  started_at: number;
  stage_at_start: string;
  /** Index of the next step to run, and when. */
  next_step: number;
  next_due_at: number | null;
  updated_at: number;
}
