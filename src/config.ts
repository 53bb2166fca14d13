import { z } from 'zod';
import type { FeishuConfig } from '../adapters/feishu/index.ts';
import { type ExtraRobotHost, parseRobotHostsAllow } from '../adapters/robot-urls.ts';
import type { TelegramConfig } from '../adapters/telegram/index.ts';
import type { WecomConfig } from '../adapters/wecom/index.ts';
import { databaseKindProblem } from '../db/database-url.ts';
import type { Platform } from '../db/schema.ts';
import { type AttachmentSettings, parseAttachmentSettings } from './config-attachments.ts';
import { isTimeZone, minutesOf, parseOrgSettings } from './config-org.ts';
import { parseStaffIds, playgroundOn, wholeNumber } from './config-values.ts';
import { parseWebAppSettings, type WebAppSettings } from './config-web.ts';
import type { OrgSettings } from './core/kernel/runtime.ts';

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  /** PostgreSQL connections this instance keeps open at most (ignored for SQLite). */
  databasePoolSize: number;
  /** PostgreSQL: run prepared queries as named statements (off behind a pooler that cannot carry them). */
  databaseNamedStatements: boolean;
  /** Workers: D1 queries one invocation may make (D1's limit per Worker invocation); ignored elsewhere. */
  d1QueryLimit: number;
  /** null: the integration API is off (answers 404). */
  apiToken: string | null;
  /** Bearer token for GET /metrics (Prometheus); null: /metrics answers 404. */
  metricsToken: string | null;
  adminIds: Array<{ platform: Platform; userId: string }>;
  /** Public base URL of this service; when set, webhooks are registered with the platforms at start. */
  publicUrl: string | null;
  logLevel: string;
  /** null: the adapter is off (its webhook answers 404). */
  telegram: TelegramConfig | null;
  wecom: WecomConfig | null;
  feishu: FeishuConfig | null;
  /** The staff member whose role and data scope the API token has; null: the token acts as an admin. */
  apiTokenStaff: { platform: Platform; userId: string } | null;
  /** An OpenAI-compatible endpoint for plain-language requests; null: no LLM. */
  llm: { apiKey: string; baseUrl: string; model: string } | null;
  org: OrgSettings;
  /** An admin's tag rule file (JSON) replacing the shipped rules; read by the Node entry at start. */
  tagRulesFile: string | null;
  /** Ask the LLM about customer conversations for tags (when an LLM is configured). */
  autoTagLlm: boolean;
  /** The local playground (`/playground` and the web channel), Node only; see `playgroundOn`. */
  playground: boolean;
  /** Hosts robot webhooks may use besides the platforms' own (ROBOT_HOSTS_ALLOW); see adapters/robot-urls.ts. */
  robotHosts: ExtraRobotHost[];
  /** Where message attachments are kept and how large they may be (config-attachments.ts). */
  attachments: AttachmentSettings;
  /** The web app beside the chat (sessions, sign-in); served under PUBLIC_URL/app when PUBLIC_URL is set. */
  web: WebAppSettings;
}

