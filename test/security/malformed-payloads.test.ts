import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Platform } from '../../db/schema.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { feishuEvent, postFeishu } from '../helpers/feishu-events.ts';
import { ADMIN_IDS, FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';
import { postWecom, wecomXml, withField } from '../helpers/wecom-callbacks.ts';

/** What a missing id turns into when it is read without a check. */
const NOT_IDS = ['undefined', 'null', '', 'NaN', '[object Object]'];
const ADMIN = 5123456789; // 张三, staff in the harness: his /help is answered
const CUSTOMER = 6234567890;
const WANGFANG = 'wmEAlECwAAHb8rJz0uVq3nTk1aLpXcAA';

describe.each(serverDialectsUnderTest())('malformed platform payloads on $name', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(dialect, { wecom: true, feishu: true, clockAt: FIXTURE_TIME });
  });
  afterEach(async () => {
    await h.close();
  });

  const rows = (platform: Platform) =>
    h.db
      .selectFrom('inbox')
      .select(['dedup_key', 'status', 'attempts', 'last_error'])
      .where('platform', '=', platform)
      .orderBy('id')
      .execute();
  /** Every delivery of the platform handled: done, or given up. */
  const settled = (platform: Platform, count: number) =>
    waitFor(async () => {
      const all = await rows(platform);
      return all.length === count && all.every((r) => r.status === 'done' || r.status === 'failed') && all;
    }, 10_000);
  /** No customer, staff member or chat was made out of a missing id. */
  const expectNothingNamedNothing = async () => {
    const identities = await h.db.selectFrom('identities').select('external_id').execute();
    const staff = await h.db.selectFrom('staff_identities').select('external_id').execute();
    const customers = await h.db.selectFrom('customers').select('display_name').execute();
    for (const id of [...identities, ...staff].map((r) => r.external_id)) expect(NOT_IDS).not.toContain(id);
    for (const { display_name } of customers) expect(NOT_IDS.slice(0, 2)).not.toContain(display_name);
  };
  const refusals = () => h.logs.filter((l) => l.message === 'delivery refused');

  it('Telegram: a from or chat without an id, a string chat id or a number as text is refused by field; the next is answered', async () => {
    const date = Math.floor(h.clock.now() / 1000);
    let next = 700_000_000;
    const update = (message: Record<string, unknown>) => {
      const id = next++;
      return {
        update_id: id,
        message: {
          message_id: id,
          date,
          chat: { id: ADMIN, type: 'private', first_name: '张三' },
          from: { id: ADMIN, is_bot: false, first_name: '张三' },
          text: '/help',
          ...message,
        },
      };
    };
    const malformed: Array<[Record<string, unknown>, string]> = [
      [
        { chat: { id: CUSTOMER, type: 'private' }, from: { first_name: '无名', is_bot: false }, text: 'hi' },
        'message.from.id: expected integer, received undefined',
      ],
      [
        { chat: { type: 'private', first_name: '张三' } },
        'message.chat.id: expected integer, received undefined',
      ],
      [{ chat: { id: 'abc', type: 'private' } }, 'message.chat.id: expected integer, received string'],
      [{ text: 42 }, 'message.text: expected string, received number'],
    ];
    for (const [message] of malformed) expect((await h.postUpdate(update(message))).status).toBe(200);
    // Afterwards, a customer writes and the admin asks for help, both well formed.
    const customer = { id: CUSTOMER, is_bot: false, first_name: '陈小雨' };
    expect(
      (await h.postUpdate(update({ chat: { id: CUSTOMER, type: 'private' }, from: customer, text: '你好' })))
        .status,
    ).toBe(200);
    expect((await h.postUpdate(update({}))).status).toBe(200);

    const handled = await settled('telegram', malformed.length + 2);
    malformed.forEach(([, reason], i) => {
      expect(handled[i]).toMatchObject({ status: 'failed', attempts: 1 }); // refused at once, not retried
      expect(handled[i]?.last_error).toBe(`Telegram update of an unexpected shape: ${reason}`);
    });
    expect(handled.slice(malformed.length).map((r) => r.status)).toEqual(['done', 'done']);

    await waitFor(() => h.telegram.callsTo('sendMessage').length > 0);
    const chatIds = h.telegram.callsTo('sendMessage').map((c) => String(c.body.chat_id));
    // The well-formed /help is answered, the well-formed customer message relayed to the admins; nothing goes to
    // `undefined`, `abc` or anyone but staff.
    expect(chatIds).toContain(String(ADMIN));
    expect(chatIds.filter((id) => !ADMIN_IDS.split(',').includes(`telegram:${id}`))).toEqual([]);
    const ids = (await h.db.selectFrom('identities').select('external_id').execute()).map(
      (r) => r.external_id,
    );
    expect(ids).toEqual([String(CUSTOMER)]);
    await expectNothingNamedNothing();
    // Deliveries from different chats are handled side by side: their log lines come in any order.
    expect(
      refusals()
        .map((l) => (l.fields as { error: string }).error)
        .sort(),
    ).toEqual(malformed.map(([, reason]) => `Telegram update of an unexpected shape: ${reason}`).sort());
    // A delivery that will never read is given up at error level, and that is the only error.
    expect(refusals().every((l) => l.level === 'error')).toBe(true);
    expect(h.logs.filter((l) => l.level === 'error')).toEqual(refusals());
  });

  it('WeCom: a message without FromUserName and a contact change without ExternalUserID are refused by field', async () => {
    const message = wecomXml('msg-text-member.xml');
    const added = wecomXml('event-add-external-contact.xml');
    const noSender = message.replace(/<FromUserName>.*<\/FromUserName>/, '');
    const emptySender = withField(withField(message, 'FromUserName', ''), 'MsgId', '7477281932010385499');
    const noCustomer = added.replace(/<ExternalUserID>.*<\/ExternalUserID>/, '');
    for (const xml of [noSender, emptySender, noCustomer]) expect((await postWecom(h, xml)).status).toBe(200);
    // Then the same, well formed: the member's note and the new contact are both taken.
    expect((await postWecom(h, withField(message, 'MsgId', '7477281932010385411'))).status).toBe(200);
    expect((await postWecom(h, added)).status).toBe(200);

    const handled = await settled('wecom', 5);
    expect(handled.map((r) => [r.status, r.attempts, r.last_error])).toEqual([
      [
        'failed',
        1,
        'WeCom callback of an unexpected shape: FromUserName: expected string, received undefined',
      ],
      [
        'failed',
        1,
        'WeCom callback of an unexpected shape: FromUserName: expected a non-empty string, received an empty string',
      ],
      [
        'failed',
        1,
        'WeCom callback of an unexpected shape: ExternalUserID: expected string, received undefined',
      ],
      ['done', 1, null],
      ['done', 1, null],
    ]);
    const ids = (await h.db.selectFrom('identities').select('external_id').execute()).map(
      (r) => r.external_id,
    );
    expect(ids).toEqual([WANGFANG]);
    for (const call of h.wecom.callsTo('/cgi-bin/message/send'))
      expect(NOT_IDS).not.toContain((call.body as { touser?: unknown }).touser);
    await expectNothingNamedNothing();
    expect(refusals()).toHaveLength(3);
  });

  it('WeCom: a directory answer with phones as numbers still brings the contact in, with the phones read as text', async () => {
    const contact = structuredClone(h.wecom.contacts.get(WANGFANG)) as {
      follow_user: Array<Record<string, unknown>>;
    };
    contact.follow_user[0] = {
      ...contact.follow_user[0],
      remark_mobiles: [13900001234, '13900005678'],
    };
    h.wecom.contacts.set(WANGFANG, contact);
    expect((await postWecom(h, wecomXml('event-add-external-contact.xml'))).status).toBe(200);
    const [row] = await settled('wecom', 1);
    expect(row).toMatchObject({ status: 'done', last_error: null });
    const customer = await h.db
      .selectFrom('customers')
      .innerJoin('identities', 'identities.customer_id', 'customers.id')
      .select(['customers.phone', 'customers.company'])
      .where('identities.external_id', '=', WANGFANG)
      .executeTakeFirstOrThrow();
    expect(customer).toEqual({ phone: '13900001234', company: '杭州云栖贸易有限公司' });
  });

  it('WeCom 微信客服: a pulled message without a customer id of the right type is skipped by field; the rest are taken', async () => {
    const page = (await import('../helpers/fake-wecom.ts')).FakeWecom.kfSyncFixture() as {
      msg_list: Array<Record<string, unknown>>;
    };
    page.msg_list[0] = { ...page.msg_list[0], external_userid: 12345 };
    h.wecom.kfPages.push(page);
    expect((await postWecom(h, wecomXml('event-kf-msg-or-event.xml'))).status).toBe(200);
    const [row] = await settled('wecom', 1);
    expect(row).toMatchObject({ status: 'done' });
    const messages = await h.db.selectFrom('messages').select(['text']).execute();
    expect(messages.map((m) => m.text)).toEqual(['大概多少钱一年？可以开发票吗？']);
    const skipped = h.logs.find((l) => l.message === 'service messages skipped');
    expect(skipped?.fields).toEqual({
      platform: 'wecom',
      refused: ['/cgi-bin/kf/sync_msg msg_list[0]: external_userid: expected string, received number'],
    });
    await expectNothingNamedNothing();
  });

  it('Feishu: a message whose sender has no open_id is refused by field; the next is taken', async () => {
    const noOpenId = feishuEvent('event-im-message-p2p-text.json', 'evt-malformed-1', (e) => {
      const sender = (e.event as { sender: { sender_id: Record<string, string> } }).sender;
      delete sender.sender_id.open_id;
    });
    const noSender = feishuEvent('event-im-message-p2p-text.json', 'evt-malformed-2', (e) => {
      delete (e.event as { sender?: unknown }).sender;
    });
    for (const event of [noOpenId, noSender]) expect((await postFeishu(h, event)).status).toBe(200);
    const fine = feishuEvent('event-im-message-p2p-text.json', 'evt-fine-1');
    expect((await postFeishu(h, fine)).status).toBe(200);

    const handled = await settled('feishu', 3);
    expect(handled.map((r) => [r.status, r.attempts, r.last_error])).toEqual([
      [
        'failed',
        1,
        'Feishu event of an unexpected shape: event.sender.sender_id.open_id: expected string, received undefined',
      ],
      ['failed', 1, 'Feishu event of an unexpected shape: event.sender: expected object, received undefined'],
      ['done', 1, null],
    ]);
    for (const d of h.feishu.deliveries) expect(NOT_IDS).not.toContain(d.chatOrMessageId);
    await expectNothingNamedNothing();
  });
});
