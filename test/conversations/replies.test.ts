import { afterEach, describe, expect, it } from 'vitest';
import {
  postTelegramPrivate,
  replyInTelegram,
  sentMessageRecorded,
  telegramCustomer,
  telegramDriver,
} from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { API_TOKEN, FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';

const ADMIN = '5234567890';
const MANAGER = '5480000001';
const REP = '5480000002';
const OTHER_REP = '5480000003';
const CUSTOMER = '7480000001';

/** Customers who write to the bot reach the staff who answer them, and are answered from the same chat. */
describe.each(serverDialectsUnderTest())('relays and replies on $name', (dialect) => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  const sentTo = (chatId: string) =>
    h.telegram
      .callsTo('sendMessage')
      .filter((c) => String(c.body.chat_id) === chatId)
      .map((c) => ({
        text: String(c.body.text),
        id: (c.answer?.body as { result?: { message_id?: number } } | undefined)?.result?.message_id,
      }));
  const relaysTo = (staff: string) => sentTo(staff).filter((m) => m.text.startsWith('💬'));

  async function organisation(env: Record<string, string> = {}) {
    h = await startHarness(dialect, { clockAt: FIXTURE_TIME, env });
    const chat = telegramDriver(h);
    await chat.ask(ADMIN, '/team add 华南组');
    await chat.ask(ADMIN, '/team add 华北组');
    await chat.ask(ADMIN, `/staff add telegram:${MANAGER} manager 华南组`);
    await chat.ask(ADMIN, `/staff add telegram:${REP} rep 华南组`);
    await chat.ask(ADMIN, `/staff add telegram:${OTHER_REP} rep 华北组`);
    return chat;
  }

  it('relays an unowned customer to the top-level managers, then to the owner masked, and sends the rep’s answers to the customer', async () => {
    const chat = await organisation();
    const id = await telegramCustomer(h, CUSTOMER, '王芳', '你好，想了解企业版的价格');
    const toManager = await waitFor(() => relaysTo(MANAGER)[0]);
    expect(toManager.text).toContain(`#${id} 王芳`);
    expect(toManager.text).toContain('你好，想了解企业版的价格');
    expect(relaysTo(REP)).toEqual([]);

    await chat.ask(ADMIN, `/assign #${id} telegram:${REP}`);
    await postTelegramPrivate(h, CUSTOMER, '王芳', '我的电话 13812345678，方便的话打给我');
    const toRep = await waitFor(() => relaysTo(REP)[0]);
    expect(toRep.text).toContain('138****5678');
    expect(toRep.text).not.toContain('13812345678');
    expect(relaysTo(MANAGER)).toHaveLength(1);
    // Nothing of it went back to the customer.
    expect(sentTo(CUSTOMER).some((m) => m.text.includes('💬'))).toBe(false);

    // The rep answers the relay with Telegram's reply: it goes to the customer.
    await sentMessageRecorded(h, toRep.id);
    const before = sentTo(CUSTOMER).length;
    await replyInTelegram(h, REP, toRep.id, { text: '您好，企业版每年 12000 元，我稍后打给您' });
    const answered = await waitFor(() => sentTo(CUSTOMER)[before]);
    expect(answered.text).toBe('您好，企业版每年 12000 元，我稍后打给您');
    expect(await waitFor(() => sentTo(REP).find((m) => m.text.startsWith('已回复')))).toMatchObject({
      text: `已回复 #${id} 王芳（Telegram）。`,
    });

    // And by command, with and without the slash.
    expect(await chat.ask(REP, `/reply #${id} 合同今天发您邮箱`)).toBe(`已回复 #${id} 王芳（Telegram）。`);
    expect(await chat.ask(REP, `回复 #${id} 收到请回个消息`)).toContain('已回复');
    await waitFor(() => sentTo(CUSTOMER).length === before + 3);
    expect(
      sentTo(CUSTOMER)
        .slice(before)
        .map((m) => m.text),
    ).toEqual(['您好，企业版每年 12000 元，我稍后打给您', '合同今天发您邮箱', '收到请回个消息']);

    // On the timeline as the rep's messages.
    const timeline = await waitFor(async () => {
      const d = await h.api<{
        timeline: Array<{ type: string; direction?: string; text?: string; author?: { kind: string } }>;
      }>(`/customers/${id}`);
      const out = d.body.timeline.filter((e) => e.type === 'message' && e.direction === 'out');
      return out.length === 3 ? out : undefined;
    });
    expect(timeline.map((e) => [e.author?.kind, e.text])).toEqual([
      ['staff', '您好，企业版每年 12000 元，我稍后打给您'],
      ['staff', '合同今天发您邮箱'],
      ['staff', '收到请回个消息'],
    ]);
  });

  it('relays and replies once under redelivery, and lets nobody outside the customer’s scope send', async () => {
    const chat = await organisation();
    const id = await telegramCustomer(h, CUSTOMER, '李雷', '在吗');
    await chat.ask(ADMIN, `/assign #${id} telegram:${REP}`);
    const update = {
      update_id: 990000100,
      message: {
        message_id: 990000100,
        date: Math.floor(h.clock.now() / 1000),
        chat: { id: Number(CUSTOMER), type: 'private', first_name: '李雷' },
        from: { id: Number(CUSTOMER), is_bot: false, first_name: '李雷' },
        text: '报价单收到了吗',
      },
    };
    await h.postUpdate(update);
    await h.postUpdate(update);
    await waitFor(() => relaysTo(REP).find((m) => m.text.includes('报价单收到了吗')));
    await h.restart();
    await h.postUpdate(update);
    await new Promise((r) => setTimeout(r, 300));
    expect(relaysTo(REP).filter((m) => m.text.includes('报价单收到了吗'))).toHaveLength(1);

    const before = sentTo(CUSTOMER).length;
    expect(await chat.ask(OTHER_REP, `/reply #${id} 我是别的组的`)).toContain('没有找到');
    expect(await chat.ask(MANAGER, `/reply #${id} 我是经理`)).toContain('已回复');
    await waitFor(() => sentTo(CUSTOMER).length === before + 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(
      sentTo(CUSTOMER)
        .slice(before)
        .map((m) => m.text),
    ).toEqual(['我是经理']);
  });

  it('sends through the API once per Idempotency-Key, and says why when no channel reaches the customer', async () => {
    await organisation();
    const id = await telegramCustomer(h, CUSTOMER, '韩梅梅', '你好');
    const send = (body: unknown, key?: string, path = `/customers/${id}/messages`) =>
      h.api<Record<string, unknown>>(path, API_TOKEN, {
        method: 'POST',
        body: JSON.stringify(body),
        ...(key ? { headers: { 'idempotency-key': key } } : {}),
      });
    const first = await send({ text: '您的订单已发货' }, 'order-42-shipped');
    expect(first).toMatchObject({
      status: 202,
      body: { status: 'queued', customerId: id, channel: { platform: 'telegram', kind: 'private' } },
    });
    expect((await send({ text: '您的订单已发货' }, 'order-42-shipped')).status).toBe(202);
    expect((await send({ text: '另一段话' }, 'order-42-shipped')).status).toBe(422);
    await waitFor(() => sentTo(CUSTOMER).find((m) => m.text === '您的订单已发货'));
    await new Promise((r) => setTimeout(r, 300));
    expect(sentTo(CUSTOMER).filter((m) => m.text === '您的订单已发货')).toHaveLength(1);

    const typed = await h.api<{ id: number }>('/customers', API_TOKEN, {
      method: 'POST',
      body: JSON.stringify({ name: '只有电话的客户', phone: '13900001111' }),
    });
    const none = await send({ text: '你好' }, undefined, `/customers/${typed.body.id}/messages`);
    expect(none).toMatchObject({ status: 409, body: { reason: 'no_channel' } });
    expect((await send({ text: '你好' }, undefined, '/customers/999999/messages')).status).toBe(404);
    expect((await send({ text: '' })).status).toBe(400);
    const audited = await h.db
      .selectFrom('audit_log')
      .select(['action', 'actor_kind'])
      .where('action', '=', 'customer.replied')
      .execute();
    expect(audited).toEqual([{ action: 'customer.replied', actor_kind: 'api' }]);
  });

  it('stops the reply SLA at the first reply, while an unanswered customer still alerts', async () => {
    const chat = await organisation({ REPLY_SLA_MINUTES: '30' });
    const answered = await telegramCustomer(h, CUSTOMER, '周杰', '发货了吗？');
    const waiting = await telegramCustomer(h, '7480000009', '赵敏', '在吗？');
    for (const id of [answered, waiting]) await chat.ask(ADMIN, `/assign #${id} telegram:${REP}`);
    h.clock.advance(10 * 60_000);
    expect(await chat.ask(REP, `/reply #${answered} 今天下午发`)).toContain('已回复');
    await waitFor(async () =>
      h.db
        .selectFrom('messages')
        .select('id')
        .where('customer_id', '=', answered)
        .where('author_kind', '=', 'staff')
        .executeTakeFirst(),
    );
    h.clock.advance(25 * 60_000);
    const slaAlerts = () =>
      h.db.selectFrom('alerts').select('customer_id').where('cause', '=', 'sla').execute();
    await waitFor(async () => (await slaAlerts()).length > 0, 5_000);
    await new Promise((r) => setTimeout(r, 300));
    expect((await slaAlerts()).map((a) => a.customer_id)).toEqual([waiting]);
    // The report counts the reply as the rep's, with their first-response time.
    const before = sentTo(MANAGER).length;
    await postTelegramPrivate(h, MANAGER, '经理', '/report');
    const report = await waitFor(
      () =>
        sentTo(MANAGER)
          .slice(before)
          .find((m) => m.text.includes('回复')),
      20_000,
    );
    // The report (with its chart, so slower than a plain answer) counts the reply as the rep's first response.
    expect(report.text).toContain('员工002：回复 1，跟进 0，首次响应中位 10分钟');
    // The rep answers the reply-time alert itself with Telegram's reply: it reaches the waiting customer.
    const alert = await waitFor(() =>
      sentTo(REP).find((m) => m.text.startsWith('⏰') && m.text.includes('赵敏')),
    );
    await sentMessageRecorded(h, alert.id);
    await replyInTelegram(h, REP, alert.id, { text: '抱歉久等，我在的' });
    expect((await waitFor(() => sentTo('7480000009')[0])).text).toBe('抱歉久等，我在的');
  });

  it('relays a pile-up of customer messages in a few relays, each message exactly once', async () => {
    await organisation();
    const messages = Array.from({ length: 30 }, (_, i) => ({
      from: String(7481000000 + i),
      name: `客户${String(i).padStart(2, '0')}`,
      texts: [`第一句话-${i}。`, `第二句话-${i}。`],
    }));
    await Promise.all(
      messages.map(async (m) => {
        for (const text of m.texts) await postTelegramPrivate(h, m.from, m.name, text);
      }),
    );
    const relayed = () => relaysTo(MANAGER).map((m) => m.text);
    await waitFor(
      () => messages.every((_, i) => relayed().some((t) => t.includes(`第二句话-${i}。`))),
      10_000,
    );
    await new Promise((r) => setTimeout(r, 300));
    const all = relayed().join('\n');
    for (const [i] of messages.entries())
      for (const text of [`第一句话-${i}。`, `第二句话-${i}。`])
        expect(all.split(text).length - 1, text).toBe(1);
    // 60 messages from 30 customers, far fewer relays: the manager's chat is not flooded.
    expect(relayed().length).toBeLessThanOrEqual(20);
    expect(relayed().some((t) => /💬 \d+ 位客户来信/.test(t))).toBe(true);
  });

  it('sends a relay a dead process assigned but never queued, once', async () => {
    const chat = await organisation();
    const id = await telegramCustomer(h, CUSTOMER, '孙丽', '合同什么时候能签？');
    await waitFor(() => relaysTo(MANAGER).find((m) => m.text.includes('合同什么时候能签？')));
    // A process assigned this message to a relay for the rep and died before queueing it.
    await h.stop();
    const message = await h.db
      .selectFrom('messages')
      .select('id')
      .where('customer_id', '=', id)
      .executeTakeFirstOrThrow();
    const rep = await h.db
      .selectFrom('staff_identities')
      .select('staff_id')
      .where('external_id', '=', REP)
      .executeTakeFirstOrThrow();
    await h.db
      .insertInto('relays')
      .values({
        message_id: message.id,
        customer_id: id,
        staff_id: rep.staff_id,
        created_at: h.clock.now(),
        batch_key: `relay:${rep.staff_id}:${message.id}`,
      })
      .execute();
    await h.restart();
    expect(relaysTo(REP)).toEqual([]);
    h.clock.advance(31_000); // a live process queues right away; after 30 s it counts as abandoned
    await waitFor(() => relaysTo(REP).find((m) => m.text.includes('合同什么时候能签？')), 5_000);
    h.clock.advance(31_000);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(relaysTo(REP)).toHaveLength(1);
    expect(await chat.ask(REP, `/reply #${id} 本周五`)).toContain('已回复');
  });
});
