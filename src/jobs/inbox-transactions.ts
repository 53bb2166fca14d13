import type { Kysely } from 'kysely';
import { connectionWaiters, servesThroughOneConnection } from '../../db/connection-waiters.ts';
import type { Database, InboxRow } from '../../db/schema.ts';
import { keepAppendsWithin, writeAppends } from '../core/kernel/appends.ts';
import type { CoreDeps } from '../core/kernel/runtime.ts';
import { shareReadsWithin } from '../core/kernel/shared-reads.ts';
import type { InboundEvent } from '../core/ports/events.ts';
import { nextTurn } from '../lib/next-turn.ts';
import { markProcessed } from '../queue/inbox.ts';
import { leaseHolds } from '../queue/lease.ts';
import { applyDelivery, databaseOnly, decodeDelivery } from './apply-delivery.ts';
import type { InboxWorkerDeps } from './inbox-worker.ts';

const hasTransactions = new WeakMap<Kysely<Database>, boolean>();

/** Whether the database has interactive transactions (SQLite, PostgreSQL: yes; D1: no), found out once per database. */
export async function transactionsWork(db: Kysely<Database>): Promise<boolean> {
  const known = hasTransactions.get(db);
  if (known !== undefined) return known;
  let works: boolean;
  try {
    await db.transaction().execute(async () => {});
    works = true;
  } catch {
    works = false;
  }
  hasTransactions.set(db, works);
  return works;
}

/**
 * Processes one lane (deliveries to keep in order) a transaction at a time: each applies deliveries for up to
 * `inboxTransactionMs` and marks them done with them, so a crash loses or repeats none of it. Between deliveries it
 * lets waiting requests run, and commits at once when anything waits for the connection it holds (SQLite has only
 * one): acknowledgements, requests and timed work wait for one delivery at most. When one fails the
 * whole transaction rolls back and its deliveries, the failed one last, go through `one` (the one-by-one path that
 * records a failure against its delivery alone); so do deliveries this claim no longer holds, that are out of
 * attempts, or whose handling may wait on the network (`databaseOnly`). `afterCommit` runs after each commit, outside
 * the transaction.
 */
export async function processInTransactions(
  deps: InboxWorkerDeps,
  lane: InboxRow[],
  one: (row: InboxRow) => Promise<void>,
  afterCommit: () => Promise<void>,
): Promise<void> {
  const { core, owner, settings } = deps;
  // Events of a delivery that may join a transaction; null sends it the one-by-one way (which records why it fails).
  const batchable = async (row: InboxRow, db: Kysely<Database>) => {
    if (!leaseHolds(row, core.clock.now()) || row.attempts > settings.inboxMaxAttempts) return null;
    if (deps.mayBegin?.() === false) return null; // given back by the one-by-one path
    let events: InboundEvent[];
    try {
      events = decodeDelivery(core, row);
    } catch {
      return null;
    }
    return (await databaseOnly(core, db, events)) ? events : null;
  };
  let next = 0;
  while (next < lane.length) {
    const first = next;
    let events = await batchable(lane[first] as InboxRow, core.db);
    if (!events) {
      await one(lane[next++] as InboxRow);
      continue;
    }
    let queued = false;
    try {
      await core.db.transaction().execute(async (trx) => {
        // Customer messages write no staff or teams: who hears about unowned customers is read once per transaction.
        shareReadsWithin(trx);
        // Audit entries and new customers' search keys go in one statement each, just before the commit.
        keepAppendsWithin(trx);
        const inTransaction: CoreDeps = { ...core, db: trx };
        const started = performance.now();
        while (events) {
          if ((await applyDelivery(inTransaction, lane[next] as InboxRow, events)).length > 0) queued = true;
          next++;
          const more =
            next < lane.length &&
            performance.now() - started < settings.inboxTransactionMs &&
            !(await othersWait(deps));
          events = more ? await batchable(lane[next] as InboxRow, trx) : null;
        }
        await writeAppends(trx);
        const taken = lane.slice(first, next).map((row) => row.id);
        await markProcessed(trx, taken, owner, core.clock.now());
      });
    } catch {
      // Nothing of it stayed: the same deliveries again, one by one, each failure its own.
      for (const row of lane.slice(first, next + 1)) await one(row);
      next++;
      continue;
    }
    // Sends become visible to the outbox sender with the commit: wake it only now.
    if (queued) deps.onSendsQueued();
    await afterCommit();
    await deps.pace();
  }
}

/**
 * Lets requests that arrived meanwhile run, then tells whether anything waits for the connection this transaction
 * holds (SQLite): a webhook about to store its delivery, or any query. A pool's other connections (PostgreSQL) serve
 * them meanwhile, so there the transaction goes on, paced between deliveries as one-by-one processing is (acks
 * first): cutting it would leave one delivery per commit while webhooks keep coming.
 */
async function othersWait(deps: InboxWorkerDeps): Promise<boolean> {
  const { db } = deps.core;
  if (!servesThroughOneConnection(db)) {
    await deps.pace();
    return false;
  }
  await nextTurn();
  return (deps.acksWaiting?.() ?? false) || connectionWaiters(db) > 0;
}
