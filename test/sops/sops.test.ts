import { afterEach, describe, expect, it } from 'vitest';
import { insertSource } from '../evaluation/setup.ts';
import { postTelegramPrivate, telegramCustomer, telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';

const ADMIN = '5123456789';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const settle = (ms = 400) => new Promise((r) => setTimeout(r, ms));

/** The bot's messages to one Telegram customer's private chat. */
const toCustomer = (h: Harness, userId: string) =>
  h.telegram
    .callsTo('sendMessage')
    .filter((c) => String(c.body.chat_id) === userId)
    .map((c) => String(c.body.text));

async function staffIdOf(h: Harness, externalId: string): Promise<number> {
  const row = await h.db
    .selectFrom('staff_identities')
    .select('staff_id')
    .where('external_id', '=', externalId)
    .executeTakeFirstOrThrow();
  return Number(row.staff_id);
}

async function createSop(h: Harness, body: object) {
  return h.api<{ id: number; enrollments: Record<string, unknown> }>('/sops', undefined, {
    method: 'POST',
    body: JSON.stringify(body),
  });
}

const enrollments = (h: Harness) =>
  h.db
    .selectFrom('sop_enrollments')
    .select(['sop_id', 'customer_id', 'status', 'stop_reason', 'next_step'])
    .execute();

describe.each(serverDialectsUnderTest())('SOPs on $name', (dialect) => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it('a tag starts it: day-0 welcome to the customer, day-3 reminder to the owner, and a reply stops it', async () => {
    h = await startHarness(dialect, { clockAt: FIXTURE_TIME });
    const chat = telegramDriver(h);
    const customer = '7610000001';
    const id = await telegramCustomer(h, customer, '王芳');
    const owner = await staffIdOf(h, ADMIN);
    expect(
      (await h.api(`/customers/${id}`, undefined, { method: 'PATCH', body: JSON.stringify({ owner }) }))
        .status,
    ).toBe(200);
    const created = await createSop(h, {
      name: '试用跟进',
      trigger: { kind: 'tag', value: '试用' },
      steps: [
        { after: {}, action: 'message', text: '欢迎试用！有问题随时找我。' },
        { after: { days: 3 }, action: 'remind', text: '给客户打电话了解试用情况' },
        {
          after: { days: 7 },
          action: 'message',
          text: '这是客户案例：https://example.com/case',
          onlyIfNoReply: true,
        },
      ],
    });
    expect(created.status).toBe(201);

    expect(await chat.ask(ADMIN, '/tag 王芳 试用')).toContain('试用');
    await waitFor(() => toCustomer(h, customer).includes('欢迎试用！有问题随时找我。'));
    const reminders = () => chat.sentTo(ADMIN).filter((t) => t.startsWith('⏰ 提醒'));
    await settle();
    expect(reminders()).toEqual([]);

    h.clock.advance(3 * DAY + HOUR);
    const reminder = await waitFor(() => reminders()[0]);
    expect(reminder).toBe(`⏰ 提醒：SOP「试用跟进」第2步：给客户打电话了解试用情况 — #${id} 王芳`);

    h.clock.advance(DAY); // day 4: the customer answers
    await postTelegramPrivate(h, customer, '王芳', '收到，谢谢');
    await waitFor(() =>
      h.db.selectFrom('messages').select('id').where('text', '=', '收到，谢谢').executeTakeFirst(),
    );
    h.clock.advance(4 * DAY); // day 8: the case study would be due
    await waitFor(async () => (await enrollments(h))[0]?.status === 'stopped');
    await settle();
    expect(await enrollments(h)).toEqual([
      expect.objectContaining({ customer_id: id, status: 'stopped', stop_reason: 'replied', next_step: 2 }),
    ]);
    expect(toCustomer(h, customer).filter((t) => t.includes('案例'))).toEqual([]);
    expect(toCustomer(h, customer).filter((t) => t.includes('欢迎试用'))).toHaveLength(1);
    expect(reminders()).toHaveLength(1);

    const shown = await h.api<{ enrollments: object }>(`/sops/${created.body.id}`);
    expect(shown.body.enrollments).toEqual({
      total: 1,
      active: 0,
      stopped: 1,
      done: 0,
      stoppedBy: { replied: 1 },
    });
  });

  it('a stage starts it and a later stage change stops it', async () => {
    h = await startHarness(dialect, { clockAt: FIXTURE_TIME });
    const chat = telegramDriver(h);
    const customer = '7610000002';
    const id = await telegramCustomer(h, customer, '李雷');
    const owner = await staffIdOf(h, ADMIN);
    const patch = (body: object) =>
      h.api(`/customers/${id}`, undefined, { method: 'PATCH', body: JSON.stringify(body) });
    expect((await patch({ owner })).status).toBe(200);
    expect(
      (
        await createSop(h, {
          name: '意向培育',
          trigger: { kind: 'stage', value: 'interested' },
          steps: [
            { after: { hours: 1 }, action: 'message', text: '感谢关注，给您发一份报价单。' },
            { after: { days: 2 }, action: 'remind', text: '跟进报价' },
          ],
        })
      ).status,
    ).toBe(201);
    expect((await patch({ stage: 'interested' })).status).toBe(200);
    await waitFor(async () => (await enrollments(h)).length === 1);
    await settle();
    expect(toCustomer(h, customer).filter((t) => t.includes('报价单'))).toEqual([]); // due in an hour
    h.clock.advance(HOUR + 60_000);
    await waitFor(() => toCustomer(h, customer).includes('感谢关注，给您发一份报价单。'));

    expect((await patch({ stage: 'won' })).status).toBe(200);
    h.clock.advance(2 * DAY);
    await waitFor(async () => (await enrollments(h))[0]?.status === 'stopped');
    expect((await enrollments(h))[0]).toMatchObject({ status: 'stopped', stop_reason: 'stage_changed' });
    await settle();
    expect(chat.sentTo(ADMIN).filter((t) => t.startsWith('⏰ 提醒'))).toEqual([]);
    expect(await h.db.selectFrom('reminders').selectAll().execute()).toEqual([]);
  });

  it('sends a step once under a redelivered command, a repeated step, a second instance and a restart', async () => {
    h = await startHarness(dialect, { clockAt: FIXTURE_TIME });
    const customer = '7610000003';
    const id = await telegramCustomer(h, customer, '韩梅');
    await h.startAnother();
    expect(
      (
        await createSop(h, {
          name: '新客欢迎',
          trigger: { kind: 'tag', value: '新客' },
          steps: [
            { after: {}, action: 'message', text: '欢迎！' },
            { after: { days: 1 }, action: 'message', text: '第二天的问候' },
          ],
        })
      ).status,
    ).toBe(201);
    // The same Telegram update delivered twice: one tag, one enrollment.
    const update = {
      update_id: 990_000_001,
      message: {
        message_id: 990_000_001,
        date: Math.floor(h.clock.now() / 1000),
        chat: { id: Number(ADMIN), type: 'private', first_name: '张三' },
        from: { id: Number(ADMIN), is_bot: false, first_name: '张三', language_code: 'zh-hans' },
        text: '/tag 韩梅 新客',
      },
    };
    await h.postUpdate(update);
    await h.postUpdate(update);
    await waitFor(() => toCustomer(h, customer).includes('欢迎！'));
    await settle();

    // A crash between queueing the step and marking it run: the step is run again, after a restart.
    await h.db
      .updateTable('sop_enrollments')
      .set({ next_step: 0, next_due_at: h.clock.now() })
      .where('customer_id', '=', id)
      .execute();
    await h.restart();
    await waitFor(async () => (await enrollments(h))[0]?.next_step === 1);
    h.clock.advance(DAY + 60_000);
    await waitFor(() => toCustomer(h, customer).includes('第二天的问候'));
    await waitFor(async () => (await enrollments(h))[0]?.status === 'done');
    await settle();
    expect(toCustomer(h, customer).filter((t) => t === '欢迎！')).toHaveLength(1);
    expect(toCustomer(h, customer).filter((t) => t === '第二天的问候')).toHaveLength(1);
    expect(await enrollments(h)).toHaveLength(1);
    const outreach = await h.db
      .selectFrom('customer_outreach')
      .select(['kind', 'outreach_key'])
      .orderBy('id')
      .execute();
    expect(outreach.map((o) => o.kind)).toEqual(['sop', 'sop']);
  });

  it('asks the owner to send what it cannot, skips customers without an owner, stops for do-not-contact', async () => {
    h = await startHarness(dialect, { clockAt: FIXTURE_TIME });
    const chat = telegramDriver(h);
    const owner = await staffIdOf(h, ADMIN);
    const post = (path: string, body: object, method = 'POST') =>
      h.api<{ id: number }>(path, undefined, { method, body: JSON.stringify(body) });
    expect(
      (
        await createSop(h, {
          name: '展会跟进',
          trigger: { kind: 'tag', value: '展会' },
          steps: [
            { after: {}, action: 'message', text: '感谢来展位参观' },
            { after: { days: 1 }, action: 'remind', text: '电话回访' },
          ],
        })
      ).status,
    ).toBe(201);
    const quiet = (await post('/customers', { name: '孙八', owner })).body.id;
    expect((await post(`/customers/${quiet}/do-not-contact`, { doNotContact: true }, 'PUT')).status).toBe(
      200,
    );
    expect((await post(`/customers/${quiet}/tags`, { name: '展会' })).status).toBe(200);
    // Created through the API: no chat to send in, so the owner is asked to send it.
    const offline = (await post('/customers', { name: '赵六', owner, tags: ['展会'] })).body.id;
    const unowned = (await post('/customers', { name: '钱七', tags: ['展会'] })).body.id;

    const reminders = () => chat.sentTo(ADMIN).filter((t) => t.startsWith('⏰ 提醒'));
    expect(await waitFor(() => reminders()[0])).toBe(
      `⏰ 提醒：SOP「展会跟进」第1步，请发给客户：感谢来展位参观（没有可自动发送的渠道） — #${offline} 赵六`,
    );
    // Everyone enrolled and past the first step before the day passes.
    await waitFor(async () => {
      const rows = await enrollments(h);
      return rows.length === 3 && rows.every((e) => e.status !== 'active' || e.next_step === 1);
    });
    h.clock.advance(DAY + HOUR);
    await waitFor(() => reminders().length === 2);
    expect(reminders()[1]).toBe(`⏰ 提醒：SOP「展会跟进」第2步：电话回访 — #${offline} 赵六`);
    await waitFor(async () => (await enrollments(h)).every((e) => e.status !== 'active'));
    await settle();
    expect(reminders()).toHaveLength(2);
    const byCustomer = new Map((await enrollments(h)).map((e) => [e.customer_id, e]));
    expect(byCustomer.get(quiet)).toMatchObject({ status: 'stopped', stop_reason: 'do_not_contact' });
    expect(byCustomer.get(offline)).toMatchObject({ status: 'done', next_step: 2 });
    expect(byCustomer.get(unowned)).toMatchObject({ status: 'done', next_step: 2 });
    const skipped = await h.db
      .selectFrom('customer_events')
      .select('detail')
      .where('customer_id', '=', unowned)
      .where('kind', '=', 'sop_step')
      .execute();
    expect(skipped.map((e) => JSON.parse(e.detail ?? '{}'))).toEqual([
      expect.objectContaining({ step: 1, kind: 'skipped', reason: 'no_owner' }),
      expect.objectContaining({ step: 2, kind: 'skipped', reason: 'no_owner' }),
    ]);
    expect(await h.db.selectFrom('customer_outreach').selectAll().execute()).toEqual([]);
  });

  it('a source starts it for customers who arrive after it was created', async () => {
    h = await startHarness(dialect, { clockAt: FIXTURE_TIME });
    const before = '7610000004';
    const after = '7610000005';
    const early = await telegramCustomer(h, before, '早到');
    await insertSource(h, early, 'expo-2026', h.clock.now());
    h.clock.advance(60_000);
    expect(
      (
        await createSop(h, {
          name: '展会欢迎',
          trigger: { kind: 'source', value: 'expo-2026' },
          steps: [{ after: {}, action: 'message', text: '欢迎来自展会的朋友' }],
        })
      ).status,
    ).toBe(201);
    h.clock.advance(60_000);
    const late = await telegramCustomer(h, after, '晚到');
    await insertSource(h, late, 'expo-2026', h.clock.now());
    await waitFor(() => toCustomer(h, after).includes('欢迎来自展会的朋友'));
    await waitFor(async () => (await enrollments(h))[0]?.status === 'done');
    await settle();
    expect(toCustomer(h, before)).toEqual([]);
    expect((await enrollments(h)).map((e) => e.customer_id)).toEqual([late]);
  });

  it('validates SOPs, refuses duplicates, lists enrollment counts and pauses', async () => {
    h = await startHarness(dialect, { clockAt: FIXTURE_TIME });
    const good = {
      name: '回访',
      trigger: { kind: 'source', value: 'expo-2026' },
      steps: [{ after: { days: 1 }, action: 'remind', text: '回访展会客户' }],
    };
    const bad = async (body: object, field: string) => {
      const r = await createSop(h, body);
      expect(r.status).toBe(400);
      expect((r.body as unknown as { field: string }).field).toBe(field);
    };
    await bad({ ...good, trigger: { kind: 'weather', value: 'x' } }, 'trigger.kind');
    await bad({ ...good, trigger: { kind: 'stage', value: 'nope' } }, 'trigger.value');
    await bad({ ...good, steps: [] }, 'steps');
    await bad({ ...good, steps: [{ after: {}, action: 'call', text: 'x' }] }, 'steps.0.action');
    await bad(
      {
        ...good,
        steps: [
          { after: { days: 2 }, action: 'remind', text: 'a' },
          { after: { days: 1 }, action: 'remind', text: 'b' },
        ],
      },
      'steps.1.after',
    );
    const created = await createSop(h, good);
    expect(created.status).toBe(201);
    expect((await createSop(h, good)).status).toBe(409);
    const list = await h.api<{
      items: Array<{ name: string; active: boolean; enrollments: { total: number } }>;
    }>('/sops');
    expect(list.body.items).toEqual([
      expect.objectContaining({
        name: '回访',
        active: true,
        enrollments: expect.objectContaining({ total: 0 }),
      }),
    ]);
    const paused = await h.api<{ active: boolean }>(`/sops/${created.body.id}`, undefined, {
      method: 'PATCH',
      body: JSON.stringify({ active: false }),
    });
    expect(paused.body.active).toBe(false);
    expect((await h.api('/sops/9999')).status).toBe(404);
    const audited = await h.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'sop.%')
      .execute();
    expect(audited.map((a) => a.action).sort()).toEqual(['sop.created', 'sop.paused']);
  });
});
