import type { Generated } from 'kysely';
import type { Platform, Role } from './enums.ts';

// Staff, teams and customers, and how they are known on each platform.

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
  /** manual when a person set the stage (automatic suggestions then leave it alone), else auto. */
  stage_source: Generated<'manual' | 'auto'>;
  /** key (the customers bringing 80% of revenue), growth, dormant, or null when nothing is known. */
  value_tier: string | null;
  /** 0–100, from silence, lost contact relations and negative conversations. */
  churn_risk: Generated<number>;
  /** The latest conversation's sentiment and one-line summary, from the model. */
  sentiment: string | null;
  summary: string | null;
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
  /** Set while the platform says the person cannot be written to there (blocked the bot, removed it): since when. */
  unreachable_at: number | null;
  created_at: number;
  updated_at: number;
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
