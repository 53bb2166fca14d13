import { afterEach, describe, expect, it } from 'vitest';
import { telegramCustomer, telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';

const ADMIN = '5123456789';
const MINUTE = 60_000;

describe.each(serverDialectsUnderTest())('reminders on $name', (dialect) => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it('fires at the right time on a fake clock, once, and survives a restart', async () => {
    // FIXTURE_TIME: Monday 2026-03-02 10:15 in Asia/Shanghai.
    h = await startHarness(dialect, { clockAt: FIXTURE_TIME });
    const chat = telegramDriver(h);
    const id = await telegramCustomer(h, '7300000001', '王芳');
    expect(await chat.ask(ADMIN, '/remind 王芳 今天下午3点 回电话')).toContain('03-02 15:00');
    expect(await chat.ask(ADMIN, '/提醒 in 2h check the quote')).toContain('03-02 12:15');
    const reminders = () => chat.sentTo(ADMIN).filter((t) => t.startsWith('⏰'));
    const settle = () => new Promise((r) => setTimeout(r, 300));

    h.clock.advance(2 * 60 * MINUTE - MINUTE);
    await settle();
    expect(reminders()).toEqual([]);
    await h.restart();
    h.clock.advance(2 * MINUTE);
    await waitFor(() => reminders().length === 1);
    expect(reminders()[0]).toContain('check the quote');

    h.clock.advance(3 * 60 * MINUTE);
    await waitFor(() => reminders().length === 2);
    expect(reminders()[1]).toBe(`⏰ 提醒：回电话 — #${id} 王芳`);
    await settle();
    expect(reminders()).toHaveLength(2);
    const rows = await h.db
      .selectFrom('reminders')
      .select(['status', 'delivered_at'])
      .orderBy('id')
      .execute();
    expect(rows.every((r) => r.status === 'sent' && r.delivered_at !== null)).toBe(true);
  });

  it('refuses a time in the past and says how to write one', async () => {
    h = await startHarness(dialect, { clockAt: FIXTURE_TIME });
    const chat = telegramDriver(h);
    expect(await chat.ask(ADMIN, '/remind 2026-03-01 10:00 太晚了')).toContain('已经过去');
    expect(await chat.ask(ADMIN, '/remind 随便 什么')).toContain('看不懂提醒时间');
    expect(await h.db.selectFrom('reminders').selectAll().execute()).toEqual([]);
  });

  it('reads dates and office hours as reps type them, and refuses an unreadable date with examples', async () => {
    // FIXTURE_TIME: Monday 2026-03-02 10:15 in Asia/Shanghai.
    h = await startHarness(dialect, { clockAt: FIXTURE_TIME });
    const chat = telegramDriver(h);
    const id = await telegramCustomer(h, '7300000002', '李雷');
    expect(await chat.ask(ADMIN, '/remind 12/20 call back')).toBe('好的，12-20 09:00 提醒你：call back');
    expect(await chat.ask(ADMIN, '/remind 明天2:30 回电')).toBe('好的，03-03 14:30 提醒你：回电');
    expect(await chat.ask(ADMIN, '/remind 李雷 tonight at 9 call back')).toBe(
      `好的，03-02 21:00 提醒你：call back（#${id} 李雷）`,
    );
    const unreadable = [
      '/remind 13/45 call',
      '/remind 13/45 14:00 call',
      '/remind 12月32号 下午3点 对账',
      '/remind 李雷 13/45 call',
    ];
    for (const text of unreadable) {
      const reply = await chat.ask(ADMIN, text);
      expect(reply, text).toContain('看不懂提醒时间。例如：/remind 王芳 明天下午3点 回电');
      expect(reply, text).not.toContain('没有找到');
    }
    const rows = await h.db
      .selectFrom('reminders')
      .select(['due_at', 'text', 'customer_id'])
      .orderBy('id')
      .execute();
    expect(rows.map((r) => [Number(r.due_at), r.text, r.customer_id])).toEqual([
      [Date.parse('2026-12-20T09:00+08:00'), 'call back', null],
      [Date.parse('2026-03-03T14:30+08:00'), '回电', null],
      [Date.parse('2026-03-02T21:00+08:00'), 'call back', id],
    ]);
  });
});
