// The console's customer list at scale (issue 24): core `customerPage` (what `GET /app/api/console/customers` calls,
// minus the HTTP parsing) over 1M customers on SQLite and on PostgreSQL, per kind of filter, against a p95 budget and
// a reference measured in the same run (a bare indexed `select ... order by id desc limit 51` on the same database).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import { migrateToLatest } from '../db/migrate.ts';
import { openPostgres } from '../db/postgres.ts';
import type { Database } from '../db/schema.ts';
import { openSqlite } from '../db/sqlite.ts';
import { type Actor, staffActor } from '../src/core/kernel/permissions/actor.ts';
import type { Viewer } from '../src/core/kernel/permissions/scope.ts';
import { type CustomerPageQuery, customerPage } from '../src/core/reading/segments/customer-page.ts';
import { searchKeys } from '../src/core/records/customers/search-text.ts';
import { benchCoreDeps } from './core-deps.ts';
import { addListExtras, brandWord, findData, industry, random } from './find-data.ts';
import { insertRows } from './find-postgres.ts';

const CUSTOMERS = Number(process.env.BENCH_LIST_CUSTOMERS ?? 1_000_000);
/** Queries per kind (fewer when a kind is slow: at most BENCH_LIST_SECONDS per kind). */
const QUERIES = Number(process.env.BENCH_LIST_QUERIES ?? 40);
const SECONDS_PER_KIND = Number(process.env.BENCH_LIST_SECONDS ?? 15);
/** `sqlite`, `postgres` or `both`. */
const DIALECTS = (process.env.BENCH_LIST_DB ?? 'sqlite,postgres').split(',');
const DIR = process.env.BENCH_FIND_DIR ?? join(import.meta.dirname, '..', 'data', 'bench');
const DATABASE_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';
export const BUDGET_P95_MS = 100;
/** The console's page size. */
const LIMIT = 50;
/** The deep page is the one after following this many cursors. */
const DEEP = 20;

type Sample = { actor: Actor; query: CustomerPageQuery; deep?: boolean };
type Kind = { name: string; samples: Sample[] };

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
const fmt = (ms: number) => ms.toFixed(1).padStart(7);

