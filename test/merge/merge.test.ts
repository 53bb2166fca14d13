import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChatDriver, postTelegramPrivate, telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { API_TOKEN, type Harness, startHarness, waitFor } from '../helpers/harness.ts';
import { ADMIN, CUSTOMER_TABLES, count, counts, dump, REP, twoCustomers, USER_B } from './merge-setup.ts';

interface PreviewBody {
  applied: false;
  survivor: { id: number; identities: unknown[]; tags: unknown[]; counts: Record<string, number> };
  merged: { id: number; identities: unknown[]; tags: unknown[]; counts: Record<string, number> };
  result: Record<string, { value: unknown; from: string; reason: string }>;
}

describe.each(serverDialectsUnderTest())('merging customers on $name', (dialect) => {
  let h: Harness;
  let chat: ChatDriver;
  let a: number;
  let b: number;
  let beforeMerge: Record<string, unknown[]>;
  /** `POST /api/customers/merge` (by hand: the harness's `api` sends no headers of ours, and a retry needs its key). */
  const merge = async (body: object, key?: string) => {
    const res = await fetch(`${h.url}/api/customers/merge`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${API_TOKEN}`,
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { mergeId?: number; error?: string } };
  };
  const mergeRows = () => h.db.selectFrom('customer_merges').selectAll().orderBy('id').execute();

  beforeAll(async () => {
    h = await startHarness(dialect);
    chat = telegramDriver(h);
    ({ a, b } = await twoCustomers(h, chat));
  }, 60_000);
  afterAll(async () => {
    await h.close();
  });

  it('previews both sides with the counts that are there and the winning values, writing nothing', async () => {
    const before = await dump(h, [a, b]);
    const res = await h.api<PreviewBody>('/customers/merge', undefined, {
      method: 'POST',
      body: JSON.stringify({ survivor: a, merged: b }),
    });
    expect(res.status).toBe(200);
    const p = res.body;
    for (const [side, id] of [
      [p.survivor, a],
      [p.merged, b],
    ] as const) {
      expect(side.counts).toEqual({
        messages: await count(h.db, 'messages', id),
        notes: await count(h.db, 'notes', id),
        deals: await count(h.db, 'deals', id),
        reminders: await count(h.db, 'reminders', id),
      });
    }
    expect(p.merged.counts).toEqual({ messages: 2, notes: 2, deals: 1, reminders: 1 });
    expect(p.survivor.identities).toEqual([{ platform: 'telegram', name: '王芳' }]);
    expect(p.merged.tags).toEqual(
      expect.arrayContaining([
        { name: 'VIP', source: 'manual' },
        { name: '复购', source: 'manual' },
      ]),
    );
    // Owner: the kept record's; stage: further along (won beats interested); company: the kept one has none.
    expect(p.result.owner).toMatchObject({ from: 'survivor', reason: 'survivor' });
    expect(p.result.stage).toEqual({ value: 'won', from: 'merged', reason: 'further_stage' });
    expect(p.result.company).toEqual({ value: '华南贸易', from: 'merged', reason: 'survivor_empty' });
    expect(p.result.firstContactAt).toMatchObject({ from: 'survivor', reason: 'earliest' });
    expect(p.result.email?.value).toBe('f***@example.com');

    const text = await chat.ask(ADMIN, `/merge #${a} #${b}`);
    expect(text).toContain('合并预览');
    expect(text).toContain('漏斗中更靠后的阶段');
    expect(text).toContain(`/merge #${a} #${b} 确认`);
    expect(await dump(h, [a, b])).toEqual(before);
    expect(await mergeRows()).toEqual([]);
  });

  it('refuses a rep a merge with a customer outside their scope, and changes nothing', async () => {
    const before = await dump(h, [a, b]);
    // The rep owns #a; #b belongs to another rep: it reads as unknown, as an id that does not exist would.
    expect(await chat.ask(REP, `/merge #${a} #${b}`)).toContain('没有找到');
    expect(await chat.ask(REP, `/merge #${a} #${b} 确认`)).toContain('没有找到');
    expect(await chat.ask(REP, `/merge #${a} #99999999 确认`)).toContain('没有找到');
    expect(await dump(h, [a, b])).toEqual(before);
    expect(await mergeRows()).toEqual([]);
  });

  it('makes one merge of two simultaneous merges of a pair, losing no row', async () => {
    beforeMerge = await dump(h, [a, b]);
    const before = await counts(h.db, [a, b]);
    const tagsBefore = await h.db
      .selectFrom('customer_tags')
      .select('tag_id')
      .distinct()
      .where('customer_id', 'in', [a, b])
      .execute();
    const answers = await Promise.all([
      merge({ survivor: a, merged: b, confirm: true }),
      merge({ survivor: a, merged: b, confirm: true }),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
    const rows = await mergeRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ survivor_id: a, merged_id: b, status: 'applied', pair_key: `${a}:${b}` });
    expect(answers.find((r) => r.status === 409)?.body).toEqual({
      error: 'already merged',
      mergeId: rows[0]?.id,
    });

    // Every row is on the kept customer; a tag both had is kept once (its other row is in the snapshot).
    const after = await counts(h.db, [a]);
    expect(await counts(h.db, [b])).toEqual(Object.fromEntries(CUSTOMER_TABLES.map((t) => [t, 0])));
    for (const t of CUSTOMER_TABLES) {
      if (t === 'customer_tags') expect(after[t]).toBe(tagsBefore.length);
      else if (t !== 'customer_events') expect(after[t], t).toBe(before[t]);
    }
    expect(after.customer_events).toBe((before.customer_events ?? 0) + 1); // the merge itself, on the timeline
    const kept = await h.db.selectFrom('customers').selectAll().where('id', '=', a).executeTakeFirstOrThrow();
    expect(kept).toMatchObject({ stage: 'won', company: '华南贸易', email: 'fang@example.com' });
    const gone = await h.db.selectFrom('customers').selectAll().where('id', '=', b).executeTakeFirstOrThrow();
    expect(gone.merged_into_id).toBe(a);
    const audits = await h.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'customer.merged')
      .execute();
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actor_kind: 'api', subject_id: String(a), via: 'api' });

    // The merged record is gone from /find; the kept one is found by the merged one's names.
    const found = await chat.ask(ADMIN, '/find Fang');
    expect(found).toContain(`#${a}`);
    expect(found).not.toContain(`#${b}`);
  });

  it('restores both records exactly on /unmerge', async () => {
    expect(await dump(h, [a, b])).not.toEqual(beforeMerge);
    const reply = await chat.ask(ADMIN, `/unmerge #${a}`);
    expect(reply).toContain('已撤销合并');
    expect(await dump(h, [a, b])).toEqual(beforeMerge);
    const [row] = await mergeRows();
    expect(row).toMatchObject({ status: 'undone', pair_key: `${a}:${b}:undone:${row?.id}` });
    expect((await chat.ask(ADMIN, `/unmerge 合并#${row?.id}`)).toString()).toContain('已经撤销');
    expect(
      await h.db.selectFrom('audit_log').select('action').where('action', '=', 'customer.unmerged').execute(),
    ).toHaveLength(1);
  });

  it('merges again after an undo: a redelivery merges once, new messages go to the kept record', async () => {
    const first = await merge({ survivor: a, merged: b, confirm: true }, 'merge-again-1');
    const retry = await merge({ survivor: a, merged: b, confirm: true }, 'merge-again-1');
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body.mergeId).toBe(first.body.mergeId);
    expect((await mergeRows()).filter((r) => r.status === 'applied')).toHaveLength(1);

    // The merged customer writes again: the message lands on the kept record.
    await postTelegramPrivate(h, USER_B, 'Fang Wang', '我换了个号也能找到你们吗');
    const late = await waitFor(() =>
      h.db
        .selectFrom('messages')
        .select(['id', 'customer_id'])
        .where('text', '=', '我换了个号也能找到你们吗')
        .executeTakeFirst(),
    );
    expect(late.customer_id).toBe(a);

    const undone = await h.api<{ status: string }>(
      `/customers/merges/${first.body.mergeId}/undo`,
      undefined,
      {
        method: 'POST',
      },
    );
    expect(undone).toMatchObject({ status: 200, body: { status: 'undone', survivorId: a, mergedId: b } });
    const again = await h.api(`/customers/merges/${first.body.mergeId}/undo`, undefined, { method: 'POST' });
    expect(again.status).toBe(409);
    // Written on the kept record after the merge: it stays there.
    const stays = await h.db
      .selectFrom('messages')
      .select('customer_id')
      .where('id', '=', late.id)
      .executeTakeFirst();
    expect(stays?.customer_id).toBe(a);
    expect(await count(h.db, 'messages', b)).toBe(2);
  });
});

