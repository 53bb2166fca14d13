// End to end from acknowledged to on the customer's record: BENCH_INBOX_UPDATES (default 5,000) Telegram updates from
// as many new customers, stored in the inbox as the webhook's group commit stores them, then processed by the real
// inbox worker (decode → handleEvent: identity, search keys, chat, message, burst, rule tags, alerts, audit) with the
// production settings; then one more message from each of them (known customers). The in-run reference is the least
// such a pipeline could do on the same database: per update one prepared INSERT each of customer, identity and
// message, in one transaction per batch. SQLite always, in BENCH_INBOX_ROUNDS rounds (default 3) each beside its own
// reference, the goal judged on the median; PostgreSQL too with `--db postgres` (1 and 3 instances, one round, each
// instance a process of its own: bench/inbox-drain-worker.ts).
// Run alone: `npx tsx bench/inbox-throughput.ts [--db postgres]`, or BENCH_ONLY=inbox.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import { createTelegramAdapter } from '../adapters/telegram/index.ts';
import { isPostgres } from '../db/dialect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { openPostgres } from '../db/postgres.ts';
import type { Database } from '../db/schema.ts';
import { openSqlite } from '../db/sqlite.ts';
import type { CoreDeps } from '../src/core/kernel/runtime.ts';
import { processInboxBatch } from '../src/jobs/inbox-worker.ts';
import { queueSettingsFor } from '../src/jobs/settings.ts';
import { nextTurn } from '../src/lib/next-turn.ts';
import { InboxWriter } from '../src/queue/inbox-writer.ts';
import { benchCoreDeps } from './core-deps.ts';
import { TELEGRAM_SECRET, TELEGRAM_TOKEN, telegramUpdate } from './requests.ts';
import { startServer, stopServer } from './servers.ts';

const UPDATES = Number(process.env.BENCH_INBOX_UPDATES ?? 5_000);
/** SQLite rounds, each with its own reference and databases; the goal is judged on their median (the host's noise). */
const ROUNDS = Math.max(1, Number(process.env.BENCH_INBOX_ROUNDS ?? 3));
/** The issue's goal for new customers on SQLite (2 cores). */
const TARGET = 3_000;
const DATABASE_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';

const adapter = createTelegramAdapter({
  botToken: TELEGRAM_TOKEN,
  webhookSecret: TELEGRAM_SECRET,
  apiRoot: 'http://127.0.0.1:9',
});

/** Update `n` of round `round`: customer n's message, a question the shipped rules tag. */
function update(round: number, n: number): string {
  const id = 100_000_000 * (round + 1) + n;
  const user = 7_000_000_000 + n;
  return JSON.stringify({
    ...telegramUpdate,
    update_id: id,
    message: {
      ...telegramUpdate.message,
      message_id: id,
      date: Math.floor(Date.now() / 1000),
      from: { ...telegramUpdate.message.from, id: user, first_name: `客户${n}` },
      chat: { ...telegramUpdate.message.chat, id: user, first_name: `客户${n}` },
    },
  });
}

async function store(db: Kysely<Database>, round: number): Promise<void> {
  const writer = new InboxWriter(db, { now: Date.now });
  const puts: Promise<boolean>[] = [];
  for (let n = 0; n < UPDATES; n++)
    puts.push(
      writer.put({
        platform: 'telegram',
        workspace: adapter.workspace,
        dedupKey: `b${round}:${n}`,
        payload: update(round, n),
      }),
    );
  await Promise.all(puts);
}

interface Rate {
  perSecond: number;
  /** This process's CPU time per message (user + system), µs: steadier than the rate on a shared machine. */
  cpuUs: number;
}

