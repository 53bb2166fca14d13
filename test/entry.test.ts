import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ChildServer, nodeEntry, runScript, startChildServer } from './helpers/child-process.ts';
import { FakeTelegram } from './helpers/fake-telegram.ts';
import { ADMIN_IDS, BOT_TOKEN, WEBHOOK_SECRET, waitFor } from './helpers/harness.ts';

const repoRoot = new URL('..', import.meta.url).pathname;

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

  it('npm start builds the server to plain JavaScript and runs it: webhooks, playground, a digest chart', async () => {
    dir = mkdtempSync(join(tmpdir(), 'liaison-entry-'));
    telegram = await new FakeTelegram(BOT_TOKEN).start();
    // A process group of its own: npm, the shell and the server are stopped together.
    const npm = spawn('npm', ['start', '--silent'], {
      cwd: repoRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        PORT: '0',
        DATABASE_URL: join(dir, 'db.sqlite'),
        TELEGRAM_BOT_TOKEN: BOT_TOKEN,
        TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        ADMIN_IDS,
        PLAYGROUND: 'on',
      },
    });
    let out = '';
    npm.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    npm.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    try {
      const url = await waitFor(
        () => /listening on (http:\/\/\S+)/.exec(out)?.[1]?.replace('0.0.0.0', '127.0.0.1'),
        60_000,
      );
      const serverCommand = await waitFor(() => {
        const table = execFileSync('ps', ['-o', 'args=', '-g', String(npm.pid)]).toString();
        return table.split('\n').find((line) => line.startsWith('node '));
      });
      expect(serverCommand).toMatch(/^node (--\S+ )*dist\/server\.mjs/);
      expect(serverCommand).not.toContain('tsx');
      expect((await fetch(`${url}/playground`)).status).toBe(200);
      const update = {
        update_id: 901,
        message: {
          message_id: 1,
          from: { id: 5123456789, is_bot: false, first_name: '王经理', language_code: 'zh-hans' },
          chat: { id: -1001234567890, title: '销售群', type: 'supergroup' },
          date: Math.floor(Date.now() / 1000),
          text: '/digest now',
          entities: [{ offset: 0, length: 7, type: 'bot_command' }],
        },
      };
      const posted = await fetch(`${url}/webhooks/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
        body: JSON.stringify(update),
      });
      expect(posted.status).toBe(200);
      // The chart renderer is a chunk loaded on first use; the picture proves it loads from dist/.
      const photo = await waitFor(() => telegram?.callsTo('sendPhoto')[0], 30_000);
      expect(photo.files?.photo?.data.subarray(1, 4).toString()).toBe('PNG');
    } finally {
      if (npm.pid) process.kill(-npm.pid, 'SIGTERM');
      await new Promise((resolve) => npm.once('exit', resolve));
    }
  }, 120_000);
});
