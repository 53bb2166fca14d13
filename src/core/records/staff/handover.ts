import { audit } from '../../kernel/audit.ts';
import { type Actor, auditedAs } from '../../kernel/permissions/actor.ts';
import { managedStaffIds } from '../../kernel/permissions/staff-scope.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import type { TransferResultEvent } from '../../ports/events.ts';
import type { OutboundAction } from '../../ports/outbound.ts';
import { recordCustomerEvent } from '../timeline/customer-events.ts';

/** WeCom takes at most 100 customers per transfer call. */
const PER_REQUEST = 100;

export interface HandoverRequest {
  fromStaffId: number;
  toStaffId: number;
  /** The handing-over staff member has left (离职继承) rather than changing role (在职继承). */
  resigned: boolean;
  actor: Actor;
}

/** Why a handover is refused: the same person twice, a rep asking, or staff the actor does not manage (or unknown). */
export type HandoverRefusal = 'same' | 'not_allowed' | 'out_of_reach';

/** Whether the actor may hand one staff member's customers to another: managers and above, between staff they manage. */
export async function handoverRefusal(
  deps: Pick<CoreDeps, 'db'>,
  actor: Actor,
  fromStaffId: number,
  toStaffId: number,
): Promise<HandoverRefusal | null> {
  if (fromStaffId === toStaffId) return 'same';
  if (actor.viewer?.role === 'rep') return 'not_allowed';
  const known = await deps.db
    .selectFrom('staff')
    .select('id')
    .where('id', 'in', [fromStaffId, toStaffId])
    .execute();
  if (known.length !== 2) return 'out_of_reach';
  if (actor.viewer) {
    const managed = await managedStaffIds(deps.db, actor.viewer);
    if (managed && !(managed.includes(fromStaffId) && managed.includes(toStaffId))) return 'out_of_reach';
  }
  return null;
}

export interface HandoverOutcome {
  reassigned: number;
  /** Transfers asked of platforms, by platform. */
  platformTransfers: Record<string, number>;
  actions: OutboundAction[];
}

/**
 * Hands every customer of one staff member to another: ownership moves in Liaison at once, and on each platform
 * where the customers are the staff member's contacts a transfer is requested (in batches) and tracked until the
 * platform reports how it ended. Safe to repeat: transfers already requested are not asked again.
 */
export async function handOverCustomers(
  deps: CoreDeps,
  r: HandoverRequest,
  key: string,
): Promise<HandoverOutcome | { refused: HandoverRefusal }> {
  const refused = await handoverRefusal(deps, r.actor, r.fromStaffId, r.toStaffId);
  if (refused) return { refused };
  const { db, clock } = deps;
  const now = clock.now();
  const moved = await db
    .updateTable('customers')
    .set({ owner_staff_id: r.toStaffId, updated_at: now })
    .where('owner_staff_id', '=', r.fromStaffId)
    .executeTakeFirst();
  await audit(db, now, {
    ...auditedAs(r.actor),
    action: 'customers.handover',
    subjectKind: 'staff',
    subjectId: r.fromStaffId,
    detail: { to: r.toStaffId, resigned: r.resigned, reassigned: Number(moved.numUpdatedRows) },
  });

  const relations = await db
    .selectFrom('contact_relations as r')
    .innerJoin('identities as i', 'i.id', 'r.identity_id')
    .select(['r.customer_id', 'r.member_external_id', 'i.platform', 'i.external_id'])
    .where('r.staff_id', '=', r.fromStaffId)
    .where('r.status', '=', 'active')
    .execute();
  const takers = await db
    .selectFrom('staff_identities')
    .select(['platform', 'external_id'])
    .where('staff_id', '=', r.toStaffId)
    .execute();
  const actions: OutboundAction[] = [];
  const platformTransfers: Record<string, number> = {};
  const groups = new Map<string, typeof relations>();
  for (const x of relations) {
    const group = `${x.platform}\u0000${x.member_external_id}`;
    groups.set(group, [...(groups.get(group) ?? []), x]);
  }
  for (const rows of groups.values()) {
    const { platform, member_external_id: fromMember } = rows[0] as (typeof rows)[0];
    const adapter = deps.adapters.get(platform);
    const toMember = takers.find((t) => t.platform === platform)?.external_id;
    if (!adapter?.perform || !toMember) continue;
    const fresh = [];
    for (const row of rows) {
      const inserted = await db
        .insertInto('transfers')
        .values({
          customer_id: row.customer_id,
          platform,
          workspace: adapter.workspace,
          customer_external_id: row.external_id,
          from_member: fromMember,
          to_member: toMember,
          resigned: r.resigned ? 1 : 0,
          status: 'requested',
          reason: null,
          requested_at: now,
          updated_at: now,
        })
        .onConflict((oc) =>
          oc
            .columns(['platform', 'workspace', 'customer_external_id', 'from_member', 'to_member'])
            .doNothing(),
        )
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) fresh.push(row.external_id);
    }
    for (let i = 0; i < fresh.length; i += PER_REQUEST) {
      actions.push({
        platform,
        workspace: adapter.workspace,
        idempotencyKey: `${key}:transfer:${platform}:${fromMember}:${i / PER_REQUEST}`,
        action: {
          type: 'transfer_customers',
          fromMember,
          toMember,
          customerExternalIds: fresh.slice(i, i + PER_REQUEST),
          resigned: r.resigned,
        },
      });
    }
    platformTransfers[platform] = (platformTransfers[platform] ?? 0) + fresh.length;
  }
  return { reassigned: Number(moved.numUpdatedRows), platformTransfers, actions };
}

/** Records how requested transfers went; refusals and limits land on the customer's timeline. */
export async function recordTransferResults(
  deps: CoreDeps,
  ev: TransferResultEvent,
  key: string,
): Promise<void> {
  const { db, clock } = deps;
  for (const r of ev.results) {
    const transfer = await db
      .selectFrom('transfers')
      .select(['id', 'customer_id', 'status'])
      .where('platform', '=', ev.platform)
      .where('workspace', '=', ev.workspace)
      .where('customer_external_id', '=', r.customerExternalId)
      .where('from_member', '=', r.fromMember)
      .where('to_member', '=', r.toMember)
      .executeTakeFirst();
    if (!transfer || transfer.status === r.status) continue;
    await db
      .updateTable('transfers')
      .set({ status: r.status, reason: r.reason ?? null, updated_at: clock.now() })
      .where('id', '=', transfer.id)
      .execute();
    if (r.status === 'waiting') continue;
    await recordCustomerEvent(db, {
      customerId: transfer.customer_id,
      key: `${key}:transfer:${transfer.id}:${r.status}`,
      at: ev.occurredAt,
      kind: `transfer_${r.status}`,
      platform: ev.platform,
      detail: { from: r.fromMember, to: r.toMember, ...(r.reason ? { reason: r.reason } : {}) },
    });
  }
}