/** Every problem found in the environment, each naming the variable to fix. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const optional = (schema: z.ZodType<string>) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

const httpUrl = (name: string) =>
  z
    .string()
    .trim()
    .refine((v) => /^https?:\/\/[^\s/]+/i.test(v), `${name} must be an http(s) URL`);

const schema = z.object({
  PORT: z.preprocess(
    (v) => (v === undefined || v === '' ? '8787' : v),
    z.coerce
      .number({ error: 'PORT must be a number' })
      .int('PORT must be a whole number')
      .min(0)
      .max(65535, 'PORT must be at most 65535'),
  ),
  HOST: z.preprocess((v) => (v === undefined || v === '' ? '0.0.0.0' : v), z.string().trim().min(1)),
  DATABASE_URL: z.preprocess(
    (v) => (v === undefined || v === '' ? './data/liaison.sqlite' : v),
    z
      .string()
      .trim()
      // Any other scheme (mysql://, a typo like postgress://) would otherwise become a SQLite file of that name.
      .refine((url) => databaseKindProblem(url) === null, {
        error: (issue) => databaseKindProblem(String(issue.input)) ?? 'DATABASE_URL is not usable',
      }),
  ),
  DATABASE_POOL_SIZE: z.preprocess(
    (v) => (v === undefined || v === '' ? '10' : v),
    z.coerce
      .number({ error: 'DATABASE_POOL_SIZE must be a number' })
      .int('DATABASE_POOL_SIZE must be a whole number')
      .min(1, 'DATABASE_POOL_SIZE must be at least 1')
      .max(100, 'DATABASE_POOL_SIZE must be at most 100'),
  ),
  DATABASE_PREPARED_STATEMENTS: z.preprocess(
    (v) => (v === undefined || v === '' ? 'on' : String(v).trim().toLowerCase()),
    z.enum(['on', 'off'], { error: 'DATABASE_PREPARED_STATEMENTS must be on or off' }),
  ),
  API_TOKEN: optional(
    z
      .string()
      .min(16, 'API_TOKEN must be at least 16 characters (a long random value, e.g. `openssl rand -hex 24`)'),
  ),
  METRICS_TOKEN: optional(
    z
      .string()
      .min(
        16,
        'METRICS_TOKEN must be at least 16 characters (a long random value, e.g. `openssl rand -hex 24`)',
      ),
  ),
  ADMIN_IDS: optional(z.string()),
  PUBLIC_URL: optional(httpUrl('PUBLIC_URL')),
  LOG_LEVEL: z.preprocess(
    (v) => (v === undefined || v === '' ? 'info' : v),
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    }),
  ),
  TELEGRAM_BOT_TOKEN: optional(
    z
      .string()
      .trim()
      .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'TELEGRAM_BOT_TOKEN does not look like a bot token (123456789:AA…)'),
  ),
  TELEGRAM_WEBHOOK_SECRET: optional(
    z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]+$/, 'TELEGRAM_WEBHOOK_SECRET may only contain A-Z a-z 0-9 _ -')
      .min(
        16,
        'TELEGRAM_WEBHOOK_SECRET must be at least 16 characters (it is the only proof an update is genuine)',
      )
      .max(256, 'TELEGRAM_WEBHOOK_SECRET must be at most 256 characters'),
  ),
  TELEGRAM_API_ROOT: z.preprocess(
    (v) => (v === undefined || v === '' ? 'https://api.telegram.org' : v),
    httpUrl('TELEGRAM_API_ROOT'),
  ),
  WECOM_CORP_ID: optional(
    z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9]{4,64}$/, 'WECOM_CORP_ID must be the corp id (ww… / wx…)'),
  ),
  WECOM_TOKEN: optional(
    z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9]{1,32}$/, 'WECOM_TOKEN must be 1-32 letters and digits'),
  ),
  WECOM_ENCODING_AES_KEY: optional(
    z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9+/]{43}$/, 'WECOM_ENCODING_AES_KEY must be the 43-character EncodingAESKey'),
  ),
  WECOM_AGENT_ID: optional(
    z
      .string()
      .trim()
      .regex(/^\d{1,10}$/, 'WECOM_AGENT_ID must be the numeric AgentId'),
  ),
  WECOM_AGENT_SECRET: optional(z.string().trim().min(8, 'WECOM_AGENT_SECRET is too short to be a secret')),
  WECOM_CONTACT_SECRET: optional(
    z.string().trim().min(8, 'WECOM_CONTACT_SECRET is too short to be a secret'),
  ),
  WECOM_KF_SECRET: optional(z.string().trim().min(8, 'WECOM_KF_SECRET is too short to be a secret')),
  // Standard Webhooks secret: `whsec_` and 24-64 random bytes in base64.
  WECOM_ARCHIVE_SECRET: optional(
    z
      .string()
      .trim()
      .regex(
        /^whsec_(?:[A-Za-z0-9+/]{4}){8,22}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/,
        'WECOM_ARCHIVE_SECRET must be a Standard Webhooks secret: whsec_ and 24-64 random bytes in base64',
      ),
  ),
  WECOM_API_BASE: z.preprocess(
    (v) => (v === undefined || v === '' ? 'https://qyapi.weixin.qq.com' : v),
    httpUrl('WECOM_API_BASE'),
  ),
  FEISHU_APP_ID: optional(
    z
      .string()
      .trim()
      .regex(/^cli_[A-Za-z0-9]+$/, 'FEISHU_APP_ID must be the app id (cli_…)'),
  ),
  FEISHU_APP_SECRET: optional(z.string().trim().min(16, 'FEISHU_APP_SECRET is too short to be a secret')),
  FEISHU_ENCRYPT_KEY: optional(
    z.string().trim().min(8, 'FEISHU_ENCRYPT_KEY is too short: set the Encrypt Key of the app'),
  ),
  FEISHU_VERIFICATION_TOKEN: optional(
    z.string().trim().min(8, 'FEISHU_VERIFICATION_TOKEN is too short to be a token'),
  ),
  FEISHU_DOMAIN: z.preprocess(
    (v) => (v === undefined || v === '' ? 'feishu' : v),
    z
      .string()
      .trim()
      .refine(
        (v) => v === 'feishu' || v === 'lark' || /^https?:\/\/[^\s/]+/i.test(v),
        'FEISHU_DOMAIN must be feishu, lark or an http(s) URL',
      ),
  ),
  TIMEZONE: z.preprocess(
    (v) => (v === undefined || v === '' ? 'Asia/Shanghai' : v),
    z
      .string()
      .trim()
      .refine(isTimeZone, 'TIMEZONE must be an IANA time zone such as Asia/Shanghai or Europe/Berlin'),
  ),
  OPENAI_API_KEY: optional(z.string().trim().min(1)),
  OPENAI_BASE_URL: z.preprocess(
    (v) => (v === undefined || v === '' ? 'https://api.openai.com/v1' : v),
    httpUrl('OPENAI_BASE_URL'),
  ),
  OPENAI_MODEL: z.preprocess(
    (v) => (v === undefined || v === '' ? 'gpt-4o-mini' : v),
    z.string().trim().min(1).max(200),
  ),
  API_TOKEN_STAFF: optional(z.string().trim()),
  TAG_RULES_FILE: optional(z.string().trim()),
  PLAYGROUND: optional(
    z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.enum(['on', 'off'], { error: 'PLAYGROUND must be on or off' })),
  ),
  AUTO_TAG_LLM: z.preprocess(
    (v) => (v === undefined || v === '' ? 'on' : String(v).trim().toLowerCase()),
    z.enum(['on', 'off'], { error: 'AUTO_TAG_LLM must be on or off' }),
  ),
  CUSTOMER_AUTO_REPLY: optional(
    z.string().trim().max(500, 'CUSTOMER_AUTO_REPLY must be at most 500 characters'),
  ),
  CUSTOMER_AUTO_REPLY_EN: optional(
    z.string().trim().max(500, 'CUSTOMER_AUTO_REPLY_EN must be at most 500 characters'),
  ),
  CONTACT_WELCOME: optional(
    z.string().trim().max(1000, 'CONTACT_WELCOME must be at most 1000 characters (WeCom takes 4000 bytes)'),
  ),
  SERVICE_WELCOME: optional(
    z.string().trim().max(600, 'SERVICE_WELCOME must be at most 600 characters (WeChat takes 2048 bytes)'),
  ),
  BUSINESS_HOURS: optional(z.string().trim()),
  DIGEST_AT: z.preprocess(
    (v) => (v === undefined || v === '' ? '09:00' : v),
    z
      .string()
      .trim()
      .regex(/^([01]?\d|2[0-3]):[0-5]\d$/, 'DIGEST_AT must be a local time like 09:00'),
  ),
  DIGEST_TZ: optional(
    z.string().trim().refine(isTimeZone, 'DIGEST_TZ must be an IANA time zone such as Asia/Shanghai'),
  ),
  LIFECYCLE_STAGES: optional(z.string().trim()),
  DEAL_STAGES: optional(z.string().trim()),
  INBOX_PAYLOAD_RETENTION_DAYS: z.preprocess(
    (v) => (v === undefined || v === '' ? '30' : v),
    z.coerce
      .number({ error: 'INBOX_PAYLOAD_RETENTION_DAYS must be a number of days (0 keeps payloads)' })
      .int('INBOX_PAYLOAD_RETENTION_DAYS must be a whole number of days')
      .min(0, 'INBOX_PAYLOAD_RETENTION_DAYS must be 0 (keep) or more')
      .max(3650, 'INBOX_PAYLOAD_RETENTION_DAYS must be at most 3650'),
  ),
  WECOM_TAG_GROUP: z.preprocess(
    (v) => (v === undefined || v === '' ? 'Liaison' : v),
    z.string().trim().min(1).max(30, 'WECOM_TAG_GROUP must be at most 30 characters'),
  ),
});

/** An adapter is on when all of its required variables are set, off when none is; anything between is an error. */
const ADAPTER_VARIABLES = {
  telegram: { required: ['TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET'], optional: [] },
  wecom: {
    required: [
      'WECOM_CORP_ID',
      'WECOM_TOKEN',
      'WECOM_ENCODING_AES_KEY',
      'WECOM_AGENT_ID',
      'WECOM_AGENT_SECRET',
    ],
    optional: ['WECOM_CONTACT_SECRET', 'WECOM_KF_SECRET', 'WECOM_ARCHIVE_SECRET'],
  },
  // The Encrypt Key is required: without it Feishu neither encrypts nor signs events.
  feishu: {
    required: ['FEISHU_APP_ID', 'FEISHU_APP_SECRET', 'FEISHU_ENCRYPT_KEY', 'FEISHU_VERIFICATION_TOKEN'],
    optional: [],
  },
} as const;

