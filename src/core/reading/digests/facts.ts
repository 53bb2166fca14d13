import type { CoreDeps } from '../../kernel/runtime.ts';
import { countOpenSuggestions } from '../../records/customers/duplicate-pairs.ts';
import { contactable, mayContactRow } from '../../records/privacy/do-not-contact.ts';
import { CHURN_FLAG } from '../intelligence/insights.ts';
import { repActivity, trafficByDay } from './activity.ts';
import { customersIn, type DigestScope } from './scope.ts';

const DAY = 86_400_000;
const LISTED = 5;

/** A customer named in a digest line, by `#id` so anyone can `/show` it. */
export interface NamedCustomer {
  id: number;
  name: string;
}

/** Everything a digest says, computed for a scope and a period [from, to). */
export interface DigestFacts {
  from: number;
  to: number;
  newCustomers: { total: number; bySource: Array<{ source: string; count: number }> };
  messages: { inbound: number; outbound: number };
  waiting: {
    count: number;
    overSla: number;
    longestMs: number;
    top: Array<NamedCustomer & { waitingMs: number }>;
  };
  hotLeads: { count: number; top: NamedCustomer[] };
  stale: { count: number; top: Array<NamedCustomer & { lastContactAt: number | null }> };
  churn: { count: number; top: Array<NamedCustomer & { risk: number }> };
  /** Every configured stage in funnel order: customers now, change over the period, open deal value. */
  funnel: Array<{ stage: string; count: number; change: number; openDealsMinor: number }>;
  reps: Array<{ name: string; replies: number; notes: number; medianFirstResponseMs: number | null }>;
  /** The last 7 local days up to `to`, oldest first. */
  trend: Array<{ day: string; inbound: number; outbound: number; newCustomers: number }>;
  /** Open duplicate suggestions touching the scope's customers (absent in digests built before issue 12). */
  duplicates?: number;
}

/**
 * The numbers behind a digest, from the database, for the staff's customers of a scope: one pass over the scope's
 * customers (a team's are read by owner; each condition is then a test in memory, not a scan of its own), plus the
 * period's messages, alerts, stage moves and open deals.
 */
