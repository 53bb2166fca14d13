import type { Actor } from '../../kernel/permissions/actor.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import { type Deal, scopedDealRows, shapeDeal } from './deal-rows.ts';

/** Which deals to list; every filter given must hold. */
export interface DealFilter {
  stage?: string;
  /** A staff id, or `none` for deals without an owner. */
  owner?: number | 'none';
  customerId?: number;
  /** Only deals expected to close before this moment (deals without a close date are left out). */
  closingBefore?: number;
  /** `open` (default), `closed` (won or lost) or `all`. */
  status?: 'open' | 'closed' | 'all';
  /** The page after this deal id (the previous page's `nextCursor`). */
  after?: number;
  limit: number;
}

export interface DealPage {
  items: Deal[];
  /** Pass as `after` for the next page; null: this is the last one. */
  nextCursor: number | null;
}

/**
 * Deals of the customers the actor reaches (a rep: their own customers' and the pool's; a manager: their team's;
 * directors and admins: all), newest first, a page at a time.
 */
export async function listDeals(deps: CoreDeps, actor: Actor, f: DealFilter): Promise<DealPage> {
  let q = scopedDealRows(deps.db, actor)
    .orderBy('deals.id', 'desc')
    .limit(f.limit + 1);
  if (f.stage !== undefined) q = q.where('deals.stage', '=', f.stage);
  if (f.owner === 'none') q = q.where('deals.owner_staff_id', 'is', null);
  else if (f.owner !== undefined) q = q.where('deals.owner_staff_id', '=', f.owner);
  if (f.customerId !== undefined) q = q.where('deals.customer_id', '=', f.customerId);
  if (f.closingBefore !== undefined) q = q.where('deals.expected_close_at', '<', f.closingBefore);
  const status = f.status ?? 'open';
  if (status === 'open') q = q.where('deals.closed_at', 'is', null);
  if (status === 'closed') q = q.where('deals.closed_at', 'is not', null);
  if (f.after !== undefined) q = q.where('deals.id', '<', f.after);
  const rows = (await q.execute()).map(shapeDeal);
  const items = rows.slice(0, f.limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > f.limit && last ? last.id : null };
}
