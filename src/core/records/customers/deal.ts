import { audit } from '../../kernel/audit.ts';
import { auditedAs } from '../../kernel/permissions/actor.ts';
import { platformOf, type ReachedCustomer } from '../../kernel/permissions/reach.ts';
import type { CoreDeps, DealStageDefinition } from '../../kernel/runtime.ts';
import { recordCustomerEvent } from '../timeline/customer-events.ts';
import { suggestStage } from './lifecycle.ts';

export interface DealChange {
  customer: ReachedCustomer;
  /** In minor units (fen, cents). */
  amountMinor: number;
  stage: DealStageDefinition;
  /** Kept from the open deal, or the customer's name for a new one, when absent. */
  title?: string;
  /** The local midnight of the expected close day; kept from the open deal when absent. */
  expectedCloseAt?: number;
}

/**
 * The customer's newest open opportunity moves to this amount and stage (the others stay as they are); a new one is
 * opened when none is open; won and lost close it. On the timeline and in the audit log, once per request `key`. A first won deal makes the customer 成交
 * (won), a later one 复购 (repeat), unless a person set the stage.
 */
export async function recordDeal(
  deps: CoreDeps,
  d: DealChange,
  key: string,
): Promise<{ dealId: number | undefined; opened: boolean; currency: string }> {
  const { db } = deps;
  const { id: customerId, actor } = d.customer;
  const now = deps.clock.now();
  const closedAt = d.stage.probability === 0 || d.stage.probability === 100 ? now : null;
  const open = await db
    .selectFrom('deals')
    .select(['id', 'title', 'currency'])
    .where('customer_id', '=', customerId)
    .where('closed_at', 'is', null)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  const customer = await db
    .selectFrom('customers')
    .select('display_name')
    .where('id', '=', customerId)
    .executeTakeFirst();
  const values = {
    amount_minor: d.amountMinor,
    stage: d.stage.key,
    probability: d.stage.probability,
    title: d.title || open?.title || customer?.display_name || '',
    updated_at: now,
    closed_at: closedAt,
    ...(d.expectedCloseAt !== undefined ? { expected_close_at: d.expectedCloseAt } : {}),
  };
  let dealId = open?.id;
  if (open) await db.updateTable('deals').set(values).where('id', '=', open.id).execute();
  else {
    await db
      .insertInto('deals')
      .values({
        ...values,
        customer_id: customerId,
        currency: 'CNY',
        owner_staff_id: actor.staffId,
        created_at: now,
        request_key: key,
      })
      .onConflict((oc) => oc.column('request_key').doNothing())
      .execute();
    dealId = (await db.selectFrom('deals').select('id').where('request_key', '=', key).executeTakeFirst())
      ?.id;
  }
  const detail = {
    deal: dealId,
    amount: d.amountMinor / 100,
    stage: d.stage.key,
    probability: d.stage.probability,
  };
  const via = platformOf(actor);
  await recordCustomerEvent(db, {
    customerId,
    key: `${key}:deal`,
    at: now,
    kind: 'deal_changed',
    ...(via ? { platform: via } : {}),
    actorStaffId: actor.staffId,
    detail,
  });
  await audit(db, now, {
    ...auditedAs(actor),
    action: 'deal.saved',
    subjectKind: 'customer',
    subjectId: customerId,
    detail,
  });
  if (d.stage.probability === 100) {
    const won = await db
      .selectFrom('deals')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('customer_id', '=', customerId)
      .where('probability', '=', 100)
      .where('closed_at', 'is not', null)
      .executeTakeFirstOrThrow();
    await suggestStage(deps, customerId, Number(won.n) > 1 ? 'repeat' : 'won', `${key}:deal-stage`);
  }
  return { dealId, opened: !open, currency: open?.currency ?? 'CNY' };
}
