import { z } from 'zod';
import type { FeishuConfig } from '../adapters/feishu/index.ts';
import type { TelegramConfig } from '../adapters/telegram/index.ts';
import type { WecomConfig } from '../adapters/wecom/index.ts';
import type { Platform } from '../db/schema.ts';

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  /** null: the integration API is off (answers 404). */
  apiToken: string | null;
  adminIds: Array<{ platform: Platform; userId: string }>;
  /** Public base URL of this service; when set, webhooks are registered with the platforms at start. */
  publicUrl: string | null;
  logLevel: string;
  /** null: the adapter is off (its webhook answers 404). */
  telegram: TelegramConfig | null;
  wecom: WecomConfig | null;
  feishu: FeishuConfig | null;
}

/** Every problem found in the environment, each naming the variable to fix. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const PLATFORMS = ['telegram', 'wecom', 'feishu', 'web'] as const;

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
    z.string().trim(),
  ),
  API_TOKEN: optional(
    z
      .string()
      .min(16, 'API_TOKEN must be at least 16 characters (a long random value, e.g. `openssl rand -hex 24`)'),
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
    optional: ['WECOM_CONTACT_SECRET', 'WECOM_KF_SECRET'],
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
  const admins = parseAdminIds(env.ADMIN_IDS, problems);
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
    apiToken: v.API_TOKEN ?? null,
    adminIds: admins,
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
    apiBase: v.WECOM_API_BASE.replace(/\/+$/, ''),
    tagGroup: v.WECOM_TAG_GROUP,
  };
}

function parseAdminIds(raw: string | undefined, problems: string[]): Config['adminIds'] {
  const admins: Config['adminIds'] = [];
  for (const entry of (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([a-z]+):(\S+)$/.exec(entry);
    const platform = m?.[1] as Platform | undefined;
    if (!m?.[2] || !platform || !PLATFORMS.includes(platform)) {
      problems.push(
        `ADMIN_IDS: "${entry}" is not platform:userId with platform one of ${PLATFORMS.join(', ')} (e.g. telegram:111)`,
      );
      continue;
    }
    admins.push({ platform, userId: m[2] });
  }
  return admins;
}
