import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';

/** Rows of one kind kept for the end of a transaction, with how to write them all at once. */
interface Kept {
  rows: unknown[];
  write: (db: Kysely<Database>, rows: unknown[]) => Promise<void>;
}

/** Transactions that keep their appends for the end, each with the rows kept so far by kind. */
const keeping = new WeakMap<Kysely<Database>, Map<string, Kept>>();

/**
 * Lets `append` keep rows within this transaction and write them with `writeAppends` just before it commits: one
 * statement per kind for many deliveries. Only for work that never reads back what it appends that way (the inbox's
 * transactions of customer messages read no audit entry and search no customer); a rollback drops them with the rest.
 */
export function keepAppendsWithin(trx: Kysely<Database>): void {
  if (trx.isTransaction && !keeping.has(trx)) keeping.set(trx, new Map());
}

/**
 * Appends `row` with `write`: at once, or within a transaction that keeps its appends, together with the other rows
 * of `kind` at its end (`write` then gets them all, in the order they came).
 */
export async function append<T>(
  db: Kysely<Database>,
  kind: string,
  row: T,
  write: (db: Kysely<Database>, rows: T[]) => Promise<void>,
): Promise<void> {
  const kept = keeping.get(db);
  if (!kept) return write(db, [row]);
  const entry = kept.get(kind) ?? { rows: [], write: write as Kept['write'] };
  entry.rows.push(row);
  kept.set(kind, entry);
}

/** Writes what this transaction kept, kind by kind; call it last inside the transaction. */
export async function writeAppends(trx: Kysely<Database>): Promise<void> {
  const kept = keeping.get(trx);
  if (!kept) return;
  for (const [kind, entry] of kept) {
    kept.delete(kind);
    await entry.write(trx, entry.rows);
  }
}
