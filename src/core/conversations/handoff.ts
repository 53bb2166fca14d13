import { audit } from '../kernel/audit.ts';
import { auditedAs } from '../kernel/permissions/actor.ts';
import type { ReachedCustomer } from '../kernel/permissions/reach.ts';
import type { CoreDeps } from '../kernel/runtime.ts';
import type { OutboundAction } from '../ports/outbound.ts';
import { recordCustomerEvent } from '../records/timeline/customer-events.ts';

export type HandoffOutcome =
  | { ok: true; action: OutboundAction; servicer: { staffId: number; name: string } }
  /** no_session: no customer-service session with them; no_servicer: neither the owner nor the asker is there. */
  | { ok: false; reason: 'no_session' | 'no_servicer' };

/**
 * Hands the customer's latest customer-service session (微信客服) to a person, who then answers in the platform's own
 * client: the owner, or the asker when the owner has no account there. Liaison stops answering that session by API
 * (the platform refuses it, and the rep is told). Once per request `key`; audited and on the timeline.
 */
export async function handOffSession(
  deps: CoreDeps,
  customer: ReachedCustomer,
  key: string,
): Promise<HandoffOutcome> {
  const { db } = deps;
  const session = await db
    .selectFrom('chats')
    .select(['id', 'platform', 'workspace', 'platform_chat_id', 'connection_id'])
    .where('customer_id', '=', customer.id)
    .where('kind', '=', 'service')
    .where('connection_id', 'is not', null)
    .orderBy('updated_at', 'desc')
    .executeTakeFirst();
  if (!session?.connection_id || !deps.adapters.get(session.platform)?.perform)
    return { ok: false, reason: 'no_session' };
  const owner = await db
    .selectFrom('customers')
    .select('owner_staff_id')
    .where('id', '=', customer.id)
    .executeTakeFirst();
  const candidates = [owner?.owner_staff_id ?? null, customer.actor.staffId].filter(
    (id): id is number => id !== null,
  );
  let servicer: { staffId: number; name: string; externalId: string } | undefined;
  for (const staffId of candidates) {
    const found = await db
      .selectFrom('staff_identities as si')
      .innerJoin('staff', 'staff.id', 'si.staff_id')
      .select(['si.external_id', 'staff.display_name'])
      .where('si.staff_id', '=', staffId)
      .where('si.platform', '=', session.platform)
      .where('staff.active', '=', 1)
      .executeTakeFirst();
    if (found) {
      servicer = { staffId, name: found.display_name, externalId: found.external_id };
      break;
    }
  }
  if (!servicer) return { ok: false, reason: 'no_servicer' };
  const now = deps.clock.now();
  const detail = { servicer: servicer.staffId, chat: session.id };
  await recordCustomerEvent(db, {
    customerId: customer.id,
    key: `${key}:handoff`,
    at: now,
    kind: 'service_handoff',
    platform: session.platform,
    actorStaffId: customer.actor.staffId,
    detail,
  });
  await audit(db, now, {
    ...auditedAs(customer.actor),
    action: 'customer.service_handoff',
    subjectKind: 'customer',
    subjectId: customer.id,
    detail,
  });
  const action: OutboundAction = {
    platform: session.platform,
    workspace: session.workspace,
    idempotencyKey: `${key}:handoff`,
    action: {
      type: 'service_handoff',
      accountId: session.connection_id,
      customerExternalId: session.platform_chat_id,
      servicer: servicer.externalId,
    },
    ...(customer.actor.staffId !== null ? { reportTo: customer.actor.staffId } : {}),
  };
  return { ok: true, action, servicer: { staffId: servicer.staffId, name: servicer.name } };
}
