import { afterEach, describe, expect, it } from 'vitest';
import { telegramCustomer, telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness } from '../helpers/harness.ts';

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
    await expectEventually(() => reminders().length === 1);
    expect(reminders()[0]).toContain('check the quote');

    h.clock.advance(3 * 60 * MINUTE);
    await expectEventually(() => reminders().length === 2);
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
});

async function expectEventually(probe: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
