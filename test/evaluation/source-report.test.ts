import { afterEach, describe, expect, it } from 'vitest';
import { sourceReport } from '../../src/core/reading/evaluation/source-report.ts';
import { askInTelegramGroup, telegramCustomer, telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';
import { insertCampaign, insertChannel, insertSource, moveStage, say, wonDeal } from './setup.ts';

const ADMIN = '5123456789';
const TG_GROUP = -1001950000077;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe.each(serverDialectsUnderTest())('source report and the weekly section on $name', (dialect) => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it('counts each new customer once, for their first source, with replies, stage moves and won deals', async () => {
    h = await startHarness(dialect, { clockAt: FIXTURE_TIME });
    const users = Array.from({ length: 7 }, (_, i) => String(7630000001 + i));
    const ids: number[] = [];
    for (const [i, u] of users.entries()) ids.push(await telegramCustomer(h, u, `来客${i + 1}`));
    const c = (n: number) => ids[n - 1] as number;
    const u = (n: number) => users[n - 1] as string;
    const start = h.clock.now();
    const from = start;
    const to = start + 7 * DAY;
    const poster = await insertChannel(h, 'poster-2026', '春节海报', start - 30 * DAY);
    await insertChannel(h, 'expo-2026', '展会', start - 30 * DAY);
    for (const n of [1, 2, 3, 4]) await insertSource(h, c(n), 'poster-2026', start + HOUR);
    await insertSource(h, c(5), 'expo-2026', start + HOUR);
    await insertSource(h, c(6), 'poster-2026', start - 10 * DAY); // first came before the period…
    await insertSource(h, c(6), 'expo-2026', start + 2 * HOUR); // …so this later source is not a first one
    await insertSource(h, c(7), 'poster-2026', start + 8 * DAY); // after the period

    h.clock.advance(DAY); // day 1: 5 writes
    await say(h, u(5), '来客5', '展会上聊过 5');
    h.clock.advance(DAY); // day 2: 1 writes, 3 moves stage
    await say(h, u(1), '来客1', '海报看到的 1');
    await moveStage(h, c(3), 'interested');
    h.clock.advance(DAY); // day 3: 4 writes
    await say(h, u(4), '来客4', '海报看到的 4');
    await wonDeal(h, c(4), 1_200, start + 4 * DAY);
    h.clock.advance(17 * DAY); // day 20: 2 writes, more than 14 days after arriving
    await say(h, u(2), '来客2', '还记得我吗 2');

    // By hand, for [day 0, day 7): poster 1–4 (6 came first elsewhere, 7 after the period): replied 1 and 4 (2 too
    // late), stage moved 3, won 1 deal ¥1,200 (4); expo: 5 only (6's expo source is not its first), replied.
    const report = await sourceReport(h.server.liaison.core, { from, to });
    expect(report.sources).toEqual([
      {
        code: 'poster-2026',
        channelCodeId: poster,
        name: '春节海报',
        kind: 'event',
        newCustomers: 4,
        replied: 2,
        stageMoved: 1,
        dealsWon: 1,
        wonAmountMinor: 120_000,
        wonCustomers: 1,
      },
      expect.objectContaining({ code: 'expo-2026', newCustomers: 1, replied: 1, stageMoved: 0, dealsWon: 0 }),
    ]);

    const iso = (ms: number) => new Date(ms).toISOString();
    const api = await h.api(`/channels/${poster}/report?from=${iso(from)}&to=${iso(to)}`);
    expect(api).toEqual({
      status: 200,
      body: {
        id: poster,
        code: 'poster-2026',
        name: '春节海报',
        kind: 'event',
        newCustomers: 4,
        replied: 2,
        stageMoved: 1,
        dealsWon: 1,
        wonAmount: 1200,
        wonCustomers: 1,
        from: iso(from),
        to: iso(to),
      },
    });
    expect((await h.api(`/channels/${poster + 1000}/report`)).status).toBe(404);
    expect((await h.api(`/channels/${poster}/report?from=${iso(to)}&to=${iso(from)}`)).status).toBe(400);
  });

  it('adds the campaigns and top sources to the weekly report, and nothing when there is nothing', async () => {
    // FIXTURE_TIME: Monday 2026-03-02 10:15 in Asia/Shanghai; the weekly report goes out next Monday.
    h = await startHarness(dialect, { clockAt: FIXTURE_TIME });
    const chat = telegramDriver(h);
    const users = ['7640000001', '7640000002', '7640000003'];
    const ids: number[] = [];
    for (const [i, u] of users.entries()) ids.push(await telegramCustomer(h, u, `周客${i + 1}`));
    const quiet = await chat.ask(ADMIN, '/report week');
    expect(quiet).toContain('📊');
    expect(quiet).not.toContain('营销效果');
    await askInTelegramGroup(h, ADMIN, TG_GROUP, '/digest weekly on');

    const start = h.clock.now();
    await insertChannel(h, 'poster-2026', '春节海报', start - DAY);
    await insertSource(h, ids[0] as number, 'poster-2026', start + HOUR);
    await insertSource(h, ids[1] as number, 'poster-2026', start + HOUR);
    await insertCampaign(h, { name: '春季回访', startedAt: start + DAY, windowDays: 14, holdoutPct: 30 }, [
      { customerId: ids[0] as number, status: 'sent', route: 'chat', sentAt: start + DAY },
      { customerId: ids[1] as number, status: 'sent', route: 'chat', sentAt: start + DAY },
      { customerId: ids[2] as number, status: 'holdout' },
    ]);
    h.clock.advance(2 * DAY);
    await say(h, users[0] as string, '周客1', '收到活动了');

    h.clock.advance(5 * DAY); // the next Monday, 10:15
    const weekly = await waitFor(
      () =>
        h.telegram
          .callsTo('sendMessage')
          .find((c) => Number(c.body.chat_id) === TG_GROUP && String(c.body.text).startsWith('📊 客户周报')),
      10_000,
    );
    const text = String(weekly.body.text);
    expect(text).toContain(
      [
        '营销效果',
        '  「春季回访」触达 2 · 回复 1（50%）· 成交 0｜对照 1 · 回复 0（0%）· 成交 0',
        '  新客户来源 Top',
        '    春节海报 (poster-2026)：新客户 2 · 回复 1 · 成交 0',
      ].join('\n'),
    );
  });
});
