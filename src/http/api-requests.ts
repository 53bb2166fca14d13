import type { Context } from 'hono';
import type { OutboxItem } from '../core/ports/outbound.ts';
import { searchCustomers } from '../core/records/customers/search.ts';
import { enqueue } from '../queue/outbox.ts';
import type { ApiDeps } from './api.ts';
import { isoOrNull, isoTime } from './api-schemas.ts';
import { contactsFor, requestViewer } from './api-viewer.ts';

/**
 * The key a write's records derive from (note, origin of a customer, outbox items), as a chat request's derive from
 * its delivery: from the client's `Idempotency-Key`, so a retry writes once, or unique per request.
 */
export const writeKey = (operation: string, idempotencyKey: string | undefined): string =>
  `api:${operation}:${idempotencyKey ?? crypto.randomUUID()}`;

/** One customer as the list shows it (masked for a rep token; unmasked reads audited), or null. */
export async function customerSummary(deps: ApiDeps, c: Context, customerId: number, what: string) {
  const found = await searchCustomers(deps.db, { q: `#${customerId}`, limit: 1 });
  const [item] = await contactsFor(deps.core, requestViewer(c), found, what);
  if (!item) return null;
  return {
    ...item,
    firstContactAt: isoTime(item.firstContactAt),
    lastContactAt: isoOrNull(item.lastContactAt),
  };
}

/** Queues sends or platform actions a write produced, and wakes the outbox. */
export async function queueItems(deps: ApiDeps, items: OutboxItem[]): Promise<void> {
  if (items.length === 0) return;
  await enqueue(deps.db, items, deps.core.clock.now());
  deps.onQueued();
}
