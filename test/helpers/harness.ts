import { readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import type { HostResolver } from '../../adapters/robot-urls.ts';
import type { Database } from '../../db/schema.ts';
import { loadConfig } from '../../src/config.ts';
import type { Clock, Logger } from '../../src/core/ports/clock.ts';
import type { QueueSettings } from '../../src/jobs/settings.ts';
import { type NodeServer, startNodeServer } from '../../src/node/server.ts';
import type { DialectUnderTest, TestDatabase } from './databases.ts';
import { FakeFeishu } from './fake-feishu.ts';
import { FakeTelegram } from './fake-telegram.ts';
import { FakeWecom } from './fake-wecom.ts';

const telegramConfig = JSON.parse(
  readFileSync(new URL('../fixtures/telegram/config.json', import.meta.url), 'utf8'),
) as { botToken: string; webhookSecret: string };

export const BOT_TOKEN = telegramConfig.botToken;
export const WEBHOOK_SECRET = telegramConfig.webhookSecret;
export const API_TOKEN = 'test-api-token-0123456789abcdef';
/** 张三 (rep, Business account owner) and 李四 (manager), as in the shared fixtures. */
export const ADMIN_IDS = 'telegram:5123456789,telegram:5234567890';

export const fastQueues: Partial<QueueSettings> = {
  pollMs: 50,
  leaseMs: 3_000,
  retryBaseMs: 50,
  retryMaxMs: 300,
  sendTimeoutMs: 3_000,
};

/** Real time, shifted to start at a chosen moment (the fixtures' signed timestamps) and movable forward. */
export class TestClock implements Clock {
  private offset: number;
  constructor(startAt = Date.now()) {
    this.offset = startAt - Date.now();
  }
  now(): number {
    return Date.now() + this.offset;
  }
  advance(ms: number): void {
    this.offset += ms;
  }
}

/** 2026-03-02 10:15:00 +08:00: the shared fixtures' signed requests are fresh at this time. */
export const FIXTURE_TIME = 1772417700_000;

export const WECOM_ENV = {
  WECOM_CORP_ID: 'wx5823bf96d3bd56c7',
  WECOM_TOKEN: 'QDG6eK',
  WECOM_ENCODING_AES_KEY: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  WECOM_AGENT_ID: '1000002',
  WECOM_AGENT_SECRET: 'fixture-agent-secret-xlAFMDwlhE9KmauBRP1BSu',
  WECOM_CONTACT_SECRET: 'fixture-contact-secret-PsXAfAKrjflTuzdHe4id',
  WECOM_KF_SECRET: 'fixture-kf-secret-ReYGWYBQxS0qm20N34ffVmCnB',
};

export const FEISHU_ENV = {
  FEISHU_APP_ID: 'cli_a7c2e9f4b1d3500e',
  FEISHU_APP_SECRET: 'WTzZnHp5ZGH3ooJYNDkoF0eQfDk3UAtH',
  FEISHU_ENCRYPT_KEY: 'KvQI5CPswWKY1BBBmq4euNFgOUGGk8lB',
  FEISHU_VERIFICATION_TOKEN: 'wIjqFEVlgNZOxnRMDrBqpR74QkCdOJAM',
};

export interface LogLine {
  level: string;
  fields: object;
  message: string;
}

/** Keeps every log line, so tests can check that no customer data reaches the logs. */
export function recordingLogger(lines: LogLine[]): Logger {
  const at = (level: string) => (fields: object, message: string) => lines.push({ level, fields, message });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export interface Harness {
  url: string;
  clock: TestClock;
  telegram: FakeTelegram;
  /** Present when started with `wecom: true`. */
  wecom: FakeWecom;
  /** Present when started with `feishu: true`. */
  feishu: FakeFeishu;
  database: TestDatabase;
  db: Kysely<Database>;
  server: NodeServer;
  logs: LogLine[];
  postUpdate(update: unknown, options?: { secret?: string | null }): Promise<Response>;
  api<T = unknown>(
    path: string,
    token?: string | null,
    init?: RequestInit,
  ): Promise<{ status: number; body: T }>;
  /** Stops the server and starts a new one on the same database (a process restart). */
  restart(): Promise<void>;
  /** Starts another instance on the same database, clock and fake platforms (scaled out); closed with the harness. */
  startAnother(): Promise<NodeServer>;
  /** Stops the server without starting another (a process that is down until `restart`). */
  stop(): Promise<void>;
  close(): Promise<void>;
}

/** The real Liaison server on a real database, with a fake Bot API on loopback. */
export async function startHarness(
  dialect: DialectUnderTest,
  options: {
    env?: Record<string, string>;
    settings?: Partial<QueueSettings>;
    wecom?: boolean;
    feishu?: boolean;
    clockAt?: number;
    /** Answers the robot webhook address check instead of the system resolver. */
    resolveHost?: HostResolver;
  } = {},
): Promise<Harness> {
  const telegram = await new FakeTelegram(BOT_TOKEN).start();
  const wecom = await new FakeWecom({
    corpId: WECOM_ENV.WECOM_CORP_ID,
    secrets: [WECOM_ENV.WECOM_AGENT_SECRET, WECOM_ENV.WECOM_CONTACT_SECRET, WECOM_ENV.WECOM_KF_SECRET],
  }).start();
  const clock = new TestClock(options.clockAt);
  const feishu = await new FakeFeishu().start();
  feishu.now = () => clock.now();
  const database = await dialect.open({ migrate: false });
  const logs: LogLine[] = [];
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    TELEGRAM_BOT_TOKEN: BOT_TOKEN,
    TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    ADMIN_IDS,
    API_TOKEN,
    // The nightly reconciliation would start a directory sync in any test whose clock reads 03:00–06:00 local time:
    // on only where a test is about it.
    NIGHTLY_SYNC: 'off',
    ...(options.wecom ? { ...WECOM_ENV, WECOM_API_BASE: wecom.apiBase } : {}),
    ...(options.feishu ? { ...FEISHU_ENV, FEISHU_DOMAIN: feishu.domain } : {}),
    ...options.env,
  });
  const start = (db: Kysely<Database>) =>
    startNodeServer({
      config,
      db,
      clock,
      logger: recordingLogger(logs),
      settings: { ...fastQueues, ...options.settings },
      ...(options.resolveHost ? { resolveHost: options.resolveHost } : {}),
    });
  let db = database.db;
  let server = await start(db);
  let stopped = false;
  const others: NodeServer[] = [];

  const harness: Harness = {
    get url() {
      return server.url;
    },
    clock,
    telegram,
    wecom,
    feishu,
    database,
    get db() {
      return db;
    },
    get server() {
      return server;
    },
    logs,
    postUpdate(update, { secret = WEBHOOK_SECRET } = {}) {
      return fetch(`${server.url}/webhooks/telegram`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }),
        },
        body: typeof update === 'string' ? update : JSON.stringify(update),
      });
    },
    async api(path, token = API_TOKEN, init = {}) {
      const headers = {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(init.headers as Record<string, string> | undefined),
      };
      const res = await fetch(`${server.url}/api${path}`, { ...init, headers });
      return { status: res.status, body: await res.json() };
    },
    async restart() {
      if (!stopped) await server.close();
      stopped = false;
      // A new connection, as a new process has; kept while another instance shares it (`startAnother`).
      if (database.dialect === 'sqlite' && others.length === 0) {
        await db.destroy();
        db = database.reopen();
      }
      server = await start(db);
    },
    async startAnother() {
      // On SQLite the second instance shares the first one's connection. SQLite serves one process, and two
      // connections of one thread deadlock: one waits synchronously for a lock only the other, on the same stopped
      // thread, can release (until the 5 s busy timeout fails it).
      const another = await start(db);
      others.push(another);
      return another;
    },
    async stop() {
      await server.close();
      stopped = true;
    },
    async close() {
      for (const other of others.splice(0)) await other.close();
      if (!stopped) await server.close();
      await telegram.close();
      await wecom.close();
      await feishu.close();
      await database.cleanup();
    },
  };
  return harness;
}

/** Polls until `probe` returns a value (not undefined/false/null) or the time runs out. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  // Generous: it returns as soon as the probe holds, and a loaded 2-core CI runs timed work late (3 s failed there).
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value as T;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
