import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor, staffActor } from '../../src/core/kernel/permissions/actor.ts';
import { viewerOf } from '../../src/core/kernel/permissions/scope.ts';
import { dashboardFacts } from '../../src/core/reading/digests/dashboard.ts';
import {
  postTelegramPrivate,
  telegramCustomer,
  telegramDriver,
  telegramSentTo,
} from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';
import { ADMIN, GZ_MANAGER, GZ_REP, SZ_REP } from './console-people.ts';
import {
  CHROMIUM,
  launchChromium,
  screenshot,
  signInInBrowser,
  startServedHarness,
  watchAssetBytes,
  watchProblems,
} from './panel-browser.ts';
import { signInByLink, WEB_ENV, type WebClient } from './web-client.ts';

// The console's dashboard: the digest's facts for the signed-in staff member's scope, as JSON (both dialects) and as
// charts in Chromium (sqlite).

const HOUR = 3_600_000;
/** The console's first load, like the panel's (test/web/panel.test.ts). */
const BUDGET_BYTES = 150 * 1024;

interface Dashboard {
  days: number;
  scope: string;
  funnel: Array<{ stage: string; name: string; count: number; change: number; openDealsMinor: number }>;
  newCustomers: { total: number; bySource: Array<{ source: string; count: number }> };
  messages: { inbound: number; outbound: number };
  waiting: {
    count: number;
    overSla: number;
    longestMs: number;
    top: Array<{ id: number; name: string; waitingMs: number }>;
  };
  reps: Array<{ name: string; replies: number; notes: number; medianFirstResponseMs: number | null }>;
  trend: Array<{ day: string; inbound: number; outbound: number; newCustomers: number }>;
}

/** Two teams: 广州组 (李雷 asks a price, 韩梅梅 answered an hour later) and 深圳组 (王小明, 赵六), one deal. */
async function twoTeams(h: Harness) {
  const chat = telegramDriver(h);
  for (const line of [
    '/team add 广州组',
    '/team add 深圳组',
    `/staff add telegram:${GZ_MANAGER} manager 广州组`,
    `/staff add telegram:${GZ_REP} rep 广州组`,
    `/staff add telegram:${SZ_REP} rep 深圳组`,
  ])
    await chat.ask(ADMIN, line);
  const liLei = await telegramCustomer(h, '7200000101', '李雷', '你好，我想了解一下报价');
  const hanMei = await telegramCustomer(h, '7200000102', '韩梅梅', '请发一下方案');
  const xiaoMing = await telegramCustomer(h, '7200000103', '王小明', '你好');
  const zhaoLiu = await telegramCustomer(h, '7200000104', '赵六', '在吗');
  for (const [id, rep] of [
    [liLei, GZ_REP],
    [hanMei, GZ_REP],
    [xiaoMing, SZ_REP],
    [zhaoLiu, SZ_REP],
  ] as const)
    await chat.ask(ADMIN, `/assign #${id} telegram:${rep}`);
  await chat.ask(ADMIN, `/stage #${liLei} interested`);
  expect(await chat.ask(ADMIN, `/deal #${liLei} 5万 proposal 年度套餐`)).toContain('商机');
  h.clock.advance(HOUR);
  await chat.ask(GZ_REP, `/reply #${hanMei} 方案已发，请查收`);
  await chat.ask(GZ_REP, `/note #${hanMei} 对方案感兴趣`);
  return { liLei, hanMei, xiaoMing, zhaoLiu };
}

