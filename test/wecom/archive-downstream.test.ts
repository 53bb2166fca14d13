import { afterEach, describe, expect, it } from 'vitest';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';
import { ARCHIVE_SECRET, customerIdOf, oneToOneText, pushArchive } from '../helpers/wecom-archive.ts';

const MEMBER = 'zhangsan';
const WAITING = 'wmErxtDgAAhteCglUZH2kUt3rq431qmg';
const ANSWERED = 'wmErxtDgAAQ8pnmJd7bDYeZ4wG0ZsHvA';
const MINUTE = 60_000;

let seq = 2000;
/** A one-to-one text record between MEMBER and `customer`, written by either. */
const text = (customer: string, fromCustomer: boolean, content: string, msgtime: number) =>
  oneToOneText({ seq: ++seq, member: MEMBER, customer, fromCustomer }, content, msgtime);

describe.each(serverDialectsUnderTest())('WeCom chat archive downstream on $name', (dialect) => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });
  const start = async () => {
    // Monday 10:15 in Asia/Shanghai, within business hours.
    h = await startHarness(dialect, {
      wecom: true,
      clockAt: FIXTURE_TIME,
      env: {
        WECOM_ARCHIVE_SECRET: ARCHIVE_SECRET,
        BUSINESS_HOURS: 'Mon-Fri 09:00-18:00',
        REPLY_SLA_MINUTES: '30',
      },
    });
  };
  const settled = () =>
    waitFor(async () => {
      const rows = await h.db.selectFrom('inbox').select('status').execute();
      return rows.length > 0 && rows.every((r) => r.status === 'done');
    }, 8_000);
  const customerOf = (externalId: string) => customerIdOf(h, externalId);
  const alerts = async (cause: string) =>
    (
      await h.db.selectFrom('alerts').select(['customer_id', 'cause']).where('cause', '=', cause).execute()
    ).map((a) => a.customer_id);

  it('holds archived chats to the reply SLA: a member’s archived reply answers, silence alerts', async () => {
    await start();
    const now = h.clock.now();
    const records = [
      text(WAITING, true, '在吗？想问下发货时间', now),
      text(ANSWERED, true, '在吗？想问下发票', now),
      text(ANSWERED, false, '在的，发票今天开', now + 5 * MINUTE),
    ];
    expect((await pushArchive(h, { records })).status).toBe(200);
    await settled();
    h.clock.advance(31 * MINUTE);
    const waiting = await customerOf(WAITING);
    await waitFor(async () => (await alerts('sla')).includes(waiting));
    h.clock.advance(10 * MINUTE);
    await new Promise((r) => setTimeout(r, 300));
    expect(await alerts('sla')).toEqual([waiting]);
    const sent = h.wecom
      .callsTo('/cgi-bin/message/send')
      .map((c) => c.body as { touser: string; text?: { content: string } });
    expect(sent.some((b) => b.touser === MEMBER && b.text?.content.startsWith('⏰'))).toBe(true);
    // The digest's figures count archived messages both ways.
    const { body } = await h.api<{ messages: { inbound: number; outbound: number } }>(
      '/reports/activity?from=2026-03-02&to=2026-03-03',
    );
    expect(body.messages).toEqual({ inbound: 2, outbound: 1 });
  });

  it('reads a backfill of old history for tags and last contact without alerting anyone', async () => {
    await start();
    const old = h.clock.now() - 30 * 86_400_000;
    const records = [
      text(WAITING, true, '我要投诉，货到了是坏的', old),
      text(WAITING, true, '请问企业版多少钱？能发个报价单吗', old + 20 * MINUTE),
    ];
    expect((await pushArchive(h, { records })).status).toBe(200);
    await settled();
    const id = await customerOf(WAITING);
    const tags = await h.db
      .selectFrom('customer_tags as ct')
      .innerJoin('tags as t', 't.id', 'ct.tag_id')
      .select('t.name')
      .where('ct.customer_id', '=', id)
      .execute();
    expect(tags.map((t) => t.name)).toContain('投诉');
    h.clock.advance(60 * MINUTE);
    await new Promise((r) => setTimeout(r, 300));
    expect(await h.db.selectFrom('alerts').selectAll().execute()).toEqual([]);
    const bursts = await h.db.selectFrom('conversation_bursts').select('reply_due_at').execute();
    expect(bursts.every((b) => b.reply_due_at === null)).toBe(true);
    const customer = await h.db
      .selectFrom('customers')
      .select(['last_contact_at', 'stage'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(Number(customer.last_contact_at)).toBe(old + 20 * MINUTE);
    expect(customer.stage).toBe('interested');
  });
});
