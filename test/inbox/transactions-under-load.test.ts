import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTelegramAdapter } from '../../adapters/telegram/index.ts';
import { type CoreDeps, defaultOrgSettings } from '../../src/core/kernel/runtime.ts';
import { DEFAULT_RULE_SET } from '../../src/core/kernel/tagging/default-rules.ts';
import { compileRules } from '../../src/core/kernel/tagging/rules.ts';
import { silentLogger } from '../../src/core/ports/clock.ts';
import { processInboxBatch } from '../../src/jobs/inbox-worker.ts';
import { queueSettingsFor } from '../../src/jobs/settings.ts';
import { nextTurn } from '../../src/lib/next-turn.ts';
import { InboxWriter } from '../../src/queue/inbox-writer.ts';
import { dialectsUnderTest, type TestDatabase } from '../helpers/databases.ts';
import { telegramFixture } from '../helpers/fake-telegram.ts';

const base = telegramFixture('update-private-customer.json') as {
  update_id: number;
  message: { message_id: number; text: string; from: { id: number }; chat: { id: number } };
};
/** Customer `n`'s first message, in a chat of its own. */
const update = (n: number) => ({
  ...base,
  update_id: 845_500_000 + n,
  message: {
    ...base.message,
    message_id: 9_100 + n,
    from: { ...base.message.from, id: 6_400_000_000 + n },
    chat: { ...base.message.chat, id: 6_400_000_000 + n },
  },
});

// A real server (TEST_DATABASE_URL), else PGlite.
const onPostgres = dialectsUnderTest().filter((d) => d.name.startsWith('postgres'));

describe.each(onPostgres)('the inbox on $name', (dialect) => {
  let t: TestDatabase;
  afterEach(async () => {
    await t?.cleanup();
  });

  it('keeps taking deliveries into its transactions while webhooks wait to be stored (a pool serves them), paced between them', async () => {
    t = await dialect.open();
    const adapter = createTelegramAdapter({
      botToken: '1:test',
      webhookSecret: 'secret',
      apiRoot: 'http://127.0.0.1:9',
    });
    const writer = new InboxWriter(t.db, { now: Date.now });
    const chats = 12;
    await Promise.all(
      Array.from({ length: chats }, (_, n) =>
        writer.put({
          platform: 'telegram',
          workspace: adapter.workspace,
          dedupKey: `load-${n}`,
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
