import { audit } from '../../kernel/audit.ts';
import { type Actor, auditedAs } from '../../kernel/permissions/actor.ts';
import { platformOf } from '../../kernel/permissions/reach.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import { suggestStage } from '../customers/lifecycle.ts';
import { recordCustomerEvent } from '../timeline/customer-events.ts';

/**
 * A deal written by a person: on the customer's timeline (once per request `key`) and in the audit log; a deal won
 * moves the customer to 成交 (won), or 复购 (repeat) after an earlier win, unless a person set their stage.
 */
export async function dealRecorded(
  deps: CoreDeps,
  e: {
    actor: Actor;
    customerId: number;
    dealId: number;
    action: 'deal.created' | 'deal.updated';
    /** The deal was just won (moved to a stage of probability 100). */
    won: boolean;
    detail: Record<string, unknown>;
  },
  key: string,
): Promise<void> {
  const { db } = deps;
  const now = deps.clock.now();
  const detail = { deal: e.dealId, ...e.detail };
  const via = platformOf(e.actor);
  await recordCustomerEvent(db, {
    customerId: e.customerId,
    key: `${key}:deal:${e.dealId}`,
    at: now,
    kind: 'deal_changed',
    ...(via ? { platform: via } : {}),
    actorStaffId: e.actor.staffId,
    detail,
  });
  await audit(db, now, {
    ...auditedAs(e.actor),
    action: e.action,
    subjectKind: 'customer',
    subjectId: e.customerId,
    detail,
  });
  if (!e.won) return;
  const won = await db
    .selectFrom('deals')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('customer_id', '=', e.customerId)
    .where('probability', '=', 100)
    .where('closed_at', 'is not', null)
    .executeTakeFirstOrThrow();
  await suggestStage(deps, e.customerId, Number(won.n) > 1 ? 'repeat' : 'won', `${key}:deal-stage`);
}
