import type { Actor } from '../../kernel/permissions/actor.ts';
import { reachCustomer } from '../../kernel/permissions/reach.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import { ownerCheck } from '../customers/ownership-stage.ts';
import { dealRecorded } from './deal-events.ts';
import {
  CURRENCY,
  closesDeal,
  DEFAULT_CURRENCY,
  type Deal,
  findDeal,
  MAX_DEAL_TITLE_CHARS,
} from './deal-rows.ts';

/** A deal to open on a customer. */
export interface NewDeal {
  customerId: number;
  /** The customer's name when absent or blank. */
  title?: string;
  amountMinor: number;
  /** ISO 4217; CNY when absent. */
  currency?: string;
  /** One of the organisation's deal stage keys. */
  stage: string;
  /** Absent: the actor, or (for an actor who is no staff member) the customer's owner. */
  ownerStaffId?: number;
  /** The local midnight of the expected close day; null or absent: not given. */
  expectedCloseAt?: number | null;
}

export type CreateDealOutcome =
  /** `created` false: the key was used before by this actor's request, and this is that deal (a retry). */
  | { kind: 'created'; created: boolean; deal: Deal }
  | { kind: 'no_customer' | 'unknown_stage' | 'bad_amount' | 'bad_currency' | 'bad_title' }
  | { kind: 'owner_out_of_reach' | 'owner_inactive' }
  /** The key was used by a request that made a deal this actor cannot see. */
  | { kind: 'key_reused' };

/**
 * Opens a deal on a customer the actor reaches, next to any the customer has open already, with the stage's win
 * probability; a won or lost stage opens it closed. The owner must be staff the actor manages (a rep: themselves).
 * On the timeline and in the audit log. A retry with the same `key` writes nothing new and returns the first deal.
 */
export async function createDeal(
  deps: CoreDeps,
  actor: Actor,
  d: NewDeal,
  key: string,
): Promise<CreateDealOutcome> {
  const { db, org } = deps;
  const before = await db.selectFrom('deals').select('id').where('request_key', '=', key).executeTakeFirst();
  if (before) return retried(deps, actor, Number(before.id));
  const customer = await reachCustomer(db, actor, d.customerId);
  if (!customer) return { kind: 'no_customer' };
  const stage = org.dealStages.find((s) => s.key === d.stage);
  if (!stage) return { kind: 'unknown_stage' };
  if (!Number.isSafeInteger(d.amountMinor) || d.amountMinor < 0) return { kind: 'bad_amount' };
  const currency = d.currency ?? DEFAULT_CURRENCY;
  if (!CURRENCY.test(currency)) return { kind: 'bad_currency' };
  if (d.title !== undefined && [...d.title.trim()].length > MAX_DEAL_TITLE_CHARS)
    return { kind: 'bad_title' };
  const row = await db
    .selectFrom('customers')
    .select(['display_name', 'owner_staff_id'])
    .where('id', '=', customer.id)
    .executeTakeFirst();
  if (!row) return { kind: 'no_customer' };
  const owner = d.ownerStaffId ?? actor.staffId ?? row.owner_staff_id;
  if (d.ownerStaffId !== undefined) {
    const check = await ownerCheck(deps, actor, d.ownerStaffId);
    if (check !== 'ok') return { kind: check };
  }
  const now = deps.clock.now();
  const inserted = await db
    .insertInto('deals')
    .values({
      customer_id: customer.id,
      title: d.title?.trim() || row.display_name,
      amount_minor: d.amountMinor,
      currency,
      stage: stage.key,
      probability: stage.probability,
      owner_staff_id: owner === null ? null : Number(owner),
      expected_close_at: d.expectedCloseAt ?? null,
      created_at: now,
      updated_at: now,
      closed_at: closesDeal(stage.probability) ? now : null,
      request_key: key,
    })
    .onConflict((oc) => oc.column('request_key').doNothing())
    .executeTakeFirst();
  const made = await db.selectFrom('deals').select('id').where('request_key', '=', key).executeTakeFirst();
  if (!made) return { kind: 'no_customer' };
  // Another request with this key got there first: that one wrote the records.
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) return retried(deps, actor, Number(made.id));
  await dealRecorded(
    deps,
    {
      actor,
      customerId: customer.id,
      dealId: Number(made.id),
      action: 'deal.created',
      won: stage.probability === 100,
      detail: {
        amount: d.amountMinor / 100,
        currency,
        stage: stage.key,
        probability: stage.probability,
      },
    },
    key,
  );
  const deal = await findDeal(db, actor, Number(made.id));
  return deal ? { kind: 'created', created: true, deal } : { kind: 'no_customer' };
}

async function retried(deps: CoreDeps, actor: Actor, dealId: number): Promise<CreateDealOutcome> {
  const deal = await findDeal(deps.db, actor, dealId);
  return deal ? { kind: 'created', created: false, deal } : { kind: 'key_reused' };
}
