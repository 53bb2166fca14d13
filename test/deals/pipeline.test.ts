import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { type DealWorld, dealWorld, TOKEN_STAFF } from './setup.ts';

type Deal = {
  id: number;
  customer: { id: number; name: string };
  title: string;
  amount: number;
  currency: string;
  stage: string;
  probability: number;
  owner: { id: number; name: string } | null;
  closeDate: string | null;
  status: string;
};
type Page = { items: Deal[]; nextCursor: string | null };
type Forecast = {
  items: Array<{
    currency: string;
    count: number;
    amount: number;
    weighted: number;
    stages: Array<{ stage: string; probability: number; count: number; amount: number; weighted: number }>;
  }>;
};

/**
 * The sales pipeline as a rep and their managers use it: several open deals per customer from chat and the API,
 * moves on the board shown on the card, the weighted forecast, scopes, retries and the audit log.
 */
describe.each(serverDialectsUnderTest())('the deal pipeline on $name', (dialect) => {
  let w: DealWorld;
  let wang: number;
  beforeAll(async () => {
    w = await dealWorld(dialect);
    wang = await w.customer('7480000001', '王大伟', w.staff.token);
  }, 60_000);
  afterAll(async () => {
    await w?.h.close();
  });

  const openDeals = (customerId: number) =>
    w.h.db
      .selectFrom('deals')
      .selectAll()
      .where('customer_id', '=', customerId)
      .where('closed_at', 'is', null)
      .orderBy('id')
      .execute();

  it('keeps two open deals on one customer: /deal moves the newest, /deal new opens another', async () => {
    const rep = (text: string) => w.chat.ask(TOKEN_STAFF, text);
    expect(await rep('/deal 王大伟 5万 proposal 年度套餐')).toContain('商机已创建');
    const second = await rep('/商机 王大伟 新 3万 初步接洽 2027-03-31 加购模块');
    expect(second).toContain('商机已创建');
    expect(second).toContain('30,000 元');
    expect(await openDeals(wang)).toMatchObject([
      { title: '年度套餐', amount_minor: 5_000_000, stage: 'proposal', probability: 40 },
      { title: '加购模块', amount_minor: 3_000_000, stage: 'qualify', probability: 10 },
    ]);
    // Without `new`, the newest open deal moves; the first stays as it was.
    expect(await rep('/deal 王大伟 3.5万 方案报价')).toContain('商机已更新');
    const [first, newest] = await openDeals(wang);
    expect(first).toMatchObject({ amount_minor: 5_000_000, stage: 'proposal' });
    expect(newest).toMatchObject({ title: '加购模块', amount_minor: 3_500_000, stage: 'proposal' });
    expect(newest?.expected_close_at).toBe(Date.UTC(2027, 2, 30, 16, 0));
    expect(await rep('/deal 王大伟 new 1万 初步接洽 2027-02-30')).toContain('不是有效日期');
    expect(await openDeals(wang)).toHaveLength(2);
  });

  it('moves a deal on the board by the API, and /show shows every open deal as it is now', async () => {
    const [first] = await openDeals(wang);
    const moved = await w.api<Deal>('PATCH', `/deals/${first?.id}`, {
      stage: 'negotiate',
      closeDate: '2027-04-15',
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      id: first?.id,
      stage: 'negotiate',
      probability: 70,
      closeDate: '2027-04-15',
      status: 'open',
      customer: { id: wang, name: '王大伟' },
    });
    const card = await w.chat.ask(TOKEN_STAFF, `/show #${wang}`);
    expect(card).toContain('年度套餐 · 50,000 元 · 商务谈判 70% · 预计 2027-04-15 成交');
    expect(card).toContain('加购模块 · 35,000 元 · 方案报价 40% · 预计 2027-03-31 成交');
    // Won closes it: off the card and out of the open list.
    expect((await w.api('PATCH', `/deals/${first?.id}`, { stage: 'won' })).status).toBe(200);
    expect(await w.chat.ask(TOKEN_STAFF, `/show #${wang}`)).not.toContain('年度套餐');
    const open = await w.api<Page>('GET', `/deals?customer=${wang}`);
    expect(open.body.items.map((d) => d.title)).toEqual(['加购模块']);
    const closed = await w.api<Page>('GET', `/deals?customer=${wang}&status=closed`);
    expect(closed.body.items).toMatchObject([{ title: '年度套餐', status: 'won' }]);
    // The first win makes the customer 成交 (won).
    const c = await w.h.db
      .selectFrom('customers')
      .select('stage')
      .where('id', '=', wang)
      .executeTakeFirstOrThrow();
    expect(c.stage).toBe('won');
  });

  it('adds up the forecast exactly: Σ amount × probability per stage, per currency', async () => {
    const li = await w.customer('7480000002', '李小红', w.staff.token);
    const post = (body: Record<string, unknown>) => w.api<Deal>('POST', '/deals', { customer: li, ...body });
    expect((await post({ amount: 100_000, stage: 'proposal', title: '大单' })).status).toBe(201);
    expect((await post({ amount: 12_345.67, stage: 'negotiate' })).status).toBe(201);
    expect((await post({ amount: 1000, currency: 'USD', stage: 'qualify' })).status).toBe(201);
    expect((await post({ amount: 999, stage: 'lost' })).body.status).toBe('lost');
    expect((await post({ amount: 1.5, stage: 'proposal' })).status).toBe(201);
    expect((await post({ amount: 1.555, stage: 'proposal' })).status).toBe(400);
    const forecast = await w.api<Forecast>('GET', `/deals/pipeline`);
    expect(forecast.status).toBe(200);
    // 王大伟's open deal: 35,000 at proposal (40%). 李小红's: 100,000 + 1.50 at proposal, 12,345.67 at negotiate (70%).
    expect(forecast.body.items).toEqual([
      {
        currency: 'CNY',
        count: 4,
        amount: 147_347.17,
        weighted: 62_642.57,
        stages: [
          { stage: 'proposal', probability: 40, count: 3, amount: 135_001.5, weighted: 54_000.6 },
          { stage: 'negotiate', probability: 70, count: 1, amount: 12_345.67, weighted: 8641.97 },
        ],
      },
      {
        currency: 'USD',
        count: 1,
        amount: 1000,
        weighted: 100,
        stages: [{ stage: 'qualify', probability: 10, count: 1, amount: 1000, weighted: 100 }],
      },
    ]);
    const chat = await w.chat.ask(TOKEN_STAFF, '/预测');
    expect(chat).toContain('CNY：4 个商机 · 金额 147,347.17 元 · 加权 62,642.57 元');
    expect(chat).toContain('方案报价（40%）：3 个 · 135,001.5 元 · 加权 54,000.6 元');
    expect(chat).toContain('USD：1 个商机 · 金额 1,000 USD · 加权 100 USD');
    const closing = await w.api<Forecast>('GET', '/deals/pipeline?closingBefore=2027-04-01');
    expect(closing.body.items).toEqual([
      {
        currency: 'CNY',
        count: 1,
        amount: 35_000,
        weighted: 14_000,
        stages: [{ stage: 'proposal', probability: 40, count: 1, amount: 35_000, weighted: 14_000 }],
      },
    ]);
  });

  it('pages through deals with a cursor and filters by stage and owner', async () => {
    const first = await w.api<Page>('GET', '/deals?limit=2');
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).not.toBeNull();
    const second = await w.api<Page>('GET', `/deals?limit=2&cursor=${first.body.nextCursor}`);
    const third = await w.api<Page>('GET', `/deals?limit=2&cursor=${second.body.nextCursor}`);
    const all = [...first.body.items, ...second.body.items, ...third.body.items].map((d) => d.id);
    expect(third.body.nextCursor).toBeNull();
    expect(all).toHaveLength(5);
    expect(new Set(all).size).toBe(5);
    const negotiating = await w.api<Page>('GET', '/deals?stage=negotiate');
    expect(negotiating.body.items.map((d) => d.amount)).toEqual([12_345.67]);
    const pool = await w.api<Page>('GET', '/deals?owner=none');
    expect(pool.body.items).toEqual([]);
  });

  it('hides another team’s deals from a rep and a manager (404), and lets a rep own deals only themselves', async () => {
    const zhao = await w.customer('7480000003', '赵乙组', w.staff.repB);
    await w.be('admin', null);
    const made = await w.api<Deal>('POST', '/deals', {
      customer: zhao,
      amount: 777,
      stage: 'proposal',
      owner: w.staff.repB,
    });
    expect(made.status).toBe(201);
    await w.be('rep', 'A');
    const list = await w.api<Page>('GET', '/deals?status=all&limit=200');
    expect(list.body.items.map((d) => d.customer.id)).not.toContain(zhao);
    expect(await w.api('PATCH', `/deals/${made.body.id}`, { amount: 1 })).toMatchObject({ status: 404 });
    expect(await w.api('POST', '/deals', { customer: zhao, amount: 1, stage: 'qualify' })).toMatchObject({
      status: 404,
    });
    const forecast = await w.api<Forecast>('GET', '/deals/pipeline');
    expect(forecast.body.items.find((c) => c.currency === 'CNY')?.amount).toBe(147_347.17);
    expect(await w.chat.ask(TOKEN_STAFF, '/pipeline')).toContain('金额 147,347.17 元');
    const mine = (await w.api<Page>('GET', '/deals')).body.items[0];
    expect(await w.api('PATCH', `/deals/${mine?.id}`, { owner: w.staff.repA })).toMatchObject({
      status: 403,
    });
    expect(await w.api('PATCH', `/deals/${mine?.id}`, { owner: w.staff.token })).toMatchObject({
      status: 200,
    });
    await w.be('manager', 'A');
    expect(await w.api('PATCH', `/deals/${made.body.id}`, { amount: 1 })).toMatchObject({ status: 404 });
    await w.be('manager', 'B');
    const moved = await w.api<Deal>('PATCH', `/deals/${made.body.id}`, { stage: 'negotiate' });
    expect(moved).toMatchObject({ status: 200, body: { stage: 'negotiate', owner: { id: w.staff.repB } } });
    // Team B's manager: team B's deal (777 at 70%) and the ones they own themselves (as a rep, above).
    const b = await w.api<Forecast>('GET', '/deals/pipeline');
    expect(b.body.items[0]).toMatchObject({
      currency: 'CNY',
      count: 5,
      amount: 148_124.17,
      weighted: 63_186.47,
    });
    expect(b.body.items[0]?.stages[1]).toEqual({
      stage: 'negotiate',
      probability: 70,
      count: 2,
      amount: 13_122.67,
      weighted: 9185.87,
    });
    const row = await w.h.db
      .selectFrom('deals')
      .select('amount_minor')
      .where('id', '=', made.body.id)
      .executeTakeFirstOrThrow();
    expect(Number(row.amount_minor)).toBe(77_700);
    await w.be('rep', 'A');
  });

  it('answers a retry with the same Idempotency-Key with the same deal, and audits each write once', async () => {
    const chen = await w.customer('7480000004', '陈重试', w.staff.token);
    const headers = { 'Idempotency-Key': 'deal-retry-1' };
    const body = { customer: chen, amount: 8888, stage: 'qualify', title: '重试单' };
    const a = await w.api<Deal>('POST', '/deals', body, headers);
    const b = await w.api<Deal>('POST', '/deals', body, headers);
    expect(a.status).toBe(201);
    expect(b).toEqual(a);
    expect(await openDeals(chen)).toHaveLength(1);
    const other = await w.customer('7480000005', '别的客户', w.staff.token);
    expect(await w.api('POST', '/deals', { ...body, customer: other }, headers)).toMatchObject({
      status: 422,
    });
    expect(await openDeals(other)).toHaveLength(0);
    // A patch that changes nothing (a retried PATCH) writes nothing.
    expect((await w.api('PATCH', `/deals/${a.body.id}`, { amount: 9000 })).status).toBe(200);
    expect((await w.api('PATCH', `/deals/${a.body.id}`, { amount: 9000 })).status).toBe(200);
    const audit = await w.h.db
      .selectFrom('audit_log')
      .select(['action', 'actor_kind', 'actor_staff_id', 'via', 'detail'])
      .where('subject_kind', '=', 'customer')
      .where('subject_id', '=', String(chen))
      .where('action', 'like', 'deal.%')
      .orderBy('id')
      .execute();
    expect(audit.map((r) => [r.action, r.actor_kind, r.actor_staff_id, r.via])).toEqual([
      ['deal.created', 'api', w.staff.token, 'api'],
      ['deal.updated', 'api', w.staff.token, 'api'],
    ]);
    expect(JSON.parse(audit[1]?.detail ?? '{}')).toEqual({
      deal: a.body.id,
      amount: { from: 888_800, to: 900_000 },
    });
    const events = await w.h.db
      .selectFrom('customer_events')
      .select('kind')
      .where('customer_id', '=', chen)
      .where('kind', '=', 'deal_changed')
      .execute();
    expect(events).toHaveLength(2);
  });
});
