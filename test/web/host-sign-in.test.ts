import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../src/core/kernel/i18n/index.ts';
import { postTelegramPrivate, telegramCustomer, telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import {
  BOT_TOKEN,
  FEISHU_ENV,
  FIXTURE_TIME,
  type Harness,
  startHarness,
  WECOM_ENV,
  waitFor,
} from '../helpers/harness.ts';
import { wecomRequest } from '../helpers/wecom-callbacks.ts';
import { installSignIn } from './fake-wecom-sign-in.ts';
import {
  CHROMIUM,
  freePort,
  launchChromium,
  screenshot,
  sidebarContext,
  watchProblems,
} from './panel-browser.ts';
import { FEISHU_ZHANG_SAN, PUBLIC_URL, signInitData, WEB_ENV, WECOM_MEMBER } from './web-client.ts';

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`Host sign-in browser test skipped: ${CHROMIUM} is missing.`);

const ADMIN = '5123456789';
const ZHANG_SAN = { id: Number(ADMIN), first_name: '张三', language_code: 'zh-hans' };
/** The fixtures' WeCom external contact 王芳 (event-add-external-contact, externalcontact/get). */
const WECOM_CONTACT = 'wmEAlECwAAHb8rJz0uVq3nTk1aLpXcAA';
const zh = messages('zh');

/** A Mini App's launch fragment, as Telegram appends it to the page's address. */
const launchFragment = (initData: string) =>
  `#tgWebAppData=${encodeURIComponent(initData)}&tgWebAppVersion=8.0&tgWebAppPlatform=tdesktop`;
const initData = (startParam: string, token = BOT_TOKEN) =>
  signInitData(
    [
      ['user', JSON.stringify(ZHANG_SAN)],
      ['auth_date', String(FIXTURE_TIME / 1000)],
      ['start_param', startParam],
    ],
    token,
  );

// The page is the same on every database; the sign-in routes are what it drives, on the server's database.
const sqlite = serverDialectsUnderTest().filter((d) => d.name === 'sqlite');

