import { afterEach, describe, expect, it } from 'vitest';
import { postTelegramPrivate, telegramCustomer, telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { feishuEvent, postFeishu } from '../helpers/feishu-events.ts';
import { FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';

const ADMIN = '5234567890';
const ZHANGSAN = 'ou_0028f3516910a0480e104e37b7b65e71';
const P2P = 'oc_c72232ea007e07596598e442973b0fac';
const CUSTOMER = '7490000001';

/** A rep who works in Feishu gets relays in their p2p chat with the app and answers one by replying to it. */
describe.each(serverDialectsUnderTest())('relays to Feishu and replies in its thread on $name', (dialect) => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  const feishuText = (call: { body: unknown }) =>
    String(JSON.parse(String((call.body as { content: string }).content)).text ?? '');

  it('relays a Telegram customer to the owner in Feishu; a reply to the relay reaches the customer', async () => {
    h = await startHarness(dialect, { feishu: true, clockAt: FIXTURE_TIME });
    const admin = telegramDriver(h);
    await admin.ask(ADMIN, '/team add 华南组');
    await admin.ask(ADMIN, `/staff add feishu:${ZHANGSAN} rep 华南组`);
    const id = await telegramCustomer(h, CUSTOMER, '王芳', '你好');
    await admin.ask(ADMIN, `/assign #${id} feishu:${ZHANGSAN}`);
    await postTelegramPrivate(h, CUSTOMER, '王芳', '样品什么时候寄出？');

    const relay = await waitFor(() =>
      h.feishu
        .callsTo('POST', '/open-apis/im/v1/messages')
        .find((c) => feishuText(c).includes('样品什么时候寄出')),
    );
    expect(relay.query.receive_id_type).toBe('open_id');
    expect((relay.body as { receive_id: string }).receive_id).toBe(ZHANGSAN);
    expect(feishuText(relay)).toContain(`#${id} 王芳（Telegram）`);
    const relayId = await waitFor(
      async () =>
        (
          await h.db
            .selectFrom('outbox')
            .select('platform_message_id')
            .where('platform', '=', 'feishu')
            .where('idempotency_key', 'like', 'relay:%')
            .where('status', '=', 'sent')
            .executeTakeFirst()
        )?.platform_message_id,
    );

    // 张三 replies to the relay in Feishu (a reply names its parent message, in his p2p chat with the app).
    const customerSends = () =>
      h.telegram.callsTo('sendMessage').filter((c) => String(c.body.chat_id) === CUSTOMER);
    const before = customerSends().length;
    const answer = feishuEvent('event-im-message-p2p-text.json', 'evt-relay-reply-1', (e) => {
      e.event.message = {
        ...(e.event.message as object),
        message_id: 'om_relay_reply_1',
        chat_id: P2P,
        parent_id: relayId,
        root_id: relayId,
        content: JSON.stringify({ text: '明天上午顺丰寄出，单号稍后发您' }),
      };
    });
    expect((await postFeishu(h, answer)).status).toBe(200);
    const sent = await waitFor(() => customerSends()[before]);
    expect(sent.body.text).toBe('明天上午顺丰寄出，单号稍后发您');
    const confirmation = await waitFor(() =>
      h.feishu
        .callsTo('POST', '/open-apis/im/v1/messages')
        .map(feishuText)
        .find((t) => t.startsWith('已回复')),
    );
    expect(confirmation).toBe(`已回复 #${id} 王芳（Telegram）。`);

    // On the timeline as 张三's message, once the send is settled.
    const out = await waitFor(async () => {
      const rows = await h.db
        .selectFrom('messages')
        .innerJoin('staff', 'staff.id', 'messages.author_staff_id')
        .select(['messages.text', 'messages.author_kind'])
        .where('messages.direction', '=', 'out')
        .where('messages.customer_id', '=', id)
        .execute();
      return rows.length > 0 ? rows : undefined;
    });
    expect(out).toEqual([{ text: '明天上午顺丰寄出，单号稍后发您', author_kind: 'staff' }]);
  });
});
