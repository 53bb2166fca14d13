import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../../db/dialect.ts';
import type { Database, InboxRow, OutboxRow } from '../../db/schema.ts';

/** The columns the inbox and outbox share: a row is claimable when pending and `available_at` has passed. */
interface LeaseColumns {
  id: number;
  status: string;
  attempts: number;
  available_at: number;
  lease_owner: string | null;
  last_error: string | null;
}
type LeasedTables = { inbox: LeaseColumns; outbox: LeaseColumns };
type RowOf<T extends keyof LeasedTables> = T extends 'inbox' ? InboxRow : OutboxRow;

export interface ClaimOptions {
  /** Who holds the lease (instance id); completion only counts from the holder. */
  owner: string;
  now: number;
  /** How long the claim lasts; a holder that dies releases it by letting it expire. */
  leaseMs: number;
  limit: number;
}

const leased = (db: Kysely<Database>) => db as unknown as Kysely<LeasedTables>;

/**
 * Claims up to `limit` due rows, oldest first. Two claimers never get the same row: the UPDATE re-checks
 * `available_at`, which the winner has just pushed into the future (PostgreSQL re-reads a row it waited for).
 */
export async function claimDue<T extends keyof LeasedTables>(
  db: Kysely<Database>,
  table: T,
  o: ClaimOptions,
): Promise<RowOf<T>[]> {
  const rows = isPostgres(db) ? await claimSkippingLocked(db, table, o) : await claimByIdList(db, table, o);
  return (rows as unknown as RowOf<T>[]).sort((a, b) => a.available_at - b.available_at || a.id - b.id);
}

/** What a claimer takes: work to do, and (outbox) accepted sends whose answer a dead process left unhandled. */
const CLAIMABLE: Record<keyof LeasedTables, string[]> = {
  inbox: ['pending'],
  outbox: ['pending', 'settling'],
};

/** Due rows' ids, oldest first. */
const dueIds = (db: Kysely<Database>, table: keyof LeasedTables, o: ClaimOptions) =>
  leased(db)
    .selectFrom(table as 'inbox')
    .select('id')
    .where('status', 'in', CLAIMABLE[table])
    .where('available_at', '<=', o.now)
    .orderBy('available_at')
    .orderBy('id')
    .limit(o.limit);

/**
 * Takes those of `ids` still due: a row another claimer took meanwhile has its `available_at` in the future. Given
 * a literal id list (SQLite, D1), the re-check is written `+status` and `+available_at`: SQLite cannot use an index
 * for those, so it looks the ids up by primary key. Plainly written, it walked the due index through every pending
 * row for each claim, a cost that grew with the backlog (0.5 ms a claim at 10,000 pending).
 */
const takeStillDue = (
  db: Kysely<Database>,
  table: keyof LeasedTables,
  o: ClaimOptions,
  ids: number[] | ReturnType<typeof dueIds>,
) => {
  const column = <T>(name: 'status' | 'available_at') =>
    Array.isArray(ids) ? sql<T>`+${sql.ref(name)}` : sql<T>`${sql.ref(name)}`;
  return leased(db)
    .updateTable(table as 'inbox')
    .set(claimed(o))
    .where('id', 'in', ids)
    .where(column<string>('status'), 'in', CLAIMABLE[table])
    .where(column<number>('available_at'), '<=', o.now)
    .returningAll()
    .execute();
};

/** Without a transaction (works on SQLite and D1): pick due ids, then take those still due. */
async function claimByIdList(db: Kysely<Database>, table: keyof LeasedTables, o: ClaimOptions) {
  const due = await dueIds(db, table, o).execute();
  if (due.length === 0) return [];
  // A literal id list (not a subquery), looked up by primary key however long the queue is (`takeStillDue`).
  return takeStillDue(
    db,
    table,
    o,
    due.map((r) => r.id),
  );
}

/** PostgreSQL, one statement: instances claiming at once skip each other's rows instead of all racing for the same batch. */
function claimSkippingLocked(db: Kysely<Database>, table: keyof LeasedTables, o: ClaimOptions) {
  return takeStillDue(db, table, o, dueIds(db, table, o).forUpdate().skipLocked());
}

const claimed = ({ owner, now, leaseMs }: ClaimOptions) => ({
  lease_owner: owner,
  available_at: now + leaseMs,
  attempts: sql<number>`attempts + 1`,
});

/** True while a claimed row's lease still has `marginMs` to run: past that, another instance may take it over. */
export const leaseHolds = (row: { available_at: number }, now: number, marginMs = 0): boolean =>
  now + marginMs < row.available_at;

export interface Release {
  status: 'pending' | 'settling' | 'done' | 'sent' | 'failed';
  /** For `pending`: when to try again. */
  availableAt?: number;
  error?: string | null;
  /** Give back the attempt the claim counted (a rate limit is not a failure). */
  refundAttempt?: boolean;
  /** Keep the lease (and its `available_at`): the holder goes on with the row. */
  keepLease?: boolean;
  extra?: Record<string, string | number | null>;
}

/** Ends a claim; a no-op (returns false) when the lease has passed to another holder meanwhile. */
export async function release(
  db: Kysely<Database>,
  table: keyof LeasedTables,
  id: number,
  owner: string,
  r: Release,
): Promise<boolean> {
  const result = await leased(db)
    .updateTable(table as 'inbox')
    .set({
      status: r.status,
      ...(r.keepLease ? {} : { lease_owner: null }),
      last_error: r.error ?? null,
      ...(r.availableAt !== undefined ? { available_at: r.availableAt } : {}),
      ...(r.refundAttempt ? { attempts: sql<number>`attempts - 1` } : {}),
      ...(r.extra ?? {}),
    })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Exponential backoff with ±20% jitter, so a crowd of failures does not retry in lockstep. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  const raw = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(raw * (0.8 + Math.random() * 0.4));
}
