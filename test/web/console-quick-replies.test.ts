import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness } from '../helpers/harness.ts';
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

// The quick replies screen: its JSON routes as its page calls them, on every database, and the page in Chromium;
// what they change is what `/quick` lists in the chat.

type Item = { id: number; key: string; text: string; team: { id: number; name: string | null } | null };

describe.each(serverDialectsUnderTest())('the console’s quick replies on $name', (dialect) => {
  let h: Harness;
  const chat = () => telegramDriver(h);
  const list = async (web: WebClient) => {
    const res = await web.request('/app/api/console/quick-replies');
    expect(res.status).toBe(200);
    return ((await res.json()) as { items: Item[] }).items;
  };

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
  }, 90_000);
  afterAll(async () => {
    await h?.close();
  });

  it("adds, edits and deletes a team's quick reply, each showing in the rep's /quick", async () => {
    const manager = await signInByLink(h, GZ_MANAGER);
    const owners = (await (await manager.request('/app/api/console/quick-replies/owners')).json()) as {
      organisation: boolean;
      teams: Array<{ id: number; name: string }>;
    };
    expect(owners).toMatchObject({ organisation: false, teams: [{ name: '广州组' }] });

    const added = await manager.request('/app/api/console/quick-replies', {
      json: { key: 'Price', text: '{name}您好，企业版每年12000元。' },
    });
    expect(added.status).toBe(201);
    const item = (await added.json()) as Item;
    expect(item).toMatchObject({ key: 'price', team: { name: '广州组' } });
    expect(await chat().ask(GZ_REP, '/quick')).toContain(':price（广州组');

    const edited = await manager.request(`/app/api/console/quick-replies/${item.id}`, {
      method: 'PUT',
      json: { key: '报价', text: '{name}您好，企业版每年9800元。' },
    });
    expect(edited.status).toBe(200);
    const listed = await chat().ask(GZ_REP, '/quick');
    expect(listed).toContain(':报价（广州组');
    expect(listed).toContain('9800');
    expect(listed).not.toContain(':price');

    // The other team's manager does not see it, so cannot change or delete it.
    const other = await signInByLink(h, SZ_MANAGER);
    expect((await list(other)).map((q) => q.id)).not.toContain(item.id);
    const foreign = await other.request(`/app/api/console/quick-replies/${item.id}`, {
      method: 'PUT',
      json: { key: 'x', text: 'y' },
    });
    expect(foreign.status).toBe(404);
    expect(
      (await other.request(`/app/api/console/quick-replies/${item.id}`, { method: 'DELETE' })).status,
    ).toBe(404);
    const forged = await manager.request(`/app/api/console/quick-replies/${item.id}`, {
      method: 'DELETE',
      csrf: null,
    });
    expect(forged.status).toBe(403);

    const removed = await manager.request(`/app/api/console/quick-replies/${item.id}`, { method: 'DELETE' });
    expect(await removed.json()).toEqual({ deleted: true, id: item.id });
    expect(await chat().ask(GZ_REP, '/quick')).not.toContain('报价');
    const audit = await h.db
      .selectFrom('audit_log')
      .select(['action', 'via'])
      .where('subject_kind', '=', 'quick_reply')
      .where('subject_id', '=', String(item.id))
      .orderBy('id')
      .execute();
    expect(audit.map((a) => `${a.action} ${a.via}`)).toEqual([
      'quick_reply.added web',
      'quick_reply.changed web',
      'quick_reply.removed web',
    ]);
  });

  it("keeps the organisation's quick replies to directors and admins, and keys unique within a team", async () => {
    const admin = await signInByLink(h, ADMIN);
    const org = await admin.request('/app/api/console/quick-replies', {
      json: { key: 'hello', text: '您好 {name}', teamId: null },
    });
    expect(org.status).toBe(201);
    const hello = (await org.json()) as Item;
    expect(hello.team).toBeNull();

    const manager = await signInByLink(h, GZ_MANAGER);
    // A manager reads the organisation's but may not change it, nor add to it.
    expect((await list(manager)).map((q) => q.key)).toContain('hello');
    const change = await manager.request(`/app/api/console/quick-replies/${hello.id}`, {
      method: 'PUT',
      json: { key: 'hello', text: '改了' },
    });
    expect(change.status).toBe(403);
    const toOrg = await manager.request('/app/api/console/quick-replies', {
      json: { key: 'bye', text: '再见', teamId: null },
    });
    expect(toOrg.status).toBe(403);

    const a = (await (
      await manager.request('/app/api/console/quick-replies', { json: { key: 'a', text: 'A' } })
    ).json()) as Item;
    await manager.request('/app/api/console/quick-replies', { json: { key: 'b', text: 'B' } });
    const clash = await manager.request(`/app/api/console/quick-replies/${a.id}`, {
      method: 'PUT',
      json: { key: 'b', text: 'A' },
    });
    expect(clash.status).toBe(409);
    expect(await clash.json()).toMatchObject({ error: 'key_taken', field: 'key' });
    const badKey = await manager.request('/app/api/console/quick-replies', {
      json: { key: 'no spaces', text: 'x' },
    });
    expect(badKey.status).toBe(400);

    const rep = await signInByLink(h, GZ_REP);
    expect((await rep.request('/app/api/console/quick-replies')).status).toBe(403);
    const repAdd = await rep.request('/app/api/console/quick-replies', { json: { key: 'r', text: 'r' } });
    expect(repAdd.status).toBe(403);
  });
});

