import type { Kysely } from 'kysely';
import { databaseKindProblem } from './database-url.ts';
import { openPostgres } from './postgres.ts';
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
export function openDatabase(url: string, poolSize = 10): OpenedDatabase {
  const problem = databaseKindProblem(url);
  if (problem) throw new Error(problem);
  if (/^postgres(ql)?:\/\//i.test(url)) {
    return {
      db: openPostgres(url, poolSize),
      dialect: 'postgres',
      description: `postgres ${redactPassword(url)} (pool ${poolSize})`,
    };
  }
  const path = url.replace(/^(sqlite|file):(\/\/)?/i, '');
  return { db: openSqlite(path), dialect: 'sqlite', description: `sqlite ${path}` };
}

function redactPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres (unparseable URL)';
  }
}
