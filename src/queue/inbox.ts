import { type Kysely, sql, type UpdateObject } from 'kysely';
import type { Database, InboxRow, Platform, QueueStatus } from '../../db/schema.ts';
import { type ClaimOptions, claimDue, release } from './lease.ts';

export interface NewDelivery {
  platform: Platform;
  workspace: string;
  dedupKey: string;
  payload: string;
}

export const claimDeliveries = (db: Kysely<Database>, o: ClaimOptions): Promise<InboxRow[]> =>
  claimDue(db, 'inbox', o);

/** Marks deliveries done, in one statement; rows whose lease passed to another holder are left to it. */
export const markProcessed = (db: Kysely<Database>, ids: number[], owner: string, now: number) =>
  endClaims(db, ids, owner, { status: 'done', lease_owner: null, last_error: null, processed_at: now });

/** Hands claimed deliveries nobody began back to the queue, due at once and their attempt not counted; one statement. */
export const giveBack = (db: Kysely<Database>, ids: number[], owner: string, now: number) =>
  endClaims(db, ids, owner, {
    status: 'pending',
    lease_owner: null,
    available_at: now,
    attempts: sql<number>`attempts - 1`,
  });

/** Ends this holder's claims on `ids` in one statement; rows whose lease passed to another holder are left to it. */
async function endClaims(
  db: Kysely<Database>,
  ids: number[],
  owner: string,
  set: UpdateObject<Database, 'inbox'>,
): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('inbox').set(set).where('id', 'in', ids).where('lease_owner', '=', owner).execute();
}

/** Records a failed attempt: retried at `retryAt`, or given up for good when `retryAt` is null. */
export const markAttemptFailed = (
  db: Kysely<Database>,
  id: number,
  owner: string,
  error: string,
  retryAt: number | null,
) =>
  release(db, 'inbox', id, owner, {
    status: retryAt === null ? 'failed' : 'pending',
    error,
    ...(retryAt === null ? {} : { availableAt: retryAt }),
  });

export interface InboxSummary {
  id: number;
  platform: Platform;
  dedupKey: string;
  status: QueueStatus;
  attempts: number;
  lastError: string | null;
  receivedAt: number;
}

/** Deliveries in one state, newest first, without their payloads (which hold customer data). */
export async function listDeliveries(
  db: Kysely<Database>,
  status: QueueStatus,
  limit: number,
): Promise<InboxSummary[]> {
  const rows = await db
    .selectFrom('inbox')
    .select(['id', 'platform', 'dedup_key', 'status', 'attempts', 'last_error', 'received_at'])
    .where('status', '=', status)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    platform: r.platform,
    dedupKey: r.dedup_key,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    receivedAt: r.received_at,
  }));
}
