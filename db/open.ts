import type { Kysely } from 'kysely';
import { databaseKindProblem } from './database-url.ts';
import { openPostgres, type PostgresOptions } from './postgres.ts';
import type { Database } from './schema.ts';
import { openSqlite } from './sqlite.ts';

export interface OpenedDatabase {
  db: Kysely<Database>;
  dialect: 'sqlite' | 'postgres';
  /** Where the data lives, with any password removed: safe to print. */
  description: string;
}

/**
 * `postgres://` or `postgresql://` selects PostgreSQL (with at most `poolSize` connections); anything else is a
 * SQLite file path (`sqlite:` / `file:` prefixes allowed).
 */
export function openDatabase(url: string, poolSize = 10, postgres: PostgresOptions = {}): OpenedDatabase {
  const problem = databaseKindProblem(url);
  if (problem) throw new Error(problem);
  if (/^postgres(ql)?:\/\//i.test(url)) {
    return {
      db: openPostgres(url, poolSize, postgres),
      dialect: 'postgres',
      description: `postgres ${redactPassword(url)} (pool ${poolSize})`,
    };
  }
  const path = sqlitePathOf(url) as string;
  return { db: openSqlite(path), dialect: 'sqlite', description: `sqlite ${path}` };
}

/** The SQLite file a DATABASE_URL names (`sqlite:` / `file:` prefixes removed), or null for PostgreSQL. */
export function sqlitePathOf(url: string): string | null {
  return /^postgres(ql)?:\/\//i.test(url) ? null : url.replace(/^(sqlite|file):(\/\/)?/i, '');
}

/** The URL with its password, and any password given as a query parameter (`?password=…`), as `***`. */
export function redactPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    for (const name of [...parsed.searchParams.keys()])
      if (/password/i.test(name)) parsed.searchParams.set(name, '***');
    return parsed.toString();
  } catch {
    return 'postgres (unparseable URL)';
  }
}

/** Every password a database URL carries (user info and query parameters), decoded: for scrubbing output. */
export function databasePasswords(url: string): string[] {
  try {
    const parsed = new URL(url);
    const fromQuery = [...parsed.searchParams].filter(([name]) => /password/i.test(name)).map(([, v]) => v);
    return [decodeURIComponent(parsed.password), parsed.password, ...fromQuery].filter((p) => p.length > 0);
  } catch {
    return [];
  }
}
