import type { Kysely } from 'kysely';
import type { Database, OutboxRow, Platform } from '../../db/schema.ts';
import {
  isAction,
  type OutboundContent,
  type OutboundTarget,
  type OutboxItem,
  type PlatformAction,
} from '../core/ports/outbound.ts';
import { type ClaimOptions, claimDue, type Release, release } from './lease.ts';

/** Sends to one target share a key: they go out in order, and a platform's per-target limits count them together. */
export function targetKey(platform: string, workspace: string, target: OutboundTarget): string {
  return target.kind === 'robot'
    ? `${platform}:${workspace}:robot:${target.webhook}`
    : `${platform}:${workspace}:chat:${target.connectionId ?? ''}:${target.chatId}`;
}

/** Queues sends and actions; an item whose idempotency key is already queued is skipped, so enqueuing is safe to repeat. */
export async function enqueue(db: Kysely<Database>, items: OutboxItem[], now: number): Promise<void> {
  // D1 binds at most 100 parameters per statement (14 per row); each chunk is idempotent on its own.
  for (let at = 0; at < items.length; at += ROWS_PER_ENQUEUE) {
    await insertOutbox(db, items.slice(at, at + ROWS_PER_ENQUEUE), now);
  }
}

const ROWS_PER_ENQUEUE = 7;

async function insertOutbox(db: Kysely<Database>, items: OutboxItem[], now: number): Promise<void> {
  await db
    .insertInto('outbox')
    .values(
      items.map((item) => ({
        idempotency_key: item.idempotencyKey,
        platform: item.platform,
        workspace: item.workspace,
        status: 'pending' as const,
        attempts: 0,
        available_at: Math.max(now, item.notBefore ?? now),
        created_at: now,
        ...(isAction(item)
          ? {
              kind: 'action',
              target: '{}',
              content: JSON.stringify(item.action),
              target_key: null,
              customer_id: null,
              chat_id: null,
              report_to_staff_id: item.reportTo ?? null,
              author_staff_id: null,
            }
          : {
              kind: 'message',
              target: JSON.stringify(item.target),
              content: JSON.stringify(item.content),
              target_key: targetKey(item.platform, item.workspace, item.target),
              customer_id: item.customerId ?? null,
              chat_id: item.chatId ?? null,
              report_to_staff_id: item.reportTo ?? null,
              author_staff_id: item.authorStaffId ?? null,
            }),
      })),
    )
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .execute();
}

export const claimSends = (db: Kysely<Database>, o: ClaimOptions): Promise<OutboxRow[]> =>
  claimDue(db, 'outbox', o);

export const releaseSend = (db: Kysely<Database>, id: number, owner: string, r: Release) =>
  release(db, 'outbox', id, owner, r);

/** Rebuilds the item a stored row describes. */
export function toOutboxItem(row: OutboxRow): OutboxItem {
  const base = { platform: row.platform, workspace: row.workspace, idempotencyKey: row.idempotency_key };
  if (row.kind === 'action')
    return {
      ...base,
      action: JSON.parse(row.content) as PlatformAction,
      ...(row.report_to_staff_id !== null ? { reportTo: row.report_to_staff_id } : {}),
    };
  return {
    ...base,
    target: JSON.parse(row.target) as OutboundTarget,
    content: JSON.parse(row.content) as OutboundContent,
    ...(row.customer_id !== null ? { customerId: row.customer_id } : {}),
    ...(row.chat_id !== null ? { chatId: row.chat_id } : {}),
    ...(row.report_to_staff_id !== null ? { reportTo: row.report_to_staff_id } : {}),
    ...(row.author_staff_id !== null ? { authorStaffId: row.author_staff_id } : {}),
  };
}

/** Sends confirmed since `since` to one target (or through a whole installation), and the earliest of them. */
export async function recentSends(
  db: Kysely<Database>,
  scope: { targetKey: string } | { platform: Platform; workspace: string },
  since: number,
): Promise<{ count: number; earliest: number | null }> {
  let q = db
    .selectFrom('outbox')
    .select((eb) => [
      eb.fn.countAll<number>().as('count'),
      eb.fn.min<number | null>('sent_at').as('earliest'),
    ])
    .where('sent_at', '>', since);
  q =
    'targetKey' in scope
      ? q.where('target_key', '=', scope.targetKey)
      : q.where('platform', '=', scope.platform).where('workspace', '=', scope.workspace);
  const row = await q.executeTakeFirst();
  return { count: Number(row?.count ?? 0), earliest: row?.earliest ?? null };
}
