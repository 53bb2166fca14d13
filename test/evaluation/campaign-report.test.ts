import { afterEach, describe, expect, it } from 'vitest';
import { campaignReport, campaignReportText } from '../../src/core/reading/evaluation/campaign-report.ts';
import { telegramCustomer, telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness } from '../helpers/harness.ts';
import { insertCampaign, insertChannel, moveStage, say, wonDeal } from './setup.ts';

const ADMIN = '5123456789';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe.each(serverDialectsUnderTest())('campaign effect report on $name', (dialect) => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it('matches a hand-computed scenario on a fake clock, in the core, the chat text and the API', async () => {
    h = await startHarness(dialect, { clockAt: FIXTURE_TIME });
    // Ten customers of the segment; each wrote once before the campaign (which does not count as a reply).
    const users = Array.from({ length: 10 }, (_, i) => String(7620000001 + i));
    const ids: number[] = [];
    for (const [i, u] of users.entries()) ids.push(await telegramCustomer(h, u, `客户${i + 1}`));
    const c = (n: number) => ids[n - 1] as number;
    const u = (n: number) => users[n - 1] as string;
    await h.db.updateTable('customers').set({ do_not_contact: 1 }).where('id', '=', c(10)).execute();

    // Sent an hour from now, 14-day window: until start + 14 d 1 h.
    const start = h.clock.now();
    const sentAt = start + HOUR;
    const id = await insertCampaign(
      h,
      { name: '春季回访', startedAt: sentAt, windowDays: 14, holdoutPct: 20 },
      [
        // 7 reached: 4 WeCom tasks delivered, 1 WeCom task sent but not confirmed delivered, 1 chat send the platform
        // accepted (delivered), 1 still queued (measured from its queueing).
        ...[1, 2, 3, 4].map((n) => ({
          customerId: c(n),
          status: 'delivered' as const,
          route: 'wecom_template' as const,
          sentAt,
        })),
        { customerId: c(5), status: 'sent', route: 'wecom_template', sentAt },
        { customerId: c(6), status: 'sent', route: 'chat', sentAt },
        { customerId: c(7), status: 'queued', route: 'chat', sentAt: null, queuedAt: sentAt },
        // The comparison group: 2 held out, 1 skipped for do-not-contact.
        { customerId: c(8), status: 'holdout' },
        { customerId: c(9), status: 'holdout' },
        { customerId: c(10), status: 'skipped', reason: 'do_not_contact' },
      ],
    );

    h.clock.advance(2 * DAY); // day 2: customers 1 and 2 answer, 2 moves stage; held-out 8 writes too
    await say(h, u(1), '客户1', '收到，谢谢 1');
    await say(h, u(2), '客户2', '收到，谢谢 2');
    await moveStage(h, c(2), 'interested');
    await say(h, u(8), '客户8', '在吗 8');
    await wonDeal(h, c(1), 5_000, start + 5 * DAY); // won on day 5, inside the window
    await wonDeal(h, c(5), 8_000, start + 16 * DAY); // won on day 16, after it
    h.clock.advance(8 * DAY); // day 10: customer 3 answers
    await say(h, u(3), '客户3', '收到，谢谢 3');
    h.clock.advance(6 * DAY); // day 16: past the window — do-not-contact 10 writes, too late to count
    await say(h, u(10), '客户10', '你好 10');
    h.clock.advance(4 * DAY); // day 20: customer 4 answers after the window; held-out 9 moves stage, too late
    await say(h, u(4), '客户4', '收到，谢谢 4');
    await moveStage(h, c(9), 'interested');

    const report = await campaignReport(h.server.liaison.core, id, h.clock.now());
    // By hand: reached 7 (delivered 4 + 1 chat = 5), replied 1, 2, 3 = 3 (4 replied after the window), 1 stage move
    // (2), 1 deal won ¥5,000 (1). Comparison: 8, 9, 10 = 3, replied 1 (8), nothing else within its window.
    expect(report).toMatchObject({
      segmentSize: 10,
      holdout: 2,
      skipped: { total: 1, byReason: { do_not_contact: 1 } },
      pending: 0,
      failed: 0,
      cancelled: 0,
      daysMeasured: 14,
      reached: {
        customers: 7,
        delivered: 5,
        replied: 3,
        stageMoved: 1,
        dealsWon: 1,
        wonAmountMinor: 500_000,
        wonCustomers: 1,
      },
      comparison: {
        customers: 3,
        replied: 1,
        stageMoved: 0,
        dealsWon: 0,
        wonAmountMinor: 0,
        wonCustomers: 0,
      },
    });
    expect(report.reached.replyRate).toBeCloseTo(3 / 7, 10);
    expect(report.reached.wonRate).toBeCloseTo(1 / 7, 10);
    expect(report.comparison.replyRate).toBeCloseTo(1 / 3, 10);
    expect(report.comparison.wonRate).toBe(0);
    expect(report.difference.replyRate).toBeCloseTo(3 / 7 - 1 / 3, 10);
    expect(report.difference.wonRate).toBeCloseTo(1 / 7, 10);

    expect(campaignReportText(report, 'zh')).toBe(
      [
        '📣 活动「春季回访」· 已发完 · 观察期 14 天，已过 14 天',
        '名单 10：触达 7（送达 5）、对照留存 2、跳过 1（免打扰 1）',
        '触达组 7：回复 3（43%）· 阶段推进 1 · 成交 1 单 ¥5,000（14%）',
        '对照组 3：回复 1（33%）· 阶段推进 0 · 成交 0 单（0%）',
        '差异：回复率 +10 个百分点，成交率 +14 个百分点',
      ].join('\n'),
    );
    expect(campaignReportText(report, 'en')).toBe(
      [
        '📣 Campaign "春季回访" · sent · 14-day window, day 14',
        'Segment 10: reached 7 (delivered 5), holdout 2, skipped 1 (do not contact 1)',
        'Reached 7: replied 3 (43%) · stage moves 1 · won 1 ¥5,000 (14%)',
        'Comparison 3: replied 1 (33%) · stage moves 0 · won 0 (0%)',
        'Difference: reply rate +10 pts, won rate +14 pts',
      ].join('\n'),
    );

    const api = await h.api<Record<string, unknown>>(`/campaigns/${id}/report`);
    expect(api.status).toBe(200);
    expect(api.body).toMatchObject({
      campaign: {
        id,
        name: '春季回访',
        status: 'done',
        windowDays: 14,
        startedAt: new Date(sentAt).toISOString(),
      },
      segmentSize: 10,
      holdout: 2,
      skipped: { total: 1, byReason: { do_not_contact: 1 } },
      reached: {
        customers: 7,
        delivered: 5,
        replied: 3,
        stageMoved: 1,
        dealsWon: 1,
        wonAmount: 5000,
        wonCustomers: 1,
      },
      comparison: { customers: 3, replied: 1, stageMoved: 0, dealsWon: 0, wonAmount: 0 },
    });
    expect((api.body.difference as { replyRate: number }).replyRate).toBeCloseTo(2 / 21, 10);
    expect((await h.api(`/campaigns/${id + 1000}/report`)).status).toBe(404);
  });

  it('is for managers and above: a rep token is refused the reports and the SOPs', async () => {
    const rep = '5600000777';
    h = await startHarness(dialect, { clockAt: FIXTURE_TIME, env: { API_TOKEN_STAFF: `telegram:${rep}` } });
    await telegramDriver(h).ask(ADMIN, `/staff add telegram:${rep} rep`);
    const id = await insertCampaign(
      h,
      { name: '春季回访', startedAt: h.clock.now(), windowDays: 14, holdoutPct: 0 },
      [],
    );
    const channel = await insertChannel(h, 'poster-2026', '春节海报', h.clock.now());
    for (const path of [`/campaigns/${id}/report`, `/channels/${channel}/report`, '/sops']) {
      expect((await h.api(path)).status, path).toBe(403);
    }
    const post = await h.api('/sops', undefined, { method: 'POST', body: JSON.stringify({ name: 'x' }) });
    expect(post.status).toBe(403);
  });
  it('shows a manager token only the customers in its team’s scope', async () => {
    const [manager, rep, otherRep] = ['5600000701', '5600000702', '5600000703'];
    h = await startHarness(dialect, {
      clockAt: FIXTURE_TIME,
      env: { API_TOKEN_STAFF: `telegram:${manager}` },
    });
    const chat = telegramDriver(h);
    await chat.ask(ADMIN, '/team add 华南组');
    await chat.ask(ADMIN, `/staff add telegram:${manager} manager 华南组`);
    await chat.ask(ADMIN, `/staff add telegram:${rep} rep 华南组`);
    await chat.ask(ADMIN, `/staff add telegram:${otherRep} rep`);
    const users = ['7625000001', '7625000002', '7625000003', '7625000004'];
    const ids: number[] = [];
    for (const [i, u] of users.entries()) ids.push(await telegramCustomer(h, u, `范围${i + 1}`));
    const [team1, team2, outside, pool] = ids as [number, number, number, number];
    await chat.ask(ADMIN, `/assign #${team1} telegram:${rep}`);
    await chat.ask(ADMIN, `/assign #${team2} telegram:${rep}`);
    await chat.ask(ADMIN, `/assign #${outside} telegram:${otherRep}`);
    const sentAt = h.clock.now();
    const id = await insertCampaign(
      h,
      { name: '团队活动', startedAt: sentAt, windowDays: 7, holdoutPct: 25 },
      [
        { customerId: team1, status: 'sent', route: 'chat', sentAt },
        { customerId: team2, status: 'holdout' },
        { customerId: outside, status: 'sent', route: 'chat', sentAt },
        { customerId: pool, status: 'sent', route: 'chat', sentAt },
      ],
    );
    h.clock.advance(HOUR);
    await say(h, users[0] as string, '范围1', '收到 团队');
    await say(h, users[2] as string, '范围3', '收到 外部');
    // By hand: the team's two customers and the unowned pool are in scope; the other rep's customer is not.
    const api = await h.api<Record<string, unknown>>(`/campaigns/${id}/report`);
    expect(api.status).toBe(200);
    expect(api.body).toMatchObject({
      segmentSize: 3,
      holdout: 1,
      reached: { customers: 2, replied: 1 },
      comparison: { customers: 1, replied: 0 },
    });
  });
});
