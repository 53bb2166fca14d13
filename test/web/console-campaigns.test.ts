import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSegment, settle, untilStatus } from '../campaigns/setup.ts';
import { telegramCustomer, telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness } from '../helpers/harness.ts';
import { ADMIN, DIRECTOR, GZ_MANAGER, GZ_REP, SZ_MANAGER } from './console-people.ts';
import {
  CHROMIUM,
  launchChromium,
  screenshot,
  signInInBrowser,
  startServedHarness,
  watchProblems,
} from './panel-browser.ts';
import { signInByLink, WEB_ENV, type WebClient } from './web-client.ts';

// The console's campaigns screen: its JSON routes on every database (set up waiting for approval, preview, approve,
// reject), then the page itself in Chromium on SQLite (a campaign set up and previewed from the console).

const SHOPPERS = ['7200000201', '7200000202', '7200000203', '7200000204'];
const BASE = '/app/api/console/campaigns';

type Row = {
  id: number;
  name: string;
  status: string;
  approval: { status: string; reason: string | null } | null;
  mayDecide: boolean;
  recipients: { total: number; reached: number };
};
type Preview = {
  segmentSize: number;
  skipped: Record<string, number>;
  reachable: { total: number };
  platforms: Array<{ platform: string; customers: number; maxPerTask: number | null }>;
  cap: { limit: number; days: number };
  samples: Array<{ customerId: number; name: string; phone: string | null; platform: string; text: string }>;
};

