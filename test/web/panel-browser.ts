import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { telegramDriver } from '../helpers/chat-driver.ts';
import type { DialectUnderTest } from '../helpers/databases.ts';
import { ADMIN_IDS, FIXTURE_TIME, type Harness, startHarness } from '../helpers/harness.ts';

// Chromium for the panel's tests, launched as test/playground does: Debian's package, never a download.

export const CHROMIUM = '/usr/bin/chromium';
export const ARTEFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

export function launchChromium(): Promise<Browser> {
  mkdirSync(ARTEFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
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
}

/** A context the size of WeCom's chat sidebar, in Chinese. */
export const sidebarContext = (browser: Browser): Promise<BrowserContext> =>
  browser.newContext({ viewport: { width: 360, height: 900 }, locale: 'zh-CN' });

/** A free loopback port: the server is started on it so PUBLIC_URL (cookies, Origin) is what the browser opens. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Page errors and failed requests, so a test can say the page ran clean (a CSP violation shows as a console error). */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of 404/.test(message.text())) problems.push(message.text());
  });
  return problems;
}

/** The bytes of the app's own scripts and styles a page loads, gzipped as a server would send them. */
export function watchAssetBytes(page: Page): () => Promise<{ files: string[]; gzipped: number }> {
  const loads: Array<Promise<{ url: string; gz: number }>> = [];
  page.on('response', (res) => {
    const url = new URL(res.url());
    if (!url.pathname.startsWith('/app/assets/') || !/\.(js|css)$/.test(url.pathname)) return;
    loads.push(res.body().then((body) => ({ url: url.pathname, gz: gzipSync(body, { level: 9 }).length })));
  });
  return async () => {
    const done = await Promise.all(loads);
    return { files: done.map((d) => d.url), gzipped: done.reduce((sum, d) => sum + d.gz, 0) };
  };
}

/** A full-page screenshot under test-artifacts/, once the page's fonts are in (the CJK fallback on a bare system). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.evaluate(async () => {
    // The CJK fallback face is fetched on first use; ask for it outright so the shot never catches boxes.
    for (const weight of ['normal', 'bold'])
      await document.fonts.load(`${weight} 16px "Liaison CJK fallback"`, '中文').catch(() => []);
    await document.fonts.ready;
  });
  await page.screenshot({ path: `${ARTEFACTS}${name}.png`, fullPage: true });
}

/**
 * A page signed in as this Telegram staff member through `/web` (the one-time link, opened and confirmed in the
 * browser), at a desktop size unless told otherwise; `base` is the app's address (its PUBLIC_URL).
 */
export async function signInInBrowser(
  browser: Browser,
  h: Harness,
  base: string,
  telegramId: string,
  options: { width?: number; height?: number; locale?: string } = {},
): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    locale: options.locale ?? 'zh-CN',
  });
  const reply = await telegramDriver(h).ask(telegramId, '/web');
  const link = /https?:\/\/\S+/.exec(reply)?.[0] ?? '';
  const page = await context.newPage();
  await page.goto(link);
  await page.locator('form[action="/app/sign-in/link"] button').click();
  await page.waitForURL(`${base}/app`);
  return page;
}

/**
 * The app started for a browser: on a free loopback port that its PUBLIC_URL (`base`) names, so cookies and Origin
 * checks see what the browser opens; the clock at the fixtures' time, the test admins as ADMIN_IDS. A port taken
 * between choosing it and listening on it (another test run) is chosen again.
 */
export async function startServedHarness(
  dialect: DialectUnderTest,
  options: { wecom?: boolean; feishu?: boolean } = {},
): Promise<{ h: Harness; base: string }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    try {
      const h = await startHarness(dialect, {
        clockAt: FIXTURE_TIME,
        ...options,
        env: { PORT: String(port), PUBLIC_URL: base, ADMIN_IDS },
      });
      return { h, base };
    } catch (error) {
      if (attempt >= 3 || !/EADDRINUSE/.test(String(error))) throw error;
    }
  }
}
