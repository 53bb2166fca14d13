import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postTelegramPrivate, telegramDriver, wecomDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { installContactWays } from '../helpers/fake-wecom-contact-way.ts';
import { feishuEvent, postFeishu } from '../helpers/feishu-events.ts';
import { FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';
import { postWecom, wecomRequest, wecomXml, withField } from '../helpers/wecom-callbacks.ts';

const ADMIN = '5123456789';
const WANGFANG = 'wmEAlECwAAHb8rJz0uVq3nTk1aLpXcAA';
const FEISHU_GROUP = 'oc_c23ec10b81f66f74211dafde2e23c238';
const FEISHU_OUR_TENANT = '2ed263bf32cf1651';
const FEISHU_ZHANGSAN = 'ou_0028f3516910a0480e104e37b7b65e71';
const FEISHU_CUSTOMER = 'ou_ext0000000000000000000000000001';

type Source = {
  code: string;
  name: string | null;
  kind: string | null;
  platform: string;
  at: string;
  referrerCustomerId: number | null;
};
type Detail = { id: number; source: string | null; sources: { first: Source | null; latest: Source | null } };
type Channel = {
  id: number;
  code: string;
  link: string | null;
  customers: { firstSource: number; anySource: number };
};

describe.each(serverDialectsUnderTest())('where customers came from (渠道活码) on $name', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(dialect, { wecom: true, feishu: true, clockAt: FIXTURE_TIME });
    installContactWays(h.wecom);
  });
  afterEach(async () => {
    await h.close();
  });

  const settled = () =>
    waitFor(
      async () =>
        (await h.db.selectFrom('inbox').where('status', '!=', 'done').selectAll().execute()).length === 0,
    );
  const customerOf = async (platform: 'wecom' | 'telegram' | 'feishu', externalId: string) =>
    (
      await waitFor(() =>
        h.db
          .selectFrom('identities')
          .select('customer_id')
          .where('platform', '=', platform)
          .where('external_id', '=', externalId)
          .executeTakeFirst(),
      )
    ).customer_id;
  const detail = async (id: number) => (await h.api<Detail>(`/customers/${id}`)).body;
  const sourceRows = async (customerId: number) =>
    h.db.selectFrom('customer_sources').selectAll().where('customer_id', '=', customerId).execute();
  const newChannel = async (body: object) => {
    const res = await h.api<Channel>('/channels', undefined, { method: 'POST', body: JSON.stringify(body) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  /** zhangsan writes to the app once, so he is staff; resolves his staff id. */
  const zhangsanStaff = async () => {
    await wecomDriver(h).ask('zhangsan', '/help');
    return (
      await h.db
        .selectFrom('staff_identities')
        .select('staff_id')
        .where('platform', '=', 'wecom')
        .where('external_id', '=', 'zhangsan')
        .executeTakeFirstOrThrow()
    ).staff_id;
  };
  const addContact = async (member: string, state: string) => {
    let xml = wecomXml('event-add-external-contact.xml');
    xml = withField(withField(xml, 'UserID', member), 'State', state);
    xml = xml.replace(
      /<CreateTime>\d+<\/CreateTime>/,
      `<CreateTime>${Math.floor(h.clock.now() / 1000)}</CreateTime>`,
    );
    expect((await postWecom(h, xml)).status).toBe(200);
    await settled();
  };

  it('attributes a WeCom add_external_contact by its State: first and latest, another state moves latest only, a redelivery counts once', async () => {
    const staffId = await zhangsanStaff();
    const channel = await newChannel({
      code: 'expo2026',
      name: '2026 春季展会',
      kind: 'event',
      platform: 'wecom',
      staff: [staffId],
    });
    // The fixture's signed add_external_contact (State expo2026), delivered twice as WeCom retries.
    const req = wecomRequest('post-event-add-external-contact.json');
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${h.url}/webhooks/wecom?${req.rawQuery}`, { method: 'POST', body: req.body });
      expect(res.status).toBe(200);
    }
    await settled();
    const id = await customerOf('wecom', WANGFANG);
    const expo = {
      code: 'expo2026',
      name: '2026 春季展会',
      kind: 'event',
      platform: 'wecom',
      referrerCustomerId: null,
    };
    let d = await detail(id);
    expect(d.source).toBe('wecom:expo2026');
    expect(d.sources.first).toMatchObject(expo);
    expect(d.sources.latest).toMatchObject(expo);
    expect(await sourceRows(id)).toHaveLength(1);

    // Later the customer adds lisi through a QR code Liaison does not know: kept, as the latest source only.
    h.clock.advance(3_600_000);
    await addContact('lisi', 'spring_ads');
    d = await detail(id);
    expect(d.sources.first).toMatchObject(expo);
    expect(d.sources.latest).toMatchObject({ code: 'spring_ads', name: null, kind: null, platform: 'wecom' });
    // A state outside the code charset is not a channel code.
    h.clock.advance(60_000);
    await addContact('wangwu', 'not a code!');
    expect(await sourceRows(id)).toHaveLength(2);

    const counted = (await h.api<Channel>(`/channels/${channel.id}`)).body;
    expect(counted.customers).toEqual({ firstSource: 1, anySource: 1 });

    // /show tells both, in Chinese and in English.
    const chat = telegramDriver(h);
    const zh = await chat.ask(ADMIN, `/show #${id}`);
    expect(zh).toMatch(/首次来源：2026 春季展会（expo2026 · 线下活动 · wecom）/);
    expect(zh).toMatch(/最近来源：spring_ads（wecom）/);
    const en = await chat.ask(ADMIN, `/show #${id}`, 'en');
    expect(en).toMatch(/First source：2026 春季展会 \(expo2026 · event · wecom\)/);
    expect(en).toMatch(/Latest source：spring_ads \(wecom\)/);
    // /channel lists the code with its counts.
    expect(await chat.ask(ADMIN, '/channel 渠道')).toContain(
      'expo2026「2026 春季展会」线下活动 · wecom：首次来源 1 人，累计 1 人',
    );
    expect(await chat.ask(ADMIN, '/channel expo2026', 'en')).toContain(`Link: ${channel.link}`);
  });

  it('attributes a Telegram /start <payload> and keeps it on the timeline, without answering it', async () => {
    const channel = await newChannel({
      code: 'tg_spring',
      name: '春季投放',
      kind: 'campaign',
      platform: 'telegram',
    });
    expect(channel.link).toBe('https://t.me/LiaisonCrmBot?start=tg_spring');
    const customer = '7300000001';
    const start = {
      update_id: 990_000_001,
      message: {
        message_id: 11,
        date: Math.floor(h.clock.now() / 1000),
        chat: { id: Number(customer), type: 'private', first_name: '赵六' },
        from: { id: Number(customer), is_bot: false, first_name: '赵六', language_code: 'zh-hans' },
        text: '/start tg_spring',
        entities: [{ offset: 0, length: 6, type: 'bot_command' }],
      },
    };
    // Telegram re-sends the update (the same update_id); the second copy must change nothing.
    expect((await h.postUpdate(start)).status).toBe(200);
    expect((await h.postUpdate(start)).status).toBe(200);
    await settled();
    const id = await customerOf('telegram', customer);
    let d = await detail(id);
    expect(d.source).toBe('telegram:tg_spring');
    expect(d.sources.first).toMatchObject({
      code: 'tg_spring',
      name: '春季投放',
      kind: 'campaign',
      platform: 'telegram',
    });
    expect(await sourceRows(id)).toHaveLength(1);
    // Not a command answered; kept once as the customer's first message (their first-response clock starts).
    expect(h.telegram.callsTo('sendMessage').filter((c) => String(c.body.chat_id) === customer)).toEqual([]);
    expect(
      await h.db.selectFrom('messages').select(['text', 'direction']).where('customer_id', '=', id).execute(),
    ).toEqual([{ text: '/start tg_spring', direction: 'in' }]);
    expect(
      await h.db
        .selectFrom('chats')
        .select('customer_id')
        .where('platform_chat_id', '=', customer)
        .executeTakeFirst(),
    ).toEqual({ customer_id: id });

    // A second deep link later: the latest source moves, the first stays, customers.source stays.
    h.clock.advance(86_400_000);
    await postTelegramPrivate(h, customer, '赵六', '/start summer-2026');
    await settled();
    d = await detail(id);
    expect(d.source).toBe('telegram:tg_spring');
    expect(d.sources.first?.code).toBe('tg_spring');
    expect(d.sources.latest).toMatchObject({ code: 'summer-2026', name: null, platform: 'telegram' });
    // Ordinary words afterwards are a message like any other.
    await postTelegramPrivate(h, customer, '赵六', '你好，想问一下价格');
    await settled();
    expect(
      await h.db.selectFrom('messages').select('text').where('customer_id', '=', id).orderBy('id').execute(),
    ).toEqual([{ text: '/start tg_spring' }, { text: '/start summer-2026' }, { text: '你好，想问一下价格' }]);
    expect(h.telegram.callsTo('sendMessage').filter((c) => String(c.body.chat_id) === customer)).toEqual([]);
  });

  it('attributes customers first seen writing in a Feishu chat bound to a code', async () => {
    h.feishu.chatMembers.set(FEISHU_GROUP, [
      { member_id: FEISHU_ZHANGSAN, name: '张三', tenant_key: FEISHU_OUR_TENANT },
      { member_id: FEISHU_CUSTOMER, name: '王芳', tenant_key: 'ext-tenant-9f' },
    ]);
    const channel = await newChannel({
      code: 'fs-partners',
      name: '合作伙伴群',
      kind: 'other',
      platform: 'feishu',
      chatId: FEISHU_GROUP,
    });
    expect(channel).toMatchObject({ link: null, platformRef: FEISHU_GROUP });
    const again = await h.api<{ field: string }>('/channels', undefined, {
      method: 'POST',
      body: JSON.stringify({ name: '重复', kind: 'other', platform: 'feishu', chatId: FEISHU_GROUP }),
    });
    expect(again).toMatchObject({ status: 409, body: { field: 'chatId' } });
    let seq = 0;
    const writes = async (text: string) => {
      await postFeishu(
        h,
        feishuEvent('event-im-message-group-mention.json', `evt-src-${++seq}`, (e) => {
          e.event.sender = {
            sender_id: { open_id: FEISHU_CUSTOMER, union_id: 'on_customer' },
            sender_type: 'user',
            tenant_key: 'ext-tenant-9f',
          };
          e.event.message = {
            ...(e.event.message as object),
            message_id: `om_src${seq}`,
            chat_id: FEISHU_GROUP,
            create_time: String(h.clock.now()),
            message_type: 'text',
            content: JSON.stringify({ text }),
            mentions: [],
          };
        }),
      );
      await settled();
    };
    await writes('你好，我是王芳');
    h.clock.advance(60_000);
    await writes('想了解报价');
    const id = await customerOf('feishu', FEISHU_CUSTOMER);
    const d = await detail(id);
    expect(d.sources.first).toMatchObject({ code: 'fs-partners', name: '合作伙伴群', platform: 'feishu' });
    expect(await sourceRows(id)).toHaveLength(1);
    expect((await h.api<Channel>(`/channels/${channel.id}`)).body.customers).toEqual({
      firstSource: 1,
      anySource: 1,
    });
  });
});