/** Runs one inbox worker per database handle (instance) until the inbox is empty, from the first claim to the last done. */
async function drain(dbs: Kysely<Database>[]): Promise<Rate> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await Promise.all(
    dbs.map(async (db, i) => {
      const core: CoreDeps = { ...benchCoreDeps(db, Date.now), adapters: new Map([['telegram', adapter]]) };
      const deps = {
        core,
        owner: `bench-${i}`,
        settings: queueSettingsFor(isPg(db)),
        onSendsQueued: () => {},
        pace: nextTurn,
      };
      while ((await processInboxBatch(deps)) > 0) {}
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  return { perSecond: (UPDATES / (performance.now() - t0)) * 1000, cpuUs: (cpu.user + cpu.system) / UPDATES };
}

/**
 * Runs `instances` inbox workers on `url`, each in a process of its own (as a deployment's instances are), until the
 * inbox is empty, from the first claim to the last done; CPU is theirs, summed.
 */
async function drainInProcesses(url: string, instances: number): Promise<Rate> {
  const workers = [];
  // One at a time: each start bundles the worker into the same folder.
  for (let i = 0; i < instances; i++)
    workers.push(
      await startServer('./inbox-drain-worker.ts', {
        BENCH_DRAIN_URL: url,
        BENCH_DRAIN_OWNER: `bench-${i}`,
        BENCH_DRAIN_TOKEN: TELEGRAM_TOKEN,
        BENCH_DRAIN_SECRET: TELEGRAM_SECRET,
      }),
    );
  try {
    const t0 = performance.now();
    const results = await Promise.all(
      workers.map(
        (w) =>
          new Promise<{ claimed: number; cpuUs: number }>((resolve, reject) => {
            w.child.once('message', (m) => resolve(m as { claimed: number; cpuUs: number }));
            // A worker that dies (a failed claim, a lost database) fails the run instead of leaving it waiting.
            w.child.once('exit', (code) => reject(new Error(`an inbox drain worker exited with ${code}`)));
            w.child.send('go');
          }),
      ),
    );
    const cpuUs = results.reduce((sum, r) => sum + r.cpuUs, 0);
    return { perSecond: (UPDATES / (performance.now() - t0)) * 1000, cpuUs: cpuUs / UPDATES };
  } finally {
    await Promise.all(workers.filter((w) => w.child.exitCode === null).map(stopServer));
  }
}

const isPg = isPostgres;

async function check(db: Kysely<Database>, rounds: number): Promise<string | null> {
  const notDone = await db.selectFrom('inbox').select('id').where('status', '!=', 'done').execute();
  const count = async (table: 'messages' | 'customers') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const [messages, customers] = [await count('messages'), await count('customers')];
  if (notDone.length > 0 || messages !== UPDATES * rounds || customers !== UPDATES)
    return `${notDone.length} not done, ${messages} messages, ${customers} customers`;
  return null;
}

/** The reference on SQLite: customer, identity and message rows by prepared INSERTs, a transaction per 50. */
function referenceSqlite(file: string): Rate {
  const raw = new BetterSqlite3(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.exec(`create table customers (id integer primary key, name text, created_at integer);
    create table identities (id integer primary key, customer_id integer, platform text, external_id text, unique (platform, external_id));
    create table messages (id integer primary key, customer_id integer, platform_message_id text, text text, sent_at integer);
    create table inbox (id integer primary key, payload text, status text)`);
  const putInbox = raw.prepare("insert into inbox (payload, status) values (?, 'pending')");
  raw.transaction(() => {
    for (let n = 0; n < UPDATES; n++) putInbox.run(update(0, n));
  })();
  const claim = raw.prepare("select id, payload from inbox where status = 'pending' order by id limit 50");
  const done = raw.prepare("update inbox set status = 'done' where id = ?");
  const customer = raw.prepare('insert into customers (name, created_at) values (?, ?)');
  const identity = raw.prepare(
    'insert into identities (customer_id, platform, external_id) values (?, ?, ?) on conflict do nothing',
  );
  const message = raw.prepare(
    'insert into messages (customer_id, platform_message_id, text, sent_at) values (?, ?, ?, ?)',
  );
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (;;) {
    const rows = claim.all() as { id: number; payload: string }[];
    if (rows.length === 0) break;
    raw.transaction(() => {
      for (const row of rows) {
        const u = JSON.parse(row.payload);
        const c = customer.run(u.message.from.first_name, Date.now()).lastInsertRowid;
        identity.run(c, 'telegram', String(u.message.from.id));
        message.run(c, String(u.message.message_id), u.message.text, u.message.date);
        done.run(row.id);
      }
    })();
  }
  const cpu = process.cpuUsage(cpu0);
  const rate = {
    perSecond: (UPDATES / (performance.now() - t0)) * 1000,
    cpuUs: (cpu.user + cpu.system) / UPDATES,
  };
  raw.close();
  return rate;
}

/** The round with the median rate (its CPU with it). */
function medianRate(rates: Rate[]): Rate {
  return [...rates].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(rates.length / 2)] as Rate;
}

const line = (name: string, rate: Rate, ref?: number) =>
  `  ${name.padEnd(52)} ${Math.round(rate.perSecond).toLocaleString('en').padStart(7)} messages/s  CPU ${Math.round(rate.cpuUs).toLocaleString('en').padStart(5)} µs/message${ref ? `  ${(rate.perSecond / ref).toFixed(3)}× the reference` : ''}`;

async function run(
  name: string,
  open: () => Promise<Kysely<Database>[]>,
  ref?: number,
  drainer: (dbs: Kysely<Database>[]) => Promise<Rate> = drain,
) {
  const dbs = await open();
  const [db] = dbs as [Kysely<Database>];
  try {
    await store(db, 0);
    const fresh = await drainer(dbs);
    await store(db, 1);
    const known = await drainer(dbs);
    const problem = await check(db, 2);
    console.log(line(`${name}, new customers`, fresh, ref));
    console.log(line(`${name}, known customers`, known, ref));
    if (problem) console.log(`  ${name}: LOST OR FAILED DELIVERIES (${problem})`);
    return { fresh, known, whole: problem === null };
  } finally {
    for (const d of dbs) await d.destroy();
  }
}

/** Prints the rates; true when SQLite meets the goal for new customers and nothing was lost. */
export async function benchInboxThroughput(o: { postgres?: boolean } = {}): Promise<boolean> {
  const folder = mkdtempSync(join(tmpdir(), 'liaison-inbox-bench-'));
  try {
    console.log(
      `Inbox end to end (acknowledged → on the customer's record), ${UPDATES.toLocaleString('en')} Telegram updates per round; Node ${process.version}`,
    );
    // A warm-up on a database of its own, so the first measured round does not pay for compiling the code.
    const warm = openSqlite(join(folder, 'warm-up.sqlite'));
    await migrateToLatest(warm);
    await store(warm, 9);
    await drain([warm]);
    await warm.destroy();
    const rounds: Array<Awaited<ReturnType<typeof run>>> = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const reference = referenceSqlite(join(folder, `reference-${round}.sqlite`));
      console.log(line(`reference: prepared INSERTs, SQLite, round ${round}`, reference));
      rounds.push(
        await run(
          `Liaison on SQLite, round ${round}`,
          async () => {
            const db = openSqlite(join(folder, `liaison-${round}.sqlite`));
            await migrateToLatest(db);
            return [db];
          },
          reference.perSecond,
        ),
      );
    }
    const sqlite = {
      fresh: medianRate(rounds.map((r) => r.fresh)),
      known: medianRate(rounds.map((r) => r.known)),
      whole: rounds.every((r) => r.whole),
    };
    if (ROUNDS > 1) {
      console.log(line(`Liaison on SQLite, median of ${ROUNDS}, new customers`, sqlite.fresh));
      console.log(line(`Liaison on SQLite, median of ${ROUNDS}, known customers`, sqlite.known));
    }
    let whole = sqlite.whole;
    if (o.postgres) {
      for (const instances of [1, 3]) {
        const schema = `bench_inbox_${Date.now().toString(36)}`;
        const admin = openPostgres(DATABASE_URL, 1);
        await sql`create schema ${sql.id(schema)}`.execute(admin);
        const u = new URL(DATABASE_URL);
        u.searchParams.set('options', `-c search_path=${schema}`);
        try {
          const pg = await run(
            `Liaison on PostgreSQL, ${instances} instance(s)`,
            async () => {
              const db = openPostgres(u.toString(), 10);
              await migrateToLatest(db);
              return [db];
            },
            undefined,
            () => drainInProcesses(u.toString(), instances),
          );
          whole &&= pg.whole;
        } finally {
          await sql`drop schema ${sql.id(schema)} cascade`.execute(admin);
          await admin.destroy();
        }
      }
    }
    const pass = sqlite.fresh.perSecond >= TARGET && whole;
    console.log(
      `Inbox end to end, new customers on SQLite (median of ${ROUNDS})  ${Math.round(sqlite.fresh.perSecond).toLocaleString('en')} messages/s   target >= ${TARGET.toLocaleString('en')}/s   ${pass ? 'PASS' : 'FAIL'}`,
    );
    return pass;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`)
  process.exitCode = (await benchInboxThroughput({ postgres: process.argv.includes('postgres') })) ? 0 : 1;
