import { afterEach, describe, expect, it } from 'vitest';
import {
  type ChatDriver,
  postTelegramPrivate,
  telegramCustomer,
  telegramDriver,
} from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';

const [sqlite] = serverDialectsUnderTest();
const ADMIN = '5123456789';
const REP = '5600000001';
const CUSTOMER = '7600000001';
const MINUTE = 60_000;

/** Rules tag customer messages at once, and signals alert the owner once per cause per burst. */
describe('rule tags and alerts', () => {
  let h: Harness;
  let chat: ChatDriver;
  afterEach(async () => {
    await h?.close();
  });

  async function start(env: Record<string, string> = {}) {
    h = await startHarness(sqlite!, { clockAt: FIXTURE_TIME, env });
    chat = telegramDriver(h);
    await chat.ask(ADMIN, `/staff add telegram:${REP} rep`);
    const id = await telegramCustomer(h, CUSTOMER, '王芳', '你好');
    await chat.ask(ADMIN, `/assign #${id} telegram:${REP}`);
    return id;
  }
  const customerSays = async (text: string) => {
    await postTelegramPrivate(h, CUSTOMER, '王芳', text);
  };
  const settle = () => new Promise((r) => setTimeout(r, 300));
  const alertsTo = (userId: string) => chat.sentTo(userId).filter((t) => /^(⚠️|🔥|⏰|⏱)/u.test(t));
  const tags = (customerId: number) =>
    h.db
      .selectFrom('customer_tags')
      .innerJoin('tags', 'tags.id', 'customer_tags.tag_id')
      .select([
        'tags.name',
        'customer_tags.source',
        'customer_tags.source_ref',
        'customer_tags.confidence',
        'customer_tags.message_id',
      ])
      .where('customer_id', '=', customerId)
      .orderBy('tags.name')
      .execute();

  it('tags with the rule, its confidence and the message; a person’s tag is never replaced', async () => {
    const id = await start();
    await chat.ask(REP, `/tag #${id} 投诉`);
    await customerSays('我要投诉！你们的产品质量太差了，我要退款');
    const got = await waitFor(async () => {
      const t = await tags(id);
      return t.some((x) => x.name === '退款') ? t : undefined;
    });
    const message = await h.db
      .selectFrom('messages')
      .select('id')
      .where('text', 'like', '我要投诉%')
      .executeTakeFirstOrThrow();
    expect(got.find((t) => t.name === '投诉')).toMatchObject({ source: 'manual', source_ref: null });
    expect(got.find((t) => t.name === '退款')).toMatchObject({ source: 'rule', message_id: message.id });
    const refund = got.find((t) => t.name === '退款');
    expect(refund?.source_ref).toMatch(/refund/);
    expect(refund?.confidence).toBeGreaterThan(0.5);
  });

  it('alerts the owner once per cause per burst, and again in a later burst', async () => {
    await start();
    await customerSays('我要投诉，客服一直不回复');
    await waitFor(() => alertsTo(REP).find((t) => t.startsWith('⚠️ 客户投诉')));
    h.clock.advance(MINUTE);
    await customerSays('投诉！！！');
    await settle();
    expect(alertsTo(REP).filter((t) => t.startsWith('⚠️ 客户投诉'))).toHaveLength(1);
    expect(alertsTo(REP)[0]).toContain('/show #');
    expect(chat.sentTo(CUSTOMER)).toEqual([]); // the customer is never answered by the CRM

    h.clock.advance(30 * MINUTE); // a new burst
    await customerSays('我还是要投诉');
    await waitFor(() => alertsTo(REP).filter((t) => t.startsWith('⚠️ 客户投诉')).length === 2);
    const rows = await h.db
      .selectFrom('alerts')
      .select(['cause', 'burst_id'])
      .where('cause', '=', 'complaint')
      .execute();
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((r) => r.burst_id)).size).toBe(2);
  });

  it('moves a lead to 意向 on a buying signal, unless a person set the stage', async () => {
    const id = await start();
    await customerSays('请问企业版多少钱？能发个报价单吗');
    await waitFor(
      async () =>
        (await h.db.selectFrom('customers').select('stage').where('id', '=', id).executeTakeFirst())
          ?.stage === 'interested',
    );
    // A hot lead is listed, not pinged at once (the batched ping: test/intelligence/alert-policy.test.ts).
    await waitFor(() =>
      h.db.selectFrom('alerts').select('id').where('cause', '=', 'high_intent').executeTakeFirst(),
    );
    expect(alertsTo(REP).filter((t) => t.startsWith('🔥'))).toEqual([]);
    await chat.ask(REP, `/stage #${id} 潜在`);
    h.clock.advance(30 * MINUTE);
    await customerSays('我想下单，合同怎么签？');
    await settle();
    const c = await h.db
      .selectFrom('customers')
      .select(['stage', 'stage_source'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(c).toEqual({ stage: 'lead', stage_source: 'manual' });
  });

  it('alerts when a customer waits past the reply SLA in business hours, and not when a person answered', async () => {
    // Monday 10:15 in Asia/Shanghai; business hours until 18:00.
    await start({ BUSINESS_HOURS: 'Mon-Fri 09:00-18:00', REPLY_SLA_MINUTES: '30' });
    await customerSays('在吗？');
    h.clock.advance(29 * MINUTE);
    await settle();
    expect(alertsTo(REP).filter((t) => t.startsWith('⏰'))).toEqual([]);
    h.clock.advance(2 * MINUTE);
    await waitFor(() => alertsTo(REP).find((t) => t.startsWith('⏰')));
    h.clock.advance(10 * MINUTE);
    await settle();
    expect(alertsTo(REP).filter((t) => t.startsWith('⏰'))).toHaveLength(1);

    // In a group, the rep answers the customer: no alert.
    const group = { id: -1001600000001, title: '客户群', type: 'supergroup' };
    const say = (id: number, from: object, text: string, extra: object = {}) =>
      h.postUpdate({
        update_id: 886000000 + id,
        message: {
          message_id: id,
          date: Math.floor(h.clock.now() / 1000),
          chat: group,
          from,
          text,
          ...extra,
        },
      });
    await say(1, { id: 7600000009, first_name: '周杰' }, '发货了吗？');
    await waitFor(() =>
      h.db.selectFrom('customers').select('id').where('display_name', '=', '周杰').executeTakeFirst(),
    );
    await say(2, { id: Number(REP), first_name: '销售' }, '今天下午发', {
      reply_to_message: { message_id: 1 },
    });
    h.clock.advance(40 * MINUTE);
    await settle();
    const zhou = await h.db
      .selectFrom('customers')
      .select('id')
      .where('display_name', '=', '周杰')
      .executeTakeFirstOrThrow();
    expect(
      await h.db
        .selectFrom('alerts')
        .select('id')
        .where('customer_id', '=', zhou.id)
        .where('cause', '=', 'sla')
        .execute(),
    ).toEqual([]);
  });

  it('counts only business time: a message at 17:50 is due the next morning', async () => {
    await start({ BUSINESS_HOURS: 'Mon-Fri 09:00-18:00', REPLY_SLA_MINUTES: '30' });
    h.clock.advance(7 * 60 * MINUTE + 35 * MINUTE); // 17:50; the morning's 你好 went unanswered and was alerted
    await waitFor(() => alertsTo(REP).filter((t) => t.startsWith('⏰')).length === 1);
    await customerSays('明天能发货吗');
    h.clock.advance(60 * MINUTE); // 18:50, 60 wall minutes but 10 business minutes
    await settle();
    expect(alertsTo(REP).filter((t) => t.startsWith('⏰'))).toHaveLength(1);
    h.clock.advance(14 * 60 * MINUTE + 31 * MINUTE); // Tuesday 09:21
    await waitFor(() => alertsTo(REP).filter((t) => t.startsWith('⏰')).length === 2);
  });
});
