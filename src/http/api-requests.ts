import type { Context } from 'hono';
import type { ChangeActor } from '../core/customers/actor.ts';
import { searchCustomers } from '../core/customers/search.ts';
import type { OutboxItem } from '../core/outbound.ts';
import { canSeeCustomer } from '../core/permissions/scope.ts';
import { enqueue } from '../queue/outbox.ts';
import type { ApiDeps } from './api.ts';
import { isoOrNull, isoTime } from './api-schemas.ts';
import { contactsFor, requestViewer, viewerIn } from './api-viewer.ts';

/**
 * The key a write's records derive from (note, origin of a customer, outbox items), as a chat request's derive from
 * its delivery: from the client's `Idempotency-Key`, so a retry writes once, or unique per request.
 */
export const writeKey = (operation: string, idempotencyKey: string | undefined): string =>
  `api:${operation}:${idempotencyKey ?? crypto.randomUUID()}`;

/** The token's identity in the audit log and on the timeline: the bound staff member, or the API itself. */
export function apiActor(c: Context): ChangeActor {
  const staffId = viewerIn(requestViewer(c))?.staffId;
  return { kind: 'api', ...(staffId ? { staffId } : {}) };
}

/** A customer the token may change: in its scope, and not merged away. Anything else reads as unknown (404). */
export async function writableCustomer(deps: ApiDeps, c: Context, customerId: number): Promise<boolean> {
  const viewer = viewerIn(requestViewer(c));
  if (viewer) return canSeeCustomer(deps.db, viewer, customerId);
  const row = await deps.db
    .selectFrom('customers')
    .select('id')
    .where('id', '=', customerId)
    .where('merged_into_id', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

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
