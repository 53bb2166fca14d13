import { existsSync } from 'node:fs';
import jsQR from 'jsqr';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postTelegramPrivate, telegramDriver, wecomDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { installContactWays } from '../helpers/fake-wecom-contact-way.ts';
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
import { signInByLink, WEB_ENV, type WebClient } from './web-client.ts';

// The channel codes screen: its JSON routes as its page calls them, on every database; the page itself in Chromium.

type Code = {
  id: number;
  code: string;
  name: string;
  platform: string;
  active: boolean;
  staff: { id: number; name: string } | null;
  welcome: string | null;
  link: string | null;
  picture: string | null;
  customers: { first: number; any: number };
};

describe.each(serverDialectsUnderTest())('the console’s channel codes on $name', (dialect) => {
  let h: Harness;
  let gzRep = 0;
  const chat = () => telegramDriver(h);
  const list = async (web: WebClient) => {
    const res = await web.request('/app/api/console/channels');
    expect(res.status).toBe(200);
    return ((await res.json()) as { items: Code[] }).items;
  };
  /** A create as the page sends it, with an Idempotency-Key of the test's choosing. */
  const create = (web: WebClient, body: object, key?: string) =>
    fetch(`${h.url}/app/api/console/channels`, {
      method: 'POST',
      headers: {
        cookie: [...web.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        origin: WEB_ENV.PUBLIC_URL,
        'x-csrf-token': web.csrf,
        'content-type': 'application/json',
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    h = await startHarness(dialect, { clockAt: FIXTURE_TIME, env: WEB_ENV, wecom: true, feishu: true });
    installContactWays(h.wecom);
    for (const line of [
      '/team add 广州组',
      '/team add 深圳组',
      `/staff add telegram:${GZ_MANAGER} manager 广州组`,
      `/staff add telegram:${SZ_MANAGER} manager 深圳组`,
      `/staff add telegram:${GZ_REP} rep 广州组`,
    ])
      await chat().ask(ADMIN, line);
    gzRep = (
      await h.db
        .selectFrom('staff_identities')
        .select('staff_id')
        .where('external_id', '=', GZ_REP)
        .executeTakeFirstOrThrow()
    ).staff_id;
  }, 90_000);
  afterAll(async () => {
    await h?.close();
  });

  it('lets a manager make a Telegram code for their rep, counts the customer its deep link brings, and deactivates it', async () => {
    const manager = await signInByLink(h, GZ_MANAGER);
    const body = {
      name: '春季展会',
      kind: 'event',
      platform: 'telegram',
      staff: [gzRep],
      welcome: '{name}您好',
      tags: ['展会', '2026春'],
    };
    const made = await create(manager, body, 'expo-1');
    expect(made.status).toBe(201);
    const code = (await made.json()) as Code;
    expect(code.link).toBe(`https://t.me/LiaisonCrmBot?start=${code.code}`);
    expect(code).toMatchObject({ platform: 'telegram', active: true, picture: null, welcome: '{name}您好' });
    // A retry of the same request answers with the same code instead of a second one.
    const again = await create(manager, body, 'expo-1');
    expect(((await again.json()) as Code).id).toBe(code.id);
    expect((await list(manager)).filter((c) => c.name === '春季展会')).toHaveLength(1);

    await postTelegramPrivate(h, '7300000001', '新客户', `/start ${code.code}`);
    await waitFor(
      async () => ((await list(manager)).find((c) => c.id === code.id)?.customers.first ?? 0) > 0,
    );
    const shown = (await list(manager)).find((c) => c.id === code.id);
    expect(shown).toMatchObject({
      customers: { first: 1, any: 1 },
      staff: { id: gzRep },
      tags: ['展会', '2026春'],
    });
    // The customer it brought carries its tags (a rule's, naming the code), as /show tells the rep.
    // The source is written first, then its tags: wait for both.
    const tagged = await waitFor(async () => {
      const rows = await h.db
        .selectFrom('customer_tags')
        .innerJoin('tags', 'tags.id', 'customer_tags.tag_id')
        .innerJoin('identities', 'identities.customer_id', 'customer_tags.customer_id')
        .select(['tags.name', 'customer_tags.source_ref'])
        .where('identities.external_id', '=', '7300000001')
        .orderBy('tags.name')
        .execute();
      return rows.length >= 2 ? rows : undefined;
    });
    expect(tagged).toEqual([
      { name: '2026春', source_ref: `channel:${code.code}` },
      { name: '展会', source_ref: `channel:${code.code}` },
    ]);

    // Another team's manager neither sees nor switches it off.
    const other = await signInByLink(h, SZ_MANAGER);
    expect((await list(other)).map((c) => c.id)).not.toContain(code.id);
    expect((await other.request(`/app/api/console/channels/${code.id}`, { method: 'DELETE' })).status).toBe(
      404,
    );
    // Nor may anyone without the CSRF token.
    const forged = await manager.request(`/app/api/console/channels/${code.id}`, {
      method: 'DELETE',
      csrf: null,
    });
    expect(forged.status).toBe(403);

    const off = await manager.request(`/app/api/console/channels/${code.id}`, { method: 'DELETE' });
    expect(await off.json()).toEqual({ id: code.id, active: false, changed: true });
    expect((await list(manager)).find((c) => c.id === code.id)?.active).toBe(false);
    const twice = await manager.request(`/app/api/console/channels/${code.id}`, { method: 'DELETE' });
    expect(await twice.json()).toMatchObject({ changed: false });
    const audit = await h.db
      .selectFrom('audit_log')
      .select(['action', 'via'])
      .where('subject_kind', '=', 'channel_code')
      .where('subject_id', '=', String(code.id))
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      { action: 'channel_code.created', via: 'web' },
      { action: 'channel_code.deactivated', via: 'web' },
    ]);
  });

  it('refuses staff the manager does not manage, bad forms, and a rep', async () => {
    const other = await signInByLink(h, SZ_MANAGER);
    const notTheirs = await create(other, { name: 'x', kind: 'rep', platform: 'telegram', staff: [gzRep] });
    expect(notTheirs.status).toBe(403);
    const bad = await create(other, { name: '', kind: 'rep', platform: 'telegram' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ field: 'name' });
    const referral = await create(other, { name: 'x', kind: 'referral', platform: 'telegram' });
    expect(referral.status).toBe(400);

    const rep = await signInByLink(h, GZ_REP);
    for (const path of ['/app/api/console/channels', '/app/api/console/channels/options'])
      expect((await rep.request(path)).status).toBe(403);
    const res = await create(rep, { name: 'x', kind: 'rep', platform: 'telegram' });
    expect(res.status).toBe(403);
    expect(await h.db.selectFrom('channel_codes').select('id').where('name', '=', 'x').execute()).toEqual([]);
  });

  it("shows WeCom's contact-me picture only from WeCom's https hosts", async () => {
    await wecomDriver(h).ask('zhangsan', '/help');
    const admin = await signInByLink(h, ADMIN);
    const options = (await (await admin.request('/app/api/console/channels/options')).json()) as {
      platforms: Array<{ platform: string; by: string }>;
      staff: Array<{ id: number; name: string; platforms: string[] }>;
    };
    expect(options.platforms.map((p) => p.platform)).toEqual(expect.arrayContaining(['telegram', 'wecom']));
    const zhangsan = options.staff.find((s) => s.platforms.includes('wecom'));
    expect(zhangsan).toBeDefined();
    const made = await create(admin, {
      name: '张三活码',
      kind: 'rep',
      platform: 'wecom',
      staff: [zhangsan?.id],
    });
    expect(made.status).toBe(201);
    const code = (await made.json()) as Code;
    expect(code.picture).toMatch(/^https:\/\/wwcdn\.weixin\.qq\.com\/contact_me\/cfg\d+\.png$/);
    // Stored as plain http (or anywhere else), it is not shown as a picture: the page draws the link instead.
    await h.db
      .updateTable('channel_codes')
      .set({ link: 'http://p.qpic.cn/x/0' })
      .where('id', '=', code.id)
      .execute();
    const shown = (await list(admin)).find((c) => c.id === code.id);
    expect(shown).toMatchObject({ picture: null, link: 'http://p.qpic.cn/x/0' });
    await h.db
      .updateTable('channel_codes')
      .set({ link: 'https://evil.example/weixin.qq.com.png' })
      .where('id', '=', code.id)
      .execute();
    expect((await list(admin)).find((c) => c.id === code.id)?.picture).toBeNull();

    // A Feishu code has no link to draw: it names the external chat it is bound to.
    const feishu = await create(admin, {
      name: '飞书群',
      kind: 'event',
      platform: 'feishu',
      chatId: 'oc_expo',
    });
    expect(feishu.status).toBe(201);
    expect(await feishu.json()).toMatchObject({ link: null, picture: null, chat: 'oc_expo' });
    const unbound = await create(admin, { name: '飞书群2', kind: 'event', platform: 'feishu' });
    expect(unbound.status).toBe(400);
    expect(await unbound.json()).toMatchObject({ field: 'chatId' });
  });
});

