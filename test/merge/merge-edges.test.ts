import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChatDriver, telegramCustomer, telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { API_TOKEN, type Harness, startHarness, waitFor } from '../helpers/harness.ts';
import { ADMIN, dump } from './merge-setup.ts';

describe.each(serverDialectsUnderTest())('merge edges on $name', (dialect) => {
  let h: Harness;
  let chat: ChatDriver;
  let n = 0;
  const customer = (name: string) => telegramCustomer(h, String(7400000000 + n++), name);
  const post = async (path: string, body?: object) => {
    const res = await fetch(`${h.url}/api${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${API_TOKEN}` },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as { mergeId?: number; error?: string } };
  };
  const suggestion = (a: number, b: number) =>
    h.db
      .selectFrom('merge_suggestions')
      .select('status')
      .where('customer_a_id', '=', Math.min(a, b))
      .where('customer_b_id', '=', Math.max(a, b))
      .executeTakeFirst();

  /**
   * Every delivery read, every relay queued (each checked by its own outbox row: the checks are separate queries and a
   * worker may queue between two of them), and nothing left to send.
   */
  const settled = async () => {
    const unread = await h.db.selectFrom('inbox').select('id').where('status', '=', 'pending').execute();
    const unqueued = await h.db
      .selectFrom('relays as r')
      .leftJoin('outbox as o', 'o.idempotency_key', 'r.batch_key')
      .select('r.id')
      .where((eb) => eb.or([eb('r.batch_key', 'is', null), eb('o.id', 'is', null)]))
      .execute();
    const unsent = await h.db
      .selectFrom('outbox')
      .select('id')
      .where('status', 'in', ['pending', 'settling'])
      .execute();
    return unread.length === 0 && unqueued.length === 0 && unsent.length === 0;
  };

  beforeAll(async () => {
    h = await startHarness(dialect);
    chat = telegramDriver(h);
  }, 60_000);
  afterAll(async () => {
    await h.close();
  });

  it('makes one merge when the pair is merged both ways at once, and undoes it exactly', async () => {
    const a = await customer('李雷');
    const b = await customer('Li Lei');
    // Both wrote within the same second: their conversation bursts share a start, which is unique per customer.
    // The snapshot once both messages are fully read (the contact times land a moment after the customer exists)
    // and their relays to the admins sent (a relay queued or sent between the two snapshots would change the outbox).
    await waitFor(settled);
    const before = await dump(h, [a, b]);
    const answers = await Promise.all([
      post('/customers/merge', { survivor: a, merged: b, confirm: true }),
      post('/customers/merge', { survivor: b, merged: a, confirm: true }),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
    const rows = await h.db
      .selectFrom('customer_merges')
      .selectAll()
      .where('pair_key', '=', `${a}:${b}`)
      .execute();
    expect(rows).toHaveLength(1);
    const hidden = await h.db
      .selectFrom('customers')
      .select('merged_into_id')
      .where('id', 'in', [a, b])
      .where('merged_into_id', 'is not', null)
      .execute();
    expect(hidden).toHaveLength(1);
    expect((await post(`/customers/merges/${rows[0]?.id}/undo`)).status).toBe(200);
    expect(await dump(h, [a, b])).toEqual(before);
  });

  it('marks the pair’s suggestion merged, opens it again on undo, and undoes a chain from the top only', async () => {
    const a = await customer('韩梅梅');
    const b = await customer('Han Meimei');
    const c = await customer('梅梅');
    const now = h.clock.now();
    await h.db
      .insertInto('merge_suggestions')
      .values({
        customer_a_id: Math.min(a, b),
        customer_b_id: Math.max(a, b),
        score: 60,
        evidence: JSON.stringify([{ signal: 'same_email', detail: 'test' }]),
        status: 'open',
        notified_at: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const first = await post('/customers/merge', { survivor: a, merged: b, confirm: true });
    expect(first.status).toBe(201);
    expect(await suggestion(a, b)).toEqual({ status: 'merged' });
    const second = await post('/customers/merge', { survivor: c, merged: a, confirm: true });
    expect(second.status).toBe(201);
    // #a is merged into #c now: its own merge comes back only after that one is undone.
    const blocked = await post(`/customers/merges/${first.body.mergeId}/undo`);
    expect(blocked).toEqual({ status: 409, body: expect.objectContaining({ mergeId: second.body.mergeId }) });
    expect((await post(`/customers/merges/${second.body.mergeId}/undo`)).status).toBe(200);
    expect((await post(`/customers/merges/${first.body.mergeId}/undo`)).status).toBe(200);
    expect(await suggestion(a, b)).toEqual({ status: 'open' });
    const visible = await h.db
      .selectFrom('customers')
      .select('id')
      .where('id', 'in', [a, b, c])
      .where('merged_into_id', 'is', null)
      .execute();
    expect(visible).toHaveLength(3);
    expect((await post('/customers/merges/99999999/undo')).status).toBe(404);
    expect((await post('/customers/merge', { survivor: a, merged: 99999999 })).status).toBe(404);
  });

  it('answers in English, and erasing a merged customer removes the merge records that hold their data', async () => {
    const a = await customer('Carol');
    const b = await customer('Carol W');
    expect(await chat.ask(ADMIN, `/merge #${a} #${b}`, 'en')).toContain('To merge, send');
    expect(await chat.ask(ADMIN, `/merge #${a} #${b} confirm`, 'en')).toContain(`Merged #${b}`);
    const merges = () =>
      h.db
        .selectFrom('customer_merges')
        .select('id')
        .where((eb) => eb.or([eb('survivor_id', 'in', [a, b]), eb('merged_id', 'in', [a, b])]))
        .execute();
    expect(await merges()).toHaveLength(1);
    const erased = await h.api<{ customers: number[] }>(`/customers/${a}`, undefined, { method: 'DELETE' });
    expect(erased.status).toBe(200);
    expect([...erased.body.customers].sort()).toEqual([a, b].sort());
    expect(await merges()).toEqual([]);
  });
});
