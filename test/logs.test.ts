import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ChildServer, nodeEntry, startChildServer } from './helpers/child-process.ts';
import { serverDialectsUnderTest, type TestDatabase } from './helpers/databases.ts';
import { FakeTelegram } from './helpers/fake-telegram.ts';
import { API_TOKEN, BOT_TOKEN, WEBHOOK_SECRET, waitFor } from './helpers/harness.ts';

const METRICS_TOKEN = 'metrics-token-for-the-log-test-0123';
const ADMIN = 5123456789;
const CUSTOMER = 6234567890;
const CUSTOMER_NAME = '王大锤';
const PHONE = '13912345678';
const MESSAGE = `你好，我是${CUSTOMER_NAME}，电话 ${PHONE}，想了解一下企业版的报价`;

let nextUpdate = 910_000_000;

/** What must never be in a log line: the secrets, and what the customer is and wrote. */
const FORBIDDEN = [
  BOT_TOKEN,
  WEBHOOK_SECRET,
  API_TOKEN,
  METRICS_TOKEN,
  PHONE,
  CUSTOMER_NAME,
  MESSAGE,
  '企业版的报价',
];

for (const dialect of serverDialectsUnderTest()) {
  describe(`structured logs of the running server on ${dialect.name}`, () => {
    let dir: string;
    let t: TestDatabase;
    let telegram: FakeTelegram;
    let server: ChildServer;
    afterEach(async () => {
      await server?.kill();
      await telegram?.close().catch(() => {});
      await t?.cleanup();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const post = (
      from: { id: number; first_name: string; last_name?: string },
      text: string,
      secret = WEBHOOK_SECRET,
    ) => {
      const id = nextUpdate++;
      return fetch(`${server.url}/webhooks/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
        body: JSON.stringify({
          update_id: id,
          message: {
            message_id: id,
            date: Math.floor(Date.now() / 1000),
            chat: { id: from.id, type: 'private', first_name: from.first_name },
            from: { ...from, is_bot: false, language_code: 'zh-hans' },
            text,
          },
        }),
      });
    };
    const answersTo = (chatId: number) =>
      telegram.callsTo('sendMessage').filter((c) => Number(c.body.chat_id) === chatId);

    it('writes one JSON object per line, with level, time and msg, and never a secret, a phone, a name or a message', {
      timeout: 120_000,
    }, async () => {
      dir = mkdtempSync(join(tmpdir(), 'liaison-logs-'));
      t = await dialect.open({ migrate: false });
      telegram = await new FakeTelegram(BOT_TOKEN).start();
      server = await startChildServer(
        {
          PORT: '0',
          HOST: '127.0.0.1',
          DATABASE_URL: t.url as string,
          LOG_LEVEL: 'debug',
          TELEGRAM_BOT_TOKEN: BOT_TOKEN,
          TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
          TELEGRAM_API_ROOT: telegram.apiRoot,
          ADMIN_IDS: `telegram:${ADMIN}`,
          API_TOKEN,
          METRICS_TOKEN,
        },
        nodeEntry,
        dir,
      );

      // A customer writes, giving their name and phone number.
      expect(
        (await post({ id: CUSTOMER, first_name: CUSTOMER_NAME, last_name: '先生' }, MESSAGE)).status,
      ).toBe(200);
      // Someone without the secret posts the same; the API and the metrics are asked with wrong and right tokens.
      expect(
        (await post({ id: CUSTOMER, first_name: CUSTOMER_NAME }, MESSAGE, `${WEBHOOK_SECRET}x`)).status,
      ).toBe(401);
      const search = `${server.url}/api/customers?q=${encodeURIComponent(PHONE)}`;
      expect((await fetch(search, { headers: { authorization: `Bearer ${API_TOKEN}x` } })).status).toBe(401);
      expect((await fetch(search, { headers: { authorization: `Bearer ${API_TOKEN}` } })).status).toBe(200);
      expect(
        (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }))
          .status,
      ).toBe(200);

      // The admin looks the customer up; then an answer Telegram refuses for good.
      await post({ id: ADMIN, first_name: '张三' }, `/find ${CUSTOMER_NAME}`);
      await waitFor(() => answersTo(ADMIN).length >= 1, 20_000);
      telegram.script('sendMessage', {
        status: 400,
        body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' },
      });
      await post({ id: ADMIN, first_name: '张三' }, `/find ${PHONE}`);
      await waitFor(() => server.output().stdout.includes('"willRetry":false'), 20_000);

      // Telegram goes away: a send fails on the network (whose errors quote the URL with the bot token).
      await telegram.close();
      await post({ id: ADMIN, first_name: '张三' }, `/find ${CUSTOMER_NAME}`);
      await waitFor(() => server.output().stdout.includes('"willRetry":true'), 20_000);
      expect(await server.kill('SIGTERM')).toBe(0);

      const { stdout, stderr } = server.output();
      const lines = stdout.split('\n').filter((l) => l !== '');
      // The start-up banner (`npm start` prints it for people) is the only text that is not a log line.
      const bannerStart = lines.findIndex((l) => l.startsWith('Liaison listening on '));
      const banner = lines.slice(
        bannerStart,
        lines.findIndex((l, i) => i > bannerStart && !l.startsWith('  ')),
      );
      expect(banner.length).toBeGreaterThan(3);
      const logLines = lines.filter((l) => !banner.includes(l));
      expect(logLines.length).toBeGreaterThanOrEqual(4);
      for (const line of logLines) {
        const entry = JSON.parse(line) as Record<string, unknown>;
        expect(entry).toMatchObject({
          level: expect.any(Number),
          time: expect.any(Number),
          msg: expect.any(String),
        });
      }
      const messages = logLines.map((l) => (JSON.parse(l) as { msg: string }).msg);
      expect(messages).toEqual(expect.arrayContaining(['webhook rejected', 'send failed', 'shutting down']));
      for (const text of FORBIDDEN) {
        expect(stdout).not.toContain(text);
        expect(stderr).not.toContain(text);
      }
    });
  });
}
