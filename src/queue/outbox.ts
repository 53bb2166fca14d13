import type { Kysely } from 'kysely';
import type { Database, OutboxRow } from '../../db/schema.ts';
import type { OutboundContent, OutboundMessage, OutboundTarget } from '../core/outbound.ts';
import { type ClaimOptions, claimDue, type Release, release } from './lease.ts';

/** Queues sends; a message whose idempotency key is already queued is skipped, so enqueuing is safe to repeat. */
export async function enqueue(db: Kysely<Database>, messages: OutboundMessage[], now: number): Promise<void> {
  if (messages.length === 0) return;
  await db
    .insertInto('outbox')
    .values(
      messages.map((m) => ({
        idempotency_key: m.idempotencyKey,
        platform: m.platform,
        workspace: m.workspace,
        target: JSON.stringify(m.target),
        content: JSON.stringify(m.content),
        status: 'pending' as const,
        attempts: 0,
        available_at: now,
        customer_id: m.customerId ?? null,
        chat_id: m.chatId ?? null,
        created_at: now,
      })),
    )
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .execute();
}

export const claimSends = (db: Kysely<Database>, o: ClaimOptions): Promise<OutboxRow[]> =>
  claimDue(db, 'outbox', o);

export const releaseSend = (db: Kysely<Database>, id: number, owner: string, r: Release) =>
  release(db, 'outbox', id, owner, r);

/** Rebuilds the message a stored row describes. */
export function toOutboundMessage(row: OutboxRow): OutboundMessage {
  return {
    platform: row.platform,
    workspace: row.workspace,
    target: JSON.parse(row.target) as OutboundTarget,
    content: JSON.parse(row.content) as OutboundContent,
    idempotencyKey: row.idempotency_key,
    ...(row.customer_id !== null ? { customerId: row.customer_id } : {}),
    ...(row.chat_id !== null ? { chatId: row.chat_id } : {}),
  };
}
