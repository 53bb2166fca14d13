import { afterEach, describe, expect, it } from 'vitest';
import { ensureAdmins } from '../../src/core/records/staff/registry.ts';
import { processInboxBatch } from '../../src/jobs/inbox-worker.ts';
import { defaultQueueSettings } from '../../src/jobs/settings.ts';
import { dialectsUnderTest, type TestDatabase } from '../helpers/databases.ts';
import { inboxCore, quietTelegram, storeFirstMessages } from '../helpers/inbox-batch.ts';

describe.each(dialectsUnderTest())('relays while a long batch runs on $name', (dialect) => {
  let t: TestDatabase;
  afterEach(async () => {
    await t?.cleanup();
  });

  it('queues the relays of what a slow batch recorded before the batch ends, each message once', async () => {
    t = await dialect.open();
    const adapter = quietTelegram();
    // The admin hears about customers nobody owns, in their chat with the bot (seeded as ADMIN_IDS seeds them).
    await ensureAdmins(
      t.db,
      [{ platform: 'telegram', workspace: adapter.workspace, externalId: '5123456789' }],
      1,
    );
    const customers = 40;
    await storeFirstMessages(t.db, adapter, customers, 845_600_000);
    const core = inboxCore(t.db, adapter);
    const relayed = async () =>
      (await t.db.selectFrom('outbox').select('id').where('idempotency_key', 'like', 'relay:%').execute())
        .length;
    // Paced as under a flood of webhooks, one delivery a transaction: the batch of 40 takes ~2 s.
    const seenWhileRunning: number[] = [];
    const processed = await processInboxBatch({
      core,
      owner: 'test',
      settings: { ...defaultQueueSettings, inboxBatchSize: 500, inboxTransactionMs: 0 },
      onSendsQueued: () => {},
      pace: async () => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        seenWhileRunning.push(await relayed());
      },
    });
    expect(processed).toBe(customers);
    // The admin got a relay while the batch still ran, not only at its end.
    expect(Math.max(...seenWhileRunning)).toBeGreaterThan(0);
    // Every message waits for exactly one relay to the admin; those assigned are in a queued relay.
    const rows = await t.db.selectFrom('relays').select(['message_id', 'batch_key']).execute();
    expect(new Set(rows.map((r) => r.message_id)).size).toBe(customers);
    expect(rows).toHaveLength(customers);
    const keys = new Set(rows.flatMap((r) => (r.batch_key === null ? [] : [r.batch_key])));
    expect(keys.size).toBeGreaterThan(0);
    expect(await relayed()).toBe(keys.size);
  });
});
