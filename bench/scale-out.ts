// `npm run bench -- --db postgres`: Telegram ingest flat out on PostgreSQL with 1 and with 3 instances, beside the
// SQLite single instance measured in the same run; then every stored update must have become exactly one message.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { openPostgres } from '../db/postgres.ts';
import type { Database } from '../db/schema.ts';
import { openSqlite } from '../db/sqlite.ts';
import { FakeTelegram } from '../test/helpers/fake-telegram.ts';
import { autocannonLoad, type Load, ms } from './load.ts';
import { TELEGRAM_SECRET, TELEGRAM_TOKEN, telegramRequest } from './requests.ts';
import { type Server, startServer, stopServer } from './servers.ts';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const DATABASE_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';

interface Setup {
  name: string;
  databaseUrl: string;
  db: Kysely<Database>;
  instances: number;
}

export async function benchScaleOut(): Promise<boolean> {
  const telegram = await new FakeTelegram(TELEGRAM_TOKEN).start();
  const schema = `bench_${Date.now().toString(36)}`;
  const admin = openPostgres(DATABASE_URL, 1);
  await sql`create schema ${sql.id(schema)}`.execute(admin);
  const pgUrl = withSearchPath(DATABASE_URL, schema);
  const sqliteFile = join(mkdtempSync(join(tmpdir(), 'liaison-bench-')), 'liaison.sqlite');
  console.log(
    `Telegram ingest flat out, ${CONNECTIONS} connections in all, ${SECONDS} s per run; PostgreSQL ${redacted(DATABASE_URL)} (schema ${schema}); Node ${process.version}`,
  );
  const setups: Setup[] = [
    { name: 'SQLite, 1 instance', databaseUrl: sqliteFile, db: openSqlite(sqliteFile), instances: 1 },
    { name: 'PostgreSQL, 1 instance', databaseUrl: pgUrl, db: openPostgres(pgUrl, 2), instances: 1 },
    { name: 'PostgreSQL, 3 instances', databaseUrl: pgUrl, db: openPostgres(pgUrl, 2), instances: 3 },
  ];
  const results: Array<{ setup: Setup; load: Load; drainMs: number }> = [];
  let whole = true;
  try {
    for (const setup of setups) {
      const servers = await startInstances(setup, telegram.apiRoot);
      await spread(servers, 2); // warm-up
      await drained(setup.db);
      const load = await spread(servers, SECONDS);
      const drainMs = await drained(setup.db);
      results.push({ setup, load, drainMs });
      console.log(
        `  ${setup.name.padEnd(26)} ${load.reqPerSec.toFixed(0).padStart(6)} req/s  p99 ${ms(load.p99)} ms  ` +
          `(${load.ok} ok, ${load.non2xx} non-2xx, ${load.errors} errors); backlog processed ${drainMs} ms after`,
      );
      await Promise.all(servers.map(stopServer));
    }
    const [sqlite, pgOne, pgThree] = results.map((r) => r.load.reqPerSec) as [number, number, number];
    console.log(
      `PostgreSQL scaling, 3 instances vs 1: ${(pgThree / pgOne).toFixed(2)}x; PostgreSQL 1 instance vs SQLite: ${(pgOne / sqlite).toFixed(2)}x`,
    );
    for (const db of [setups[0]?.db, setups[1]?.db] as Kysely<Database>[]) {
      const [stored, messages, notDone] = await Promise.all([
        count(db, sql`select count(*) as n from inbox`),
        count(db, sql`select count(*) as n from messages`),
        count(db, sql`select count(*) as n from inbox where status != 'done'`),
      ]);
      const ok = stored === messages && notDone === 0;
      whole &&= ok;
      console.log(
        `  ${db === setups[0]?.db ? 'SQLite    ' : 'PostgreSQL'} stored ${stored} updates, ${messages} messages, ${notDone} not processed${ok ? '' : ' — LOST OR FAILED'}`,
      );
    }
    console.log(whole ? 'nothing lost: every stored update became exactly one message' : 'LOST OR FAILED');
  } finally {
    for (const s of setups) await s.db.destroy();
    await sql`drop schema ${sql.id(schema)} cascade`.execute(admin);
    await admin.destroy();
    await telegram.close();
  }
  return whole;
}

/** The instances, started one after another (the first applies the migrations). */
async function startInstances(setup: Setup, apiRoot: string): Promise<Server[]> {
  const servers: Server[] = [];
  for (let i = 0; i < setup.instances; i++) {
    servers.push(
      await startServer('./liaison-server.ts', {
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: setup.databaseUrl,
        TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
        TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET,
        TELEGRAM_API_ROOT: apiRoot,
        LOG_LEVEL: 'error',
      }),
    );
  }
  return servers;
}

/** One autocannon per instance, the connections shared out, at once: req/s summed, the worst p99. */
async function spread(servers: Server[], seconds: number): Promise<Load> {
  const connections = Math.max(1, Math.round(CONNECTIONS / servers.length));
  const loads = await Promise.all(
    servers.map((s) => autocannonLoad(s.url, { connections, seconds, next: telegramRequest })),
  );
  const sum = (k: 'requests' | 'ok' | 'non2xx' | 'errors' | 'reqPerSec') =>
    loads.reduce((n, l) => n + l[k], 0);
  return {
    requests: sum('requests'),
    ok: sum('ok'),
    non2xx: sum('non2xx'),
    errors: sum('errors'),
    reqPerSec: sum('reqPerSec'),
    p50: Math.max(...loads.map((l) => l.p50)),
    p99: Math.max(...loads.map((l) => l.p99)),
  };
}

async function drained(db: Kysely<Database>): Promise<number> {
  const started = Date.now();
  while ((await count(db, sql`select count(*) as n from inbox where status = 'pending'`)) > 0)
    await new Promise((r) => setTimeout(r, 200));
  return Date.now() - started;
}

const count = async (db: Kysely<Database>, query: RawBuilder<unknown>) =>
  Number(((await query.execute(db)).rows[0] as { n: number | string }).n);

function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

function redacted(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}
