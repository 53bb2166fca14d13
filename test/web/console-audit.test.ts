import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { telegramCustomer, telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness } from '../helpers/harness.ts';
import { ADMIN, GZ_MANAGER, GZ_REP, SZ_REP } from './console-people.ts';
import {
  CHROMIUM,
  launchChromium,
  screenshot,
  signInInBrowser,
  startServedHarness,
  watchProblems,
} from './panel-browser.ts';
import { signInByLink, WEB_ENV, type WebClient } from './web-client.ts';

// The audit log screen: what each role reads of the log, keyset pages, filters; the page in Chromium on sqlite.

const AUDIT = '/app/api/console/audit';
const BULK = 130;

type Entry = {
  id: number;
  at: string;
  actor: { kind: string; staffId: number | null; name: string | null };
  action: string;
  customer: { id: number; name: string | null } | null;
  details: Array<{ key: string; value: string }>;
};
type Page = { items: Entry[]; nextCursor: string | null };

interface World {
  staff: Record<string, number>;
  gz: number;
  sz: number;
}

/** Two teams, their staff, a customer each; notes and tags written through the chat; a bulk of older entries. */
async function setUp(h: Harness): Promise<World> {
  const chat = telegramDriver(h);
  for (const line of [
    '/team add 广州组',
    '/team add 深圳组',
    `/staff add telegram:${GZ_MANAGER} manager 广州组`,
    `/staff add telegram:${GZ_REP} rep 广州组`,
    `/staff add telegram:${SZ_REP} rep 深圳组`,
  ])
    await chat.ask(ADMIN, line);
  const staff: Record<string, number> = {};
  for (const who of [ADMIN, GZ_MANAGER, GZ_REP, SZ_REP]) {
    const row = await h.db
      .selectFrom('staff_identities')
      .select('staff_id')
      .where('external_id', '=', who)
      .executeTakeFirstOrThrow();
    staff[who] = Number(row.staff_id);
  }
  const gz = await telegramCustomer(h, '7200000201', '李雷', '你好');
  const sz = await telegramCustomer(h, '7200000202', '王小明', '你好');
  await chat.ask(ADMIN, `/assign #${gz} telegram:${GZ_REP}`);
  await chat.ask(ADMIN, `/assign #${sz} telegram:${SZ_REP}`);
  expect(await chat.ask(GZ_REP, `/note #${gz} 客户想要报价`)).not.toBe('');
  expect(await chat.ask(SZ_REP, `/note #${sz} 深圳的备注`)).not.toBe('');
  await chat.ask(ADMIN, `/tag #${gz} 展会`);
  await chat.ask(ADMIN, `/tag #${sz} 展会`);
  // Older entries by the system, five to a millisecond (ties the keyset must not skip or repeat).
  for (let k = 0; k < BULK; k++)
    await h.db
      .insertInto('audit_log')
      .values({
        at: FIXTURE_TIME - 86_400_000 - Math.floor(k / 5),
        actor_kind: 'system',
        actor_staff_id: null,
        action: 'test.bulk',
        subject_kind: null,
        subject_id: null,
        detail: JSON.stringify({ k }),
        via: 'system',
      })
      .execute();
  await h.db
    .insertInto('audit_log')
    .values({
      at: FIXTURE_TIME - 1000,
      actor_kind: 'staff',
      actor_staff_id: staff[GZ_REP] ?? null,
      action: 'test.detail',
      subject_kind: 'customer',
      subject_id: String(gz),
      detail: JSON.stringify({
        said: '<b>加我</b> 13912345678',
        url: 'https://robot.example/send?key=secret',
        tags: ['a', 'b'],
      }),
      via: 'telegram',
    })
    .execute();
  return { staff, gz, sz };
}

