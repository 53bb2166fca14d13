import { audit } from '../../kernel/audit.ts';
import { messages } from '../../kernel/i18n/index.ts';
import { type Actor, auditedAs } from '../../kernel/permissions/actor.ts';
import { managedStaffIds } from '../../kernel/permissions/staff-scope.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import type { DirectoryBulk } from '../../ports/adapter.ts';
import type { GroupTransferResultEvent, TransferResultEvent } from '../../ports/events.ts';
import type { OutboundAction, OutboundMessage } from '../../ports/outbound.ts';
import { recordCustomerEvent } from '../timeline/customer-events.ts';
import { messageToStaff } from './notify.ts';

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
  /** Customer groups of a departed member asked of platforms (离职继承 of groups), by platform. */
  platformGroups: Record<string, number>;
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
  const platformGroups = r.resigned ? await handOverGroups(deps, r, key, takers, actions) : {};
  return { reassigned: Number(moved.numUpdatedRows), platformTransfers, platformGroups, actions };
}

/**
 * The customer groups a departed member owns, on each platform that lists them and takes them over: read live
 * (Liaison keeps no owner per group) and handed to the successor in batches of 100 (WeCom `groupchat/transfer`).
 */
async function handOverGroups(
  deps: CoreDeps,
  r: HandoverRequest,
  key: string,
  takers: Array<{ platform: string; external_id: string }>,
  actions: OutboundAction[],
): Promise<Record<string, number>> {
  const givers = await deps.db
    .selectFrom('staff_identities')
    .select(['platform', 'external_id'])
    .where('staff_id', '=', r.fromStaffId)
    .execute();
  const counts: Record<string, number> = {};
  for (const g of givers) {
    const adapter = deps.adapters.get(g.platform);
    const bulk = adapter?.contacts?.bulk;
    const toMember = takers.find((t) => t.platform === g.platform)?.external_id;
    if (!adapter?.perform || !bulk || !toMember) continue;
    let chatIds: string[];
    try {
      chatIds = await ownedGroupIds(bulk, g.external_id);
    } catch (error) {
      deps.logger.warn(
        { platform: g.platform, error: error instanceof Error ? error.message : 'error' },
        'customer groups of a departed member not read',
      );
      continue;
    }
    for (let i = 0; i < chatIds.length; i += PER_REQUEST) {
      actions.push({
        platform: g.platform,
        workspace: adapter.workspace,
        idempotencyKey: `${key}:groups:${g.platform}:${g.external_id}:${i / PER_REQUEST}`,
        action: {
          type: 'transfer_groups',
          fromMember: g.external_id,
          toMember,
          chatIds: chatIds.slice(i, i + PER_REQUEST),
          ...(r.actor.staffId !== null ? { requestedBy: r.actor.staffId } : {}),
        },
        ...(r.actor.staffId !== null ? { reportTo: r.actor.staffId } : {}),
      });
    }
    if (chatIds.length > 0) counts[g.platform] = (counts[g.platform] ?? 0) + chatIds.length;
  }
  return counts;
}

/** Every customer group a member owns, page by page. */
export async function ownedGroupIds(bulk: DirectoryBulk, member: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor = '';
  do {
    const page = await bulk.listGroups([member], cursor);
    ids.push(...page.items.map((g) => g.platformChatId));
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

/**
 * How a handover of customer groups went: groups the platform refused are named to whoever asked (else to the
 * successor), once per answer.
 */
export async function recordGroupTransfers(
  deps: CoreDeps,
  ev: GroupTransferResultEvent,
  key: string,
): Promise<OutboundMessage[]> {
  if (ev.failed.length === 0) return [];
  const staffOf = async (member: string) =>
    (await deps.db
      .selectFrom('staff_identities as si')
      .innerJoin('staff', 'staff.id', 'si.staff_id')
      .select(['staff.id', 'staff.display_name'])
      .where('si.platform', '=', ev.platform)
      .where('si.external_id', '=', member)
      .executeTakeFirst()) ?? null;
  const from = await staffOf(ev.fromMember);
  const to = await staffOf(ev.toMember);
  const tell = ev.requestedBy ?? to?.id;
  if (tell === undefined) return [];
  const failed = ev.failed.map((f) => `${f.chatId} ${f.reason}`).join(', ');
  return messageToStaff(
    deps,
    tell,
    (lang) =>
      messages(lang).commands.handover.groupsFailed(
        from?.display_name ?? ev.fromMember,
        to?.display_name ?? ev.toMember,
        ev.transferred.length,
        ev.failed.length,
        failed,
      ),
    `${key}:groups_failed`,
  );
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
