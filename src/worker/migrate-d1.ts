import {
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import { migrations } from '../../db/migrations/index.ts';
import type { D1Database } from './d1.ts';

/**
 * Applies pending migrations to D1, each as one `batch()`: D1 has no interactive transactions, but a batch is atomic,
 * so a migration (its statements plus its row in `kysely_migration`) lands whole or not at all. An isolate that races
 * another one on a fresh database fails its batch (the table exists, or the migration row does) and changes nothing.
 * The bookkeeping table is Kysely's own, so `migrateToLatest` elsewhere would see the same history. Returns the names
 * applied now.
 */
export async function migrateD1(d1: D1Database): Promise<string[]> {
  await d1
    .prepare(
      'create table if not exists "kysely_migration" ("name" varchar(255) not null primary key, "timestamp" varchar(255) not null)',
    )
    .all();
  const { results } = await d1.prepare('select "name" from "kysely_migration"').all<{ name: string }>();
  const done = new Set(results.map((r) => r.name));
  const applied: string[] = [];
  for (const name of Object.keys(migrations).sort()) {
    if (done.has(name)) continue;
    const statements = await captureStatements((db) => migrations[name]!.up(db));
    await d1.batch([
      ...statements.map((q) => d1.prepare(q.sql).bind(...q.parameters)),
      d1
        .prepare('insert into "kysely_migration" ("name", "timestamp") values (?, ?)')
        .bind(name, new Date().toISOString()),
    ]);
    applied.push(name);
  }
  return applied;
}

/** The SQL a migration would run on SQLite, recorded instead of executed (migrations only write, never read). */
async function captureStatements(run: (db: Kysely<unknown>) => Promise<void>): Promise<CompiledQuery[]> {
  const captured: CompiledQuery[] = [];
  const connection: DatabaseConnection = {
    async executeQuery(query) {
      captured.push(query);
      return { rows: [] };
    },
    // biome-ignore lint/correctness/useYield: never streamed; present to satisfy the interface
    async *streamQuery() {
      throw new Error('not supported while capturing a migration');
    },
  };
  const driver: Driver = {
    async init() {},
    async acquireConnection() {
      return connection;
    },
    async beginTransaction() {},
    async commitTransaction() {},
    async rollbackTransaction() {},
    async releaseConnection() {},
    async destroy() {},
  };
  const db = new Kysely<unknown>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => driver,
      createQueryCompiler: () => new SqliteQueryCompiler(),
      createIntrospector: (k) => new SqliteIntrospector(k),
    },
  });
  await run(db);
  return captured;
}
