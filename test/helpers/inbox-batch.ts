import type { Kysely } from 'kysely';
import { createTelegramAdapter } from '../../adapters/telegram/index.ts';
import type { Database } from '../../db/schema.ts';
import { type CoreDeps, defaultOrgSettings } from '../../src/core/kernel/runtime.ts';
import { DEFAULT_RULE_SET } from '../../src/core/kernel/tagging/default-rules.ts';
import { compileRules } from '../../src/core/kernel/tagging/rules.ts';
import { silentLogger } from '../../src/core/ports/clock.ts';
import { InboxWriter } from '../../src/queue/inbox-writer.ts';
import { telegramFixture } from './fake-telegram.ts';

// For tests that call the inbox worker directly (processInboxBatch): deliveries stored as webhooks store them, and
// the core it runs them with.

const base = telegramFixture('update-private-customer.json') as {
  update_id: number;
  message: { message_id: number; text: string; from: { id: number }; chat: { id: number } };
};

/** A Telegram adapter whose API nobody answers (the tests send nothing). */
export const quietTelegram = () =>
  createTelegramAdapter({ botToken: '1:test', webhookSecret: 'secret', apiRoot: 'http://127.0.0.1:9' });

/**
 * Stores the first message of `count` new customers, each in a chat of its own, under ids from `firstId` on (distinct
 * per test, so two tests' customers never meet).
 */
export async function storeFirstMessages(
  db: Kysely<Database>,
  adapter: ReturnType<typeof quietTelegram>,
  count: number,
  firstId: number,
): Promise<void> {
  const writer = new InboxWriter(db, { now: Date.now });
  await Promise.all(
    Array.from({ length: count }, (_, n) => {
      const person = 6_000_000_000 + firstId + n;
      const update = {
        ...base,
        update_id: firstId + n,
        message: {
          ...base.message,
          message_id: firstId + n,
          from: { ...base.message.from, id: person },
          chat: { ...base.message.chat, id: person },
        },
      };
      return writer.put({
        platform: 'telegram',
        workspace: adapter.workspace,
        dedupKey: `first-${firstId + n}`,
        payload: JSON.stringify(update),
      });
    }),
  );
}

/** The core the inbox worker runs deliveries with: the shipped rules, no model, the real clock. */
export function inboxCore(db: Kysely<Database>, adapter: ReturnType<typeof quietTelegram>): CoreDeps {
  const rules = compileRules(DEFAULT_RULE_SET);
  return {
    db,
    clock: { now: Date.now },
    logger: silentLogger,
    adapters: new Map([['telegram', adapter]]),
    org: defaultOrgSettings,
    tagging: { rules, allowlist: rules.tags, llmTagging: false },
  };
}
