import type { Kysely } from 'kysely';

/** How to count the queries waiting for a database's connection, for databases that serve everything through one. */
// biome-ignore lint/suspicious/noExplicitAny: any schema
const counters = new WeakMap<Kysely<any>, () => number>();

/** Records how to count the queries waiting for `db`'s only connection (embedded SQLite). */
// biome-ignore lint/suspicious/noExplicitAny: any schema
export function countConnectionWaiters(db: Kysely<any>, waiting: () => number): void {
  counters.set(db, waiting);
}

/**
 * How many queries wait for `db`'s only connection while something else holds it (a transaction); 0 where
 * connections come from a pool (PostgreSQL) or the platform (D1), whose transactions keep nobody waiting.
 */
// biome-ignore lint/suspicious/noExplicitAny: any schema
export function connectionWaiters(db: Kysely<any>): number {
  return counters.get(db)?.() ?? 0;
}

/** Whether everything `db` runs goes through one connection (embedded SQLite), so a transaction keeps others waiting. */
// biome-ignore lint/suspicious/noExplicitAny: any schema
export function servesThroughOneConnection(db: Kysely<any>): boolean {
  return counters.has(db);
}
