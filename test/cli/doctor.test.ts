import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../db/migrate.ts';
import { openSqlite } from '../../db/sqlite.ts';
import { FakeFeishu } from '../helpers/fake-feishu.ts';
import { FakeOpenAi } from '../helpers/fake-openai.ts';
import { FakeTelegram } from '../helpers/fake-telegram.ts';
import { FakeWecom } from '../helpers/fake-wecom.ts';
import { API_TOKEN, BOT_TOKEN, FEISHU_ENV, WEBHOOK_SECRET, WECOM_ENV } from '../helpers/harness.ts';
import { runLiaison } from './run-cli.ts';

const SLOW = 120_000;
const OPENAI_KEY = 'sk-test-doctor-0123456789abcdef';
const PUBLIC_URL = 'https://crm.example.com';

let dir: string;
let database: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'liaison-doctor-'));
  database = join(dir, 'liaison.sqlite');
  const db = openSqlite(database);
  await migrateToLatest(db);
  await db.destroy();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every secret a configured Liaison knows: none may appear in what doctor prints. */
const SECRETS = [
  BOT_TOKEN,
  WEBHOOK_SECRET,
  API_TOKEN,
  OPENAI_KEY,
  WECOM_ENV.WECOM_AGENT_SECRET,
  WECOM_ENV.WECOM_CONTACT_SECRET,
  WECOM_ENV.WECOM_KF_SECRET,
  WECOM_ENV.WECOM_ENCODING_AES_KEY,
  FEISHU_ENV.FEISHU_APP_SECRET,
  FEISHU_ENV.FEISHU_ENCRYPT_KEY,
  FEISHU_ENV.FEISHU_VERIFICATION_TOKEN,
];

const lines = (stdout: string) => stdout.trim().split('\n');

