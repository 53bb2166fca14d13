// `/find` at scale: `searchCustomers` over a generated SQLite dataset (default 1M customers, 10M messages), per kind
// of query, as an admin and as a rep; the old full-scan LIKE measured on a few of the same queries for reference.
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { openSqlite } from '../db/sqlite.ts';
import type { Viewer } from '../src/core/kernel/permissions/scope.ts';
import { searchCustomers } from '../src/core/records/customers/search.ts';
import { escapeLike } from '../src/core/records/customers/search-text.ts';
import { brandWord, findData, industry, random } from './find-data.ts';

const CUSTOMERS = Number(process.env.BENCH_FIND_CUSTOMERS ?? 1_000_000);
const MESSAGES = Number(process.env.BENCH_FIND_MESSAGES ?? CUSTOMERS * 10);
const QUERIES = Number(process.env.BENCH_FIND_QUERIES ?? 300);
/** Where the generated dataset is kept between runs (gitignored). */
const DIR = process.env.BENCH_FIND_DIR ?? join(import.meta.dirname, '..', 'data', 'bench');
export const TARGET_P95_MS = 20;
/** What `/find` asks for: the 10 shown, and one more to know there are more. */
const LIMIT = 11;

export type Kind = { name: string; target: boolean; queries: string[] };

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
const fmt = (ms: number) => ms.toFixed(2).padStart(7);

/** Queries as people type them, drawn from the dataset itself. */
export function sampleQueries(file: string, customers: number): Kind[] {
  const db = new BetterSqlite3(file, { readonly: true });
  const byId = db.prepare('select id, display_name as name, phone from customers where id = ?');
  const rnd = random(7);
  const draw = (accept: (c: { id: number; name: string; phone: string | null }) => string | null) => {
    const out: string[] = [];
    for (let tries = 0; out.length < QUERIES && tries < QUERIES * 200; tries++) {
      const c = byId.get(1 + Math.floor(rnd() * customers)) as {
        id: number;
        name: string;
        phone: string | null;
      };
      const q = c && accept(c);
      if (q) out.push(q);
    }
    return out;
  };
  const chinese = (n: number) => (c: { name: string }) =>
    [...c.name].length === n && !/[a-z]/i.test(c.name) ? c.name : null;
  const phoneFormats = [
    (p: string) => p,
    (p: string) => `+86 ${p.slice(0, 3)} ${p.slice(3, 7)} ${p.slice(7)}`,
    (p: string) => `${p.slice(0, 3)}-${p.slice(3, 7)}-${p.slice(7)}`,
  ];
  let n = 0;
  const kinds: Kind[] = [
    { name: '3-character name', target: true, queries: draw(chinese(3)) },
    { name: '2-character name', target: true, queries: draw(chinese(2)) },
    { name: 'English name', target: true, queries: draw((c) => (/ /.test(c.name) ? c.name : null)) },
    {
      name: 'company word',
      target: false,
      queries: Array.from({ length: QUERIES }, (_, i) => brandWord(rnd) + (i % 2 ? industry(rnd) : '')),
    },
    {
      name: 'full phone (3 formats)',
      target: true,
      queries: draw((c) => {
        const digits = c.phone?.replace(/^\+86/, '');
        return digits ? (phoneFormats[n++ % 3] as (p: string) => string)(digits) : null;
      }),
    },
    { name: 'last 4 digits', target: true, queries: draw((c) => c.phone?.slice(-4) ?? null) },
    { name: '#id', target: true, queries: draw((c) => `#${c.id}`) },
    // Last, so the kinds above keep their queries. "1381", "8613" (+86 13…): tens of thousands of matches each.
    {
      name: 'first 4 digits',
      target: true,
      queries: draw((c) => c.phone?.replace(/\D/g, '').slice(0, 4) ?? null),
    },
  ];
  db.close();
  return kinds;
}

