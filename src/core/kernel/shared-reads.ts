import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';

/** Transactions whose reads of what they never write are shared, each with its reads so far. */
const sharing = new WeakMap<Kysely<Database>, Map<string, Promise<unknown>>>();

/**
 * Lets `sharedRead` answer from the first read within this transaction. Only for work that never writes what is
 * read that way (the inbox's transactions of customer messages write no staff or teams): many messages then read
 * who hears about unowned customers once, not once each.
 */
export function shareReadsWithin(trx: Kysely<Database>): void {
  if (trx.isTransaction && !sharing.has(trx)) sharing.set(trx, new Map());
}

/** `read()`, or within a transaction that shares its reads, the answer an earlier read of `key` gave there. */
export function sharedRead<T>(db: Kysely<Database>, key: string, read: () => Promise<T>): Promise<T> {
  const reads = sharing.get(db);
  if (!reads) return read();
  const known = reads.get(key);
  if (known) return known as Promise<T>;
  const answer = read();
  reads.set(key, answer);
  return answer;
}
