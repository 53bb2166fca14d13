// One instance of a PostgreSQL deployment's inbox worker, in a process of its own: bench/inbox-throughput.ts starts
// one per instance (several in one process would share its one thread, which is what instances are there to avoid).
// Says READY, drains the inbox on 'go' with the production settings, answers what it claimed and the CPU it took.
import { createTelegramAdapter } from '../adapters/telegram/index.ts';
import { openPostgres } from '../db/postgres.ts';
import type { CoreDeps } from '../src/core/kernel/runtime.ts';
import { processInboxBatch } from '../src/jobs/inbox-worker.ts';
import { queueSettingsFor } from '../src/jobs/settings.ts';
import { nextTurn } from '../src/lib/next-turn.ts';
import { benchCoreDeps } from './core-deps.ts';

// The bot's token and secret come from the parent too: requests.ts reads fixtures beside its source, not beside a bundle.
const { BENCH_DRAIN_URL: url, BENCH_DRAIN_TOKEN: botToken, BENCH_DRAIN_SECRET: webhookSecret } = process.env;
if (!url || !botToken || !webhookSecret || !process.send)
  throw new Error('run by bench/inbox-throughput.ts (BENCH_DRAIN_URL, _TOKEN, _SECRET, an IPC channel)');
const db = openPostgres(url, 10);
const adapter = createTelegramAdapter({ botToken, webhookSecret, apiRoot: 'http://127.0.0.1:9' });
const core: CoreDeps = { ...benchCoreDeps(db, Date.now), adapters: new Map([['telegram', adapter]]) };
const deps = {
  core,
  owner: process.env.BENCH_DRAIN_OWNER ?? `bench-${process.pid}`,
  settings: queueSettingsFor(true),
  onSendsQueued: () => {},
  pace: nextTurn,
};

process.on('message', async (message) => {
  if (message !== 'go') return;
  const cpu0 = process.cpuUsage();
  let claimed = 0;
  for (let n = await processInboxBatch(deps); n > 0; n = await processInboxBatch(deps)) claimed += n;
  const cpu = process.cpuUsage(cpu0);
  await db.destroy();
  process.send?.({ claimed, cpuUs: cpu.user + cpu.system }, () => process.exit(0));
});
process.stdout.write('READY drain\n');
