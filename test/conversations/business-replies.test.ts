import { afterEach, describe, expect, it } from 'vitest';
import { telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { telegramFixture } from '../helpers/fake-telegram.ts';
import { type Harness, startHarness, waitFor } from '../helpers/harness.ts';

const OWNER = '5123456789'; // 张三, an admin, whose own Telegram account is connected to the bot (Business)
const CUSTOMER = '6345678901';
const CONNECTION = 'AQAAA8HREgkAtqezZZRwbdyZnqr';
const WROTE_AT = 1772418120 * 1000;
const HOUR = 3_600_000;

/** A Telegram Business customer writes to the owner's own account: answered through it, within Telegram's 24 h. */
describe.each(serverDialectsUnderTest())('replies through Telegram Business on $name', (dialect) => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it('answers through the business connection, relays nothing, and refuses after 24 h', async () => {
    h = await startHarness(dialect, { clockAt: WROTE_AT + 60_000 });
    const chat = telegramDriver(h);
    await h.postUpdate(telegramFixture('update-business-connection.json'));
    await h.postUpdate(telegramFixture('update-business-message.json'));
    const id = await waitFor(
      async () =>
        (
          await h.db
            .selectFrom('customers')
            .select('id')
            .where('display_name', '=', '刘洋')
            .executeTakeFirst()
        )?.id,
    );
    expect(await chat.ask(OWNER, `/reply #${id} 好的，下周二下午三点可以吗？`)).toBe(
      `已回复 #${id} 刘洋（Telegram Business）。`,
    );
    const sent = await waitFor(() =>
      h.telegram.callsTo('sendMessage').find((c) => String(c.body.chat_id) === CUSTOMER),
    );
    expect(sent.body).toMatchObject({
      business_connection_id: CONNECTION,
      text: '好的，下周二下午三点可以吗？',
    });
    // The owner reads Business chats in their own app: nothing is relayed to anyone.
    expect(h.telegram.callsTo('sendMessage').some((c) => String(c.body.text).startsWith('💬'))).toBe(false);

    h.clock.advance(25 * HOUR);
    expect(await chat.ask(OWNER, `/reply #${id} 还在吗？`)).toContain('超出平台的回复时限');
    await new Promise((r) => setTimeout(r, 200));
    expect(h.telegram.callsTo('sendMessage').filter((c) => String(c.body.chat_id) === CUSTOMER)).toHaveLength(
      1,
    );
  });
});
