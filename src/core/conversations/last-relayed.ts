import type { CoreDeps } from '../kernel/runtime.ts';

/** How long after a relay went out "回复 <text>" without a customer answers the customer it was about. */
export const LAST_RELAY_WINDOW_MS = 10 * 60_000;

/**
 * The customers whose messages were relayed to a staff member within `LAST_RELAY_WINDOW_MS`, the latest first:
 * only relays the platform accepted count, since the staff member can only be answering what they saw.
 */
export async function recentlyRelayedCustomers(deps: CoreDeps, staffId: number): Promise<number[]> {
  const rows = await deps.db
    .selectFrom('relays as r')
    .innerJoin('outbox as o', 'o.idempotency_key', 'r.batch_key')
    .select('r.customer_id')
    .where('r.staff_id', '=', staffId)
    .where('o.status', '=', 'sent')
    .where('o.sent_at', '>=', deps.clock.now() - LAST_RELAY_WINDOW_MS)
    .orderBy('o.sent_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(100)
    .execute();
  return [...new Set(rows.map((r) => r.customer_id))];
}
