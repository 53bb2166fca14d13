// `/find` at scale on PostgreSQL: the SQLite dataset of bench/find.ts (same customers, staff and teams) copied into
// a PostgreSQL schema, where search keys live in the GIN-indexed `customers.search_keys`; the same queries measured.
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import { migrateToLatest } from '../db/migrate.ts';
import { openPostgres } from '../db/postgres.ts';
import type { Database } from '../db/schema.ts';
import { SEARCH_KEYS_VERSION, searchKeys } from '../src/core/records/customers/search-text.ts';
import { measureQueries, sampleQueries, TARGET_P95_MS } from './find.ts';
import { findData } from './find-data.ts';

const CUSTOMERS = Number(process.env.BENCH_FIND_CUSTOMERS ?? 1_000_000);
const MESSAGES = Number(process.env.BENCH_FIND_MESSAGES ?? CUSTOMERS * 10);
const DIR = process.env.BENCH_FIND_DIR ?? join(import.meta.dirname, '..', 'data', 'bench');
const DATABASE_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';
const BATCH = 5000;

export async function benchFindPostgres(): Promise<boolean> {
  const data = await findData(DIR, CUSTOMERS, MESSAGES);
  const db = await openFindPostgres(data.file);
  console.log(`/find over the same ${CUSTOMERS.toLocaleString()} customers on PostgreSQL`);
  const size = await sql<{ table: string; index: string }>`
    select pg_size_pretty(pg_table_size('customers')) as table,
           pg_size_pretty(pg_relation_size('customers_search_keys')) as index`.execute(db);
  console.log(`  customers ${size.rows[0]?.table}, GIN index customers_search_keys ${size.rows[0]?.index}`);
  const pass = await measureQueries(db, sampleQueries(data.file, CUSTOMERS), data);
  await db.destroy();
  console.log(
    `/find on PostgreSQL p95 <= ${TARGET_P95_MS} ms for names, phones and 2-character names: ${pass ? 'PASS' : 'FAIL'}`,
  );
  return pass;
}

/**
 * The `/find` dataset in its own PostgreSQL schema (one per dataset size, kept between runs like the SQLite file;
 * drop it to regenerate), migrated to the latest schema and copied from the SQLite file when it is not there yet.
 */
export async function openFindPostgres(file: string): Promise<Kysely<Database>> {
  const schema = `bench_find_${CUSTOMERS}`;
  const admin = openPostgres(DATABASE_URL, 1);
  await sql`create schema if not exists ${sql.id(schema)}`.execute(admin);
  await admin.destroy();
  const url = new URL(DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const db = openPostgres(url.toString(), 2);
  await migrateToLatest(db);
  const have = Number(
    (
      await db
        .selectFrom('customers')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  const keys = await db
    .selectFrom('derived_data')
    .select('version')
    .where('name', '=', 'search_keys')
    .executeTakeFirst();
  // Keys of another `searchKeys` version: copied again, which makes them and builds the GIN index in one go.
  if (have !== CUSTOMERS || keys?.version !== SEARCH_KEYS_VERSION) {
    const started = Date.now();
    await copyFromSqlite(db, file);
    console.log(
      `  copied into schema ${schema} and indexed in ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
  } else console.log(`  PostgreSQL schema ${schema} reused from an earlier run`);
  return db;
}

/** Teams, staff and customers as they are in the SQLite dataset; the GIN index built once at the end. */
async function copyFromSqlite(db: Kysely<Database>, file: string): Promise<void> {
  await sql`truncate customers, staff, teams restart identity cascade`.execute(db);
  await sql`drop index if exists customers_search_keys`.execute(db);
  const source = new BetterSqlite3(file, { readonly: true });
  for (const table of ['teams', 'staff'] as const) {
    const rows = source.prepare(`select * from ${table} order by id`).all();
    await insertRows(db, table, rows);
  }
  const page = source.prepare('select * from customers where id > ? order by id limit ?');
  let after = 0;
  for (;;) {
    const rows = page.all(after, BATCH) as Array<{
      id: number;
      search_text: string;
      merged_into_id: number | null;
    }>;
    if (rows.length === 0) break;
    await insertRows(
      db,
      'customers',
      rows.map((r) => ({
        ...r,
        search_keys: r.merged_into_id === null ? tsvectorLiteral(searchKeys(r.search_text)) : null,
      })),
    );
    after = rows[rows.length - 1]?.id ?? after;
  }
  source.close();
  await sql`create index customers_search_keys on customers using gin (search_keys)`.execute(db);
  await db
    .insertInto('derived_data')
    .values({ name: 'search_keys', version: SEARCH_KEYS_VERSION, built_at: Date.now() })
    .onConflict((oc) => oc.column('name').doUpdateSet({ version: SEARCH_KEYS_VERSION }))
    .execute();
  // What autovacuum does to a live table: statistics, and the visibility map that index-only scans need.
  await sql`vacuum analyze customers`.execute(db);
}

/** Rows of a SQLite table into the PostgreSQL table of the same shape (columns matched by name). */
export async function insertRows(db: Kysely<Database>, table: string, rows: unknown[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`insert into ${sql.table(table)} select * from jsonb_populate_recordset(null::${sql.table(table)}, cast(${JSON.stringify(rows)} as jsonb))`.execute(
    db,
  );
}

const tsvectorLiteral = (keys: string[]) =>
  keys.map((k) => `'${k.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`).join(' ');

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!(await benchFindPostgres())) process.exitCode = 1;
}
