// The alert policy end to end: one alert per customer message naming every cause, hot leads on a list with a batched
// ping, churn alerts feeding churn risk, and "stop contacting me" proposing do-not-contact to the owner.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ChatDriver,
  postTelegramPrivate,
  telegramCustomer,
  telegramDriver,
} from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';

const ADMIN = '5123456789';
const REP = '5610000001';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Rules of our own, so the policy is tested apart from the shipped rules' wording (test/tagging covers those). */
const RULES = {
  version: 1,
  rules: [
    {
      id: 't.complaint',
      tag: '投诉',
      signals: ['complaint'],
      lang: 'zh',
      phrases: ['投诉'],
      confidence: 0.9,
    },
    { id: 't.refund', tag: '退款', signals: ['refund'], lang: 'zh', phrases: ['退款'], confidence: 0.9 },
    { id: 't.quote', tag: '询价', signals: ['high_intent'], lang: 'zh', phrases: ['报价'], confidence: 0.8 },
    {
      id: 't.churn',
      tag: '流失风险',
      signals: ['churn'],
      lang: 'zh',
      phrases: ['换供应商'],
      confidence: 0.8,
    },
    {
      id: 't.stop',
      tag: '勿扰',
      signals: ['stop_contact'],
      lang: 'zh',
      phrases: ['别再联系我'],
      confidence: 0.9,
    },
    { id: 't.hurry', tag: '紧急', signals: ['urgent'], lang: 'zh', phrases: ['着急'], confidence: 0.5 },
  ],
};

