import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { telegramCustomer, telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import type { Harness } from '../helpers/harness.ts';
import { ADMIN, GZ_MANAGER, GZ_REP, SZ_REP } from './console-people.ts';
import {
  CHROMIUM,
  launchChromium,
  screenshot,
  signInInBrowser,
  startServedHarness,
  watchProblems,
} from './panel-browser.ts';

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(`Console browser test skipped: ${CHROMIUM} is missing (apt-get install chromium).`);

// The page is the same on every database; the JSON routes behind it run on both (console-api.test.ts).
const sqlite = serverDialectsUnderTest().filter((d) => d.name === 'sqlite');

describe.skipIf(!hasChromium).each(sqlite)("the managers' console, in Chromium, on $name", (dialect) => {
  let h: Harness;
  let browser: Browser;
  let base: string;
  let liLei: number;
  let hanMei: number;
  const chat = () => telegramDriver(h);

  beforeAll(async () => {
    ({ h, base } = await startServedHarness(dialect));
    for (const line of [
      '/team add 广州组',
      '/team add 深圳组',
      `/staff add telegram:${GZ_MANAGER} manager 广州组`,
      `/staff add telegram:${GZ_REP} rep 广州组`,
      `/staff add telegram:${SZ_REP} rep 深圳组`,
    ])
      await chat().ask(ADMIN, line);
    liLei = await telegramCustomer(h, '7200000101', '李雷', '你好，我想了解一下报价');
    hanMei = await telegramCustomer(h, '7200000102', '韩梅梅', '请发一下方案');
    const szOnly = await telegramCustomer(h, '7200000103', '王小明', '你好');
    await chat().ask(ADMIN, `/assign #${liLei} telegram:${GZ_REP}`);
    await chat().ask(ADMIN, `/assign #${hanMei} telegram:${GZ_REP}`);
    await chat().ask(ADMIN, `/assign #${szOnly} telegram:${SZ_REP}`);
    await chat().ask(ADMIN, `/stage #${liLei} interested`);
    expect(await chat().ask(ADMIN, `/deal #${liLei} 5万 proposal 2026-12-31 年度套餐`)).toContain('商机');
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  const signIn = (telegramId: string) => signInInBrowser(browser, h, base, telegramId);

  it('lets a manager filter the list by stage, drag a deal on the board, and the move shows on /show', async () => {
    const page = await signIn(GZ_MANAGER);
    const problems = watchProblems(page);
    await page.goto(`${base}/app/console`);
    await expect.poll(() => page.locator('#customers tr.customer').count()).toBe(2);
    // The other team's customer is not in a manager's list.
    expect(await page.locator('#customers').innerText()).not.toContain('王小明');
    await page.locator('#filter-stage').selectOption('interested');
    await page.locator('#filter-apply').click();
    await expect.poll(() => page.locator('#customers tr.customer').count()).toBe(1);
    expect(await page.locator('#customers tr.customer a').textContent()).toBe('李雷');
    expect(await page.locator('#customers tr.customer a').getAttribute('href')).toBe(
      `/app?customer=${liLei}`,
    );
    expect(await page.locator('#customers tr.customer .stage').textContent()).toBe('意向');
    await screenshot(page, 'console-customers');

    await page.locator('#tab-pipeline').click();
    await page.waitForURL(`${base}/app/console/pipeline`);
    const card = page.locator('.deal', { hasText: '年度套餐' });
    await expect.poll(() => card.locator('xpath=..').getAttribute('data-stage')).toBe('proposal');
    expect(await page.locator('#forecast-total').textContent()).toContain('20,000');
    expect(await card.locator('.close-date').textContent()).toContain('2026-12-31');
    await card.dragTo(page.locator('.column[data-stage="negotiate"]'));
    await expect.poll(() => page.locator('#status').textContent()).toBe('已移动。');
    expect(await page.locator('.column[data-stage="negotiate"] .deal').textContent()).toContain('年度套餐');
    // 50,000 × 70 %.
    expect(await page.locator('#forecast-total').textContent()).toContain('35,000');
    await screenshot(page, 'console-pipeline');

    const shown = await chat().ask(ADMIN, `/show #${liLei}`);
    expect(shown).toContain('商务谈判');
    expect(problems).toEqual([]);

    // The keyboard's way: the card's stage list.
    await page.locator('.deal', { hasText: '年度套餐' }).locator('select.move').selectOption('won');
    await expect.poll(() => page.locator('.deal').count()).toBe(0);
    const row = await h.db
      .selectFrom('deals')
      .select('stage')
      .where('customer_id', '=', liLei)
      .executeTakeFirst();
    expect(row?.stage).toBe('won');
    await page.context().close();
  }, 90_000);

  it('tells a rep the console is for managers and above', async () => {
    const page = await signIn(GZ_REP);
    const res = await page.goto(`${base}/app/console/pipeline`);
    expect(res?.status()).toBe(403);
    expect(await page.locator('body').innerText()).toContain('管理台只对经理及以上开放。');
    expect(await page.content()).not.toContain('李雷');
    await screenshot(page, 'console-rep-403');
    await page.context().close();
  }, 60_000);
});
