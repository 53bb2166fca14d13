import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../db/schema.ts';
import { checkStatedIdentities } from '../../src/core/records/customers/duplicates-from-message.ts';
import { searchCustomers } from '../../src/core/records/customers/search.ts';
import { processInboxBatch } from '../../src/jobs/inbox-worker.ts';
import { defaultQueueSettings } from '../../src/jobs/settings.ts';
import { InboxWriter } from '../../src/queue/inbox-writer.ts';
import { dialectsUnderTest, type TestDatabase } from '../helpers/databases.ts';
import { telegramFixture } from '../helpers/fake-telegram.ts';
import { failInserts } from '../helpers/faults.ts';
import { inboxCore, quietTelegram } from '../helpers/inbox-batch.ts';

const base = telegramFixture('update-private-customer.json') as {
  message: { from: Record<string, unknown>; chat: Record<string, unknown> };
};

/** New customers' first messages, each customer with a username of their own (found by `/find`). */
async function store(db: Kysely<Database>, workspace: string, texts: string[]) {
  const writer = new InboxWriter(db, { now: Date.now });
  await Promise.all(
    texts.map((text, n) => {
      const person = 6_400_000_000 + n;
      const message = {
        ...base.message,
        message_id: 700 + n,
        text,
        from: { ...base.message.from, id: person, username: `appended${n}x` },
        chat: { ...base.message.chat, id: person, username: `appended${n}x` },
      };
      return writer.put({
        platform: 'telegram',
        workspace,
        dedupKey: `appends-${n}`,
        payload: JSON.stringify({ update_id: 845_800_000 + n, message }),
      });
    }),
  );
}

// A transaction of customer messages writes its audit entries and its new customers' search keys together, just
// before it commits: each still lands once, findable, and a rolled-back transaction leaves none of them behind.
describe.each(dialectsUnderTest())('appends kept for the commit on $name', (dialect) => {
  let t: TestDatabase;
  afterEach(async () => {
    await t?.cleanup();
  });

  it.each([
    ['all of them land', false],
    ['one of them is refused', true],
  ])('new customers in one transaction (%s): each audited once and found by /find', async (_, refused) => {
    t = await dialect.open();
    const adapter = quietTelegram();
    const count = 12;
    if (refused)
      await failInserts(t.db, t.dialect, 'messages', 'injected: boom', { column: 'text', like: '%boom%' });
    await store(
      t.db,
      adapter.workspace,
      Array.from({ length: count }, (_, n) => (refused && n === 7 ? 'boom' : `你好 ${n}`)),
    );
    await processInboxBatch({
      core: inboxCore(t.db, adapter),
      owner: 'test',
      settings: { ...defaultQueueSettings, inboxBatchSize: 50, inboxTransactionMs: 5_000 },
      onSendsQueued: () => {},
      pace: async () => {},
    });
    const created = await t.db
      .selectFrom('audit_log')
      .select(['subject_id'])
      .where('action', '=', 'customer.created')
      .execute();
    const customers = await t.db.selectFrom('customers').select(['id']).execute();
    // A refused message's customer was created in the replay before its message failed: it is kept, audited once.
    expect(customers).toHaveLength(count);
    expect(created.map((r) => Number(r.subject_id)).sort((a, b) => a - b)).toEqual(
      customers.map((c) => c.id).sort((a, b) => a - b),
    );
    for (const n of [0, 7, count - 1]) {
      const found = await searchCustomers(t.db, { q: `appended${n}x`, limit: 5 });
      expect(found.map((c) => c.id)).toHaveLength(1);
    }
    const messages = await t.db.selectFrom('messages').select('text').execute();
    expect(messages).toHaveLength(refused ? count - 1 : count);
  });

  it('phones customers state are checked for duplicates by timed work, not by the messages: one suggestion each', async () => {
    t = await dialect.open();
    const adapter = quietTelegram();
    const core = inboxCore(t.db, adapter);
    const batch = () =>
      processInboxBatch({
        core,
        owner: 'test',
        settings: { ...defaultQueueSettings, inboxBatchSize: 50, inboxTransactionMs: 5_000 },
        onSendsQueued: () => {},
        pace: async () => {},
      });
    // Customer 0 has the number on record; customers 1–8 each write it (or another one) in their first message.
    await store(t.db, adapter.workspace, ['你好']);
    await batch();
    await t.db.updateTable('customers').set({ phone: '13700000001' }).execute();
    const texts = Array.from({ length: 8 }, (_, n) =>
      n % 2 === 0 ? '我电话 137 0000 0001' : '我的号码13900000009',
    );
    await store(t.db, adapter.workspace, ['你好', ...texts]);
    await batch();
    const waiting = await t.db.selectFrom('identity_checks').select('customer_id').execute();
    expect(waiting).toHaveLength(8);
    expect(await t.db.selectFrom('merge_suggestions').select('id').execute()).toEqual([]);
    expect(await checkStatedIdentities(core)).toBe(8);
    const suggested = await t.db
      .selectFrom('merge_suggestions')
      .select(['customer_a_id', 'evidence'])
      .execute();
    expect(suggested).toHaveLength(4);
    for (const s of suggested) expect(s.evidence).toContain('stated_phone');
    expect(await t.db.selectFrom('identity_checks').select('id').execute()).toEqual([]);
    expect(await checkStatedIdentities(core)).toBe(0);
  });
});
