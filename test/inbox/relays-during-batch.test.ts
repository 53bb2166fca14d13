import { afterEach, describe, expect, it } from 'vitest';
import { createTelegramAdapter } from '../../adapters/telegram/index.ts';
import { type CoreDeps, defaultOrgSettings } from '../../src/core/kernel/runtime.ts';
import { DEFAULT_RULE_SET } from '../../src/core/kernel/tagging/default-rules.ts';
import { compileRules } from '../../src/core/kernel/tagging/rules.ts';
import { silentLogger } from '../../src/core/ports/clock.ts';
import { processInboxBatch } from '../../src/jobs/inbox-worker.ts';
import { defaultQueueSettings } from '../../src/jobs/settings.ts';
import { InboxWriter } from '../../src/queue/inbox-writer.ts';
import { dialectsUnderTest, type TestDatabase } from '../helpers/databases.ts';
import { telegramFixture } from '../helpers/fake-telegram.ts';
import { insertStaff } from '../helpers/staff-rows.ts';

const base = telegramFixture('update-private-customer.json') as {
  update_id: number;
  message: { message_id: number; text: string; from: { id: number }; chat: { id: number } };
};
/** Customer `n`'s first message, in a chat of its own. */
const update = (n: number) => ({
  ...base,
  update_id: 845_600_000 + n,
  message: {
    ...base.message,
    message_id: 9_300 + n,
    from: { ...base.message.from, id: 6_410_000_000 + n },
    chat: { ...base.message.chat, id: 6_410_000_000 + n },
  },
});

describe.each(dialectsUnderTest())('relays while a long batch runs on $name', (dialect) => {
  let t: TestDatabase;
  afterEach(async () => {
    await t?.cleanup();
  });

  it('queues the relays of what a slow batch recorded before the batch ends, each message once', async () => {
    t = await dialect.open();
    const adapter = createTelegramAdapter({
      botToken: '1:test',
      webhookSecret: 'secret',
      apiRoot: 'http://127.0.0.1:9',
    });
    // The admin hears about customers nobody owns, in their chat with the bot.
    const admin = await insertStaff(t.db, '管理员', { role: 'admin' });
    await t.db
      .insertInto('staff_identities')
      .values({
        staff_id: admin,
        platform: 'telegram',
        workspace: adapter.workspace,
        external_id: '5123456789',
        display_name: '管理员',
        username: null,
        created_at: 1,
      })
      .execute();
    const writer = new InboxWriter(t.db, { now: Date.now });
    const customers = 40;
    await Promise.all(
      Array.from({ length: customers }, (_, n) =>
        writer.put({
          platform: 'telegram',
          workspace: adapter.workspace,
          dedupKey: `slow-${n}`,
          payload: JSON.stringify(update(n)),
        }),
      ),
    );
    const rules = compileRules(DEFAULT_RULE_SET);
    const core: CoreDeps = {
      db: t.db,
      clock: { now: Date.now },
      logger: silentLogger,
      adapters: new Map([['telegram', adapter]]),
      org: defaultOrgSettings,
      tagging: { rules, allowlist: rules.tags, llmTagging: false },
    };
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
