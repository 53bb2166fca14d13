import { afterAll, describe, expect, it } from 'vitest';
import { type ChildServer, startChildServer } from '../helpers/child-process.ts';
import { serverDialectsUnderTest, type TestDatabase } from '../helpers/databases.ts';
import { FakeTelegram } from '../helpers/fake-telegram.ts';
import { ADMIN_IDS, API_TOKEN, BOT_TOKEN, WEBHOOK_SECRET, waitFor } from '../helpers/harness.ts';

const ADMINS = ADMIN_IDS.split(',').map((ref) => ref.replace('telegram:', ''));
const CUSTOMERS = 20;
const MESSAGES = 120;
const postgres = serverDialectsUnderTest().find((d) => d.name === 'postgres');
if (!postgres) console.warn('Relays on two instances skipped: set TEST_DATABASE_URL=postgres://… to run it.');

/** Two stateless instances take the same deliveries at once: each customer message reaches each admin once. */
(postgres ? describe : describe.skip)('relays from two instances on one PostgreSQL database', () => {
  let telegram: FakeTelegram;
  let database: TestDatabase;
  const instances: ChildServer[] = [];

  afterAll(async () => {
    for (const c of instances) await c.kill();
    await telegram?.close();
    await database?.cleanup();
  });

  it(`relays ${MESSAGES} customer messages, each delivered to both instances, once to each admin`, async () => {
    telegram = await new FakeTelegram(BOT_TOKEN).start();
    database = await (postgres as NonNullable<typeof postgres>).open({ migrate: false });
    const start = () =>
      startChildServer({
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: database.url as string,
        DATABASE_POOL_SIZE: '4',
        TELEGRAM_BOT_TOKEN: BOT_TOKEN,
        TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        ADMIN_IDS,
        API_TOKEN,
        LIAISON_TEST_QUEUE_SETTINGS: JSON.stringify({ pollMs: 50, retryBaseMs: 50, retryMaxMs: 500 }),
      });
    instances.push(...(await Promise.all([start(), start()])));

    const texts: string[] = [];
    for (let i = 0; i < MESSAGES; i++) {
      const customer = 7_600_000_000 + (i % CUSTOMERS);
      const text = `第${i}条：想问一下报价（编号 q${i}x）`;
      texts.push(text);
      const body = JSON.stringify({
        update_id: 960_000_000 + i,
        message: {
          message_id: 10_000 + i,
          date: 1772417880,
          chat: { id: customer, type: 'private', first_name: `客户${i % CUSTOMERS}` },
          from: { id: customer, is_bot: false, first_name: `客户${i % CUSTOMERS}` },
          text,
        },
      });
      // Like a webhook retried while the first delivery is still in flight: both instances get it at once.
      const answers = await Promise.all(instances.map((server) => post(server, body)));
      expect(answers).toEqual([200, 200]);
      if (i % 10 === 9) await new Promise((r) => setTimeout(r, 100));
    }

    const relayedTo = (admin: string) =>
      telegram
        .callsTo('sendMessage')
        .filter((c) => String(c.body.chat_id) === admin && String(c.body.text).startsWith('💬'))
        .map((c) => String(c.body.text))
        .join('\n');
    await waitFor(
      () => ADMINS.every((a) => texts.every((t) => relayedTo(a).includes(`q${texts.indexOf(t)}x`))),
      60_000,
    );
    await new Promise((r) => setTimeout(r, 2_500)); // a wrong second relay would go out by now
    for (const admin of ADMINS) {
      const all = relayedTo(admin);
      const counts = texts.map((_, i) => all.split(`（编号 q${i}x）`).length - 1);
      expect(
        counts.filter((n) => n !== 1),
        admin,
      ).toEqual([]);
    }
    // Customers never hear their own words back.
    const toCustomers = telegram
      .callsTo('sendMessage')
      .filter((c) => Number(c.body.chat_id) >= 7_600_000_000);
    expect(toCustomers).toEqual([]);
  }, 120_000);
});

async function post(server: ChildServer, body: string): Promise<number> {
  const res = await fetch(`${server.url}/webhooks/telegram`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
    body,
  });
  await res.arrayBuffer();
  return res.status;
}