export async function digestFacts(
  deps: CoreDeps,
  scope: DigestScope,
  from: number,
  to: number,
): Promise<DigestFacts> {
  const { db, org } = deps;
  const inScope = await customersIn(db, scope);
  const rows = await db
    .selectFrom('customers')
    .where('customers.merged_into_id', 'is', null)
    .where(inScope)
    .select([
      'customers.id',
      'customers.display_name as name',
      'customers.stage',
      'customers.source',
      'customers.first_contact_at',
      'customers.last_inbound_at',
      'customers.last_outbound_at',
      'customers.last_contact_at',
      'customers.churn_risk',
      'customers.do_not_contact',
    ])
    .execute();
  const staleBefore = to - org.staleDays * DAY;
  const bySource = new Map<string, number>();
  const stages = new Map<string, number>();
  const waiting: typeof rows = [];
  const stale: typeof rows = [];
  const churn: typeof rows = [];
  for (const c of rows) {
    stages.set(c.stage, (stages.get(c.stage) ?? 0) + 1);
    if (c.first_contact_at >= from && c.first_contact_at < to) {
      bySource.set(c.source ?? 'other', (bySource.get(c.source ?? 'other') ?? 0) + 1);
    }
    const inbound = c.last_inbound_at;
    if (inbound !== null && inbound < to && (c.last_outbound_at === null || c.last_outbound_at < inbound))
      waiting.push(c);
    // Follow-up lists leave out customers who asked not to be contacted.
    if (!mayContactRow(c)) continue;
    if ((c.last_contact_at ?? c.first_contact_at) < staleBefore) stale.push(c);
    if (c.churn_risk >= CHURN_FLAG) churn.push(c);
  }
  waiting.sort((a, b) => Number(a.last_inbound_at) - Number(b.last_inbound_at) || a.id - b.id);
  stale.sort(
    (a, b) =>
      (a.last_contact_at ?? a.first_contact_at) - (b.last_contact_at ?? b.first_contact_at) || a.id - b.id,
  );
  churn.sort((a, b) => b.churn_risk - a.churn_risk || a.id - b.id);
  const hot = await db
    .selectFrom('customers')
    .where(inScope)
    .where('customers.merged_into_id', 'is', null)
    .where(contactable)
    .where('customers.id', 'in', (eb) =>
      eb
        .selectFrom('alerts')
        .select('alerts.customer_id')
        .where('alerts.cause', '=', 'high_intent')
        .where('alerts.created_at', '>=', from)
        .where('alerts.created_at', '<', to),
    )
    .select(['customers.id', 'customers.display_name as name'])
    .orderBy('customers.id')
    .execute();
  const named = (c: { id: number; name: string }) => ({ id: c.id, name: c.name });
  const wholeOrg = scope.teamId === null && scope.ownerId === undefined;
  const firstContacts = rows.map((c) => c.first_contact_at);
  const traffic = await trafficByDay(deps, inScope, wholeOrg, from, to, firstContacts);
  return {
    from,
    to,
    newCustomers: {
      total: [...bySource.values()].reduce((a, b) => a + b, 0),
      bySource: [...bySource].map(([source, count]) => ({ source, count })),
    },
    messages: traffic.period,
    waiting: {
      count: waiting.length,
      overSla: waiting.filter((w) => Number(w.last_inbound_at) < to - org.replySlaMs).length,
      longestMs: waiting[0] ? to - Number(waiting[0].last_inbound_at) : 0,
      top: waiting.slice(0, LISTED).map((w) => ({ ...named(w), waitingMs: to - Number(w.last_inbound_at) })),
    },
    hotLeads: { count: hot.length, top: hot.slice(0, LISTED).map(named) },
    stale: {
      count: stale.length,
      top: stale.slice(0, LISTED).map((c) => ({ ...named(c), lastContactAt: c.last_contact_at })),
    },
    churn: {
      count: churn.length,
      top: churn.slice(0, LISTED).map((c) => ({ ...named(c), risk: c.churn_risk })),
    },
    funnel: await funnel(deps, inScope, stages, from, to),
    reps: await repActivity(deps, inScope, from, to),
    trend: traffic.days,
    duplicates: await countOpenSuggestions(db, inScope),
  };
}

type InScope = Awaited<ReturnType<typeof customersIn>>;

/** Customers per stage now; the period's movement from stage-change events; the value of open deals per stage. */
async function funnel(
  deps: CoreDeps,
  inScope: InScope,
  counts: Map<string, number>,
  from: number,
  to: number,
) {
  const { db, org } = deps;
  const moves = await db
    .selectFrom('customer_events')
    .innerJoin('customers', 'customers.id', 'customer_events.customer_id')
    .where(inScope)
    .where('customer_events.kind', 'in', ['stage_changed', 'stage_suggested'])
    .where('customer_events.at', '>=', from)
    .where('customer_events.at', '<', to)
    .select('customer_events.detail')
    .execute();
  const change = new Map<string, number>();
  for (const m of moves) {
    const d = JSON.parse(m.detail ?? '{}') as { from?: string; to?: string };
    if (d.from) change.set(d.from, (change.get(d.from) ?? 0) - 1);
    if (d.to) change.set(d.to, (change.get(d.to) ?? 0) + 1);
  }
  const deals = await db
    .selectFrom('deals')
    .innerJoin('customers', 'customers.id', 'deals.customer_id')
    .where(inScope)
    .where('deals.closed_at', 'is', null)
    .select(['customers.stage', (eb) => eb.fn.sum<number>('deals.amount_minor').as('v')])
    .groupBy('customers.stage')
    .execute();
  return org.stages.map((s) => ({
    stage: s.key,
    count: counts.get(s.key) ?? 0,
    change: change.get(s.key) ?? 0,
    openDealsMinor: Number(deals.find((d) => d.stage === s.key)?.v ?? 0),
  }));
}
