import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ChildServer, nodeEntry, runScript, startChildServer } from './helpers/child-process.ts';
import { FakeTelegram } from './helpers/fake-telegram.ts';
import { BOT_TOKEN, WEBHOOK_SECRET, waitFor } from './helpers/harness.ts';

/** `npm start` as a user runs it: the real entry, its banner, its exit codes. */
describe('the Node entry (npm start)', () => {
  let dir: string;
  let server: ChildServer | undefined;
  let telegram: FakeTelegram | undefined;
  afterEach(async () => {
    await server?.kill();
    await telegram?.close();
    server = undefined;
    telegram = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts on embedded SQLite with nothing configured, says what is off, and stops cleanly', async () => {
    dir = mkdtempSync(join(tmpdir(), 'liaison-entry-'));
    server = await startChildServer(
      { PORT: '0', DATABASE_URL: join(dir, 'nested', 'liaison.sqlite') },
      nodeEntry,
      dir,
    );
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/webhooks/telegram`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await fetch(`${server.url}/api/customers`)).status).toBe(404);
    const { stdout } = server.output();
    expect(stdout).toContain('telegram  off (set TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET)');
    expect(stdout).toContain('api       off (set API_TOKEN)');
    expect(existsSync(join(dir, 'nested', 'liaison.sqlite'))).toBe(true);
    expect(await server.kill('SIGTERM')).toBe(0);
  });

  it('refuses to start half-configured, naming the missing variable', async () => {
    dir = mkdtempSync(join(tmpdir(), 'liaison-entry-'));
    const result = await runScript(
      nodeEntry,
      { PORT: '0', DATABASE_URL: join(dir, 'db.sqlite'), TELEGRAM_BOT_TOKEN: BOT_TOKEN },
      dir,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('TELEGRAM_WEBHOOK_SECRET is required when TELEGRAM_BOT_TOKEN is set');
    expect(result.stderr).not.toContain(BOT_TOKEN);
  });

  it('refuses a tag rule file that does not validate, naming the rule and the field', async () => {
    dir = mkdtempSync(join(tmpdir(), 'liaison-entry-'));
    const rules = join(dir, 'rules.json');
    writeFileSync(
      rules,
      JSON.stringify({
        version: 1,
        rules: [{ id: 'vip.zh', tag: 'VIP', lang: 'zh', regexes: ['(a+)+'], confidence: 0.5 }],
      }),
    );
    const result = await runScript(
      nodeEntry,
      { PORT: '0', DATABASE_URL: join(dir, 'db.sqlite'), TAG_RULES_FILE: rules },
      dir,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('rule "vip.zh" field regexes[0]');
  });

  it('reads .env, turns Telegram on and registers the webhook when PUBLIC_URL is set', async () => {
    dir = mkdtempSync(join(tmpdir(), 'liaison-entry-'));
    telegram = await new FakeTelegram(BOT_TOKEN).start();
    writeFileSync(
      join(dir, '.env'),
      [
        'PORT=0',
        `DATABASE_URL=${join(dir, 'db.sqlite')}`,
        `TELEGRAM_BOT_TOKEN=${BOT_TOKEN}`,
        `TELEGRAM_WEBHOOK_SECRET=${WEBHOOK_SECRET}`,
        `TELEGRAM_API_ROOT=${telegram.apiRoot}`,
        'PUBLIC_URL=https://crm.example.com/',
        'API_TOKEN=',
      ].join('\n'),
    );
    server = await startChildServer({}, nodeEntry, dir);
    expect(server.output().stdout).toContain('telegram  on  POST /webhooks/telegram');
    const registered = await waitFor(() => telegram?.callsTo('setWebhook')[0]);
    expect(registered.body).toEqual({
      url: 'https://crm.example.com/webhooks/telegram',
      secret_token: WEBHOOK_SECRET,
      allowed_updates: expect.arrayContaining(['message', 'business_message', 'edited_business_message']),
    });
  });
});
