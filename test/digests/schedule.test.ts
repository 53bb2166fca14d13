import { afterEach, describe, expect, it } from 'vitest';
import {
  askInTelegramGroup,
  type ChatDriver,
  postTelegramPrivate,
  telegramCustomer,
  telegramDriver,
} from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';

const ADMIN = '5123456789';
const MANAGER = '5900000001';
const REP = '5900000002';
const OTHER_REP = '5900000003';
const GROUP = -1001900000001;
const HOUR = 3_600_000;

/** Monday 2026-03-02 10:15 in Asia/Shanghai; digests go out at 09:00 local. */
describe.each(serverDialectsUnderTest())('digests on $name', (dialect) => {
  let h: Harness;
  let chat: ChatDriver;
  afterEach(async () => {
    await h?.close();
  });

  async function team() {
    h = await startHarness(dialect, { clockAt: FIXTURE_TIME });
    chat = telegramDriver(h);
    for (const line of [
      '/team add 销售一部',
      '/team add 广州组 销售一部',
      '/team add 深圳组 销售一部',
      `/staff add telegram:${MANAGER} manager 广州组`,
      `/staff add telegram:${REP} rep 广州组`,
      `/staff add telegram:${OTHER_REP} rep 深圳组`,
    ]) {
      await chat.ask(ADMIN, line);
    }
    const mine: number[] = [];
    for (const [i, name] of ['王芳', '李雷', '张伟'].entries()) {
      mine.push(await telegramCustomer(h, String(7900000001 + i), name, i === 0 ? '请问多少钱？' : '你好'));
      await chat.ask(ADMIN, `/assign #${mine[i]} telegram:${REP}`);
    }
    const theirs = await telegramCustomer(h, '7900000009', '深圳客户', '你好');
    await chat.ask(ADMIN, `/assign #${theirs} telegram:${OTHER_REP}`);
    return { mine, theirs };
  }
  const groupSends = () =>
    h.telegram
      .callsTo('sendMessage')
      .filter((c) => Number(c.body.chat_id) === GROUP)
      .map((c) => String(c.body.text));
  const digestsInGroup = () => groupSends().filter((t) => t.startsWith('📊 客户日报'));
  const settle = () => new Promise((r) => setTimeout(r, 400));

  it('reports the team’s numbers, and only the team’s', async () => {
    const { mine, theirs } = await team();
    await postTelegramPrivate(h, '7900000001', '王芳', '能发报价单吗？');
    await chat.ask(REP, `/note #${mine[1]} 电话沟通，下周再约`);
    await chat.ask(REP, `/stage #${mine[2]} 意向`);
    await chat.ask(REP, `/deal #${mine[2]} 3万 proposal`);
    const digest = await askInTelegramGroup(h, MANAGER, GROUP, '/digest now');
    // Independently: the three customers of 广州组 wrote 4 messages, nobody answered them, 王芳 asked a price.
    expect(digest).toContain('新客户: 3 (telegram 3)');
    expect(digest).toContain('消息：收到 4，回复 0');
    expect(digest).toContain('待回复客户: 3');
    expect(digest).toContain('高意向客户: 1');
    expect(digest).toContain(`#${mine[0]} 王芳`);
    expect(digest).toContain('  潜在 1 (-2)\n  意向 2 (+2) · 商机 30,000\n  成交 0');
    expect(digest).toMatch(/员工002：回复 0，跟进 1/);
    expect(digest).not.toContain('深圳客户');
    expect(digest).not.toContain(`#${theirs} `);
    // The director's view is the whole organisation.
    const all = await askInTelegramGroup(h, ADMIN, GROUP - 1, '/digest now');
    expect(all).toContain('新客户: 4 (telegram 4)');
    expect(all).toContain('深圳客户');
  });

  it('sends once a day per chat: at 09:00, across two instances and a restart, and not for the day it subscribed', async () => {
    await team();
    expect(await askInTelegramGroup(h, MANAGER, GROUP, '/日报 on')).toContain('已订阅');
    await askInTelegramGroup(h, MANAGER, GROUP, '/digest now');
    await h.startAnother();
    await settle();
    expect(digestsInGroup()).toHaveLength(1); // only /digest now: today's 09:00 had passed when the group subscribed
    h.clock.advance(22 * HOUR + 30 * 60_000); // Tuesday 08:45
    await settle();
    expect(digestsInGroup()).toHaveLength(1);
    h.clock.advance(20 * 60_000); // 09:05
    await waitFor(() => digestsInGroup().length === 2);
    await h.restart();
    h.clock.advance(HOUR);
    await settle();
    expect(digestsInGroup()).toHaveLength(2);
    const runs = await h.db.selectFrom('digest_runs').select(['period_key', 'status']).execute();
    expect(runs).toEqual([{ period_key: 'daily:2026-03-03', status: 'queued' }]);
  });

  it('sends a digest missed while the service was down once it is back, and on demand through the API', async () => {
    await team();
    await askInTelegramGroup(h, MANAGER, GROUP, '/digest on');
    await h.stop();
    h.clock.advance(26 * HOUR); // Tuesday 12:15: down at 09:00
    await h.restart();
    await waitFor(() => digestsInGroup().length === 1);
    await settle();
    expect(digestsInGroup()).toHaveLength(1);
    expect((await h.api<{ sent: number }>('/digests/run', undefined, { method: 'POST' })).body).toEqual({
      sent: 0,
    });
    // The next day, through the API alone: the background loops are paused so they cannot send it first.
    await h.server.liaison.stopLoops();
    h.clock.advance(24 * HOUR);
    expect((await h.api<{ sent: number }>('/digests/run', undefined, { method: 'POST' })).body).toEqual({
      sent: 1,
    });
    h.server.liaison.startLoops();
    await waitFor(() => digestsInGroup().length === 2);
    await settle();
    expect(digestsInGroup()).toHaveLength(2);
  });

  it('answers /report for a week in private, with the asker’s scope', async () => {
    const { mine } = await team();
    const report = await chat.ask(REP, '/报表 week');
    expect(report).toContain('客户报表（近7天）');
    expect(report).toContain('新客户: 3');
    const monthly = await chat.ask(OTHER_REP, '/report month');
    expect(monthly).toContain('新客户: 1');
    expect(monthly).not.toContain(`#${mine[0]} `);
  });
});

describe('reports API', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it('answers the funnel and activity over a period, and refuses a bad period', async () => {
    h = await startHarness(serverDialectsUnderTest()[0]!, { clockAt: FIXTURE_TIME });
    const chat = telegramDriver(h);
    const id = await telegramCustomer(h, '7990000001', '报表客户', '多少钱');
    await chat.ask(ADMIN, `/deal #${id} 2万 proposal`);
    const funnel = await h.api<{
      stages: Array<{ stage: string; customers: number; change: number; openDeals: number }>;
    }>('/reports/funnel?from=2026-03-01&to=2026-03-03');
    expect(funnel.status).toBe(200);
    expect(funnel.body.stages.find((s) => s.stage === 'interested')).toEqual({
      stage: 'interested',
      customers: 1,
      change: 1,
      openDeals: 20000,
    });
    const activity = await h.api<{ messages: { inbound: number } }>(
      '/reports/activity?from=2026-03-01T00:00:00Z',
    );
    expect(activity.body.messages.inbound).toBe(1);
    expect((await h.api('/reports/funnel?from=yesterday')).status).toBe(400);
    expect((await h.api('/reports/funnel?from=2026-03-03&to=2026-03-01')).status).toBe(400);
  });
});