/** Who asks and what, drawn from the dataset: names, phone digits and company words of real rows. */
function sampleKinds(file: string): Kind[] {
  const db = new BetterSqlite3(file, { readonly: true });
  const rnd = random(24);
  const one = <T>(q: string, ...args: unknown[]) => db.prepare(q).get(...args) as T;
  const admin = one<{ id: number }>("select min(id) as id from staff where role = 'admin'").id;
  // A manager of a region: the 5 teams under it, ~50 staff.
  const manager = one<{ id: number; region: number }>(
    `select s.id, t.parent_id as region from staff s join teams t on t.id = s.team_id
     where s.role = 'manager' order by s.id limit 1`,
  );
  const reps = (
    db.prepare("select id, team_id from staff where role = 'rep' order by id").all() as Array<{
      id: number;
      team_id: number;
    }>
  ).slice(0, QUERIES);
  const owners = (
    db.prepare("select id from staff where role in ('rep', 'manager')").all() as Array<{ id: number }>
  ).map((r) => r.id);
  const tags = (db.prepare('select name from tags order by id').all() as Array<{ name: string }>).map(
    (t) => t.name,
  );
  const codes = (
    db.prepare('select code from channel_codes order by id').all() as Array<{ code: string }>
  ).map((c) => c.code);
  const byId = db.prepare('select display_name as name, phone from customers where id = ?');
  const draw = (accept: (c: { name: string; phone: string | null }) => string | null) => {
    const out: string[] = [];
    for (let tries = 0; out.length < QUERIES && tries < QUERIES * 200; tries++) {
      const q = accept(byId.get(1 + Math.floor(rnd() * CUSTOMERS)) as { name: string; phone: string | null });
      if (q) out.push(q);
    }
    return out;
  };
  const names = draw((c) => (/^[\u4e00-\u9fff]{2,3}$/.test(c.name) ? c.name : null));
  const adminActor = staffActor({ staffId: admin, role: 'admin', teamId: null }, 'web');
  const managerViewer: Viewer = { staffId: manager.id, role: 'manager', teamId: manager.region };
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)] as T;
  const stages = ['lead', 'interested', 'won', 'repeat', 'lost'];
  const times = <T>(f: (i: number) => T) => Array.from({ length: QUERIES }, (_, i) => f(i));
  const asAdmin = (query: Omit<CustomerPageQuery, 'limit'>): Sample => ({
    actor: adminActor,
    query: { ...query, limit: LIMIT },
  });
  const kinds: Kind[] = [
    { name: 'no filter, first page', samples: times(() => asAdmin({})) },
    { name: `deep page (${DEEP} cursors on)`, samples: times(() => ({ ...asAdmin({}), deep: true })) },
    { name: 'stage', samples: times(() => asAdmin({ stage: pick(stages) })) },
    { name: 'owner', samples: times(() => asAdmin({ owner: pick(owners) })) },
    { name: 'owner = none (公海)', samples: times(() => asAdmin({ owner: 'none' })) },
    { name: 'tag', samples: times(() => asAdmin({ tag: pick(tags) })) },
    { name: 'source', samples: times(() => asAdmin({ source: pick(codes) })) },
    {
      name: 'q: name word',
      samples: names.map((q) => asAdmin({ q })),
    },
    {
      name: 'q: 4 phone digits',
      samples: draw((c) => c.phone?.slice(-4) ?? null).map((q) => asAdmin({ q })),
    },
    {
      name: 'q: company word',
      samples: times((i) => asAdmin({ q: brandWord(rnd) + (i % 2 ? industry(rnd) : '') })),
    },
    {
      name: 'manager scope (~50 staff)',
      samples: times(() => ({ actor: staffActor(managerViewer, 'web'), query: { limit: LIMIT } })),
    },
    {
      name: "rep's scope",
      samples: reps.map((r) => ({
        actor: staffActor({ staffId: r.id, role: 'rep', teamId: r.team_id }, 'web'),
        query: { limit: LIMIT },
      })),
    },
    { name: 'stage + tag', samples: times(() => asAdmin({ stage: pick(stages), tag: pick(tags) })) },
    {
      name: "rep's scope + q name word",
      samples: names.map((q, i) => {
        const r = reps[i % reps.length] as (typeof reps)[number];
        return {
          actor: staffActor({ staffId: r.id, role: 'rep', teamId: r.team_id }, 'web'),
          query: { q, limit: LIMIT },
        };
      }),
    },
  ];
  db.close();
  return kinds;
}

/** Times each sample's call (for a deep sample, the page after following DEEP cursors); p50/p95 per kind. */
async function measure(db: Kysely<Database>, kinds: Kind[], label: string): Promise<boolean> {
  const deps = benchCoreDeps(db, () => Date.UTC(2026, 11, 6));
  const call = async (s: Sample, after?: string) => {
    const out = await customerPage(deps, s.actor, after === undefined ? s.query : { ...s.query, after });
    if (out.kind !== 'page') throw new Error(`customerPage: ${out.kind}`);
    return out;
  };
  const reference: number[] = [];
  for (let i = 0; i < 200; i++) {
    const started = performance.now();
    await sql`select id, display_name, last_contact_at from customers where merged_into_id is null
              order by id desc limit ${LIMIT + 1}`.execute(db);
    reference.push(performance.now() - started);
  }
  reference.sort((a, b) => a - b);
  console.log(
    `  reference, bare indexed select ... order by id desc limit ${LIMIT + 1}: p50 ${fmt(quantile(reference, 0.5)).trim()} ms, p95 ${fmt(quantile(reference, 0.95)).trim()} ms`,
  );
  console.log(`  ${'kind'.padEnd(28)}     n  p50 ms  p95 ms  max ms  rows/q  p95 <= ${BUDGET_P95_MS} ms`);
  let pass = true;
  const summary: string[] = [];
  for (const k of kinds) {
    for (const s of k.samples.slice(0, 2)) await call(s); // warm-up
    const times: number[] = [];
    let rows = 0;
    const kindStarted = performance.now();
    for (const s of k.samples) {
      let after: string | undefined;
      if (s.deep)
        for (let i = 0; i < DEEP; i++) {
          after = (await call(s, after)).nextCursor ?? undefined;
          if (after === undefined) break;
        }
      const started = performance.now();
      const page = await call(s, after);
      times.push(performance.now() - started);
      rows += page.items.length;
      if (performance.now() - kindStarted > SECONDS_PER_KIND * 1000 && times.length >= 5) break;
    }
    times.sort((a, b) => a - b);
    const p95 = quantile(times, 0.95);
    const ok = p95 <= BUDGET_P95_MS;
    if (!ok) pass = false;
    summary.push(`${k.name}: ${p95.toFixed(1)}`);
    console.log(
      `  ${k.name.padEnd(28)} ${String(times.length).padStart(5)} ${fmt(quantile(times, 0.5))} ${fmt(p95)} ${fmt(times.at(-1) ?? 0)} ${(rows / times.length).toFixed(1).padStart(7)}  ${ok ? 'PASS' : 'FAIL'}`,
    );
  }
  console.log(`  ${label} p95 ms: ${summary.join('; ')}`);
  return pass;
}