describe.each(serverDialectsUnderTest())('alert policy on $name', (dialect) => {
  let h: Harness;
  let chat: ChatDriver;
  afterEach(async () => {
    await h?.close();
  });

  async function start() {
    const dir = mkdtempSync(join(tmpdir(), 'liaison-alert-policy-'));
    const file = join(dir, 'rules.json');
    writeFileSync(file, JSON.stringify(RULES));
    h = await startHarness(dialect, {
      clockAt: FIXTURE_TIME,
      env: { TAG_RULES_FILE: file, HOT_LEAD_PING_HOURS: '4', ALERT_MIN_CONFIDENCE: '0.6' },
    });
    chat = telegramDriver(h);
    await chat.ask(ADMIN, `/staff add telegram:${REP} rep`);
  }
  async function customer(userId: string, name: string) {
    const id = await telegramCustomer(h, userId, name, '你好');
    await chat.ask(ADMIN, `/assign #${id} telegram:${REP}`);
    return id;
  }
  const settle = () => new Promise((r) => setTimeout(r, 400));
  /** What the bot told the rep on its own, by its first character (alerts, hot-lead pings, proposals). */
  const toRep = (mark: string) => chat.sentTo(REP).filter((t) => t.startsWith(mark));
  const hotRow = (customerId: number) =>
    h.db
      .selectFrom('alerts')
      .select('id')
      .where('customer_id', '=', customerId)
      .where('cause', '=', 'high_intent')
      .executeTakeFirst();
  const alertRows = (customerId: number) =>
    h.db
      .selectFrom('alerts')
      .select(['cause', 'burst_id'])
      .where('customer_id', '=', customerId)
      .orderBy('cause')
      .execute();

  it('sends one alert naming every cause; a later message of the burst alerts only for what it adds', async () => {
    await start();
    const id = await customer('7610000001', '王芳');
    await postTelegramPrivate(h, '7610000001', '王芳', '我要投诉，还要退款');
    await waitFor(() => toRep('⚠️').length === 1);
    await settle();
    expect(toRep('⚠️')).toEqual([`⚠️ 客户投诉 · 退款：#${id} 王芳\n「我要投诉，还要退款」\n查看 /show #${id}`]);
    const rows = await alertRows(id);
    expect(rows.map((r) => r.cause)).toEqual(['complaint', 'refund']); // a row per cause, for the digest
    expect(new Set(rows.map((r) => r.burst_id)).size).toBe(1);

    // Same burst: the complaint again alerts nobody; the churn it adds alerts alone, with the churn text.
    h.clock.advance(MINUTE);
    await postTelegramPrivate(h, '7610000001', '王芳', '再投诉一次，不行就换供应商');
    await waitFor(() => toRep('⚠️').length === 2);
    await settle();
    expect(toRep('⚠️')[1]).toMatch(new RegExp(`^⚠️ 流失风险：客户可能不再续约或改用别家：#${id} 王芳\\n`));
    expect((await alertRows(id)).map((r) => r.cause)).toEqual(['churn', 'complaint', 'refund']);

    // Below ALERT_MIN_CONFIDENCE: tagged, not alerted.
    h.clock.advance(30 * MINUTE);
    await postTelegramPrivate(h, '7610000001', '王芳', '我有点着急');
    await waitFor(() =>
      h.db
        .selectFrom('customer_tags')
        .innerJoin('tags', 'tags.id', 'customer_tags.tag_id')
        .select('tags.name')
        .where('customer_id', '=', id)
        .where('tags.name', '=', '紧急')
        .executeTakeFirst(),
    );
    await settle();
    expect(toRep('⏱')).toEqual([]);
    expect(toRep('⚠️')).toHaveLength(2);

    // The churn words make the customer a churn risk at the next hourly refresh, shown on /mine.
    h.clock.advance(HOUR);
    await waitFor(async () =>
      (await h.db.selectFrom('customers').select('churn_risk').where('id', '=', id).executeTakeFirst())
        ?.churn_risk === 50
        ? true
        : undefined,
    );
    expect(await chat.ask(REP, '/mine')).toContain('⚠️流失风险50');
  });

  it('lists hot leads on /mine and pings them in one batch after HOT_LEAD_PING_HOURS, at most once per interval', async () => {
    await start();
    const a = await customer('7610000011', '张伟');
    const b = await customer('7610000012', '李娜');
    const c = await customer('7610000013', '赵敏');
    await postTelegramPrivate(h, '7610000011', '张伟', '请发一份报价');
    await waitFor(() => hotRow(a));
    h.clock.advance(HOUR);
    await postTelegramPrivate(h, '7610000012', '李娜', '报价单什么时候有');
    await waitFor(
      async () =>
        (await h.db.selectFrom('alerts').select('id').where('cause', '=', 'high_intent').execute()).length ===
        2,
    );
    await settle();
    expect(toRep('🔥')).toEqual([]); // no ping at once
    const mine = await chat.ask(REP, '/mine');
    expect(mine.split('\n').slice(0, 3)).toEqual([
      '高意向客户 2 位 🔥：',
      `#${b} 李娜 · 今天`,
      `#${a} 张伟 · 今天`,
    ]);
    expect(mine).toContain('你负责 3 位客户：');

    h.clock.advance(2 * HOUR); // the first lead waited 3 hours
    await settle();
    expect(toRep('🔥')).toEqual([]);
    h.clock.advance(HOUR + MINUTE); // 4 hours and a minute
    await waitFor(() => toRep('🔥').length === 1);
    expect(toRep('🔥')[0]).toBe(`🔥 2 位新的高意向客户：\n#${a} 张伟\n#${b} 李娜\n全部高意向客户：/mine`);

    // A lead right after the ping waits for the next interval, and that ping names only it.
    h.clock.advance(MINUTE);
    await postTelegramPrivate(h, '7610000013', '赵敏', '想要个报价');
    await waitFor(() => hotRow(c));
    h.clock.advance(3 * HOUR);
    await settle();
    expect(toRep('🔥')).toHaveLength(1);
    h.clock.advance(HOUR + MINUTE);
    await waitFor(() => toRep('🔥').length === 2);
    await settle();
    expect(toRep('🔥')[1]).toBe(`🔥 1 位新的高意向客户：\n#${c} 赵敏\n全部高意向客户：/mine`);
    expect(toRep('🔥')).toHaveLength(2);
  });

  it('proposes do-not-contact once until answered, and never sets it by itself', async () => {
    await start();
    const id = await customer('7610000021', '陈静');
    const dnc = async () =>
      (
        await h.db
          .selectFrom('customers')
          .select('do_not_contact')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).do_not_contact;
    await postTelegramPrivate(h, '7610000021', '陈静', '请别再联系我了');
    await waitFor(() => toRep('🔕').length === 1);
    expect(toRep('🔕')[0]).toBe(
      `🔕 客户似乎希望不再被联系：#${id} 陈静\n「请别再联系我了」\n设为免打扰：/dnc #${id} on\n不设置：/dnc #${id} off`,
    );
    expect(await dnc()).toBe(0);

    h.clock.advance(30 * MINUTE); // a new burst, still unanswered: not asked again
    await postTelegramPrivate(h, '7610000021', '陈静', '说了别再联系我');
    await settle();
    expect(toRep('🔕')).toHaveLength(1);

    await chat.ask(REP, `/dnc #${id} off`); // answered: leave it unset
    expect(await dnc()).toBe(0);
    h.clock.advance(30 * MINUTE);
    await postTelegramPrivate(h, '7610000021', '陈静', '别再联系我');
    await waitFor(() => toRep('🔕').length === 2);

    await chat.ask(REP, `/dnc #${id} on`);
    expect(await dnc()).toBe(1);
    h.clock.advance(30 * MINUTE);
    await postTelegramPrivate(h, '7610000021', '陈静', '别再联系我');
    await settle();
    expect(toRep('🔕')).toHaveLength(2); // already marked: nothing to propose
  });
});
