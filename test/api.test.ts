import { afterEach, describe, expect, it } from 'vitest';
import { serverDialectsUnderTest } from './helpers/databases.ts';
import { telegramFixture } from './helpers/fake-telegram.ts';
import { API_TOKEN, type Harness, startHarness, waitFor } from './helpers/harness.ts';

const [sqlite] = serverDialectsUnderTest();

describe('integration API and routes', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it('does not exist without API_TOKEN, and webhooks of adapters that are off answer 404', async () => {
    h = await startHarness(sqlite!, { env: { API_TOKEN: '' } });
    expect((await h.api('/customers')).status).toBe(404);
    expect((await h.api('/customers', null)).status).toBe(404);
    expect((await fetch(`${h.url}/webhooks/wecom`, { method: 'POST', body: '<xml/>' })).status).toBe(404);
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
  });

  it('answers its own address with what runs there and where to go, naming no secret', async () => {
    h = await startHarness(sqlite!, { env: { PLAYGROUND: 'on' } });
    const home = await fetch(`${h.url}/`);
    expect(home.status).toBe(200);
    const text = await home.text();
    expect(text).toMatch(/^Liaison is running/);
    expect(text).toContain('/api/docs');
    expect(text).toContain('/playground');
    expect(text).not.toContain(API_TOKEN);
    await h.close();
    h = await startHarness(sqlite!, { env: { PLAYGROUND: 'off' } });
    expect(await (await fetch(`${h.url}/`)).text()).not.toContain('/playground');
  });

  it('answers 401 to a missing or wrong bearer token', async () => {
    h = await startHarness(sqlite!);
    expect((await h.api('/customers', null)).status).toBe(401);
    expect((await h.api('/customers', `${API_TOKEN}x`)).status).toBe(401);
    expect((await h.api('/customers', API_TOKEN.slice(0, -1))).status).toBe(401);
    const basic = await fetch(`${h.url}/api/customers`, { headers: { authorization: `Basic ${API_TOKEN}` } });
    expect(basic.status).toBe(401);
    expect((await h.api('/customers')).status).toBe(200);
  });

  it('explains bad queries with 400 and unknown customers with 404', async () => {
    h = await startHarness(sqlite!);
    for (const q of ['limit=0', 'limit=201', 'limit=ten', 'owner=-3', `q=${'x'.repeat(201)}`]) {
      const { status, body } = await h.api<{ error: string }>(`/customers?${q}`);
      expect(status, q).toBe(400);
      expect(body.error).toBe('invalid query');
    }
    expect((await h.api('/customers/abc')).status).toBe(400);
    expect((await h.api('/customers/0')).status).toBe(400);
    expect((await h.api('/customers/424242')).status).toBe(404);
    expect((await h.api('/inbox?status=lost')).status).toBe(400);
  });

  it('filters customers by tag, stage and owner, and returns the timeline with ISO times', async () => {
    h = await startHarness(sqlite!);
    await h.postUpdate(telegramFixture('update-private-customer.json'));
    await h.postUpdate(telegramFixture('update-business-connection.json'));
    await h.postUpdate(telegramFixture('update-business-message.json'));
    const items = await waitFor(async () => {
      const { body } = await h.api<{
        items: Array<{ id: number; name: string; owner: { id: number } | null }>;
      }>('/customers');
      return body.items.length === 2 ? body.items : undefined;
    });
    const liu = items.find((i) => i.name === '刘洋');
    const chen = items.find((i) => i.name === '陈小雨');
    const owner = liu?.owner?.id as number;
    const now = Date.now();
    const tag = await h.db
      .insertInto('tags')
      .values({ name: '报价', group_name: null, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await h.db
      .insertInto('customer_tags')
      .values({
        customer_id: chen?.id as number,
        tag_id: tag.id,
        source: 'manual',
        source_ref: null,
        confidence: null,
        message_id: null,
        actor_staff_id: owner,
        created_at: now,
      })
      .execute();
    await h.db
      .updateTable('customers')
      .set({ stage: 'won' })
      .where('id', '=', liu?.id as number)
      .execute();

    const list = async (q: string) =>
      (await h.api<{ items: Array<{ name: string }> }>(`/customers?${q}`)).body.items.map((i) => i.name);
    expect(await list('tag=报价')).toEqual(['陈小雨']);
    expect(await list('stage=won')).toEqual(['刘洋']);
    expect(await list(`owner=${owner}`)).toEqual(['刘洋']);
    expect(await list('owner=none')).toEqual(['陈小雨']);
    expect(await list('limit=1')).toHaveLength(1);

    const { body } = await h.api<{
      tags: Array<{ name: string; source: string; actor: string }>;
      timeline: Array<{ at: string; text: string }>;
      firstContactAt: string;
    }>(`/customers/${chen?.id}`);
    // The hand-set tag, beside what the rules read in 陈小雨's price question.
    expect(body.tags).toEqual([
      expect.objectContaining({ name: '询价', source: 'rule' }),
      expect.objectContaining({ name: '报价', source: 'manual', actor: '张三' }),
    ]);
    expect(body.timeline[0]?.at).toBe('2026-03-02T02:17:00.000Z');
    expect(body.firstContactAt).toBe('2026-03-02T02:17:00.000Z');
  });
});
