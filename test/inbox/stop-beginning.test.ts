import { afterEach, describe, expect, it } from 'vitest';
import { processInboxBatch } from '../../src/jobs/inbox-worker.ts';
import { defaultQueueSettings, type QueueSettings } from '../../src/jobs/settings.ts';
import { dialectsUnderTest, type TestDatabase } from '../helpers/databases.ts';
import { inboxCore, quietTelegram, storeFirstMessages } from '../helpers/inbox-batch.ts';

// A run that may begin no more deliveries (on Workers, D1's queries per invocation are spent) gives the rest of its
// claim back at once, their attempt not counted. D1's way (no transactions) is tested in test/workers.
describe.each(dialectsUnderTest())('a batch told to stop beginning deliveries on $name', (dialect) => {
  let t: TestDatabase;
  afterEach(async () => {
    await t?.cleanup();
  });

  it.each([
    ['in transactions', { inboxTransactionMs: 1_000 }],
    ['a delivery a transaction, in lanes', { inboxTransactionMs: 0, inboxLanes: 4 }],
  ] as const)(
    '%s: processes what it began, gives the rest back due at once, and the next run takes them',
    async (_, s) => {
      t = await dialect.open();
      const adapter = quietTelegram();
      const customers = 20;
      await storeFirstMessages(t.db, adapter, customers, 845_700_000);
      const core = inboxCore(t.db, adapter);
      const settings: QueueSettings = { ...defaultQueueSettings, inboxBatchSize: 50, ...s };
      const run = (owner: string, mayBegin?: () => boolean) =>
        processInboxBatch({
          core,
          owner,
          settings,
          onSendsQueued: () => {},
          pace: async () => {},
          ...(mayBegin ? { mayBegin } : {}),
        });
      let begun = 0;
      const first = await run('first', () => begun++ < 8);
      expect(first).toBe(8);
      const rows = () =>
        t.db.selectFrom('inbox').select(['status', 'attempts', 'lease_owner', 'available_at']).execute();
      const after = await rows();
      expect(after.filter((r) => r.status === 'done')).toHaveLength(8);
      const given = after.filter((r) => r.status === 'pending');
      expect(given).toHaveLength(customers - 8);
      for (const r of given) {
        expect(r.attempts).toBe(0);
        expect(r.lease_owner).toBeNull();
        expect(r.available_at).toBeLessThanOrEqual(Date.now());
      }
      const second = await run('second');
      expect(second).toBe(customers - 8);
      const end = await rows();
      expect(end.every((r) => r.status === 'done' && r.attempts === 1)).toBe(true);
      expect(await t.db.selectFrom('messages').select('id').execute()).toHaveLength(customers);
    },
  );
});
