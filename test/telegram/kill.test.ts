import { afterEach, describe, expect, it } from 'vitest';
import { type ChildServer, startChildServer } from '../helpers/child-process.ts';
import { serverDialectsUnderTest, type TestDatabase } from '../helpers/databases.ts';
import { FakeTelegram, telegramFixture } from '../helpers/fake-telegram.ts';
import { ADMIN_IDS, API_TOKEN, BOT_TOKEN, WEBHOOK_SECRET, waitFor } from '../helpers/harness.ts';

/** A process killed with SIGKILL mid-way loses nothing: the next process takes the work over once the lease ends. */
describe.each(serverDialectsUnderTest())('SIGKILL mid-way on $name', (dialect) => {
  let telegram: FakeTelegram;
  let database: TestDatabase;
  const children: ChildServer[] = [];

  afterEach(async () => {
    for (const c of children.splice(0)) await c.kill();
    await telegram?.close();
    await database?.cleanup();
  });

  async function start(): Promise<ChildServer> {
    const child = await startChildServer({
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: database.url as string,
      TELEGRAM_BOT_TOKEN: BOT_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      ADMIN_IDS,
      API_TOKEN,
      LIAISON_TEST_QUEUE_SETTINGS: JSON.stringify({ leaseMs: 1_000, pollMs: 50, retryBaseMs: 50 }),
    });
    children.push(child);
    return child;
  }
  const post = (child: ChildServer, update: unknown) =>
    fetch(`${child.url}/webhooks/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
      body: JSON.stringify(update),
    });
  const customers = async (child: ChildServer) =>
    (
      (await (
        await fetch(`${child.url}/api/customers`, { headers: { authorization: `Bearer ${API_TOKEN}` } })
      ).json()) as {
        items: Array<{ id: number; name: string }>;
      }
    ).items;

  it('processes an event whose process was killed while handling it', async () => {
    telegram = await new FakeTelegram(BOT_TOKEN).start();
    database = await dialect.open({ migrate: false });
    const first = await start();
    telegram.script('getBusinessConnection', 'hang'); // processing stalls inside the event…
    expect((await post(first, telegramFixture('update-business-message.json'))).status).toBe(200);
    await waitFor(() => telegram.callsTo('getBusinessConnection').length === 1, 10_000);
    await first.kill(); // …and the process dies there.

    telegram.businessConnection = (
      telegramFixture('update-business-connection.json') as { business_connection: unknown }
    ).business_connection;
    const second = await start();
    const [liu] = await waitFor(async () => {
      const list = await customers(second);
      return list.length ? list : undefined;
    }, 10_000);
    expect(liu?.name).toBe('刘洋');
    const timeline = async () =>
      (
        (await (
          await fetch(`${second.url}/api/customers/${liu?.id}`, {
            headers: { authorization: `Bearer ${API_TOKEN}` },
          })
        ).json()) as { timeline: Array<{ type: string }> }
      ).timeline.filter((e) => e.type === 'message');
    // The customer is stored a moment before their message: wait for the message, then make sure it is stored once.
    await waitFor(async () => (await timeline()).length > 0, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(await timeline()).toHaveLength(1);
  });

  it('delivers a reply whose send was in flight when the process was killed', async () => {
    telegram = await new FakeTelegram(BOT_TOKEN).start();
    database = await dialect.open({ migrate: false });
    const first = await start();
    telegram.script('sendMessage', 'hang');
    const help = telegramFixture('update-command-find-staff.json') as { message: { text: string } };
    help.message.text = '/help';
    await post(first, help);
    await waitFor(() => telegram.callsTo('sendMessage').length === 1, 10_000);
    await first.kill();

    await start();
    const calls = await waitFor(() => {
      const c = telegram.callsTo('sendMessage');
      return c.length === 2 ? c : undefined;
    }, 10_000);
    expect(calls[1]?.body.text).toBe(calls[0]?.body.text);
    expect(calls[1]?.body.chat_id).toBe('5123456789');
  });
});
