import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { processInboxBatch } from '../../src/jobs/inbox-worker.ts';
import { queueSettingsFor } from '../../src/jobs/settings.ts';
import { nextTurn } from '../../src/lib/next-turn.ts';
import { dialectsUnderTest, type TestDatabase } from '../helpers/databases.ts';
import { inboxCore, quietTelegram, storeFirstMessages } from '../helpers/inbox-batch.ts';

// A real server (TEST_DATABASE_URL), else PGlite.
const onPostgres = dialectsUnderTest().filter((d) => d.name.startsWith('postgres'));

describe.each(onPostgres)('the inbox on $name', (dialect) => {
  let t: TestDatabase;
  afterEach(async () => {
    await t?.cleanup();
  });

  it('keeps taking deliveries into its transactions while webhooks wait to be stored (a pool serves them), paced between them', async () => {
    t = await dialect.open();
    const adapter = quietTelegram();
    const chats = 12;
    await storeFirstMessages(t.db, adapter, chats, 845_500_000);
    const core = inboxCore(t.db, adapter);
    // No time limit in the way: only waiting webhooks could end a transaction early.
    const settings = { ...queueSettingsFor(true), inboxTransactionMs: 60_000 };
    // The ingest-first pacer (acknowledgements first) still gets its turn between deliveries.
    let paced = 0;
    const processed = await processInboxBatch({
      core,
      owner: 'test',
      settings,
      onSendsQueued: () => {},
      pace: () => {
        paced++;
        return nextTurn();
      },
      acksWaiting: () => true,
    });
    expect(processed).toBe(chats);
    expect(paced).toBeGreaterThanOrEqual(chats - settings.inboxLanes);
    const messages = await t.db.selectFrom('messages').select('id').execute();
    expect(messages).toHaveLength(chats);
    // The transaction that wrote a row is its xmin: one per lane, not one per delivery.
    const transactions = await sql<{
      n: number;
    }>`select count(distinct xmin::text)::int as n from messages`.execute(t.db);
    expect(transactions.rows[0]?.n).toBeLessThanOrEqual(settings.inboxLanes);
  });
});
