// Digest generation at scale: the `/find` dataset (1M customers, 10M messages over ~3 years, 20 teams) and one team's
// daily digest built through the real `buildDigest` (every section, no chart), against the whole organisation's in
// the same run. Target: one team ≤ 1 s. Run alone: `npx tsx bench/digest.ts` (BENCH_FIND_CUSTOMERS for a smaller set).
import { openSqlite } from '../db/sqlite.ts';
import { buildDigest } from '../src/core/reading/digests/build.ts';
import { benchCoreDeps } from './core-deps.ts';
import { findData } from './find-data.ts';

const CUSTOMERS = Number(process.env.BENCH_FIND_CUSTOMERS ?? 1_000_000);
const MESSAGES = Number(process.env.BENCH_FIND_MESSAGES ?? CUSTOMERS * 10);
const RUNS = 5;
const TARGET_MS = 1_000;

export async function benchDigest(): Promise<boolean> {
  const data = await findData('data/bench', CUSTOMERS, MESSAGES);
  const db = openSqlite(data.file);
  const latest = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.max('sent_at').as('t'))
    .executeTakeFirstOrThrow();
  const now = Number(latest.t) + 60_000;
  const deps = benchCoreDeps(db, () => now);
  // A team of the tree's lowest level, with its customers: the kind a manager subscribes a group for.
  const team = await db
    .selectFrom('teams')
    .innerJoin('staff', 'staff.team_id', 'teams.id')
    .innerJoin('customers', 'customers.owner_staff_id', 'staff.id')
    .select(['teams.id', 'teams.name', (eb) => eb.fn.countAll<number>().as('n')])
    .where('teams.parent_id', 'is not', null)
    .groupBy(['teams.id', 'teams.name'])
    .orderBy('n', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  const time = async (teamId: number | null) => {
    const ms: number[] = [];
    let size = 0;
    for (let i = 0; i < RUNS + 1; i++) {
      const started = performance.now();
      const content = await buildDigest(deps, { teamId }, 'zh', 'daily');
      if (i > 0) ms.push(performance.now() - started); // the first run warms the caches up
      size = content.text.length;
    }
    ms.sort((a, b) => a - b);
    return { median: ms[Math.floor(ms.length / 2)] as number, max: ms[ms.length - 1] as number, size };
  };
  const teamRun = await time(team.id);
  const orgRun = await time(null);
  await db.destroy();
  console.log(
    `Digest generation over ${CUSTOMERS.toLocaleString('en')} customers and ${MESSAGES.toLocaleString('en')} messages (SQLite), ${RUNS} runs after one warm-up`,
  );
  console.log(
    `  one team (${team.name}, ${Number(team.n).toLocaleString('en')} customers)   median ${teamRun.median.toFixed(0)} ms, max ${teamRun.max.toFixed(0)} ms, ${teamRun.size} characters`,
  );
  console.log(
    `  reference: the whole organisation     median ${orgRun.median.toFixed(0)} ms, max ${orgRun.max.toFixed(0)} ms`,
  );
  const pass = teamRun.max <= TARGET_MS;
  console.log(
    `Team digest generation  ${teamRun.max.toFixed(0)} ms (slowest)   target <= ${TARGET_MS} ms   ${pass ? 'PASS' : 'FAIL'}`,
  );
  return pass;
}

if (import.meta.url === `file://${process.argv[1]}` && !(await benchDigest())) process.exitCode = 1;