const hasChromium = existsSync(CHROMIUM);
const sqlite = serverDialectsUnderTest().filter((d) => d.name === 'sqlite');

describe.skipIf(!hasChromium).each(sqlite)('the quick replies screen, in Chromium, on $name', (dialect) => {
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
      '/quick add hello 您好，{name}！有什么可以帮您？',
    ])
      await chat().ask(ADMIN, line);
    browser = await launchChromium();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it("lets a manager add, edit and delete their team's quick reply, and the rep's /quick follows", async () => {
    const page = await signInInBrowser(browser, h, base, GZ_MANAGER);
    const problems = watchProblems(page);
    await page.goto(`${base}/app/console/quick-replies`);
    // The organisation's, made by an admin: the manager reads it, placeholder marked, but may not change it.
    const hello = page.locator('tr.quick-reply[data-key="hello"]');
    expect(await hello.locator('mark.placeholder').textContent()).toBe('{name}');
    expect(await hello.locator('button.edit').count()).toBe(0);

    await page.locator('#quick-key').fill('price');
    await page.locator('#quick-text').fill('{name}您好，企业版每年12000元。');
    await page.locator('#quick-add').click();
    await expect.poll(() => page.locator('#status').textContent()).toBe('已添加。');
    const price = page.locator('tr.quick-reply[data-key="price"]');
    expect(await price.locator('mark.placeholder').textContent()).toBe('{name}');
    expect(await price.textContent()).toContain('广州组');
    expect(await chat().ask(GZ_REP, '/quick')).toContain(':price（广州组');

    await price.locator('button.edit').click();
    await page.locator('tr.editing textarea.edit-text').fill('{name}您好，企业版每年9800元。');
    await page.locator('tr.editing button.save').click();
    await expect.poll(() => page.locator('#status').textContent()).toBe('已保存。');
    expect(await price.locator('.text').textContent()).toBe('{name}您好，企业版每年9800元。');
    expect(await chat().ask(GZ_REP, '/quick')).toContain('9800');
    await screenshot(page, 'console-quick-replies');

    await price.locator('button.remove').click();
    await expect.poll(() => page.locator('#status').textContent()).toBe('已删除。');
    expect(await price.count()).toBe(0);
    expect(await chat().ask(GZ_REP, '/quick')).not.toContain(':price');
    expect(problems).toEqual([]);
    await page.context().close();
  }, 90_000);
});
