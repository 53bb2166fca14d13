// LLM calls per conversation burst: a replayed conversation set (customers writing in bursts of 1-8 messages, seconds
// apart, with long pauses between bursts) goes through the real core (ingest, rules, bursts, the auto-tagging worker)
// on SQLite, with a counting stand-in for the model endpoint. Target: at most one call per burst.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateToLatest } from '../db/migrate.ts';
import { openSqlite } from '../db/sqlite.ts';
import { handleEvent } from '../src/core/inbound/handle-event.ts';
import type { Llm } from '../src/core/ports/llm.ts';
import { tagDueBursts } from '../src/core/reading/intelligence/llm-tagging.ts';
import { LABELED_MESSAGES } from '../test/tagging/labeled-messages.ts';
import { benchCoreDeps } from './core-deps.ts';

const CUSTOMERS = Number(process.env.BENCH_LLM_CUSTOMERS ?? 300);
const BURSTS_PER_CUSTOMER = 4;
const MINUTE = 60_000;

export async function benchLlmCalls(): Promise<boolean> {
  const dir = mkdtempSync(join(tmpdir(), 'liaison-bench-llm-'));
  const db = openSqlite(join(dir, 'bench.sqlite'));
  await migrateToLatest(db);
  let calls = 0;
  const llm: Llm = {
    model: 'bench',
    async complete() {
      calls++;
      return {
        text: '{"tags":[],"intent":"inquiry","sentiment":"neutral","stage":null,"summary":"询价"}',
        toolCalls: [],
        usage: null,
      };
    },
  };
  let now = Date.UTC(2026, 2, 2, 1, 0);
  const deps = benchCoreDeps(db, () => now, llm);
  // Every customer's bursts, in time order: a few messages 5-40 s apart, then 30-180 minutes of quiet.
  let seed = 7;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const messages: Array<{ at: number; customer: number; text: string }> = [];
  for (let c = 0; c < CUSTOMERS; c++) {
    let at = now + Math.floor(random() * 60) * MINUTE;
    for (let b = 0; b < BURSTS_PER_CUSTOMER; b++) {
      const size = 1 + Math.floor(random() * 8);
      for (let m = 0; m < size; m++) {
        at += 5_000 + Math.floor(random() * 35_000);
        messages.push({
          at,
          customer: c,
          text: (LABELED_MESSAGES[Math.floor(random() * LABELED_MESSAGES.length)] as { text: string }).text,
        });
      }
      at += (30 + Math.floor(random() * 150)) * MINUTE;
    }
  }
  messages.sort((a, b) => a.at - b.at);
  const started = performance.now();
  let nextSweep = now;
  const sweep = async () => {
    while ((await tagDueBursts(deps, 50)).taken > 0) {}
  };
  for (const [i, m] of messages.entries()) {
    now = m.at;
    if (now >= nextSweep) {
      await sweep();
      nextSweep = now + 10_000; // the worker polls about every ten seconds of replayed time
    }
    const userId = String(9_000_000_000 + m.customer);
    await handleEvent(
      deps,
      {
        kind: 'message',
        platform: 'telegram',
        workspace: 'bench',
        occurredAt: m.at,
        chat: { key: userId, kind: 'private', platformChatId: userId },
        sender: { externalId: userId, workspace: '', displayName: `客户${m.customer}` },
        messageId: String(i),
        text: m.text,
        contentType: 'text',
        botCommandText: m.text,
      },
      `bench:${i}`,
    );
  }
  now += 24 * 60 * MINUTE;
  await sweep();
  const elapsed = (performance.now() - started) / 1000;
  const bursts = Number(
    (
      await db
        .selectFrom('conversation_bursts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  const tagged = Number(
    (
      await db
        .selectFrom('customer_tags')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
  const perBurst = calls / bursts;
  console.log(
    `LLM calls on a replayed conversation set: ${messages.length.toLocaleString('en')} messages from ${CUSTOMERS} customers in ${bursts} bursts (${elapsed.toFixed(1)} s through the core)`,
  );
  console.log(
    `  model calls ${calls}  =  ${((calls / messages.length) * 1000).toFixed(0)} per 1,000 messages  (one per message would be 1,000); rule tags given ${tagged}`,
  );
  const pass = perBurst <= 1;
  console.log(
    `LLM calls per conversation burst  ${perBurst.toFixed(2)}   target <= 1   ${pass ? 'PASS' : 'FAIL'}`,
  );
  return pass;
}

if (import.meta.url === `file://${process.argv[1]}` && !(await benchLlmCalls())) process.exitCode = 1;
