import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { telegramCustomer, telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { type Harness, waitFor } from '../helpers/harness.ts';
import { wecomRequest } from '../helpers/wecom-callbacks.ts';
import { ADMIN, GZ_REP, SZ_REP } from './console-people.ts';
import {
  CHROMIUM,
  launchChromium,
  screenshot,
  sidebarContext,
  startServedHarness,
  watchAssetBytes,
  watchProblems,
} from './panel-browser.ts';

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(`Panel browser test skipped: ${CHROMIUM} is missing (apt-get install chromium).`);

/** An admin (ADMIN_IDS), and two reps of sibling teams. */
/** The fixtures' WeCom external contact 王芳 (event-add-external-contact, externalcontact/get). */
const WECOM_CONTACT = 'wmEAlECwAAHb8rJz0uVq3nTk1aLpXcAA';
const BUDGET_BYTES = 150 * 1024;

// The page is the same on every database; the JSON routes are what the page drives, on the server's database.
const sqlite = serverDialectsUnderTest().filter((d) => d.name === 'sqlite');

describe.skipIf(!hasChromium).each(sqlite)('the panel beside the chat, in Chromium, on $name', (dialect) => {
  let h: Harness;
  let browser: Browser;
  let base: string;
  let liLei: number;
  let wangFang: number;
  const chat = () => telegramDriver(h);

  beforeAll(async () => {
    ({ h, base } = await startServedHarness(dialect, { wecom: true }));
    for (const line of [
      '/team add 广州组',
      '/team add 深圳组',
      `/staff add telegram:${GZ_REP} rep 广州组`,
      `/staff add telegram:${SZ_REP} rep 深圳组`,
      '/quick add price 您好{name}，报价单已发到您的邮箱。',
    ])
      await chat().ask(ADMIN, line);
    liLei = await telegramCustomer(h, '7200000001', '李雷', '你好，我想了解一下报价');
    await telegramCustomer(h, '7200000001', '李雷', '最好这周能发合同');
    await chat().ask(ADMIN, `/tag #${liLei} 重点客户`);
    await chat().ask(ADMIN, `/stage #${liLei} interested`);
    expect(await chat().ask(ADMIN, `/assign #${liLei} telegram:${SZ_REP}`)).toContain('分配给');
    const add = wecomRequest('post-event-add-external-contact.json');
    await fetch(`${h.url}/webhooks/wecom?${add.rawQuery}`, { method: 'POST', body: add.body });
    wangFang = (
      await waitFor(() =>
        h.db
          .selectFrom('identities')
          .select('customer_id')
          .where('platform', '=', 'wecom')
          .where('external_id', '=', WECOM_CONTACT)
          .executeTakeFirst(),
      )
    ).customer_id;
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  /** `/web` in the chat, the link opened, the button pressed: the context is signed in as that staff member. */
  async function signIn(context: BrowserContext, telegramId: string): Promise<Page> {
    const reply = await chat().ask(telegramId, '/web');
    const link = /https?:\/\/\S+/.exec(reply)?.[0] ?? '';
    expect(link.startsWith(`${base}/app/link?t=`)).toBe(true);
    const page = await context.newPage();
    await page.goto(link);
    await page.locator('form[action="/app/sign-in/link"] button').click();
    await page.waitForURL(`${base}/app`);
    return page;
  }

  it('signs in with a one-time link and shows a customer: name, stage, tags, last messages, in budget', async () => {
    const context = await sidebarContext(browser);
    const page = await signIn(context, ADMIN);
    const problems = watchProblems(page);
    // Nobody given: the panel offers a search.
    await page.locator('#search-text').fill('李雷');
    await page.locator('#search-text').press('Enter');
    await page.getByRole('button', { name: '李雷' }).click();
    await expect.poll(() => page.locator('#customer-name').textContent()).toBe('李雷');

    const assets = watchAssetBytes(page);
    await page.goto(`${base}/app?customer=${liLei}`);
    await expect.poll(() => page.locator('#customer-name').textContent()).toBe('李雷');
    expect(await page.locator('#customer-stage').textContent()).toBe('意向');
    // Tags with where they came from: set by hand, and the keyword rule's from the message about a contract.
    const tags = await page.locator('#tags .tag').allTextContents();
    expect(tags).toContainEqual(expect.stringContaining('重点客户'));
    expect(tags).toContainEqual(expect.stringContaining('合同（规则）'));
    const timeline = await page.locator('#timeline').innerText();
    expect(timeline).toContain('你好，我想了解一下报价');
    expect(timeline).toContain('最好这周能发合同');
    // Labels in the staff member's language, from the catalogue.
    expect(await page.locator('h2').allTextContents()).toContain('最近消息');
    await screenshot(page, 'panel-customer');

    const { files, gzipped } = await assets();
    console.log(`panel first load: ${files.join(', ')}: ${(gzipped / 1024).toFixed(1)} KB gzipped JS+CSS`);
    expect(files.some((f) => f.endsWith('.js'))).toBe(true);
    expect(files.some((f) => f.endsWith('.css'))).toBe(true);
    expect(gzipped).toBeLessThanOrEqual(BUDGET_BYTES);
    const asset = await fetch(`${base}${files[0]}`);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it('saves a note, a stage and a tag from the panel (opened by a Mini App start parameter), and /show has them', async () => {
    const context = await sidebarContext(browser);
    const page = await signIn(context, ADMIN);
    // Opened as a Telegram Mini App would open it: the start parameter in the launch fragment, on a fresh load (the
    // same address with only a new fragment would not load the page again).
    await page.goto('about:blank');
    await page.goto(`${base}/app#tgWebAppStartParam=c${liLei}`);
    await expect.poll(() => page.locator('#customer-name').textContent()).toBe('李雷');
    await page.locator('#note-text').fill('客户要求周五前发合同');
    await page.locator('#note-add').click();
    await expect.poll(() => page.locator('#status').textContent()).toBe('已保存。');
    await page.locator('#stage-select').selectOption('won');
    await page.locator('#stage-set').click();
    await expect.poll(() => page.locator('#customer-stage').textContent()).toBe('成交');
    await page.locator('#tag-name').fill('已签约');
    await page.locator('#tag-add').click();
    await expect.poll(() => page.locator('#tags').innerText()).toContain('已签约');
    await screenshot(page, 'panel-edited');

    const shown = await chat().ask(ADMIN, `/show #${liLei}`);
    expect(shown).toContain('客户要求周五前发合同');
    expect(shown).toContain('成交');
    expect(shown).toContain('已签约');
    await context.close();
  }, 60_000);

  it("opens WeCom's chatted customer and hands a quick reply to sendChatMessage", async () => {
    const context = await sidebarContext(browser);
    const page = await signIn(context, ADMIN);
    // WeCom's JS-SDK as the sidebar has it, stubbed: the contact being chatted with, and what goes into the input.
    await page.addInitScript((userId: string) => {
      const sent: unknown[] = [];
      Object.assign(window, {
        __sent: sent,
        ww: {
          getCurExternalContact: async () => ({ userId }),
          sendChatMessage: async (message: unknown) => {
            sent.push(message);
            return { errMsg: 'sendChatMessage:ok' };
          },
        },
      });
    }, WECOM_CONTACT);
    const problems = watchProblems(page);
    await page.goto(`${base}/app`);
    await expect.poll(() => page.locator('#customer-name').textContent()).toBe('王芳');
    const quick = page.locator('.quick-reply[data-key="price"] button');
    expect(await quick.textContent()).toBe('放入聊天');
    await quick.click();
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { __sent: unknown[] }).__sent))
      .toEqual([{ msgtype: 'text', text: { content: '您好王芳，报价单已发到您的邮箱。' } }]);
    await screenshot(page, 'panel-wecom-sidebar');
    // Put in the rep's own chat input, not sent by Liaison: nothing queued for the customer.
    const queued = await h.db.selectFrom('outbox').select('content').execute();
    expect(queued.some((r) => r.content.includes('报价单已发到您的邮箱'))).toBe(false);
    expect(problems).toEqual([]);
    expect(wangFang).toBeGreaterThan(0);
    await context.close();
  }, 60_000);

  it("shows a rep 404 for another team's customer opened by address", async () => {
    const context = await sidebarContext(browser);
    const page = await signIn(context, GZ_REP);
    const api = page.waitForResponse((res) => res.url().endsWith(`/app/api/customers/${liLei}`));
    await page.goto(`${base}/app?customer=${liLei}`);
    expect((await api).status()).toBe(404);
    await expect
      .poll(() => page.locator('#not-found').textContent())
      .toBe('找不到这个客户，或者不在你的范围内。');
    expect(await page.locator('#customer-name').count()).toBe(0);
    expect(await page.content()).not.toContain('李雷');
    await screenshot(page, 'panel-rep-404');
    await context.close();
  }, 60_000);

  it('lists the hot leads when no customer is open, and merges a likely duplicate into the open customer', async () => {
    const buyer = await telegramCustomer(h, '7200000003', '赵敏', '我要下单，怎么付款？今天就买');
    await h.db.updateTable('customers').set({ phone: '13700000009' }).where('id', '=', liLei).execute();
    const twin = await telegramCustomer(h, '7200000004', '李先生', '我电话13700000009');
    for (const id of [buyer, twin]) await chat().ask(ADMIN, `/assign #${id} telegram:${SZ_REP}`);
    await waitFor(async () =>
      (await h.db.selectFrom('merge_suggestions').select('id').where('status', '=', 'open').execute())
        .length > 0
        ? true
        : undefined,
    );
    const context = await sidebarContext(browser);
    const page = await signIn(context, SZ_REP);
    const problems = watchProblems(page);
    await expect.poll(() => page.locator('#hot-leads').innerText()).toContain('赵敏');
    await screenshot(page, 'panel-hot-leads');
    await page.locator('#hot-leads button', { hasText: '赵敏' }).click();
    await expect.poll(() => page.locator('#customer-name').textContent()).toBe('赵敏');

    await page.goto(`${base}/app?customer=${liLei}`);
    const duplicate = page.locator(`#duplicates .duplicate[data-customer="${twin}"]`);
    await expect.poll(() => duplicate.innerText()).toContain('李先生');
    await duplicate.locator('.merge-preview-button').click();
    await expect.poll(() => duplicate.locator('.merge-preview').innerText()).toContain(`#${twin} 李先生`);
    await screenshot(page, 'panel-merge-preview');
    await duplicate.locator('.merge-confirm').click();
    await expect.poll(() => page.locator('#duplicates').count()).toBe(0);
    await expect.poll(() => page.locator('#timeline').innerText()).toContain('我电话137****0009');
    const merged = await h.db
      .selectFrom('customers')
      .select('merged_into_id')
      .where('id', '=', twin)
      .executeTakeFirst();
    expect(merged?.merged_into_id).toBe(liLei);
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);
});