/** Reads and validates the configuration; throws ConfigError listing every problem at once. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = schema.safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((i) =>
        i.message.includes(String(i.path[0])) ? i.message : `${String(i.path[0])}: ${i.message}`,
      );
  const admins = parseStaffIds('ADMIN_IDS', env.ADMIN_IDS, problems);
  const apiTokenStaff = parseStaffIds('API_TOKEN_STAFF', env.API_TOKEN_STAFF, problems);
  if (apiTokenStaff.length > 1) problems.push('API_TOKEN_STAFF must name one staff member (platform:userId)');
  const org = parseOrgSettings(env, problems);
  const robotHosts = parseRobotHostsAllow(env.ROBOT_HOSTS_ALLOW, problems);
  const attachments = parseAttachmentSettings(env, problems);
  const web = parseWebAppSettings(env, problems);
  const d1QueryLimit = wholeNumber('D1_QUERY_LIMIT', env.D1_QUERY_LIMIT, 1_000, 500, 100_000, problems);
  const has = (name: string) => Boolean(env[name]?.trim());
  for (const { required, optional: extras } of Object.values(ADAPTER_VARIABLES)) {
    const set = [...required, ...extras].filter(has);
    const missing = required.filter((name) => !has(name));
    if (set.length > 0 && missing.length > 0) {
      problems.push(
        `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} required when ${set.join(', ')} ${set.length === 1 ? 'is' : 'are'} set` +
          (missing.includes('TELEGRAM_WEBHOOK_SECRET') ? ' (without it anyone could post fake updates)' : ''),
      );
    }
  }
  const v = parsed.data;
  if (problems.length > 0 || !v) throw new ConfigError(problems);
  return {
    port: v.PORT,
    host: v.HOST,
    databaseUrl: v.DATABASE_URL,
    databasePoolSize: v.DATABASE_POOL_SIZE,
    databaseNamedStatements: v.DATABASE_PREPARED_STATEMENTS === 'on',
    d1QueryLimit,
    apiToken: v.API_TOKEN ?? null,
    metricsToken: v.METRICS_TOKEN ?? null,
    apiTokenStaff: apiTokenStaff[0] ?? null,
    adminIds: admins,
    llm: v.OPENAI_API_KEY
      ? {
          apiKey: v.OPENAI_API_KEY,
          baseUrl: v.OPENAI_BASE_URL.replace(/\/+$/, ''),
          model: v.OPENAI_MODEL,
        }
      : null,
    org: {
      ...org,
      timeZone: v.TIMEZONE,
      digestAtMinute: minutesOf(v.DIGEST_AT),
      digestTimeZone: v.DIGEST_TZ ?? v.TIMEZONE,
      inboxPayloadRetentionDays: v.INBOX_PAYLOAD_RETENTION_DAYS,
    },
    tagRulesFile: v.TAG_RULES_FILE ?? null,
    autoTagLlm: v.AUTO_TAG_LLM === 'on',
    playground: playgroundOn(v.PLAYGROUND, env.NODE_ENV, v.PUBLIC_URL),
    robotHosts,
    attachments,
    web,
    publicUrl: v.PUBLIC_URL?.replace(/\/+$/, '') ?? null,
    logLevel: v.LOG_LEVEL,
    telegram:
      v.TELEGRAM_BOT_TOKEN && v.TELEGRAM_WEBHOOK_SECRET
        ? {
            botToken: v.TELEGRAM_BOT_TOKEN,
            webhookSecret: v.TELEGRAM_WEBHOOK_SECRET,
            apiRoot: v.TELEGRAM_API_ROOT,
          }
        : null,
    wecom: wecomSettings(v),
    feishu:
      v.FEISHU_APP_ID && v.FEISHU_APP_SECRET && v.FEISHU_ENCRYPT_KEY && v.FEISHU_VERIFICATION_TOKEN
        ? {
            appId: v.FEISHU_APP_ID,
            appSecret: v.FEISHU_APP_SECRET,
            encryptKey: v.FEISHU_ENCRYPT_KEY,
            verificationToken: v.FEISHU_VERIFICATION_TOKEN,
            domain: v.FEISHU_DOMAIN,
          }
        : null,
  };
}

function wecomSettings(v: z.infer<typeof schema>): WecomConfig | null {
  const { WECOM_CORP_ID: corpId, WECOM_TOKEN: token, WECOM_ENCODING_AES_KEY: aesKey } = v;
  if (!corpId || !token || !aesKey || !v.WECOM_AGENT_ID || !v.WECOM_AGENT_SECRET) return null;
  return {
    corpId,
    token,
    encodingAesKey: aesKey,
    agentId: Number(v.WECOM_AGENT_ID),
    agentSecret: v.WECOM_AGENT_SECRET,
    contactSecret: v.WECOM_CONTACT_SECRET ?? null,
    kfSecret: v.WECOM_KF_SECRET ?? null,
    archiveSecret: v.WECOM_ARCHIVE_SECRET ?? null,
    apiBase: v.WECOM_API_BASE.replace(/\/+$/, ''),
    tagGroup: v.WECOM_TAG_GROUP,
  };
}
