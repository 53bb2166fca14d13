import type { Kysely } from 'kysely';
import type { Database } from '../../../../db/schema.ts';
import type { Actor } from '../../kernel/permissions/actor.ts';
import { customerScope } from '../../kernel/permissions/scope.ts';

/** A deal (opportunity) as core functions give it. Amounts are in minor units (fen, cents), so sums are exact. */
export interface Deal {
  id: number;
  customerId: number;
  customerName: string;
  title: string;
  amountMinor: number;
  /** ISO 4217 code (CNY, USD…). */
  currency: string;
  stage: string;
  /** Win probability 0–100, from the stage when it was set. */
  probability: number;
  owner: { id: number; name: string } | null;
  /** The local midnight of the expected close day; null: not given. */
  expectedCloseAt: number | null;
  createdAt: number;
  updatedAt: number;
  /** Set when the deal was won or lost. */
  closedAt: number | null;
}

/** A deal's currency: three capital letters (ISO 4217). */
export const CURRENCY = /^[A-Z]{3}$/;
/** The currency a deal gets when none is given. */
export const DEFAULT_CURRENCY = 'CNY';
/** A deal's title is at most this many characters. */
export const MAX_DEAL_TITLE_CHARS = 200;

/**
 * Deals with their customer's name and their owner's, limited to the customers the actor reaches (their data scope;
 * merged-away customers never), to narrow and order.
 */
export function scopedDealRows(db: Kysely<Database>, actor: Actor) {
  let q = db
    .selectFrom('deals')
    .innerJoin('customers', 'customers.id', 'deals.customer_id')
    .leftJoin('staff', 'staff.id', 'deals.owner_staff_id')
    .where('customers.merged_into_id', 'is', null)
    .select([
      'deals.id',
      'deals.customer_id',
      'customers.display_name as customer_name',
      'deals.title',
      'deals.amount_minor',
      'deals.currency',
      'deals.stage',
      'deals.probability',
      'deals.owner_staff_id',
      'staff.display_name as owner_name',
      'deals.expected_close_at',
      'deals.created_at',
      'deals.updated_at',
      'deals.closed_at',
      'deals.request_key',
    ]);
  const scope = actor.viewer ? customerScope(db, actor.viewer) : null;
  if (scope) q = q.where((eb) => scope(eb as never));
  return q;
}

type Row = Awaited<ReturnType<ReturnType<typeof scopedDealRows>['executeTakeFirstOrThrow']>>;

const num = (v: number | string | bigint | null): number | null => (v === null ? null : Number(v));

export const shapeDeal = (r: Row): Deal => ({
  id: Number(r.id),
  customerId: Number(r.customer_id),
  customerName: r.customer_name,
  title: r.title,
  amountMinor: Number(r.amount_minor),
  currency: r.currency,
  stage: r.stage,
  probability: Number(r.probability),
  owner: r.owner_staff_id === null ? null : { id: Number(r.owner_staff_id), name: r.owner_name ?? '' },
  expectedCloseAt: num(r.expected_close_at),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  closedAt: num(r.closed_at),
});

/** One deal, when its customer is within the actor's scope; null otherwise (answered as "no such deal"). */
export async function findDeal(db: Kysely<Database>, actor: Actor, dealId: number): Promise<Deal | null> {
  if (!Number.isSafeInteger(dealId)) return null;
  const row = await scopedDealRows(db, actor).where('deals.id', '=', dealId).executeTakeFirst();
  return row ? shapeDeal(row) : null;
}

/** Whether a stage's probability closes a deal: won (100) and lost (0) end it; any other stage keeps it open. */
export const closesDeal = (probability: number): boolean => probability === 0 || probability === 100;
