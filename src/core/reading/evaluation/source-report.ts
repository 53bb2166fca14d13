import { type SqlBool, sql } from 'kysely';
import type { CoreDeps } from '../../kernel/runtime.ts';
import type { CustomerCondition } from './window-figures.ts';

const DAY = 86_400_000;
/** A new customer "replied" when they wrote within this long after arriving. */
export const SOURCE_REPLY_WINDOW_MS = 14 * DAY;

/** What the customers who first came through one channel code did. */
export interface SourceFigures {
  code: string;
  channelCodeId: number | null;
  /** The channel code's name and kind (campaign, rep, event, referral…); null for a code no channel defines. */
  name: string | null;
  kind: string | null;
  /** Customers whose first source is this code, arriving in the period. */
  newCustomers: number;
  /** Of those, who wrote (an inbound message) after arriving, within 14 days. */
  replied: number;
  /** Who moved stage after arriving (up to the report's time). */
  stageMoved: number;
  /** Deals won after arriving (up to the report's time), their total in minor units, and by how many customers. */
  dealsWon: number;
  wonAmountMinor: number;
  wonCustomers: number;
}

/** Per channel code, the period's new customers and what they did; most new customers first. */
export interface SourceReport {
  from: number;
  to: number;
  sources: SourceFigures[];
}

/**
 * The sources report for new customers arriving in [from, to): each customer counts once, for their first source.
 * `code` narrows it to one channel code; `within` to a data scope. Outcomes are counted up to now.
 */
export async function sourceReport(
  deps: CoreDeps,
  q: { from: number; to: number; code?: string; within?: CustomerCondition | null },
): Promise<SourceReport> {
  const { db } = deps;
  const now = deps.clock.now();
  // The customer's first source: no earlier one (ties broken by id).
  const first = sql<SqlBool>`not exists (select 1 from customer_sources s2 where s2.customer_id = s.customer_id and (s2.at < s.at or (s2.at = s.at and s2.id < s.id)))`;
  const cohort = () => {
    let c = db
      .selectFrom('customer_sources as s')
      .innerJoin('customers', 'customers.id', 's.customer_id')
      .where('customers.merged_into_id', 'is', null)
      .where('s.at', '>=', q.from)
      .where('s.at', '<', q.to)
      .where(first);
    if (q.code !== undefined) c = c.where('s.code', '=', q.code);
    return q.within ? c.where(q.within) : c;
  };
  const arrivals = await cohort()
    .leftJoin('channel_codes as cc', 'cc.code', 's.code')
    .select([
      's.code',
      'cc.id as channelCodeId',
      'cc.name',
      'cc.kind',
      (eb) => eb.fn.count<number>('s.customer_id').distinct().as('n'),
    ])
    .groupBy(['s.code', 'cc.id', 'cc.name', 'cc.kind'])
    .execute();
  if (arrivals.length === 0) return { from: q.from, to: q.to, sources: [] };
  const replied = await cohort()
    .innerJoin('messages as m', 'm.customer_id', 's.customer_id')
    .where('m.direction', '=', 'in')
    .where(sql<SqlBool>`m.sent_at > s.at and m.sent_at <= s.at + ${SOURCE_REPLY_WINDOW_MS}`)
    .select(['s.code', sql<number>`count(distinct s.customer_id)`.as('n')])
    .groupBy('s.code')
    .execute();
  const moved = await cohort()
    .innerJoin('customer_events as ev', 'ev.customer_id', 's.customer_id')
    .where('ev.kind', 'in', ['stage_changed', 'stage_suggested'])
    .where(sql<SqlBool>`ev.at >= s.at`)
    .where('ev.at', '<=', now)
    .select(['s.code', sql<number>`count(distinct s.customer_id)`.as('n')])
    .groupBy('s.code')
    .execute();
  const won = await cohort()
    .innerJoin('deals as d', 'd.customer_id', 's.customer_id')
    .where('d.stage', '=', 'won')
    .where(sql<SqlBool>`d.closed_at >= s.at`)
    .where('d.closed_at', '<=', now)
    .select([
      's.code',
      sql<number>`count(d.id)`.as('deals'),
      sql<number>`coalesce(sum(d.amount_minor), 0)`.as('amount'),
      sql<number>`count(distinct s.customer_id)`.as('customers'),
    ])
    .groupBy('s.code')
    .execute();
  const n = (rows: Array<{ code: string; n: number }>, code: string) =>
    Number(rows.find((r) => r.code === code)?.n ?? 0);
  const sources = arrivals.map((a): SourceFigures => {
    const w = won.find((r) => r.code === a.code);
    return {
      code: a.code,
      channelCodeId: a.channelCodeId === null ? null : Number(a.channelCodeId),
      name: a.name,
      kind: a.kind,
      newCustomers: Number(a.n),
      replied: n(replied, a.code),
      stageMoved: n(moved, a.code),
      dealsWon: Number(w?.deals ?? 0),
      wonAmountMinor: Number(w?.amount ?? 0),
      wonCustomers: Number(w?.customers ?? 0),
    };
  });
  sources.sort((a, b) => b.newCustomers - a.newCustomers || a.code.localeCompare(b.code));
  return { from: q.from, to: q.to, sources };
}
