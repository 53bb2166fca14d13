import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../db/migrate.ts';
import { claimDeliveries, markAttemptFailed, markProcessed } from '../../src/queue/inbox.ts';
import { InboxWriter } from '../../src/queue/inbox-writer.ts';
import { claimSends, enqueue, releaseSend } from '../../src/queue/outbox.ts';
import { dialectsUnderTest, type TestDatabase } from '../helpers/databases.ts';

const delivery = (key: string) => ({
  platform: 'telegram' as const,
  workspace: 'bot1',
  dedupKey: key,
  payload: `{"update_id":${key}}`,
});
const lease = (owner: string, now: number, limit = 10) => ({ owner, now, leaseMs: 1_000, limit });

describe.each(dialectsUnderTest())('inbox and outbox on $name', (dialect) => {
  let t: TestDatabase;
  /** Stores a delivery as the webhook does, at a fixed time. */
  const putDelivery = (db: TestDatabase['db'], d: ReturnType<typeof delivery>, now: number) =>
    new InboxWriter(db, { now: () => now }).put(d);
  beforeAll(async () => {
    t = await dialect.open();
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('migrates an already-migrated database without change', async () => {
    expect(await migrateToLatest(t.db)).toEqual([]);
  });

  it('stores a delivery once per (platform, workspace, key)', async () => {
    expect(await putDelivery(t.db, delivery('1'), 1_000)).toBe(true);
    expect(await putDelivery(t.db, delivery('1'), 1_001)).toBe(false);
    expect(await putDelivery(t.db, { ...delivery('1'), workspace: 'bot2' }, 1_002)).toBe(true);
    const same = await Promise.all([1, 2, 3, 4].map(() => putDelivery(t.db, delivery('2'), 1_003)));
    expect(same.filter(Boolean)).toHaveLength(1);
    const writer = new InboxWriter(t.db, { now: () => 1_004 });
    const batched = await Promise.all([1, 2, 3].map(() => writer.put(delivery('3'))));
    expect(batched).toEqual([true, false, false]);
    const rows = await t.db
      .selectFrom('inbox')
      .select('dedup_key')
      .where('dedup_key', 'in', ['2', '3'])
      .execute();
    expect(rows).toHaveLength(2);
  });

  it('never hands one delivery to two concurrent claimers', async () => {
    for (let i = 100; i < 130; i++) await putDelivery(t.db, delivery(String(i)), 2_000);
    const claims = await Promise.all(
      ['a', 'b', 'c'].map((owner) => claimDeliveries(t.db, lease(owner, 3_000, 20))),
    );
    const ids = claims.flat().map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [i, rows] of claims.entries()) {
      await markProcessed(
        t.db,
        rows.map((r) => r.id),
        ['a', 'b', 'c'][i] as string,
        3_001,
      );
    }
    // Whatever was not claimed is still due.
    const rest = await claimDeliveries(t.db, lease('d', 3_002, 100));
    expect(rest.length + ids.length).toBe(34); // 30 here plus the 4 stored above
    await markProcessed(
      t.db,
      rest.map((r) => r.id),
      'd',
      3_003,
    );
  });

  it('gives an abandoned lease to the next claimer once it expires, and ignores the old holder', async () => {
    await putDelivery(t.db, delivery('500'), 10_000);
    const [first] = await claimDeliveries(t.db, lease('dead', 10_000));
    expect(first?.attempts).toBe(1);
    expect(await claimDeliveries(t.db, lease('live', 10_500))).toEqual([]); // lease still running
    const [again] = await claimDeliveries(t.db, lease('live', 11_001));
    expect(again?.id).toBe(first?.id);
    expect(again?.attempts).toBe(2);
    const status = async () =>
      (
        await t.db
          .selectFrom('inbox')
          .select('status')
          .where('id', '=', again?.id as number)
          .executeTakeFirstOrThrow()
      ).status;
    await markProcessed(t.db, [again?.id as number], 'dead', 11_002);
    expect(await status()).toBe('pending');
    await markProcessed(t.db, [again?.id as number], 'live', 11_002);
    expect(await status()).toBe('done');
  });

  it('retries a failed attempt at the given time and keeps a given-up one with its error', async () => {
    await putDelivery(t.db, delivery('600'), 20_000);
    const [row] = await claimDeliveries(t.db, lease('w', 20_000));
    await markAttemptFailed(t.db, row?.id as number, 'w', 'boom', 25_000);
    expect(await claimDeliveries(t.db, lease('w', 24_999))).toEqual([]);
    const [retry] = await claimDeliveries(t.db, lease('w', 25_000));
    await markAttemptFailed(t.db, retry?.id as number, 'w', 'boom again', null);
    expect(await claimDeliveries(t.db, lease('w', 99_999))).toEqual([]);
    const stored = await t.db
      .selectFrom('inbox')
      .selectAll()
      .where('id', '=', row?.id as number)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ status: 'failed', attempts: 2, last_error: 'boom again' });
  });

  it('enqueues a send once per idempotency key and refunds the attempt of a rate-limited send', async () => {
    const message = {
      platform: 'telegram' as const,
      workspace: 'bot1',
      target: { kind: 'chat' as const, chatId: '42' },
      content: { text: '你好' },
      idempotencyKey: 'inbox:1:0:reply',
    };
    await enqueue(t.db, [message], 30_000);
    await enqueue(t.db, [message, { ...message, idempotencyKey: 'inbox:1:0:reply2' }], 30_001);
    const claimed = await claimSends(t.db, lease('s', 30_002));
    expect(claimed.map((r) => r.idempotency_key)).toEqual(['inbox:1:0:reply', 'inbox:1:0:reply2']);
    await releaseSend(t.db, claimed[0]?.id as number, 's', {
      status: 'pending',
      refundAttempt: true,
      availableAt: 31_000,
    });
    const [again] = await claimSends(t.db, lease('s', 31_000));
    expect(again?.attempts).toBe(1);
    expect(JSON.parse(again?.content ?? '{}')).toEqual({ text: '你好' });
  });
});

