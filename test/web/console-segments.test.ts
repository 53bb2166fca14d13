import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness } from '../helpers/harness.ts';
import { ADMIN, GZ_MANAGER, GZ_REP, SZ_MANAGER, SZ_REP } from './console-people.ts';
import {
  CHROMIUM,
  launchChromium,
  screenshot,
  signInInBrowser,
  startServedHarness,
  watchProblems,
} from './panel-browser.ts';
import { signInByLink, WEB_ENV, type WebClient } from './web-client.ts';

// The segments screen: saved segments with live counts, a new one from the list's filters, rename, delete, open.

const SEGMENTS = '/app/api/console/segments';
const HOUR = 3_600_000;

type Saved = { id: number; name: string; builtin: boolean; count: number | null; changeable: boolean };

interface World {
  /** Customer ids by owner kind, and the interested ones (stage `interested`); customer 3 asked not to be contacted. */
  owned: Record<'gz' | 'sz' | 'pool', number[]>;
  interested: Set<number>;
  dnc: number;
}

async function setUp(h: Harness): Promise<World> {
  for (const line of [
    '/team add 广州组',
    '/team add 深圳组',
    `/staff add telegram:${GZ_MANAGER} manager 广州组`,
    `/staff add telegram:${SZ_MANAGER} manager 深圳组`,
    `/staff add telegram:${GZ_REP} rep 广州组`,
    `/staff add telegram:${SZ_REP} rep 深圳组`,
  ])
    await telegramDriver(h).ask(ADMIN, line);
  const staffOf = async (who: string) =>
    Number(
      (
        await h.db
          .selectFrom('staff_identities')
          .select('staff_id')
          .where('external_id', '=', who)
          .executeTakeFirstOrThrow()
      ).staff_id,
    );
  const gzRep = await staffOf(GZ_REP);
  const szRep = await staffOf(SZ_REP);
  const w: World = { owned: { gz: [], sz: [], pool: [] }, interested: new Set(), dnc: 0 };
  for (let i = 0; i < 18; i++) {
    const kind = (['gz', 'sz', 'pool'] as const)[i % 3] ?? 'pool';
    const stage = i % 2 === 0 ? 'interested' : 'lead';
    const name = `分群客户${String(i).padStart(2, '0')}`;
    const row = await h.db
      .insertInto('customers')
      .values({
        display_name: name,
        company: null,
        phone: null,
        email: null,
        owner_staff_id: kind === 'gz' ? gzRep : kind === 'sz' ? szRep : null,
        stage,
        language: 'zh',
        source: null,
        do_not_contact: i === 6 ? 1 : 0,
        merged_into_id: null,
        origin_key: `console-segments:${i}`,
        search_text: name,
        first_contact_at: FIXTURE_TIME - 40 * 24 * HOUR,
        last_contact_at: FIXTURE_TIME - i * HOUR,
        last_inbound_at: FIXTURE_TIME - i * HOUR,
        last_outbound_at: null,
        created_at: FIXTURE_TIME - 40 * 24 * HOUR,
        updated_at: FIXTURE_TIME - 40 * 24 * HOUR,
        value_tier: null,
        sentiment: null,
        summary: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    w.owned[kind].push(row.id);
    if (stage === 'interested' && i !== 6) w.interested.add(row.id);
    if (i === 6) w.dnc = row.id;
  }
  return w;
}

/** Every customer the console's list shows for a segment (`#id`), all pages. */
async function members(web: WebClient, segmentId: number): Promise<Set<number>> {
  const ids: number[] = [];
  let after: string | null = null;
  do {
    const cursor: string = after ? `&after=${encodeURIComponent(after)}` : '';
    const res = await web.request(`/app/api/console/customers?limit=5&segment=%23${segmentId}${cursor}`);
    expect(res.status).toBe(200);
    const page = (await res.json()) as { items: Array<{ id: number }>; nextCursor: string | null };
    ids.push(...page.items.map((r) => r.id));
    after = page.nextCursor;
  } while (after);
  return new Set(ids);
}

describe.each(serverDialectsUnderTest())('the console segments screen on $name', (dialect) => {
  let h: Harness;
  let w: World;
  const list = async (web: WebClient) => {
    const res = await web.request(SEGMENTS);
    expect(res.status).toBe(200);
    return ((await res.json()) as { items: Saved[] }).items;
  };

  beforeAll(async () => {
    h = await startHarness(dialect, { clockAt: FIXTURE_TIME, env: WEB_ENV });
    w = await setUp(h);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('saves a segment from the list filters; its count and the customer list agree, in each scope', async () => {
    const manager = await signInByLink(h, GZ_MANAGER);
    const made = await manager.request(SEGMENTS, {
      json: { name: '广州意向', filter: { stages: ['interested'] } },
    });
    expect(made.status).toBe(201);
    const { id } = (await made.json()) as { id: number };
    const mine = new Set([...w.owned.gz, ...w.owned.pool].filter((c) => w.interested.has(c)));
    expect((await list(manager)).find((s) => s.id === id)).toMatchObject({
      count: mine.size,
      changeable: true,
    });
    expect(await members(manager, id)).toEqual(mine);
    // The admin counts everyone's; the do-not-contact customer is left out, as outreach leaves them out.
    const admin = await signInByLink(h, ADMIN);
    expect((await list(admin)).find((s) => s.id === id)?.count).toBe(w.interested.size);
    expect(await members(admin, id)).toEqual(w.interested);
    expect(w.interested.has(w.dnc)).toBe(false);
    const unowned = await admin.request(SEGMENTS, {
      json: { name: '公海意向', filter: { stages: ['interested'], unowned: true } },
    });
    const pool = (await unowned.json()) as { id: number };
    expect(await members(admin, pool.id)).toEqual(new Set(w.owned.pool.filter((c) => w.interested.has(c))));
    const audited = await h.db
      .selectFrom('audit_log')
      .select(['action', 'via'])
      .where('subject_kind', '=', 'segment')
      .where('subject_id', '=', String(id))
      .execute();
    expect(audited).toEqual([{ action: 'segment.created', via: 'web' }]);
  });

  it('answers a retry as the first save and refuses a taken name, a bad stage, a rep and a missing CSRF token', async () => {
    const manager = await signInByLink(h, GZ_MANAGER);
    const first = await manager.request(SEGMENTS, {
      json: { name: '广州线索', filter: { stages: ['lead'] } },
    });
    expect(first.status).toBe(201);
    const retry = await manager.request(SEGMENTS, {
      json: { name: '广州线索', filter: { stages: ['lead'] } },
    });
    expect(retry.status).toBe(200);
    expect(((await retry.json()) as { created: boolean }).created).toBe(false);
    const taken = await manager.request(SEGMENTS, { json: { name: '广州线索', filter: {} } });
    expect(taken.status).toBe(409);
    const stage = await manager.request(SEGMENTS, { json: { name: '错阶段', filter: { stages: ['nope'] } } });
    expect(stage.status).toBe(400);
    expect(((await stage.json()) as { error: string }).error).toContain('nope');
    expect((await manager.request(SEGMENTS, { json: { name: '#7', filter: {} } })).status).toBe(400);
    const noCsrf = await manager.request(SEGMENTS, { json: { name: '无令牌', filter: {} }, csrf: null });
    expect(noCsrf.status).toBe(403);
    const rep = await signInByLink(h, GZ_REP);
    expect((await rep.request(SEGMENTS)).status).toBe(403);
    expect((await rep.request(SEGMENTS, { json: { name: '销售的', filter: {} } })).status).toBe(403);
    const saved = await h.db.selectFrom('segments').select('name').execute();
    expect(saved.map((s) => s.name)).not.toContain('无令牌');
    expect(saved.map((s) => s.name)).not.toContain('销售的');
  });

  it("renames and deletes its team's segment; another team's manager cannot; built-ins stay", async () => {
    const manager = await signInByLink(h, GZ_MANAGER);
    const made = await manager.request(SEGMENTS, { json: { name: '待改名', filter: { stages: ['lead'] } } });
    const { id } = (await made.json()) as { id: number };
    const other = await signInByLink(h, SZ_MANAGER);
    expect((await list(other)).some((s) => s.id === id)).toBe(false);
    expect(
      (await other.request(`${SEGMENTS}/${id}`, { method: 'PATCH', json: { name: '抢来' } })).status,
    ).toBe(404);
    expect((await other.request(`${SEGMENTS}/${id}`, { method: 'DELETE' })).status).toBe(404);
    const renamed = await manager.request(`${SEGMENTS}/${id}`, {
      method: 'PATCH',
      json: { name: '广州跟进' },
    });
    expect(renamed.status).toBe(200);
    expect((await list(manager)).find((s) => s.id === id)?.name).toBe('广州跟进');
    const builtin = (await list(manager)).find((s) => s.builtin);
    expect(builtin?.changeable).toBe(false);
    expect((await manager.request(`${SEGMENTS}/${builtin?.id}`, { method: 'DELETE' })).status).toBe(409);
    const gone = await manager.request(`${SEGMENTS}/${id}`, { method: 'DELETE' });
    expect(gone.status).toBe(200);
    expect((await list(manager)).some((s) => s.id === id)).toBe(false);
    const actions = await h.db
      .selectFrom('audit_log')
      .select('action')
      .where('subject_kind', '=', 'segment')
      .where('subject_id', '=', String(id))
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action)).toEqual(['segment.created', 'segment.renamed', 'segment.deleted']);
  });
});

const hasChromium = existsSync(CHROMIUM);
const sqlite = serverDialectsUnderTest().filter((d) => d.name === 'sqlite');

describe.skipIf(!hasChromium).each(sqlite)('the console segments screen in Chromium on $name', (dialect) => {
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

  it('saves a segment from the form and opens its members in the customer list', async () => {
    const page = await signInInBrowser(browser, h, base, GZ_MANAGER);
    const problems = watchProblems(page);
    await page.goto(`${base}/app/console/segments`);
    await page.locator('#segments tr.segment').first().waitFor();
    await page.locator('#segment-name').fill('广州意向');
    await page.locator('#segment-stage').selectOption('interested');
    await page.locator('#segment-create').click();
    await expect.poll(() => page.locator('#status').textContent()).toBe('分群已保存。');
    const row = page.locator('#segments tr.segment', { hasText: '广州意向' });
    const mine = [...w.owned.gz, ...w.owned.pool].filter((c) => w.interested.has(c));
    expect(await row.locator('.count').textContent()).toBe(String(mine.length));
    await screenshot(page, 'console-segments');
    await row.locator('a.open').click();
    await page.waitForURL(/\/app\/console\?segment=\d+$/);
    await expect.poll(() => page.locator('#customers tr.customer').count()).toBe(mine.length);
    const shown = await page
      .locator('#customers tr.customer')
      .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-id'))));
    expect(new Set(shown)).toEqual(new Set(mine));
    expect(problems).toEqual([]);
    await page.context().close();
  }, 60_000);
});
