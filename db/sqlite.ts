import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, type SqliteDatabase, SqliteDialect, type SqliteStatement } from 'kysely';
import { countConnectionWaiters } from './connection-waiters.ts';
import type { Database } from './schema.ts';
import {
  checkpointInBackground,
  MAIN_CONNECTION_ALONE,
  type MainConnectionDuties,
} from './sqlite-checkpoints.ts';
import { runDirectlyInTransactions } from './sqlite-direct.ts';
import { sqliteOpenProblem } from './sqlite-problem.ts';

const STATEMENT_CACHE_SIZE = 256;

/**
 * Opens (creating the folder and file if needed) an embedded SQLite database in WAL mode. A file that cannot be
 * opened fails the first query, with why in words (`sqliteOpenProblem`), so every caller reports it where it reports
 * any other database error, instead of an exception escaping from a constructor.
 */
export function openSqlite(path: string): Kysely<Database> {
  let database: SqliteDatabase | (() => Promise<SqliteDatabase>);
  try {
    database = forKysely(openRaw(path), path);
  } catch (error) {
    const failure = Object.assign(new Error(describeOpenFailure(path, error), { cause: error }), {
      code: (error as { code?: unknown }).code,
    });
    database = () => Promise.reject(failure);
  }
  let waiting = 0;
  const dialect = new SqliteDialect({ database });
  const createDriver = dialect.createDriver.bind(dialect);
  // Counts queries waiting for the one connection, so a long transaction can see it is in someone's way.
  dialect.createDriver = () => {
    const driver = createDriver();
    const acquire = driver.acquireConnection.bind(driver);
    driver.acquireConnection = async () => {
      waiting++;
      try {
        return await acquire();
      } finally {
        waiting--;
      }
    };
    return driver;
  };
  const db = new Kysely<Database>({ dialect });
  countConnectionWaiters(db, () => waiting);
  if (typeof database !== 'function') runDirectlyInTransactions(db, database);
  return db;
}

function describeOpenFailure(path: string, error: unknown): string {
  try {
    return sqliteOpenProblem(path, error);
  } catch {
    return error instanceof Error ? error.message : String(error);
  }
}

function openRaw(path: string): BetterSqlite3.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const raw = new BetterSqlite3(path);
  try {
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    raw.pragma('foreign_keys = ON');
    // With foreign keys on, an upsert, RETURNING or INSERT … SELECT opens a statement journal; in a temporary file
    // that tripled the cost of such writes (a new customer's insert 50 → 20 µs, its search keys 105 → 38 µs).
    raw.pragma('temp_store = MEMORY');
    raw.pragma('busy_timeout = 5000');
    takeDuties(raw, MAIN_CONNECTION_ALONE); // until a background connection checkpoints (sqlite-checkpoints.ts)
    // better-sqlite3 builds SQLite with a 16 MiB page cache; SQLite's own 2 MiB keeps RSS within the 150 MiB target
    // (issue 26), and pages it drops stay in the OS's file cache.
    raw.pragma('cache_size = -2000');
  } catch (error) {
    raw.close();
    throw error;
  }
  return raw;
}

/** Sets what the main connection checkpoints and truncates itself. */
function takeDuties(raw: BetterSqlite3.Database, duties: MainConnectionDuties): void {
  raw.pragma(`wal_autocheckpoint = ${duties.checkpointPages}`);
  // After a burst, the next restart of the WAL cuts its file back to this size instead of keeping the largest.
  raw.pragma(`journal_size_limit = ${duties.walBytesKeptOnRestart}`);
}

/**
 * The connection as Kysely uses it. Kysely prepares every query anew; reusing prepared statements roughly halves the
 * cost of small queries. A file database checkpoints from a background connection (`sqlite-checkpoints.ts`).
 */
function forKysely(raw: BetterSqlite3.Database, path: string): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  const checkpoints =
    path === ':memory:'
      ? undefined
      : checkpointInBackground(path, (duties) => {
          if (raw.open) takeDuties(raw, duties);
        });
  return {
    close: () => {
      checkpoints?.stop();
      raw.close();
    },
    prepare(sql: string): SqliteStatement {
      const hit = cache.get(sql);
      if (hit) return hit;
      const statement = raw.prepare(sql) as unknown as SqliteStatement;
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      cache.set(sql, statement);
      return statement;
    },
  };
}
