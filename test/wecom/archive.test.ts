import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';
import { ARCHIVE_SECRET, archiveFixture, customerIdOf, pushArchive } from '../helpers/wecom-archive.ts';
import { postWecom, wecomXml, withField } from '../helpers/wecom-callbacks.ts';

const CUSTOMER = 'wmErxtDgAAhteCglUZH2kUt3rq431qmg';
const OTHER = 'wmErxtDgAAQ8pnmJd7bDYeZ4wG0ZsHvA';
const MEMBER = 'zhangsan';
const ROOM = 'wrErxtDgAAXZ9mGN5FHsJtQB1XAGvlyg';

interface Timeline {
  timeline: Array<{
    type: 'message' | 'event';
    kind?: string;
    text?: string;
    readable?: string;
    contentType?: string;
    direction?: string;
    author?: { kind: string; name: string | null };
    attachment?: { type: string; name?: string } | null;
    deletedAt?: number | null;
    detail?: Record<string, unknown> | null;
    chat?: { kind: string };
  }>;
}

describe.each(serverDialectsUnderTest())('WeCom chat archive on $name', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(dialect, {
      wecom: true,
      clockAt: FIXTURE_TIME,
      env: { WECOM_ARCHIVE_SECRET: ARCHIVE_SECRET },
    });
  });
  afterEach(async () => {
    await h.close();
  });

  const inbox = () => h.db.selectFrom('inbox').select(['status', 'dedup_key', 'last_error']).execute();
  const settled = () =>
    waitFor(async () => {
      const rows = await inbox();
      return rows.length > 0 && rows.every((r) => r.status !== 'pending') && rows;
    }, 8_000);
  const customerOf = (externalId: string) => customerIdOf(h, externalId);
  const timelineOf = async (externalId: string) =>
    (
      await h.api<Timeline>(`/customers/${await customerOf(externalId)}`, undefined, {
        headers: { 'accept-language': 'zh-CN' },
      })
    ).body.timeline;

  it('puts a one-to-one chat on the customer’s record, every record type readable, the member as author', async () => {
    const push = archiveFixture('one-to-one.json');
    expect((await pushArchive(h, push)).status).toBe(200);
    const rows = await settled();
    expect(rows.filter((r) => r.status === 'failed')).toEqual([]);
    // One row per record, and one for how far the push reached.
    expect(rows).toHaveLength(push.records.length + 1);
    const timeline = await timelineOf(CUSTOMER);
    const messages = timeline.filter((t) => t.type === 'message');
    // Every message record (all but recall, agree, disagree and switch) is one readable entry.
    expect(messages).toHaveLength(push.records.length - 4);
    for (const m of messages) {
      if (m.deletedAt) continue;
      expect(m.readable, JSON.stringify(m)).toBeTruthy();
    }
    const texts = messages.map((m) => m.text);
    expect(texts).toContain('王女士您好，企业版按席位收费，我把报价单发您');
    expect(texts).toContain('这是我们的需求清单');
    // What a record carries beyond words reads the same everywhere (readableMessage; test/replay/wecom.test.ts).
    const readables = messages.map((m) => m.readable);
    expect(readables).toContain(
      '[位置] 人民广场 · 上海市黄浦区人民大道200号 https://www.openstreetmap.org/?mlat=31.2304&mlon=121.4737#map=17/31.2304/121.4737',
    );
    expect(readables).toContain('[卡片] 恭喜发财，大吉大利');
    expect(readables).toContain('[卡片] 企业版演示 腾讯会议 123-456-789 请提前五分钟入会');
    expect(readables).toContain('[聊天记录] 王芳和李娜的聊天记录\n  下个月要采购一批\n  预算五万左右');
    expect(readables).toContain('[投票] 演示时间 选项：周三上午 / 周四下午');
    expect(readables).toContain('[暂不支持的消息类型：voiptext]');
    const mixed = messages.find((m) => m.text === '这是我们的需求清单');
    expect(mixed?.attachment).toMatchObject({ type: 'image' });
    const file = messages.find((m) => m.contentType === 'file');
    expect(file?.attachment).toMatchObject({ type: 'file', name: '企业版报价单-2026.pdf' });
    for (const type of ['image', 'audio', 'video', 'sticker'])
      expect(messages.find((m) => m.contentType === type)?.attachment, type).toBeTruthy();
    const reply = messages.find((m) => m.text?.startsWith('王女士您好'));
    expect(reply).toMatchObject({ direction: 'out', author: { kind: 'staff', name: MEMBER } });
    expect(reply?.chat?.kind).toBe('private');
    // The recall removes the text from the conversation and keeps it as an event.
    const withdrawn = messages[0];
    expect(withdrawn).toMatchObject({ text: '', direction: 'in' });
    expect(withdrawn?.deletedAt).toBeTruthy();
    const events = timeline.filter((t) => t.type === 'event').map((t) => [t.kind, t.detail?.text]);
    expect(events).toEqual(
      expect.arrayContaining([
        ['message_recalled', '你好，我想了解一下你们的企业版报价'],
        ['notice:archive_agree', undefined],
        ['notice:archive_disagree', undefined],
      ]),
    );
    // Last contact and the archive's high-water mark move with the archive.
    const customer = await h.db
      .selectFrom('customers as c')
      .innerJoin('staff as s', 's.id', 'c.owner_staff_id')
      .select(['c.last_contact_at', 's.display_name'])
      .where('c.id', '=', await customerOf(CUSTOMER))
      .executeTakeFirstOrThrow();
    expect(customer.display_name).toBe(MEMBER);
    const last = push.records.filter((r) => r.msgtype === 'vote')[0]?.msgtime;
    expect(Number(customer.last_contact_at)).toBe(last);
    const seq = await h.db
      .selectFrom('platform_cursors')
      .select('value')
      .where('name', '=', 'archive:seq')
      .executeTakeFirstOrThrow();
    expect(seq.value).toBe(String(push.records.at(-1)?.seq));
    // Staff saw these chats: nothing relayed, nothing said to the customer.
    expect(await h.db.selectFrom('relays').selectAll().execute()).toEqual([]);
    const sent = h.wecom.callsTo('/cgi-bin/message/send').map((c) => c.body as { touser?: string });
    expect(sent.filter((b) => b.touser !== MEMBER)).toEqual([]);
  });

  it('counts the member’s archived reply as the first response', async () => {
    await pushArchive(h, archiveFixture('one-to-one.json'));
    await settled();
    const { status, body } = await h.api<{
      reps: Array<{ name: string; medianFirstResponseSeconds: number }>;
    }>('/reports/activity?from=2026-03-01&to=2026-03-03');
    expect(status).toBe(200);
    expect(body.reps.find((r) => r.name === MEMBER)?.medianFirstResponseSeconds).toBe(60);
  });

  it('puts a group’s messages on each writing customer’s record and the group’s chat, robots left out', async () => {
    await pushArchive(h, archiveFixture('group.json'));
    await settled();
    const chat = await h.db
      .selectFrom('chats')
      .select(['id', 'kind'])
      .where('external_key', '=', `group:${ROOM}`)
      .executeTakeFirstOrThrow();
    expect(chat.kind).toBe('external_group');
    const rows = await h.db
      .selectFrom('messages')
      .select(['customer_id', 'direction', 'text'])
      .where('chat_id', '=', chat.id)
      .orderBy('sent_at')
      .execute();
    const [first, second] = [await customerOf(CUSTOMER), await customerOf(OTHER)];
    expect(rows).toEqual([
      { customer_id: first, direction: 'in', text: '请问发票什么时候能开出来？' },
      { customer_id: second, direction: 'in', text: '我们也在等发票' },
      { customer_id: second, direction: 'out', text: '两位好，发票今天下午开出，开好发群里' },
    ]);
    // The group's conversation is on each customer member's record (test/wecom/archive-records.test.ts).
    expect((await timelineOf(CUSTOMER)).filter((t) => t.type === 'message').map((t) => t.text)).toEqual(
      rows.map((r) => r.text),
    );
  });

  it('records a record once however often it is pushed', async () => {
    const push = archiveFixture('one-to-one.json');
    const twice = { records: [...push.records, push.records[1]] };
    expect((await pushArchive(h, twice)).status).toBe(200);
    await settled();
    expect((await pushArchive(h, push, { id: 'msg_again' })).status).toBe(200);
    await settled();
    expect(await inbox()).toHaveLength(push.records.length + 1);
    const messages = await h.db.selectFrom('messages').select('id').execute();
    expect(messages).toHaveLength(push.records.length - 4);
  });

  it('tags and alerts on a complaint in an archived chat, and relays nothing', async () => {
    const complaint = {
      seq: 5001,
      msgid: '9123456789012345678_1772417000_external',
      action: 'send',
      from: CUSTOMER,
      tolist: [MEMBER],
      roomid: '',
      msgtime: FIXTURE_TIME - 60_000,
      msgtype: 'text',
      text: { content: '我要投诉，发票拖了两周还没开' },
    };
    expect((await pushArchive(h, { records: [complaint] })).status).toBe(200);
    await settled();
    const id = await customerOf(CUSTOMER);
    await waitFor(async () =>
      (await h.db.selectFrom('alerts').select('cause').where('customer_id', '=', id).execute()).some(
        (a) => a.cause === 'complaint',
      ),
    );
    const tags = await h.db
      .selectFrom('customer_tags as ct')
      .innerJoin('tags as t', 't.id', 'ct.tag_id')
      .select('t.name')
      .where('ct.customer_id', '=', id)
      .execute();
    expect(tags.map((t) => t.name)).toContain('投诉');
    const alert = await waitFor(() =>
      h.wecom
        .callsTo('/cgi-bin/message/send')
        .map((c) => c.body as { touser: string; text?: { content: string } })
        .find((b) => b.text?.content.startsWith('⚠️')),
    );
    expect(alert.touser).toBe(MEMBER);
    expect(await h.db.selectFrom('relays').selectAll().execute()).toEqual([]);
  });

  it('refuses forged, stale, future, unsigned and malformed pushes, storing nothing', async () => {
    const body = archiveFixture('one-to-one.json');
    // The test clock runs in real time: each boundary is taken from the clock just before its push.
    const now = () => Math.floor(h.clock.now() / 1000);
    const forged = `whsec_${Buffer.from('someone-else-s-secret-0123456789').toString('base64')}`;
    expect((await pushArchive(h, body, { secret: forged })).status).toBe(401);
    expect((await pushArchive(h, body, { signature: 'v1,AAAA' })).status).toBe(401);
    expect((await pushArchive(h, body, { timestamp: now() - 301 })).status).toBe(401);
    expect((await pushArchive(h, body, { timestamp: now() + 301 })).status).toBe(401);
    for (const header of ['webhook-id', 'webhook-timestamp', 'webhook-signature'])
      expect((await pushArchive(h, body, { omit: [header] })).status, header).toBe(400);
    expect((await pushArchive(h, '{"records": "none"}')).status).toBe(400);
    expect((await pushArchive(h, { records: [{ msgtype: 'text' }] })).status).toBe(400);
    expect((await pushArchive(h, 'not json')).status).toBe(400);
    expect(await inbox()).toEqual([]);
    // Within the window, and with a second signature from a rotated secret beside it, it is taken.
    const ok = await pushArchive(h, body, { timestamp: now() - 298 });
    expect(ok.status).toBe(200);
  });

  it('records the platform’s announcements and warns when none is followed by a push for ten minutes', async () => {
    const notify = (at: number) =>
      postWecom(
        h,
        withField(wecomXml('event-msgaudit-notify.xml'), 'CreateTime', String(Math.floor(at / 1000))),
      );
    const behind = () =>
      h.logs.filter((l) => l.level === 'warn' && l.message.startsWith('chat archive behind'));
    const pendingSince = async () =>
      Number(
        (
          await h.db
            .selectFrom('platform_cursors')
            .select('value')
            .where('name', '=', 'archive:notified_at')
            .executeTakeFirstOrThrow()
        ).value,
      );
    // The clock also runs in real time: a moment is taken as within the few seconds after it.
    const near = (at: number) => expect.toSatisfy((v: number) => v >= at && v < at + 5_000);
    const first = h.clock.now();
    expect((await notify(first)).status).toBe(200);
    await settled();
    const since = await pendingSince();
    expect(since).toEqual(near(first));
    h.clock.advance(5 * 60_000);
    await notify(h.clock.now());
    await settled();
    expect(behind()).toEqual([]);
    h.clock.advance(6 * 60_000);
    await notify(h.clock.now());
    await waitFor(() => behind().length === 1);
    expect(await pendingSince()).toBe(since);
    // A push answers the announcements: the next one starts a new wait, and nothing is behind.
    await pushArchive(h, archiveFixture('group.json'));
    await settled();
    h.clock.advance(60_000);
    const later = h.clock.now();
    await notify(later);
    await settled();
    expect(await pendingSince()).toEqual(near(later));
    expect(behind()).toHaveLength(1);
  });
});

describe.each(serverDialectsUnderTest())('WeCom chat archive without its secret on $name', (dialect) => {
  it('is off: the route answers 404 and stores nothing', async () => {
    const h = await startHarness(dialect, { wecom: true, clockAt: FIXTURE_TIME });
    try {
      const res = await pushArchive(h, archiveFixture('group.json'));
      expect(res.status).toBe(404);
      expect(await h.db.selectFrom('inbox').selectAll().execute()).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