describe.each(serverDialectsUnderTest())('the console campaigns screen on $name', (dialect) => {
  let h: Harness;
  let segment: number;
  let customers: number[];
  const chat = () => telegramDriver(h);
  const sendsOf = (text: string) =>
    h.telegram.callsTo('sendMessage').filter((c) => String(c.body.text).startsWith(text));
  const json = async <T>(res: Response, status: number): Promise<T> => {
    const body = (await res.json()) as T;
    expect(res.status, JSON.stringify(body)).toBe(status);
    return body;
  };
  const list = async (web: WebClient) => (await json<{ items: Row[] }>(await web.request(BASE), 200)).items;
  const submit = (web: WebClient, name: string, text: string) =>
    web.request(BASE, {
      json: { name, segment, text, link: { title: '活动详情', url: 'https://shop.example.test/a' } },
    });

  beforeAll(async () => {
    h = await startHarness(dialect, { clockAt: FIXTURE_TIME, env: WEB_ENV });
    for (const line of [
      '/team add 广州组',
      '/team add 深圳组',
      `/staff add telegram:${GZ_MANAGER} manager 广州组`,
      `/staff add telegram:${SZ_MANAGER} manager 深圳组`,
      `/staff add telegram:${GZ_REP} rep 广州组`,
      `/staff add telegram:${DIRECTOR} director`,
    ])
      await chat().ask(ADMIN, line);
    customers = [];
    for (const [i, u] of SHOPPERS.entries()) customers.push(await telegramCustomer(h, u, `顾客${i}`));
    const dnc = await h.api(`/customers/${customers[3]}/do-not-contact`, undefined, {
      method: 'PUT',
      body: JSON.stringify({ doNotContact: true }),
    });
    expect(dnc.status).toBe(200);
    // The segment keeps do-not-contact customers in: the preview and the launch leave them out themselves.
    segment = await newSegment(h, 'tg', { platforms: ['telegram'], doNotContact: 'include' });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('lets a manager set one up and preview it: do-not-contact excluded, text rendered, nothing sent yet', async () => {
    const manager = await signInByLink(h, GZ_MANAGER);
    const TEXT = '双十二：到店即送礼品';
    const created = await json<Row>(await submit(manager, '双十二', TEXT), 201);
    expect(created).toMatchObject({ status: 'draft', approval: { status: 'pending' }, mayDecide: false });
    const preview = await json<Preview>(await manager.request(`${BASE}/${created.id}/preview`), 200);
    expect(preview.segmentSize).toBe(4);
    expect(preview.skipped.do_not_contact).toBe(1);
    expect(preview.reachable.total).toBe(3);
    expect(preview.platforms).toEqual([{ platform: 'telegram', customers: 3, maxPerTask: null }]);
    expect(preview.cap.limit).toBeGreaterThan(0);
    expect(preview.samples.map((s) => s.customerId).sort()).toEqual(customers.slice(0, 3).sort());
    for (const s of preview.samples) expect(s.text).toBe(`${TEXT}\n\n活动详情 https://shop.example.test/a`);
    await settle();
    expect(sendsOf(TEXT)).toEqual([]);
    // Writes need the CSRF token; a rep has no console; another team's manager does not see it at all.
    expect(
      (await manager.request(BASE, { json: { name: 'x', segment, text: 'x' }, csrf: null })).status,
    ).toBe(403);
    const rep = await signInByLink(h, GZ_REP);
    expect((await rep.request(BASE)).status).toBe(403);
    expect((await rep.request(`${BASE}/${created.id}/approve`, { json: {} })).status).toBe(403);
    const other = await signInByLink(h, SZ_MANAGER);
    expect((await list(other)).map((r) => r.id)).not.toContain(created.id);
    expect((await other.request(`${BASE}/${created.id}/preview`)).status).toBe(404);
    expect((await other.request(`${BASE}/${created.id}/approve`, { json: {} })).status).toBe(404);
  });

  it('keeps the author from approving their own; a director approves it and the customers get it', async () => {
    const manager = await signInByLink(h, GZ_MANAGER);
    const TEXT = '年终回馈：老客户专享';
    const created = await json<Row>(await submit(manager, '年终回馈', TEXT), 201);
    const own = await manager.request(`${BASE}/${created.id}/approve`, { json: {} });
    expect(own.status).toBe(403);
    // No other door schedules it before it is approved: the API's schedule answers 409 too.
    const scheduled = await h.api(`/campaigns/${created.id}/schedule`, undefined, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(scheduled.status).toBe(409);
    await settle();
    expect(sendsOf(TEXT)).toEqual([]);
    const director = await signInByLink(h, DIRECTOR);
    const row = (await list(director)).find((r) => r.id === created.id);
    expect(row).toMatchObject({ mayDecide: true, approval: { status: 'pending' } });
    const key = 'approve-once-0001';
    const approved = await json<{ status: string; approval: string }>(
      await director.request(`${BASE}/${created.id}/approve`, { json: { key } }),
      200,
    );
    expect(approved).toEqual({ id: created.id, status: 'scheduled', approval: 'approved' });
    // The same click again (a retry) answers the same; another decision is refused.
    expect((await director.request(`${BASE}/${created.id}/approve`, { json: { key } })).status).toBe(200);
    expect(
      (
        await director.request(`${BASE}/${created.id}/reject`, {
          json: { reason: '晚了', key: 'reject-late-01' },
        })
      ).status,
    ).toBe(409);
    const done = await untilStatus(h, created.id, 'done');
    expect(done.recipients.byStatus).toEqual({ delivered: 3, skipped: 1 });
    expect(
      sendsOf(TEXT)
        .map((s) => String(s.body.chat_id))
        .sort(),
    ).toEqual(SHOPPERS.slice(0, 3));
    const audit = await h.db
      .selectFrom('audit_log')
      .select(['action', 'actor_staff_id'])
      .where('subject_kind', '=', 'campaign')
      .where('subject_id', '=', String(created.id))
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['campaign.create', 'campaign.submit', 'campaign.schedule', 'campaign.approve']),
    );
  });

  it('sends nothing for a rejected campaign, and tells its author why', async () => {
    const manager = await signInByLink(h, GZ_MANAGER);
    const TEXT = '清仓特价：全场五折';
    const created = await json<Row>(await submit(manager, '清仓特价', TEXT), 201);
    const admin = await signInByLink(h, ADMIN);
    expect((await admin.request(`${BASE}/${created.id}/reject`, { json: { reason: ' ' } })).status).toBe(400);
    const rejected = await json<{ status: string; approval: string }>(
      await admin.request(`${BASE}/${created.id}/reject`, { json: { reason: '折扣力度需要法务确认' } }),
      200,
    );
    expect(rejected).toMatchObject({ status: 'cancelled', approval: 'rejected' });
    expect((await admin.request(`${BASE}/${created.id}/approve`, { json: {} })).status).toBe(409);
    await settle();
    expect(sendsOf(TEXT)).toEqual([]);
    const row = (await list(manager)).find((r) => r.id === created.id);
    expect(row).toMatchObject({
      status: 'cancelled',
      approval: { status: 'rejected', reason: '折扣力度需要法务确认' },
    });
    const told = await untilTold(GZ_MANAGER, '折扣力度需要法务确认');
    expect(told).toContain('清仓特价');
  });

  it("lets an admin approve their own campaign; a director's own waits for someone else", async () => {
    const admin = await signInByLink(h, ADMIN);
    const mine = await json<Row>(await submit(admin, '管理员活动', '管理员的群发'), 201);
    expect(mine.mayDecide).toBe(true);
    expect((await admin.request(`${BASE}/${mine.id}/approve`, { json: {} })).status).toBe(200);
    const director = await signInByLink(h, DIRECTOR);
    const theirs = await json<Row>(await submit(director, '总监活动', '总监的群发'), 201);
    expect(theirs.mayDecide).toBe(false);
    expect((await director.request(`${BASE}/${theirs.id}/approve`, { json: {} })).status).toBe(403);
    expect((await admin.request(`${BASE}/${theirs.id}/approve`, { json: {} })).status).toBe(200);
  });

  /** The bot's private message to a staff member that contains `text`. */
  const untilTold = async (telegramId: string, text: string): Promise<string> => {
    for (let i = 0; i < 50; i++) {
      const found = h.telegram
        .callsTo('sendMessage')
        .find((c) => String(c.body.chat_id) === telegramId && String(c.body.text).includes(text));
      if (found) return String(found.body.text);
      await settle(100);
    }
    throw new Error(`${telegramId} was not told ${text}`);
  };
});

const hasChromium = existsSync(CHROMIUM);
const sqlite = serverDialectsUnderTest().filter((d) => d.name === 'sqlite');

describe.skipIf(!hasChromium).each(sqlite)(
  'the console campaigns screen, in Chromium, on $name',
  (dialect) => {
    let h: Harness;
    let browser: Browser;
    let base: string;
    const TEXT = '会员日：积分翻倍';
    const sends = () => h.telegram.callsTo('sendMessage').filter((c) => String(c.body.text).startsWith(TEXT));

    beforeAll(async () => {
      ({ h, base } = await startServedHarness(dialect));
      for (const line of [
        '/team add 广州组',
        `/staff add telegram:${GZ_MANAGER} manager 广州组`,
        `/staff add telegram:${DIRECTOR} director`,
      ])
        await telegramDriver(h).ask(ADMIN, line);
      const customers = [];
      for (const [i, u] of SHOPPERS.entries()) customers.push(await telegramCustomer(h, u, `顾客${i}`));
      await h.api(`/customers/${customers[3]}/do-not-contact`, undefined, {
        method: 'PUT',
        body: JSON.stringify({ doNotContact: true }),
      });
      await newSegment(h, '电报客户', { platforms: ['telegram'], doNotContact: 'include' });
      browser = await launchChromium();
    }, 90_000);
    afterAll(async () => {
      await browser?.close();
      await h?.close();
    });

    it('lets a manager set up and preview a campaign; it goes out once a director approves it', async () => {
      const page = await signInInBrowser(browser, h, base, GZ_MANAGER);
      const problems = watchProblems(page);
      await page.goto(`${base}/app/console`);
      await page.locator('#tab-campaigns').click();
      await page.waitForURL(`${base}/app/console/campaigns`);
      const form = page.locator('#campaign-form');
      await form.locator('[name=name]').fill('会员日');
      await form.locator('[name=segment]').selectOption({ label: '电报客户' });
      await form.locator('[name=text]').fill(TEXT);
      await form.locator('[name=linkTitle]').fill('积分规则');
      await form.locator('[name=linkUrl]').fill('https://shop.example.test/points');
      await form.locator('button[type=submit]').click();
      const preview = page.locator('#campaign-preview');
      await expect.poll(() => preview.locator('.sample').count()).toBe(3);
      expect(await preview.locator('#preview-segment').textContent()).toBe('4');
      expect(await preview.locator('#preview-reachable').textContent()).toBe('3');
      expect(await preview.locator('[data-skip=do_not_contact]').textContent()).toBe('1');
      expect(await preview.locator('[data-platform=telegram]').innerText()).toContain('3');
      expect(await preview.locator('.sample .bubble').first().innerText()).toBe(
        `${TEXT}\n\n积分规则 https://shop.example.test/points`,
      );
      const row = page.locator('#campaign-list tr', { hasText: '会员日' });
      expect(await row.locator('.approval').innerText()).toContain('待审批');
      expect(await row.locator('.approve').count()).toBe(0);
      await screenshot(page, 'console-campaign-preview');
      expect(sends()).toEqual([]);
      expect(problems).toEqual([]);
      await page.context().close();

      const director = await signInInBrowser(browser, h, base, DIRECTOR);
      const directorProblems = watchProblems(director);
      await director.goto(`${base}/app/console/campaigns`);
      await director.locator('#campaign-list tr', { hasText: '会员日' }).locator('.approve').click();
      await expect.poll(() => director.locator('#status').textContent()).toBe('已批准，活动已排程发送。');
      await expect.poll(() => sends().length, { timeout: 10_000 }).toBe(3);
      expect(directorProblems).toEqual([]);
      await director.context().close();
    }, 90_000);
  },
);
