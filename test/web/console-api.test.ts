import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexNewCustomers } from '../../src/core/records/customers/search-index.ts';
import { telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness } from '../helpers/harness.ts';
import { ADMIN, GZ_MANAGER, GZ_REP, SZ_REP } from './console-people.ts';
import { signInByLink, WEB_ENV, WebClient } from './web-client.ts';

// The console's JSON routes as its pages call them (test/web/console.test.ts drives the pages in Chromium).

const HOUR = 3_600_000;
const CUSTOMERS = 250;

type Row = { id: number; name: string; phone: string | null; stage: string; owner: { id: number } | null };
type Page = { items: Row[]; nextCursor: string | null };
type Board = {
  deals: Array<{ id: number; customerId: number; stage: string }>;
  forecast: Array<{
    currency: string;
    weightedMinor: number;
    stages: Array<{ stage: string; weightedMinor: number }>;
  }>;
};

describe.each(serverDialectsUnderTest())('the console API on $name', (dialect) => {
  let h: Harness;
  const chat = () => telegramDriver(h);
  const staff: Record<string, number> = {};
  /** Customer ids by owner: GZ_REP's, SZ_REP's and the pool's. */
  const owned: Record<'gz' | 'sz' | 'pool', number[]> = { gz: [], sz: [], pool: [] };
  const interested = new Set<number>();

  const signedIn = (telegramId: string) => signInByLink(h, telegramId);
  const get = async <T>(web: WebClient, path: string): Promise<T> => {
    const res = await web.request(path);
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  };
  /** Every page of the list for these filters, following `nextCursor`, at `limit` rows a page. */
  const everyPage = async (web: WebClient, query: string, limit = 40) => {
    const ids: number[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const cursor: string = after ? `&after=${encodeURIComponent(after)}` : '';
      const page: Page = await get<Page>(web, `/app/api/console/customers?limit=${limit}${query}${cursor}`);
      ids.push(...page.items.map((r) => r.id));
      after = page.nextCursor;
      pages += 1;
    } while (after && pages < 100);
    return ids;
  };

  beforeAll(async () => {
    h = await startHarness(dialect, { clockAt: FIXTURE_TIME, env: WEB_ENV });
    for (const line of [
      '/team add 广州组',
      '/team add 深圳组',
      `/staff add telegram:${GZ_MANAGER} manager 广州组`,
      `/staff add telegram:${GZ_REP} rep 广州组`,
      `/staff add telegram:${SZ_REP} rep 深圳组`,
    ])
      await chat().ask(ADMIN, line);
    for (const who of [GZ_MANAGER, GZ_REP, SZ_REP]) {
      const row = await h.db
        .selectFrom('staff_identities')
        .select('staff_id')
        .where('external_id', '=', who)
        .executeTakeFirstOrThrow();
      staff[who] = Number(row.staff_id);
    }
    // Seeded straight into the table: ties in last contact (4 per hour) and never-contacted ones test the cursor.
    for (let i = 0; i < CUSTOMERS; i++) {
      const kind = (['gz', 'sz', 'pool'] as const)[i % 3] ?? 'pool';
      const owner = kind === 'gz' ? staff[GZ_REP] : kind === 'sz' ? staff[SZ_REP] : null;
      const last = i % 10 === 0 ? null : FIXTURE_TIME - Math.floor(i / 4) * HOUR;
      const stage = i % 5 === 0 ? 'interested' : 'lead';
      const name = `控制台客户${String(i).padStart(3, '0')}`;
      const row = await h.db
        .insertInto('customers')
        .values({
          display_name: name,
          company: null,
          phone: `1391234${String(i).padStart(4, '0')}`,
          email: null,
          owner_staff_id: owner ?? null,
          stage,
          language: 'zh',
          source: null,
          do_not_contact: i === 7 ? 1 : 0,
          merged_into_id: null,
          origin_key: `console-api:${i}`,
          search_text: name,
          first_contact_at: FIXTURE_TIME - 400 * 24 * HOUR,
          last_contact_at: last,
          last_inbound_at: last,
          last_outbound_at: null,
          created_at: FIXTURE_TIME - 400 * 24 * HOUR,
          updated_at: FIXTURE_TIME - 400 * 24 * HOUR,
          value_tier: null,
          sentiment: null,
          summary: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      owned[kind].push(row.id);
      if (stage === 'interested') interested.add(row.id);
    }
    // Search keys as every write path of the app keeps them (the list's text filter reads them, as `/find` does).
    await indexNewCustomers(h.db, [...owned.gz, ...owned.sz, ...owned.pool]);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('pages an admin through all 250 customers, each once, most recently in contact first', async () => {
    const admin = await signedIn(ADMIN);
    const ids = await everyPage(admin, '');
    expect(ids).toHaveLength(CUSTOMERS);
    expect(new Set(ids).size).toBe(CUSTOMERS);
    expect(new Set(ids)).toEqual(new Set([...owned.gz, ...owned.sz, ...owned.pool]));
    // Most recent first: customer 1 (an hour 0 contact) before customer 249; never-contacted (0, 10, …) last.
    const at = (i: number) =>
      ids.indexOf([...owned.gz, ...owned.sz, ...owned.pool].sort((a, b) => a - b)[i] ?? -1);
    expect(at(1)).toBeLessThan(at(249));
    expect(at(0)).toBeGreaterThan(at(249));
    const bad = await admin.request('/app/api/console/customers?after=nonsense');
    expect(bad.status).toBe(400);
  });

  it('filters by stage, owner, text and a saved segment', async () => {
    const admin = await signedIn(ADMIN);
    const byStage = await everyPage(admin, '&stage=interested', 7);
    expect(new Set(byStage)).toEqual(interested);
    const pool = await everyPage(admin, '&owner=none');
    expect(new Set(pool)).toEqual(new Set(owned.pool));
    const mine = await everyPage(admin, `&owner=${staff[SZ_REP]}&stage=interested`);
    expect(new Set(mine)).toEqual(new Set(owned.sz.filter((id) => interested.has(id))));
    const named = await get<Page>(
      admin,
      `/app/api/console/customers?q=${encodeURIComponent('控制台客户123')}`,
    );
    expect(named.items.map((r) => r.name)).toEqual(['控制台客户123']);

    const saved = await h.api('/segments', undefined, {
      method: 'POST',
      body: JSON.stringify({ name: 'console-interested', filter: { stages: ['interested'] } }),
    });
    expect(saved.status).toBe(201);
    const segmentId = (saved.body as { id: number }).id;
    const filters = await get<{ segments: Array<{ id: number; name: string }> }>(
      admin,
      '/app/api/console/filters',
    );
    expect(filters.segments.map((s) => s.name)).toContain('console-interested');
    // A segment leaves out do-not-contact customers, as outreach does (customer 7 is lead anyway; 0 is interested).
    const members = await everyPage(admin, `&segment=${encodeURIComponent(`#${segmentId}`)}`);
    expect(new Set(members)).toEqual(interested);
    const tagged = owned.sz[2] ?? 0;
    await chat().ask(ADMIN, `/tag #${tagged} 展会名单`);
    const byTag = await get<Page>(admin, `/app/api/console/customers?tag=${encodeURIComponent('展会名单')}`);
    expect(byTag.items.map((r) => r.id)).toEqual([tagged]);
    const fromCode = owned.gz[3] ?? 0;
    await h.db
      .insertInto('customer_sources')
      .values({
        customer_id: fromCode,
        channel_code_id: null,
        code: 'expo-2026',
        platform: 'telegram',
        referrer_customer_id: null,
        at: FIXTURE_TIME,
        source_key: 'console-api:expo',
        created_at: FIXTURE_TIME,
      })
      .execute();
    const bySource = await get<Page>(admin, '/app/api/console/customers?source=expo-2026');
    expect(bySource.items.map((r) => r.id)).toEqual([fromCode]);
    expect((await admin.request('/app/api/console/customers?segment=%23999999')).status).toBe(404);
  });

  it("shows a manager only their team's customers and deals, and moves their deal through updateDeal", async () => {
    const gzCustomer = owned.gz[1] ?? 0;
    const szCustomer = owned.sz[1] ?? 0;
    expect(await chat().ask(ADMIN, `/deal #${gzCustomer} 5万 proposal 2026-12-31 广州年单`)).toContain(
      '商机',
    );
    expect(await chat().ask(ADMIN, `/deal #${szCustomer} 8万 negotiate 深圳年单`)).toContain('商机');

    const manager = await signedIn(GZ_MANAGER);
    const ids = await everyPage(manager, '', 60);
    expect(new Set(ids)).toEqual(new Set([...owned.gz, ...owned.pool]));
    // Managers see phones whole, like the API for their role.
    const first = await get<Page>(manager, '/app/api/console/customers?limit=1');
    expect(first.items[0]?.phone).toMatch(/^1391234\d{4}$/);

    const board = await get<Board>(manager, '/app/api/console/pipeline');
    expect(board.deals.map((d) => d.customerId)).toEqual([gzCustomer]);
    const deal = board.deals[0]?.id ?? 0;
    // 50,000 × 40 % in fen; the other team's 80,000 is not in this manager's forecast.
    expect(board.forecast).toMatchObject([{ currency: 'CNY', weightedMinor: 2_000_000 }]);
    const moved = await manager.request(`/app/api/console/deals/${deal}`, {
      method: 'PATCH',
      json: { stage: 'negotiate' },
    });
    expect(moved.status).toBe(200);
    const after = await get<Board>(manager, '/app/api/console/pipeline');
    expect(after.deals[0]?.stage).toBe('negotiate');
    expect(after.forecast[0]?.weightedMinor).toBe(3_500_000);
    const other = await h.db
      .selectFrom('deals')
      .select('id')
      .where('customer_id', '=', szCustomer)
      .executeTakeFirstOrThrow();
    const refused = await manager.request(`/app/api/console/deals/${other.id}`, {
      method: 'PATCH',
      json: { stage: 'won' },
    });
    expect(refused.status).toBe(404);
    const unknown = await manager.request(`/app/api/console/deals/${deal}`, {
      method: 'PATCH',
      json: { stage: 'x' },
    });
    expect(unknown.status).toBe(400);
    const noCsrf = await manager.request(`/app/api/console/deals/${deal}`, {
      method: 'PATCH',
      json: { stage: 'qualify' },
      csrf: null,
    });
    expect(noCsrf.status).toBe(403);
    const row = await h.db
      .selectFrom('deals')
      .select('stage')
      .where('id', '=', deal)
      .executeTakeFirstOrThrow();
    expect(row.stage).toBe('negotiate');
  });

  it('refuses a rep: 403 with a message, on the JSON and on the page', async () => {
    const rep = await signedIn(GZ_REP);
    for (const path of [
      '/app/api/console/customers',
      '/app/api/console/pipeline',
      '/app/api/console/filters',
    ]) {
      const res = await rep.request(path);
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ error: '管理台只对经理及以上开放。' });
    }
    const page = await rep.request('/app/console');
    expect(page.status).toBe(403);
    expect(await page.text()).toContain('管理台只对经理及以上开放。');
    const move = await rep.request('/app/api/console/deals/1', { method: 'PATCH', json: { stage: 'won' } });
    expect(move.status).toBe(403);
    expect((await new WebClient(h).request('/app/api/console/customers')).status).toBe(401);
  });
});
