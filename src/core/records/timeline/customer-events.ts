import type { Insertable, Kysely } from 'kysely';
import { preparedQuery } from '../../../../db/prepared.ts';
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
  return newEvent.changed(db, {
    customer_id: e.customerId,
    event_key: e.key,
    at: e.at,
    kind: e.kind,
    platform: e.platform ?? null,
    actor_staff_id: e.actorStaffId ?? null,
    detail: e.detail ? JSON.stringify(e.detail) : null,
  });
}

const newEvent = preparedQuery((db, row: Insertable<Database['customer_events']>) =>
  db
    .insertInto('customer_events')
    .values({
      customer_id: row.customer_id,
      event_key: row.event_key,
      at: row.at,
      kind: row.kind,
      platform: row.platform,
      actor_staff_id: row.actor_staff_id,
      detail: row.detail,
    })
    .onConflict((oc) => oc.column('event_key').doNothing()),
);