/** Runs every kind of query as an admin and as a rep and prints p50/p95/p99; false when a targeted p95 fails. */
export async function measureQueries(
  db: Kysely<Database>,
  kinds: Kind[],
  staff: { adminId: number; repId: number },
): Promise<boolean> {
  const viewers: Array<[string, Viewer]> = [
    ['admin', { staffId: staff.adminId, role: 'admin', teamId: null }],
    ['rep', { staffId: staff.repId, role: 'rep', teamId: null }],
  ];
  // Warm-up: the statement cache and the pages the index walks touch first.
  for (const k of kinds)
    for (const q of k.queries.slice(0, 20)) await searchCustomers(db, { q, limit: LIMIT });
  let pass = true;
  console.log(
    `  ${'query kind'.padEnd(24)} ${'viewer'.padEnd(6)}    p50 ms  p95 ms  p99 ms  max ms  found/q`,
  );
  for (const k of kinds) {
    for (const [who, viewer] of viewers) {
      const times: number[] = [];
      let found = 0;
      for (const q of k.queries) {
        const started = performance.now();
        const rows = await searchCustomers(db, { q, limit: LIMIT, viewer });
        times.push(performance.now() - started);
        found += rows.length;
      }
      times.sort((a, b) => a - b);
      const p95 = quantile(times, 0.95);
      const verdict = k.target ? (p95 <= TARGET_P95_MS ? 'PASS' : 'FAIL') : '(no target)';
      if (k.target && p95 > TARGET_P95_MS) pass = false;
      console.log(
        `  ${k.name.padEnd(24)} ${who.padEnd(6)} ${fmt(quantile(times, 0.5))} ${fmt(p95)} ${fmt(quantile(times, 0.99))} ${fmt(times[times.length - 1] ?? 0)}  ${(found / k.queries.length).toFixed(1).padStart(6)}  ${verdict}`,
      );
    }
  }
  return pass;
}

/** The approach this replaces, for reference: `search_text LIKE '%q%'` over the whole table, then sorted. */
function likeScan(file: string, queries: string[]): number[] {
  const db = new BetterSqlite3(file, { readonly: true });
  const scan = db.prepare(
    `select id from customers not indexed where merged_into_id is null and search_text like ? escape '\\'
     order by last_contact_at desc nulls last, id desc limit ${LIMIT}`,
  );
  const times = queries.map((q) => {
    const started = performance.now();
    scan.all(`%${escapeLike(q.toLowerCase())}%`);
    return performance.now() - started;
  });
  db.close();
  return times;
}

/** Generates (or reuses) the dataset, measures every kind of query, prints p50/p95/p99; false when a target fails. */
export async function benchFind(): Promise<boolean> {
  mkdirSync(DIR, { recursive: true });
  console.log(
    `/find over ${CUSTOMERS.toLocaleString()} customers and ${MESSAGES.toLocaleString()} messages (SQLite)`,
  );
  const data = await findData(DIR, CUSTOMERS, MESSAGES);
  const size = (f: string) => {
    try {
      return statSync(f).size;
    } catch {
      return 0;
    }
  };
  const bytes = size(data.file) + size(`${data.file}-wal`);
  console.log(
    `  dataset ${data.file}: ${(bytes / 2 ** 30).toFixed(2)} GiB, ${data.generatedSeconds ? `generated in ${data.generatedSeconds.toFixed(0)} s` : 'reused from an earlier run'}`,
  );
  const raw = new BetterSqlite3(data.file, { readonly: true });
  const grams = (raw.prepare('select count(*) as n from customer_search_grams').get() as { n: number }).n;
  raw.close();
  console.log(`  index: ${grams.toLocaleString()} keys in customer_search_grams`);

  const kinds = sampleQueries(data.file, CUSTOMERS);
  const db = openSqlite(data.file);
  const pass = await measureQueries(db, kinds, data);
  await db.destroy();

  const sample = (name: string) => kinds.find((k) => k.name === name)?.queries.slice(0, 5) ?? [];
  const reference = [...sample('2-character name'), ...sample('last 4 digits')];
  const scan = likeScan(data.file, reference).sort((a, b) => a - b);
  console.log(
    `  reference, the old full-scan LIKE (${reference.length} of the queries above): p50 ${fmt(quantile(scan, 0.5)).trim()} ms, max ${fmt(scan[scan.length - 1] ?? 0).trim()} ms`,
  );
  console.log(
    `/find p95 <= ${TARGET_P95_MS} ms for names, phones and 2-character names: ${pass ? 'PASS' : 'FAIL'}`,
  );
  return pass;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!(await benchFind())) process.exitCode = 1;
}