describe.each(serverDialectsUnderTest())('the console dashboard JSON on $name', (dialect) => {
  let h: Harness;
  let ids: Awaited<ReturnType<typeof twoTeams>>;

  beforeAll(async () => {
    h = await startHarness(dialect, { clockAt: FIXTURE_TIME, env: WEB_ENV });
    ids = await twoTeams(h);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  const dashboard = async (web: WebClient, query = '') => {
    const res = await web.request(`/app/api/console/dashboard${query}`);
    expect(res.status).toBe(200);
    return (await res.json()) as Dashboard;
  };
  /** What `/report week` (or `month`) says, turned back into the numbers the dashboard gives. */
  const reportOf = async (telegramId: string, kind: 'week' | 'month') => {
    const sent = () => telegramSentTo(h, telegramId).filter((t) => t.startsWith('📊'));
    const before = sent().length;
    await postTelegramPrivate(h, telegramId, '员工', `/report ${kind}`);
    // A report reads the whole scope (and may draw a chart first): give it longer than a command's answer.
    const text = await waitFor(() => sent()[before], 20_000);
    const n = (re: RegExp) => Number(re.exec(text)?.[1] ?? Number.NaN);
    return {
      text,
      newCustomers: n(/新客户: (\d+)/),
      inbound: n(/收到 (\d+)/),
      outbound: n(/回复 (\d+)/),
      waiting: n(/待回复客户: (\d+)/),
      overSla: n(/超时 (\d+)/),
    };
  };

  it("gives a manager their team's figures only, the same the chat's report gives them", async () => {
    const manager = await signInByLink(h, GZ_MANAGER);
    const d = await dashboard(manager);
    expect(d.days).toBe(7);
    expect(d.scope).toBe('team');
    expect(d.newCustomers).toEqual({ total: 2, bySource: [{ source: 'telegram', count: 2 }] });
    expect(d.funnel.find((s) => s.stage === 'lead')).toMatchObject({ name: '潜在', count: 1, change: -1 });
    expect(d.funnel.find((s) => s.stage === 'interested')).toMatchObject({
      name: '意向',
      count: 1,
      change: 1,
      openDealsMinor: 5_000_000,
    });
    // 李雷 waits an hour (past the 30-minute SLA); 韩梅梅 was answered.
    expect(d.waiting).toMatchObject({ count: 1, overSla: 1 });
    expect(d.waiting.top.map((w) => [w.id, w.name])).toEqual([[ids.liLei, '李雷']]);
    // The clock runs on from the fixture's moment: an hour and the seconds the test took.
    expect(d.waiting.longestMs).toBeGreaterThanOrEqual(HOUR);
    expect(d.waiting.longestMs).toBeLessThan(HOUR + 60_000);
    expect(d.messages.inbound).toBe(2);
    const rep = d.reps.find((r) => r.replies > 0);
    expect(rep).toMatchObject({ replies: 1, notes: 1 });
    expect(rep?.medianFirstResponseMs).toBeGreaterThanOrEqual(HOUR);
    expect(rep?.medianFirstResponseMs).toBeLessThan(HOUR + 60_000);
    expect(d.reps).toHaveLength(1);
    expect(JSON.stringify(d)).not.toContain('王小明');
    expect(d.trend).toHaveLength(7);
    expect(d.trend.reduce((n, day) => n + day.newCustomers, 0)).toBe(2);

    const report = await reportOf(GZ_MANAGER, 'week');
    expect(report).toMatchObject({
      newCustomers: d.newCustomers.total,
      inbound: d.messages.inbound,
      outbound: d.messages.outbound,
      waiting: d.waiting.count,
      overSla: d.waiting.overSla,
    });
    expect(report.text).toContain('意向 1 (+1) · 商机 50,000');
    expect(report.text).toContain(`${rep?.name}：回复 1，跟进 1，首次响应中位 1小时`);

    const month = await dashboard(manager, '?days=30');
    expect(month.days).toBe(30);
    expect((await reportOf(GZ_MANAGER, 'month')).newCustomers).toBe(month.newCustomers.total);
  });

  it("gives an admin the organisation's figures, and refuses a rep and a bad period", async () => {
    const admin = await signInByLink(h, ADMIN);
    const d = await dashboard(admin, '?days=7');
    expect(d.scope).toBe('org');
    expect(d.newCustomers).toEqual({ total: 4, bySource: [{ source: 'telegram', count: 4 }] });
    expect(d.funnel.find((s) => s.stage === 'lead')?.count).toBe(3);
    expect(d.waiting.count).toBe(3);
    expect(d.waiting.top.map((w) => w.id).sort()).toEqual([ids.liLei, ids.xiaoMing, ids.zhaoLiu].sort());
    expect(d.messages.inbound).toBe(4);
    const report = await reportOf(ADMIN, 'week');
    expect(report).toMatchObject({
      newCustomers: 4,
      inbound: d.messages.inbound,
      outbound: d.messages.outbound,
      waiting: 3,
      overSla: d.waiting.overSla,
    });

    for (const bad of ['0', '91', 'week', '-7', '7.5']) {
      const res = await admin.request(`/app/api/console/dashboard?days=${bad}`);
      expect(res.status, bad).toBe(400);
      expect(await res.json()).toMatchObject({ field: 'days' });
    }
    const rep = await signInByLink(h, GZ_REP);
    const refused = await rep.request('/app/api/console/dashboard');
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: '管理台只对经理及以上开放。' });
    // The core refuses a rep too, whatever front end asks; the operator reads the organisation.
    const repStaff = await h.db
      .selectFrom('staff')
      .select(['id', 'role', 'team_id'])
      .where('role', '=', 'rep')
      .executeTakeFirstOrThrow();
    const core = h.server.liaison.core;
    expect(await dashboardFacts(core, staffActor(viewerOf(repStaff), 'web'), { days: 7 })).toEqual({
      kind: 'refused',
    });
    const operator = await dashboardFacts(core, cliActor, { days: 7 });
    expect(operator.kind === 'facts' && operator.facts.newCustomers.total).toBe(4);
  });
});