describe('liaison doctor', () => {
  let telegram: FakeTelegram;
  let wecom: FakeWecom;
  let feishu: FakeFeishu;
  let openai: FakeOpenAi;
  let env: Record<string, string>;
  beforeEach(async () => {
    telegram = await new FakeTelegram(BOT_TOKEN).start();
    wecom = await new FakeWecom().start();
    feishu = await new FakeFeishu().start();
    openai = await new FakeOpenAi().start();
    telegram.script('getWebhookInfo', {
      status: 200,
      body: { ok: true, result: { url: `${PUBLIC_URL}/webhooks/telegram`, pending_update_count: 0 } },
    });
    env = {
      DATABASE_URL: database,
      API_TOKEN,
      PUBLIC_URL,
      TELEGRAM_BOT_TOKEN: BOT_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      ...WECOM_ENV,
      WECOM_API_BASE: wecom.apiBase,
      ...FEISHU_ENV,
      FEISHU_DOMAIN: feishu.domain,
      OPENAI_API_KEY: OPENAI_KEY,
      OPENAI_BASE_URL: openai.url,
    };
  });
  afterEach(async () => {
    await Promise.all([telegram.close(), wecom.close(), feishu.close(), openai.close()]);
  });

  it('says ok for every part of a working setup, one line each, and exits 0', { timeout: SLOW }, async () => {
    const result = await runLiaison(['doctor'], env, dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(lines(result.stdout)).toEqual([
      'ok   config: loaded from the environment and .env',
      expect.stringMatching(/^ok {3}database: sqlite .*liaison\.sqlite answers; \d+ migrations applied$/),
      'ok   telegram: bot @LiaisonCrmBot answers',
      `ok   telegram webhook: ${PUBLIC_URL}/webhooks/telegram (0 updates waiting)`,
      'ok   wecom: WECOM_AGENT_SECRET accepted',
      'ok   wecom: WECOM_CONTACT_SECRET accepted',
      'ok   wecom: WECOM_KF_SECRET accepted',
      `ok   feishu: app ${FEISHU_ENV.FEISHU_APP_ID} accepted`,
      `ok   llm: gpt-4o-mini at ${openai.url} answers`,
      expect.stringMatching(
        /^ok {3}attachments: kept on disk in .*attachments( \(created with the first file\))?$/,
      ),
      'ok   attachments: staff download them through signed links (GET /api/messages/{id}/file)',
      'All checks passed.',
    ]);
    expect(wecom.callsTo('/cgi-bin/gettoken')).toHaveLength(3);
    expect(openai.requests).toHaveLength(1);
    for (const secret of SECRETS) expect(result.stdout).not.toContain(secret);
  });

  it('names a refused bot token, a refused WeCom secret, a silent Feishu and a refused LLM key, one line each', {
    timeout: SLOW,
  }, async () => {
    const wrongToken = '7012345678:AAwrongwrongwrongwrongwrongwrong';
    const wrongSecret = 'not-the-contact-secret-at-all';
    feishu.script('POST', '/open-apis/auth/v3/tenant_access_token/internal', 'hang');
    openai.script({ status: 401, error: 'Incorrect API key provided' });
    const result = await runLiaison(
      ['doctor'],
      { ...env, TELEGRAM_BOT_TOKEN: wrongToken, WECOM_CONTACT_SECRET: wrongSecret },
      dir,
    );
    expect(result.code).toBe(1);
    const out = lines(result.stdout);
    expect(out).toContain(
      'FAIL telegram: the bot token was refused (404 Not Found) — check TELEGRAM_BOT_TOKEN',
    );
    expect(out).toContain(
      "FAIL wecom: WECOM_CONTACT_SECRET was refused (40001 invalid credential) — check WECOM_CONTACT_SECRET (the app's Secret) and WECOM_CORP_ID",
    );
    expect(out).toContain('ok   wecom: WECOM_AGENT_SECRET accepted');
    expect(out).toContain(
      `FAIL feishu: cannot reach ${feishu.domain} (no answer within 5 s) — check the network or FEISHU_DOMAIN`,
    );
    expect(out).toContain('FAIL llm: the API key was refused (401) — check OPENAI_API_KEY');
    expect(out.at(-1)).toBe('4 check(s) failed.');
    for (const secret of [...SECRETS, wrongToken, wrongSecret]) expect(result.stdout).not.toContain(secret);
  });

  it('says when Telegram delivers nowhere, and how to fix it', { timeout: SLOW }, async () => {
    // A Bot API of its own: the one from beforeEach already has a webhook scripted.
    const fresh = await new FakeTelegram(BOT_TOKEN).start();
    fresh.script('getWebhookInfo', {
      status: 200,
      body: { ok: true, result: { url: '', pending_update_count: 3 } },
    });
    try {
      const result = await runLiaison(['doctor'], { ...env, TELEGRAM_API_ROOT: fresh.apiRoot }, dir);
      expect(result.code).toBe(1);
      expect(lines(result.stdout)).toContain(
        `FAIL telegram webhook: not set, so no update reaches Liaison — run liaison telegram set-webhook ${PUBLIC_URL}/webhooks/telegram`,
      );
    } finally {
      await fresh.close();
    }
  });

  it('reports an unreachable database in one line with exit 1, and no stack trace', {
    timeout: SLOW,
  }, async () => {
    const result = await runLiaison(
      [
        'doctor',
        '--database',
        'postgres://liaison:hunter2-db-password@127.0.0.1:1/liaison?password=query-db-password',
      ],
      env,
      dir,
    );
    expect(result.code).toBe(1);
    const failed = lines(result.stdout).filter((l) => l.startsWith('FAIL'));
    expect(failed).toEqual([
      'FAIL database: cannot use postgres postgres://liaison:***@127.0.0.1:1/liaison?password=*** (pool 2): cannot connect to PostgreSQL at 127.0.0.1:1: connection refused — is PostgreSQL running and listening on that address and port?',
    ]);
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout + result.stderr).not.toContain('hunter2-db-password');
    expect(result.stdout + result.stderr).not.toContain('query-db-password');
  });

  it('reports a SQLite file it cannot open in one FAIL line, and goes on with the other checks', {
    timeout: SLOW,
  }, async () => {
    const notAFile = join(dir, 'a-folder.sqlite');
    mkdirSync(notAFile, { recursive: true });
    const result = await runLiaison(['doctor', '--database', notAFile], env, dir);
    expect(result.code).toBe(1);
    const out = lines(result.stdout);
    expect(out.filter((l) => l.startsWith('FAIL'))).toEqual([
      `FAIL database: cannot use sqlite ${notAFile}: that is a folder, not a file — name a file, e.g. ./data/liaison.sqlite`,
    ]);
    expect(out).toContainEqual(expect.stringMatching(/^ok {3}telegram: /));
    expect(out).toContainEqual(expect.stringMatching(/^ok {3}llm: /));
    expect(result.stderr).toBe('');

    const aFile = join(dir, 'in-the-way');
    writeFileSync(aFile, 'x');
    const unmakeable = await runLiaison(['doctor', '--database', join(aFile, 'db', 'x.sqlite')], env, dir);
    expect(lines(unmakeable.stdout).filter((l) => l.startsWith('FAIL'))).toEqual([
      `FAIL database: sqlite ${join(aFile, 'db', 'x.sqlite')} does not exist and cannot be created: ${aFile} is a file, so the folder ${join(aFile, 'db')} cannot be made — fix DATABASE_URL or the folder`,
    ]);
  });

  it('runs on a configuration that does not load, listing every problem', { timeout: SLOW }, async () => {
    const result = await runLiaison(
      ['doctor'],
      { DATABASE_URL: database, PORT: 'eighty', TELEGRAM_BOT_TOKEN: BOT_TOKEN, OPENAI_API_KEY: OPENAI_KEY },
      dir,
    );
    expect(result.code).toBe(1);
    const out = lines(result.stdout);
    expect(out).toContain('FAIL config: PORT must be a number (see .env.example)');
    expect(out).toContainEqual(
      expect.stringMatching(
        /^FAIL config: TELEGRAM_WEBHOOK_SECRET is required when TELEGRAM_BOT_TOKEN is set/,
      ),
    );
    expect(out).toContainEqual(expect.stringMatching(/^ok {3}database: sqlite /));
    expect(out).toContain('off  platforms and llm: not checked until the configuration loads');
    expect(result.stdout).not.toContain(BOT_TOKEN);
    expect(result.stdout).not.toContain(OPENAI_KEY);
  });
});