describe.each(serverDialectsUnderTest())('undoing a merge on $name', (dialect) => {
  let h: Harness;
  let chat: ChatDriver;

  beforeAll(async () => {
    h = await startHarness(dialect);
    chat = telegramDriver(h);
  }, 60_000);
  afterAll(async () => {
    await h.close();
  });

  it('brings back every row and column exactly as before the merge', async () => {
    const { a, b } = await twoCustomers(h, chat);
    // A rep merges within their scope once both are theirs.
    expect(await chat.ask(ADMIN, `/assign #${b} telegram:${REP}`)).toContain('分配给');
    const before = await dump(h, [a, b]);
    const merged = await chat.ask(REP, `/merge #${b} #${a} 确认`);
    expect(merged).toContain(`已将 #${a}`);
    expect(await dump(h, [a, b])).not.toEqual(before);
    expect(await chat.ask(REP, `/unmerge #${b}`)).toContain('已撤销合并');
    expect(await dump(h, [a, b])).toEqual(before);
    const events = await h.db
      .selectFrom('customer_events')
      .select(['customer_id', 'kind'])
      .where('event_key', 'like', 'merge:%')
      .orderBy('id')
      .execute();
    expect(events).toEqual([
      { customer_id: b, kind: 'merged' },
      { customer_id: b, kind: 'unmerged' },
      { customer_id: a, kind: 'unmerged' },
    ]);
  }, 60_000);
});