describe.skipIf(!hasChromium).each(sqlite)(
  'the panel signing in by its host, in Chromium, on $name',
  (dialect) => {
    let h: Harness;
    let browser: Browser;
    let base: string;
    let liLei: number;
    let codes: ReturnType<typeof installSignIn>['codes'];

    beforeAll(async () => {
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      h = await startHarness(dialect, {
        clockAt: FIXTURE_TIME,
        wecom: true,
        feishu: true,
        env: { PORT: String(port), PUBLIC_URL: base, ADMIN_IDS: WEB_ENV.ADMIN_IDS },
      });
      ({ codes } = installSignIn(h.wecom));
      liLei = await telegramCustomer(h, '7200000001', '李雷', '你好，我想了解一下报价');
      const add = wecomRequest('post-event-add-external-contact.json');
      await fetch(`${h.url}/webhooks/wecom?${add.rawQuery}`, { method: 'POST', body: add.body });
      await waitFor(() =>
        h.db
          .selectFrom('identities')
          .select('customer_id')
          .where('external_id', '=', WECOM_CONTACT)
          .executeTakeFirst(),
      );
      browser = await launchChromium();
    }, 90_000);

    afterAll(async () => {
      await browser?.close();
      await h?.close();
    });

    const signInPosts = (page: Page) => {
      const posts: string[] = [];
      page.on('request', (req) => {
        if (req.method() === 'POST' && new URL(req.url()).pathname.startsWith('/app/sign-in/'))
          posts.push(new URL(req.url()).pathname);
      });
      return posts;
    };
    const host = (page: Page) =>
      page.evaluate(async () => ((await (await fetch('/app/me')).json()) as { host?: string }).host);

    it('signs in as a Telegram Mini App from the launch fragment and opens the start parameter’s customer', async () => {
      const context = await sidebarContext(browser);
      const page = await context.newPage();
      const problems = watchProblems(page);
      await page.goto(`${base}/app${launchFragment(initData(`c${liLei}`))}`);
      await expect.poll(() => page.locator('#customer-name').textContent()).toBe('李雷');
      expect(await host(page)).toBe('telegram');
      await screenshot(page, 'host-telegram-mini-app');
      expect(problems.filter((p) => !/401/.test(p))).toEqual([]);
      await context.close();
    }, 60_000);

    it('shows the signed-out page for forged launch data, and for a plain browser without asking anyone', async () => {
      const context = await sidebarContext(browser);
      const forged = await context.newPage();
      const posts = signInPosts(forged);
      await forged.goto(
        `${base}/app${launchFragment(initData(`c${liLei}`, '7099999999:AAFc2cZobEi_other'))}`,
      );
      await expect.poll(() => forged.locator('.problem').textContent()).toBe(zh.webApp.panel.signedOut);
      expect(posts).toEqual(['/app/sign-in/telegram']);
      expect(await forged.locator('#customer-name').count()).toBe(0);
      expect(await forged.content()).not.toContain('李雷');

      const plain = await context.newPage();
      const none = signInPosts(plain);
      await plain.goto(`${base}/app?customer=${liLei}`);
      await expect.poll(() => plain.locator('.problem').textContent()).toBe(zh.webApp.panel.signedOut);
      expect(none).toEqual([]);
      await context.close();
    }, 60_000);

    it('in WeCom, goes for an OAuth code, signs in with it and opens the customer being chatted with', async () => {
      const context = await sidebarContext(browser);
      const page = await context.newPage();
      await page.addInitScript((userId: string) => {
        Object.assign(window, {
          ww: {
            getCurExternalContact: async () => ({ userId }),
            sendChatMessage: async () => ({ errMsg: 'sendChatMessage:ok' }),
          },
        });
      }, WECOM_CONTACT);
      // WeCom's authorize page, played by the test; it then sends the member back to the page with a fresh code.
      const authorized: URL[] = [];
      await page.route('https://open.weixin.qq.com/**', async (route) => {
        authorized.push(new URL(route.request().url()));
        await route.fulfill({ status: 200, contentType: 'text/html', body: '<p>authorize</p>' });
      });
      await page.goto(`${base}/app?entry=single_chat_tools`);
      await page.waitForURL(/^https:\/\/open\.weixin\.qq\.com\//);
      // The fragment stays in the browser (no request carries it): read off the address the page went to.
      expect(new URL(page.url()).hash).toBe('#wechat_redirect');
      const back = new URL(authorized[0]?.searchParams.get('redirect_uri') ?? '');
      codes.set('code-sidebar', { userid: WECOM_MEMBER });
      back.searchParams.set('code', 'code-sidebar');
      back.searchParams.set('state', authorized[0]?.searchParams.get('state') ?? '');
      await page.goto(back.href);
      await expect.poll(() => page.locator('#customer-name').textContent()).toBe('王芳');
      const asked = authorized[0];
      expect(asked?.pathname).toBe('/connect/oauth2/authorize');
      expect(Object.fromEntries(asked?.searchParams ?? [])).toEqual({
        appid: WECOM_ENV.WECOM_CORP_ID,
        redirect_uri: `${base}/app?entry=single_chat_tools`,
        response_type: 'code',
        scope: 'snsapi_base',
        state: 'liaison',
        agentid: WECOM_ENV.WECOM_AGENT_ID,
      });
      expect(h.wecom.callsTo('/cgi-bin/auth/getuserinfo').at(-1)?.query.code).toBe('code-sidebar');
      // The used code is off the address: a reload does not offer it again.
      expect(page.url()).toBe(`${base}/app?entry=single_chat_tools`);
      expect(await host(page)).toBe('wecom');
      expect(authorized).toHaveLength(1);
      await screenshot(page, 'host-wecom-sidebar');
      await context.close();
    }, 60_000);

    it('in WeCom, a refused code shows the signed-out page instead of going round again', async () => {
      const context = await sidebarContext(browser);
      const page = await context.newPage();
      await page.addInitScript(() => {
        Object.assign(window, { ww: { getCurExternalContact: async () => ({ userId: 'x' }) } });
      });
      let authorizeTrips = 0;
      await page.route('https://open.weixin.qq.com/**', async (route) => {
        authorizeTrips++;
        await route.abort();
      });
      await page.goto(`${base}/app?code=never-issued&state=liaison`);
      await expect.poll(() => page.locator('.problem').textContent()).toBe(zh.webApp.panel.signedOut);
      expect(authorizeTrips).toBe(0);
      await context.close();
    }, 60_000);

    it('in Feishu, asks the client’s SDK for a code for this app and signs in with it', async () => {
      h.feishu.authCodes.set('code-feishu-page', FEISHU_ZHANG_SAN);
      const context = await sidebarContext(browser);
      const page = await context.newPage();
      await page.addInitScript(() => {
        const asked: unknown[] = [];
        Object.assign(window, {
          __asked: asked,
          h5sdk: { ready: (f: () => void) => setTimeout(f, 10) },
          tt: {
            requestAccess: (o: {
              appID: string;
              scopeList: string[];
              success(r: { code: string }): void;
            }) => {
              asked.push({ appID: o.appID, scopeList: o.scopeList });
              o.success({ code: 'code-feishu-page' });
            },
          },
        });
      });
      await page.goto(`${base}/app`);
      await expect.poll(() => page.locator('#search-text').count()).toBe(1);
      expect(await host(page)).toBe('feishu');
      expect(await page.evaluate(() => (window as unknown as { __asked: unknown[] }).__asked)).toEqual([
        { appID: FEISHU_ENV.FEISHU_APP_ID, scopeList: [] },
      ]);
      await context.close();
    }, 60_000);

    it('tells the client public ids only, and sets no Telegram menu button over plain http', async () => {
      const config = (await (await fetch(`${h.url}/app/host-config`)).json()) as Record<string, unknown>;
      expect(config).toEqual({
        telegram: {},
        wecom: { corpId: WECOM_ENV.WECOM_CORP_ID, agentId: WECOM_ENV.WECOM_AGENT_ID },
        feishu: { appId: FEISHU_ENV.FEISHU_APP_ID },
      });
      expect(h.telegram.callsTo('setChatMenuButton')).toEqual([]);
      await telegramDriver(h).ask(ADMIN, `/show #${liLei}`);
      const card = h.telegram.callsTo('sendMessage').findLast((c) => String(c.body.chat_id) === ADMIN);
      expect(card?.body.text).toContain('李雷');
      expect(card?.body.reply_markup).toBeUndefined();
    }, 30_000);
  },
);

describe.each(serverDialectsUnderTest())('opening the panel from Telegram on $name', (dialect) => {
  let h: Harness;
  let liLei: number;
  beforeAll(async () => {
    h = await startHarness(dialect, { clockAt: FIXTURE_TIME, env: WEB_ENV });
    liLei = await telegramCustomer(h, '7200000001', '李雷', '你好');
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it('sets the bot’s menu button to the panel at start', async () => {
    const set = await waitFor(() => h.telegram.callsTo('setChatMenuButton')[0]);
    expect(set.body).toEqual({
      menu_button: { type: 'web_app', text: zh.card.openPanel, web_app: { url: `${PUBLIC_URL}/app` } },
    });
  });

  it('puts a Mini App button for the customer’s panel under /show in a staff member’s private chat', async () => {
    expect(await telegramDriver(h).ask(ADMIN, `/show #${liLei}`)).toContain('李雷');
    const card = h.telegram.callsTo('sendMessage').findLast((c) => String(c.body.chat_id) === ADMIN);
    expect(card?.body.reply_markup).toEqual({
      inline_keyboard: [
        [{ text: zh.card.openPanel, web_app: { url: `${PUBLIC_URL}/app?customer=${liLei}` } }],
      ],
    });
    // Words in the asker's language.
    await telegramDriver(h).ask(ADMIN, `/show #${liLei}`, 'en');
    const en = h.telegram.callsTo('sendMessage').findLast((c) => String(c.body.chat_id) === ADMIN);
    expect(JSON.stringify(en?.body.reply_markup)).toContain(messages('en').card.openPanel);
    // Back to Chinese: the staff member's language follows their client's.
    await telegramDriver(h).ask(ADMIN, `/show #${liLei}`);
  });

  it('puts the same button under a customer’s message relayed to staff, and none in the customer’s own chat', async () => {
    await postTelegramPrivate(h, '7200000001', '李雷', '合同什么时候能发？');
    const relayed = await waitFor(() =>
      h.telegram
        .callsTo('sendMessage')
        .find((c) => String(c.body.chat_id) === ADMIN && String(c.body.text).includes('合同什么时候能发')),
    );
    expect(relayed.body.reply_markup).toEqual({
      inline_keyboard: [
        [{ text: zh.card.openPanel, web_app: { url: `${PUBLIC_URL}/app?customer=${liLei}` } }],
      ],
    });
    const toCustomer = h.telegram
      .callsTo('sendMessage')
      .filter((c) => String(c.body.chat_id) === '7200000001');
    expect(toCustomer.every((c) => c.body.reply_markup === undefined)).toBe(true);
  });
});
