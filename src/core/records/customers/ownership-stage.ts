import { audit } from '../../kernel/audit.ts';
import { type Actor, auditedAs } from '../../kernel/permissions/actor.ts';
import { platformOf, type ReachedCustomer } from '../../kernel/permissions/reach.ts';
import { managesStaff } from '../../kernel/permissions/staff-scope.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import { recordCustomerEvent } from '../timeline/customer-events.ts';

/** What a stage or owner change did: `changed` false when the customer already had that value. */
export interface FieldChange<T> {
  changed: boolean;
  from: T;
}

/**
 * Moves a customer to a lifecycle stage set by a person (automatic suggestions leave it alone from then on), on the
 * timeline and in the audit log. The stage key must be one of the organisation's. null: the customer is gone.
 */
export async function changeStage(
  deps: CoreDeps,
  r: { customer: ReachedCustomer; stage: string },
  key: string,
): Promise<FieldChange<string> | null> {
  const { db } = deps;
  const customerId = r.customer.id;
  const row = await db
    .selectFrom('customers')
    .select('stage')
    .where('id', '=', customerId)
    .executeTakeFirst();
  if (!row) return null;
  if (row.stage === r.stage) return { changed: false, from: row.stage };
  const now = deps.clock.now();
  await db
    .updateTable('customers')
    .set({ stage: r.stage, stage_source: 'manual', updated_at: now })
    .where('id', '=', customerId)
    .execute();
  await recorded(deps, r.customer, now, key, 'stage', { from: row.stage, to: r.stage });
  return { changed: true, from: row.stage };
}

/**
 * Whether the actor may make this staff member a customer's owner: staff they manage (a rep: only themselves), and
 * active. Asked by every write that sets an owner, and by front ends before a write of several steps.
 */
export async function ownerCheck(
  deps: Pick<CoreDeps, 'db'>,
  actor: Actor,
  staffId: number,
): Promise<'ok' | 'owner_out_of_reach' | 'owner_inactive'> {
  if (actor.viewer && !(await managesStaff(deps.db, actor.viewer, staffId))) return 'owner_out_of_reach';
  const active = await deps.db
    .selectFrom('staff')
    .select('id')
    .where('id', '=', staffId)
    .where('active', '=', 1)
    .executeTakeFirst();
  return active ? 'ok' : 'owner_inactive';
}

/**
 * Gives a customer a new owner, on the timeline and in the audit log: only staff the actor manages (a rep: only
 * themselves) and active. null: the customer is gone; otherwise why the owner was refused.
 */
export async function changeOwner(
  deps: CoreDeps,
  r: { customer: ReachedCustomer; ownerStaffId: number },
  key: string,
): Promise<FieldChange<number | null> | null | 'owner_out_of_reach' | 'owner_inactive'> {
  const { db } = deps;
  const { id: customerId, actor } = r.customer;
  const check = await ownerCheck(deps, actor, r.ownerStaffId);
  if (check !== 'ok') return check;
  const row = await db
    .selectFrom('customers')
    .select('owner_staff_id')
    .where('id', '=', customerId)
    .executeTakeFirst();
  if (!row) return null;
  if (row.owner_staff_id === r.ownerStaffId) return { changed: false, from: row.owner_staff_id };
  const now = deps.clock.now();
  await db
    .updateTable('customers')
    .set({ owner_staff_id: r.ownerStaffId, updated_at: now })
    .where('id', '=', customerId)
    .execute();
  await recorded(deps, r.customer, now, key, 'owner', { from: row.owner_staff_id, to: r.ownerStaffId });
  return { changed: true, from: row.owner_staff_id };
}

/** The change on the customer's timeline and in the audit log. */
async function recorded(
  deps: CoreDeps,
  customer: ReachedCustomer,
  now: number,
  key: string,
  what: 'stage' | 'owner',
  detail: { from: unknown; to: unknown },
): Promise<void> {
  const via = platformOf(customer.actor);
  await recordCustomerEvent(deps.db, {
    customerId: customer.id,
    key: `${key}:${what}`,
    at: now,
    kind: what === 'stage' ? 'stage_changed' : 'owner_changed',
    ...(via ? { platform: via } : {}),
    actorStaffId: customer.actor.staffId,
    detail,
  });
  await audit(deps.db, now, {
    ...auditedAs(customer.actor),
    action: what === 'stage' ? 'customer.stage_changed' : 'customer.assigned',
    subjectKind: 'customer',
    subjectId: customer.id,
    detail,
  });
}
