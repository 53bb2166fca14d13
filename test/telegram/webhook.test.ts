import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { telegramFixture } from '../helpers/fake-telegram.ts';
import { type Harness, startHarness, waitFor } from '../helpers/harness.ts';

interface CustomerList {
  items: Array<{ id: number; name: string; owner: { id: number; name: string } | null }>;
}
interface CustomerDetail {
  id: number;
  name: string;
  owner: { id: number; name: string } | null;
  identities: Array<{ platform: string; externalId: string; displayName: string }>;
  timeline: Array<{
    type: 'message' | 'event';
    kind?: string;
    editedAt?: string | null;
    deletedAt?: string | null;
    direction: string;
    platform: string;
    text: string;
    author: { kind: string; name: string | null };
  }>;
}

const privateUpdate = telegramFixture('update-private-customer.json') as {
  update_id: number;
  message: { text: string; from: { id: number } };
};

describe.each(serverDialectsUnderTest())('Telegram webhook on $name', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(dialect);
  });
  afterEach(async () => {
    await h.close();
  });

  const customers = async (q = '') =>
    (await h.api<CustomerList>(`/customers?q=${encodeURIComponent(q)}`)).body.items;
  const inboxRows = async () => (await h.db.selectFrom('inbox').selectAll().execute()).length;

  it("puts a customer's private message on their record within a second, text exact", async () => {
    const sentAt = Date.now();
    expect((await h.postUpdate(privateUpdate)).status).toBe(200);
    const found = await waitFor(async () => (await customers('陈小雨'))[0], 1_000);
    expect(Date.now() - sentAt).toBeLessThan(1_000);
    await waitFor(
      async () => (await h.db.selectFrom('inbox').select('status').executeTakeFirst())?.status === 'done',
    );
    const { status, body } = await h.api<CustomerDetail>(`/customers/${found.id}`);
    expect(status).toBe(200);
    expect(body.name).toBe('陈小雨');
    expect(body.identities).toEqual([
      expect.objectContaining({ platform: 'telegram', externalId: '6234567890', displayName: '陈小雨' }),
    ]);
    // Asking the price is a buying signal: the rules move a new lead to 意向 (an event beside the message).
    expect(body.timeline.filter((e) => e.type === 'event').map((e) => e.kind)).toEqual(['stage_suggested']);
    expect(body.timeline.filter((e) => e.type === 'message')).toEqual([
      expect.objectContaining({
        direction: 'in',
        platform: 'telegram',
        text: '你好，请问你们的CRM支持企业微信吗？一年多少钱？',
        author: { kind: 'customer', name: '陈小雨' },
      }),
    ]);
    // Customers get nothing from the CRM; their words go to staff only (relayed to the admins, as nobody owns them).
    const toCustomer = h.telegram
      .callsTo('sendMessage')
      .filter((c) => String(c.body.chat_id) === '6234567890');
    expect(toCustomer).toHaveLength(0);
  });

  it('stores an update sent three times at once only once', async () => {
    const answers = await Promise.all([1, 2, 3].map(() => h.postUpdate(privateUpdate)));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    const [customer] = await waitFor(async () => {
      const list = await customers('陈小雨');
      return list.length ? list : undefined;
    });
    await waitFor(
      async () => (await h.api<CustomerDetail>(`/customers/${customer?.id}`)).body.timeline.length > 0,
    );
    expect(await inboxRows()).toBe(1);
    expect(await h.db.selectFrom('messages').selectAll().execute()).toHaveLength(1);
    expect(await customers('陈小雨')).toHaveLength(1);
  });

  it('answers 401 to a missing or wrong secret and stores nothing', async () => {
    expect((await h.postUpdate(privateUpdate, { secret: null })).status).toBe(401);
    expect((await h.postUpdate(privateUpdate, { secret: 'tgwh_wrong_secret_000000000000' })).status).toBe(
      401,
    );
    expect((await h.postUpdate(privateUpdate, { secret: '' })).status).toBe(401);
    expect(await inboxRows()).toBe(0);
    expect(await customers()).toHaveLength(0);
  });

  it('answers 413 to a 2 MB body and stays healthy', async () => {
    const huge = JSON.stringify({ ...privateUpdate, padding: 'x'.repeat(2 * 1024 * 1024) });
    expect((await h.postUpdate(huge)).status).toBe(413);
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    expect((await h.postUpdate(privateUpdate)).status).toBe(200);
    expect(await inboxRows()).toBe(1);
  });

  it('answers 400 to malformed JSON and to JSON that is not an update', async () => {
    expect((await h.postUpdate('{"update_id": 1, "message": ')).status).toBe(400);
    expect((await h.postUpdate({ hello: 'world' })).status).toBe(400);
    expect((await h.postUpdate('null')).status).toBe(400);
    expect(await inboxRows()).toBe(0);
  });

  it('acknowledges and ignores update kinds it does not use', async () => {
    const poll = { update_id: 845219999, poll: { id: '1', question: 'q', options: [] } };
    expect((await h.postUpdate(poll)).status).toBe(200);
    await waitFor(
      async () => (await h.db.selectFrom('inbox').select('status').executeTakeFirst())?.status === 'done',
    );
    expect(await customers()).toHaveLength(0);
  });

  it('captures a Telegram Business customer and records the owner echo as outbound, never as a customer', async () => {
    await h.postUpdate(telegramFixture('update-business-connection.json'));
    await h.postUpdate(telegramFixture('update-business-message.json'));
    await h.postUpdate(telegramFixture('update-business-message-owner.json'));
    const detail = await waitFor(async () => {
      const [liu] = await customers('刘洋');
      if (!liu) return undefined;
      const d = (await h.api<CustomerDetail>(`/customers/${liu.id}`)).body;
      return d.timeline.filter((t) => t.type === 'message').length === 2 ? d : undefined;
    });
    // Asking for a demo is a buying signal: a stage suggestion joins the timeline as an event, beside the messages.
    const messages = detail.timeline.filter((t) => t.type === 'message');
    expect(messages.map((t) => [t.direction, t.author.kind, t.text])).toEqual([
      ['in', 'customer', '您好，我想预约下周的产品演示'],
      ['out', 'staff', '好的，周三下午三点可以吗？'],
    ]);
    expect(detail.owner?.name).toBe('张三'); // the account owner owns the customers who write to it
    expect((await customers()).map((c) => c.name)).toEqual(['刘洋']);
    expect(await customers('张三')).toHaveLength(0);
    // Never answered in the Business chat, so no loop (the owner may get an overdue alert in their own chat: the
    // fixture's message is old, and the alert can run before the echo is read).
    const businessChat = (
      telegramFixture('update-business-message.json') as { business_message: { chat: { id: number } } }
    ).business_message.chat.id;
    const intoBusinessChat = h.telegram
      .callsTo('sendMessage')
      .filter((c) => c.body.business_connection_id !== undefined || Number(c.body.chat_id) === businessChat);
    expect(intoBusinessChat).toHaveLength(0);
  });

  it("dates a new record's last contact by the message that created it, inbound or the owner's echo", async () => {
    await h.postUpdate(telegramFixture('update-business-connection.json'));
    // The owner writes first: the record is created by the echo, so its last contact is outbound.
    const echo = telegramFixture('update-business-message-owner.json') as {
      business_message: { date: number; chat: { first_name: string } };
    };
    await h.postUpdate(echo);
    await h.postUpdate(privateUpdate);
    const contactTimes = async (name: string) => {
      const row = await h.db
        .selectFrom('customers')
        .select(['last_contact_at', 'last_inbound_at', 'last_outbound_at'])
        .where('display_name', '=', name)
        .executeTakeFirst();
      // PostgreSQL gives bigints as strings.
      return (
        row && Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? null : Number(v)]))
      );
    };
    const written = (privateUpdate as unknown as { message: { date: number } }).message.date * 1000;
    expect(await waitFor(() => contactTimes('陈小雨'))).toEqual({
      last_contact_at: written,
      last_inbound_at: written,
      last_outbound_at: null,
    });
    const echoed = echo.business_message.date * 1000;
    expect(await waitFor(() => contactTimes(echo.business_message.chat.first_name))).toEqual({
      last_contact_at: echoed,
      last_inbound_at: null,
      last_outbound_at: echoed,
    });
  });

  it('marks a Business message the customer deleted as deleted, keeping it in the timeline', async () => {
    await h.postUpdate(telegramFixture('update-business-connection.json'));
    const message = telegramFixture('update-business-message.json') as {
      business_message: { business_connection_id: string; message_id: number; chat: unknown };
    };
    await h.postUpdate(message);
    const { business_connection_id, message_id, chat } = message.business_message;
    await h.postUpdate({
      update_id: 845210099,
      deleted_business_messages: { business_connection_id, chat, message_ids: [message_id] },
    });
    const timeline = await waitFor(async () => {
      const [liu] = await customers('刘洋');
      if (!liu) return undefined;
      const t = (await h.api<CustomerDetail>(`/customers/${liu.id}`)).body.timeline.filter(
        (e) => e.type === 'message',
      );
      return t[0]?.deletedAt ? t : undefined;
    });
    expect(timeline.map((t) => t.text)).toEqual(['您好，我想预约下周的产品演示']);
  });

  it('ignores business chats of an account whose owner is not staff', async () => {
    const stranger = telegramFixture('update-business-connection.json') as {
      business_connection: { user: { id: number }; user_chat_id: number };
    };
    stranger.business_connection.user.id = 7999999999;
    stranger.business_connection.user_chat_id = 7999999999;
    await h.postUpdate(stranger);
    await h.postUpdate(telegramFixture('update-business-message.json'));
    await waitFor(
      async () =>
        (await h.db.selectFrom('inbox').where('status', '=', 'done').selectAll().execute()).length === 2,
    );
    expect(await customers()).toHaveLength(0);
  });

  it('asks Telegram about a business connection it never saw announced', async () => {
    h.telegram.businessConnection = (
      telegramFixture('update-business-connection.json') as { business_connection: unknown }
    ).business_connection;
    await h.postUpdate(telegramFixture('update-business-message.json'));
    await waitFor(async () => (await customers('刘洋'))[0]);
    expect(h.telegram.callsTo('getBusinessConnection')[0]?.body).toEqual({
      business_connection_id: 'AQAAA8HREgkAtqezZZRwbdyZnqr',
    });
  });

  it("answers a staff member's /find through the Bot API with the customer's name", async () => {
    await h.postUpdate(privateUpdate);
    await waitFor(async () => (await customers('陈小雨'))[0]);
    const find = telegramFixture('update-command-find-staff.json') as { message: { text: string } };
    find.message.text = '/find 陈小雨';
    await h.postUpdate(find);
    const reply = await waitFor(() =>
      h.telegram
        .callsTo('sendMessage')
        .find((c) => String(c.body.chat_id) === '5123456789' && !String(c.body.text).startsWith('💬')),
    );
    expect(String(reply.body.text)).toContain('陈小雨');
    expect(String(reply.body.text)).toMatch(/^找到 1 位/); // 张三 writes Chinese (language_code zh-hans)
  });

  it("gives a customer's /find nothing and leaks nothing", async () => {
    await h.postUpdate(telegramFixture('update-business-connection.json'));
    await h.postUpdate(telegramFixture('update-business-message.json'));
    await waitFor(async () => (await customers('刘洋'))[0]);
    const snoop = structuredClone(privateUpdate);
    snoop.update_id += 100;
    snoop.message.text = '/find 刘洋';
    await h.postUpdate(snoop);
    await waitFor(async () => (await customers('陈小雨'))[0]);
    await waitFor(
      async () =>
        (await h.db.selectFrom('inbox').where('status', '!=', 'done').selectAll().execute()).length === 0,
    );
    await new Promise((r) => setTimeout(r, 200));
    // The snooping customer gets nothing, and nothing goes to anyone but staff (the admins: 张三, whose business
    // customer 刘洋 is, and the other admin, who is relayed what the snooper typed).
    const staff = ['5123456789', '5234567890'];
    const sends = h.telegram.callsTo('sendMessage');
    expect(sends.filter((c) => String(c.body.chat_id) === '6234567890')).toHaveLength(0);
    expect(sends.filter((c) => !staff.includes(String(c.body.chat_id)))).toHaveLength(0);
    expect(
      JSON.stringify(h.telegram.calls.filter((c) => !staff.includes(String(c.body.chat_id)))),
    ).not.toContain('刘洋');
  });

  it('answers commands addressed to it in a group, replying to the command message', async () => {
    await h.postUpdate(telegramFixture('update-group-message.json'));
    const reply = await waitFor(() => h.telegram.callsTo('sendMessage')[0]);
    expect(reply.body.chat_id).toBe('-1001987654321');
    expect(reply.body.reply_parameters).toEqual({ message_id: 2048, allow_sending_without_reply: true });
    expect(String(reply.body.text)).toContain('本群已订阅客户日报');
    const subscription = await h.db.selectFrom('digest_subscriptions').selectAll().executeTakeFirstOrThrow();
    expect(subscription).toMatchObject({ target_ref: '-1001987654321', kind: 'daily', enabled: 1 });
  });

  it("captures a customer's group message, and a staff reply to it on that customer's timeline", async () => {
    const group = { id: -1001555000111, title: '客户交流群', type: 'supergroup' };
    const say = (id: number, from: object, text: string, extra: object = {}) =>
      h.postUpdate({
        update_id: 845260000 + id,
        message: { message_id: id, date: 1772418000 + id, chat: group, from, text, ...extra },
      });
    await say(1, { id: 6400000001, first_name: '周杰' }, '发货了吗？');
    await waitFor(async () => (await customers('周杰'))[0]);
    await say(2, { id: 5123456789, first_name: '张三' }, '今天下午发', {
      reply_to_message: { message_id: 1 },
    });
    const staffOnly = { id: -1001555000222, title: '内部群', type: 'supergroup' };
    await h.postUpdate({
      update_id: 845260009,
      message: {
        message_id: 9,
        date: 1772418009,
        chat: staffOnly,
        from: { id: 5234567890, first_name: '李四' },
        text: '内部讨论',
      },
    });
    const detail = await waitFor(async () => {
      const [c] = await customers('周杰');
      const d = c && (await h.api<CustomerDetail>(`/customers/${c.id}`)).body;
      return d && d.timeline.length === 2 ? d : undefined;
    });
    expect(detail.timeline.map((t) => [t.direction, t.author.kind, t.author.name, t.text])).toEqual([
      ['in', 'customer', '周杰', '发货了吗？'],
      ['out', 'staff', '张三', '今天下午发'],
    ]);
    await waitFor(
      async () =>
        (await h.db.selectFrom('inbox').where('status', '!=', 'done').selectAll().execute()).length === 0,
    );
    const texts = (await h.db.selectFrom('messages').select('text').execute()).map((m) => m.text);
    expect(texts).not.toContain('内部讨论');
  });

  it('keeps the history of an edited message', async () => {
    await h.postUpdate(privateUpdate);
    const edit = {
      update_id: privateUpdate.update_id + 50,
      edited_message: { ...privateUpdate.message, edit_date: 1772417900, text: '你好，CRM 一年多少钱？' },
    };
    await h.postUpdate(edit);
    const detail = await waitFor(async () => {
      const [c] = await customers('陈小雨');
      const d = c && (await h.api<CustomerDetail>(`/customers/${c.id}`)).body;
      const first = d?.timeline.find((e) => e.type === 'message');
      return first?.editedAt ? d : undefined;
    });
    const messages = detail.timeline.filter((e) => e.type === 'message');
    expect(messages).toHaveLength(1);
    expect(messages[0]?.text).toBe('你好，CRM 一年多少钱？');
    const revisions = await h.db
      .selectFrom('message_revisions')
      .select(['text'])
      .orderBy('revised_at')
      .execute();
    expect(revisions.map((r) => r.text)).toEqual([privateUpdate.message.text, '你好，CRM 一年多少钱？']);
  });

  it('keeps customer names and message text out of the logs', async () => {
    await h.postUpdate(privateUpdate);
    await h.postUpdate(privateUpdate, { secret: 'wrong-secret-wrong-secret' });
    await waitFor(async () => (await customers('陈小雨'))[0]);
    const logged = JSON.stringify(h.logs);
    expect(logged).not.toContain('陈小雨');
    expect(logged).not.toContain('一年多少钱');
    expect(logged).not.toContain(h.telegram.token);
  });
});
