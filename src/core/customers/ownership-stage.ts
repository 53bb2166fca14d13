import { audit } from '../audit.ts';
import type { CoreDeps } from '../runtime.ts';
import { recordCustomerEvent } from '../timeline/customer-events.ts';
import { auditedActor, type ChangeActor } from './actor.ts';

/** What a stage or owner change did: `changed` false when the customer already had that value. */
export interface FieldChange<T> {
  changed: boolean;
  from: T;
}

/**
 * Moves a customer to a lifecycle stage set by a person (automatic suggestions leave it alone from then on), on the
 * timeline and in the audit log. The stage key must be one of the organisation's. null: no such customer.
 */
export async function changeStage(
  deps: CoreDeps,
  r: { customerId: number; stage: string; actor: ChangeActor },
  key: string,
): Promise<FieldChange<string> | null> {
  const { db } = deps;
  const row = await db
    .selectFrom('customers')
    .select('stage')
    .where('id', '=', r.customerId)
    .executeTakeFirst();
  if (!row) return null;
  if (row.stage === r.stage) return { changed: false, from: row.stage };
  const now = deps.clock.now();
  await db
    .updateTable('customers')
    .set({ stage: r.stage, stage_source: 'manual', updated_at: now })
    .where('id', '=', r.customerId)
    .execute();
  const detail = { from: row.stage, to: r.stage };
  await recordCustomerEvent(db, {
    customerId: r.customerId,
    key: `${key}:stage`,
    at: now,
    kind: 'stage_changed',
    ...(r.actor.via ? { platform: r.actor.via } : {}),
    actorStaffId: r.actor.staffId ?? null,
    detail,
  });
  await audit(db, now, {
    ...auditedActor(r.actor),
    action: 'customer.stage_changed',
    subjectKind: 'customer',
    subjectId: r.customerId,
    detail,
  });
  return { changed: true, from: row.stage };
}

/**
 * Gives a customer a new owner, on the timeline and in the audit log. Whether the actor may assign to that staff
 * member is the caller's check (`managesStaff`). null: no such customer.
 */
export async function changeOwner(
  deps: CoreDeps,
  r: { customerId: number; ownerStaffId: number; actor: ChangeActor },
  key: string,
): Promise<FieldChange<number | null> | null> {
  const { db } = deps;
  const row = await db
    .selectFrom('customers')
    .select('owner_staff_id')
    .where('id', '=', r.customerId)
    .executeTakeFirst();
  if (!row) return null;
  if (row.owner_staff_id === r.ownerStaffId) return { changed: false, from: row.owner_staff_id };
  const now = deps.clock.now();
  await db
    .updateTable('customers')
    .set({ owner_staff_id: r.ownerStaffId, updated_at: now })
    .where('id', '=', r.customerId)
    .execute();
  const detail = { from: row.owner_staff_id, to: r.ownerStaffId };
  await recordCustomerEvent(db, {
    customerId: r.customerId,
    key: `${key}:owner`,
    at: now,
    kind: 'owner_changed',
    ...(r.actor.via ? { platform: r.actor.via } : {}),
    actorStaffId: r.actor.staffId ?? null,
    detail,
  });
  await audit(db, now, {
    ...auditedActor(r.actor),
    action: 'customer.assigned',
    subjectKind: 'customer',
    subjectId: r.customerId,
    detail,
  });
  return { changed: true, from: row.owner_staff_id };
}
