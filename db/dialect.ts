import { type Kysely, PostgresAdapter } from 'kysely';

/**
 * True on PostgreSQL (a server or PGlite); SQLite and D1 otherwise. For the few places where the dialects differ on
 * purpose: row locks, full-text search, column types in migrations. The name check covers a dialect package that
 * brings its own copy of Kysely's adapter class.
 */
// biome-ignore lint/suspicious/noExplicitAny: any schema (migrations run before the typed interface exists)
export function isPostgres(db: Kysely<any>): boolean {
  const adapter = db.getExecutor().adapter;
  return adapter instanceof PostgresAdapter || adapter.constructor.name === 'PostgresAdapter';
}
