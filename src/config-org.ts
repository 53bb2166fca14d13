import { wholeNumber } from './config-values.ts';
import {
  type AutoReply,
  type BusinessHours,
  type DealStageDefinition,
  defaultDealStages,
  defaultStages,
  type OrgSettings,
  type RelayInbox,
  type StageDefinition,
} from './core/kernel/runtime.ts';
import type { Platform } from './core/ports/events.ts';

export { minutesOf } from './core/kernel/time/minutes.ts';

// The organisation's settings from the environment: stages, business hours, SLA, the customer acknowledgement.

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** `on` or `off` (any case); unset or empty: the default. */
function onOff(name: string, raw: string | undefined, fallback: boolean, problems: string[]): boolean {
  const value = raw?.trim().toLowerCase();
  if (!value) return fallback;
  if (value !== 'on' && value !== 'off') problems.push(`${name} must be on or off`);
  return value === 'on';
}

/** The organisation's stages, hours, SLA and customer acknowledgement (the time zone is read with the rest). */
export function parseOrgSettings(
  env: Record<string, string | undefined>,
  problems: string[],
): Omit<OrgSettings, 'timeZone' | 'digestAtMinute' | 'digestTimeZone' | 'inboxPayloadRetentionDays'> {
  const stages = parseStages(env.LIFECYCLE_STAGES, problems);
  const dealStages = parseDealStages(env.DEAL_STAGES, problems);
  const zh = env.CUSTOMER_AUTO_REPLY?.trim();
  const en = env.CUSTOMER_AUTO_REPLY_EN?.trim();
  const hours = env.BUSINESS_HOURS?.trim() ? parseBusinessHours(env.BUSINESS_HOURS.trim(), problems) : null;
  const autoReply: AutoReply | null =
    zh || en
      ? {
          text: { zh: zh || (en as string), en: en || (zh as string) },
          outsideHoursOnly: hours !== null,
          quietMs: 12 * 3_600_000,
        }
      : null;
  const slaMinutes = wholeNumber('REPLY_SLA_MINUTES', env.REPLY_SLA_MINUTES, 30, 1, 7 * 24 * 60, problems);
  const staleDays = wholeNumber('STALE_DAYS', env.STALE_DAYS, 30, 1, 3650, problems);
  const hotLeadPingHours = wholeNumber(
    'HOT_LEAD_PING_HOURS',
    env.HOT_LEAD_PING_HOURS,
    4,
    1,
    7 * 24,
    problems,
  );
  const alertMinConfidence = parseConfidence(env.ALERT_MIN_CONFIDENCE, problems);
  const outreachCap = parseOutreachCap(env.OUTREACH_FREQUENCY_CAP, problems);
  const relayInbox = parseRelayInbox(env, problems);
  return {
    stages,
    dealStages,
    autoReply,
    nightlySync: onOff('NIGHTLY_SYNC', env.NIGHTLY_SYNC, true, problems),
    serviceWelcome: env.SERVICE_WELCOME?.trim() || null,
    contactWelcome: env.CONTACT_WELCOME?.trim() || null,
    businessHours: hours,
    replySlaMs: slaMinutes * 60_000,
    hotLeadPingMs: hotLeadPingHours * 3_600_000,
    alertMinConfidence,
    staleDays,
    outreachCap,
    relayInbox,
  };
}

/** `ALERT_MIN_CONFIDENCE`: a number from 0 to 1 (default 0: every rule hit with an alerting signal alerts). */
function parseConfidence(raw: string | undefined, problems: string[]): number {
  const text = raw?.trim();
  if (!text) return 0;
  const value = Number(text);
  if (!/^\d*\.?\d+$/.test(text) || !(value >= 0 && value <= 1)) {
    problems.push('ALERT_MIN_CONFIDENCE must be a number from 0 to 1 (e.g. 0.7)');
    return 0;
  }
  return value;
}

const INBOX_PLATFORMS: readonly Platform[] = ['telegram', 'wecom', 'feishu'];

