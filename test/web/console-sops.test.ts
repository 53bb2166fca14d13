import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { telegramCustomer, telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';
import { ADMIN, GZ_MANAGER, GZ_REP, SZ_MANAGER } from './console-people.ts';
import {
  CHROMIUM,
  launchChromium,
  screenshot,
  signInInBrowser,
  startServedHarness,
  watchProblems,
} from './panel-browser.ts';
import { signInByLink, WEB_ENV } from './web-client.ts';

// The console's SOP screen as its page calls it: the list with enrolled counts, create with steps, deactivate.

const BASE = '/app/api/console/sops';

type Sop = {
  id: number;
  name: string;
  active: boolean;
  steps: Array<{ action: string; text: string }>;
  enrollments: { total: number; active: number };
};

describe.each(serverDialectsUnderTest())('the console SOP screen on $name', (dialect) => {
  let h: Harness;
  const chat = () => telegramDriver(h);

  beforeAll(async () => {
    h = await startHarness(dialect, { clockAt: FIXTURE_TIME, env: WEB_ENV });
    for (const line of [
      '/team add 广州组',
      '/team add 深圳组',
      `/staff add telegram:${GZ_MANAGER} manager 广州组`,
      `/staff add telegram:${SZ_MANAGER} manager 深圳组`,
      `/staff add telegram:${GZ_REP} rep 广州组`,
    ])
      await chat().ask(ADMIN, line);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('creates an SOP with its steps, counts who it enrolled, and deactivates it', async () => {
    const manager = await signInByLink(h, GZ_MANAGER);
    const body = {
      name: '高意向跟进',
      trigger: { kind: 'tag', value: '高意向' },
      steps: [
        { after: { days: 0 }, action: 'remind', text: '今天联系一下' },
        { after: { days: 3 }, action: 'message', text: '您好，方案看了吗？' },
      ],
    };
    // Steps out of time order, a stage that does not exist, a write without CSRF: refused.
    const backwards = { ...body, steps: [...body.steps].reverse() };
    expect((await manager.request(BASE, { json: backwards })).status).toBe(400);
    const badStage = { ...body, trigger: { kind: 'stage', value: 'nowhere' } };
    expect((await manager.request(BASE, { json: badStage })).status).toBe(400);
    expect((await manager.request(BASE, { json: body, csrf: null })).status).toBe(403);
    const res = await manager.request(BASE, { json: body });
    expect(res.status).toBe(201);
    const created = (await res.json()) as Sop;
    expect(created).toMatchObject({ name: '高意向跟进', active: true, enrollments: { total: 0 } });
    expect(created.steps.map((s) => s.action)).toEqual(['remind', 'message']);
    expect((await manager.request(BASE, { json: body })).status).toBe(409);

    // A customer tagged after it exists is enrolled, and the list counts them.
    const customer = await telegramCustomer(h, '7200000301', '周先生');
    await chat().ask(ADMIN, `/tag #${customer} 高意向`);
    const listed = await waitFor(async () => {
      const items = ((await (await manager.request(BASE)).json()) as { items: Sop[] }).items;
      const mine = items.find((s) => s.id === created.id);
      return mine && mine.enrollments.total === 1 ? mine : undefined;
    });
    expect(listed.enrollments.active).toBe(1);

    // Another team's manager neither sees nor switches it; a rep has no console.
    const other = await signInByLink(h, SZ_MANAGER);
    const theirs = ((await (await other.request(BASE)).json()) as { items: Sop[] }).items;
    expect(theirs.map((s) => s.id)).not.toContain(created.id);
    expect(
      (await other.request(`${BASE}/${created.id}`, { method: 'PATCH', json: { active: false } })).status,
    ).toBe(404);
    const rep = await signInByLink(h, GZ_REP);
    expect((await rep.request(BASE)).status).toBe(403);

    const off = await manager.request(`${BASE}/${created.id}`, { method: 'PATCH', json: { active: false } });
    expect(off.status).toBe(200);
    expect(((await off.json()) as Sop).active).toBe(false);
    const row = await h.db
      .selectFrom('sops')
      .select('active')
      .where('id', '=', created.id)
      .executeTakeFirst();
    expect(row?.active).toBe(0);
    const audit = await h.db
      .selectFrom('audit_log')
      .select('action')
      .where('subject_kind', '=', 'sop')
      .where('subject_id', '=', String(created.id))
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['sop.created', 'sop.paused']);
  });
});

const hasChromium = existsSync(CHROMIUM);
const sqlite = serverDialectsUnderTest().filter((d) => d.name === 'sqlite');

describe.skipIf(!hasChromium).each(sqlite)('the console SOP screen, in Chromium, on $name', (dialect) => {
  let h: Harness;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    ({ h, base } = await startServedHarness(dialect));
    await telegramDriver(h).ask(ADMIN, '/team add 广州组');
    await telegramDriver(h).ask(ADMIN, `/staff add telegram:${GZ_MANAGER} manager 广州组`);
    browser = await launchChromium();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('lets a manager create an SOP with two steps and deactivate it', async () => {
    const page = await signInInBrowser(browser, h, base, GZ_MANAGER);
    const problems = watchProblems(page);
    await page.goto(`${base}/app/console/sops`);
    const form = page.locator('#sop-form');
    await form.locator('[name=name]').fill('新客三天回访');
    await form.locator('[name=trigger-value]').fill('新客');
    await form.locator('[name=step-0-text]').fill('今天打个招呼');
    await form.locator('[name=step-0-action]').selectOption('remind');
    await page.locator('#add-step').click();
    await form.locator('[name=step-1-days]').fill('3');
    await form.locator('[name=step-1-text]').fill('您好，用得怎么样？');
    await form.locator('button[type=submit]').click();
    const row = page.locator('#sop-list tr', { hasText: '新客三天回访' });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.locator('td').nth(2).innerText()).toBe('2');
    expect(await row.locator('.sop-state').innerText()).toBe('启用中');
    await row.locator('.toggle').click();
    await expect.poll(() => row.locator('.sop-state').innerText()).toBe('已停用');
    await screenshot(page, 'console-sops');
    const stored = await h.db.selectFrom('sops').select(['active', 'steps']).executeTakeFirstOrThrow();
    expect(stored.active).toBe(0);
    expect(JSON.parse(stored.steps)).toEqual([
      { after: { days: 0, hours: 0 }, action: 'remind', text: '今天打个招呼' },
      { after: { days: 3, hours: 0 }, action: 'message', text: '您好，用得怎么样？' },
    ]);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 90_000);
});