describe.each(dialectsUnderTest().filter((d) => d.name === 'sqlite'))('claims on $name', (dialect) => {
  it('look claimed rows up by primary key, so a claim costs the same however long the backlog is', async () => {
    const t = await dialect.open();
    try {
      const writer = new InboxWriter(t.db, { now: () => 1_000 });
      await Promise.all(Array.from({ length: 2_000 }, (_, n) => writer.put(delivery(String(n)))));
      await enqueue(
        t.db,
        Array.from({ length: 200 }, (_, n) => ({
          platform: 'telegram' as const,
          workspace: 'bot1',
          target: { kind: 'chat' as const, chatId: '42' },
          content: { text: `${n}` },
          idempotencyKey: `send:${n}`,
        })),
        1_000,
      );
      // Every statement the claims run, as SQLite is given it, with its query plan.
      const plans: CompiledQuery[] = [];
      const watched = t.db.withPlugin({
        transformQuery: ({ node, queryId }) => {
          if (node.kind === 'UpdateQueryNode') {
            plans.push(t.db.getExecutor().compileQuery(node, queryId));
          }
          return node;
        },
        transformResult: async ({ result }) => result,
      });
      expect(await claimDeliveries(watched, lease('a', 2_000, 50))).toHaveLength(50);
      expect(await claimSends(watched, lease('a', 2_000, 50))).toHaveLength(50);
      expect(plans).toHaveLength(2);
      for (const statement of plans) {
        const { rows } = await t.db.executeQuery<{ detail: string }>(
          CompiledQuery.raw(`explain query plan ${statement.sql}`, [...statement.parameters]),
        );
        expect(rows.map((r) => r.detail).join('; ')).toMatch(/^SEARCH \w+ USING INTEGER PRIMARY KEY/);
      }
    } finally {
      await t.cleanup();
    }
  });
});