const hasChromium = existsSync(CHROMIUM);
const sqlite = serverDialectsUnderTest().filter((d) => d.name === 'sqlite');

describe.skipIf(!hasChromium).each(sqlite)('the console dashboard in Chromium on $name', (dialect) => {
  let h: Harness;
  let browser: Browser;
  let base: string;
  let ids: Awaited<ReturnType<typeof twoTeams>>;
  let sly: number;
  const SLY_NAME = '<img src=x onerror=alert(1)>小王';

  beforeAll(async () => {
    ({ h, base } = await startServedHarness(dialect));
    ids = await twoTeams(h);
    // A customer's name is theirs to choose: markup in it must stay text on the page.
    sly = await telegramCustomer(h, '7200000105', SLY_NAME, '你好');
    await telegramDriver(h).ask(ADMIN, `/assign #${sly} telegram:${GZ_REP}`);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('shows a manager the funnel, sources, SLA and trend of their team, with the numbers in the text', async () => {
    const page = await signInInBrowser(browser, h, base, GZ_MANAGER);
    const problems = watchProblems(page);
    const assets = watchAssetBytes(page);
    await page.goto(`${base}/app/console/dashboard`);
    const funnel = page.locator('#chart-funnel');
    await expect.poll(() => funnel.locator('table tbody tr').count()).toBeGreaterThan(2);
    const row = (stage: string) => funnel.locator('tbody tr', { hasText: stage }).locator('td');
    expect(await row('潜在').allTextContents()).toEqual(['潜在', '2', '-1', '0']);
    expect(await row('意向').allTextContents()).toEqual(['意向', '1', '+1', '50,000']);
    expect(await funnel.locator('svg').getAttribute('aria-label')).toContain('意向 1 (+1) · 50,000');
    const sources = page.locator('#chart-sources');
    expect(await sources.locator('svg').getAttribute('aria-label')).toBe('新客户来源: telegram 3');
    expect(await sources.locator('tbody td').allTextContents()).toEqual(['telegram', '3']);
    expect(await page.locator('#tile-new dd').textContent()).toBe('3');
    expect(await page.locator('#tile-over-sla dd').textContent()).toBe('1');
    expect(await page.locator('#dashboard-scope').textContent()).toContain('本团队');

    const waiting = page.locator('#chart-sla table.waiting a');
    expect(await waiting.count()).toBe(2);
    expect(await waiting.first().getAttribute('href')).toBe(`/app?customer=${ids.liLei}`);
    expect(await waiting.nth(1).textContent()).toBe(SLY_NAME);
    expect(await waiting.nth(1).getAttribute('href')).toBe(`/app?customer=${sly}`);
    expect(await page.locator('#chart-sla img, .dashboard img').count()).toBe(0);
    expect(await page.locator('#chart-trend tbody tr').count()).toBe(7);
    expect(await page.locator('#chart-reps tbody td').first().textContent()).toMatch(/^员工/);
    expect(await page.content()).not.toContain('王小明');
    await screenshot(page, 'console-dashboard');

    await page.locator('#dashboard-period').selectOption('30');
    await page.waitForURL(`${base}/app/console/dashboard?days=30`);
    await expect.poll(() => page.locator('#dashboard-scope').textContent()).toMatch(/–/);
    expect(await page.locator('#tile-new dd').textContent()).toBe('3');
    // On a phone's width the charts redraw to fit: nothing in the dashboard is wider than the screen.
    await page.setViewportSize({ width: 390, height: 800 });
    await expect
      .poll(() => page.locator('#chart-funnel svg').evaluate((e) => e.getBoundingClientRect().right))
      .toBeLessThanOrEqual(390);
    expect(await page.locator('.dashboard').evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
    await screenshot(page, 'console-dashboard-narrow');
    const { files, gzipped } = await assets();
    console.log(`console first load: ${files.join(', ')}: ${(gzipped / 1024).toFixed(1)} KB gzipped JS+CSS`);
    expect(gzipped).toBeLessThanOrEqual(BUDGET_BYTES);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 90_000);
});
