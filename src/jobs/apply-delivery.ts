import type { Kysely } from 'kysely';
import type { Database, InboxRow } from '../../db/schema.ts';
import { handleEvent } from '../core/inbound/handle-event.ts';
import type { CoreDeps } from '../core/kernel/runtime.ts';
import type { InboundEvent } from '../core/ports/events.ts';
import type { OutboxItem } from '../core/ports/outbound.ts';
import { findStaff, keepSenderLookup } from '../core/records/staff/registry.ts';
import { enqueue } from '../queue/outbox.ts';

/** A delivery's events; throws when its platform is off or the payload cannot be read. */
export function decodeDelivery(core: CoreDeps, row: InboxRow): InboundEvent[] {
  const adapter = core.adapters.get(row.platform);
  if (!adapter) throw new Error(`the ${row.platform} adapter is not configured`);
  return adapter.decode(row.payload, row.received_at);
}

/**
 * A delivery's effects on `core.db` (handled, its sends queued); throws when it fails. The caller decides what a
 * failure means (recorded, or a transaction rolled back and the delivery retried alone).
 */
export async function applyDelivery(
  core: CoreDeps,
  row: InboxRow,
  events = decodeDelivery(core, row),
): Promise<OutboxItem[]> {
  const sends: OutboxItem[] = [];
  for (const [index, event] of events.entries()) {
    sends.push(...(await handleEvent(core, event, `inbox:${row.id}:${index}`)));
  }
  await enqueue(core.db, sends, core.clock.now());
  return sends;
}

/**
 * True when handling the events only reads and writes the database: messages from customers (a staff member's may be
 * a command, and the assistant may ask the model), not Telegram Business (an unknown connection is asked about), and
 * not where the platform is asked who wrote or what a bundle holds. Only such deliveries may share a transaction: one
 * that waits on the network would hold the database (on SQLite, everyone's) for as long.
 */
export async function databaseOnly(
  core: CoreDeps,
  db: Kysely<Database>,
  events: InboundEvent[],
): Promise<boolean> {
  for (const e of events) {
    if (e.kind !== 'message' || e.chat.kind === 'business' || e.sender.side === 'brand') return false;
    const adapter = core.adapters.get(e.platform);
    if (adapter?.describePerson || adapter?.completeContent) return false;
    if (e.botCommandText === undefined) continue;
    const person = { platform: e.platform, workspace: e.sender.workspace, externalId: e.sender.externalId };
    const staff = await findStaff(db, person);
    if (staff) return false;
    // Handled next on this handle, nothing in between: its handler need not ask again.
    if (events.length === 1) keepSenderLookup(e, db, staff);
  }
  return true;
}