describe.each(serverDialectsUnderTest())('the console audit log on $name', (dialect) => {
  let h: Harness;
  let w: World;
  const get = async (web: WebClient, query: string) => {
    const res = await web.request(`${AUDIT}?${query}`);
    expect(res.status).toBe(200);
    return (await res.json()) as Page;
  };
  /** Every page, following `nextCursor`. */
  const everyPage = async (web: WebClient, query: string, limit: number) => {
    const items: Entry[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const cursor: string = after ? `&after=${encodeURIComponent(after)}` : '';
      const page: Page = await get(web, `limit=${limit}${query}${cursor}`);
      items.push(...page.items);
      after = page.nextCursor;
      pages += 1;
    } while (after && pages < 200);
    return items;
  };

  beforeAll(async () => {
    h = await startHarness(dialect, { clockAt: FIXTURE_TIME, env: WEB_ENV });
    w = await setUp(h);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('pages an admin through every entry once, newest first', async () => {
    const admin = await signInByLink(h, ADMIN);
    const all = await h.db.selectFrom('audit_log').select(['id', 'at']).execute();
    const items = await everyPage(admin, '', 7);
    expect(items.map((e) => e.id).sort((a, b) => a - b)).toEqual(
      all.map((r) => Number(r.id)).sort((a, b) => a - b),
    );
    const times = items.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(items.filter((e) => e.action === 'test.bulk')).toHaveLength(BULK);
    expect((await admin.request(`${AUDIT}?after=nonsense`)).status).toBe(400);
  });

  it("shows a manager their team's entries and not another team's", async () => {
    const manager = await signInByLink(h, GZ_MANAGER);
    const items = await everyPage(manager, '', 5);
    const gzRep = w.staff[GZ_REP];
    expect(items.some((e) => e.action === 'customer.note_added' && e.actor.staffId === gzRep)).toBe(true);
    // The admin's tag on their team's customer is about their customer.
    expect(
      items.some(
        (e) =>
          e.action === 'customer.tag_added' && e.customer?.id === w.gz && e.actor.staffId === w.staff[ADMIN],
      ),
    ).toBe(true);
    expect(items.some((e) => e.customer?.id === w.sz)).toBe(false);
    expect(items.some((e) => e.actor.staffId === w.staff[SZ_REP])).toBe(false);
    expect(items.some((e) => e.action === 'test.bulk')).toBe(false);
    for (const e of items)
      expect(
        [w.staff[GZ_REP], w.staff[GZ_MANAGER]].includes(e.actor.staffId ?? -1) || e.customer?.id === w.gz,
      ).toBe(true);
    expect(items.find((e) => e.customer?.id === w.gz)?.customer?.name).toBe('李雷');
    // A filter cannot widen it: another team's customer and staff answer nothing.
    expect((await get(manager, `customer=${w.sz}`)).items).toEqual([]);
    expect((await get(manager, `actor=${w.staff[SZ_REP]}`)).items).toEqual([]);
  });

  it('filters by action, prefix, customer, staff member and days', async () => {
    const admin = await signInByLink(h, ADMIN);
    const notes = await everyPage(admin, '&action=customer.note_added', 50);
    expect(notes.map((e) => e.customer?.id).sort()).toEqual([w.gz, w.sz].sort());
    const manager = await signInByLink(h, GZ_MANAGER);
    expect((await get(manager, 'action=customer.note_added')).items.map((e) => e.customer?.id)).toEqual([
      w.gz,
    ]);
    const family = await everyPage(admin, '&action=customer.', 50);
    expect(family.length).toBeGreaterThanOrEqual(4);
    expect(family.every((e) => e.action.startsWith('customer.'))).toBe(true);
    const aboutGz = await everyPage(admin, `&customer=${w.gz}`, 50);
    expect(aboutGz.length).toBeGreaterThan(0);
    expect(aboutGz.every((e) => e.customer?.id === w.gz)).toBe(true);
    const byRep = await everyPage(admin, `&actor=${w.staff[SZ_REP]}`, 50);
    expect(byRep.length).toBeGreaterThan(0);
    expect(byRep.every((e) => e.actor.staffId === w.staff[SZ_REP])).toBe(true);
    // FIXTURE_TIME is 2026-03-02 10:15 in Shanghai; the bulk is a day older.
    const today = await everyPage(admin, '&from=2026-03-02&to=2026-03-02', 50);
    expect(today.length).toBeGreaterThan(0);
    expect(today.some((e) => e.action === 'test.bulk')).toBe(false);
    const yesterday = await everyPage(admin, '&from=2026-03-01&to=2026-03-01', 50);
    expect(yesterday.map((e) => e.action)).toEqual(Array(BULK).fill('test.bulk'));
    expect((await get(admin, 'from=2026-03-03')).items).toEqual([]);
    expect((await admin.request(`${AUDIT}?from=March`)).status).toBe(400);
  });

  it('shows details as text: contact data masked, robot addresses withheld; a rep is refused', async () => {
    const admin = await signInByLink(h, ADMIN);
    const [entry] = (await get(admin, 'action=test.detail')).items;
    expect(entry?.details).toEqual([
      { key: 'said', value: expect.stringContaining('<b>加我</b>') },
      { key: 'url', value: '•••' },
      { key: 'tags', value: 'a, b' },
    ]);
    expect(JSON.stringify(entry)).not.toContain('13912345678');
    expect(JSON.stringify(entry)).not.toContain('secret');
    const rep = await signInByLink(h, GZ_REP);
    expect((await rep.request(AUDIT)).status).toBe(403);
  });
});

const hasChromium = existsSync(CHROMIUM);
const sqlite = serverDialectsUnderTest().filter((d) => d.name === 'sqlite');

describe.skipIf(!hasChromium).each(sqlite)('the console audit log in Chromium on $name', (dialect) => {
  let h: Harness;
  let browser: Browser;
  let base: string;
  let w: World;

  beforeAll(async () => {
    ({ h, base } = await startServedHarness(dialect));
    w = await setUp(h);
    browser = await launchChromium();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('lists, filters by action, pages on, and shows customer text as text', async () => {
    const page = await signInInBrowser(browser, h, base, ADMIN);
    const problems = watchProblems(page);
    await page.goto(`${base}/app/console/audit`);
    await page.locator('#audit tr.entry').first().waitFor();
    await expect.poll(() => page.locator('#audit tr.entry').count()).toBe(50);
    await page.locator('#more').click();
    await expect.poll(() => page.locator('#audit tr.entry').count()).toBe(100);
    await page.locator('#audit-action').fill('customer.note_added');
    await page.locator('#audit-apply').click();
    await expect.poll(() => page.locator('#audit tr.entry').count()).toBe(2);
    expect(await page.locator('#audit tr.entry .what').first().textContent()).toContain('添加备注');
    await page.locator('#audit-action').fill('test.detail');
    await page.locator('#audit-apply').click();
    await expect.poll(() => page.locator('#audit tr.entry').count()).toBe(1);
    const entry = page.locator('#audit tr.entry');
    expect(await entry.locator('.details').innerText()).toContain('<b>加我</b>');
    expect(await entry.locator('.details b').count()).toBe(0);
    expect(await entry.locator('.about a').getAttribute('href')).toBe(`/app?customer=${w.gz}`);
    await page.locator('#audit-action').fill('');
    await page.locator('#audit-apply').click();
    await expect.poll(() => page.locator('#audit tr.entry').count()).toBe(50);
    await screenshot(page, 'console-audit');
    expect(problems).toEqual([]);
    await page.context().close();
  }, 60_000);

  it("shows a manager only their team's entries", async () => {
    const page = await signInInBrowser(browser, h, base, GZ_MANAGER);
    await page.goto(`${base}/app/console/audit`);
    await page.locator('#audit tr.entry').first().waitFor();
    const text = await page.locator('#audit').innerText();
    expect(text).toContain('李雷');
    expect(text).not.toContain('王小明');
    expect(await page.locator(`#audit a[href="/app?customer=${w.sz}"]`).count()).toBe(0);
    await page.context().close();
  }, 60_000);
});
