import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';

/** Debian's `chromium` package (.ci/run installs it); a browser is never downloaded at test time. */
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(
    `Playground browser test skipped: ${CHROMIUM} is missing (apt-get install chromium; .ci/run does).`,
  );
}
const ARTEFACTS = fileURLToPath(new URL('../../test-results/', import.meta.url));

// The page is the same on every database; the HTTP suite (web-channel.test.ts) runs the channel on each dialect.
const sqlite = serverDialectsUnderTest().filter((d) => d.name === 'sqlite');

describe.skipIf(!hasChromium).each(sqlite)('the playground in headless Chromium on $name', (dialect) => {
  let h: Harness;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    h = await startHarness(dialect);
    profile = mkdtempSync(join(tmpdir(), 'liaison-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      locale: 'en-US',
      viewport: { width: 1280, height: 900 },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await h?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  const staffChat = () => page.locator('#staff-chat');
  const sayAsStaff = async (text: string) => {
    await page.fill('#staff-text', text);
    await page.click('#staff-send');
  };

  it('takes a customer complaint to the rep pane: alert, relay, /find, tag, card button, reply, digest preview', async () => {
    await page.goto(`${h.url}/playground`);
    await page.locator('body[data-ready="true"]').waitFor();
    await expect
      .poll(() => page.locator('.banner').innerText())
      .toContain('not connected to WeCom, Feishu/Lark, Telegram or any real platform');
    // On an empty database the staff pane offers the playground's own people, acting as the manager.
    expect(await page.inputValue('#staff-select')).toBe('playground-manager');

    const attack = 'I want to file a complaint <img src=x onerror="window.__xss=1">';
    await page.fill('#customer-name', 'Wang Fang');
    await page.fill('#customer-text', attack);
    await page.click('#customer-send');
    // The customer's words come back from Liaison's inbox as text: no element made, no handler run.
    const said = page.locator('#customer-chat .msg[data-from="self"]');
    await said.first().waitFor();
    expect(await said.first().innerText()).toBe(attack);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();

    // The complaint rule tags the customer and alerts the manager (unowned customers' alerts go to managers).
    await expect
      .poll(() => staffChat().innerText(), { timeout: 10_000 })
      .toContain('Complaint: #1 Wang Fang');

    await sayAsStaff('/find Wang Fang');
    await expect.poll(() => staffChat().innerText()).toContain('1 customer(s) match "Wang Fang"');
    await sayAsStaff('/show #1');
    const card = staffChat().locator('.card').last();
    await card.waitFor();
    await expect.poll(() => card.innerText()).toMatch(/Tags\s+投诉 \(rule\)/);
    // A card button posts a card action through the same webhook; the card is redrawn in place.
    await card.getByRole('button', { name: 'Assign to me' }).click();
    await expect
      .poll(() => staffChat().locator('.card').last().innerText())
      .toMatch(/Owner\s+Playground manager/);
    expect(await staffChat().locator('.card').count()).toBe(1);

    // The customer's words were relayed to the staff pane as text, and the manager answers them from there.
    await expect.poll(() => staffChat().innerText()).toContain('💬 #1 Wang Fang (web chat):');
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    await sayAsStaff('/reply #1 Sorry to hear that, we will call you today');
    await expect.poll(() => staffChat().innerText()).toContain('Sent to #1 Wang Fang (web chat).');
    await expect
      .poll(() => page.locator('#customer-chat').innerText(), { timeout: 10_000 })
      .toContain('Sorry to hear that, we will call you today');

    await page.click('#digest-preview');
    expect(await page.getAttribute('#tab-group', 'aria-selected')).toBe('true');
    const digest = staffChat().locator('.msg[data-from="liaison"]').last();
    await expect.poll(() => digest.innerText(), { timeout: 20_000 }).toContain('Customer digest');
    expect(await digest.innerText()).toContain('New customers: 1');
    const chart = digest.locator('img.chart');
    await expect
      .poll(() => chart.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), {
        timeout: 20_000,
      })
      .toBeGreaterThan(0);

    mkdirSync(ARTEFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTEFACTS, 'playground.png'), fullPage: true });
    expect(existsSync(join(ARTEFACTS, 'playground.png'))).toBe(true);
    expect(pageErrors).toEqual([]);
  }, 90_000);

  it('speaks Chinese to a Chinese browser, in a font stack that renders it, and switches to English', async () => {
    // A browser whose language is Chinese: its own Accept-Language and navigator.language.
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox'],
    });
    const zh = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    zh.on('pageerror', (error) => pageErrors.push(error.message));
    await zh.goto(`${h.url}/playground`);
    await zh.locator('body[data-ready="true"]').waitFor();
    expect(await zh.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await zh.locator('.banner').innerText()).toContain('本地演练场');
    expect(await zh.locator('#staff-send').innerText()).toBe('发送');
    await expect.poll(() => zh.locator('#status').innerText()).toContain('仅限本机');
    expect(await zh.locator('#staff-select option:checked').innerText()).toBe(
      'Playground manager · 经理 · Playground',
    );
    const fonts = await zh.evaluate(() => getComputedStyle(document.body).fontFamily);
    expect(fonts).toMatch(/"PingFang SC".*"Microsoft YaHei".*"Noto Sans CJK SC".*sans-serif$/);
    expect(
      await zh.evaluate(() => getComputedStyle(document.querySelector('input') as Element).fontFamily),
    ).toBe(fonts);

    await zh.click('#switch-language');
    await zh.locator('body[data-ready="true"]').waitFor();
    expect(await zh.getAttribute('html', 'lang')).toBe('en');
    expect(await zh.locator('#staff-send').innerText()).toBe('Send');
    expect(pageErrors).toEqual([]);
    await browser.close();
  }, 60_000);
});
