import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import type { PlatformAdapter } from '../ports/adapter.ts';
import type { ChartRenderer } from '../ports/charts.ts';
import type { Clock, Logger } from '../ports/clock.ts';
import type { Platform } from '../ports/events.ts';
import type { Llm } from '../ports/llm.ts';
import type { FileKeeping } from '../ports/storage.ts';
import type { Lang } from './i18n/index.ts';
import type { CompiledRules } from './tagging/rules.ts';

/** The acknowledgement a customer may get when they write (e.g. outside business hours); never CRM data. */
export interface AutoReply {
  text: { zh: string; en: string };
  /** Only outside the organisation's business hours (when it has them). */
  outsideHoursOnly: boolean;
  /** At most one acknowledgement per customer within this many milliseconds. */
  quietMs: number;
}

/** Weekly business hours: days 0 (Sunday) … 6, minutes from midnight [start, end). */
export interface BusinessHours {
  days: number[];
  startMinute: number;
  endMinute: number;
}

/** How the organisation works: its time zone, lifecycle and deal stages, the customer acknowledgement. */
export interface OrgSettings {
  /** IANA time zone for reminders, business hours and digests (e.g. Asia/Shanghai). */
  timeZone: string;
  /** Lifecycle stages in funnel order. */
  stages: StageDefinition[];
  /** Deal (opportunity) stages with their win probability. */
  dealStages: DealStageDefinition[];
  autoReply: AutoReply | null;
  /** Greets a customer opening a WeChat Customer Service (微信客服) session, with the platform's welcome code. */
  serviceWelcome: string | null;
  /** The welcome (欢迎语) a new WeCom contact gets when their channel code has none; `{name}` is theirs. */
  contactWelcome: string | null;
  /** Weekly business hours in the time zone; null: always open. Reply SLAs count business time only. */
  businessHours: BusinessHours | null;
  /** A customer message unanswered this long (business time when business hours are set) alerts the owner. */
  replySlaMs: number;
  /** An owner hears of new hot leads in one batched ping at most this often (`HOT_LEAD_PING_HOURS`). */
  hotLeadPingMs: number;
  /** Rule hits below this confidence tag the customer but alert nobody (`ALERT_MIN_CONFIDENCE`, 0–1). */
  alertMinConfidence: number;
  /** Customers not contacted for this many days are stale (and a churn risk). */
  staleDays: number;
  /** When subscribed digests go out by default: minutes after local midnight, in `digestTimeZone`. */
  digestAtMinute: number;
  digestTimeZone: string;
  /** Raw payloads of processed inbox deliveries are blanked after this many days (dedup keys stay); 0 keeps them. */
  inboxPayloadRetentionDays: number;
  /** Marketing messages (campaigns, SOP steps) a customer gets at most: `limit` per `windowMs`. */
  outreachCap: { limit: number; windowMs: number };
  /** The staff-only group that takes the relays of customers nobody owns (`RELAY_INBOX_CHAT`); null: the managers. */
  relayInbox: RelayInbox | null;
  /** Whether the nightly reconciliation (directory sync, lost tag mirrors, unseen departures) runs (`NIGHTLY_SYNC`). */
  nightlySync: boolean;
}

/** An admin's staff-only group chat for relays: one topic per customer where the group has topics. */
export interface RelayInbox {
  platform: Platform;
  /** The platform's chat id. */
  chatId: string;
  /** Relay owned customers there too (their owners still get theirs privately). */
  everyCustomer: boolean;
  /** The language of Liaison's words in the group. */
  language: Lang;
}

export interface StageDefinition {
  key: string;
  zh: string;
  en: string;
}

export interface DealStageDefinition extends StageDefinition {
  /** Win probability, 0–100. */
  probability: number;
}

export const defaultStages: StageDefinition[] = [
  { key: 'lead', zh: '潜在', en: 'lead' },
  { key: 'interested', zh: '意向', en: 'interested' },
  { key: 'won', zh: '成交', en: 'won' },
  { key: 'repeat', zh: '复购', en: 'repeat' },
  { key: 'lost', zh: '流失', en: 'lost' },
];

export const defaultDealStages: DealStageDefinition[] = [
  { key: 'qualify', zh: '初步接洽', en: 'qualify', probability: 10 },
  { key: 'proposal', zh: '方案报价', en: 'proposal', probability: 40 },
  { key: 'negotiate', zh: '商务谈判', en: 'negotiate', probability: 70 },
  { key: 'won', zh: '赢单', en: 'won', probability: 100 },
  { key: 'lost', zh: '输单', en: 'lost', probability: 0 },
];

export const defaultOrgSettings: OrgSettings = {
  timeZone: 'Asia/Shanghai',
  stages: defaultStages,
  dealStages: defaultDealStages,
  autoReply: null,
  serviceWelcome: null,
  contactWelcome: null,
  businessHours: null,
  replySlaMs: 30 * 60_000,
  hotLeadPingMs: 4 * 3_600_000,
  alertMinConfidence: 0,
  staleDays: 30,
  digestAtMinute: 9 * 60,
  digestTimeZone: 'Asia/Shanghai',
  inboxPayloadRetentionDays: 30,
  outreachCap: { limit: 2, windowMs: 7 * 86_400_000 },
  relayInbox: null,
  nightlySync: true,
};

/** How customer messages are tagged: the compiled rule set, the tags the model may use, and whether it is asked. */
export interface TaggingSettings {
  rules: CompiledRules;
  /** The only tags automatic tagging may set (the rule set's tags). */
  allowlist: readonly string[];
  /** Ask the LLM (when one is configured) about each burst, besides the rules. */
  llmTagging: boolean;
}

/** Everything a core use case may touch. Runtime entries build one and pass it down. */
export interface CoreDeps {
  db: Kysely<Database>;
  clock: Clock;
  logger: Logger;
  /** Enabled platform adapters, for the extras the core may ask of a platform. */
  adapters: ReadonlyMap<string, PlatformAdapter>;
  org: OrgSettings;
  tagging: TaggingSettings;
  /** The language model for plain-language requests; absent when none is configured. */
  llm?: Llm;
  /** Draws digest charts; absent where the runtime has no renderer (digests then go as text alone). */
  charts?: ChartRenderer;
  /** Where message attachments are kept; absent: no storage (Workers without S3/R2), attachments stay references. */
  files?: FileKeeping;
  /** Where the web app beside the chat is served (PUBLIC_URL/app); absent: it is off, and `/web` says so. */
  webAppUrl?: string;
}
