import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, sql } from 'kysely';
import { migrateToLatest } from '../../db/migrate.ts';
import { openPostgres } from '../../db/postgres.ts';
import type { Database } from '../../db/schema.ts';
import { openSqlite } from '../../db/sqlite.ts';

export interface TestDatabase {
  dialect: 'sqlite' | 'postgres';
  db: Kysely<Database>;
  /** What DATABASE_URL would be for another process to open the same database (absent for PGlite). */
  url?: string;
  /** Reopens the same database with a fresh connection (a restarted process). */
  reopen(): Kysely<Database>;
  cleanup(): Promise<void>;
}

export interface DialectUnderTest {
  name: string;
  open(options?: { migrate?: boolean }): Promise<TestDatabase>;
}

const sqlite: DialectUnderTest = {
  name: 'sqlite',
  async open({ migrate = true } = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'liaison-test-'));
    const file = join(dir, 'liaison.sqlite');
    const db = openSqlite(file);
    if (migrate) await migrateToLatest(db);
    return {
      dialect: 'sqlite',
      db,
      url: file,
      reopen: () => openSqlite(file),
      async cleanup() {
        await db.destroy().catch(() => {});
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

/** A real PostgreSQL server (CI sets TEST_DATABASE_URL); every test database is its own schema. */
function postgresServer(url: string): DialectUnderTest {
  return {
    name: 'postgres',
    async open({ migrate = true } = {}) {
      const schema = `t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
      const admin = openPostgres(url, 1);
      await sql`create schema ${sql.id(schema)}`.execute(admin);
      await admin.destroy();
      const scopedUrl = withSearchPath(url, schema);
      const opened: Kysely<Database>[] = [];
      const reopen = () => {
        const db = openPostgres(scopedUrl, 5);
        opened.push(db);
        return db;
      };
      const db = reopen();
      if (migrate) await migrateToLatest(db);
      return {
        dialect: 'postgres',
        db,
        url: scopedUrl,
        reopen,
        async cleanup() {
          for (const d of opened) await d.destroy().catch(() => {});
          const cleaner = openPostgres(url, 1);
          await sql`drop schema ${sql.id(schema)} cascade`.execute(cleaner);
          await cleaner.destroy();
        },
      };
    },
  };
}

/** Embedded PostgreSQL (PGlite, WebAssembly) when no server is configured: same SQL, same behaviour. */
const pglite: DialectUnderTest = {
  name: 'postgres (PGlite)',
  async open({ migrate = true } = {}) {
    const { PGlite } = await import('@electric-sql/pglite');
    const { PGliteDialect } = await import('kysely-pglite-dialect');
    const instance = new PGlite({ parsers: { 20: (v: string) => Number(v) } });
    const db = new Kysely<Database>({ dialect: new PGliteDialect(instance) });
    if (migrate) await migrateToLatest(db);
    return {
      dialect: 'postgres',
      db,
      reopen: () => db,
      async cleanup() {
        await db.destroy().catch(() => {});
      },
    };
  },
};

function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

const pgliteProblem = await import('@electric-sql/pglite').then(
  () => null,
  (error: unknown) => (error instanceof Error ? error.message : String(error)),
);
const printed = new Set<string>();
const note = (text: string) => {
  if (printed.has(text)) return;
  printed.add(text);
  console.warn(text);
};

/**
 * TEST_DIALECTS=postgres (or sqlite) keeps the dialect loops to that dialect: `npm run coverage:postgres` uses it to
 * show which data-layer code ran on PostgreSQL. Unset: every dialect available.
 */
const onlyDialect = process.env.TEST_DIALECTS?.trim();
const chosen = (dialects: DialectUnderTest[]) =>
  onlyDialect ? dialects.filter((d) => d.name.startsWith(onlyDialect)) : dialects;

/** SQLite always; PostgreSQL from TEST_DATABASE_URL, else PGlite, else skipped with the reason printed. */
export function dialectsUnderTest(): DialectUnderTest[] {
  return chosen(availableDialects());
}

function availableDialects(): DialectUnderTest[] {
  const url = process.env.TEST_DATABASE_URL?.trim();
  if (url) return [sqlite, postgresServer(url)];
  if (pgliteProblem) {
    note(
      `PostgreSQL data-layer tests skipped: TEST_DATABASE_URL is unset and PGlite cannot load (${pgliteProblem}).`,
    );
    return [sqlite];
  }
  return [sqlite, pglite];
}

/** SQLite, plus a real PostgreSQL server when one is configured (end-to-end suites do not run on PGlite). */
export function serverDialectsUnderTest(): DialectUnderTest[] {
  const url = process.env.TEST_DATABASE_URL?.trim();
  if (url) return chosen([sqlite, postgresServer(url)]);
  note(
    'End-to-end suites run on SQLite only: set TEST_DATABASE_URL=postgres://… to run them on PostgreSQL as well.',
  );
  return [sqlite];
}
