// `npm run chaos`: the long chaos run (100,000 deliveries by default) on SQLite, and on PostgreSQL when
// TEST_DATABASE_URL is set. CHAOS_DELIVERIES, CHAOS_KILLS, CHAOS_FAULT_RATE and CHAOS_SEED change it.

import { type ChaosFigures, formatFigures, runChaos, SEND_LANES } from '../test/chaos/chaos-run.ts';
import { serverDialectsUnderTest } from '../test/helpers/databases.ts';

const deliveries = Number(process.env.CHAOS_DELIVERIES ?? 100_000);
const kills = Number(process.env.CHAOS_KILLS ?? 4);
const faultRate = Number(process.env.CHAOS_FAULT_RATE ?? 0.3);
const seed = process.env.CHAOS_SEED ? Number(process.env.CHAOS_SEED) : undefined;
const dialects = serverDialectsUnderTest();
if (!dialects.some((d) => d.name === 'postgres'))
  console.info('PostgreSQL not configured (set TEST_DATABASE_URL=postgres://…): running on SQLite only.');

/** What a run must show: every acknowledged event processed once, no send twice, the backlog drained. */
function problems(f: ChaosFigures): string[] {
  const found: string[] = [];
  if (f.acknowledged !== f.deliveries)
    found.push(`${f.deliveries - f.acknowledged} deliveries never acknowledged`);
  if (f.inbox !== f.unique || f.processed !== f.unique)
    found.push(`inbox ${f.inbox} rows, ${f.processed} processed, for ${f.unique} unique deliveries`);
  if (f.failedInbox + f.failedOutbox > 0)
    found.push(`${f.failedInbox} inbox and ${f.failedOutbox} outbox rows failed`);
  if (f.duplicateMessages > 0) found.push(`${f.duplicateMessages} duplicate messages`);
  if (f.unanswered > 0) found.push(`${f.unanswered} staff commands unanswered`);
  if (f.duplicateSends > 0) found.push(`${f.duplicateSends} duplicate sends`);
  if (f.repeatedSendsAfterKill > f.kills * SEND_LANES)
    found.push(`${f.repeatedSendsAfterKill} sends repeated after ${f.kills} kills`);
  if (!f.drained) found.push('backlog not drained within 5 minutes');
  return found;
}

let failed = false;
for (const dialect of dialects.filter((d) => d.name === 'sqlite' || d.name === 'postgres')) {
  const figures = await runChaos({
    deliveries,
    kills,
    dialect,
    faultRate,
    concurrency: 48,
    drainLimitMs: 5 * 60_000,
    ...(seed !== undefined ? { seed } : {}),
    log: (line) => console.info(`  [${dialect.name}] ${line}`),
  });
  console.info(formatFigures(figures));
  const found = problems(figures);
  console.info(found.length ? `FAIL: ${found.join('; ')}` : 'PASS');
  failed ||= found.length > 0;
}
process.exit(failed ? 1 : 0);
