import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { RecipientStatus } from '../../../../db/schema.ts';
import type { CustomerCondition } from '../../kernel/permissions/scope.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';

/** A condition on `customers` that limits a report to a data scope (`customerScope`, a digest's `customersIn`). */
export type { CustomerCondition };

/** What a group of customers did within their windows. */
export interface OutcomeFigures {
  /** Customers with an inbound message after their window opened and within it. */
  replied: number;
  /** Customers whose lifecycle stage moved (set by a person or suggested) within their window. */
  stageMoved: number;
  /** Deals won (stage `won`, closed within the window) and their total, in minor units. */
  dealsWon: number;
  wonAmountMinor: number;
  /** Customers with at least one deal won within the window. */
  wonCustomers: number;
}

/**
 * Where each customer's window opens and closes, as SQL over `r` (campaign_recipients) — a recipient's own send
 * time, or one moment for the whole group. Windows are (start, end].
 */
export interface Window {
  start: RawBuilder<number>;
  end: RawBuilder<number>;
}

/**
 * Replies, stage moves and won deals of a campaign's recipients in some statuses, each within its window. Counted in
 * the database by joins (no id lists, so a big campaign stays within D1's parameter limit).
 */
export async function outcomeFigures(
  deps: CoreDeps,
  campaignId: number,
  statuses: RecipientStatus[],
  w: Window,
  within: CustomerCondition | null,
): Promise<OutcomeFigures> {
  const { db } = deps;
  const base = () => {
    const q = db
      .selectFrom('campaign_recipients as r')
      .innerJoin('customers', 'customers.id', 'r.customer_id')
      .where('r.campaign_id', '=', campaignId)
      .where('r.status', 'in', statuses);
    return within ? q.where(within) : q;
  };
  const inWindow = (column: RawBuilder<unknown>) =>
    sql<SqlBool>`${column} > ${w.start} and ${column} <= ${w.end}`;
  const replied = await base()
    .innerJoin('messages as m', 'm.customer_id', 'r.customer_id')
    .where('m.direction', '=', 'in')
    .where(inWindow(sql.ref('m.sent_at')))
    .select(sql<number>`count(distinct r.customer_id)`.as('n'))
    .executeTakeFirst();
  const moved = await base()
    .innerJoin('customer_events as ev', 'ev.customer_id', 'r.customer_id')
    .where('ev.kind', 'in', ['stage_changed', 'stage_suggested'])
    .where(inWindow(sql.ref('ev.at')))
    .select(sql<number>`count(distinct r.customer_id)`.as('n'))
    .executeTakeFirst();
  const won = await base()
    .innerJoin('deals as d', 'd.customer_id', 'r.customer_id')
    .where('d.stage', '=', 'won')
    .where(inWindow(sql.ref('d.closed_at')))
    .select([
      sql<number>`count(d.id)`.as('deals'),
      sql<number>`coalesce(sum(d.amount_minor), 0)`.as('amount'),
      sql<number>`count(distinct r.customer_id)`.as('customers'),
    ])
    .executeTakeFirst();
  return {
    replied: Number(replied?.n ?? 0),
    stageMoved: Number(moved?.n ?? 0),
    dealsWon: Number(won?.deals ?? 0),
    wonAmountMinor: Number(won?.amount ?? 0),
    wonCustomers: Number(won?.customers ?? 0),
  };
}

/** A share (0–1), 0 for an empty group. */
export const rate = (part: number, whole: number): number => (whole > 0 ? part / whole : 0);
