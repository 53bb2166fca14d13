import type { Kysely } from 'kysely';
import type { Database, Platform } from '../../../../db/schema.ts';

export interface CustomerEventInput {
  customerId: number;
  /** Derived from what caused it (delivery, action), so recording it again changes nothing. */
  key: string;
  at: number;
  kind: string;
  platform?: Platform;
  actorStaffId?: number | null;
  detail?: Record<string, unknown>;
}

/** Puts a non-message event on a customer's timeline, once per key; true when it was not there yet. */
export async function recordCustomerEvent(db: Kysely<Database>, e: CustomerEventInput): Promise<boolean> {
  const result = await db
    .insertInto('customer_events')
    .values({
      customer_id: e.customerId,
      event_key: e.key,
      at: e.at,
      kind: e.kind,
      platform: e.platform ?? null,
      actor_staff_id: e.actorStaffId ?? null,
      detail: e.detail ? JSON.stringify(e.detail) : null,
    })
    .onConflict((oc) => oc.column('event_key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}
