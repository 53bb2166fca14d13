import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';
import {
  ARCHIVE_SECRET,
  archiveFixture,
  customerIdOf,
  oneToOneText,
  pushArchive,
} from '../helpers/wecom-archive.ts';
import { postWecom, wecomXml, withField } from '../helpers/wecom-callbacks.ts';

// What the chat archive proves beyond its messages: contact relations, a group's conversation on each member's
// record, a member's switch to another corp, and how far behind the archive is (for operators).

const CUSTOMER = 'wmErxtDgAAhteCglUZH2kUt3rq431qmg';
const OTHER = 'wmErxtDgAAQ8pnmJd7bDYeZ4wG0ZsHvA';
const MEMBER = 'zhangsan';
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

let seq = 7000;
const oneToOne = (fromCustomer: boolean, content: string, msgtime: number) =>
  oneToOneText({ seq: ++seq, member: MEMBER, customer: CUSTOMER, fromCustomer }, content, msgtime);

interface Entry {
  type: 'message' | 'event';
  text?: string;
  author?: { kind: string; name: string | null };
  chat?: { kind: string };
}

describe.each(serverDialectsUnderTest())('WeCom chat archive records on $name', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(dialect, {
      wecom: true,
      clockAt: FIXTURE_TIME,
      env: { WECOM_ARCHIVE_SECRET: ARCHIVE_SECRET, METRICS_TOKEN },
    });
  });
  afterEach(async () => {
    await h.close();
  });

  const settled = () =>
    waitFor(async () => {
      const rows = await h.db.selectFrom('inbox').select('status').execute();
      return rows.length > 0 && rows.every((r) => r.status === 'done') && rows;
    }, 8_000);
  const customerOf = (externalId: string) => customerIdOf(h, externalId);
  const relations = () =>
    h.db
      .selectFrom('contact_relations')
      .select(['customer_id', 'member_external_id', 'status', 'remark'])
      .execute();

  it('records the contact relation a one-to-one chat proves, once: replies say to answer in WeCom', async () => {
    const now = h.clock.now();
    const records = [
      oneToOne(true, '你好，想问下价格', now),
      oneToOne(false, '您好，我发您报价', now + 60_000),
    ];
    expect((await pushArchive(h, { records })).status).toBe(200);
    await settled();
    const id = await customerOf(CUSTOMER);
    expect(await relations()).toEqual([
      { customer_id: id, member_external_id: MEMBER, status: 'active', remark: null },
    ]);
    // Shown on the record as a contact event's relation would be (and so used by outreach's mass sends).
    const detail = await h.api<{ relations: Array<Record<string, unknown>> }>(`/customers/${id}`);
    expect(detail.body.relations).toEqual([
      expect.objectContaining({ platform: 'wecom', member: MEMBER, staff: MEMBER, status: 'active' }),
    ]);
    // Pushed again (another push id, new records): still one relation.
    expect((await pushArchive(h, { records: [oneToOne(true, '好的谢谢', now + 120_000)] })).status).toBe(200);
    await settled();
    expect(await relations()).toHaveLength(1);

    // The API's send explains it as the member's to answer in WeCom.
    const sent = await h.api<{ reason?: string }>(`/customers/${id}/messages`, undefined, {
      method: 'POST',
      body: JSON.stringify({ text: '您好' }),
    });
    expect(sent).toMatchObject({ status: 409, body: { reason: 'contact_only' } });

    // And so does /reply, typed by the member to the app.
    const command = withField(
      withField(wecomXml('msg-text-member.xml'), 'Content', `/reply #${id} 您好`),
      'MsgId',
      '7477281932010399001',
    );
    expect((await postWecom(h, command)).status).toBe(200);
    const answer = await waitFor(() =>
      h.wecom
        .callsTo('/cgi-bin/message/send')
        .map((c) => c.body as { touser: string; text?: { content: string } })
        .find((b) => b.touser === MEMBER && b.text?.content.includes('企业微信')),
    );
    // contact_only, not no_channel ("没有可以回复的渠道").
    expect(answer.text?.content).toContain('是企业微信联系人：请在企业微信里直接回复客户');
  });

  it('keeps a relation recorded by a contact event (its remark) or lost, as it was', async () => {
    const now = h.clock.now();
    // A first chat makes the customer and the relation; the relation is then changed as events would change it.
    await pushArchive(h, { records: [oneToOne(true, '你好', now)] });
    await settled();
    await h.db
      .updateTable('contact_relations')
      .set({ remark: '王女士', status: 'lost', lost_at: now, lost_reason: 'deleted by the customer' })
      .execute();
    await pushArchive(h, { records: [oneToOne(false, '还在吗', now + 60_000)] });
    await settled();
    expect(await relations()).toEqual([
      {
        customer_id: await customerOf(CUSTOMER),
        member_external_id: MEMBER,
        status: 'lost',
        remark: '王女士',
      },
    ]);
  });

  it('shows a group’s conversation on each customer member’s record; last contact stays the writer’s', async () => {
    await pushArchive(h, archiveFixture('group.json'));
    await settled();
    const [first, second] = [await customerOf(CUSTOMER), await customerOf(OTHER)];
    const timeline = async (id: number) =>
      (await h.api<{ timeline: Entry[] }>(`/customers/${id}`)).body.timeline.filter(
        (t) => t.type === 'message',
      );
    const expected = ['请问发票什么时候能开出来？', '我们也在等发票', '两位好，发票今天下午开出，开好发群里'];
    const firstSees = await timeline(first);
    expect(firstSees.map((t) => t.text)).toEqual(expected);
    expect((await timeline(second)).map((t) => t.text)).toEqual(expected);
    // Each message is said by whom it was said, in the group.
    expect(firstSees.map((t) => [t.author?.kind, t.chat?.kind])).toEqual([
      ['customer', 'external_group'],
      ['customer', 'external_group'],
      ['staff', 'external_group'],
    ]);
    expect(firstSees[1]?.author?.name).not.toBe(firstSees[0]?.author?.name);
    // One row per message, each on one customer; last contact moved only for each writer.
    expect(await h.db.selectFrom('messages').select('id').execute()).toHaveLength(3);
    const lastContact = async (id: number) =>
      Number(
        (
          await h.db
            .selectFrom('customers')
            .select('last_contact_at')
            .where('id', '=', id)
            .executeTakeFirstOrThrow()
        ).last_contact_at,
      );
    const records = archiveFixture('group.json').records;
    expect(await lastContact(first)).toBe(records[0]?.msgtime);
    // A member who left no longer sees what is said after.
    await h.db
      .updateTable('chat_members')
      .set({ left_at: Number(records[0]?.msgtime) + 1 })
      .where('customer_id', '=', first)
      .execute();
    expect((await timeline(first)).map((t) => t.text)).toEqual([expected[0]]);
  });

  it('keeps a member’s switch to another corp in the audit log, once', async () => {
    const push = archiveFixture('one-to-one.json');
    const switched = push.records.find((r) => r.action === 'switch');
    expect(switched).toBeTruthy();
    await pushArchive(h, { records: [switched] });
    await settled();
    await pushArchive(h, { records: [switched] }, { id: 'msg_again' });
    await settled();
    const entries = await h.db
      .selectFrom('audit_log as a')
      .innerJoin('staff as s', (j) => j.on((eb) => eb('a.actor_staff_id', '=', eb.ref('s.id'))))
      .select(['a.action', 'a.at', 'a.detail', 's.display_name'])
      .where('a.action', '=', 'archive.member_switched')
      .execute();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ at: switched?.time, display_name: MEMBER });
    expect(JSON.parse(String(entries[0]?.detail))).toEqual({ member: MEMBER, record: switched?.msgid });
    expect(await h.db.selectFrom('customer_events').selectAll().execute()).toEqual([]);
  });

  it('shows operators how far the archive reached and how long announcements have waited, in /metrics', async () => {
    const scrape = async () => {
      const res = await fetch(`${h.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(res.status).toBe(200);
      return res.text();
    };
    const sample = (text: string, name: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${name}{`));
      return line === undefined ? undefined : Number(line.split(' ').at(-1));
    };
    expect(sample(await scrape(), 'liaison_archive_seq')).toBeUndefined();
    const group = archiveFixture('group.json');
    await pushArchive(h, group);
    await settled();
    const pushed = await scrape();
    expect(sample(pushed, 'liaison_archive_seq')).toBe(Math.max(...group.records.map((r) => Number(r.seq))));
    expect(pushed).toContain('liaison_archive_seq{platform="wecom",workspace="');
    expect(sample(pushed, 'liaison_archive_unanswered_notify_age_seconds')).toBe(0);
    // An announcement no push follows: its age grows with the clock, and the last push ages with it.
    h.clock.advance(60_000);
    const notify = withField(
      wecomXml('event-msgaudit-notify.xml'),
      'CreateTime',
      String(Math.floor(h.clock.now() / 1000)),
    );
    expect((await postWecom(h, notify)).status).toBe(200);
    await settled();
    h.clock.advance(15 * 60_000);
    const behind = await scrape();
    const waited = sample(behind, 'liaison_archive_unanswered_notify_age_seconds') ?? 0;
    expect(waited).toBeGreaterThanOrEqual(15 * 60);
    expect(waited).toBeLessThan(15 * 60 + 30);
    expect(sample(behind, 'liaison_archive_last_push_age_seconds')).toBeGreaterThanOrEqual(16 * 60);
  });
});