/** `telegram:-1001234567890`: the staff-only group that takes unowned customers' relays (with its two options). */
function parseRelayInbox(env: Record<string, string | undefined>, problems: string[]): RelayInbox | null {
  const raw = env.RELAY_INBOX_CHAT?.trim();
  const all = env.RELAY_INBOX_ALL?.trim().toLowerCase() || 'off';
  const language = env.RELAY_INBOX_LANGUAGE?.trim().toLowerCase() || 'zh';
  if (all !== 'on' && all !== 'off') problems.push('RELAY_INBOX_ALL must be on or off');
  if (language !== 'zh' && language !== 'en') problems.push('RELAY_INBOX_LANGUAGE must be zh or en');
  if (!raw) return null;
  const m = /^([a-z]+):(\S{1,200})$/.exec(raw);
  const platform = m?.[1] as Platform | undefined;
  if (!m?.[2] || !platform || !INBOX_PLATFORMS.includes(platform)) {
    problems.push(
      `RELAY_INBOX_CHAT must be platform:chatId with platform one of ${INBOX_PLATFORMS.join(', ')} (e.g. telegram:-1001234567890)`,
    );
    return null;
  }
  return { platform, chatId: m[2], everyCustomer: all === 'on', language: language === 'en' ? 'en' : 'zh' };
}

/** `2/7d`: at most 2 marketing messages per customer in any 7 days (campaigns and SOP steps together). */
function parseOutreachCap(raw: string | undefined, problems: string[]): OrgSettings['outreachCap'] {
  const fallback = { limit: 2, windowMs: 7 * 86_400_000 };
  if (!raw?.trim()) return fallback;
  const m = /^(\d{1,3})\s*\/\s*(\d{1,3})\s*d$/i.exec(raw.trim());
  const limit = Number(m?.[1]);
  const days = Number(m?.[2]);
  if (!m || limit < 1 || days < 1 || days > 365) {
    problems.push('OUTREACH_FREQUENCY_CAP must look like "2/7d" (messages per days, 1–999 per 1–365 days)');
    return fallback;
  }
  return { limit, windowMs: days * 86_400_000 };
}

const STAGE_KEY = /^[a-z][a-z0-9_]{0,29}$/;

/** `key:中文:english,…` in funnel order. */
function parseStages(raw: string | undefined, problems: string[]): StageDefinition[] {
  if (!raw?.trim()) return defaultStages;
  const stages: StageDefinition[] = [];
  for (const entry of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [key = '', zh = '', en = ''] = entry.split(':').map((s) => s.trim());
    if (!STAGE_KEY.test(key) || !zh || !en) {
      problems.push(
        `LIFECYCLE_STAGES: "${entry}" is not key:中文:english (key in lower-case letters, e.g. lead:潜在:lead)`,
      );
      continue;
    }
    stages.push({ key, zh, en });
  }
  if (stages.length > 0 && new Set(stages.map((s) => s.key)).size !== stages.length)
    problems.push('LIFECYCLE_STAGES: a stage key appears twice');
  return stages.length > 0 ? stages : defaultStages;
}

/** `key:中文:english:probability,…`. */
function parseDealStages(raw: string | undefined, problems: string[]): DealStageDefinition[] {
  if (!raw?.trim()) return defaultDealStages;
  const stages: DealStageDefinition[] = [];
  for (const entry of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [key = '', zh = '', en = '', p = ''] = entry.split(':').map((s) => s.trim());
    const probability = Number(p);
    if (!STAGE_KEY.test(key) || !zh || !en || !/^\d{1,3}$/.test(p) || probability > 100) {
      problems.push(
        `DEAL_STAGES: "${entry}" is not key:中文:english:probability (0-100, e.g. proposal:方案报价:proposal:40)`,
      );
      continue;
    }
    stages.push({ key, zh, en, probability });
  }
  return stages.length > 0 ? stages : defaultDealStages;
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** `Mon-Fri 09:00-18:00` (days optional: every day). */
function parseBusinessHours(raw: string, problems: string[]): BusinessHours | null {
  const m = /^(?:([a-z]{3})(?:-([a-z]{3}))?\s+)?(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/i.exec(raw);
  const from = m?.[1] ? DAYS.indexOf(m[1].toLowerCase()) : 0;
  const to = m?.[1] ? DAYS.indexOf((m[2] ?? m[1]).toLowerCase()) : 6;
  const start = m ? Number(m[3]) * 60 + Number(m[4]) : -1;
  const end = m ? Number(m[5]) * 60 + Number(m[6]) : -1;
  if (!m || from < 0 || to < 0 || start >= end || end > 24 * 60) {
    problems.push('BUSINESS_HOURS must look like "Mon-Fri 09:00-18:00" or "09:00-18:00"');
    return null;
  }
  const days: number[] = [];
  for (let d = from; ; d = (d + 1) % 7) {
    days.push(d);
    if (d === to) break;
  }
  return { days, startMinute: start, endMinute: end };
}