/** The dataset in its own PostgreSQL schema (kept between runs; drop it to regenerate), copied from the SQLite file. */
async function openListPostgres(file: string): Promise<Kysely<Database>> {
  const schema = `bench_list_${CUSTOMERS}`;
  const admin = openPostgres(DATABASE_URL, 1);
  await sql`create schema if not exists ${sql.id(schema)}`.execute(admin);
  await admin.destroy();
  const url = new URL(DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const db = openPostgres(url.toString(), 2);
  await migrateToLatest(db);
  const have = await sql<{ n: string }>`select count(*) as n from customer_sources`.execute(db);
  if (Number(have.rows[0]?.n) > 0) {
    console.log(`  PostgreSQL schema ${schema} reused from an earlier run`);
    return db;
  }
  const started = Date.now();
  await sql`truncate customers, staff, teams, tags, channel_codes, customer_sources restart identity cascade`.execute(
    db,
  );
  await sql`drop index if exists customers_search_keys`.execute(db);
  const source = new BetterSqlite3(file, { readonly: true });
  for (const table of ['teams', 'staff', 'tags', 'channel_codes'] as const)
    await insertRows(db, table, source.prepare(`select * from ${table} order by id`).all());
  const copy = async (
    table: string,
    key: string,
    map: (r: Record<string, unknown>) => unknown = (r) => r,
  ) => {
    const page = source.prepare(
      `select ${key === 'rowid' ? 'rowid, ' : ''}* from ${table} where ${key} > ? order by ${key} limit 5000`,
    );
    for (let after = 0; ; ) {
      const rows = page.all(after) as Array<Record<string, unknown>>;
      if (rows.length === 0) break;
      await insertRows(db, table, rows.map(map));
      after = Number(rows.at(-1)?.[key]);
    }
  };
  await copy('customers', 'id', (r) => ({
    ...r,
    search_keys: searchKeys(String(r.search_text)).map(quoted).join(' '),
  }));
  await copy('customer_tags', 'rowid');
  await copy('customer_sources', 'id');
  source.close();
  await sql`create index customers_search_keys on customers using gin (search_keys)`.execute(db);
  for (const t of ['customers', 'customer_tags', 'customer_sources', 'staff', 'teams', 'tags'])
    await sql`vacuum analyze ${sql.table(t)}`.execute(db);
  console.log(
    `  copied into schema ${schema} and indexed in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  return db;
}

const quoted = (k: string) => `'${k.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/** Generates (or reuses) the dataset and measures every kind on each dialect; false when a p95 is over budget. */
export async function benchConsoleList(): Promise<boolean> {
  mkdirSync(DIR, { recursive: true });
  console.log(
    `Console customer list (core customerPage, ${LIMIT} a page) over ${CUSTOMERS.toLocaleString()} customers`,
  );
  const started = Date.now();
  const data = await findData(DIR, CUSTOMERS, 0);
  addListExtras(data.file);
  console.log(`  dataset ${data.file} ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  const kinds = sampleKinds(data.file);
  let pass = true;
  if (DIALECTS.includes('sqlite')) {
    console.log('SQLite');
    const db = openSqlite(data.file);
    pass = (await measure(db, kinds, 'SQLite')) && pass;
    await db.destroy();
  }
  if (DIALECTS.includes('postgres')) {
    console.log(`PostgreSQL (${new URL(DATABASE_URL).host})`);
    const db = await openListPostgres(data.file);
    pass = (await measure(db, kinds, 'PostgreSQL')) && pass;
    await db.destroy();
  }
  console.log(`Console customer list p95 <= ${BUDGET_P95_MS} ms for every kind: ${pass ? 'PASS' : 'FAIL'}`);
  return pass;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!(await benchConsoleList())) process.exitCode = 1;
}