const hasChromium = existsSync(CHROMIUM);
const sqlite = serverDialectsUnderTest().filter((d) => d.name === 'sqlite');

/** What a QR code picture in the page says: drawn on a canvas there, its pixels decoded here by jsQR. */
async function decodeInPage(page: Page, src: string): Promise<string | null> {
  const image = await page.evaluate(async (href) => {
    const img = new Image();
    img.src = href;
    await img.decode();
    // Drawn at 4× an SVG's own size, on white, as a camera would see it printed.
    const scale = img.naturalWidth < 100 ? 4 : 1;
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth * scale;
    canvas.height = img.naturalHeight * scale;
    const ctx = canvas.getContext('2d');
    if (!ctx) return null;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height);
    return { width: data.width, height: data.height, pixels: Array.from(data.data) };
  }, src);
  if (!image) return null;
  return jsQR(Uint8ClampedArray.from(image.pixels), image.width, image.height)?.data ?? null;
}

describe.skipIf(!hasChromium).each(sqlite)('the channel codes screen, in Chromium, on $name', (dialect) => {
  let h: Harness;
  let browser: Browser;
  let base: string;
  const chat = () => telegramDriver(h);

  beforeAll(async () => {
    ({ h, base } = await startServedHarness(dialect));
    for (const line of [
      '/team add 广州组',
      `/staff add telegram:${GZ_MANAGER} manager 广州组`,
      `/staff add telegram:${GZ_REP} rep 广州组`,
    ])
      await chat().ask(ADMIN, line);
    browser = await launchChromium();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('lets a manager make a Telegram code whose QR code opens its deep link, count who came, and switch it off', async () => {
    const page = await signInInBrowser(browser, h, base, GZ_MANAGER);
    const problems = watchProblems(page);
    await page.goto(`${base}/app/console/channels`);
    await page.locator('#channel-name').fill('春季展会');
    await page.locator('#channel-platform').selectOption('telegram');
    await page.locator('#channel-kind').selectOption('event');
    const rep = await h.db
      .selectFrom('staff_identities')
      .select('staff_id')
      .where('external_id', '=', GZ_REP)
      .executeTakeFirstOrThrow();
    await page.locator('#channel-staff').selectOption(String(rep.staff_id));
    await page.locator('#channel-welcome').fill('{name}您好，欢迎来到展台！');
    await page.locator('#channel-tags').fill('展会，春季');
    await page.locator('#channel-create').click();
    await expect.poll(() => page.locator('#status').textContent()).toBe('已创建。');
    const row = page.locator('tr.channel', { hasText: '春季展会' });
    const code = (await row.getAttribute('data-code')) ?? '';
    const link = `https://t.me/LiaisonCrmBot?start=${code}`;
    expect(code).toMatch(/^[a-z0-9]{12}$/);
    expect(await row.locator('figure.qr').getAttribute('data-text')).toBe(link);
    expect(await row.locator('.count-first').textContent()).toBe('0');
    expect(await row.locator('.tag').allTextContents()).toEqual(['展会', '春季']);

    // The QR code as drawn in the page (its SVG) and as downloaded (the PNG) both read as the deep link.
    const svg = await row.locator('svg.qr-svg').evaluate((el) => new XMLSerializer().serializeToString(el));
    expect(await decodeInPage(page, `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`)).toBe(
      link,
    );
    const png = (await row.locator('a.qr-png-download').getAttribute('href')) ?? '';
    expect(png).toMatch(/^data:image\/png;base64,/);
    expect(await decodeInPage(page, png)).toBe(link);
    expect(await row.locator('a.qr-svg-download').getAttribute('download')).toBe(`${code}.svg`);

    // A customer who opens the link sends `/start <code>`: the screen counts them.
    await postTelegramPrivate(h, '7300000009', '扫码客户', `/start ${code}`);
    await waitFor(() =>
      h.db.selectFrom('customer_sources').select('id').where('code', '=', code).executeTakeFirst(),
    );
    await page.reload();
    await expect.poll(() => row.locator('.count-first').textContent()).toBe('1');
    await screenshot(page, 'console-channels');

    await row.locator('button.deactivate').click();
    await expect.poll(() => page.locator('#status').textContent()).toBe('已停用。');
    expect(await row.getAttribute('class')).toContain('inactive');
    expect(await chat().ask(GZ_MANAGER, `/channel ${code}`)).toContain('已停用');
    expect(problems).toEqual([]);
    await page.context().close();
  }, 90_000);

  it('tells a rep the screen is for managers and above', async () => {
    const page = await signInInBrowser(browser, h, base, GZ_REP);
    const res = await page.goto(`${base}/app/console/channels`);
    expect(res?.status()).toBe(403);
    await page.context().close();
  }, 60_000);
});
